/*
 * cmd_acquire.h - what the files of the acquire command share (not a
 * public interface): the custody log it starts (cmd_acquire_custody.c).
 */
#ifndef CUSTOS_ACQUIRE_CMD_ACQUIRE_H
#define CUSTOS_ACQUIRE_CMD_ACQUIRE_H

#include <stdio.h>

#include "acquire/acquire.h"
#include "acquire/record.h"
#include "lib/error.h"
#include "report/custody.h"
#include "report/sign.h"

#define ACQ_SMARTCTL "smartctl" /* searched in PATH */

struct acquire_custody {
	const struct acq_options *opt;
	struct custody_seal *seal; /* how the events are sealed (signed, stamped) */
	struct acq_smart *smart;   /* the drive's SMART: before is read, after is read here */
};

/* acq_options.on_complete: the log's first event, the acquisition record. */
int acquire_custody_start(void *ctx, const struct acq_result *res, struct cu_error *err);

/* After the read-back (--verify): its result, a "verified" event; nothing without one. */
int acquire_custody_verified(const struct acquire_custody *ac, const struct acq_result *res,
                             struct cu_error *err);

/*
 * --parity: PAR2 parity beside each complete copy that is files (custos
 * protect's, cmd_protect.h), once it is recorded; a line for each on `out`
 * (NULL: none).
 */
int acquire_custody_protect(const struct acquire_custody *ac, const struct acq_result *res,
                            FILE *out, struct cu_error *err);

/* What custos convert hands the acquisition it runs (acquire/convert/cmd_convert.c). */
struct acquire_conversion {
	int stream_fd;                      /* the media of the old set, as a stream */
	const struct cu_ranges *unreadable; /* its read errors, in bytes */
	const struct acq_converted *from;   /* for the record */
	const char *by;                     /* who converts: the custody event's author */
};

/* What an acquisition proved, for custos convert. */
struct acquire_proof {
	enum acq_outcome outcome;
	bool recorded;             /* its custody log was started */
	struct cu_digests media;   /* of the media as stored */
	struct cu_digests exact;   /* of the stream's exact bytes */
	enum acq_check check;      /* the read-back of the evidence */
	struct acq_segment *files; /* the evidence's files (the caller frees them) */
	size_t n_files;
	struct cu_error err; /* why it failed, not printed */
};

/*
 * The acquire command: argv as `custos acquire` takes it; with `conv`, the
 * stream "-" comes from conv->stream_fd and the record says what it was
 * converted from.  What it proved goes to `out` (may be NULL); returns the
 * exit status.
 */
int acquire_main(int argc, char **argv, const struct acquire_conversion *conv,
                 struct acquire_proof *out);

#endif
