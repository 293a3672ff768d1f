/*
 * rescue_engine.h - phase 1 of `acquire --rescue`: GNU ddrescue, run as a
 * subprocess, copies what a failing drive can still give into a sparse
 * spool beside the evidence, in its own order: the good data first (copy
 * with skipping), then trimming, scraping and --retries passes.
 *
 * ddrescue is the reference for reading dying drives; running it, rather
 * than imitating it, gives exactly its read counts and its mapfile, and
 * lets an examiner continue a rescue with ddrescue itself.  Its mapfile is
 * saved every second, so that it is current at every moment, and read back
 * for the progress line.  ddrescue runs in its own process group, so that a
 * ^C reaches custos, which stops it (SIGTERM: ddrescue saves its map and
 * exits); it is also told to stop should custos die (PR_SET_PDEATHSIG), so
 * that a custos killed with SIGKILL leaves a map to resume from.
 */
#ifndef CUSTOS_ACQUIRE_RESCUE_ENGINE_H
#define CUSTOS_ACQUIRE_RESCUE_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "acquire/rescue/ddrescue_map.h"
#include "lib/error.h"

struct acq_rescue_engine {
	const char *source, *spool, *mapfile;
	uint32_t sector_size; /* ddrescue's -b: the evidence's sector */
	unsigned retries;     /* -r */
	bool direct;          /* -d: a block device, read with direct I/O */
	const int *cancel_fd; /* a signal here stops ddrescue; may be NULL */
	void (*progress)(void *ctx, const struct ddrescue_tally *t);
	void *progress_ctx;
};

/* "GNU ddrescue 1.27"; CU_EUSAGE when ddrescue is not installed. */
int acq_rescue_engine_version(char *out, size_t cap, struct cu_error *err);

/* The command line ddrescue is run with (malloc'ed), for the acquisition record. */
char *acq_rescue_engine_command(const struct acq_rescue_engine *e);

/*
 * Runs ddrescue to its end.  A signal on the cancel descriptor stops it
 * (CU_EFAIL, "interrupted by SIG..."); a failure of ddrescue is CU_EFAIL
 * with the last line it printed.
 */
int acq_rescue_engine_run(const struct acq_rescue_engine *e, struct cu_error *err);

#endif
