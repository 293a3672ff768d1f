/*
 * ranges.c - appending, merging and querying ordered runs.
 */
#include "lib/ranges.h"

#include <stdlib.h>

#include "lib/grow.h"

int cu_ranges_add(struct cu_ranges *r, uint64_t first, uint64_t count, struct cu_error *err)
{
	struct cu_range *last = r->n ? &r->v[r->n - 1] : NULL;

	if (count == 0)
		return CU_OK;
	if (last && first < last->first + last->count)
		return cu_error_set(err, CU_EFAIL, "range %llu+%llu is out of order",
		                    (unsigned long long)first, (unsigned long long)count);
	if (last && first == last->first + last->count) {
		last->count += count;
		return CU_OK;
	}
	if (cu_grow(&r->v, &r->cap, r->n, sizeof(*r->v)))
		return cu_error_set(err, CU_EFAIL, "out of memory");
	r->v[r->n++] = (struct cu_range){first, count};
	return CU_OK;
}

uint64_t cu_ranges_total(const struct cu_ranges *r)
{
	uint64_t total = 0;

	for (size_t i = 0; i < r->n; i++)
		total += r->v[i].count;
	return total;
}

void cu_ranges_clear(struct cu_ranges *r)
{
	r->n = 0;
}

void cu_ranges_free(struct cu_ranges *r)
{
	free(r->v);
	r->v = NULL;
	r->n = r->cap = 0;
}
