/*
 * aff4_stream.h - an aff4:ImageStream written into an AFF4 volume: chunks
 * of 32 KiB packed with snappy, lz4, deflate or stored, in bevies of 2048
 * chunks, each bevy a member of the volume followed by its index member
 * (container/aff4/FORMAT.md, section 2).
 *
 * Packing runs on as many threads as the caller likes (one aff4_packer
 * each); the stream takes packed chunks strictly in order.  A chunk whose
 * packed form is not shorter than the chunk size less 16 bytes is stored
 * raw, as the standard says: a stored length equal to the chunk size means
 * raw to every reader.  Every chunk is whole: the caller pads the last with
 * zeros, and the stream's size is a multiple of the chunk size (the map
 * exposes only the media's bytes).
 *
 * Block hashes (FORMAT.md section 5.2): for each algorithm asked for, the
 * digest of every chunk as it reads back (unpacked, the whole chunk), in
 * chunk order, as a member NNNNNNNN.blockHash.<alg> after its bevy and
 * before the index; the SHA-512 of each algorithm's members in bevy order
 * (the aff4:BlockHashes hash, section 5.3) is kept for the metadata.
 */
#ifndef CUSTOS_CONTAINER_AFF4_STREAM_H
#define CUSTOS_CONTAINER_AFF4_STREAM_H

#include <stddef.h>
#include <stdint.h>

#include "container/aff4/aff4_zip.h"
#include "lib/error.h"
#include "lib/hash.h"

#define AFF4_CHUNK_SIZE        32768U
#define AFF4_CHUNKS_IN_SEGMENT 2048U

enum aff4_compression {
	AFF4_COMPRESSION_NONE,
	AFF4_COMPRESSION_SNAPPY,
	AFF4_COMPRESSION_LZ4,
	AFF4_COMPRESSION_DEFLATE
};

/* The aff4:compressionMethod URI of `c`; NULL for none (the property is left out). */
const char *aff4_compression_uri(enum aff4_compression c);

struct aff4_packer;

int aff4_packer_new(struct aff4_packer **out, enum aff4_compression c, struct cu_error *err);

/*
 * Packs one chunk of AFF4_CHUNK_SIZE bytes into `out` (AFF4_CHUNK_SIZE bytes
 * of room); returns the stored length, AFF4_CHUNK_SIZE when stored raw.
 */
size_t aff4_packer_pack(struct aff4_packer *p, const uint8_t *chunk, uint8_t *out);

void aff4_packer_free(struct aff4_packer *p);

struct aff4_stream;

/*
 * `name` is the stream's member folder: its URN with aff4:// encoded
 * (aff4%3A%2F%2F...); `block` the algorithms of the block hashes (may be NULL: none).
 */
int aff4_stream_new(struct aff4_stream **out, struct aff4_zip *zip, const char *name,
                    const bool block[CU_HASH_COUNT], struct cu_error *err);

/*
 * Appends the next chunk, as aff4_packer_pack stored it, with the digests
 * of its unpacked bytes for every block-hash algorithm (NULL when none).
 */
int aff4_stream_add_chunk(struct aff4_stream *s, const uint8_t *stored, size_t len,
                          const struct cu_digests *block, struct cu_error *err);

/* Ends the last bevy: its data member, then its index member. */
int aff4_stream_finish(struct aff4_stream *s, struct cu_error *err);

/* After finish: the SHA-512 of `alg`'s block-hash members, in bevy order; NULL if none. */
const uint8_t *aff4_stream_block_hashes_hash(const struct aff4_stream *s, enum cu_hash_alg alg);

/* Chunks written; the stream's aff4:size is that many chunk sizes. */
uint64_t aff4_stream_chunks(const struct aff4_stream *s);

void aff4_stream_free(struct aff4_stream *s);

#endif
