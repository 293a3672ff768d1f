/*
 * pipeline.c - threads, blocks and queues of the acquisition.
 *
 * Ownership: a block belongs to the free queue, or to the reader while it
 * fills it, or jointly to the digest threads and the compression/writer
 * path, counted by `refs`; the last of them to finish pushes it back on the
 * free queue.  The writer receives blocks out of order from the compression
 * pool and keeps them in a window of n_blocks slots until their turn.
 * The first failure anywhere is recorded once; every stage then stops doing
 * work but keeps passing blocks along, so that shutdown is the same path as
 * success: close the queues in pipeline order and join the threads.
 */
#include "source/pipeline.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "source/failing.h"
#include "lib/grow.h"
#include "lib/interrupt.h"
#include "lib/queue.h"
#include "lib/timeutil.h"

#define BLOCK_TARGET       (1U << 20)
#define MEMORY_BUDGET      (96U << 20)
#define BLOCKS_MAX         64U
#define BLOCKS_MIN         4U
#define THREADS_MAX        64U
#define CHECKPOINT_SECONDS 30.0
/* a digest thread per slot: the media's digests, then each algorithm's windows */
#define PIPE_DIGESTS (2 * CU_HASH_COUNT)

struct pipe_block {
	uint64_t index;
	uint64_t offset; /* in the media */
	size_t exact_len, media_len;
	uint8_t *raw, *packed;
	struct source_packed *chunks;
	unsigned n_chunks;
	struct cu_ranges bad; /* unreadable bytes of this block, window offsets */
	atomic_int refs;
};

struct pipeline {
	const struct source_pipeline_io *io;
	size_t block_bytes, packed_stride;
	bool packed; /* the sink packs chunks */
	unsigned chunks_per_block, n_hashes, n_packers;
	size_t n_blocks;
	struct pipe_block *blocks;
	struct cu_queue *free_q, *hash_q[PIPE_DIGESTS], *pack_q, *write_q;
	pthread_mutex_t fail_lock;
	atomic_bool failed;
	struct cu_error err;
	uint64_t bad_bytes; /* unreadable so far; the reader's alone */
};

struct hash_worker {
	struct pipeline *p;
	int slot; /* < CU_HASH_COUNT: that algorithm's digest; else its windows */
	pthread_t thread;
	bool started;
};

/* ---- shared ---- */

static uint64_t pipe_bps(const struct pipeline *p)
{
	return p->io->bytes_per_sector ? p->io->bytes_per_sector : 512;
}

static void pipe_fail(struct pipeline *p, const struct cu_error *err)
{
	pthread_mutex_lock(&p->fail_lock);
	if (!atomic_load(&p->failed)) {
		p->err = *err;
		atomic_store(&p->failed, true);
	}
	pthread_mutex_unlock(&p->fail_lock);
}

static bool pipe_failed(struct pipeline *p)
{
	return atomic_load(&p->failed);
}

static void pipe_release(struct pipeline *p, struct pipe_block *b)
{
	if (atomic_fetch_sub(&b->refs, 1) == 1)
		cu_queue_push(p->free_q, b);
}

static unsigned pipe_block_count(size_t block_bytes, size_t packed_bytes, unsigned threads)
{
	size_t per_block = block_bytes + packed_bytes;
	size_t n = 4 * (size_t)threads + 16; /* room to ride out a flush of the output */

	if (n * per_block > MEMORY_BUDGET)
		n = MEMORY_BUDGET / per_block;
	if (n < BLOCKS_MIN)
		n = BLOCKS_MIN;
	return (unsigned)(n > BLOCKS_MAX ? BLOCKS_MAX : n);
}

static size_t pipe_block_bytes(uint64_t chunk_size)
{
	size_t chunks = BLOCK_TARGET / chunk_size;

	return (size_t)chunk_size * (chunks ? chunks : 1);
}

/* ---- digest threads: each sees every block, in order ---- */

static int hash_block(struct pipeline *p, struct cu_hash *h, struct pipe_block *b,
                      struct cu_error *err)
{
	struct cu_hash *fork;
	int rc;

	if (b->exact_len == b->media_len)
		return cu_hash_update(h, b->raw, b->media_len, err);
	/* the last block: finish a fork on the exact bytes, then hash the padding */
	if ((rc = cu_hash_update(h, b->raw, b->exact_len, err)) ||
	    (rc = cu_hash_fork(&fork, h, err)))
		return rc;
	rc = cu_hash_final(fork, p->io->source_exact, err);
	cu_hash_free(fork);
	return rc ? rc : cu_hash_update(h, b->raw + b->exact_len, b->media_len - b->exact_len, err);
}

