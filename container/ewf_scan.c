/*
 * ewf_scan.c - parallel readers, ordered digests.
 *
 * A reader takes a free block first and only then claims the next block
 * index, so the lowest unfinished block always has a buffer and the reorder
 * window can never wait on itself.  Blocks return to the free queue when
 * every digest thread is done with them.  Every hand-off goes through
 * lib/queue.h.
 */
#include "container/ewf_scan.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/queue.h"

#define SCAN_BLOCK       (4U << 20)
#define SCAN_READERS_MAX 16U

struct scan_block {
	uint64_t index;
	size_t len;
	uint8_t *buf;
	struct cu_ranges damaged;
	atomic_int refs;
};

struct scan;

struct scan_reader {
	struct scan *s;
	struct ewf_reader *r;
	pthread_t thread;
	bool started;
};

struct scan_hasher {
	struct scan *s;
	enum cu_hash_alg alg;
	struct cu_hash *h;
	pthread_t thread;
	bool started;
};

struct scan {
	uint64_t media_size, block_bytes, blocks;
	size_t n_blocks;
	struct scan_block *pool;
	struct cu_queue *free_q, *done_q, *hash_q[CU_HASH_COUNT];
	atomic_uint_fast64_t next;
	int n_hashes;
	pthread_mutex_t fail_lock;
	atomic_bool failed;
	struct cu_error err;
};

static void scan_fail(struct scan *s, const struct cu_error *err)
{
	pthread_mutex_lock(&s->fail_lock);
	if (!atomic_load(&s->failed)) {
		s->err = *err;
		atomic_store(&s->failed, true);
	}
	pthread_mutex_unlock(&s->fail_lock);
	cu_queue_close(s->done_q); /* the caller stops waiting */
}

static void scan_release(struct scan *s, struct scan_block *b)
{
	if (atomic_fetch_sub(&b->refs, 1) == 1)
		cu_queue_push(s->free_q, b);
}

static void *reader_main(void *arg)
{
	struct scan_reader *rd = arg;
	struct scan *s = rd->s;
	struct scan_block *b;
	struct cu_error err;

	while ((b = cu_queue_pop(s->free_q))) {
		uint64_t i = atomic_fetch_add(&s->next, 1), off = i * s->block_bytes;

		if (i >= s->blocks || atomic_load(&s->failed)) {
			cu_queue_push(s->free_q, b);
			break;
		}
		b->index = i;
		b->len = s->media_size - off < s->block_bytes ? (size_t)(s->media_size - off)
		                                              : (size_t)s->block_bytes;
		cu_ranges_clear(&b->damaged);
		if (ewf_reader_read_marking(rd->r, b->buf, b->len, off, &b->damaged, &err)) {
			scan_fail(s, &err);
			cu_queue_push(s->free_q, b);
			break;
		}
		if (!cu_queue_push(s->done_q, b)) {
			cu_queue_push(s->free_q, b);
			break;
		}
	}
	return NULL;
}

static void *hasher_main(void *arg)
{
	struct scan_hasher *hs = arg;
	struct scan *s = hs->s;
	struct scan_block *b;
	struct cu_error err;

	while ((b = cu_queue_pop(s->hash_q[hs->alg]))) {
		if (!atomic_load(&s->failed) && cu_hash_update(hs->h, b->buf, b->len, &err))
			scan_fail(s, &err);
		scan_release(s, b);
	}
	return NULL;
}

/* The calling thread: blocks back in order, to the sink and the digests. */
static int scan_sequence(struct scan *s, ewf_media_sink sink, void *ctx,
                         struct ewf_scan_result *out, struct cu_error *err)
{
	struct scan_block **window = calloc(s->n_blocks, sizeof(*window));
	uint64_t next = 0;
	int rc = window ? CU_OK : cu_error_set(err, CU_EFAIL, "out of memory");

	while (!rc && next < s->blocks) {
		struct scan_block *b = cu_queue_pop(s->done_q);

		if (!b)
			break; /* a reader failed */
		window[b->index % s->n_blocks] = b;
		while (!rc && (b = window[next % s->n_blocks]) && b->index == next) {
			window[next % s->n_blocks] = NULL;
			for (size_t i = 0; i < b->damaged.n && !rc; i++)
				rc = cu_ranges_add(&out->damaged, b->damaged.v[i].first,
				                   b->damaged.v[i].count, err);
			if (!rc && sink)
				rc = sink(ctx, b->buf, b->len, err);
			atomic_store(&b->refs, s->n_hashes ? s->n_hashes : 1);
			for (int a = 0; a < CU_HASH_COUNT && s->n_hashes; a++)
				if (s->hash_q[a])
					cu_queue_push(s->hash_q[a], b);
			if (!s->n_hashes)
				scan_release(s, b);
			next++;
		}
	}
	free(window);
	return rc;
}

