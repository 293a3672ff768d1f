/*
 * aff4_map.h - an aff4:Map written into an AFF4 volume: the media's
 * address space laid onto its image stream and onto symbolic streams
 * (container/aff4/FORMAT.md, section 3).
 *
 * Two members: `map`, 28 bytes an entry (mappedOffset, length,
 * targetOffset as u64, targetID as u32, little-endian), sorted and
 * non-overlapping; and `idx`, the targets' URIs, one a line, each ended by
 * LF, a target's ID being its line number.  Runs are given in media order;
 * one that continues the run before on the same target is merged into it.
 * Unreadable runs point to aff4:UnreadableData with targetOffset equal to
 * mappedOffset, as the reference images have them, each run exactly as the
 * acquisition recorded it.
 */
#ifndef CUSTOS_CONTAINER_AFF4_MAP_H
#define CUSTOS_CONTAINER_AFF4_MAP_H

#include <stddef.h>
#include <stdint.h>

#include "container/aff4/aff4_zip.h"
#include "lib/error.h"
#include "lib/hash.h"

#define AFF4_UNREADABLE_URI "http://aff4.org/Schema#UnreadableData"

struct aff4_map;

/* A map whose data runs point into the stream `stream_uri` (target 0). */
int aff4_map_new(struct aff4_map **out, const char *stream_uri, struct cu_error *err);

/* Media bytes [offset, offset + length) are stream bytes from `stream_offset`. */
int aff4_map_add_data(struct aff4_map *m, uint64_t offset, uint64_t length, uint64_t stream_offset,
                      struct cu_error *err);

/* Media bytes [offset, offset + length) could not be read. */
int aff4_map_add_unreadable(struct aff4_map *m, uint64_t offset, uint64_t length,
                            struct cu_error *err);

/* The map's hashes (FORMAT.md section 5.4), SHA-512 of its members as written. */
struct aff4_map_hashes {
	uint8_t point[64]; /* aff4:mapPointHash: of `map` */
	uint8_t idx[64];   /* aff4:mapIdxHash: of `idx` */
	uint8_t map[64];   /* aff4:mapHash: of `map` then `idx` */
};

/*
 * Writes `<name>/map` and `<name>/idx` (name: the map's URN, encoded) into
 * the volume, and gives their hashes.
 */
int aff4_map_write(const struct aff4_map *m, struct aff4_zip *zip, const char *name,
                   struct aff4_map_hashes *hashes, struct cu_error *err);

/*
 * aff4:blockMapHash (section 5.5): SHA-512 of each algorithm's BlockHashes
 * hash (`block[alg]`, NULL where there are none), in the order MD5, SHA-1,
 * SHA-256, then mapPointHash and mapIdxHash.
 */
int aff4_map_block_map_hash(const uint8_t *const block[CU_HASH_COUNT],
                            const struct aff4_map_hashes *hashes, uint8_t out[64],
                            struct cu_error *err);

void aff4_map_free(struct aff4_map *m);

/*
 * The bytes a reader sees where the map points to aff4:UnreadableData:
 * "UNREADABLEDATA" repeated in tiles of 1 MiB (FORMAT.md section 3.4), at
 * target offsets equal to the media's, as custos maps them: `len` bytes
 * from media offset `offset` into `buf`.
 */
void aff4_unreadable_fill(uint8_t *buf, uint64_t offset, size_t len);

#endif
