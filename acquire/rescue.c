/*
 * rescue.c - retries, bisection and zero-fill.
 */
#include "acquire/rescue.h"

#include <errno.h>
#include <string.h>

/* Errors a failing drive (or a failing file system) gives for bad media. */
static bool media_error(int errnum)
{
	return errnum == EIO || errnum == ENODATA || errnum == EILSEQ || errnum == EREMOTEIO ||
	       errnum == ETIMEDOUT || errnum == ENOMEDIUM || errnum == EBADMSG;
}

static int mark_bad(uint8_t *buf, uint64_t offset, size_t len, struct cu_ranges *bad,
                    struct cu_error *err)
{
	memset(buf, 0, len);
	return cu_ranges_add(bad, offset, len, err);
}

static int rescue_span(const struct acq_rescue *r, uint8_t *buf, uint64_t offset, size_t len,
                       struct cu_ranges *bad, struct cu_error *err);

/* Reads the halves of a range that failed as a whole. */
static int rescue_split(const struct acq_rescue *r, uint8_t *buf, uint64_t offset, size_t len,
                        struct cu_ranges *bad, struct cu_error *err)
{
	size_t half = len / 2 / r->unit * r->unit;
	int rc;

	if (half == 0)
		half = r->unit;
	if ((rc = rescue_span(r, buf, offset, half, bad, err)))
		return rc;
	return rescue_span(r, buf + half, offset + half, len - half, bad, err);
}

static int rescue_span(const struct acq_rescue *r, uint8_t *buf, uint64_t offset, size_t len,
                       struct cu_ranges *bad, struct cu_error *err)
{
	size_t done = 0;
	unsigned failures = 0;
	int errnum = 0;

	while (done < len) {
		ssize_t n =
		    acq_source_read(r->source, buf + done, len - done, offset + done, &errnum, err);

		if (n > 0) {
			done += (size_t)n;
			continue;
		}
		if (n == 0)
			return cu_error_set(err, CU_EFAIL,
			                    "the source ended at byte %llu, before its size",
			                    (unsigned long long)(offset + done));
		if (!media_error(errnum))
			return CU_EFAIL;
		if (len - done > r->unit)
			return rescue_split(r, buf + done, offset + done, len - done, bad, err);
		if (++failures > r->retries)
			return mark_bad(buf + done, offset + done, len - done, bad, err);
	}
	return CU_OK;
}

int acq_rescue_read(const struct acq_rescue *r, uint8_t *buf, uint64_t offset, size_t len,
                    struct cu_ranges *bad, struct cu_error *err)
{
	uint64_t end = offset + len, pos = offset;
	const struct cu_ranges *kb = r->known_bad;
	int rc;

	for (size_t i = 0; kb && i < kb->n && pos < end; i++) {
		uint64_t first = kb->v[i].first, last = first + kb->v[i].count;

		if (last <= pos || first >= end)
			continue;
		if (first > pos && (rc = rescue_span(r, buf + (pos - offset), pos,
		                                     (size_t)(first - pos), bad, err)))
			return rc;
		if (first < pos)
			first = pos;
		if (last > end)
			last = end;
		if ((rc =
		         mark_bad(buf + (first - offset), first, (size_t)(last - first), bad, err)))
			return rc;
		pos = last;
	}
	return pos < end ? rescue_span(r, buf + (pos - offset), pos, (size_t)(end - pos), bad, err)
	                 : CU_OK;
}
