/*
 * rehash.c - second reads to prove digests: a source (or a window of it)
 * through the pipeline with no sink; a set of files, in order.
 */
#include "source/rehash.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "source/pipeline.h"
#include "lib/hash_files.h"

#define REHASH_CHUNK (64U * 1024)

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

/* A window digest for each algorithm `p` was set up with; none without `p`. */
static int windows_new(struct cu_hash_windows *w[CU_HASH_COUNT], const struct cu_piecewise *p,
                       struct cu_error *err)
{
	int rc;

	for (int a = 0; a < CU_HASH_COUNT; a++)
		if (p && p->window && p->have[a] &&
		    (rc = cu_hash_windows_new(&w[a], a, p->window, err)))
			return rc;
	return CU_OK;
}

static int windows_take(struct cu_hash_windows *w[CU_HASH_COUNT], struct source_rehash *r, int rc,
                        struct cu_error *err)
{
	bool any = false;

	for (int a = 0; a < CU_HASH_COUNT; a++) {
		if (w[a] && !rc)
			rc = cu_hash_windows_take(w[a], r->windows, err);
		any |= w[a] != NULL;
		cu_hash_windows_free(w[a]);
	}
	r->windowed = any && !rc;
	return rc;
}

int source_rehash(struct source_rehash *r, struct cu_digests *out, struct cu_error *err)
{
	struct cu_hash *h[CU_HASH_COUNT];
	struct cu_digests unused;
	struct source *src = NULL;
	struct source_pipeline_io io;
	int rc = hashes_new(h, r->want, err);

	if (!rc)
		rc = source_open(&src, r->source, err);
	if (!rc)
		r->size = source_info(src)->size;
	if (!rc && (!r->media_size || r->size <= r->media_size)) {
		memset(&io, 0, sizeof(io));
		io.source = src;
		io.source_size = r->size;
		io.media_size = r->media_size ? r->media_size : r->size;
		io.chunk_size = REHASH_CHUNK;
		io.threads = r->threads;
		io.cancel_fd = r->cancel_fd;
		io.source_exact = &unused;
		memcpy(io.hash, h, sizeof(io.hash));
		if (!(rc = windows_new(io.windows, r->windows, err)))
			rc = source_pipeline_run(&io, err);
		rc = windows_take(io.windows, r, rc, err);
	} else if (!rc) {
		for (int a = 0; a < CU_HASH_COUNT; a++) { /* larger than the media: no digests */
			cu_hash_free(h[a]);
			h[a] = NULL;
		}
	}
	source_close(src);
	return hashes_finish(h, out, rc, err);
}

int source_rehash_files(const struct cu_file_set *files, const bool want[CU_HASH_COUNT],
                        struct cu_digests *out, struct cu_error *err)
{
	size_t n = cu_file_set_count(files);
	const char **paths = calloc(n ? n : 1, sizeof(*paths));
	int rc;

	if (!paths)
		return cu_error_set(err, CU_EFAIL, "out of memory");
	for (size_t i = 0; i < n; i++)
		paths[i] = cu_file_set_path(files, i);
	rc = cu_hash_files(paths, n, want, out, err);
	free(paths);
	return rc;
}
