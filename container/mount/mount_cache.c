/*
 * mount_cache.c - chunks read by a pool of threads, kept in a bounded LRU
 * cache, handed to the requests that wait for them (mount_cache.h).
 *
 * An entry is one chunk: being read (LOADING) or read (READY).  A request
 * takes a reference on each chunk it covers; a chunk still being read gets
 * the request's reply queue in its list of waiters, and the reader that
 * finishes it pushes it to each.  READY chunks that no request holds are
 * kept in the LRU list, most recent first, and the oldest is reused once
 * the cache holds its bound.  The chunks' memory is one reservation of
 * address space for the bound, advised for huge pages, that the kernel
 * fills as chunks first land in it: one fault for 64 chunks of 32 KiB
 * rather than eight for each.  A thread of low priority faults the whole
 * bound in once the mount serves (MADV_POPULATE_WRITE, which leaves what
 * is there as it is), so that no read waits for the kernel to find memory
 * for its chunk: on a virtual machine, whose host backs a guest's memory
 * only when it is first touched, that cost more than inflating the chunk.
 * (Only when
 * requests hold every entry at once does the cache allocate past its
 * bound, and it gives those back first.)  A request that continues where
 * the last one ended (a sequential reader, the kernel's own read-ahead)
 * queues the next chunks ahead of it, so that the readers inflate them on
 * every core while the kernel copies the ones before.  A request's reply
 * is made from the chunks' own memory while the request holds them: the
 * kernel copies each byte once, into the reader's pages.  One mutex guards
 * the table and the lists; no thread holds it while it reads, replies or
 * waits.
 */
#include "container/mount/mount_cache.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "lib/queue.h"

#define ARENA_ALIGN (2U << 20) /* a huge page */

enum entry_state { ENTRY_LOADING, ENTRY_READY };

struct waiter {
	struct cu_queue *reply;
	struct waiter *next;
};

struct entry {
	enum entry_state state;
	unsigned refs; /* requests that use it or wait for it */
	struct evidence_chunk chunk;
	struct waiter *waiters;
	struct entry *hnext;       /* its hash bucket */
	struct entry *prev, *next; /* the LRU list: READY and held by no request */
	bool listed;
	bool pooled; /* its chunk is the arena's: the entry is kept for reuse */
};

struct reader {
	struct mount_cache *c;
	struct evidence_cursor *cursor;
	pthread_t thread;
};

struct mount_cache {
	struct evidence *e;
	struct mount_cache_config cfg;
	uint64_t chunks, chunk_size, bps;
	size_t max_entries, n_entries, ahead_chunks;
	struct entry **buckets;
	size_t n_buckets; /* a power of two */
	struct entry *lru_head, *lru_tail;
	struct entry *free_list;      /* entries with an arena chunk, in no table */
	void *arena;                  /* room for max_entries chunks (mmap'ed) */
	uint8_t *arena_base;          /* its first chunk, on a huge page's boundary */
	size_t arena_len, arena_used; /* chunks of it given to entries */
	pthread_t filler;             /* faults the arena in, once started */
	bool filling;
	atomic_bool stopping; /* the filler stops early */
	pthread_mutex_t lock;
	struct cu_queue *work;
	struct reader *readers;
	unsigned started;
	struct cu_queue *cursors; /* for requests that read a missing chunk themselves */
	struct evidence_cursor **own_cursors;
	unsigned n_cursors;
	uint64_t last_end;   /* the chunk after the last request's */
	uint64_t ahead_next; /* read-ahead is queued up to here */
};

/* ---- the table and the LRU list (under the lock) ---- */

static struct entry **bucket_of(struct mount_cache *c, uint64_t index)
{
	return &c->buckets[(index * 0x9E3779B97F4A7C15ULL >> 20) & (c->n_buckets - 1)];
}

static struct entry *entry_find(struct mount_cache *c, uint64_t index)
{
	struct entry *e = *bucket_of(c, index);

