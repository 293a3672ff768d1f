/*
 * mount_cache.h - the media of an evidence set served at random, every
 * chunk checked as it is read, for custos mount.
 *
 *   mount_cache_serve (any FUSE thread)
 *     -> each chunk the request covers: from the cache (no inflate), or
 *        queued for the readers and waited for (its own reply queue)
 *     -> the reply made from the chunks' own memory, while they are held
 *     -> a sequential reader's next chunks queued ahead (read-ahead)
 *   readers (a pool of threads, each with its own evidence cursor)
 *     -> evidence_cursor_read: the chunk unpacked and checked, damage noted
 *        once through the caller's callback, then handed to every request
 *        that waits for it
 *
 * The cache holds at most its bound of chunks that no request is using
 * (least recently used first out); chunks being read or copied are held
 * besides, a few per request.  Every hand-off between threads goes through
 * lib/queue.h: the readers' work queue, and one reply queue per request.
 */
#ifndef CUSTOS_CONTAINER_MOUNT_MOUNT_CACHE_H
#define CUSTOS_CONTAINER_MOUNT_MOUNT_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include "container/evidence.h"
#include "lib/error.h"

struct mount_cache;

/* A chunk found damaged, the first time it is read (called on a reader thread). */
typedef void (*mount_damage_fn)(void *ctx, const struct evidence_chunk *c);

struct mount_cache_config {
	size_t cache_bytes; /* the chunks kept (at least MOUNT_CACHE_MIN_CHUNKS of them) */
	size_t ahead_bytes; /* how far ahead of a sequential reader chunks are read */
	unsigned readers;   /* threads that read chunks (at least 1) */
	bool damaged_zero;  /* damaged sectors read as zeros, not as EIO */
	mount_damage_fn on_damage;
	void *ctx;
};

#define MOUNT_CACHE_MIN_CHUNKS 16U

/* A cache over `e` (which outlives it); no thread runs before mount_cache_start. */
int mount_cache_new(struct mount_cache **out, struct evidence *e,
                    const struct mount_cache_config *cfg, struct cu_error *err);

/* Starts the readers (after a fork: threads do not survive one). */
int mount_cache_start(struct mount_cache *c, struct cu_error *err);

/* Sends a reply made of `n` pieces of memory, valid only during the call. */
typedef int (*mount_cache_reply_fn)(void *ctx, const struct iovec *iov, int n);

/*
 * Media bytes [off, off + len) (off + len within the media), handed to
 * `reply` as pieces of the cached chunks, with no copy.  0: `reply` was
 * called (its result is its own); -EIO when the bytes touch a damaged
 * sector (but with damaged_zero), or -ENOMEM: `reply` was not called.
 */
int mount_cache_serve(struct mount_cache *c, size_t len, uint64_t off, mount_cache_reply_fn reply,
                      void *ctx);

/* Stops the readers and frees everything. */
void mount_cache_free(struct mount_cache *c);

#endif
