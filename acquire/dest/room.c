/*
 * room.c - the room each destination needs, checked before the first byte
 * is read.
 *
 * A raw image needs exactly the source's bytes; an E01 set at most
 * ewf_writer_worst_size (every chunk stored raw), and with --compression
 * none it needs that.  Copies on the same file system add up.  Where what
 * is certainly needed does not fit, the acquisition is refused, naming the
 * file system's free bytes and the copies on it.  Where only the worst case
 * does not fit (compression must save the rest), a notice says so and the
 * acquisition goes on: a copy that fills its disk then stops alone.  A
 * clone's drive is held to the source's size when it is opened
 * (raw_output.c).
 */
#include "acquire/dest/dest.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

struct room_fs {
	dev_t dev;
	uint64_t free_bytes, certain, worst;
	const char *first; /* the first copy on it, for the message */
	size_t copies;
};

/* The file system `base` would be written to: its device and free bytes. */
static int room_of(const char *base, dev_t *dev, uint64_t *free_bytes, struct cu_error *err)
{
	char *copy = strdup(base);
	struct statvfs fs;
	struct stat st;
	int rc = CU_OK;

	if (!copy)
		return cu_error_set(err, CU_EFAIL, "out of memory");
	if (stat(dirname(copy), &st) != 0 || statvfs(copy, &fs) != 0)
		rc = cu_error_errno(err, CU_EUSAGE, errno, "cannot see the free space beside %s",
		                    base);
	else {
		*dev = st.st_dev;
		*free_bytes = (uint64_t)fs.f_bavail * fs.f_frsize;
	}
	free(copy);
	return rc;
}

static int room_add(struct room_fs *fs, size_t *n, const struct acq_room_need *need,
                    struct cu_error *err)
{
	dev_t dev = 0;
	uint64_t free_bytes = 0;
	size_t i;
	int rc;

	if ((rc = room_of(need->base, &dev, &free_bytes, err)))
		return rc;
	for (i = 0; i < *n && fs[i].dev != dev; i++)
		;
	if (i == *n)
		fs[(*n)++] = (struct room_fs){dev, free_bytes, 0, 0, need->base, 0};
	fs[i].certain += need->certain;
	fs[i].worst += need->worst;
	fs[i].copies++;
	return CU_OK;
}

static int room_judge(const struct room_fs *fs, void (*notice)(void *, const char *), void *ctx,
                      struct cu_error *err)
{
	char *line = NULL;

	if (fs->certain > fs->free_bytes)
		return cu_error_set(
		    err, CU_EUSAGE,
		    "the file system of %s has %llu bytes free; the %zu cop%s on it "
		    "need %llu",
		    fs->first, (unsigned long long)fs->free_bytes, fs->copies,
		    fs->copies == 1 ? "y" : "ies", (unsigned long long)fs->certain);
	if (fs->worst > fs->free_bytes && notice &&
	    asprintf(&line,
	             "note: the file system of %s has %llu bytes free, and the %zu cop%s on it "
	             "may need up to %llu if the media does not compress",
	             fs->first, (unsigned long long)fs->free_bytes, fs->copies,
	             fs->copies == 1 ? "y" : "ies", (unsigned long long)fs->worst) >= 0)
		notice(ctx, line);
	free(line);
	return CU_OK;
}

int acq_room_check(const struct acq_room_need *needs, size_t n,
                   void (*notice)(void *, const char *), void *ctx, struct cu_error *err)
{
	struct room_fs fs[ACQ_DESTS_MAX];
	size_t n_fs = 0;
	int rc;

	for (size_t i = 0; i < n && i < ACQ_DESTS_MAX; i++)
		if ((rc = room_add(fs, &n_fs, &needs[i], err)))
			return rc;
	for (size_t i = 0; i < n_fs; i++)
		if ((rc = room_judge(&fs[i], notice, ctx, err)))
			return rc;
	return CU_OK;
}