	while (e && e->chunk.index != index)
		e = e->hnext;
	return e;
}

static void lru_remove(struct mount_cache *c, struct entry *e)
{
	if (!e->listed)
		return;
	if (e->prev)
		e->prev->next = e->next;
	else
		c->lru_head = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		c->lru_tail = e->prev;
	e->prev = e->next = NULL;
	e->listed = false;
}

static void lru_push(struct mount_cache *c, struct entry *e)
{
	e->prev = NULL;
	e->next = c->lru_head;
	if (c->lru_head)
		c->lru_head->prev = e;
	c->lru_head = e;
	if (!c->lru_tail)
		c->lru_tail = e;
	e->listed = true;
}

static void entry_unhash(struct mount_cache *c, struct entry *e)
{
	struct entry **p = bucket_of(c, e->chunk.index);

	while (*p != e)
		p = &(*p)->hnext;
	*p = e->hnext;
	e->hnext = NULL;
}

/* An entry's own memory freed (an arena chunk stays the arena's). */
static void entry_destroy(struct entry *e)
{
	if (!e->pooled)
		free(e->chunk.media);
	cu_ranges_free(&e->chunk.damaged);
	free(e);
}

/* Out of the cache: an entry with an arena chunk to the free list, another destroyed. */
static void entry_free(struct mount_cache *c, struct entry *e)
{
	if (!e->pooled) {
		entry_destroy(e);
		return;
	}
	cu_ranges_clear(&e->chunk.damaged);
	e->hnext = c->free_list;
	c->free_list = e;
}

/* The oldest unused chunk out of the cache, its entry returned for reuse; NULL: none. */
static struct entry *lru_take_oldest(struct mount_cache *c)
{
	struct entry *e = c->lru_tail;

	if (!e)
		return NULL;
	lru_remove(c, e);
	entry_unhash(c, e);
	return e;
}

/* Drops unused chunks while the cache holds more than its bound. */
static void cache_trim(struct mount_cache *c)
{
	struct entry *e;

	while (c->n_entries > c->max_entries && (e = lru_take_oldest(c))) {
		entry_free(c, e);
		c->n_entries--;
	}
}

/*
 * A new entry for chunk `index`, LOADING, in the table: a free one, the
 * oldest unused one once the cache holds its bound, or a new one (with the
 * arena's next chunk while it lasts: past the bound, when requests hold
 * every entry, with malloc's); NULL when out of memory.
 */
static struct entry *entry_new(struct mount_cache *c, uint64_t index)
{
	struct entry *e = c->free_list;

	if (e) {
		c->free_list = e->hnext;
		c->n_entries++;
	} else if ((e = c->n_entries >= c->max_entries ? lru_take_oldest(c) : NULL)) {
		cu_ranges_clear(&e->chunk.damaged);
	} else {
		if (!(e = calloc(1, sizeof(*e))))
			return NULL;
		e->pooled = c->arena_base && c->arena_used < c->max_entries;
		e->chunk.media = e->pooled ? c->arena_base + c->arena_used++ * c->chunk_size
		                           : malloc(c->chunk_size);
		if (!e->chunk.media) {
			free(e);
			return NULL;
		}
		c->n_entries++;
	}
	e->state = ENTRY_LOADING;
	e->refs = 0;
	e->waiters = NULL;
	e->chunk.index = index;
	e->hnext = *bucket_of(c, index);
	*bucket_of(c, index) = e;
	return e;
}

/* ---- the readers ---- */

/* A chunk that cannot be read at all (no memory): all of it damaged, saying why. */
static void reader_unreadable(struct mount_cache *c, struct entry *e, const struct cu_error *err)
{
	uint64_t size = evidence_media_size(c->e);

	e->chunk.media_off = e->chunk.index * c->chunk_size;
	e->chunk.len =
	    (size_t)(size - e->chunk.media_off < c->chunk_size ? size - e->chunk.media_off
	                                                       : c->chunk_size);
	memset(e->chunk.media, 0, e->chunk.len);
	cu_ranges_clear(&e->chunk.damaged);
	cu_ranges_add(&e->chunk.damaged, e->chunk.media_off / c->bps,
	              (e->chunk.len + c->bps - 1) / c->bps, NULL);
	snprintf(e->chunk.why, sizeof(e->chunk.why), "%s", err->msg);
}

