/*
 * pipeline.h - the acquisition's copy stage, on threads.
 *
 *   reader (calling thread) --> MD5 thread     (in order)
 *                           --> SHA-1 thread   (in order, when asked)
 *                           --> SHA-256 thread (in order)
 *                           --> compression pool (any order) --> writer (in order)
 *
 * The medium moves in blocks of about a megabyte (whole chunks).  A fixed
 * set of blocks circulates through lib/queue.h queues, so memory stays the
 * same whatever the medium's size; a block returns to the reader once every
 * digest thread and the writer are done with it.  One MD5 stream is the
 * limit no parallelism removes; everything else hides behind it.
 *
 * A stream is read to its end, block after block; its last block is
 * completed to a whole sector as a file's is.  Its size is known only then
 * (*streamed); with an expected size, a stream that ends early or runs
 * long fails the run.
 */
#ifndef CUSTOS_ACQUIRE_PIPELINE_H
#define CUSTOS_ACQUIRE_PIPELINE_H

#include <stdint.h>

#include "acquire/source.h"
#include "container/ewf_chunk.h"
#include "acquire/dest.h"
#include "acquire/mapfile.h"
#include "lib/error.h"
#include "lib/hash.h"
#include "lib/ranges.h"

/* A region of the window that read slowly, in bytes, with the time it took. */
struct acq_slow {
	uint64_t first, count;
	double seconds;
};

struct acq_slow_list {
	struct acq_slow *v;
	size_t n, cap;
};

void acq_slow_list_free(struct acq_slow_list *l);

typedef void (*acq_progress_fn)(void *ctx, uint64_t done, uint64_t total, uint64_t bad_sectors);

struct acq_pipeline_io {
	struct acq_source *source;
	uint64_t source_size; /* exact bytes to read; a stream: those expected, 0 unknown */
	uint64_t media_size;  /* source_size completed to whole sectors */
	bool stream;          /* read to the stream's end; no retries, no checkpoints */
	uint64_t *streamed;   /* out: the bytes a stream gave */
	uint64_t chunk_size;
	enum ewf_compression compression;
	unsigned threads;                    /* compression threads */
	struct cu_hash *hash[CU_HASH_COUNT]; /* NULL where not wanted */
	struct cu_digests *source_exact;     /* gets the digests of the exact bytes */
	struct acq_dests *dests;             /* where it goes; NULL: hash only */
	acq_progress_fn progress;            /* called by the reader; may be NULL */
	const int *cancel_fd; /* a non-blocking signalfd; a signal there stops the run */
	void *progress_ctx;

	/* failing media */
	uint32_t bytes_per_sector;         /* the evidence's sector: the unit of error2 */
	unsigned retries;                  /* further attempts at an unreadable unit */
	uint32_t read_unit;                /* the smallest range read alone (bytes) */
	const struct cu_ranges *known_bad; /* window bytes not to read (ddrescue map) */
	double slow_seconds;               /* a block slower than this is a slow region; 0: off */
	struct cu_ranges *bad;             /* out: unreadable window bytes, zero-filled */
	uint64_t *failed_reads;      /* out: reads that failed with a media error; may be NULL */
	struct acq_slow_list *slow;  /* out: slow regions */
	struct acq_mapfile *mapfile; /* kept current while reading; may be NULL */

	/* resuming */
	uint64_t start;            /* window offset to begin at: a resumed run's */
	uint64_t checkpoint_every; /* bytes between checkpoints (and at most 30 s); 0: none */
	uint64_t interrupt_at;     /* tests: stop as if interrupted once this much is read */
	bool stop_at_half;         /* tests: SIGSTOP once half the source is read */
	int (*checkpoint)(void *ctx, uint64_t done, struct cu_error *err);
	void *checkpoint_ctx; /* called with every stage idle, all before `done` written */
};

/* Reads, hashes, packs and writes the whole medium. */
int acq_pipeline_run(const struct acq_pipeline_io *io, struct cu_error *err);

#endif
