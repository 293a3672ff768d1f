/*
 * source.c - opening and reading the medium.
 *
 * The source is opened O_RDONLY, so nothing custos does can write to it.
 * Files are read with the kernel told that access is sequential; block
 * devices report their size and sector sizes through ioctls.
 */
#include "acquire/source.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

struct acq_source {
	struct acq_source_info info;
	int fd;
	char *path;
};

static int source_probe_device(struct acq_source *s, struct cu_error *err)
{
	uint64_t size = 0;
	int logical = 0;
	unsigned int physical = 0;

	if (ioctl(s->fd, BLKGETSIZE64, &size) != 0)
		return cu_error_errno(err, CU_EFAIL, errno, "%s: cannot read the device size",
		                      s->path);
	if (ioctl(s->fd, BLKSSZGET, &logical) != 0 || logical <= 0)
		return cu_error_errno(err, CU_EFAIL, errno,
		                      "%s: cannot read the logical sector size", s->path);
	if (ioctl(s->fd, BLKPBSZGET, &physical) != 0)
		physical = 0;
	s->info.size = size;
	s->info.logical_sector = (uint32_t)logical;
	s->info.physical_sector = physical;
	return CU_OK;
}

int acq_source_open(struct acq_source **out, const char *path, struct cu_error *err)
{
	struct acq_source *s = calloc(1, sizeof(*s));
	struct stat st;
	int rc = CU_OK;

	if (!s || !(s->path = strdup(path))) {
		free(s);
		return cu_error_set(err, CU_EFAIL, "out of memory");
	}
	s->info.path = s->path;
	s->fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (s->fd < 0) {
		rc = cu_error_errno(err, errno == ENOENT ? CU_EUSAGE : CU_EFAIL, errno,
		                    "cannot open the source %s", path);
	} else if (fstat(s->fd, &st) != 0) {
		rc = cu_error_errno(err, CU_EFAIL, errno, "cannot examine the source %s", path);
	} else if (S_ISBLK(st.st_mode)) {
		s->info.is_device = true;
		s->info.device = st.st_rdev;
		rc = source_probe_device(s, err);
	} else if (S_ISREG(st.st_mode)) {
		s->info.size = (uint64_t)st.st_size;
		s->info.device = st.st_dev;
		s->info.inode = st.st_ino;
		posix_fadvise(s->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	} else {
		rc = cu_error_set(err, CU_EUSAGE,
		                  "the source %s is neither a regular file nor a block device",
		                  path);
	}
	if (rc) {
		acq_source_close(s);
		return rc;
	}
	*out = s;
	return CU_OK;
}

const struct acq_source_info *acq_source_info(const struct acq_source *s)
{
	return &s->info;
}

ssize_t acq_source_read(struct acq_source *s, void *buf, size_t len, uint64_t offset, int *errnum,
                        struct cu_error *err)
{
	ssize_t n;

	do {
		n = pread(s->fd, buf, len, (off_t)offset);
	} while (n < 0 && errno == EINTR);
	if (n < 0) {
		*errnum = errno;
		cu_error_errno(err, CU_EFAIL, errno, "%s: read failed at byte %llu", s->path,
		               (unsigned long long)offset);
	}
	return n;
}

void acq_source_close(struct acq_source *s)
{
	if (!s)
		return;
	if (s->fd >= 0)
		close(s->fd);
	free(s->path);
	free(s);
}
