/*
 * claim.h - one custos at a time writes under a name.
 *
 * Refusing to overwrite evidence is checked before the first byte is
 * written; but an acquisition may run for hours (or wait for a stream),
 * and another custos could write under the same name in between.  So the
 * name is claimed when the refusal checks begin and held to the last
 * write: NAME.claim, created if need be and locked with flock(LOCK_EX |
 * LOCK_NB).  A second claim of the same name is refused at once, naming
 * the first.  On release the file is removed; a claimant that locked a
 * file since removed (the path names another file now) tries again, so
 * removal cannot let two claims through.  A process that dies loses its
 * lock with it: a claim file left by a crash claims nothing.
 */
#ifndef CUSTOS_LIB_CLAIM_H
#define CUSTOS_LIB_CLAIM_H

#include "lib/error.h"

#define CU_CLAIM_SUFFIX ".claim"

struct cu_claim;

/* Claims `name` (a base, or an output file) for `what` ("an acquisition", "an export"). */
int cu_claim_take(struct cu_claim **out, const char *name, const char *what, struct cu_error *err);

/* Gives the claim up and removes its file; NULL is nothing to give up. */
void cu_claim_release(struct cu_claim *c);

#endif
