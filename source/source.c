/*
 * source.c - opening, write-blocking and reading the medium.
 */
#include "source/source.h"

#include "source/ata_probe.h"
#include "lib/input_file.h"

#include <errno.h>
#include <poll.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

struct source {
	struct source_info info;
	uint64_t stream_pos;  /* a stream: bytes read so far */
	const int *cancel_fd; /* a stream: a signal here stops a read */
	int fd;               /* reads */
	int ctl;              /* ioctls; the same file as fd */
	int ro_previous;      /* BLKROGET before custos set it */
	char *path;
};

static int source_probe_device(struct source *s, struct cu_error *err)
{
	uint64_t size = 0;
	int logical = 0;
	unsigned int physical = 0;

	if (ioctl(s->ctl, BLKGETSIZE64, &size) != 0)
		return cu_error_errno(err, CU_EFAIL, errno, "%s: cannot read the device size",
		                      s->path);
	if (ioctl(s->ctl, BLKSSZGET, &logical) != 0 || logical <= 0)
		return cu_error_errno(err, CU_EFAIL, errno,
		                      "%s: cannot read the logical sector size", s->path);
	if (ioctl(s->ctl, BLKPBSZGET, &physical) != 0)
		physical = 0;
	s->info.total_size = size;
	s->info.logical_sector = (uint32_t)logical;
	s->info.physical_sector = physical;
	return CU_OK;
}

static int source_write_block(struct source *s, struct cu_error *err)
{
	int on = 1;

	if (ioctl(s->ctl, BLKROGET, &s->ro_previous) != 0)
		return cu_error_errno(err, CU_EFAIL, errno, "%s: cannot read its read-only flag",
		                      s->path);
	if (!s->ro_previous && ioctl(s->ctl, BLKROSET, &on) != 0)
		return cu_error_errno(err, CU_EUSAGE, errno,
		                      "%s: cannot set the device read-only (BLKROSET; run as root, "
		                      "or accept the risk with --no-write-block)",
		                      s->path);
	s->info.write_blocked = true;
	return CU_OK;
}

/* A second descriptor with O_DIRECT, so that reads bypass every cache. */
static void source_open_direct(struct source *s)
{
	int fd = open(s->path, O_RDONLY | O_DIRECT | O_CLOEXEC | O_NOCTTY);
	struct stat st;

	if (fd < 0)
		return;
	if (fstat(fd, &st) != 0 || st.st_rdev != s->info.device) {
		close(fd);
		return;
	}
	s->fd = fd;
	s->info.direct_io = true;
}

int source_set_window(struct source *s, uint64_t offset, uint64_t length, struct cu_error *err)
{
	uint64_t total = s->info.total_size, align = s->info.logical_sector;

	if (offset > total || length > total - offset)
		return cu_error_set(
		    err, CU_EUSAGE,
		    "--offset/--length: the range ends past the source's %llu bytes",
		    (unsigned long long)total);
	if (align && (offset % align || length % align))
		return cu_error_set(err, CU_EUSAGE,
		                    "--offset/--length: a device is read in whole sectors of %llu "
		                    "bytes",
		                    (unsigned long long)align);
	s->info.offset = offset;
	s->info.size = length ? length : total - offset;
	return CU_OK;
}

static int source_check_window(struct source *s, const struct source_options *o,
                               struct cu_error *err)
{
	return source_set_window(s, o->offset, o->length, err);
}

/* A USB bridge often hides the drive's identity from sysfs; ATA tells it. */
static void source_fill_identity(struct source_info *si)
{
	struct source_device_info *id = &si->identity;

	if (!si->ata.answered)
		return;
	if (!id->serial[0])
		snprintf(id->serial, sizeof(id->serial), "%s", si->ata.id.serial);
	if (!id->firmware[0])
		snprintf(id->firmware, sizeof(id->firmware), "%s", si->ata.id.firmware);
	if (!id->model[0] || !strcmp(id->vendor, "ATA"))
		snprintf(id->model, sizeof(id->model), "%s", si->ata.id.model);
}

