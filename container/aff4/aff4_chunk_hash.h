/*
 * aff4_chunk_hash.h - the block hashes of AFF4 chunks: each chunk's
 * digests, for every algorithm asked, over its AFF4_CHUNK_SIZE unpacked
 * bytes (container/aff4/FORMAT.md, section 5.2).
 *
 * Chunks are hashed where they are packed, on many threads at once: each
 * thread keeps its own hasher, whose digest contexts are made once and
 * reset for every chunk.
 */
#ifndef CUSTOS_CONTAINER_AFF4_CHUNK_HASH_H
#define CUSTOS_CONTAINER_AFF4_CHUNK_HASH_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/error.h"
#include "lib/hash.h"

struct aff4_chunk_hasher;

/* A hasher for the algorithms `block` (CU_HASH_COUNT) asks for. */
int aff4_chunk_hasher_new(struct aff4_chunk_hasher **out, const bool *block, struct cu_error *err);

/* The digests of one chunk of AFF4_CHUNK_SIZE bytes into `out` (only those asked). */
int aff4_chunk_hasher_digest(struct aff4_chunk_hasher *h, const uint8_t *chunk,
                             struct cu_digests *out, struct cu_error *err);

void aff4_chunk_hasher_free(struct aff4_chunk_hasher *h);

#endif
