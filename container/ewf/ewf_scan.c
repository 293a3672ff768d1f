/*
 * ewf_scan.c - one reader, a pool of checkers, ordered digests.
 *
 * A block is a run of whole chunks.  The reader takes a free block, fills
 * it with the stored chunks libewf finds, and hands it to the checkers,
 * any of which inflates or checks its chunks into media; the calling thread
 * puts the blocks back in order, hands them to the sink and to one thread
 * per digest, and each block returns to the free queue when every digest
 * thread is done with it.  Every hand-off goes through lib/queue.h.  A
 * pending SIGINT, SIGTERM or SIGHUP (lib/interrupt.h) stops the scan
 * between two blocks, as a failure that says so.
 */
#include "container/ewf/ewf_scan.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "container/ewf/ewf_chunk.h"
#include "container/ewf/ewf_reader.h"
#include "lib/digest_fan.h"
#include "lib/interrupt.h"
#include "lib/queue.h"

#define SCAN_BLOCK        (1U << 20) /* media bytes a block aims at */
#define SCAN_CHECKERS_MAX 16U

struct scan_block {
	uint64_t index, first_chunk;
	unsigned n_chunks;
	size_t len; /* media bytes */
	uint8_t *media, *stored;
	struct ewf_stored_chunk *chunks;
	bool *unreadable;
	struct cu_ranges damaged; /* sectors */
	struct cu_digest_item item;
};

struct scan {
	uint64_t media_size, chunk_size, chunks, blocks;
	uint32_t bytes_per_sector;
	unsigned chunks_per_block;
	size_t n_blocks, stored_cap;
	struct scan_block *pool;
	struct ewf_reader *reader;
	struct cu_queue *free_q, *check_q, *done_q;
	struct cu_digest_fan *fan; /* the digests, each on its own thread, in order */
	pthread_mutex_t lock;      /* the first failure and the first damage message */
	atomic_bool failed;
	struct cu_error err;
	char failure[CU_ERROR_MSG_MAX];
};

static void scan_fail(struct scan *s, const struct cu_error *err)
{
	pthread_mutex_lock(&s->lock);
	if (!atomic_load(&s->failed)) {
		s->err = *err;
		atomic_store(&s->failed, true);
	}
	pthread_mutex_unlock(&s->lock);
	cu_queue_close(s->done_q); /* the caller stops waiting */
}

static void scan_note_damage(struct scan *s, const char *what)
{
	pthread_mutex_lock(&s->lock);
	if (!s->failure[0])
		snprintf(s->failure, sizeof(s->failure), "%s", what);
	pthread_mutex_unlock(&s->lock);
}

/* The digests are done with a block: back to the reader. */
static void scan_release(void *ctx, void *block)
{
	struct scan *s = ctx;

	cu_queue_push(s->free_q, block);
}

/* ---- the reader: stored chunks, as libewf finds them ---- */

static void read_block(struct scan *s, struct scan_block *b, uint64_t index)
{
	struct cu_error err;

	b->index = index;
	b->first_chunk = index * s->chunks_per_block;
	b->n_chunks =
	    (unsigned)(s->chunks - b->first_chunk < s->chunks_per_block ? s->chunks - b->first_chunk
	                                                                : s->chunks_per_block);
	b->len = (size_t)((b->first_chunk + b->n_chunks) * s->chunk_size < s->media_size
	                      ? b->n_chunks * s->chunk_size
	                      : s->media_size - b->first_chunk * s->chunk_size);
	for (unsigned i = 0; i < b->n_chunks; i++) {
		b->chunks[i].len = 0;
		b->unreadable[i] = ewf_reader_read_chunk(s->reader, b->first_chunk + i,
		                                         &b->chunks[i], &err) != CU_OK;
		if (b->unreadable[i])
			scan_note_damage(s, err.msg);
	}
}

static void *reader_main(void *arg)
{
	struct scan *s = arg;
	struct scan_block *b;

	cu_thread_give_way();
	for (uint64_t i = 0; i < s->blocks && !atomic_load(&s->failed); i++) {
		if (!(b = cu_queue_pop(s->free_q)))
			break;
		read_block(s, b, i);
		if (!cu_queue_push(s->check_q, b)) {
			cu_queue_push(s->free_q, b);
			break;
		}
	}
	cu_queue_close(s->check_q);
	return NULL;
}

/* ---- the checkers: inflate or check each chunk into media ---- */

static int check_block(struct scan *s, struct ewf_unpacker *u, struct scan_block *b,
                       struct cu_error *err)
{
	uint64_t bps = s->bytes_per_sector;
	char what[128];
	int rc = CU_OK;

