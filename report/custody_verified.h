/*
 * custody_verified.h - the "verified" event of a custody log: the result
 * of a read-back of the evidence and the digests it gave.
 */
#ifndef CUSTOS_REPORT_CUSTODY_VERIFIED_H
#define CUSTOS_REPORT_CUSTODY_VERIFIED_H

#include "lib/error.h"
#include "lib/hash.h"
#include "lib/ranges.h"
#include "report/custody.h"
#include "report/sign.h"

/* What a verify found beyond its digests, for the event to keep. */
struct custody_verified_detail {
	const struct cu_ranges *damaged;     /* sectors whose chunks did not check; NULL: none */
	uint64_t window;                     /* the windows' size in bytes; 0: none compared */
	size_t windows, windows_match;       /* how many, and how many match their record */
	const struct cu_ranges *windows_bad; /* the indices of those that do not */
};

#define CUSTODY_VERIFIED_RANGES_MAX 4096 /* ranges an event lists; it counts them all */

/*
 * Appends a "verified" event by `by` to the log at `log`, which must be
 * bound to `binding` (custody_append): `result` ("match", "mismatch",
 * "damaged" ...), the digests `computed` has (the others written as "-"),
 * and what `detail` says (NULL: nothing more): the damaged sectors and the
 * windows that no longer match, each as ranges (at most
 * CUSTODY_VERIFIED_RANGES_MAX, with the count of all), sealed as `seal`
 * says (NULL: not).
 */
int custody_append_verified(const char *log, const struct custody_binding *binding, const char *by,
                            const char *result, const struct cu_digests *computed,
                            const struct custody_verified_detail *detail, struct custody_seal *seal,
                            struct cu_error *err);

#endif
