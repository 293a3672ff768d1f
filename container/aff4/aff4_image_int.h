/*
 * aff4_image_int.h - what aff4_image_read.c (the volume opened and checked)
 * and aff4_image_scan.c (the media read) share; not a public interface.
 */
#ifndef CUSTOS_CONTAINER_AFF4_IMAGE_INT_H
#define CUSTOS_CONTAINER_AFF4_IMAGE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "container/aff4/aff4_image_read.h"
#include "container/aff4/aff4_rdf.h"
#include "container/aff4/aff4_zip_read.h"

/* The block-hash algorithms, in the order the blockMapHash takes them (FORMAT.md 5.5). */
enum aff4_bh { AFF4_BH_MD5, AFF4_BH_SHA1, AFF4_BH_SHA256, AFF4_BH_SHA512, AFF4_BH_BLAKE2B };
#define AFF4_BH_COUNT 5

enum aff4_codec {
	AFF4_CODEC_NONE,
	AFF4_CODEC_SNAPPY,
	AFF4_CODEC_LZ4,
	AFF4_CODEC_DEFLATE,
	AFF4_CODEC_ZLIB
};

#define AFF4_CHUNK_MAX      (8U << 20)
#define AFF4_PER_BEVY_MAX   65536U /* the planner holds one bevy's index and hashes: 21 MiB */
#define AFF4_MAP_MEMBER_MAX (512U << 20)
#define AFF4_IDX_MAX        (1U << 20)
#define AFF4_TARGETS_MAX    4096U
#define AFF4_MAPPATH_MAX    (64U << 20)

struct aff4_in_stream {
	const char *uri; /* in the graph */
	char *name;      /* its members' folder */
	uint64_t size, chunks, bevies;
	uint32_t chunk_size, per_bevy;
	enum aff4_codec codec;
	bool bh[AFF4_BH_COUNT];         /* a block-hash member in every bevy, of the right size */
	bool bh_partial[AFF4_BH_COUNT]; /* in some bevies only, or of a wrong size */
};

enum aff4_target_kind { AFF4_TARGET_STREAM, AFF4_TARGET_BYTE, AFF4_TARGET_REPEAT };

struct aff4_target {
	enum aff4_target_kind kind;
	uint8_t byte;        /* BYTE */
	const char *pattern; /* REPEAT: "UNKNOWN", "UNREADABLEDATA" */
	size_t plen;
	size_t stream; /* STREAM: its index */
};

struct aff4_run {
	uint64_t media, len, toff;
	uint32_t target;
};

/* The map's own hashes, by SHA-512 and SHA-256: of map, idx, mapPath, and all three. */
struct aff4_map_sums {
	uint8_t h512[4][64], h256[4][32];
	bool has_path;
};

struct aff4_image {
	char *path;
	int fd;
	struct aff4_zip_read *zip;
	struct aff4_rdf *rdf;
	char *volume;
	const char *image, *map; /* URNs, in the graph */
	uint64_t media_size;
	uint32_t sector_size;
	struct aff4_run *runs;
	size_t n_runs;
	struct aff4_target targets[AFF4_TARGETS_MAX];
	size_t n_targets;
	struct aff4_target gap; /* what fills what the map leaves out */
	struct aff4_in_stream *streams;
	size_t n_streams;
	struct cu_digests linear;
	struct aff4_map_sums sums;
};

/* The member name of `uri` with its name inside (`suffix`, "" for none), malloc'ed. */
char *aff4_image_member(const char *uri, const char *suffix);

/* The name of block-hash algorithm `a` ("md5", ...). */
const char *aff4_bh_name(enum aff4_bh a);
size_t aff4_bh_size(enum aff4_bh a);

/* Chunks in bevy `b` of `s`. */
uint64_t aff4_bevy_chunks(const struct aff4_in_stream *s, uint64_t b);

#endif
