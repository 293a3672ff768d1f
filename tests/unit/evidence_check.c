/*
 * evidence_check.c - what the unit tests of every evidence backend check
 * alike: the media read whole (the scan), and read again at random, chunk
 * by chunk (the cursor), with the same bytes and the same damage.
 */
#include "tests/unit/evidence_check.h"

#include <stdlib.h>
#include <string.h>

#include "tests/check_run.h"

struct collect {
	uint8_t *buf;
	uint64_t at, cap;
};

static int collect_sink(void *ctx, const uint8_t *media, size_t len, struct cu_error *err)
{
	struct collect *c = ctx;

	if (c->at + len > c->cap)
		return cu_error_set(err, CU_EFAIL, "more media than its size");
	memcpy(c->buf + c->at, media, len);
	c->at += len;
	return CU_OK;
}

/* Opens `path`, reads it whole into *media; the scan's result in *res. */
struct evidence *read_all(const char *path, uint8_t **media, struct evidence_scan_result *res)
{
	static const bool want[CU_HASH_COUNT] = {true, true, true};
	struct cu_error err = {0};
	struct evidence *e;
	struct collect c = {0};

	ck_assert_msg(evidence_open(&e, path, NULL, &err) == CU_OK, "%s", err.msg);
	c.cap = evidence_media_size(e);
	c.buf = malloc(c.cap ? c.cap : 1);
	ck_assert_ptr_nonnull(c.buf);
	ck_assert_msg(evidence_scan(e, 2, want, collect_sink, &c, res, &err) == CU_OK, "%s",
	              err.msg);
	ck_assert_uint_eq(c.at, c.cap);
	*media = c.buf;
	return e;
}

/*
 * Every chunk of `e` read at random (last to first, two cursors in turn)
 * gives the media the scan gave (`want`), and exactly the damage it found in
 * the chunks (`damaged`: sectors, ordered; the scan's, without what only
 * the volume-wide hashes find).
 */
void expect_cursor(struct evidence *e, const uint8_t *want, const struct cu_ranges *damaged)
{
	struct evidence_cursor *cur[2];
	struct evidence_chunk ch = {0};
	struct cu_ranges seen = {0};
	struct cu_error err = {0};
	uint64_t n = evidence_chunk_count(e), cs = evidence_chunk_size(e);

	ck_assert_uint_eq(n, (evidence_media_size(e) + cs - 1) / cs);
	ch.media = malloc(cs);
	ck_assert_ptr_nonnull(ch.media);
	for (int i = 0; i < 2; i++)
		ck_assert_int_eq(evidence_cursor_open(e, &cur[i], NULL), CU_OK);
	for (uint64_t i = n; i-- > 0;) {
		ch.index = i;
		ck_assert_msg(evidence_cursor_read(cur[i % 2], &ch, &err) == CU_OK, "%s", err.msg);
		ck_assert_uint_eq(ch.media_off, i * cs);
		ck_assert_uint_eq(ch.len, i + 1 < n ? cs : evidence_media_size(e) - i * cs);
		ck_assert_msg(!memcmp(ch.media, want + ch.media_off, ch.len), "chunk %llu differs",
		              (unsigned long long)i);
		for (size_t r = 0; r < ch.damaged.n; r++) {
			ck_assert_str_ne(ch.why, "");
			ck_assert_int_eq(cu_ranges_insert(&seen, ch.damaged.v[r].first,
			                                  ch.damaged.v[r].count, NULL, NULL),
			                 CU_OK);
		}
	}
	ck_assert_uint_eq(seen.n, damaged ? damaged->n : 0);
	for (size_t r = 0; r < seen.n; r++) {
		ck_assert_uint_eq(seen.v[r].first, damaged->v[r].first);
		ck_assert_uint_eq(seen.v[r].count, damaged->v[r].count);
	}
	ch.index = n;
	ck_assert_int_eq(evidence_cursor_read(cur[0], &ch, NULL), CU_EFAIL);
	for (int i = 0; i < 2; i++)
		evidence_cursor_close(cur[i]);
	cu_ranges_free(&seen);
	cu_ranges_free(&ch.damaged);
	free(ch.media);
}
