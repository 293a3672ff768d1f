/*
 * rescue_sample.c - is the source of an interrupted --rescue the same
 * medium?  Asked by what the medium holds, not by where it is mounted.
 *
 * A drive is known by its model and serial number (resume.c); a file by
 * its size and its content, since its device number changes whenever its
 * file system is mounted again.  The content is what the rescue already
 * has: the map's rescued ('+') areas hold the source's bytes in the spool.
 * SAMPLE_BYTES at SAMPLE_POINTS places spread over the rescued bytes, and at
 * the end of the last rescued area, are read again from the source and
 * from the spool, and compared.  So the same check refuses another medium,
 * a spool that was deleted or replaced (zeros where the map says data), and
 * a map that is not the spool's own (it claims what the spool lacks).  One
 * difference refuses the resume; so does a rescue whose rescued areas
 * cannot be read at all now, since nothing then shows the medium is the one
 * the spool came from.  A rescue that has rescued nothing yet has nothing
 * to mix up, and goes on.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "acquire/rescue/ddrescue_map.h"
#include "acquire/job.h"
#include "source/source.h"

#define SAMPLE_POINTS 8
#define SAMPLE_BYTES  (64 * 1024)

enum sample_verdict { SAMPLE_SAME, SAMPLE_DIFFERENT, SAMPLE_UNREAD };

/* The rescued areas: the window's complement of what the map has not rescued. */
static int rescued_areas(const struct cu_ranges *missing, uint64_t size, struct cu_ranges *out,
                         struct cu_error *err)
{
	uint64_t at = 0;
	int rc;

	for (size_t i = 0; i < missing->n; i++) {
		const struct cu_range *m = &missing->v[i];

		if (m->first > at && (rc = cu_ranges_add(out, at, m->first - at, err)))
			return rc;
		at = m->first + m->count;
	}
	return at < size ? cu_ranges_add(out, at, size - at, err) : CU_OK;
}

/* The source's and the spool's bytes at [at, at + len) of the window. */
static enum sample_verdict sample_compare(struct source *src, int spool, uint64_t at, size_t len,
                                          uint8_t *a, uint8_t *b)
{
	struct cu_error ignored = {0};
	size_t got = 0;
	int errnum = 0;

	while (got < len) {
		ssize_t n = source_read(src, a + got, len - got, at + got, &errnum, &ignored);

		if (n <= 0)
			return SAMPLE_UNREAD;
		got += (size_t)n;
	}
	if (pread(spool, b, len, (off_t)at) != (ssize_t)len)
		return SAMPLE_DIFFERENT; /* the spool lacks what its map says it holds */
	return memcmp(a, b, len) ? SAMPLE_DIFFERENT : SAMPLE_SAME;
}

/* The area holding rescued byte `nth` (counted across the areas), and where in it. */
static const struct cu_range *sample_locate(const struct cu_ranges *areas, uint64_t nth,
                                            uint64_t *at)
{
	for (size_t i = 0; i < areas->n; i++) {
		if (nth < areas->v[i].count) {
			*at = areas->v[i].first + nth;
			return &areas->v[i];
		}
		nth -= areas->v[i].count;
	}
	return NULL;
}

/*
 * Compares SAMPLE_POINTS places spread evenly over the rescued bytes (so a
 * map that claims more than its spool holds is caught wherever it claims
 * it), and the end of the last rescued area; *compared counts the samples
 * read on both sides.  A place the source cannot give now is passed over.
 */
static enum sample_verdict sample_areas(struct acq_job *j, const struct cu_ranges *areas, int spool,
                                        int *compared)
{
	uint32_t unit = j->res->bytes_per_sector ? j->res->bytes_per_sector : 512;
	uint64_t total = cu_ranges_total(areas);
	uint8_t *a = NULL, *b = malloc(SAMPLE_BYTES);
	enum sample_verdict v = SAMPLE_SAME;

	if (!b || posix_memalign((void **)&a, SOURCE_ALIGN, SAMPLE_BYTES)) {
		free(b);
		return SAMPLE_UNREAD;
	}
	for (unsigned k = 0; k <= SAMPLE_POINTS && v == SAMPLE_SAME; k++) {
		uint64_t nth =
		    k < SAMPLE_POINTS ? total / (2 * SAMPLE_POINTS) * (2 * k + 1) : total - 1;
		uint64_t at = 0, end, len;
		const struct cu_range *r = sample_locate(areas, nth, &at);

		if (!r)
			continue;
		end = r->first + r->count;
		if (k == SAMPLE_POINTS) /* the end of the last area: what ddrescue wrote last */
			at = end > SAMPLE_BYTES && end - SAMPLE_BYTES > r->first
			         ? end - SAMPLE_BYTES
			         : r->first;
		at = (at + unit - 1) / unit * unit;
		len = end > at ? (end - at) / unit * unit : 0;
		if (len == 0)
			continue; /* less than a sector rescued there: nothing to read directly */
		v = sample_compare(j->src, spool, at, len > SAMPLE_BYTES ? SAMPLE_BYTES : len, a,
		                   b);
		if (v == SAMPLE_SAME)
			(*compared)++;
		else if (v == SAMPLE_UNREAD)
			v = SAMPLE_SAME; /* unreadable now: the other places decide */
	}
	free(a);
	free(b);
	return v;
}

int acq_rescue_check_sample(struct acq_job *j, struct cu_error *err)
{
	struct ddrescue_window w = {
	    .start = 0, .size = j->res->source.size, .image_end = j->res->source.size, .unit = 1};
	struct cu_ranges missing = {0}, areas = {0};
	int spool = -1, compared = 0, rc;
	enum sample_verdict v = SAMPLE_SAME;

	if ((rc = acq_ddrescue_map_load(j->o->mapfile, &w, &missing, err)) ||
	    (rc = rescued_areas(&missing, w.size, &areas, err)))
		goto out;
	if (areas.n == 0)
		goto out; /* nothing rescued yet: nothing to mix */
	if ((spool = open(j->spool, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		rc = cu_error_errno(err, CU_EUSAGE, errno, "cannot resume: the spool %s", j->spool);
		goto out;
	}
	v = sample_areas(j, &areas, spool, &compared);
	if (v == SAMPLE_UNREAD)
		rc = cu_error_set(err, CU_EFAIL, "out of memory");
	else if (v == SAMPLE_DIFFERENT)
		rc = cu_error_set(err, CU_EUSAGE,
		                  "cannot resume: %s does not hold what the spool %s rescued from "
		                  "the medium of the interrupted acquisition",
		                  j->o->source, j->spool);
	else if (compared == 0)
		rc = cu_error_set(err, CU_EUSAGE,
		                  "cannot resume: none of the areas already rescued can be read "
		                  "from %s now, so nothing shows it is the same medium",
		                  j->o->source);
out:
	if (spool >= 0)
		close(spool);
	cu_ranges_free(&missing);
	cu_ranges_free(&areas);
	return rc;
}
