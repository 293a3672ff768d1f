/*
 * progress.h - the progress line of an acquisition on a terminal:
 * percent, bytes done, rate, time left, unreadable sectors so far,
 * refreshed in place a few times a second.
 */
#ifndef CUSTOS_ACQUIRE_PROGRESS_H
#define CUSTOS_ACQUIRE_PROGRESS_H

#include <stdint.h>
#include <stdio.h>

struct acq_progress {
	FILE *out;
	double start, last;
	int shown;
};

void acq_progress_init(struct acq_progress *p, FILE *out);

/* The pipeline's progress callback; `ctx` is a struct acq_progress. */
void acq_progress_update(void *ctx, uint64_t done, uint64_t total, uint64_t bad_sectors);

/* Clears the line. */
void acq_progress_end(struct acq_progress *p);

/* Formats "1:02:03" or "2:03" for a number of seconds. */
void acq_progress_duration(char *out, size_t cap, double seconds);

#endif
