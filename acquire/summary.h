/*
 * summary.h - what an acquisition tells its examiner: a short text for
 * people and, with --json, one JSON object for programs.
 */
#ifndef CUSTOS_ACQUIRE_SUMMARY_H
#define CUSTOS_ACQUIRE_SUMMARY_H

#include <stdio.h>

#include "acquire/acquire.h"
#include "lib/json.h"

void acq_summary_text(FILE *out, const struct acq_options *o, const struct acq_result *r);
void acq_summary_json(FILE *out, const struct acq_options *o, const struct acq_result *r);

/*
 * What a drive's ATA answers say of its hidden areas: null when it did not
 * answer, else {reported_sectors, native_sectors, dco_sectors, hpa, dco}
 * (custos devices gives the same object).
 */
void acq_summary_json_hidden(struct cu_json *j, const struct ata_hidden *h);

#endif
