/*
 * rescue.h - reading a range of a failing medium without losing more than
 * the sectors that are really unreadable.
 *
 * A read that fails with a media error is split in halves, and the halves
 * again, down to single units (the larger of the device's logical sector and
 * the evidence's sector); a unit that still fails after --retries further
 * attempts is zero-filled and recorded.  Each split level is one more
 * attempt at a flaky sector, which then keeps its real data.  A short read
 * is not an error: reading continues where it stopped.  Areas known to be
 * bad in advance (a ddrescue map's) are zero-filled and recorded unread.
 */
#ifndef CUSTOS_ACQUIRE_RESCUE_H
#define CUSTOS_ACQUIRE_RESCUE_H

#include <stddef.h>
#include <stdint.h>

#include "acquire/source.h"
#include "lib/error.h"
#include "lib/ranges.h"

struct acq_rescue {
	struct acq_source *source;
	unsigned retries;                  /* further attempts at a failing unit */
	uint32_t unit;                     /* bytes: the smallest range read alone */
	const struct cu_ranges *known_bad; /* window bytes not to read; may be NULL */
};

/*
 * Reads [offset, offset + len) of the source's window into `buf`.  The byte
 * ranges zero-filled are appended to `bad`, in order.  Fails only for errors
 * that are not media errors, or when the source ends early.
 */
int acq_rescue_read(const struct acq_rescue *r, uint8_t *buf, uint64_t offset, size_t len,
                    struct cu_ranges *bad, struct cu_error *err);

#endif
