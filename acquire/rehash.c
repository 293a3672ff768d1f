/*
 * rehash.c - second reads for verification.
 */
#include "acquire/rehash.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "acquire/pipeline.h"

#define REHASH_BUFFER (1U << 20)
#define REHASH_CHUNK  (64U * 1024)

static int hashes_new(struct cu_hash *h[CU_HASH_COUNT], const bool want[CU_HASH_COUNT],
                      struct cu_error *err)
{
	int rc;

	memset(h, 0, sizeof(struct cu_hash *) * CU_HASH_COUNT);
	for (int a = 0; a < CU_HASH_COUNT; a++)
		if (want[a] && (rc = cu_hash_new(&h[a], a, err)))
			return rc;
	return CU_OK;
}

static int hashes_finish(struct cu_hash *h[CU_HASH_COUNT], struct cu_digests *out, int rc,
                         struct cu_error *err)
{
	memset(out, 0, sizeof(*out));
	for (int a = 0; a < CU_HASH_COUNT; a++) {
		if (h[a] && !rc)
			rc = cu_hash_final(h[a], out, err);
		cu_hash_free(h[a]);
	}
	return rc;
}

int acq_rehash_source(const struct acq_source_options *so, const bool want[CU_HASH_COUNT],
                      unsigned threads, const int *cancel_fd, struct cu_digests *out,
                      struct cu_error *err)
{
	struct cu_hash *h[CU_HASH_COUNT];
	struct cu_digests unused;
	struct acq_source *src = NULL;
	struct acq_pipeline_io io;
	int rc = hashes_new(h, want, err);

	if (!rc)
		rc = acq_source_open(&src, so, err);
	if (!rc) {
		memset(&io, 0, sizeof(io));
		io.source = src;
		io.source_size = io.media_size = acq_source_info(src)->size;
		io.chunk_size = REHASH_CHUNK;
		io.threads = threads;
		io.cancel_fd = cancel_fd;
		io.source_exact = &unused;
		memcpy(io.hash, h, sizeof(io.hash));
		rc = acq_pipeline_run(&io, err);
	}
	acq_source_close(src);
	return hashes_finish(h, out, rc, err);
}

int acq_rehash_as_media(const char *path, uint64_t media_size, const bool want[CU_HASH_COUNT],
                        struct cu_digests *out, uint64_t *size, struct cu_error *err)
{
	struct acq_source_options so = {.path = path};
	struct cu_hash *h[CU_HASH_COUNT];
	struct cu_digests unused;
	struct acq_source *src = NULL;
	struct acq_pipeline_io io;
	int rc = hashes_new(h, want, err);

	if (!rc)
		rc = acq_source_open(&src, &so, err);
	if (!rc) {
		*size = acq_source_info(src)->size;
		if (*size > media_size || media_size - *size >= 65536)
			rc = cu_error_set(err, CU_EFAIL,
			                  "the source %s holds %llu bytes, the evidence %llu: not "
			                  "what was imaged",
			                  path, (unsigned long long)*size,
			                  (unsigned long long)media_size);
	}
	if (!rc) {
		memset(&io, 0, sizeof(io));
		io.source = src;
		io.source_size = *size;
		io.media_size = media_size;
		io.chunk_size = REHASH_CHUNK;
		io.source_exact = &unused;
		memcpy(io.hash, h, sizeof(io.hash));
		rc = acq_pipeline_run(&io, err);
	}
	acq_source_close(src);
	return hashes_finish(h, out, rc, err);
}

static int rehash_file(const char *path, struct cu_hash *h[CU_HASH_COUNT], uint8_t *buf,
                       struct cu_error *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int rc = CU_OK;
	ssize_t n;

	if (fd < 0)
		return cu_error_errno(err, CU_EFAIL, errno, "cannot open %s again", path);
	posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	while (!rc && (n = read(fd, buf, REHASH_BUFFER)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = cu_error_errno(err, CU_EFAIL, errno, "%s: read failed", path);
			break;
		}
		for (int a = 0; a < CU_HASH_COUNT && !rc; a++)
			if (h[a])
				rc = cu_hash_update(h[a], buf, (size_t)n, err);
	}
	close(fd);
	return rc;
}

int acq_rehash_files(const struct cu_file_set *files, const bool want[CU_HASH_COUNT],
                     struct cu_digests *out, struct cu_error *err)
{
	struct cu_hash *h[CU_HASH_COUNT];
	uint8_t *buf = malloc(REHASH_BUFFER);
	int rc = buf ? hashes_new(h, want, err) : cu_error_set(err, CU_EFAIL, "out of memory");

	if (!buf)
		return rc;
	for (size_t i = 0; i < cu_file_set_count(files) && !rc; i++)
		rc = rehash_file(cu_file_set_path(files, i), h, buf, err);
	free(buf);
	return hashes_finish(h, out, rc, err);
}
