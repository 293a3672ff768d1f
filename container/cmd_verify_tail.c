/*
 * cmd_verify_tail.c - the windows after a lost segment, proved again from
 * the segments that remain.
 *
 * libewf reads no chunk past a gap in a set's chain of segments, so a set
 * that lost E05 of 34 would have nothing after it proved.  But every
 * segment custos wrote indexes its own chunks in its tables, and the media
 * ends where the set's last chunk ends: the chunks of the segments after
 * the last gap, counted (ewf_replay_count), say where in the media they
 * begin.  Those segments are replayed, each chunk checked (its Adler-32, or
 * that it inflates), and every window that lies wholly in them is hashed
 * and compared with the digests the custody log recorded for it.  A wrong
 * count can only make a window differ, never match: a match is the
 * recorded SHA-256 (and MD5) of that window found again.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "container/cmd_verify.h"
#include "container/ewf/ewf_replay.h"
#include "lib/path.h"
#include "report/custody.h"

/* The segments after the last one missing, as the custody log records the set. */
struct tail {
	char **paths;
	uint64_t *sizes;
	size_t n;
	uint64_t chunk_size;
};

static void tail_free(struct tail *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->paths[i]);
	free(t->paths);
	free(t->sizes);
}

/* The recorded segments after the last missing one; none when none is missing. */
static int tail_find(const struct verify_set *v, const struct custody_log *log, struct tail *t,
                     struct cu_error *err)
{
	struct custody_segment *rec = NULL;
	char dir[4096], path[4096], spc[32];
	const char *slash = strrchr(v->evidence, '/');
	size_t n = 0, gap = 0;
	bool any = false;
	struct stat st;
	int rc = custody_segments(log, &rec, &n, err);

	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - v->evidence) : 1,
	         slash ? v->evidence : ".");
	for (size_t i = 0; !rc && i < n; i++)
		if (!cu_path_build(path, sizeof(path), NULL, "%s/%s", dir, rec[i].name) &&
		    lstat(path, &st) != 0) {
			gap = i;
			any = true;
		}
	if (!rc && any && gap + 1 < n &&
	    custody_record_field(log, "settings", "chunk_sectors", spc, sizeof(spc))) {
		t->chunk_size = strtoull(spc, NULL, 10) * v->bytes_per_sector;
		t->paths = calloc(n - gap - 1, sizeof(*t->paths));
		t->sizes = calloc(n - gap - 1, sizeof(*t->sizes));
		if (!t->paths || !t->sizes)
			rc = cu_error_set(err, CU_EFAIL, "out of memory");
		for (size_t i = gap + 1; !rc && i < n; i++, t->n++)
			if (!(t->paths[t->n] = malloc(4096)) ||
			    (rc = cu_path_build(t->paths[t->n], 4096, err, "%s/%s", dir,
			                        rec[i].name)) ||
			    stat(t->paths[t->n], &st) != 0 || !S_ISREG(st.st_mode))
				rc = rc ? rc
				        : cu_error_set(err, CU_EFAIL,
				                       "a segment after the gap is gone");
			else
				t->sizes[t->n] = (uint64_t)st.st_size;
	}
	custody_segments_free(rec, n);
	return rc;
}

/* The tail's media, from where the first whole window begins, into its windows. */
struct tail_feed {
	uint64_t skip;
	struct cu_hash_windows *h[CU_HASH_COUNT];
};

static int tail_sink(void *ctx, const uint8_t *media, size_t len, struct cu_error *err)
{
	struct tail_feed *f = ctx;
	size_t skip = f->skip < len ? (size_t)f->skip : len;
	int rc;

	f->skip -= skip;
	for (int a = 0; a < CU_HASH_COUNT && len > skip; a++)
		if (f->h[a] &&
		    (rc = cu_hash_windows_update(f->h[a], media + skip, len - skip, err)))
			return rc;
	return CU_OK;
}

/* Windows first.. of the tail, hashed and compared with the record; proved[] set for each match. */
static int tail_prove(const struct verify_set *v, const struct tail *t, uint64_t offset,
                      bool *proved, struct cu_error *err)
{
	const struct cu_piecewise *rec = &v->windows.recorded;
	uint64_t first = (offset + rec->window - 1) / rec->window;
	struct tail_feed f = {.skip = first * rec->window - offset};
	struct cu_piecewise got = {0};
	int rc = CU_OK;

	if (first >= rec->n)
		return CU_OK;
	for (int a = 0; a < CU_HASH_COUNT && !rc; a++)
		if (rec->have[a])
			rc = cu_hash_windows_new(&f.h[a], a, rec->window, err);
	if (!rc)
		rc = cu_piecewise_init(&got, rec->window, rec->media_size - first * rec->window,
		                       rec->have, err);
	if (!rc)
		rc = ewf_replay((const char *const *)t->paths, t->sizes, t->n, t->chunk_size,
		                EWF_REPLAY_ALL, tail_sink, &f, err);
	for (int a = 0; a < CU_HASH_COUNT; a++) {
		if (!rc && f.h[a])
			rc = cu_hash_windows_take(f.h[a], &got, err);
		cu_hash_windows_free(f.h[a]);
	}
	for (size_t i = 0; !rc && i < got.n; i++) {
		bool same = true;

		for (int a = 0; a < CU_HASH_COUNT; a++)
			if (rec->have[a])
				same &= !memcmp(got.digest[a] + i * cu_hash_size(a),
				                rec->digest[a] + (first + i) * cu_hash_size(a),
				                cu_hash_size(a));
		proved[first + i] = same;
	}
	cu_piecewise_free(&got);
	return rc;
}

int verify_windows_tail(const struct verify_set *v, bool *proved, struct cu_error *err)
{
	char *path = cu_path_custody_log(v->evidence);
	struct custody_log *log = NULL;
	struct tail t = {.n = 0};
	uint64_t chunks = 0, total;
	int rc =
	    path ? custody_load(path, &log, err) : cu_error_set(err, CU_EFAIL, "out of memory");

	if (!rc)
		rc = tail_find(v, log, &t, err);
	if (!rc && t.n && t.chunk_size)
		rc = ewf_replay_count((const char *const *)t.paths, t.sizes, t.n, &chunks, err);
	total = t.chunk_size ? (v->media_size + t.chunk_size - 1) / t.chunk_size : 0;
	if (!rc && t.n && chunks && chunks <= total)
		rc = tail_prove(v, &t, (total - chunks) * t.chunk_size, proved, err);
	tail_free(&t);
	custody_free(log);
	free(path);
	return rc;
}
