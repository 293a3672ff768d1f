/*
 * timeutil.h - wall-clock times for records, monotonic times for rates.
 *
 * Every time custos writes into evidence, summaries or reports is UTC and,
 * where text, ISO 8601 ("2026-11-25T03:04:26Z").
 */
#ifndef CUSTOS_LIB_TIMEUTIL_H
#define CUSTOS_LIB_TIMEUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#define CU_ISO8601_SIZE 21 /* "YYYY-MM-DDTHH:MM:SSZ" and NUL */

/* Seconds since the epoch, UTC. */
time_t cu_time_now(void);

/* Seconds on a clock that never jumps, for durations. */
double cu_time_monotonic(void);

/* Formats `t` as UTC ISO 8601 into `out` (CU_ISO8601_SIZE bytes). */
void cu_time_iso8601(char *out, time_t t);

/* Parses exactly "YYYY-MM-DDTHH:MM:SSZ" into *t; false for anything else. */
bool cu_time_parse_iso8601(const char *text, time_t *t);

#endif