static int source_examine(struct source *s, const struct source_options *o, struct cu_error *err)
{
	struct stat st;
	int rc;

	if (fstat(s->ctl, &st) != 0)
		return cu_error_errno(err, CU_EFAIL, errno, "cannot examine the source %s",
		                      s->path);
	if (S_ISREG(st.st_mode)) {
		s->info.total_size = (uint64_t)st.st_size;
		s->info.device = st.st_dev;
		s->info.inode = st.st_ino;
		posix_fadvise(s->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
		return source_check_window(s, o, err);
	}
	if (!S_ISBLK(st.st_mode))
		return cu_error_set(
		    err, CU_EUSAGE,
		    "the source %s is %s, neither a regular file nor a block device", s->path,
		    cu_file_kind(st.st_mode));
	s->info.is_device = true;
	s->info.device = st.st_rdev;
	source_device_info_read(&s->info.identity, st.st_rdev, o->sysfs ? o->sysfs : "/sys");
	ata_probe(s->ctl, &s->info.ata);
	source_fill_identity(&s->info);
	if ((rc = source_probe_device(s, err)) || (rc = source_check_window(s, o, err)))
		return rc;
	if (!o->no_write_block && (rc = source_write_block(s, err)))
		return rc;
	source_open_direct(s);
	return CU_OK;
}

/* Standard input is /dev/null: so it is when it was closed (custos.c opens it there). */
static bool stdin_is_null(const struct stat *in)
{
	struct stat null;

	return S_ISCHR(in->st_mode) && stat("/dev/null", &null) == 0 && S_ISCHR(null.st_mode) &&
	       in->st_rdev == null.st_rdev;
}

/*
 * Standard input (or the descriptor given): any readable stream, but not a
 * terminal, a directory or /dev/null.
 */
static int source_open_stream(struct source *s, int fd, struct cu_error *err)
{
	struct stat st;

	if (isatty(fd))
		return cu_error_set(err, CU_EUSAGE,
		                    "standard input is a terminal: pipe the stream in "
		                    "(ssh host dd if=/dev/sda | custos acquire - ...)");
	if (fstat(fd, &st) != 0 || S_ISDIR(st.st_mode))
		return cu_error_set(err, CU_EUSAGE, "standard input cannot be read as a stream");
	if (stdin_is_null(&st))
		return cu_error_set(err, CU_EUSAGE,
		                    "standard input is closed or /dev/null: there is no stream to "
		                    "image (ssh host dd if=/dev/sda | custos acquire - ...)");
	if ((s->ctl = fcntl(fd, F_DUPFD_CLOEXEC, 3)) < 0)
		return cu_error_errno(err, CU_EFAIL, errno, "cannot take standard input");
	s->fd = s->ctl;
	s->info.is_stream = true;
	s->info.device = st.st_dev;
	s->info.inode = st.st_ino;
	posix_fadvise(s->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	return CU_OK;
}

/* Waits until the stream has data, or a signal arrives (false). */
static bool stream_wait(struct source *s)
{
	struct pollfd p[2] = {{.fd = s->fd, .events = POLLIN},
	                      {.fd = s->cancel_fd ? *s->cancel_fd : -1, .events = POLLIN}};

	while (poll(p, 2, -1) < 0)
		if (errno != EINTR)
			return true; /* let the read tell what is wrong */
	return !(p[1].revents & POLLIN) || (p[0].revents & (POLLIN | POLLHUP));
}

/* Fills `buf` from the stream as far as it goes. */
static ssize_t stream_read(struct source *s, uint8_t *buf, size_t len, uint64_t offset, int *errnum,
                           struct cu_error *err)
{
	size_t got = 0;

	if (offset != s->stream_pos) {
		*errnum = ESPIPE;
		cu_error_set(err, CU_EFAIL, "a stream is read in order (byte %llu asked at %llu)",
		             (unsigned long long)offset, (unsigned long long)s->stream_pos);
		return -1;
	}
	while (got < len) {
		ssize_t n;

		if (!stream_wait(s)) {
			*errnum = EINTR;
			cu_error_set(err, CU_EFAIL, "interrupted while waiting for the stream");
			return -1;
		}
		n = read(s->fd, buf + got, len - got);
		if (n == 0)
			break;
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0) {
			*errnum = errno;
			cu_error_errno(err, CU_EFAIL, errno, "the stream failed after %llu bytes",
			               (unsigned long long)(s->stream_pos + got));
			return -1;
		}
		got += (size_t)n;
	}
	s->stream_pos += got;
	return (ssize_t)got;
}

int source_open(struct source **out, const struct source_options *o, struct cu_error *err)
{
	struct source *s = calloc(1, sizeof(*s));
	int rc;

	if (!s || !(s->path = strdup(o->path))) {
		free(s);
		return cu_error_set(err, CU_EFAIL, "out of memory");
	}
	s->info.path = s->path;
	s->info.identity.removable = -1;
	s->fd = -1;
	s->cancel_fd = o->cancel_fd;
	if (!strcmp(o->path, SOURCE_STREAM)) {
		if ((rc = source_open_stream(s, o->stream_fd, err))) {
			source_close(s);
			return rc;
		}
		*out = s;
		return CU_OK;
	}
	/* never blocking: a FIFO is refused, not waited on */
	s->ctl = open(o->path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (s->ctl < 0) {
		rc = cu_error_errno(err, errno == ENOENT ? CU_EUSAGE : CU_EFAIL, errno,
		                    "cannot open the source %s", o->path);
		source_close(s);
		return rc;
	}
	s->fd = s->ctl;
	if ((rc = source_examine(s, o, err))) {
		source_close(s);
		return rc;
	}
	if (fcntl(s->ctl, F_SETFL, fcntl(s->ctl, F_GETFL) & ~O_NONBLOCK) != 0) {
		rc = cu_error_errno(err, CU_EFAIL, errno, "cannot read the source %s", o->path);
		source_close(s);
		return rc;
	}
	*out = s;
	return CU_OK;
}

const char *source_type_name(const struct source_info *si)
{
	return si->is_stream ? "stream" : si->is_device ? "block_device" : "file";
}

const struct source_info *source_info(const struct source *s)
{
	return &s->info;
}

ssize_t source_read(struct source *s, void *buf, size_t len, uint64_t offset, int *errnum,
                    struct cu_error *err)
{
	ssize_t n;

	if (s->info.is_stream)
		return stream_read(s, buf, len, offset, errnum, err);
	if (offset >= s->info.size)
		return 0;
	if (len > s->info.size - offset)
		len = (size_t)(s->info.size - offset);
	do {
		n = pread(s->fd, buf, len, (off_t)(s->info.offset + offset));
		/* O_DIRECT refuses reads its alignment rules exclude: read those plainly */
		if (n < 0 && errno == EINVAL && s->fd != s->ctl)
			n = pread(s->ctl, buf, len, (off_t)(s->info.offset + offset));
	} while (n < 0 && errno == EINTR);
	if (n < 0) {
		*errnum = errno;
		cu_error_errno(err, CU_EFAIL, errno, "%s: read failed at byte %llu", s->path,
		               (unsigned long long)(s->info.offset + offset));
	}
	return n;
}

void source_close(struct source *s)
{
	int off = 0;

	if (!s)
		return;
	if (s->info.write_blocked && !s->ro_previous)
		ioctl(s->ctl, BLKROSET, &off);
	if (s->fd >= 0 && s->fd != s->ctl)
		close(s->fd);
	if (s->ctl >= 0)
		close(s->ctl);
	free(s->path);
	free(s);
}
