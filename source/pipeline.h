/*
 * pipeline.h - reading a source once, on threads: every digest in order,
 * and a sink (an acquisition's destinations) that packs and writes.
 *
 *   reader (calling thread) --> MD5 thread     (in order)
 *                           --> SHA-1 thread   (in order, when asked)
 *                           --> SHA-256 thread (in order)
 *                           --> a thread per algorithm's windows (in order, when asked)
 *                           --> sink: packing pool (any order) --> writer (in order)
 *
 * The pipeline knows nothing of evidence formats: an acquisition gives it a
 * sink (acquire/dest/sink.c); a second read of a source (rehash.h) none.
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
#ifndef CUSTOS_SOURCE_PIPELINE_H
#define CUSTOS_SOURCE_PIPELINE_H

#include <stdint.h>

#include "lib/error.h"
#include "lib/hash.h"
#include "lib/hash_windows.h"
#include "lib/ranges.h"
#include "source/source.h"

/* A region of the window that read slowly, in bytes, with the time it took. */
struct source_slow {
	uint64_t first, count;
	double seconds;
};

struct source_slow_list {
	struct source_slow *v;
	size_t n, cap;
};

void source_slow_list_free(struct source_slow_list *l);

/* A chunk of a block as the sink packed it. */
struct source_packed {
	size_t len;
	bool compressed; /* packed; else stored as it is */
};

/* One run of the media, as the pipeline hands it to the sink, in media order. */
struct source_block {
	const uint8_t *data;         /* the media bytes */
	size_t exact_len;            /* the source's own bytes */
	size_t media_len;            /* completed to a whole sector (the last block) */
	const struct cu_ranges *bad; /* unreadable bytes of it, window offsets */
	const uint8_t *packed;       /* chunk i at packed + i * packed_stride */
	size_t packed_stride;
	const struct source_packed *chunks; /* NULL when the sink packs nothing */
	unsigned n_chunks;
};

/*
 * What consumes the blocks besides the digests (an acquisition's
 * destinations): a pool of threads packs each block's chunks, in any order,
 * into room the pipeline gives (packed_stride bytes a chunk); one thread
 * then writes them, in media order.  A pipeline without a sink only hashes.
 */
struct source_sink {
	size_t packed_stride; /* bytes a packed chunk may take; 0: nothing is packed */
	bool whole_sectors;   /* a stream's last block completed to a sector */
	/* each packing thread's own state (a compressor) */
	int (*worker_new)(void *ctx, void **state, struct cu_error *err);
	void (*worker_free)(void *state);
	size_t (*pack)(void *state, const uint8_t *chunk, size_t len, uint8_t *out,
	               bool *compressed);
	int (*write)(void *ctx, const struct source_block *b, struct cu_error *err);
	/* the reader has read up to `end`, with these unreadable areas; may be NULL */
	int (*read)(void *ctx, uint64_t end, const struct cu_range *bad, size_t n_bad,
	            struct cu_error *err);
	/*
	 * What unreadable bytes read as in the sink's format, `len` of them from
	 * window offset `offset`, before any digest sees them; NULL: zeros.
	 */
	void (*fill)(uint8_t *buf, uint64_t offset, size_t len);
	void *ctx;
};

typedef void (*source_progress_fn)(void *ctx, uint64_t done, uint64_t total, uint64_t bad_sectors);

struct source_pipeline_io {
	struct source *source;
	uint64_t source_size; /* exact bytes to read; a stream: those expected, 0 unknown */
	uint64_t media_size;  /* source_size completed to whole sectors */
	bool stream;          /* read to the stream's end; no retries, no checkpoints */
	uint64_t *streamed;   /* out: the bytes a stream gave */
	uint64_t chunk_size;
	unsigned threads;                    /* packing threads */
	struct cu_hash *hash[CU_HASH_COUNT]; /* NULL where not wanted */
	/* each algorithm's windows of the media (lib/hash_windows.h), each on a
	   thread of its own; NULL where not wanted */
	struct cu_hash_windows *windows[CU_HASH_COUNT];
	struct cu_digests *source_exact; /* gets the digests of the exact bytes */
	const struct source_sink *sink;  /* where it goes; NULL: hash only */
	source_progress_fn progress;     /* called by the reader; may be NULL */
	const int *cancel_fd;            /* a non-blocking signalfd; a signal there stops the run */
	void *progress_ctx;

	/* failing media */
	uint32_t bytes_per_sector; /* the evidence's sector: the unit of error2 */
	unsigned retries;          /* further attempts at an unreadable unit */
	uint32_t read_unit;        /* the smallest range read alone (bytes) */
	const struct cu_ranges
	    *known_bad;                /* window bytes not to read (ddrescue map); a stream's are
	                                  read, zero-filled and recorded (a conversion's errors) */
	double slow_seconds;           /* a block slower than this is a slow region; 0: off */
	struct cu_ranges *bad;         /* out: unreadable window bytes, zero-filled */
	uint64_t *failed_reads;        /* out: reads that failed with a media error; may be NULL */
	struct source_slow_list *slow; /* out: slow regions */

	/* resuming */
	uint64_t start;            /* window offset to begin at: a resumed run's */
	uint64_t checkpoint_every; /* bytes between checkpoints (and at most 30 s); 0: none */
	uint64_t interrupt_at;     /* tests: stop as if interrupted once this much is read */
	bool stop_at_half;         /* tests: SIGSTOP once half the source is read */
	int (*checkpoint)(void *ctx, uint64_t done, struct cu_error *err);
	void *checkpoint_ctx; /* called with every stage idle, all before `done` written */
};

/* Reads, hashes, packs and writes the whole medium. */
int source_pipeline_run(const struct source_pipeline_io *io, struct cu_error *err);

#endif