static int scan_setup(struct scan *s, uint64_t chunk_size, unsigned readers, struct cu_error *err)
{
	int rc;

	s->block_bytes = SCAN_BLOCK / chunk_size * chunk_size;
	if (s->block_bytes == 0)
		s->block_bytes = chunk_size;
	s->blocks = (s->media_size + s->block_bytes - 1) / s->block_bytes;
	s->n_blocks = 2 * (size_t)readers + 4;
	if ((rc = cu_queue_new(&s->free_q, s->n_blocks, err)) ||
	    (rc = cu_queue_new(&s->done_q, s->n_blocks, err)))
		return rc;
	s->pool = calloc(s->n_blocks, sizeof(*s->pool));
	if (!s->pool)
		return cu_error_set(err, CU_EFAIL, "out of memory");
	for (size_t i = 0; i < s->n_blocks; i++) {
		if (!(s->pool[i].buf = malloc(s->block_bytes)))
			return cu_error_set(err, CU_EFAIL, "out of memory");
		cu_queue_push(s->free_q, &s->pool[i]);
	}
	return CU_OK;
}

static void scan_teardown(struct scan *s)
{
	for (size_t i = 0; s->pool && i < s->n_blocks; i++) {
		free(s->pool[i].buf);
		cu_ranges_free(&s->pool[i].damaged);
	}
	free(s->pool);
	cu_queue_free(s->free_q);
	cu_queue_free(s->done_q);
	for (int a = 0; a < CU_HASH_COUNT; a++)
		cu_queue_free(s->hash_q[a]);
	pthread_mutex_destroy(&s->fail_lock);
}

static unsigned scan_readers(unsigned readers)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	if (readers == 0)
		readers = cpus > 0 ? (unsigned)cpus : 1;
	return readers > SCAN_READERS_MAX ? SCAN_READERS_MAX : readers;
}

static int scan_start(struct scan *s, const char *path, struct scan_reader *rd, unsigned n,
                      struct scan_hasher *hs, const bool want[CU_HASH_COUNT], struct cu_error *err)
{
	int rc;

	for (int a = 0; a < CU_HASH_COUNT; a++) {
		hs[a] = (struct scan_hasher){.s = s, .alg = a};
		if (!want[a])
			continue;
		if ((rc = cu_hash_new(&hs[a].h, a, err)) ||
		    (rc = cu_queue_new(&s->hash_q[a], s->n_blocks, err)))
			return rc;
		if (pthread_create(&hs[a].thread, NULL, hasher_main, &hs[a]))
			return cu_error_set(err, CU_EFAIL, "cannot start a digest thread");
		hs[a].started = true;
		s->n_hashes++;
	}
	for (unsigned i = 0; i < n; i++) {
		rd[i].s = s;
		if ((rc = ewf_reader_open(&rd[i].r, path, err)))
			return rc;
		if (pthread_create(&rd[i].thread, NULL, reader_main, &rd[i]))
			return cu_error_set(err, CU_EFAIL, "cannot start a reader thread");
		rd[i].started = true;
	}
	return CU_OK;
}

/* Stops every thread; gathers digests, checksum errors and the first failure. */
static int scan_finish(struct scan *s, struct scan_reader *rd, unsigned n, struct scan_hasher *hs,
                       struct ewf_scan_result *out, int rc, struct cu_error *err)
{
	cu_queue_close(s->free_q);
	cu_queue_close(s->done_q);
	for (unsigned i = 0; i < n; i++)
		if (rd[i].started)
			pthread_join(rd[i].thread, NULL);
	for (int a = 0; a < CU_HASH_COUNT; a++) {
		if (s->hash_q[a])
			cu_queue_close(s->hash_q[a]);
		if (hs[a].started)
			pthread_join(hs[a].thread, NULL);
	}
	if (!rc && atomic_load(&s->failed)) {
		*err = s->err;
		rc = s->err.code ? s->err.code : CU_EFAIL;
	}
	for (int a = 0; a < CU_HASH_COUNT; a++) {
		if (hs[a].h && !rc)
			rc = cu_hash_final(hs[a].h, &out->computed, err);
		cu_hash_free(hs[a].h);
	}
	for (unsigned i = 0; i < n; i++) {
		if (!rd[i].r)
			continue;
		if (!rc)
			rc = ewf_reader_add_checksum_errors(rd[i].r, &out->damaged, err);
		if (!out->failure[0])
			snprintf(out->failure, sizeof(out->failure), "%s",
			         ewf_reader_failure(rd[i].r));
		ewf_reader_close(rd[i].r);
	}
	return rc;
}

int ewf_scan(const char *path, unsigned readers, const bool want[CU_HASH_COUNT],
             ewf_media_sink sink, void *ctx, struct ewf_scan_result *out, struct cu_error *err)
{
	struct scan s;
	struct scan_reader rd[SCAN_READERS_MAX];
	struct scan_hasher hs[CU_HASH_COUNT];
	struct ewf_reader *probe;
	unsigned n = scan_readers(readers);
	int rc;

	memset(&s, 0, sizeof(s));
	memset(rd, 0, sizeof(rd));
	memset(hs, 0, sizeof(hs));
	memset(out, 0, sizeof(*out));
	pthread_mutex_init(&s.fail_lock, NULL);
	if ((rc = ewf_reader_open(&probe, path, err))) {
		pthread_mutex_destroy(&s.fail_lock);
		return rc;
	}
	s.media_size = ewf_reader_media_size(probe);
	rc = scan_setup(&s, ewf_reader_chunk_size(probe), n, err);
	ewf_reader_close(probe);
	if (!rc)
		rc = scan_start(&s, path, rd, n, hs, want, err);
	if (!rc)
		rc = scan_sequence(&s, sink, ctx, out, err);
	rc = scan_finish(&s, rd, n, hs, out, rc, err);
	scan_teardown(&s);
	return rc;
}