static void reader_finish(struct mount_cache *c, struct entry *e)
{
	struct waiter *w;

	pthread_mutex_lock(&c->lock);
	e->state = ENTRY_READY;
	w = e->waiters;
	e->waiters = NULL;
	if (e->refs == 0) { /* read ahead, and nobody asked yet */
		lru_push(c, e);
		cache_trim(c);
	}
	pthread_mutex_unlock(&c->lock);
	while (w) {
		struct waiter *next = w->next; /* the waiter's memory is its request's */

		cu_queue_push(w->reply, e);
		w = next;
	}
}

/* Reads and checks a LOADING chunk, then hands it to whoever waits for it. */
static void chunk_load(struct mount_cache *c, struct evidence_cursor *cursor, struct entry *e)
{
	struct cu_error err;

	if (evidence_cursor_read(cursor, &e->chunk, &err))
		reader_unreadable(c, e, &err);
	if (e->chunk.damaged.n && c->cfg.on_damage)
		c->cfg.on_damage(c->cfg.ctx, &e->chunk);
	reader_finish(c, e);
}

static void *reader_main(void *arg)
{
	struct reader *r = arg;
	struct entry *e;

	while ((e = cu_queue_pop(r->c->work)))
		chunk_load(r->c, r->cursor, e);
	return NULL;
}

/* ---- requests ---- */

#define REQUEST_STACK 64  /* chunks a request keeps its lists for on the stack */
#define AHEAD_STACK   256 /* chunks a request queues ahead, at most */

/*
 * A request's chunks: those it reads itself (missing: no thread is reading
 * them, so a hand-off would only cost two context switches), those it
 * waits for (being read: read ahead, or by another request), and the
 * chunks it queues ahead for the readers.
 */
struct request {
	uint64_t first, n;
	struct entry **entries, **mine, **ahead;
	struct waiter *waiters;
	size_t n_mine, n_ahead, cap_ahead, waits;
	struct cu_queue *reply; /* made when the request first waits */
	struct iovec *iov;      /* the reply: a piece of each chunk */
	struct entry *stack_entries[REQUEST_STACK], *stack_mine[REQUEST_STACK];
	struct waiter stack_waiters[REQUEST_STACK];
	struct iovec stack_iov[REQUEST_STACK];
	struct entry *stack_ahead[AHEAD_STACK];
};

/*
 * Under the lock: the chunks after the request's, for a sequential reader
 * (one that starts where the last request ended, give or take the few
 * requests the kernel has in flight at once).
 */
static void request_read_ahead(struct mount_cache *c, struct request *q)
{
	uint64_t end = q->first + q->n, from, to;
	bool sequential = q->first <= c->last_end + 1 && q->first + 4 >= c->last_end;

	c->last_end = end;
	if (!sequential || !q->ahead)
		return;
	to = end + c->ahead_chunks < c->chunks ? end + c->ahead_chunks : c->chunks;
	from = c->ahead_next > end && c->ahead_next <= to ? c->ahead_next : end;
	for (uint64_t k = from; k < to && q->n_ahead < q->cap_ahead; k++) {
		struct entry *e;

		if (entry_find(c, k))
			continue;
		if (!(e = entry_new(c, k)))
			break;
		q->ahead[q->n_ahead++] = e;
	}
	c->ahead_next = to;
}

/* Under the lock: the request waits for `e`, being read by another thread. */
static int request_wait_for(struct request *q, struct entry *e, uint64_t i)
{
	if (!q->reply && cu_queue_new(&q->reply, (size_t)q->n, NULL))
		return -ENOMEM;
	q->waiters[i] = (struct waiter){.reply = q->reply, .next = e->waiters};
	e->waiters = &q->waiters[i];
	q->waits++;
	return 0;
}

