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

/* ---- one block of the media, planned and checked (aff4_image_block.c) ---- */

#define AFF4_BLOCK_PIECES 512U

enum aff4_piece_kind { AFF4_PIECE_BYTE, AFF4_PIECE_REPEAT, AFF4_PIECE_CHUNK };

struct aff4_piece {
	uint32_t at, len; /* in the block's media */
	enum aff4_piece_kind kind;
	const struct aff4_target *t;
	uint64_t toff;   /* REPEAT: the target offset of the first byte */
	uint32_t stream; /* CHUNK */
	uint32_t in_chunk, stored;
	uint64_t chunk, file_off;
	const char *why; /* CHUNK: why it cannot be located; NULL when it can */
	uint8_t have;    /* the block hashes expected, a bit an algorithm */
	uint8_t expect[AFF4_BH_COUNT][64];
};

struct aff4_block {
	uint64_t media_off;
	size_t len, n_pieces;
	uint8_t *media;            /* room for the block's bytes */
	struct aff4_piece *pieces; /* room for AFF4_BLOCK_PIECES */
	struct cu_ranges damaged;  /* sectors */
	bool unproved;             /* a chunk without any block hash */
	char what[CU_ERROR_MSG_MAX];
};

/* A planner's copy of one bevy (one at a time, whatever the streams): index, block hashes. */
struct aff4_bevy {
	size_t stream;
	uint64_t bevy, data_off, data_size;
	uint8_t *index, *bh[AFF4_BH_COUNT];
	const char *why;
};

struct aff4_planner {
	const struct aff4_image *im;
	struct aff4_bevy bevy;
	size_t run; /* the map entry reached */
};

void aff4_planner_init(struct aff4_planner *p, const struct aff4_image *im);
void aff4_planner_done(struct aff4_planner *p);
/* Places the planner for a plan that starts at media offset `pos` (not in order). */
void aff4_planner_seek(struct aff4_planner *p, uint64_t pos);
/* Fills `b` with the pieces of the media from *pos, at most `max_len` bytes; *pos moves on. */
void aff4_plan_block(struct aff4_planner *p, struct aff4_block *b, uint64_t *pos, size_t max_len);

/* One thread's buffers for reading chunks, and the chunk it read last. */
struct aff4_checker {
	const struct aff4_image *im;
	struct libdeflate_decompressor *inflater;
	uint8_t *stored, *chunk;
	uint32_t stream;
	uint64_t chunk_no; /* the chunk in `chunk`, UINT64_MAX: none */
	bool chunk_ok;
	const char *why;
};

int aff4_checker_init(struct aff4_checker *c, const struct aff4_image *im); /* -1: no memory */
void aff4_checker_free(struct aff4_checker *c);
/* The media of a planned block read and checked; damage goes into b->damaged and b->what. */
int aff4_check_block(struct aff4_checker *c, struct aff4_block *b, struct cu_error *err);

/* The member of bevy `b` of stream `st` with `what` after its number ("", ".index"), malloc'ed. */
char *aff4_bevy_member(const struct aff4_in_stream *st, uint64_t b, const char *what);

/* The member name of `uri` with its name inside (`suffix`, "" for none), malloc'ed. */
char *aff4_image_member(const char *uri, const char *suffix);

/* The name of block-hash algorithm `a` ("md5", ...). */
const char *aff4_bh_name(enum aff4_bh a);
size_t aff4_bh_size(enum aff4_bh a);

/* Chunks in bevy `b` of `s`. */
uint64_t aff4_bevy_chunks(const struct aff4_in_stream *s, uint64_t b);

#endif
