/*
 * progress.h - the progress line of an acquisition on a terminal:
 * percent, bytes done, rate, time left, unreadable sectors so far,
 * refreshed in place a few times a second.  With --rescue, first GNU
 * ddrescue's phase and what its map says (rescued, untried, unreadable),
 * then the packing of the spool.
 */
#ifndef CUSTOS_ACQUIRE_PROGRESS_H
#define CUSTOS_ACQUIRE_PROGRESS_H

#include <stdint.h>
#include <stdio.h>

struct acq_progress {
	FILE *out;
	double start, last;
	int shown;
	const char *label; /* before the line ("packing"), or NULL */
};

void acq_progress_init(struct acq_progress *p, FILE *out);

/* The pipeline's progress callback; `ctx` is a struct acq_progress. */
void acq_progress_update(void *ctx, uint64_t done, uint64_t total, uint64_t bad_sectors);

/* --rescue's first phase: `ctx` is a struct acq_progress. */
void acq_progress_rescue(void *ctx, const char *phase, uint64_t rescued, uint64_t untried,
                         uint64_t unreadable);

/* Clears the line. */
void acq_progress_end(struct acq_progress *p);

/* Formats "1:02:03" or "2:03" for a number of seconds. */
void acq_progress_duration(char *out, size_t cap, double seconds);

#endif