/* Under the lock: a reference on each chunk of the request; the missing ones become its own. */
static int request_take(struct mount_cache *c, struct request *q)
{
	for (uint64_t i = 0; i < q->n; i++) {
		struct entry *e = entry_find(c, q->first + i);
		bool missing = !e;

		if (missing && !(e = entry_new(c, q->first + i)))
			return -ENOMEM;
		e->refs++;
		q->entries[i] = e;
		lru_remove(c, e);
		if (missing)
			q->mine[q->n_mine++] = e;
		else if (e->state == ENTRY_LOADING && request_wait_for(q, e, i))
			return -ENOMEM;
	}
	return 0;
}

/* Under the lock: the request's references given back. */
static void request_release(struct mount_cache *c, struct request *q)
{
	for (uint64_t i = 0; i < q->n && q->entries[i]; i++) {
		struct entry *e = q->entries[i];

		if (--e->refs == 0 && e->state == ENTRY_READY)
			lru_push(c, e);
	}
	cache_trim(c);
}

/* -EIO when the request's bytes touch a damaged sector (but with damaged_zero); 0. */
static int request_damage(struct mount_cache *c, const struct request *q, size_t len, uint64_t off)
{
	for (uint64_t i = 0; i < q->n && !c->cfg.damaged_zero; i++) {
		const struct evidence_chunk *ch = &q->entries[i]->chunk;

		for (size_t r = 0; r < ch->damaged.n; r++)
			if (ch->damaged.v[r].first * c->bps < off + len &&
			    (ch->damaged.v[r].first + ch->damaged.v[r].count) * c->bps > off)
				return -EIO;
	}
	return 0;
}

/* The request's bytes, as pieces of its chunks' memory (q->n of them). */
static void request_pieces(const struct request *q, size_t len, uint64_t off, struct iovec *iov)
{
	for (uint64_t i = 0; i < q->n; i++) {
		const struct evidence_chunk *ch = &q->entries[i]->chunk;
		uint64_t from = off > ch->media_off ? off : ch->media_off;
		uint64_t to =
		    off + len < ch->media_off + ch->len ? off + len : ch->media_off + ch->len;

		iov[i].iov_base = ch->media + (from - ch->media_off);
		iov[i].iov_len = (size_t)(to - from);
	}
}

static int request_setup(struct mount_cache *c, struct request *q, size_t len, uint64_t off)
{
	q->first = off / c->chunk_size;
	q->n = (off + len - 1) / c->chunk_size - q->first + 1;
	q->cap_ahead = c->ahead_chunks < AHEAD_STACK ? c->ahead_chunks : AHEAD_STACK;
	q->ahead = q->stack_ahead;
	if (q->n <= REQUEST_STACK) {
		q->entries = memset(q->stack_entries, 0, sizeof(q->stack_entries));
		q->mine = q->stack_mine;
		q->waiters = q->stack_waiters;
		q->iov = q->stack_iov;
		return 0;
	}
	q->entries = calloc((size_t)q->n, sizeof(*q->entries));
	q->mine = calloc((size_t)q->n, sizeof(*q->mine));
	q->waiters = calloc((size_t)q->n, sizeof(*q->waiters));
	q->iov = calloc((size_t)q->n, sizeof(*q->iov));
	return q->entries && q->mine && q->waiters && q->iov ? 0 : -ENOMEM;
}

static void request_free(struct request *q)
{
	if (q->entries != q->stack_entries) {
		free(q->entries);
		free(q->mine);
		free(q->waiters);
		free(q->iov);
	}
	cu_queue_free(q->reply);
}

/* After the lock: read-ahead to the readers, the request's own chunks read here, the rest awaited.
 */
