/*
 * test_parity.c - unit tests of custos' Reed-Solomon parity
 * (container/parity/rs.h): the shard counts each redundancy gets; a set
 * made, judged intact, damaged (a flipped byte, a missing file, a file of
 * the wrong size) and rebuilt byte for byte in a directory of links, the
 * links of whole files left alone; damage beyond the parity refused with
 * nothing written and the shortfall counted; and every field of a parity
 * file's header and table refused when it breaks the layout
 * (docs/parity-rs.md), whether or not its CRC-64 was made to match.
 */
#include <check.h>

#include "tests/check_run.h"
#include <errno.h>
#include <isa-l/crc64.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "container/parity/rs.h"
#include "lib/le.h"

static const size_t sizes[3] = {500000, 560000, 63457}; /* the last 5.6% of the set */
static const char *const names[3] = {"x.E01", "x.E02", "x.E03"};

struct fixture {
	char dir[64], index[128], paths[3][128];
	uint8_t *data[3];
};

static void put(const char *path, const uint8_t *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
}

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *b;
	long n;

	ck_assert_ptr_nonnull(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	b = malloc((size_t)n + 1);
	ck_assert_uint_eq(fread(b, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return b;
}

/* Three files of pseudo-random bytes, and their parity of `percent`. */
static void fixture_make(struct fixture *x, unsigned percent)
{
	const char *paths[3];
	struct cu_error err;
	uint32_t seed = 12345;

	snprintf(x->dir, sizeof(x->dir), "/tmp/custos-rs-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(x->dir));
	for (int i = 0; i < 3; i++) {
		x->data[i] = malloc(sizes[i]);
		for (size_t j = 0; j < sizes[i]; j++)
			x->data[i][j] = (uint8_t)((seed = seed * 1103515245U + 12345U) >> 16);
		snprintf(x->paths[i], sizeof(x->paths[i]), "%s/%s", x->dir, names[i]);
		put(x->paths[i], x->data[i], sizes[i]);
		paths[i] = x->paths[i];
	}
	snprintf(x->index, sizeof(x->index), "%s/x.rsp", x->dir);
	ck_assert_int_eq(rs_create(x->index, paths, 3, percent, 2, &err), CU_OK);
}

static void fixture_free(struct fixture *x)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", x->dir);
	ck_assert_int_eq(system(cmd), 0);
	for (int i = 0; i < 3; i++)
		free(x->data[i]);
}

/* A directory of links to the fixture's files, as repair stages them. */
static void stage_make(const struct fixture *x, char *stage, size_t cap)
{
	char link[192];

	snprintf(stage, cap, "%s/stage.XXXXXX", x->dir);
	ck_assert_ptr_nonnull(mkdtemp(stage));
	for (int i = 0; i < 3; i++) {
		snprintf(link, sizeof(link), "%s/%s", stage, names[i]);
		ck_assert_int_eq(symlink(x->paths[i], link), 0);
	}
}

static bool is_link(const char *stage, const char *name)
{
	char path[192];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", stage, name);
	return lstat(path, &st) == 0 && S_ISLNK(st.st_mode);
}

static void assert_file(const char *stage, int i, const uint8_t *want)
{
	char path[192];
	size_t len;
	uint8_t *got;

	snprintf(path, sizeof(path), "%s/%s", stage, names[i]);
	ck_assert(!is_link(stage, names[i]));
	got = slurp(path, &len);
	ck_assert_uint_eq(len, sizes[i]);
	ck_assert(!memcmp(got, want, len));
	free(got);
}

/* k and m as the header gives them. */
static void header_shards(const char *index, uint32_t *k, uint32_t *m)
{
	size_t len;
	uint8_t *b = slurp(index, &len);

	*k = cu_le32_get(b + 12);
	*m = cu_le32_get(b + 16);
	free(b);
}

START_TEST(test_rs_shard_counts)
{
	static const unsigned percent[] = {1, 2, 5, 10, 33, 100};
	static const uint32_t want_k[] = {200, 250, 120, 60, 18, 6}, want_m[] = {2, 5, 6, 6, 6, 6};

	for (size_t i = 0; i < sizeof(percent) / sizeof(percent[0]); i++) {
		struct fixture x;
		struct parity_check c;
		struct cu_error err;
		uint32_t k, m;

		fixture_make(&x, percent[i]);
		header_shards(x.index, &k, &m);
		ck_assert_uint_eq(k, want_k[i]);
		ck_assert_uint_eq(m, want_m[i]);
		ck_assert_int_eq(rs_verify(x.index, x.dir, 2, &c, &err), CU_OK);
		ck_assert_int_eq(c.state, PARITY_INTACT);
		fixture_free(&x);
	}
}
END_TEST

START_TEST(test_rs_rebuild)
{
	struct fixture x;
	struct parity_check c;
	struct cu_error err;
	char stage[128], path[192];
	uint8_t *damaged;

	fixture_make(&x, 10);
	/* a flipped byte in the second file; the third missing; the first whole */
	damaged = malloc(sizes[1]);
	memcpy(damaged, x.data[1], sizes[1]);
	damaged[377777] ^= 0x20;
	put(x.paths[1], damaged, sizes[1]);
	stage_make(&x, stage, sizeof(stage));
	snprintf(path, sizeof(path), "%s/%s", stage, names[2]);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(rs_verify(x.index, stage, 2, &c, &err), CU_OK);
	ck_assert_int_eq(c.state, PARITY_REPAIRABLE);
	ck_assert_int_eq(rs_repair(x.index, stage, 2, &c, &err), CU_OK);
	ck_assert_int_eq(c.state, PARITY_INTACT);
	assert_file(stage, 1, x.data[1]);
	assert_file(stage, 2, x.data[2]);
	ck_assert(is_link(stage, names[0])); /* whole: not rewritten */

	/* a file longer than recorded, its bytes whole: rebuilt to its size */
	stage_make(&x, stage, sizeof(stage));
	put(x.paths[1], x.data[1], sizes[1]);
	ck_assert_int_eq(truncate(x.paths[0], (off_t)sizes[0] + 100), 0);
	ck_assert_int_eq(rs_verify(x.index, stage, 1, &c, &err), CU_OK);
	ck_assert_int_eq(c.state, PARITY_REPAIRABLE);
	ck_assert_int_eq(rs_repair(x.index, stage, 1, &c, &err), CU_OK);
	assert_file(stage, 0, x.data[0]);
	ck_assert(is_link(stage, names[1]) && is_link(stage, names[2]));
	free(damaged);
	fixture_free(&x);
}
END_TEST

START_TEST(test_rs_beyond)
{
	struct fixture x;
	struct parity_check c;
	struct cu_error err;
	char stage[128], path[192];

	fixture_make(&x, 10);
	stage_make(&x, stage, sizeof(stage));
	/* the largest file, half the set, lost */
	snprintf(path, sizeof(path), "%s/%s", stage, names[1]);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(rs_repair(x.index, stage, 2, &c, &err), CU_OK);
	ck_assert_int_eq(c.state, PARITY_NOT_REPAIRABLE);
	ck_assert_uint_gt(c.blocks_needed, 20);
	ck_assert(is_link(stage, names[0]) && is_link(stage, names[2]));
	ck_assert_int_eq(access(path, F_OK), -1); /* nothing written */
	fixture_free(&x);
}
END_TEST

/* The header and table of the fixture's parity file, and its size. */
struct head {
	uint8_t *b;
	size_t len;
	uint64_t file_size;
};

static void head_load(const struct fixture *x, struct head *h)
{
	size_t len;
	uint8_t *all = slurp(x->index, &len);

	h->len = RS_HEADER_SIZE + (size_t)cu_le64_get(all + 48);
	h->b = malloc(h->len);
	memcpy(h->b, all, h->len);
	h->file_size = len;
	free(all);
}

static void crc_fix(struct head *h)
{
	uint64_t crc = crc64_ecma_refl(crc64_ecma_refl(0, h->b, 56), h->b + RS_HEADER_SIZE,
	                               h->len - RS_HEADER_SIZE);

	cu_le64_put(h->b + 56, crc);
}

/* The parse of `h` with byte `at` set to `v` (its CRC made right when `fix`) fails. */
static void assert_refused(const struct head *good, size_t at, uint8_t v, bool fix)
{
	struct head h = *good;
	struct rs_layout *l = NULL;
	struct cu_error err = {0};
	uint64_t need;

	h.b = malloc(h.len);
	memcpy(h.b, good->b, h.len);
	h.b[at] = v;
	if (fix)
		crc_fix(&h);
	ck_assert_int_eq(rs_layout_parse(h.b, h.len, h.file_size, &l, &need, &err), CU_EFAIL);
	ck_assert_ptr_null(l);
	ck_assert_ptr_nonnull(strstr(err.msg, "parity file"));
	free(h.b);
}

START_TEST(test_rs_layout_refused)
{
	struct fixture x;
	struct head h;
	struct rs_layout *l = NULL;
	struct cu_error err;
	uint64_t need;
	size_t names_at = RS_HEADER_SIZE;

	fixture_make(&x, 10);
	head_load(&x, &h);
	ck_assert_int_eq(rs_layout_parse(h.b, h.len, h.file_size, &l, &need, &err), CU_OK);
	ck_assert_ptr_nonnull(l);
	ck_assert_uint_eq(l->n_files, 3);
	ck_assert_str_eq(l->files[2].name, "x.E03");
	ck_assert_uint_eq(l->files[2].start, sizes[0] + sizes[1]);
	ck_assert_uint_eq(l->stream, sizes[0] + sizes[1] + sizes[2]);
	rs_layout_free(l);
	/* too few bytes: how many it needs */
	ck_assert_int_eq(rs_layout_parse(h.b, 100, h.file_size, &l, &need, &err), CU_OK);
	ck_assert(!l && need == RS_HEADER_SIZE);
	ck_assert_int_eq(rs_layout_parse(h.b, RS_HEADER_SIZE, h.file_size, &l, &need, &err), CU_OK);
	ck_assert(!l && need == h.len);
	/* each header field out of its bounds, the CRC-64 made right or not */
	for (int fix = 0; fix < 2; fix++) {
		assert_refused(&h, 0, 'X', fix);   /* magic */
		assert_refused(&h, 8, 2, fix);     /* version */
		assert_refused(&h, 12, 0, fix);    /* k 0 (60 in its low byte) */
		assert_refused(&h, 13, 1, fix);    /* k 316: k + m over 255 */
		assert_refused(&h, 16, 0, fix);    /* m 0 */
		assert_refused(&h, 20, 0, fix);    /* no files */
		assert_refused(&h, 25, 0x7f, fix); /* S not from L and k */
		assert_refused(&h, 32, 1, fix);    /* P not a multiple of 4096 */
		assert_refused(&h, 40, 0x11, fix); /* L other than the files' sum */
		assert_refused(&h, 55, 1, fix);    /* a table beyond any bound */
		assert_refused(&h, 1000, 1, fix);  /* a byte where the header has none */
	}
	assert_refused(&h, 56, h.b[56] ^ 1, false);   /* the CRC itself */
	assert_refused(&h, h.len - 1, 0x55, false);   /* a check, the CRC left */
	assert_refused(&h, names_at + 2, '/', true);  /* a name with a slash */
	assert_refused(&h, names_at + 9, 0x7f, true); /* a size past the stream */
	assert_refused(&h, names_at, 0, true);        /* an empty name */
	/* a file size other than the header gives */
	h.file_size += 4096;
	assert_refused(&h, 8, 1, false);
	free(h.b);
	fixture_free(&x);
}
END_TEST

int main(void)
{
	TCase *tc = tcase_create("parity");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_rs_shard_counts);
	tcase_add_test(tc, test_rs_rebuild);
	tcase_add_test(tc, test_rs_beyond);
	tcase_add_test(tc, test_rs_layout_refused);
	return check_run("parity", tc);
}
