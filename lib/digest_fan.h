/*
 * digest_fan.h - blocks of media hashed by several digests at once, each
 * on a thread of its own, every one in the order the blocks are pushed.
 *
 * The shape every reader of evidence shares (the checked scan of an EWF
 * set, the read of a raw one): the caller pushes its blocks in media order;
 * each digest thread updates its hash with every block; once the last of
 * them is done with a block, `release` hands it back (to the caller's free
 * queue).  Memory is the caller's blocks: each carries its cu_digest_item.
 * MD5, the one stream no parallelism shortens, never yields its core.
 */
#ifndef CUSTOS_LIB_DIGEST_FAN_H
#define CUSTOS_LIB_DIGEST_FAN_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/error.h"
#include "lib/hash.h"

/* What a pushed block carries; the caller fills data, len and block. */
struct cu_digest_item {
	const uint8_t *data;
	size_t len;
	void *block;     /* given back to release */
	atomic_int refs; /* the fan's own */
};

struct cu_digest_fan;

/*
 * Starts a thread per digest in `want` (none: every push is released at
 * once); at most `depth` blocks are ever in flight.
 */
int cu_digest_fan_new(struct cu_digest_fan **out, const bool want[CU_HASH_COUNT], size_t depth,
                      void (*release)(void *ctx, void *block), void *ctx, struct cu_error *err);

/* Hands the next block to every digest. */
void cu_digest_fan_push(struct cu_digest_fan *f, struct cu_digest_item *item);

/*
 * Waits for every digest to take what was pushed, joins the threads and
 * frees the fan; the digests go into `out` when `ok` (else they are only
 * discarded).  Returns the first failure of a digest, or CU_OK.
 */
int cu_digest_fan_end(struct cu_digest_fan *f, bool ok, struct cu_digests *out,
                      struct cu_error *err);

#endif
