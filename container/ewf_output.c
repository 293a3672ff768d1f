/*
 * ewf_output.c - buffered, aligned, direct writing of one segment file.
 *
 * Invariant: the buffer holds bytes [offset - len, offset) of the file and,
 * while O_DIRECT is on, its file offset is a multiple of ALIGN, because only
 * whole multiples of ALIGN are ever flushed from its front; the remainder
 * moves to the front.  Sealing writes the unaligned tail with O_DIRECT
 * turned off.  Where the file system refuses O_DIRECT, all of it is plain
 * buffered writing.
 */
#include "container/ewf_output.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define OUTPUT_BUFFER (4U << 20)
#define ALIGN         4096U

struct ewf_output {
	int fd;
	bool direct;
	bool device;
	char *path;
	uint8_t *buf;
	size_t len;
	uint64_t offset;
};

/* Writes `len` bytes at file offset `at` (the buffer's start, for flushes). */
static int output_write_all(struct ewf_output *o, const uint8_t *p, size_t len, uint64_t at,
                            struct cu_error *err)
{
	while (len > 0) {
		ssize_t n = pwrite(o->fd, p, len, (off_t)at);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == ENOSPC)
			return cu_error_set(err, CU_EFAIL, "%s: the target disk is full", o->path);
		if (n < 0)
			return cu_error_errno(err, CU_EFAIL, errno, "%s: write failed", o->path);
		p += n;
		at += (uint64_t)n;
		len -= (size_t)n;
	}
	return CU_OK;
}

static int output_set_direct(struct ewf_output *o, bool on)
{
	int flags = fcntl(o->fd, F_GETFL);

	if (flags < 0 || fcntl(o->fd, F_SETFL, on ? flags | O_DIRECT : flags & ~O_DIRECT) < 0)
		return -1;
	o->direct = on;
	return 0;
}

static struct ewf_output *output_new(const char *path)
{
	struct ewf_output *o = calloc(1, sizeof(*o));

	if (!o)
		return NULL;
	o->fd = -1;
	o->path = strdup(path);
	if (!o->path || posix_memalign((void **)&o->buf, ALIGN, OUTPUT_BUFFER)) {
		free(o->path);
		free(o);
		return NULL;
	}
	return o;
}

static int output_open(struct ewf_output **out, const char *path, int flags, bool device,
                       struct cu_error *err)
{
	struct ewf_output *o = output_new(path);
	int e;

	if (!o)
		return cu_error_set(err, CU_EFAIL, "out of memory");
	o->device = device;
	o->fd = open(path, flags | O_CLOEXEC, 0644);
	if (o->fd < 0) {
		e = errno;
		ewf_output_discard(o);
		return cu_error_errno(err, e == EEXIST || e == EBUSY ? CU_EUSAGE : CU_EFAIL, e,
		                      device ? "cannot open %s for writing" : "cannot create %s",
		                      path);
	}
	output_set_direct(o, true); /* where refused, writing stays buffered */
	*out = o;
	return CU_OK;
}

int ewf_output_create(struct ewf_output **out, const char *path, struct cu_error *err)
{
	return output_open(out, path, O_WRONLY | O_CREAT | O_EXCL, false, err);
}

int ewf_output_open_device(struct ewf_output **out, const char *path, struct cu_error *err)
{
	return output_open(out, path, O_WRONLY | O_EXCL, true, err);
}

/* Writes the front of the buffer: aligned multiples with O_DIRECT, all otherwise. */
static int output_flush(struct ewf_output *o, struct cu_error *err)
{
	size_t n = o->direct ? o->len & ~(size_t)(ALIGN - 1) : o->len;
	int rc;

	if (n == 0)
		return CU_OK;
	if ((rc = output_write_all(o, o->buf, n, o->offset - o->len, err)))
		return rc;
	memmove(o->buf, o->buf + n, o->len - n);
	o->len -= n;
	return CU_OK;
}

int ewf_output_write(struct ewf_output *o, const void *data, size_t len, struct cu_error *err)
{
	const uint8_t *p = data;
	int rc;

	while (len > 0) {
		size_t take = OUTPUT_BUFFER - o->len < len ? OUTPUT_BUFFER - o->len : len;

		memcpy(o->buf + o->len, p, take);
		o->len += take;
		o->offset += take;
		p += take;
		len -= take;
		if (o->len == OUTPUT_BUFFER && (rc = output_flush(o, err)))
			return rc;
	}
	return CU_OK;
}

