/*
 * dest.h - where an acquisition writes: an ordered list of destinations,
 * each behind one small interface.
 *
 * A destination is an E01 set (dest_e01.c), an AFF4 volume (dest_aff4.c),
 * a raw image, single or split, or a clone onto a drive (dest_raw.c).  The pipeline reads the
 * source once and hands every block, in media order, to each destination that is still live: the
 * media bytes, and the block's chunks, packed once for all the destinations that take packed chunks
 * (every E01 copy has the same chunk size and compression, so that their segment files are
 * byte-identical).
 *
 * The pipeline (source/pipeline.h) reaches them through the sink of
 * sink.c, which packs each chunk once and writes each block to the list.
 *
 * A destination that fails (a full disk, an I/O error) stops alone: its
 * files are removed, its reason kept, and the others go on.  The failure of
 * the last one still being written is the run's (with one copy, as ever).  A destination added
 * later (a second container format) is one new file behind these operations.
 */
#ifndef CUSTOS_ACQUIRE_DEST_H
#define CUSTOS_ACQUIRE_DEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "container/aff4/aff4_stream.h"
#include "container/ewf/ewf_writer.h"
#include "lib/error.h"
#include "lib/file_set.h"
#include "lib/hash.h"
#include "lib/meta.h"
#include "lib/ranges.h"
#include "source/pipeline.h"

#define ACQ_DESTS_MAX 8

enum acq_dest_kind { ACQ_DEST_E01, ACQ_DEST_RAW, ACQ_DEST_CLONE, ACQ_DEST_AFF4 };

/* How a destination takes its chunks: not at all, packed for E01, or for AFF4. */
enum acq_pack { ACQ_PACK_NONE, ACQ_PACK_E01, ACQ_PACK_AFF4 };

/*
 * An AFF4 chunk as the sink packs it (AFF4_CHUNK_SIZE bytes of the media,
 * the last padded with zeros): its block digests, then its stored bytes.
 */
#define ACQ_AFF4_SLOT_HEAD sizeof(struct cu_digests)
#define ACQ_AFF4_SLOT      (ACQ_AFF4_SLOT_HEAD + AFF4_CHUNK_SIZE)

/* What reading a destination back needs. */
struct acq_dest_reread {
	const bool *want; /* CU_HASH_COUNT digests */
	unsigned threads;
	const int *cancel_fd;
	uint64_t size;     /* a clone: the source's bytes on the drive */
	const char *sysfs; /* NULL: "/sys" */
};

struct acq_dest_ops {
	const char *name;   /* "E01", "raw", "clone", "AFF4" */
	enum acq_pack pack; /* the chunks it takes */
	int (*write)(void *impl, const struct source_block *b, struct cu_error *err);
	/* Everything before is durable; NULL: the destination cannot be resumed. */
	int (*checkpoint)(void *impl, struct ewf_writer_state *st, struct cu_error *err);
	/* A stream has ended with `sectors` of the media (E01 only; may be NULL). */
	int (*stream_ended)(void *impl, uint64_t sectors, struct cu_error *err);
	int (*finish)(void *impl, const struct cu_digests *media, struct cu_error *err);
	int (*reread)(void *impl, const struct acq_dest_reread *r, struct cu_digests *out,
	              struct cu_error *err);
	void (*abort)(void *impl);
	const struct cu_file_set *(*files)(const void *impl);
	void (*free)(void *impl);
};

struct acq_dest {
	const struct acq_dest_ops *ops;
	void *impl;
	const char *path; /* -o as given, made absolute */
	enum acq_dest_kind kind;
	bool failed;           /* stopped, its files removed */
	struct cu_error error; /* why it stopped */
};

struct acq_dests {
	struct acq_dest v[ACQ_DESTS_MAX];
	size_t n;
	/* Called once per destination that fails while others go on; may be NULL. */
	void (*on_fail)(void *ctx, const struct acq_dest *d);
	void *fail_ctx;
};

/* dest_e01.c: an E01 set at o->base; `resume`: go on from that checkpoint. */
int acq_dest_e01_open(struct acq_dest *d, const struct ewf_writer_options *o,
                      const struct ewf_writer_state *resume, struct cu_error *err);

/* The writer of an E01 destination (its set identifier, its errors). */
struct ewf_writer *acq_dest_e01_writer(const struct acq_dest *d);

