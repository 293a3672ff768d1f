/*
 * ewf_chunk.h - turning a chunk of media into what an E01 stores, and back.
 *
 * A chunk is stored either zlib-compressed (its own Adler-32 inside the zlib
 * stream) or raw followed by an Adler-32 of the raw bytes.  A packer holds
 * one compressor and is used by one thread at a time: the acquisition gives
 * each compression thread its own, so chunks compress in parallel while the
 * writer stores them in order.
 */
#ifndef CUSTOS_CONTAINER_EWF_CHUNK_H
#define CUSTOS_CONTAINER_EWF_CHUNK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/error.h"

enum ewf_compression {
	EWF_COMPRESSION_NONE = 0,  /* every chunk raw */
	EWF_COMPRESSION_EMPTY = 1, /* only chunks of one repeated byte compressed */
	EWF_COMPRESSION_FAST = 2,
	EWF_COMPRESSION_BEST = 3
};

extern const char *const ewf_compression_names[]; /* NULL-terminated */

/* The volume section's compression level byte for a mode. */
uint8_t ewf_compression_level(enum ewf_compression c);

struct ewf_packer;

int ewf_packer_new(struct ewf_packer **out, enum ewf_compression c, struct cu_error *err);
void ewf_packer_free(struct ewf_packer *p);

/* Room a packed chunk of `len` raw bytes may need. */
size_t ewf_packed_bound(size_t len);

/*
 * Packs `len` raw bytes into `out` (ewf_packed_bound(len) bytes).  Returns the
 * stored length; *compressed says which form was chosen.  A compressed form
 * that is not smaller than the raw chunk is never used.
 */
size_t ewf_packer_pack(struct ewf_packer *p, const uint8_t *raw, size_t len, uint8_t *out,
                       bool *compressed);

/*
 * An unpacker: what one thread needs to turn stored chunks back into media,
 * each checked (ewf_unpacker_unpack).  Every reader of EWF media checks
 * chunks here: verify's scan and mount's random reads.
 *
 * The last few short compressed chunks (EWF_UNPACK_MEMO bytes at most: a
 * chunk of one repeated byte, zeros above all) are remembered with the
 * media they gave:
 * the same stored bytes again give the same media without inflating them
 * (inflate is a function of its input, and those bytes were inflated and
 * checked once already).  libdeflate copies such runs a byte at a time;
 * drives hold many of them.
 */
#define EWF_UNPACK_MEMO 256U

struct ewf_unpacker;

int ewf_unpacker_new(struct ewf_unpacker **out, size_t chunk_size, struct cu_error *err);
void ewf_unpacker_free(struct ewf_unpacker *u);

/*
 * The media of a stored chunk (`stored`, `len` bytes, zlib-compressed or raw
 * followed by its Adler-32) into `media` (room for the chunk size), which
 * must give at least `expect` bytes (the last chunk of a set may be short).
 * false when it is damaged: it does not inflate, or its checksum fails;
 * *why then says which.
 */
bool ewf_unpacker_unpack(struct ewf_unpacker *u, const uint8_t *stored, size_t len, bool compressed,
                         uint8_t *media, size_t expect, const char **why);

#endif
