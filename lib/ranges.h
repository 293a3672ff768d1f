/*
 * ranges.h - ordered lists of [first, first + count) runs: unreadable
 * sectors, slow regions, a ddrescue map's bad areas.
 *
 * Runs are appended in ascending order; a run that touches the previous one
 * merges with it, so the list is always the shortest exact description.
 */
#ifndef CUSTOS_LIB_RANGES_H
#define CUSTOS_LIB_RANGES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/error.h"

struct cu_range {
	uint64_t first;
	uint64_t count;
};

struct cu_ranges {
	struct cu_range *v;
	size_t n, cap;
};

/* Appends a run at or after the end of the last; merges touching runs. */
int cu_ranges_add(struct cu_ranges *r, uint64_t first, uint64_t count, struct cu_error *err);

/*
 * Appends [first, first + count) when it may begin inside the last run (a
 * sector two neighbouring pieces share): only what lies beyond the last
 * run's end is added.
 */
int cu_ranges_extend(struct cu_ranges *r, uint64_t first, uint64_t count, struct cu_error *err);

/*
 * Adds a run anywhere, merging it with the runs it overlaps or touches, so
 * that the list stays ordered and shortest; *added (may be NULL) is the
 * number of units it covered that the list did not hold before.
 */
int cu_ranges_insert(struct cu_ranges *r, uint64_t first, uint64_t count, uint64_t *added,
                     struct cu_error *err);

/* The total of all counts. */
uint64_t cu_ranges_total(const struct cu_ranges *r);

void cu_ranges_clear(struct cu_ranges *r);
void cu_ranges_free(struct cu_ranges *r);

#endif
