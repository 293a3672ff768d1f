/*
 * output.c - buffered, aligned, direct writing of one output file, with
 * the writing and the file's SHA-256 on a thread of their own.
 *
 * The caller fills a buffer holding bytes [offset - len, offset) of the
 * file.  When it is full, its front (up to the held region, in multiples of
 * ALIGN while O_DIRECT is on) goes to the I/O thread through a lib/queue.h
 * queue, and the rest moves to the second buffer, which the caller goes on
 * filling.  The I/O thread hashes what it receives, in order, and writes it;
 * at most one buffer is with it at a time, so waiting for it (before a
 * patch of written bytes, a sync, or the seal) means taking that buffer
 * back.  Sealing writes the unaligned tail with O_DIRECT turned off.  Where
 * the file system refuses O_DIRECT, all of it is plain buffered writing.
 */
#include "lib/output.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/hash.h"
#include "lib/queue.h"

#define OUTPUT_BUFFER (2 * CU_OUTPUT_HOLD_MAX)
#define ALIGN         4096U

struct io_job {
	uint8_t *data;
	size_t len;
	uint64_t at;
};

struct cu_output {
	int fd;
	bool direct;
	bool device;
	char *path;
	uint8_t *buf;   /* the buffer being filled */
	uint8_t *spare; /* the other one, NULL while the I/O thread has it */
	size_t len;
	uint64_t offset;
	uint64_t hold;       /* bytes from here stay buffered */
	struct cu_hash *sha; /* of the bytes written out, in order (by the I/O thread) */
	bool sha_valid;
	struct io_job job; /* the one handed to the I/O thread */
	struct cu_queue *to_io, *back;
	pthread_t io;
	bool io_started;
	int io_rc; /* the I/O thread's first failure */
	struct cu_error io_err;
};