	cu_ranges_clear(&b->damaged);
	for (unsigned i = 0; i < b->n_chunks && !rc; i++) {
		size_t from = (size_t)(i * s->chunk_size);
		size_t expect =
		    b->len - from < s->chunk_size ? b->len - from : (size_t)s->chunk_size;
		uint64_t chunk = b->first_chunk + i;

		const struct ewf_stored_chunk *c = &b->chunks[i];
		const char *why = NULL;

		if (!b->unreadable[i] && ewf_unpacker_unpack(u, c->data, c->len, c->compressed,
		                                             b->media + from, expect, &why))
			continue;
		memset(b->media + from, 0, expect);
		if (!b->unreadable[i]) {
			snprintf(what, sizeof(what), "chunk %llu %s", (unsigned long long)chunk,
			         why);
			scan_note_damage(s, what);
		}
		rc = cu_ranges_add(&b->damaged, chunk * s->chunk_size / bps,
		                   (expect + bps - 1) / bps, err);
	}
	return rc;
}

static void *checker_main(void *arg)
{
	struct scan *s = arg;
	struct ewf_unpacker *u = NULL;
	struct scan_block *b;
	struct cu_error err;

	cu_thread_give_way();
	if (ewf_unpacker_new(&u, (size_t)s->chunk_size, &err))
		scan_fail(s, &err);
	while ((b = cu_queue_pop(s->check_q))) {
		if (u && !atomic_load(&s->failed) && check_block(s, u, b, &err))
			scan_fail(s, &err);
		if (!cu_queue_push(s->done_q, b))
			cu_queue_push(s->free_q, b);
	}
	ewf_unpacker_free(u);
	return NULL;
}

/* ---- the calling thread: blocks back in order ---- */

static int sequence_block(struct scan *s, struct scan_block *b, ewf_media_sink sink, void *ctx,
                          struct ewf_scan_result *out, struct cu_error *err)
{
	int rc = CU_OK;

	for (size_t i = 0; i < b->damaged.n && !rc; i++)
		rc =
		    cu_ranges_add(&out->damaged, b->damaged.v[i].first, b->damaged.v[i].count, err);
	if (!rc && sink)
		rc = sink(ctx, b->media, b->len, err);
	if (!rc) /* SIGINT, SIGTERM, SIGHUP: the caller leaves through its own door */
		rc = cu_interrupt_check(NULL, err);
	b->item.data = b->media;
	b->item.len = b->len;
	b->item.block = b;
	cu_digest_fan_push(s->fan, &b->item);
	return rc;
}

static int scan_sequence(struct scan *s, ewf_media_sink sink, void *ctx,
                         struct ewf_scan_result *out, struct cu_error *err)
{
	struct scan_block **window = calloc(s->n_blocks, sizeof(*window));
	uint64_t next = 0;
	int rc = window ? CU_OK : cu_error_set(err, CU_EFAIL, "out of memory");

	while (!rc && next < s->blocks) {
		struct scan_block *b = cu_queue_pop(s->done_q);

		if (!b)
			break; /* a thread failed */
		window[b->index % s->n_blocks] = b;
		while (!rc && (b = window[next % s->n_blocks]) && b->index == next) {
			window[next % s->n_blocks] = NULL;
			rc = sequence_block(s, b, sink, ctx, out, err);
			next++;
		}
	}
	free(window);
	return rc;
}

/* ---- setup and teardown ---- */

static int scan_alloc_block(struct scan *s, struct scan_block *b)
{
	b->media = malloc(s->chunks_per_block * s->chunk_size);
	b->stored = malloc(s->chunks_per_block * s->stored_cap);
	b->chunks = calloc(s->chunks_per_block, sizeof(*b->chunks));
	b->unreadable = calloc(s->chunks_per_block, sizeof(*b->unreadable));
	if (!b->media || !b->stored || !b->chunks || !b->unreadable)
		return -1;
	for (unsigned i = 0; i < s->chunks_per_block; i++)
		b->chunks[i] = (struct ewf_stored_chunk){.data = b->stored + i * s->stored_cap,
		                                         .cap = s->stored_cap};
	return 0;
}