static void request_fill(struct mount_cache *c, struct request *q)
{
	for (size_t i = 0; i < q->n_ahead; i++)
		cu_queue_push(c->work, q->ahead[i]);
	if (q->n_mine) {
		struct evidence_cursor *cursor = cu_queue_pop(c->cursors);

		for (size_t i = 0; i < q->n_mine; i++)
			chunk_load(c, cursor, q->mine[i]);
		cu_queue_push(c->cursors, cursor);
	}
	for (size_t i = 0; i < q->waits; i++)
		cu_queue_pop(q->reply);
}

int mount_cache_serve(struct mount_cache *c, size_t len, uint64_t off, mount_cache_reply_fn reply,
                      void *ctx)
{
	struct request r, *q = &r; /* 7 KiB: FUSE's threads have stacks of megabytes */
	int rc;

	if (len == 0) {
		reply(ctx, NULL, 0);
		return 0;
	}
	q->reply = NULL;
	q->n_mine = q->n_ahead = q->waits = 0;
	if ((rc = request_setup(c, q, len, off))) {
		request_free(q);
		return rc;
	}
	pthread_mutex_lock(&c->lock);
	rc = request_take(c, q);
	request_read_ahead(c, q);
	pthread_mutex_unlock(&c->lock);
	request_fill(c, q);
	if (!rc)
		rc = request_damage(c, q, len, off);
	if (!rc) { /* the chunks stay held (and unchanged) until the reply is made */
		request_pieces(q, len, off, q->iov);
		reply(ctx, q->iov, (int)q->n);
	}
	pthread_mutex_lock(&c->lock);
	request_release(c, q);
	pthread_mutex_unlock(&c->lock);
	request_free(q);
	return rc;
}

/* ---- the cache ---- */

/*
 * The arena: room for max_entries chunks in one anonymous mapping, aligned
 * to a huge page and advised for huge pages (a kernel that does not take
 * the advice faults small pages in, as malloc's memory would be).  Only
 * address space is taken here; memory comes as chunks first land in it.
 * Where even that cannot be had (a strict overcommit policy), chunks are
 * malloc'ed one by one.
 */
