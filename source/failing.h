/*
 * failing.h - reading a window of a failing medium without losing more than
 * the sectors that are really unreadable, and with as few failed reads as
 * GNU ddrescue spends: on a dying drive every failed read costs seconds and
 * wears it further.
 *
 * The window (the pipeline's block, about a megabyte) is read at once.
 * When that fails with a media error, the window is searched as ddrescue
 * searches a failed cluster: trimmed from its front, unit by unit, up to
 * the first unit that fails; trimmed from its back, unit by unit, down to
 * the last that fails (so the good data on both sides of a dead run is read
 * first); and what lies between is scraped, unit by unit.  Each unreadable
 * unit is thus read once.  Only after the rest of the window is read are the
 * units that failed tried again, --retries times each, so that a flaky
 * sector that reads on a later attempt keeps its real data.  A unit that
 * never reads is zero-filled and recorded.  A short read is not an error:
 * reading goes on where it stopped.  Areas known to be bad in advance (a
 * ddrescue map's) are zero-filled and recorded without being read.
 *
 * The read function is a parameter, so that unit tests script the medium.
 */
#ifndef CUSTOS_SOURCE_FAILING_H
#define CUSTOS_SOURCE_FAILING_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "lib/error.h"
#include "lib/ranges.h"

/* Reads up to `len` bytes at window offset `offset`: the count, 0 at the end, or -1 and *errnum. */
typedef ssize_t (*acq_read_fn)(void *ctx, void *buf, size_t len, uint64_t offset, int *errnum);

struct source_failing {
	acq_read_fn read;
	void *read_ctx;
	const char *name;                  /* the source, for messages */
	unsigned retries;                  /* further attempts at a failing unit */
	uint32_t unit;                     /* bytes: the smallest range read alone */
	const struct cu_ranges *known_bad; /* window bytes not to read; may be NULL */
	uint64_t failed_reads;             /* out: reads that failed with a media error */
};

/* Whether an errno is what a failing drive (or a failing file system) gives for bad media. */
int source_failing_media_error(int errnum);

/*
 * Reads [offset, offset + len) of the source's window into `buf` (aligned
 * for direct I/O).  The byte ranges zero-filled are appended to `bad`, in
 * order.  Fails only for errors that are not media errors, or when the
 * source ends early.
 */
int source_failing_read(struct source_failing *r, uint8_t *buf, uint64_t offset, size_t len,
                        struct cu_ranges *bad, struct cu_error *err);

#endif
