/*
 * hash_windows.c - the digest of every window of the media (hash_windows.h).
 *
 * A running window is one cu_hash (OpenSSL), finished and started afresh
 * at each boundary; finished digests are appended to an array that grows by
 * doubling, at most CU_WINDOWS_MAX of them (a megabyte window on a 1 TiB
 * medium, 64 MiB on 64 TiB: 48 MiB of MD5 and SHA-256 digests at most).
 */
#include "lib/hash_windows.h"

#include <stdlib.h>
#include <string.h>

#include "lib/grow.h"

size_t cu_piecewise_count(uint64_t window, uint64_t media_size)
{
	return window ? (size_t)((media_size + window - 1) / window) : 0;
}

void cu_piecewise_span(const struct cu_piecewise *p, size_t i, uint64_t *offset, uint64_t *len)
{
	uint64_t first = (uint64_t)i * p->window;
	uint64_t end = first + p->window < p->media_size ? first + p->window : p->media_size;

	*offset = first;
	*len = end > first ? end - first : 0;
}

int cu_piecewise_init(struct cu_piecewise *p, uint64_t window, uint64_t media_size,
                      const bool want[CU_HASH_COUNT], struct cu_error *err)
{
	memset(p, 0, sizeof(*p));
	if (window < CU_WINDOW_MIN)
		return cu_error_set(err, CU_EUSAGE,
		                    "a hash window is at least 1 MiB, not %llu bytes",
		                    (unsigned long long)window);
	p->window = window;
	p->media_size = media_size;
	p->n = cu_piecewise_count(window, media_size);
	if (p->n > CU_WINDOWS_MAX)
		return cu_error_set(err, CU_EUSAGE,
		                    "%zu hash windows of %llu bytes: at most %u; give a larger "
		                    "--hash-window",
		                    p->n, (unsigned long long)window, CU_WINDOWS_MAX);
	for (int a = 0; a < CU_HASH_COUNT; a++) {
		if (!want[a])
			continue;
		p->have[a] = true;
		if (!(p->digest[a] = calloc(p->n ? p->n : 1, cu_hash_size(a)))) {
			cu_piecewise_free(p);
			return cu_error_set(err, CU_EFAIL, "out of memory for the hash windows");
		}
	}
	return CU_OK;
}

void cu_piecewise_free(struct cu_piecewise *p)
{
	for (int a = 0; a < CU_HASH_COUNT; a++)
		free(p->digest[a]);
	memset(p, 0, sizeof(*p));
}

/* Whether the ordered runs `r` (of `unit` bytes) touch bytes [first, first + len). */
static bool ranges_touch(const struct cu_ranges *r, uint64_t unit, uint64_t first, uint64_t len)
{
	size_t lo = 0, hi = r ? r->n : 0;

	/* the first run that ends after `first` */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if ((r->v[mid].first + r->v[mid].count) * unit <= first)
			lo = mid + 1;
		else
			hi = mid;
	}
	return r && lo < r->n && r->v[lo].first * unit < first + len;
}

enum cu_window_state cu_piecewise_compare(const struct cu_piecewise *ref,
                                          const struct cu_piecewise *got, size_t i,
                                          const struct cu_ranges *damaged, uint64_t unit)
{
	uint64_t first, len;
	bool common = false;

	cu_piecewise_span(ref, i, &first, &len);
	if (ranges_touch(damaged, unit ? unit : 1, first, len))
		return CU_WINDOW_DAMAGED;
	if (i >= ref->n || i >= got->n)
		return CU_WINDOW_DIFFERS;
	for (int a = 0; a < CU_HASH_COUNT; a++) {
		size_t size = cu_hash_size(a);

		if (!ref->have[a] || !got->have[a])
			continue;
		if (memcmp(ref->digest[a] + i * size, got->digest[a] + i * size, size))
			return CU_WINDOW_DIFFERS;
		common = true;
	}
	return common ? CU_WINDOW_MATCH : CU_WINDOW_DIFFERS;
}

struct cu_hash_windows {
	enum cu_hash_alg alg;
	uint64_t window, fed, in_window;
	struct cu_hash *cur; /* the window being fed; NULL between windows */
	uint8_t *digests;
	size_t n, cap;
};

int cu_hash_windows_new(struct cu_hash_windows **out, enum cu_hash_alg alg, uint64_t window,
                        struct cu_error *err)
{
	struct cu_hash_windows *w = calloc(1, sizeof(*w));

	*out = NULL;
	if (!w)
		return cu_error_set(err, CU_EFAIL, "out of memory for the hash windows");
	if (window < CU_WINDOW_MIN) {
		free(w);
		return cu_error_set(err, CU_EUSAGE, "a hash window is at least 1 MiB");
	}
	w->alg = alg;
	w->window = window;
	*out = w;
	return CU_OK;
}

/* Finishes the running window and appends its digest. */
static int windows_close(struct cu_hash_windows *w, struct cu_error *err)
{
	size_t size = cu_hash_size(w->alg);
	struct cu_digests d;
	int rc;

	if (w->n >= CU_WINDOWS_MAX)
		return cu_error_set(err, CU_EFAIL, "more than %u hash windows", CU_WINDOWS_MAX);
	if (cu_grow(&w->digests, &w->cap, w->n, size))
		return cu_error_set(err, CU_EFAIL, "out of memory for the hash windows");
	rc = cu_hash_final(w->cur, &d, err);
	cu_hash_free(w->cur);
	w->cur = NULL;
	w->in_window = 0;
	if (rc)
		return rc;
	memcpy(w->digests + w->n * size, cu_digests_get(&d, w->alg), size);
	w->n++;
	return CU_OK;
}

int cu_hash_windows_update(struct cu_hash_windows *w, const void *data, size_t len,
                           struct cu_error *err)
{
	const uint8_t *p = data;
	int rc;

	while (len) {
		uint64_t room = w->window - w->in_window;
		size_t take = len < room ? len : (size_t)room;

		if (!w->cur && (rc = cu_hash_new(&w->cur, w->alg, err)))
			return rc;
		if ((rc = cu_hash_update(w->cur, p, take, err)))
			return rc;
		p += take;
		len -= take;
		w->fed += take;
		w->in_window += take;
		if (w->in_window == w->window && (rc = windows_close(w, err)))
			return rc;
	}
	return CU_OK;
}

uint64_t cu_hash_windows_fed(const struct cu_hash_windows *w)
{
	return w->fed;
}

int cu_hash_windows_take(struct cu_hash_windows *w, struct cu_piecewise *p, struct cu_error *err)
{
	size_t size = cu_hash_size(w->alg);
	int rc;

	if (w->cur && (rc = windows_close(w, err)))
		return rc;
	if (w->fed != p->media_size || w->n != p->n || w->window != p->window || !p->have[w->alg])
		return cu_error_set(err, CU_EFAIL,
		                    "the %s hash windows cover %llu bytes in %zu windows, not the "
		                    "media's %llu bytes",
		                    cu_hash_name(w->alg), (unsigned long long)w->fed, w->n,
		                    (unsigned long long)p->media_size);
	if (w->n)
		memcpy(p->digest[w->alg], w->digests, w->n * size);
	return CU_OK;
}

void cu_hash_windows_free(struct cu_hash_windows *w)
{
	if (!w)
		return;
	cu_hash_free(w->cur);
	free(w->digests);
	free(w);
}