static void cache_arena(struct mount_cache *c)
{
	size_t want = c->max_entries * c->chunk_size;

	c->arena_len = want + ARENA_ALIGN;
	c->arena = mmap(NULL, c->arena_len, PROT_READ | PROT_WRITE,
	                MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (c->arena == MAP_FAILED) {
		c->arena = c->arena_base = NULL;
		return;
	}
	c->arena_base =
	    (uint8_t *)(((uintptr_t)c->arena + ARENA_ALIGN - 1) & ~(uintptr_t)(ARENA_ALIGN - 1));
	madvise(c->arena_base, want, MADV_HUGEPAGE);
}

int mount_cache_new(struct mount_cache **out, struct evidence *e,
                    const struct mount_cache_config *cfg, struct cu_error *err)
{
	struct mount_cache *c = calloc(1, sizeof(*c));

	if (!c)
		return cu_error_set(err, CU_EFAIL, "out of memory");
	c->e = e;
	c->cfg = *cfg;
	c->cfg.readers = cfg->readers ? cfg->readers : 1;
	c->chunk_size = evidence_chunk_size(e);
	c->chunks = evidence_chunk_count(e);
	c->bps = evidence_bytes_per_sector(e);
	c->max_entries = cfg->cache_bytes / c->chunk_size;
	c->max_entries =
	    c->max_entries < MOUNT_CACHE_MIN_CHUNKS ? MOUNT_CACHE_MIN_CHUNKS : c->max_entries;
	c->ahead_chunks = cfg->ahead_bytes / c->chunk_size;
	c->ahead_chunks =
	    c->ahead_chunks > c->max_entries / 2 ? c->max_entries / 2 : c->ahead_chunks;
	for (c->n_buckets = 64; c->n_buckets < 2 * c->max_entries; c->n_buckets *= 2)
		;
	pthread_mutex_init(&c->lock, NULL);
	cache_arena(c);
	if (!(c->buckets = calloc(c->n_buckets, sizeof(*c->buckets))) ||
	    !(c->readers = calloc(c->cfg.readers, sizeof(*c->readers))) ||
	    cu_queue_new(&c->work, 2 * c->max_entries + 256, err)) {
		mount_cache_free(c);
		return cu_error_set(err, CU_EFAIL, "out of memory for the chunk cache");
	}
	*out = c;
	return CU_OK;
}

/*
 * The arena's memory faulted in, a huge page at a time, without changing
 * a byte (chunks may land in it meanwhile).  A kernel without
 * MADV_POPULATE_WRITE (before Linux 5.14) leaves it to the first reads.
 */
static void *arena_fill(void *arg)
{
	struct mount_cache *c = arg;
	size_t len = c->max_entries * c->chunk_size;

	cu_thread_give_way();
	for (size_t off = 0; off < len && !atomic_load(&c->stopping); off += ARENA_ALIGN) {
#ifdef MADV_POPULATE_WRITE
		if (madvise(c->arena_base + off, len - off < ARENA_ALIGN ? len - off : ARENA_ALIGN,
		            MADV_POPULATE_WRITE) != 0)
			break;
#else
		break;
#endif
	}
	return NULL;
}

/* The cursors requests read missing chunks with: one for each reader, and a few more. */
static int cache_cursors(struct mount_cache *c, struct cu_error *err)
{
	int rc;

	c->n_cursors = c->cfg.readers + 4;
	if (!(c->own_cursors = calloc(c->n_cursors, sizeof(*c->own_cursors))) ||
	    cu_queue_new(&c->cursors, c->n_cursors, err))
		return cu_error_set(err, CU_EFAIL, "out of memory for cursors");
	for (unsigned i = 0; i < c->n_cursors; i++) {
		if ((rc = evidence_cursor_open(c->e, &c->own_cursors[i], err)))
			return rc;
		cu_queue_push(c->cursors, c->own_cursors[i]);
	}
	return CU_OK;
}

int mount_cache_start(struct mount_cache *c, struct cu_error *err)
{
	int rc = c->cursors ? CU_OK : cache_cursors(c, err);

	if (rc)
		return rc;
	for (; c->started < c->cfg.readers; c->started++) {
		struct reader *r = &c->readers[c->started];

		r->c = c;
		if ((rc = evidence_cursor_open(c->e, &r->cursor, err)))
			return rc;
		if (pthread_create(&r->thread, NULL, reader_main, r)) {
			evidence_cursor_close(r->cursor);
			return cu_error_set(err, CU_EFAIL, "cannot start a reader thread");
		}
	}
	if (c->arena_base && !c->filling) /* without it, reads fault the memory in */
		c->filling = pthread_create(&c->filler, NULL, arena_fill, c) == 0;
	return CU_OK;
}

void mount_cache_free(struct mount_cache *c)
{
	if (!c)
		return;
	if (c->work)
		cu_queue_close(c->work);
	atomic_store(&c->stopping, true);
	if (c->filling)
		pthread_join(c->filler, NULL);
	for (unsigned i = 0; i < c->started; i++) {
		pthread_join(c->readers[i].thread, NULL);
		evidence_cursor_close(c->readers[i].cursor);
	}
	for (size_t b = 0; c->buckets && b < c->n_buckets; b++)
		while (c->buckets[b]) {
			struct entry *e = c->buckets[b];

			c->buckets[b] = e->hnext;
			entry_destroy(e);
		}
	while (c->free_list) {
		struct entry *e = c->free_list;

		c->free_list = e->hnext;
		entry_destroy(e);
	}
	if (c->arena)
		munmap(c->arena, c->arena_len);
	cu_queue_free(c->work);
	for (unsigned i = 0; c->own_cursors && i < c->n_cursors; i++)
		evidence_cursor_close(c->own_cursors[i]);
	free(c->own_cursors);
	cu_queue_free(c->cursors);
	free(c->buckets);
	free(c->readers);
	pthread_mutex_destroy(&c->lock);
	free(c);
}
