/*
 * cmd_verify_windows.c - the piecewise digests of a set, proved again:
 * which windows of the media still match the digests the acquisition
 * recorded for them in the custody log, and which do not.
 *
 * A set that matches its media digests is proved whole, and its windows
 * are not read again (a second MD5 stream would halve verify's speed).
 * Only a set that is damaged or mismatched is read a second time, its
 * windows hashed as the scan hands the media over in order: the windows
 * the damage does not touch are then still proven, each by its own
 * recorded digests ("60 windows match their hashes of 2026-11-25").  With
 * --source the source's windows are computed in its one read and compared
 * with the record, naming the windows where a changing drive differs.
 *
 * The record is hostile input: custody_record_windows checks every window
 * is where it must be; a log that does not hold whole, or is another set's,
 * gives no windows at all.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "container/cmd_evidence.h"
#include "container/cmd_verify.h"
#include "container/evidence.h"
#include "lib/path.h"
#include "lib/text.h"
#include "report/custody.h"

/*
 * A damaged set may no longer give its stored digests (they are in its
 * last segment): its log is then bound by the set identifier the first
 * segment still carries, with the digests the log's own record holds.
 */
static int windows_check_by_guid(const char *path, const struct custody_binding *binding,
                                 struct cu_error *err)
{
	static const uint8_t none[16];
	struct custody_binding b = *binding;
	struct custody_log *log = NULL;
	int rc;

	if (!memcmp(b.guid, none, sizeof(none)))
		return CU_EFAIL;
	if ((rc = custody_load(path, &log, err)))
		return rc;
	custody_record_digests(log, "hashes", &b.digests);
	custody_free(log);
	return custody_check_file(path, &b, err);
}

void verify_windows_load(struct verify_set *v, const struct custody_binding *binding)
{
	struct verify_windows *w = &v->windows;
	char *path = cu_path_custody_log(v->evidence);
	struct custody_log *log = NULL;
	struct cu_error err = {0}, why = {0};
	struct stat st;

	if (!path || lstat(path, &st) != 0) { /* no log: nothing recorded, nothing to say */
		free(path);
		return;
	}
	if (custody_check_file(path, binding, &err) &&
	    !(w->bound_by_guid = !windows_check_by_guid(path, binding, &why)))
		snprintf(w->note, sizeof(w->note), "hash windows not compared: %.400s", err.msg);
	else if (custody_load(path, &log, &err) || custody_record_windows(log, &w->recorded, &err))
		snprintf(w->note, sizeof(w->note), "hash windows not compared: %.400s", err.msg);
	else if (w->recorded.window && w->recorded.media_size != v->media_size)
		snprintf(w->note, sizeof(w->note),
		         "hash windows not compared: the custody log's cover %llu bytes, the "
		         "evidence holds %llu",
		         (unsigned long long)w->recorded.media_size,
		         (unsigned long long)v->media_size);
	else if (w->recorded.window)
		snprintf(w->recorded_on, sizeof(w->recorded_on), "%.10s",
		         custody_entry(log, 0)->time ? custody_entry(log, 0)->time : "?");
	if (w->note[0]) {
		cu_piecewise_free(&w->recorded);
		w->bound_by_guid = false;
	}
	custody_free(log);
	free(path);
}

/* The second read: the media in order into each recorded algorithm's windows. */
struct windows_feed {
	struct cu_hash_windows *h[CU_HASH_COUNT];
};

static int windows_sink(void *ctx, const uint8_t *media, size_t len, struct cu_error *err)
{
	struct windows_feed *f = ctx;
	int rc;

	for (int a = 0; a < CU_HASH_COUNT; a++)
		if (f->h[a] && (rc = cu_hash_windows_update(f->h[a], media, len, err)))
			return rc;
	return CU_OK;
}

/* Counts and lists each window of `got` against the record; damage in sectors. */
static int windows_tally(struct verify_windows *w, const struct cu_piecewise *got,
                         const struct cu_ranges *damaged, uint64_t bps, const bool *proved,
                         struct cu_error *err)
{
	int rc;

