/*
 * resume_copies.c - resuming several E01 copies: each must still be, up to
 * the checkpoint, the same bytes as the first.
 *
 * The copies were written byte-identical, and the digests a resumed run
 * goes on from are rebuilt from the first copy alone.  A copy changed
 * while the acquisition was stopped (damaged, replaced, tampered with)
 * would be completed into a set whose record proves the first copy, not
 * itself: so every segment file of every copy is compared with the
 * first's, byte for byte, before anything is written.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "acquire/resume/resume.h"
#include "container/ewf/ewf_naming.h"
#include "lib/path.h"

#define COMPARE_BLOCK (1U << 20)

static int open_segment(const char *base, uint32_t n, char *path, size_t cap, int *fd,
                        struct stat *st, struct cu_error *err)
{
	char ext[4];

	if (ewf_segment_extension(ext, n) != 0 ||
	    cu_path_build(path, cap, err, "%s.%s%s", base, ext, CU_PARTIAL_SUFFIX))
		return cu_error_set(err, CU_EUSAGE, "cannot resume: no name for segment %u", n);
	*fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (*fd < 0)
		return cu_error_errno(err, CU_EUSAGE, errno, "cannot resume: %s", path);
	if (fstat(*fd, st) != 0 || !S_ISREG(st->st_mode)) {
		close(*fd);
		return cu_error_set(err, CU_EUSAGE, "cannot resume: %s is not a regular file",
		                    path);
	}
	return CU_OK;
}

static int compare_fds(int a, int b, uint64_t len, uint8_t *buf, const char *path,
                       struct cu_error *err)
{
	for (uint64_t at = 0; at < len;) {
		size_t want = len - at < COMPARE_BLOCK ? (size_t)(len - at) : COMPARE_BLOCK;
		ssize_t ra = pread(a, buf, want, (off_t)at);
		ssize_t rb = pread(b, buf + COMPARE_BLOCK, want, (off_t)at);

		if (ra != (ssize_t)want || rb != (ssize_t)want)
			return cu_error_errno(err, CU_EFAIL, errno, "cannot resume: cannot read %s",
			                      path);
		if (memcmp(buf, buf + COMPARE_BLOCK, want))
			return cu_error_set(err, CU_EUSAGE,
			                    "cannot resume: %s is no longer the same as the first "
			                    "copy's (byte %llu differs or follows)",
			                    path, (unsigned long long)at);
		at += want;
	}
	return CU_OK;
}

/* Segment n of `copy` against the first's: the same size (the last: past the checkpoint). */
static int compare_segment(const struct acq_resume_file *rf, const char *first, const char *copy,
                           uint32_t n, uint8_t *buf, struct cu_error *err)
{
	char pa[4200], pb[4200];
	struct stat sa, sb;
	int fa, fb, rc;
	bool last = n == rf->writer.segments;
	uint64_t len;

	if ((rc = open_segment(first, n, pa, sizeof(pa), &fa, &sa, err)))
		return rc;
	if ((rc = open_segment(copy, n, pb, sizeof(pb), &fb, &sb, err))) {
		close(fa);
		return rc;
	}
	len = last ? rf->writer.last_size : (uint64_t)sa.st_size;
	if (!last && sa.st_size != sb.st_size)
		rc = cu_error_set(err, CU_EUSAGE,
		                  "cannot resume: %s is not the size of the first copy's", pb);
	else if ((uint64_t)sa.st_size < len || (uint64_t)sb.st_size < len)
		rc = cu_error_set(err, CU_EUSAGE,
		                  "cannot resume: %s is shorter than at the checkpoint", pb);
	else
		rc = compare_fds(fa, fb, len, buf, pb, err);
	close(fa);
	close(fb);
	return rc;
}

int acq_resume_check_copy(const struct acq_resume_file *rf, const char *first, const char *copy,
                          struct cu_error *err)
{
	uint8_t *buf = malloc(2 * COMPARE_BLOCK);
	int rc = CU_OK;

	if (!buf)
		return cu_error_set(err, CU_EFAIL, "out of memory");
	for (uint32_t n = 1; n <= rf->writer.segments && !rc; n++)
		rc = compare_segment(rf, first, copy, n, buf, err);
	free(buf);
	return rc;
}