/* What an AFF4 destination is written with (every pointer outlives it). */
struct acq_aff4_options {
	const char *path; /* BASE.aff4 */
	enum aff4_compression compression;
	const bool *block; /* CU_HASH_COUNT: the block-hash algorithms */
	time_t started;
	const uint64_t *media_size; /* bytes, read at the end (a stream's is learnt then) */
	uint32_t sector_size;
	const char *make, *model, *serial, *firmware; /* the drive; "" unknown */
	const struct cu_meta *meta;
};

/* The block-hash algorithms of custos' AFF4 volumes: SHA-256. */
extern const bool acq_aff4_block_hashes[CU_HASH_COUNT];

/* The AFF4 method of --compression's value (enum acq_compression). */
enum aff4_compression acq_aff4_compression(int compression);

/* dest_aff4.c: an AFF4 volume (container/aff4/aff4_writer.h). */
int acq_dest_aff4_open(struct acq_dest *d, const struct acq_aff4_options *o, struct cu_error *err);

/* dest_raw.c: a raw image (split: bytes per file; 0 one file) or a clone. */
int acq_dest_raw_open(struct acq_dest *d, uint64_t split, uint64_t size, struct cu_error *err);

/* A container's digests read back through the evidence reader (E01, AFF4); damage clears them. */
int acq_dest_reread_evidence(const char *first, const struct acq_dest_reread *r,
                             struct cu_digests *out, struct cu_error *err);

/* How the live destinations take their chunks (one run packs for one format). */
enum acq_pack acq_dests_pack(const struct acq_dests *l);

/* The live destinations, and whether every one of them can be resumed. */
size_t acq_dests_live(const struct acq_dests *l);
bool acq_dests_resumable(const struct acq_dests *l);

/*
 * Each live destination takes the block.  One that fails stops (its files
 * removed) while others go on; the last one's failure is returned.
 */
int acq_dests_write(struct acq_dests *l, const struct source_block *b, struct cu_error *err);

/* Checkpoints every live destination; `st` is the E01 writers' state (all equal). */
int acq_dests_checkpoint(struct acq_dests *l, struct ewf_writer_state *st, struct cu_error *err);

/* A stream has ended: every E01 destination learns the media's size. */
int acq_dests_stream_ended(struct acq_dests *l, uint64_t sectors, struct cu_error *err);

/* Finishes every live destination; an error only when the last one fails. */
int acq_dests_finish(struct acq_dests *l, const struct cu_digests *media, struct cu_error *err);

/* Stops `d` with the reason in `err` (its files removed), as a failed write does. */
void acq_dest_fail(struct acq_dests *l, struct acq_dest *d, const struct cu_error *err);

/* A failed run: every destination's files go, but those kept to resume. */
void acq_dests_abort(struct acq_dests *l, bool keep_resumable);

void acq_dests_free(struct acq_dests *l);

/* What a destination on a file system needs: certainly, and at most. */
struct acq_room_need {
	const char *base; /* where its files go */
	uint64_t certain, worst;
};

/*
 * room.c: refuses (CU_EUSAGE) when a file system cannot hold what its
 * copies certainly need; says so through `notice` (may be NULL) when it
 * cannot hold their worst case.
 */
int acq_room_check(const struct acq_room_need *needs, size_t n,
                   void (*notice)(void *, const char *), void *ctx, struct cu_error *err);

/*
 * sink.c: the pipeline's sink for an acquisition: chunks packed once (for
 * E01, with `compression`), each block written to every live destination,
 * the mapfile (may be NULL) advanced as the reader goes.
 */
struct acq_mapfile;
struct acq_sink {
	struct source_sink sink;
	struct acq_dests *dests;
	enum acq_pack pack;
	int compression;   /* enum ewf_compression, or enum aff4_compression */
	const bool *block; /* AFF4: the block-hash algorithms */
	struct acq_mapfile *mapfile;
};

void acq_sink_init(struct acq_sink *s, struct acq_dests *dests, int compression,
                   uint64_t chunk_size, struct acq_mapfile *mapfile);

/* AFF4: the block-hash algorithms (CU_HASH_COUNT), which outlive the sink. */
void acq_sink_set_block(struct acq_sink *s, const bool *block);

#endif
