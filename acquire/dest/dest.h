/*
 * dest.h - where an acquisition writes: an ordered list of destinations,
 * each behind one small interface.
 *
 * A destination is an E01 set (dest_e01.c), a raw image, single or split,
 * or a clone onto a drive (dest_raw.c).  The pipeline reads the source once
 * and hands every block, in media order, to each destination that is still
 * live: the media bytes, and the block's chunks, packed once for all the
 * destinations that take packed chunks (every E01 copy has the same chunk
 * size and compression, so that their segment files are byte-identical).
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

#include "container/ewf/ewf_writer.h"
#include "lib/error.h"
#include "lib/file_set.h"
#include "lib/hash.h"
#include "lib/ranges.h"
#include "source/pipeline.h"

#define ACQ_DESTS_MAX 8

enum acq_dest_kind { ACQ_DEST_E01, ACQ_DEST_RAW, ACQ_DEST_CLONE };

/* What reading a destination back needs. */
struct acq_dest_reread {
	const bool *want; /* CU_HASH_COUNT digests */
	unsigned threads;
	const int *cancel_fd;
	uint64_t size;     /* a clone: the source's bytes on the drive */
	const char *sysfs; /* NULL: "/sys" */
};

struct acq_dest_ops {
	const char *name; /* "E01", "raw", "clone" */
	bool packed;      /* takes the packed chunks */
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

/* dest_raw.c: a raw image (split: bytes per file; 0 one file) or a clone. */
int acq_dest_raw_open(struct acq_dest *d, uint64_t split, uint64_t size, struct cu_error *err);

/* Whether any live destination takes packed chunks. */
bool acq_dests_packed(const struct acq_dests *l);

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
	int compression; /* enum ewf_compression */
	struct acq_mapfile *mapfile;
};

void acq_sink_init(struct acq_sink *s, struct acq_dests *dests, int compression,
                   uint64_t chunk_size, struct acq_mapfile *mapfile);

#endif