/* Writes `len` bytes at file offset `at`. */
static int output_write_all(struct cu_output *o, const uint8_t *p, size_t len, uint64_t at,
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

static void *io_main(void *arg)
{
	struct cu_output *o = arg;
	struct io_job *job;

	while ((job = cu_queue_pop(o->to_io))) {
		if (!o->io_rc) {
			o->io_rc = output_write_all(o, job->data, job->len, job->at, &o->io_err);
			if (o->sha_valid &&
			    (!o->sha || cu_hash_update(o->sha, job->data, job->len, NULL)))
				o->sha_valid = false;
		}
		cu_queue_push(o->back, job->data);
	}
	return NULL;
}

/* Takes back the buffer the I/O thread has, if any; reports its failure. */
static int output_wait(struct cu_output *o, struct cu_error *err)
{
	if (!o->spare)
		o->spare = cu_queue_pop(o->back);
	if (o->io_rc) {
		if (err)
			*err = o->io_err;
		return o->io_rc;
	}
	return CU_OK;
}

static int output_set_direct(struct cu_output *o, bool on)
{
	int flags = fcntl(o->fd, F_GETFL);

	if (flags < 0 || fcntl(o->fd, F_SETFL, on ? flags | O_DIRECT : flags & ~O_DIRECT) < 0)
		return -1;
	o->direct = on;
	return 0;
}

static struct cu_output *output_new(const char *path)
{
	struct cu_output *o = calloc(1, sizeof(*o));

	if (!o)
		return NULL;
	o->fd = -1;
	o->hold = UINT64_MAX;
	o->sha_valid = cu_hash_new(&o->sha, CU_HASH_SHA256, NULL) == CU_OK;
	o->path = strdup(path);
	if (!o->path || posix_memalign((void **)&o->buf, ALIGN, OUTPUT_BUFFER) ||
	    posix_memalign((void **)&o->spare, ALIGN, OUTPUT_BUFFER) ||
	    cu_queue_new(&o->to_io, 1, NULL) || cu_queue_new(&o->back, 1, NULL)) {
		cu_output_discard(o);
		return NULL;
	}
	if (pthread_create(&o->io, NULL, io_main, o) != 0) {
		cu_output_discard(o);
		return NULL;
	}
	o->io_started = true;
	return o;
}

static int output_open(struct cu_output **out, const char *path, int flags, bool device,
                       struct cu_error *err)
{
	struct cu_output *o = output_new(path);
	int e;

	if (!o)
		return cu_error_set(err, CU_EFAIL, "out of memory");
	o->device = device;
	o->fd = open(path, flags | O_CLOEXEC, 0644);
	if (o->fd < 0) {
		e = errno;
		cu_output_discard(o);
		return cu_error_errno(err, e == EEXIST || e == EBUSY ? CU_EUSAGE : CU_EFAIL, e,
		                      device ? "cannot open %s for writing" : "cannot create %s",
		                      path);
	}
	output_set_direct(o, true); /* where refused, writing stays buffered */
	*out = o;
	return CU_OK;
}

int cu_output_create(struct cu_output **out, const char *path, struct cu_error *err)
{
	return output_open(out, path, O_WRONLY | O_CREAT | O_EXCL, false, err);
}

int cu_output_open_device(struct cu_output **out, const char *path, struct cu_error *err)
{
	return output_open(out, path, O_WRONLY | O_EXCL, true, err);
}

/*
 * Hands the front of the buffer, up to the held region, to the I/O thread
 * and goes on in the other buffer.  Should the held region fill the buffer,
 * it goes too, and the file's digest is left to be read back.
 */
static int output_flush(struct cu_output *o, struct cu_error *err)
{
	uint64_t start = o->offset - o->len;
	size_t n = o->len;
	bool forced = false;
	uint8_t *next;
	int rc;

	if (o->hold < o->offset)
		n = o->hold > start ? (size_t)(o->hold - start) : 0;
	if (o->direct)
		n &= ~(size_t)(ALIGN - 1);
	if (n == 0 && o->len == OUTPUT_BUFFER) {
		n = o->direct ? o->len & ~(size_t)(ALIGN - 1) : o->len;
		forced = true;
	}
	if (n == 0)
		return CU_OK;
	if ((rc = output_wait(o, err)))
		return rc;
	if (forced) /* only now: the I/O thread reads it while it has a buffer */
		o->sha_valid = false;
	next = o->spare;
	o->spare = NULL;
	memcpy(next, o->buf + n, o->len - n);
	o->job = (struct io_job){o->buf, n, start};
	o->buf = next;
	o->len -= n;
	if (!cu_queue_push(o->to_io, &o->job))
		return cu_error_set(err, CU_EFAIL, "%s: the writing thread is gone", o->path);
	return CU_OK;
}

int cu_output_write(struct cu_output *o, const void *data, size_t len, struct cu_error *err)
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

int cu_output_patch(struct cu_output *o, uint64_t offset, const void *data, size_t len,
                    struct cu_error *err)
{
	uint64_t buffered = o->offset - o->len;
	bool was_direct = o->direct;
	ssize_t n;
	int rc;

	if (offset >= buffered) {
		memcpy(o->buf + (offset - buffered), data, len);
		return CU_OK;
	}
	if ((rc = output_wait(o, err)))
		return rc;
	o->sha_valid = false; /* bytes already hashed change */
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

uint64_t cu_output_offset(const struct cu_output *o)
{
	return o->offset;
}

void cu_output_hold(struct cu_output *o, uint64_t offset)
{
	o->hold = offset;
}

void cu_output_release(struct cu_output *o)
{
	o->hold = UINT64_MAX;
}

int cu_output_sync(struct cu_output *o, struct cu_error *err)
{
	bool was_direct = o->direct;
	int rc = output_flush(o, err);

	if (!rc)
		rc = output_wait(o, err);
	/* the rest goes out plainly and stays in the buffer, so that the next
	   flush writes it again in place */
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

int cu_output_reopen(struct cu_output **out, const char *path, uint64_t length,
                     struct cu_error *err)
{
	struct cu_output *o;
	uint64_t aligned = length / ALIGN * ALIGN;
	int rc = output_open(out, path, O_RDWR | O_NOFOLLOW, false, err);
	ssize_t n;

	if (rc)
		return rc;
	o = *out;
	if (ftruncate(o->fd, (off_t)length) != 0) {
		rc = cu_error_errno(err, CU_EFAIL, errno, "%s: cannot cut it back", path);
		cu_output_discard(o);
		return rc;
	}
	/* the bytes since the last aligned offset return to the buffer */
	output_set_direct(o, false);
	n = pread(o->fd, o->buf, (size_t)(length - aligned), (off_t)aligned);
	output_set_direct(o, true);
	if (n != (ssize_t)(length - aligned)) {
		rc = cu_error_errno(err, CU_EFAIL, n < 0 ? errno : EIO, "%s: cannot read it back",
		                    path);
		cu_output_discard(o);
		return rc;
	}
	o->len = (size_t)(length - aligned);
	o->offset = length;
	o->sha_valid = false; /* what was written before is not hashed here */
	return CU_OK;
}

void cu_output_discard(struct cu_output *o)
{
	if (!o)
		return;
	if (o->io_started) {
		cu_queue_close(o->to_io);
		pthread_join(o->io, NULL);
		if (!o->spare)
			o->spare = cu_queue_pop(o->back);
	}
	cu_queue_free(o->to_io);
	cu_queue_free(o->back);
	if (o->fd >= 0)
		close(o->fd);
	cu_hash_free(o->sha);
	free(o->buf);
	free(o->spare);
	free(o->path);
	free(o);
}

int cu_output_seal(struct cu_output *o, uint8_t sha256[32], bool *have, struct cu_error *err)
{
	struct cu_digests d = {0};
	int rc;

	o->hold = UINT64_MAX;
	rc = output_flush(o, err);
	if (!rc)
		rc = output_wait(o, err);
	if (!rc && o->direct && output_set_direct(o, false))
		rc = cu_error_errno(err, CU_EFAIL, errno, "%s: cannot leave direct I/O", o->path);
	if (!rc && o->len) { /* the unaligned tail, plainly */
		rc = output_write_all(o, o->buf, o->len, o->offset - o->len, err);
		if (!rc && o->sha_valid && cu_hash_update(o->sha, o->buf, o->len, NULL))
			o->sha_valid = false;
	}
	if (!rc && fsync(o->fd) != 0)
		rc = cu_error_errno(err, CU_EFAIL, errno, "%s: sync failed", o->path);
	if (!rc && !o->device && fchmod(o->fd, 0444) != 0)
		rc = cu_error_errno(err, CU_EFAIL, errno, "%s: cannot make it read-only", o->path);
	if (close(o->fd) != 0 && !rc)
		rc = cu_error_errno(err, CU_EFAIL, errno, "%s: close failed", o->path);
	o->fd = -1;
	if (have)
		*have = !rc && o->sha_valid && cu_hash_final(o->sha, &d, NULL) == CU_OK;
	if (have && *have && sha256)
		memcpy(sha256, d.sha256, 32);
	cu_output_discard(o);
	return rc;
}

/* Opens the sealed file for writing, the same file as `ro`. */
static int patch_open(const char *path, int ro, const struct stat *st, int *wfd,
                      struct cu_error *err)
{
	struct stat again;

	if (fchmod(ro, 0600) != 0)
		return cu_error_errno(err, CU_EFAIL, errno, "%s: cannot make it writable", path);
	*wfd = open(path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
	if (*wfd < 0)
		return cu_error_errno(err, CU_EFAIL, errno, "%s: cannot open it to complete it",
		                      path);
	if (fstat(*wfd, &again) != 0 || again.st_dev != st->st_dev || again.st_ino != st->st_ino)
		return cu_error_set(err, CU_EFAIL, "%s was replaced while it was written", path);
	return CU_OK;
}

int cu_output_patch_sealed(const char *path, uint64_t offset, const void *data, size_t len,
                           struct cu_error *err)
{
	int ro = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC), wfd = -1, rc;
	struct stat st;

	if (ro < 0)
		return cu_error_errno(err, CU_EFAIL, errno, "%s: cannot open it to complete it",
		                      path);
	if (fstat(ro, &st) != 0 || !S_ISREG(st.st_mode) || offset + len > (uint64_t)st.st_size)
		rc = cu_error_set(err, CU_EFAIL, "%s is not the file written", path);
	else
		rc = patch_open(path, ro, &st, &wfd, err);
	if (!rc && pwrite(wfd, data, len, (off_t)offset) != (ssize_t)len)
		rc = cu_error_errno(err, CU_EFAIL, errno, "%s: cannot complete it", path);
	if (!rc && fsync(wfd) != 0)
		rc = cu_error_errno(err, CU_EFAIL, errno, "%s: sync failed", path);
	if (fchmod(ro, 0444) != 0 && !rc)
		rc = cu_error_errno(err, CU_EFAIL, errno, "%s: cannot make it read-only", path);
	if (wfd >= 0)
		close(wfd);
	close(ro);
	return rc;
}
