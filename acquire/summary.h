/*
 * summary.h - what an acquisition tells its examiner: a short text for
 * people and, with --json, one JSON object for programs.
 */
#ifndef CUSTOS_ACQUIRE_SUMMARY_H
#define CUSTOS_ACQUIRE_SUMMARY_H

#include <stdio.h>

#include "acquire/acquire.h"

void acq_summary_text(FILE *out, const struct acq_options *o, const struct acq_result *r);
void acq_summary_json(FILE *out, const struct acq_options *o, const struct acq_result *r);

#endif
