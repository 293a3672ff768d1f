/*
 * failing.c - one read, then trim, scrape and retry, in a window of units.
 *
 * Each unit of the window has a state: read, pending (it failed; retries
 * may still read it) or known bad (not to be read).  Every unit that is not
 * known bad is read at least once; the states then say which bytes are
 * zero-filled, in order.
 */
#include "source/failing.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

enum unit_state { UNIT_READ = 0, UNIT_PENDING = 1, UNIT_KNOWN_BAD = 2 };

enum read_outcome { READ_OK, READ_MEDIA_ERROR, READ_FATAL };

struct window {
	struct source_failing *r;
	uint8_t *buf;
	uint64_t offset; /* of the window */
	size_t len, units;
	uint8_t *state; /* one per unit */
	struct cu_error *err;
};

int source_failing_media_error(int errnum)
{
	return errnum == EIO || errnum == ENODATA || errnum == EILSEQ || errnum == EREMOTEIO ||
	       errnum == ETIMEDOUT || errnum == ENOMEDIUM || errnum == EBADMSG;
}

/* Reads [from, from + len) of the window, going on after short reads. */
static enum read_outcome read_span(struct window *w, size_t from, size_t len)
{
	size_t done = 0;
	int errnum = 0;

	while (done < len) {
		ssize_t n = w->r->read(w->r->read_ctx, w->buf + from + done, len - done,
		                       w->offset + from + done, &errnum);

		if (n > 0) {
			done += (size_t)n;
			continue;
		}
		if (n == 0) {
			cu_error_set(w->err, CU_EFAIL, "%s ended at byte %llu, before its size",
			             w->r->name, (unsigned long long)(w->offset + from + done));
			return READ_FATAL;
		}
		if (!source_failing_media_error(errnum)) {
			cu_error_errno(w->err, CU_EFAIL, errnum, "%s: read failed at byte %llu",
			               w->r->name, (unsigned long long)(w->offset + from + done));
			return READ_FATAL;
		}
		w->r->failed_reads++;
		return READ_MEDIA_ERROR;
	}
	return READ_OK;
}

static size_t unit_len(const struct window *w, size_t u)
{
	size_t from = u * w->r->unit;

	return w->len - from < w->r->unit ? w->len - from : w->r->unit;
}

/* Reads unit `u`; a media error marks it pending. */
static enum read_outcome read_unit(struct window *w, size_t u)
{
	enum read_outcome o = read_span(w, u * w->r->unit, unit_len(w, u));

	w->state[u] = o == READ_MEDIA_ERROR ? UNIT_PENDING : UNIT_READ;
	return o;
}

/*
 * A run of units [first, end) whose read failed as a whole: trimmed from
 * the front to the first unit that fails, from the back to the last, and
 * scraped between.
 */
static int search_run(struct window *w, size_t first, size_t end)
{
	enum read_outcome o = READ_OK;
	size_t front = first, back = end;

	while (front < back && (o = read_unit(w, front)) == READ_OK)
		front++;
	if (o == READ_FATAL)
		return CU_EFAIL;
	if (front++ >= back)
		return CU_OK;
	while (back > front && (o = read_unit(w, back - 1)) == READ_OK)
		back--;
	if (o == READ_FATAL)
		return CU_EFAIL;
	if (back > front)
		back--; /* the unit that failed */
	for (size_t u = front; u < back; u++)
		if (read_unit(w, u) == READ_FATAL)
			return CU_EFAIL;
	return CU_OK;
}

/* Reads the units [first, end), none known bad: at once, or searched. */
static int read_run(struct window *w, size_t first, size_t end)
{
	size_t from = first * w->r->unit,
	       to = end * w->r->unit < w->len ? end * w->r->unit : w->len;

	switch (read_span(w, from, to - from)) {
	case READ_OK:
		return CU_OK;
	case READ_MEDIA_ERROR:
		return search_run(w, first, end);
	default:
		return CU_EFAIL;
	}
}

/* Marks the units the known-bad areas touch. */
static void mark_known_bad(struct window *w)
{
	const struct cu_ranges *kb = w->r->known_bad;
	uint64_t unit = w->r->unit, end = w->offset + w->len;

	for (size_t i = 0; kb && i < kb->n; i++) {
		uint64_t first = kb->v[i].first, last = first + kb->v[i].count;

		if (last <= w->offset || first >= end)
			continue;
		first = first > w->offset ? first - w->offset : 0;
		last = (last < end ? last : end) - w->offset;
		for (uint64_t u = first / unit; u * unit < last; u++)
			w->state[u] = UNIT_KNOWN_BAD;
	}
}

/* The retries: only units that failed, once the rest of the window is read. */
static int retry_pending(struct window *w)
{
	for (unsigned pass = 0; pass < w->r->retries; pass++)
		for (size_t u = 0; u < w->units; u++)
			if (w->state[u] == UNIT_PENDING && read_unit(w, u) == READ_FATAL)
				return CU_EFAIL;
	return CU_OK;
}

/* Zero-fills the units that were not read and lists them, in order. */
static int record_bad(struct window *w, struct cu_ranges *bad)
{
	int rc = CU_OK;

	for (size_t u = 0; u < w->units && !rc; u++) {
		size_t from = u * w->r->unit;

		if (w->state[u] == UNIT_READ)
			continue;
		memset(w->buf + from, 0, unit_len(w, u));
		rc = cu_ranges_add(bad, w->offset + from, unit_len(w, u), w->err);
	}
	return rc;
}

int source_failing_read(struct source_failing *r, uint8_t *buf, uint64_t offset, size_t len,
                        struct cu_ranges *bad, struct cu_error *err)
{
	struct window w = {.r = r, .buf = buf, .offset = offset, .len = len, .err = err};
	size_t u = 0;
	int rc = CU_OK;

	w.units = (len + r->unit - 1) / r->unit;
	if (!(w.state = calloc(w.units ? w.units : 1, 1)))
		return cu_error_set(err, CU_EFAIL, "out of memory");
	mark_known_bad(&w);
	while (u < w.units && !rc) {
		size_t end = u;

		while (end < w.units && w.state[end] != UNIT_KNOWN_BAD)
			end++;
		if (end > u)
			rc = read_run(&w, u, end);
		for (u = end; u < w.units && w.state[u] == UNIT_KNOWN_BAD; u++)
			;
	}
	if (!rc)
		rc = retry_pending(&w);
	if (!rc)
		rc = record_bad(&w, bad);
	free(w.state);
	return rc;
}