	for (size_t i = 0; i < w->recorded.n; i++) {
		enum cu_window_state s = cu_piecewise_compare(&w->recorded, got, i, damaged, bps);

		if (s != CU_WINDOW_MATCH &&
		    proved[i]) { /* after a lost segment, read from the rest */
			s = CU_WINDOW_MATCH;
			w->tail_proved++;
		}
		if (s == CU_WINDOW_MATCH) {
			w->match++;
			continue;
		}
		if (s == CU_WINDOW_DAMAGED)
			w->damaged++;
		else
			w->differ++;
		if ((rc = cu_ranges_add(&w->bad, i, 1, err)))
			return rc;
	}
	w->compared = true;
	return CU_OK;
}

/* Reads the set again, hashing its windows as the acquisition did. */
static int windows_compute(struct verify_set *v, const struct verify_args *a,
                           struct cu_piecewise *got, struct cu_ranges *damaged,
                           struct cu_error *err)
{
	static const bool none[CU_HASH_COUNT];
	const struct cu_piecewise *rec = &v->windows.recorded;
	struct windows_feed f = {{NULL}};
	struct evidence_scan_result scan;
	struct evidence *e = NULL;
	int rc = cu_piecewise_init(got, rec->window, rec->media_size, rec->have, err);

	for (int alg = 0; alg < CU_HASH_COUNT && !rc; alg++)
		if (rec->have[alg])
			rc = cu_hash_windows_new(&f.h[alg], alg, rec->window, err);
	if (!rc)
		rc = cmd_evidence_open(&e, v->evidence, err);
	if (!rc) {
		rc = evidence_scan(e, a->scan_threads, none, windows_sink, &f, &scan, err);
		*damaged = scan.damaged;
	}
	for (int alg = 0; alg < CU_HASH_COUNT; alg++) {
		if (!rc && f.h[alg])
			rc = cu_hash_windows_take(f.h[alg], got, err);
		cu_hash_windows_free(f.h[alg]);
	}
	evidence_close(e);
	return rc;
}

int verify_windows_check(struct verify_set *v, const struct verify_args *a, struct cu_error *err)
{
	struct cu_piecewise got;
	struct cu_ranges damaged = {0};
	struct cu_error why = {0};
	bool *proved;
	int rc;

	if (!v->windows.recorded.window)
		return CU_OK;
	if (!(proved = calloc(v->windows.recorded.n, sizeof(*proved))))
		return cu_error_set(err, CU_EFAIL, "out of memory");
	if (v->chain[0] && !v->aff4 && verify_windows_tail(v, proved, &why)) /* no proof: no harm */
		memset(proved, 0, v->windows.recorded.n * sizeof(*proved));
	rc = windows_compute(v, a, &got, &damaged, err);
	/* damage either read found counts: a chunk that reads once and not again is no proof */
	for (size_t i = 0; !rc && i < v->damaged.n; i++)
		rc = cu_ranges_insert(&damaged, v->damaged.v[i].first, v->damaged.v[i].count, NULL,
		                      err);
	if (!rc)
		rc = windows_tally(&v->windows, &got, &damaged, v->bytes_per_sector, proved, err);
	free(proved);
	cu_ranges_free(&damaged);
	cu_piecewise_free(&got);
	return rc;
}

void verify_windows_compare_source(struct verify_set *v, const struct cu_piecewise *source)
{
	struct verify_windows *w = &v->windows;

	if (!w->recorded.window || source->n != w->recorded.n)
		return;
	for (size_t i = 0; i < w->recorded.n; i++)
		if (cu_piecewise_compare(&w->recorded, source, i, NULL, 1) != CU_WINDOW_MATCH) {
			w->source_differ++;
			if (cu_ranges_add(&w->source_bad, i, 1, NULL))
				return;
		}
	w->source_compared = true;
}

void verify_windows_free(struct verify_windows *w)
{
	cu_piecewise_free(&w->recorded);
	cu_ranges_free(&w->bad);
	cu_ranges_free(&w->source_bad);
}

