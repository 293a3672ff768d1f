/*
 * custody_verified.h - the "verified" event of a custody log: the result
 * of a read-back of the evidence and the digests it gave.
 */
#ifndef CUSTOS_REPORT_CUSTODY_VERIFIED_H
#define CUSTOS_REPORT_CUSTODY_VERIFIED_H

#include "lib/error.h"
#include "lib/hash.h"
#include "report/custody.h"
#include "report/sign.h"

/*
 * Appends a "verified" event by `by` to the log at `log`, which must be
 * bound to `binding` (custody_append): `result` ("match", "mismatch",
 * "damaged" ...) and the digests `computed` has (the others written as
 * "-"), sealed as `seal` says (NULL: not).
 */
int custody_append_verified(const char *log, const struct custody_binding *binding, const char *by,
                            const char *result, const struct cu_digests *computed,
                            struct custody_seal *seal, struct cu_error *err);

#endif