static int scan_setup(struct scan *s, unsigned checkers, struct cu_error *err)
{
	int rc;

	s->chunks_per_block =
	    (unsigned)(SCAN_BLOCK / s->chunk_size ? SCAN_BLOCK / s->chunk_size : 1);
	s->chunks = (s->media_size + s->chunk_size - 1) / s->chunk_size;
	s->blocks = (s->chunks + s->chunks_per_block - 1) / s->chunks_per_block;
	s->stored_cap = EWF_STORED_CHUNK_CAP((size_t)s->chunk_size);
	s->n_blocks = 2 * (size_t)checkers + 6;
	if ((rc = cu_queue_new(&s->free_q, s->n_blocks, err)) ||
	    (rc = cu_queue_new(&s->check_q, s->n_blocks, err)) ||
	    (rc = cu_queue_new(&s->done_q, s->n_blocks, err)))
		return rc;
	if (!(s->pool = calloc(s->n_blocks, sizeof(*s->pool))))
		return cu_error_set(err, CU_EFAIL, "out of memory");
	for (size_t i = 0; i < s->n_blocks; i++) {
		if (scan_alloc_block(s, &s->pool[i]))
			return cu_error_set(err, CU_EFAIL, "out of memory for scan blocks");
		cu_queue_push(s->free_q, &s->pool[i]);
	}
	return CU_OK;
}

static void scan_teardown(struct scan *s)
{
	for (size_t i = 0; s->pool && i < s->n_blocks; i++) {
		free(s->pool[i].media);
		free(s->pool[i].stored);
		free(s->pool[i].chunks);
		free(s->pool[i].unreadable);
		cu_ranges_free(&s->pool[i].damaged);
	}
	free(s->pool);
	cu_queue_free(s->free_q);
	cu_queue_free(s->check_q);
	cu_queue_free(s->done_q);
	pthread_mutex_destroy(&s->lock);
}

struct scan_threads {
	pthread_t reader, checkers[SCAN_CHECKERS_MAX];
	bool reader_started;
	unsigned n_checkers;
};

static int scan_start(struct scan *s, struct scan_threads *t, unsigned checkers,
                      const bool want[CU_HASH_COUNT], struct cu_error *err)
{
	int rc;

	if ((rc = cu_digest_fan_new(&s->fan, want, s->n_blocks, scan_release, s, err)))
		return rc;
	for (; t->n_checkers < checkers; t->n_checkers++)
		if (pthread_create(&t->checkers[t->n_checkers], NULL, checker_main, s))
			return cu_error_set(err, CU_EFAIL, "cannot start a checker thread");
	if (pthread_create(&t->reader, NULL, reader_main, s))
		return cu_error_set(err, CU_EFAIL, "cannot start the reader thread");
	t->reader_started = true;
	return CU_OK;
}

/* Stops every thread, in pipeline order; gathers the digests and the first failure. */
static int scan_finish(struct scan *s, struct scan_threads *t, struct ewf_scan_result *out, int rc,
                       struct cu_error *err)
{
	cu_queue_close(s->free_q);
	if (t->reader_started)
		pthread_join(t->reader, NULL);
	cu_queue_close(s->check_q);
	for (unsigned i = 0; i < t->n_checkers; i++)
		pthread_join(t->checkers[i], NULL);
	cu_queue_close(s->done_q);
	if (!rc && atomic_load(&s->failed)) {
		*err = s->err;
		rc = s->err.code ? s->err.code : CU_EFAIL;
	}
	if (s->fan) {
		struct cu_error fan_err;
		int fan_rc = cu_digest_fan_end(s->fan, !rc, &out->computed, &fan_err);

		s->fan = NULL;
		if (!rc && fan_rc) {
			*err = fan_err;
			rc = fan_rc;
		}
	}
	snprintf(out->failure, sizeof(out->failure), "%s", s->failure);
	return rc;
}

static unsigned scan_checkers(unsigned threads)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	if (threads == 0)
		threads = cpus > 0 ? (unsigned)cpus : 1;
	return threads > SCAN_CHECKERS_MAX ? SCAN_CHECKERS_MAX : threads;
}

int ewf_scan(const char *path, unsigned threads, const bool want[CU_HASH_COUNT],
             ewf_media_sink sink, void *ctx, struct ewf_scan_result *out, struct cu_error *err)
{
	struct scan s;
	struct scan_threads t;
	unsigned checkers = scan_checkers(threads);
	int rc;

	memset(&s, 0, sizeof(s));
	memset(&t, 0, sizeof(t));
	memset(out, 0, sizeof(*out));
	pthread_mutex_init(&s.lock, NULL);
	if ((rc = ewf_reader_open(&s.reader, path, err))) {
		pthread_mutex_destroy(&s.lock);
		return rc;
	}
	s.media_size = ewf_reader_media_size(s.reader);
	s.chunk_size = ewf_reader_chunk_size(s.reader);
	s.bytes_per_sector = ewf_reader_bytes_per_sector(s.reader);
	rc = scan_setup(&s, checkers, err);
	if (!rc)
		rc = scan_start(&s, &t, checkers, want, err);
	if (!rc)
		rc = scan_sequence(&s, sink, ctx, out, err);
	rc = scan_finish(&s, &t, out, rc, err);
	ewf_reader_close(s.reader);
	scan_teardown(&s);
	return rc;
}