/* "bytes A-B" of each run of windows in `runs`, at most `max` of them, then "...". */
static void print_window_bytes(const struct cu_piecewise *p, const struct cu_ranges *runs,
                               size_t max)
{
	for (size_t i = 0; i < runs->n && i < max; i++) {
		uint64_t first, last, len;

		cu_piecewise_span(p, (size_t)runs->v[i].first, &first, &len);
		cu_piecewise_span(p, (size_t)(runs->v[i].first + runs->v[i].count - 1), &last,
		                  &len);
		printf("%s%llu-%llu", i ? ", " : "bytes ", (unsigned long long)first,
		       (unsigned long long)(last + len - 1));
	}
	if (runs->n > max)
		printf(", ... (%zu runs; --json lists them)", runs->n);
}

void verify_windows_print(const struct verify_set *v)
{
	const struct verify_windows *w = &v->windows;
	size_t bad = w->differ + w->damaged;

	if (w->note[0]) {
		fputs("  windows  ", stdout);
		cu_text_fput(w->note, stdout);
		putchar('\n');
	}
	if (w->bound_by_guid && w->recorded.window)
		printf("  windows  the custody log is bound by the set identifier alone: the set's "
		       "stored digests cannot be read\n");
	if (w->compared && bad) {
		printf("  windows  %zu of %zu window%s of %llu bytes do%s not match: ", bad,
		       w->recorded.n, w->recorded.n == 1 ? "" : "s",
		       (unsigned long long)w->recorded.window, bad == 1 ? "es" : "");
		print_window_bytes(&w->recorded, &w->bad, 20);
		printf("\n  windows  %zu window%s match%s %s hashes of %s\n", w->match,
		       w->match == 1 ? "" : "s", w->match == 1 ? "es" : "",
		       w->match == 1 ? "its" : "their", w->recorded_on);
		if (w->tail_proved)
			printf("  windows  %zu of them read from the segments after the lost one "
			       "(libewf reads none past it)\n",
			       w->tail_proved);
	} else if (w->compared) {
		printf("  windows  all %zu windows match their hashes of %s\n", w->recorded.n,
		       w->recorded_on);
	}
	if (w->source_compared && w->source_differ) {
		printf("  source   differs in %zu of %zu windows: ", w->source_differ,
		       w->recorded.n);
		print_window_bytes(&w->recorded, &w->source_bad, 20);
		putchar('\n');
	} else if (w->source_compared) {
		printf("  source   every one of %zu windows matches its hashes of %s\n",
		       w->recorded.n, w->recorded_on);
	}
}

/* [{"offset":..,"length":..}, ...] of each window in the runs. */
static void json_window_list(struct cu_json *j, const char *key, const struct cu_piecewise *p,
                             const struct cu_ranges *runs)
{
	cu_json_key(j, key);
	cu_json_array_begin(j);
	for (size_t r = 0; r < runs->n; r++)
		for (uint64_t i = runs->v[r].first; i < runs->v[r].first + runs->v[r].count; i++) {
			uint64_t offset, len;

			cu_piecewise_span(p, (size_t)i, &offset, &len);
			cu_json_object_begin(j);
			cu_json_pair_u64(j, "offset", offset);
			cu_json_pair_u64(j, "length", len);
			cu_json_object_end(j);
		}
	cu_json_array_end(j);
}

void verify_windows_json(struct cu_json *j, const struct verify_set *v)
{
	const struct verify_windows *w = &v->windows;

	cu_json_key(j, "hash_windows");
	if (!w->recorded.window) {
		cu_json_null(j);
		return;
	}
	cu_json_object_begin(j);
	cu_json_pair_u64(j, "size", w->recorded.window);
	cu_json_pair_u64(j, "count", w->recorded.n);
	cu_json_pair_string(j, "recorded_on", w->recorded_on);
	cu_json_pair_bool(j, "compared", w->compared);
	if (w->compared) {
		cu_json_pair_u64(j, "match", w->match);
		cu_json_pair_u64(j, "differ", w->differ);
		cu_json_pair_u64(j, "damaged", w->damaged);
		cu_json_pair_u64(j, "proved_after_lost_segment", w->tail_proved);
		json_window_list(j, "not_matching", &w->recorded, &w->bad);
	}
	if (w->source_compared) {
		cu_json_pair_u64(j, "source_differ", w->source_differ);
		json_window_list(j, "source_not_matching", &w->recorded, &w->source_bad);
	}
	cu_json_object_end(j);
}