/* A block for one digest slot: the media digest, or the windows, of its algorithm. */
static int hash_slot(struct pipeline *p, int slot, struct pipe_block *b, struct cu_error *err)
{
	if (slot < CU_HASH_COUNT)
		return hash_block(p, p->io->hash[slot], b, err);
	return cu_hash_windows_update(p->io->windows[slot - CU_HASH_COUNT], b->raw, b->media_len,
	                              err);
}

static void *hash_main(void *arg)
{
	struct hash_worker *w = arg;
	struct pipeline *p = w->p;
	struct pipe_block *b;
	struct cu_error err;

	if (w->slot != CU_HASH_MD5)
		cu_thread_give_way();
	while ((b = cu_queue_pop(p->hash_q[w->slot]))) {
		if (!pipe_failed(p) && hash_slot(p, w->slot, b, &err))
			pipe_fail(p, &err);
		pipe_release(p, b);
	}
	return NULL;
}

/* ---- compression pool: blocks in any order ---- */

static void pack_block(struct pipeline *p, void *state, struct pipe_block *b)
{
	uint64_t chunk = p->io->chunk_size;

	for (unsigned i = 0; i < b->n_chunks; i++) {
		size_t from = (size_t)(i * chunk);
		size_t len = b->media_len - from < chunk ? b->media_len - from : (size_t)chunk;

		b->chunks[i].len =
		    p->io->sink->pack(state, b->raw + from, len, b->packed + i * p->packed_stride,
		                      &b->chunks[i].compressed);
	}
}

static void *pack_main(void *arg)
{
	struct pipeline *p = arg;
	const struct source_sink *sink = p->io->sink;
	void *state = NULL;
	bool ready = false;
	struct pipe_block *b;
	struct cu_error err;

	cu_thread_give_way();
	if (p->packed && sink->worker_new(sink->ctx, &state, &err))
		pipe_fail(p, &err);
	else
		ready = p->packed;
	while ((b = cu_queue_pop(p->pack_q))) {
		if (!pipe_failed(p) && ready)
			pack_block(p, state, b);
		cu_queue_push(p->write_q, b);
	}
	if (ready)
		sink->worker_free(state);
	return NULL;
}

/* ---- the writer: blocks in media order ---- */

static int write_block(struct pipeline *p, struct pipe_block *b, struct cu_error *err)
{
	struct source_block view = {
	    .data = b->raw,
	    .exact_len = b->exact_len,
	    .media_len = b->media_len,
	    .bad = &b->bad,
	    .packed = b->packed,
	    .packed_stride = p->packed_stride,
	    .chunks = p->packed ? b->chunks : NULL,
	    .n_chunks = b->n_chunks,
	};

	return p->io->sink->write(p->io->sink->ctx, &view, err);
}

static void *write_main(void *arg)
{
	struct pipeline *p = arg;
	struct pipe_block **window = calloc(p->n_blocks, sizeof(*window));
	struct pipe_block *b;
	uint64_t next = 0;
	struct cu_error err;

	cu_thread_give_way();
	if (!window) {
		cu_error_set(&err, CU_EFAIL, "out of memory");
		pipe_fail(p, &err);
	}
	while ((b = cu_queue_pop(p->write_q))) {
		if (!window) {
			pipe_release(p, b);
			continue;
		}
		window[b->index % p->n_blocks] = b;
		while ((b = window[next % p->n_blocks]) && b->index == next) {
			window[next % p->n_blocks] = NULL;
			if (!pipe_failed(p) && p->io->sink && write_block(p, b, &err))
				pipe_fail(p, &err);
			next++;
			pipe_release(p, b);
		}
	}
	free(window);
	return NULL;
}

/* ---- the reader (the calling thread) ---- */

static int slow_add(struct source_slow_list *l, uint64_t first, uint64_t count, double seconds,
                    struct cu_error *err)
{
	struct source_slow *last = l->n ? &l->v[l->n - 1] : NULL;

