/*
 * ranges.c - appending, merging and querying ordered runs.
 */
#include "lib/ranges.h"

#include <stdlib.h>
#include <string.h>

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

int cu_ranges_extend(struct cu_ranges *r, uint64_t first, uint64_t count, struct cu_error *err)
{
	uint64_t end = r->n ? r->v[r->n - 1].first + r->v[r->n - 1].count : 0, last = first + count;

	first = first < end ? end : first;
	return last > first ? cu_ranges_add(r, first, last - first, err) : CU_OK;
}

int cu_ranges_insert(struct cu_ranges *r, uint64_t first, uint64_t count, uint64_t *added,
                     struct cu_error *err)
{
	const uint64_t f0 = first, e0 = first + count;
	uint64_t end = e0, held = 0;
	size_t lo = 0, hi;

	if (added)
		*added = 0;
	if (count == 0)
		return CU_OK;
	while (lo < r->n && r->v[lo].first + r->v[lo].count < first)
		lo++; /* the runs before it, not touching it */
	for (hi = lo; hi < r->n && r->v[hi].first <= end; hi++) {
		uint64_t a = r->v[hi].first > f0 ? r->v[hi].first : f0;
		uint64_t b =
		    r->v[hi].first + r->v[hi].count < e0 ? r->v[hi].first + r->v[hi].count : e0;

		held += b > a ? b - a : 0;
		first = r->v[hi].first < first ? r->v[hi].first : first;
		end = r->v[hi].first + r->v[hi].count > end ? r->v[hi].first + r->v[hi].count : end;
	}
	if (hi == lo) { /* touches none: a new run at lo */
		if (cu_grow(&r->v, &r->cap, r->n, sizeof(*r->v)))
			return cu_error_set(err, CU_EFAIL, "out of memory");
		memmove(&r->v[lo + 1], &r->v[lo], (r->n - lo) * sizeof(*r->v));
		r->n++;
		hi = lo + 1;
	}
	r->v[lo] = (struct cu_range){first, end - first};
	memmove(&r->v[lo + 1], &r->v[hi], (r->n - hi) * sizeof(*r->v));
	r->n -= hi - lo - 1;
	if (added)
		*added = count - held;
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
