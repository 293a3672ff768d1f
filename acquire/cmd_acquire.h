/*
 * cmd_acquire.h - what the files of the acquire command share (not a
 * public interface): the custody log it starts (cmd_acquire_custody.c).
 */
#ifndef CUSTOS_ACQUIRE_CMD_ACQUIRE_H
#define CUSTOS_ACQUIRE_CMD_ACQUIRE_H

#include "acquire/acquire.h"
#include "lib/error.h"
#include "report/sign.h"

struct acquire_custody {
	const struct acq_options *opt;
	const struct sign_signer *signer; /* the events are signed; NULL: not */
};

/* acq_options.on_complete: the log's first event, the acquisition record. */
int acquire_custody_start(void *ctx, const struct acq_result *res, struct cu_error *err);

/* After the read-back (--verify): its result, a "verified" event; nothing without one. */
int acquire_custody_verified(const struct acquire_custody *ac, const struct acq_result *res,
                             struct cu_error *err);

#endif