	if (last && last->first + last->count == first) {
		last->count += count;
		last->seconds += seconds;
		return CU_OK;
	}
	if (cu_grow(&l->v, &l->cap, l->n, sizeof(*l->v)))
		return cu_error_set(err, CU_EFAIL, "out of memory");
	l->v[l->n++] = (struct source_slow){first, count, seconds};
	return CU_OK;
}

void source_slow_list_free(struct source_slow_list *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/*
 * The block's unreadable bytes (b->bad, zero-filled) read as the sink's
 * format has them, and are counted and kept.
 */
static int account_bad(struct pipeline *p, struct pipe_block *b, struct cu_error *err)
{
	int rc;

	if (p->io->sink && p->io->sink->fill)
		for (size_t i = 0; i < b->bad.n; i++)
			p->io->sink->fill(b->raw + (b->bad.v[i].first - b->offset),
			                  b->bad.v[i].first, (size_t)b->bad.v[i].count);
	p->bad_bytes += cu_ranges_total(&b->bad);
	for (size_t i = 0; p->io->bad && i < b->bad.n; i++)
		if ((rc = cu_ranges_add(p->io->bad, b->bad.v[i].first, b->bad.v[i].count, err)))
			return rc;
	return CU_OK;
}

/*
 * A stream is read whole, but bytes known to be unreadable where it came
 * from (a conversion's read errors) are not data: zero-filled and recorded
 * as a failing medium's are.
 */
static int stream_known_bad(struct pipeline *p, struct pipe_block *b, struct cu_error *err)
{
	const struct cu_ranges *k = p->io->known_bad;
	uint64_t from = b->offset, to = b->offset + b->exact_len;
	int rc;

	for (size_t i = 0; k && i < k->n; i++) {
		uint64_t first = k->v[i].first > from ? k->v[i].first : from;
		uint64_t end =
		    k->v[i].first + k->v[i].count < to ? k->v[i].first + k->v[i].count : to;

		if (first >= end)
			continue;
		memset(b->raw + (first - from), 0, (size_t)(end - first));
		if ((rc = cu_ranges_add(&b->bad, first, end - first, err)))
			return rc;
	}
	return account_bad(p, b, err);
}

/* Reads the block's bytes, rescuing what a failing medium gives, timing it. */
/* The source's reads, as the rescue reader takes them. */
static ssize_t read_source(void *ctx, void *buf, size_t len, uint64_t offset, int *errnum)
{
	return source_read(ctx, buf, len, offset, errnum, NULL);
}

static int read_block(struct pipeline *p, struct pipe_block *b, struct cu_error *err)
{
	struct source_failing r = {.read = read_source,
	                           .read_ctx = p->io->source,
	                           .name = source_info(p->io->source)->path,
	                           .retries = p->io->retries,
	                           .unit = p->io->read_unit ? p->io->read_unit : 512,
	                           .known_bad = p->io->known_bad};
	double t0 = cu_time_monotonic(), seconds;
	int rc;

	cu_ranges_clear(&b->bad);
	rc = source_failing_read(&r, b->raw, b->offset, b->exact_len, &b->bad, err);
	if (p->io->failed_reads)
		*p->io->failed_reads += r.failed_reads;
	if (rc)
		return rc;
	seconds = cu_time_monotonic() - t0;
	if (p->io->slow && p->io->slow_seconds > 0 && seconds >= p->io->slow_seconds &&
	    (rc = slow_add(p->io->slow, b->offset, b->exact_len, seconds, err)))
		return rc;
	if ((rc = account_bad(p, b, err)))
		return rc;
	if (p->io->sink && p->io->sink->read)
		return p->io->sink->read(p->io->sink->ctx, b->offset + b->exact_len, b->bad.v,
		                         b->bad.n, err);
	return CU_OK;
}

/* A stream's block: as much as it gives, up to a block; in E01, the last completed to a sector. */
static int fill_stream_block(struct pipeline *p, struct pipe_block *b, uint64_t index,
                             struct cu_error *err)
{
	uint64_t bps = pipe_bps(p);
	int errnum = 0;
	ssize_t n;

	b->index = index;
	b->offset = index * p->block_bytes;
	cu_ranges_clear(&b->bad);
	n = source_read(p->io->source, b->raw, p->block_bytes, b->offset, &errnum, err);
	if (n < 0)
		return err->code ? err->code : CU_EFAIL;
	b->exact_len = (size_t)n;
	b->media_len = !(p->io->sink && p->io->sink->whole_sectors)
	                   ? b->exact_len /* a raw image holds exactly the stream */
	                   : (size_t)((b->exact_len + bps - 1) / bps * bps);
	memset(b->raw + b->exact_len, 0, b->media_len - b->exact_len);
	b->n_chunks = (unsigned)((b->media_len + p->io->chunk_size - 1) / p->io->chunk_size);
	atomic_store(&b->refs, (int)p->n_hashes + 1);
	return stream_known_bad(p, b, err);
}

static int fill_block(struct pipeline *p, struct pipe_block *b, uint64_t index,
                      struct cu_error *err)
{
	uint64_t offset = p->io->start + index * p->block_bytes;
	uint64_t left = p->io->source_size - offset;
	int rc;

	b->index = index;
	b->offset = offset;
	b->exact_len = left < p->block_bytes ? (size_t)left : p->block_bytes;
	b->media_len = b->exact_len;
	if ((rc = read_block(p, b, err)))
		return rc;
	if (b->exact_len == left) { /* the last block: complete the last sector */
		b->media_len = (size_t)(p->io->media_size - offset);
		memset(b->raw + b->exact_len, 0, b->media_len - b->exact_len);
	}
	b->n_chunks = (unsigned)((b->media_len + p->io->chunk_size - 1) / p->io->chunk_size);
	atomic_store(&b->refs, (int)p->n_hashes + 1);
	return CU_OK;
}

static void dispatch_block(struct pipeline *p, struct pipe_block *b)
{
	for (int s = 0; s < PIPE_DIGESTS; s++)
		if (p->hash_q[s])
			cu_queue_push(p->hash_q[s], b);
	cu_queue_push(p->pack_q, b);
}

/* A signal waiting on the cancel descriptor (SIGINT, SIGTERM, SIGHUP) stops the run. */
static bool cancel_requested(struct pipeline *p, struct cu_error *err)
{
	struct signalfd_siginfo si;

	if (!p->io->cancel_fd) /* no signalfd (verify --source): the pending signals */
		return cu_interrupt_check(NULL, err) != CU_OK;
	if (read(*p->io->cancel_fd, &si, sizeof(si)) != sizeof(si))
		return false;
	cu_error_set(err, CU_EFAIL, "interrupted by SIG%s", sigabbrev_np((int)si.ssi_signo));
	return true;
}

/*
 * Takes every block back, so that all stages are idle and everything read
 * before `done` is hashed and written, and lets the owner record the point.
 */
static void pipe_checkpoint(struct pipeline *p, uint64_t done)
{
	struct pipe_block **held = calloc(p->n_blocks, sizeof(*held));
	struct cu_error err;
	size_t n = 0;

	if (!held) {
		cu_error_set(&err, CU_EFAIL, "out of memory");
		pipe_fail(p, &err);
		return;
	}
	while (n < p->n_blocks && (held[n] = cu_queue_pop(p->free_q)))
		n++;
	if (n == p->n_blocks && !pipe_failed(p) &&
	    p->io->checkpoint(p->io->checkpoint_ctx, done, &err))
		pipe_fail(p, &err);
	while (n > 0)
		cu_queue_push(p->free_q, held[--n]);
	free(held);
}

static bool checkpoint_due(struct pipeline *p, uint64_t since, double last)
{
	return p->io->checkpoint && p->io->checkpoint_every &&
	       (since >= p->io->checkpoint_every ||
	        cu_time_monotonic() - last >= CHECKPOINT_SECONDS);
}

/* Whether the stream, `done` bytes so far and ended or not, has the size expected. */
static bool stream_size_wrong(struct pipeline *p, uint64_t done, bool ended, struct cu_error *err)
{
	uint64_t want = p->io->source_size;

	if (want && done > want) {
		cu_error_set(err, CU_EFAIL,
		             "the stream runs past --size: more than the %llu bytes expected",
		             (unsigned long long)want);
		return true;
	}
	if (want && ended && done < want) {
		cu_error_set(err, CU_EFAIL,
		             "the stream ended after %llu bytes, short of --size %llu",
		             (unsigned long long)done, (unsigned long long)want);
		return true;
	}
	if (ended && done == 0) {
		cu_error_set(err, CU_EFAIL, "the stream was empty: nothing to acquire");
		return true;
	}
	return false;
}

/* A stream: blocks until its end; what it gave in *streamed. */
static void read_stream(struct pipeline *p)
{
	uint64_t done = 0;
	struct cu_error err;
	bool ended = false;

	for (uint64_t i = 0; !ended && !pipe_failed(p); i++) {
		struct pipe_block *b;

		if (cancel_requested(p, &err)) {
			pipe_fail(p, &err);
			break;
		}
		if (!(b = cu_queue_pop(p->free_q)))
			break;
		if (fill_stream_block(p, b, i, &err)) {
			cu_queue_push(p->free_q, b);
			cancel_requested(p, &err); /* a signal stopped the wait: say which */
			pipe_fail(p, &err);
			break;
		}
		done += b->exact_len;
		ended = b->exact_len < p->block_bytes;
		if (b->exact_len)
			dispatch_block(p, b);
		else
			cu_queue_push(p->free_q, b);
		if (p->io->progress)
			p->io->progress(p->io->progress_ctx, done, p->io->source_size, 0);
		if (stream_size_wrong(p, done, ended, &err)) {
			pipe_fail(p, &err);
			break;
		}
	}
	if (p->io->streamed)
		*p->io->streamed = done;
}

static void read_medium(struct pipeline *p)
{
	uint64_t blocks = (p->io->source_size - p->io->start + p->block_bytes - 1) / p->block_bytes;
	uint64_t done = p->io->start, since = 0;
	double last = cu_time_monotonic();
	struct cu_error err;
	bool interrupted = false;

	for (uint64_t i = 0; i < blocks && !pipe_failed(p); i++) {
		struct pipe_block *b;

		if ((interrupted = cancel_requested(p, &err)))
			break;
		b = cu_queue_pop(p->free_q);
		if (!b)
			break;
		if (fill_block(p, b, i, &err)) {
			pipe_fail(p, &err);
			cu_queue_push(p->free_q, b);
			break;
		}
		done = b->offset + b->exact_len;
		since += b->exact_len;
		dispatch_block(p, b);
		if (p->io->progress)
			p->io->progress(p->io->progress_ctx, done, p->io->source_size,
			                p->bad_bytes / pipe_bps(p));
		if (p->io->stop_at_half && done - b->exact_len < p->io->source_size / 2 &&
		    done >= p->io->source_size / 2)
			raise(SIGSTOP); /* tests: a signal arrives in the middle of the read */
		if (p->io->interrupt_at && done >= p->io->interrupt_at && i + 1 < blocks) {
			cu_error_set(&err, CU_EFAIL, "interrupted at byte %llu (--x-interrupt-at)",
			             (unsigned long long)done);
			interrupted = true;
			break;
		}
		if (i + 1 < blocks && checkpoint_due(p, since, last)) {
			pipe_checkpoint(p, done);
			since = 0;
			last = cu_time_monotonic();
		}
	}
	/* an interrupted run records where it stopped, then reports the stop */
	if (interrupted) {
		if (p->io->checkpoint && done > p->io->start)
			pipe_checkpoint(p, done);
		pipe_fail(p, &err);
	}
}

/* ---- setup and teardown ---- */

static int pipe_alloc_blocks(struct pipeline *p, struct cu_error *err)
{
	p->blocks = calloc(p->n_blocks, sizeof(*p->blocks));
	if (!p->blocks)
		return cu_error_set(err, CU_EFAIL, "out of memory");
	for (size_t i = 0; i < p->n_blocks; i++) {
		struct pipe_block *b = &p->blocks[i];

		if (posix_memalign((void **)&b->raw, SOURCE_ALIGN, p->block_bytes))
			b->raw = NULL;
		b->packed = malloc(p->packed_stride * p->chunks_per_block);
		b->chunks = calloc(p->chunks_per_block, sizeof(*b->chunks));
		if (!b->raw || !b->packed || !b->chunks)
			return cu_error_set(err, CU_EFAIL, "out of memory for pipeline blocks");
		if (!cu_queue_push(p->free_q, b))
			return cu_error_set(err, CU_EFAIL, "pipeline queue refused a block");
	}
	return CU_OK;
}

static int pipe_setup(struct pipeline *p, struct cu_error *err)
{
	int rc;

	p->packed = p->io->sink && p->io->sink->packed_stride;
	p->block_bytes = pipe_block_bytes(p->io->chunk_size);
	p->chunks_per_block = (unsigned)(p->block_bytes / p->io->chunk_size);
	p->packed_stride = p->packed ? p->io->sink->packed_stride : 1;
	p->n_packers = p->io->threads ? p->io->threads : 1;
	if (p->n_packers > THREADS_MAX)
		p->n_packers = THREADS_MAX;
	p->n_blocks =
	    pipe_block_count(p->block_bytes, p->packed_stride * p->chunks_per_block, p->n_packers);
	if ((rc = cu_queue_new(&p->free_q, p->n_blocks, err)) ||
	    (rc = cu_queue_new(&p->pack_q, p->n_blocks, err)) ||
	    (rc = cu_queue_new(&p->write_q, p->n_blocks, err)))
		return rc;
	for (int s = 0; s < PIPE_DIGESTS; s++) {
		if (s < CU_HASH_COUNT ? !p->io->hash[s] : !p->io->windows[s - CU_HASH_COUNT])
			continue;
		p->n_hashes++;
		if ((rc = cu_queue_new(&p->hash_q[s], p->n_blocks, err)))
			return rc;
	}
	return pipe_alloc_blocks(p, err);
}

static void pipe_teardown(struct pipeline *p)
{
	for (size_t i = 0; p->blocks && i < p->n_blocks; i++) {
		free(p->blocks[i].raw);
		free(p->blocks[i].packed);
		free(p->blocks[i].chunks);
		cu_ranges_free(&p->blocks[i].bad);
	}
	free(p->blocks);
	cu_queue_free(p->free_q);
	cu_queue_free(p->pack_q);
	cu_queue_free(p->write_q);
	for (int s = 0; s < PIPE_DIGESTS; s++)
		cu_queue_free(p->hash_q[s]);
	pthread_mutex_destroy(&p->fail_lock);
}

struct pipe_threads {
	struct hash_worker hash[PIPE_DIGESTS];
	pthread_t pack[THREADS_MAX];
	pthread_t write;
	unsigned n_pack;
	bool write_started;
};

static int pipe_start(struct pipeline *p, struct pipe_threads *t, struct cu_error *err)
{
	for (int s = 0; s < PIPE_DIGESTS; s++) {
		t->hash[s] = (struct hash_worker){.p = p, .slot = s};
		if (!p->hash_q[s])
			continue;
		if (pthread_create(&t->hash[s].thread, NULL, hash_main, &t->hash[s]))
			return cu_error_set(err, CU_EFAIL, "cannot start a digest thread");
		t->hash[s].started = true;
	}
	for (; t->n_pack < p->n_packers; t->n_pack++)
		if (pthread_create(&t->pack[t->n_pack], NULL, pack_main, p))
			return cu_error_set(err, CU_EFAIL, "cannot start a compression thread");
	if (pthread_create(&t->write, NULL, write_main, p))
		return cu_error_set(err, CU_EFAIL, "cannot start the writer thread");
	t->write_started = true;
	return CU_OK;
}

/* Closes the queues in pipeline order, joining each stage behind them. */
static void pipe_stop(struct pipeline *p, struct pipe_threads *t)
{
	for (int s = 0; s < PIPE_DIGESTS; s++)
		if (p->hash_q[s])
			cu_queue_close(p->hash_q[s]);
	cu_queue_close(p->pack_q);
	for (int s = 0; s < PIPE_DIGESTS; s++)
		if (t->hash[s].started)
			pthread_join(t->hash[s].thread, NULL);
	for (unsigned i = 0; i < t->n_pack; i++)
		pthread_join(t->pack[i], NULL);
	cu_queue_close(p->write_q);
	if (t->write_started)
		pthread_join(t->write, NULL);
	cu_queue_close(p->free_q);
}

int source_pipeline_run(const struct source_pipeline_io *io, struct cu_error *err)
{
	struct pipeline p = {.io = io};
	struct pipe_threads t;
	int rc;

	memset(&t, 0, sizeof(t));
	pthread_mutex_init(&p.fail_lock, NULL);
	rc = pipe_setup(&p, err);
	if (!rc) {
		rc = pipe_start(&p, &t, err);
		if (rc)
			pipe_fail(&p, err);
		else if (io->stream)
			read_stream(&p);
		else
			read_medium(&p);
		pipe_stop(&p, &t);
	}
	if (!rc && pipe_failed(&p)) {
		*err = p.err;
		rc = p.err.code ? p.err.code : CU_EFAIL;
	}
	pipe_teardown(&p);
	return rc;
}