int ewf_output_patch(struct ewf_output *o, uint64_t offset, const void *data, size_t len,
                     struct cu_error *err)
{
	uint64_t buffered = o->offset - o->len;
	bool was_direct = o->direct;
	ssize_t n;

	if (offset >= buffered) {
		memcpy(o->buf + (offset - buffered), data, len);
		return CU_OK;
	}
	if (was_direct && output_set_direct(o, false))
		return cu_error_errno(err, CU_EFAIL, errno, "%s: cannot leave direct I/O", o->path);
	n = pwrite(o->fd, data, len, (off_t)offset);
	if (was_direct)
		output_set_direct(o, true);
	if (n != (ssize_t)len)
		return cu_error_errno(err, CU_EFAIL, n < 0 ? errno : EIO, "%s: write failed",
		                      o->path);
	return CU_OK;
}

uint64_t ewf_output_offset(const struct ewf_output *o)
{
	return o->offset;
}

void ewf_output_discard(struct ewf_output *o)
{
	if (!o)
		return;
	if (o->fd >= 0)
		close(o->fd);
	free(o->buf);
	free(o->path);
	free(o);
}

int ewf_output_sync(struct ewf_output *o, struct cu_error *err)
{
	bool was_direct = o->direct;
	int rc = output_flush(o, err);

	/* the unaligned rest goes out plainly and stays in the buffer, so that the
	   next aligned flush writes it again in place */
	if (!rc && o->len) {
		if (was_direct && output_set_direct(o, false))
			return cu_error_errno(err, CU_EFAIL, errno, "%s: cannot leave direct I/O",
			                      o->path);
		rc = output_write_all(o, o->buf, o->len, o->offset - o->len, err);
		if (was_direct)
			output_set_direct(o, true);
	}
	if (!rc && fdatasync(o->fd) != 0)
		rc = cu_error_errno(err, CU_EFAIL, errno, "%s: sync failed", o->path);
	return rc;
}

int ewf_output_reopen(struct ewf_output **out, const char *path, uint64_t length,
                      struct cu_error *err)
{
	struct ewf_output *o;
	uint64_t aligned = length / ALIGN * ALIGN;
	int rc = output_open(out, path, O_RDWR, false, err);
	ssize_t n;

	if (rc)
		return rc;
	o = *out;
	if (ftruncate(o->fd, (off_t)length) != 0) {
		rc = cu_error_errno(err, CU_EFAIL, errno, "%s: cannot cut it back", path);
		ewf_output_discard(o);
		return rc;
	}
	/* the bytes since the last aligned offset return to the buffer */
	output_set_direct(o, false);
	n = pread(o->fd, o->buf, (size_t)(length - aligned), (off_t)aligned);
	output_set_direct(o, true);
	if (n != (ssize_t)(length - aligned)) {
		rc = cu_error_errno(err, CU_EFAIL, n < 0 ? errno : EIO, "%s: cannot read it back",
		                    path);
		ewf_output_discard(o);
		return rc;
	}
	o->len = (size_t)(length - aligned);
	o->offset = length;
	return CU_OK;
}

int ewf_output_seal(struct ewf_output *o, struct cu_error *err)
{
	int rc = output_flush(o, err);

	if (!rc && o->direct && output_set_direct(o, false))
		rc = cu_error_errno(err, CU_EFAIL, errno, "%s: cannot leave direct I/O", o->path);
	if (!rc)
		rc = output_flush(o, err);
	if (!rc && fsync(o->fd) != 0)
		rc = cu_error_errno(err, CU_EFAIL, errno, "%s: sync failed", o->path);
	if (!rc && !o->device && fchmod(o->fd, 0444) != 0)
		rc = cu_error_errno(err, CU_EFAIL, errno, "%s: cannot make it read-only", o->path);
	if (close(o->fd) != 0 && !rc)
		rc = cu_error_errno(err, CU_EFAIL, errno, "%s: close failed", o->path);
	o->fd = -1;
	free(o->buf);
	free(o->path);
	free(o);
	return rc;
}
