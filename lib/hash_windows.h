/*
 * hash_windows.h - piecewise digests: the digest of every window of the
 * media, as dcfldd's hashwindow and `hashdeep -p` define them.
 *
 * The media is cut into windows of a fixed size, from offset 0; window i
 * holds bytes [i * size, min((i + 1) * size, media size)), offsets in bytes,
 * the end exclusive, the last window the only one that may be short.  Each
 * window is hashed on its own, from a fresh digest, so that one damaged
 * byte costs only its window's proof: every other window still matches the
 * digest the acquisition recorded for it.
 *
 * A cu_hash_windows is one algorithm's running windows, fed the media in
 * order (as a cu_hash is) on one thread; cu_hash_windows_take moves what it
 * computed into a cu_piecewise, the form the acquisition records, the
 * custody log is read back into, and verify compares.
 */
#ifndef CUSTOS_LIB_HASH_WINDOWS_H
#define CUSTOS_LIB_HASH_WINDOWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/error.h"
#include "lib/hash.h"
#include "lib/ranges.h"

/* The smallest window, and the most windows a medium may have: bounds on memory and records. */
#define CU_WINDOW_MIN  (1ULL << 20)
#define CU_WINDOWS_MAX (1U << 20)

/* The windows of one medium, for each algorithm computed. */
struct cu_piecewise {
	uint64_t window;     /* bytes a window; 0: none recorded */
	uint64_t media_size; /* where the last window ends */
	size_t n;            /* windows */
	bool have[CU_HASH_COUNT];
	uint8_t *digest[CU_HASH_COUNT]; /* window i at digest[alg] + i * cu_hash_size(alg) */
};

/* The windows of a medium of `media_size` bytes cut every `window` bytes. */
size_t cu_piecewise_count(uint64_t window, uint64_t media_size);

/* Window i's first byte and length. */
void cu_piecewise_span(const struct cu_piecewise *p, size_t i, uint64_t *offset, uint64_t *len);

/*
 * Sets up `p` for `n` windows of `window` bytes over `media_size`, with
 * room (zeroed) for the digests of each algorithm in `want`.
 */
int cu_piecewise_init(struct cu_piecewise *p, uint64_t window, uint64_t media_size,
                      const bool want[CU_HASH_COUNT], struct cu_error *err);
void cu_piecewise_free(struct cu_piecewise *p);

/* How window i compares with the same window of a reference. */
enum cu_window_state { CU_WINDOW_MATCH, CU_WINDOW_DIFFERS, CU_WINDOW_DAMAGED };

/*
 * Window i of `got` against `ref` (same size and count): damaged when it
 * overlaps `damaged` (runs of `unit` bytes, ordered; may be NULL), else
 * differs when any algorithm both hold differs, else a match.  A window
 * of which the two hold no algorithm in common differs: nothing proves it.
 */
enum cu_window_state cu_piecewise_compare(const struct cu_piecewise *ref,
                                          const struct cu_piecewise *got, size_t i,
                                          const struct cu_ranges *damaged, uint64_t unit);

struct cu_hash_windows;

/* One algorithm's windows of `window` bytes, from media offset 0. */
int cu_hash_windows_new(struct cu_hash_windows **out, enum cu_hash_alg alg, uint64_t window,
                        struct cu_error *err);
/* The next `len` bytes of the media. */
int cu_hash_windows_update(struct cu_hash_windows *w, const void *data, size_t len,
                           struct cu_error *err);
/* Bytes fed so far. */
uint64_t cu_hash_windows_fed(const struct cu_hash_windows *w);
/*
 * Closes the last window (short, or none when the media ended on a
 * boundary) and moves the digests into `p`, which cu_piecewise_init set up
 * for the media's size: CU_EFAIL when the bytes fed were not that size.
 */
int cu_hash_windows_take(struct cu_hash_windows *w, struct cu_piecewise *p, struct cu_error *err);
void cu_hash_windows_free(struct cu_hash_windows *w);

#endif
