/*
 * test_container.c - unit tests of container/: segment names, section
 * layouts, chunk packing, and the writer driven directly, its output read
 * back through libewf (media, tables, segments, error2 ranges, hashes);
 * and the raw backend of the evidence interface (a split image's parts,
 * its media and digests, what is refused as no evidence).
 */
#include <check.h>

#include "tests/check_run.h"
#include "tests/unit/evidence_check.h"
#include "cli/builtin.h"
#include <fcntl.h>
#include <libdeflate.h>
#include <libewf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "container/aff4/aff4_info.h"
#include "container/aff4/aff4_map.h"
#include "container/aff4/aff4_stream.h"
#include "container/aff4/aff4_zip.h"
#include "container/evidence.h"
#include "container/ewf/ewf_chunk.h"
#include "container/ewf/ewf_format.h"
#include "container/ewf/ewf_naming.h"
#include "container/ewf/ewf_scan.h"
#include "container/ewf/ewf_sections.h"
#include "container/ewf/ewf_tables.h"
#include "container/ewf/ewf_writer.h"
#include "container/raw/raw_set.h"
#include "lib/hash.h"
#include "lib/le.h"
#include "lib/meta.h"

START_TEST(test_segment_names)
{
	struct {
		uint32_t n;
		const char *ext;
	} cases[] = {{1, "E01"},   {9, "E09"},    {99, "E99"},    {100, "EAA"},
	             {101, "EAB"}, {125, "EAZ"},  {126, "EBA"},   {775, "EZZ"},
	             {776, "FAA"}, {1452, "GAA"}, {14970, "ZZY"}, {14971, "ZZZ"}};
	char ext[4], path[32];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ck_assert_int_eq(ewf_segment_extension(ext, cases[i].n), 0);
		ck_assert_str_eq(ext, cases[i].ext);
	}
	ck_assert_int_eq(ewf_segment_extension(ext, 0), -1);
	ck_assert_int_eq(ewf_segment_extension(ext, 14972), -1);
	ck_assert_int_eq(ewf_segment_path(path, sizeof(path), "/e/disk", 100), 0);
	ck_assert_str_eq(path, "/e/disk.EAA");
	ck_assert_int_eq(ewf_segment_path(path, 8, "/e/disk", 100), -1);
}
END_TEST

START_TEST(test_existing_set_detection)
{
	char dir[64], base[96], path[160];
	struct cu_error err;
	const char *hits[] = {"x.E01", "x.EAB", "x.ZZZ", "x.e01", "x.E07.partial"};
	const char *misses[] = {"x.err", "x.log", "x.json",       "xy.E01",
	                        "x.E1",  "x.D01", "x.custody.xml"};

	check_tempdir(dir, sizeof(dir), "names");
	snprintf(base, sizeof(base), "%s/x", dir);
	for (size_t i = 0; i < sizeof(misses) / sizeof(misses[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, misses[i]);
		close(open(path, O_CREAT | O_WRONLY, 0600));
	}
	ck_assert_int_eq(ewf_set_refuse_existing(base, &err), CU_OK);
	for (size_t i = 0; i < sizeof(hits) / sizeof(hits[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, hits[i]);
		close(open(path, O_CREAT | O_WRONLY, 0600));
		ck_assert_int_eq(ewf_set_refuse_existing(base, &err), CU_EUSAGE);
		ck_assert_ptr_nonnull(strstr(err.msg, path));
		unlink(path);
	}
	for (size_t i = 0; i < sizeof(misses) / sizeof(misses[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, misses[i]);
		unlink(path);
	}
	rmdir(dir);
	snprintf(base, sizeof(base), "/nonexistent-dir-custos/x");
	ck_assert_int_eq(ewf_set_refuse_existing(base, &err), CU_EUSAGE);
}
END_TEST

START_TEST(test_section_layouts)
{
	uint8_t desc[EWF_SECTION_DESC_SIZE], vol[EWF_VOLUME_DATA_SIZE], table[24], hash[36];
	uint8_t md5[16] = {1, 2, 3};
	struct ewf_volume_info v = {.media_type = 1,
	                            .media_flags = 3,
	                            .compression_level = 2,
	                            .chunk_count = 0x01020304,
	                            .sectors_per_chunk = 64,
	                            .bytes_per_sector = 4096,
	                            .error_granularity = 64,
	                            .sector_count = 0x0102030405ULL};
	struct cu_range r[2] = {{7, 1}, {0xfffffff0ULL, 15}};
	uint8_t e2[EWF_ERROR2_HEADER_SIZE + 16 + 4];

	ck_assert_uint_eq(ewf_adler32("Wikipedia", 9), 0x11E60398);
	ewf_section_desc_pack(desc, "table2", 0x1122334455ULL, 1128);
	ck_assert_str_eq((char *)desc, "table2");
	ck_assert_uint_eq(desc[16], 0x55);
	ck_assert_uint_eq(desc[20], 0x11);
	ck_assert_uint_eq(desc[24] | desc[25] << 8, 1128);
	ck_assert_uint_eq(ewf_adler32(desc, 72),
	                  desc[72] | desc[73] << 8 | desc[74] << 16 | (uint32_t)desc[75] << 24);
	ewf_volume_pack(vol, &v);
	ck_assert_uint_eq(vol[0], 1);
	ck_assert_uint_eq(vol[4], 4);
	ck_assert_uint_eq(vol[13], 0x10); /* 4096 */
	ck_assert_uint_eq(vol[20], 0x01); /* fifth byte of the 64-bit sector count */
	ck_assert_uint_eq(vol[36], 3);
	ck_assert_uint_eq(vol[52], 2);
	ck_assert_uint_eq(vol[56], 64);
	ck_assert_uint_eq(ewf_adler32(vol, 1048),
	                  vol[1048] | vol[1049] << 8 | vol[1050] << 16 | (uint32_t)vol[1051] << 24);
	ewf_table_header_pack(table, 16375, 0x100000000ULL);
	ck_assert_uint_eq(table[0] | table[1] << 8, 16375);
	ck_assert_uint_eq(table[12], 1); /* base offset 2^32 */
	ewf_hash_pack(hash, md5);
	ck_assert_mem_eq(hash, md5, 16);
	ck_assert_uint_eq(ewf_error2_size(2), sizeof(e2));
	ewf_error2_pack(e2, r, 2);
	ck_assert_uint_eq(e2[0], 2);
	ck_assert_uint_eq(e2[520], 7);
	ck_assert_uint_eq(e2[524], 1);
	ck_assert_uint_eq(e2[528], 0xf0);
}
END_TEST

static void unpack_and_compare(const uint8_t *stored, size_t n, bool compressed, const uint8_t *raw,
                               size_t len)
{
	uint8_t *back = malloc(len);
	size_t got = 0;

	if (compressed) {
		struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();

		ck_assert_int_eq(libdeflate_zlib_decompress(d, stored, n, back, len, &got),
		                 LIBDEFLATE_SUCCESS);
		libdeflate_free_decompressor(d);
		ck_assert_uint_lt(n, len);
	} else {
		ck_assert_uint_eq(n, len + 4);
		memcpy(back, stored, len);
		got = len;
		ck_assert_uint_eq(ewf_adler32(raw, len), stored[len] | stored[len + 1] << 8 |
		                                             stored[len + 2] << 16 |
		                                             (uint32_t)stored[len + 3] << 24);
	}
	ck_assert_uint_eq(got, len);
	ck_assert_mem_eq(back, raw, len);
	free(back);
}

START_TEST(test_chunk_packing)
{
	enum { LEN = 32768 };
	static uint8_t zeros[LEN], random_bytes[LEN], text[LEN], out[LEN + 4];
	struct {
		enum ewf_compression mode;
		const uint8_t *raw;
		bool want_compressed;
	} cases[] = {
	    {EWF_COMPRESSION_NONE, zeros, false},        {EWF_COMPRESSION_EMPTY, zeros, true},
	    {EWF_COMPRESSION_EMPTY, text, false},        {EWF_COMPRESSION_FAST, text, true},
	    {EWF_COMPRESSION_FAST, random_bytes, false}, {EWF_COMPRESSION_BEST, zeros, true},
	    {EWF_COMPRESSION_BEST, random_bytes, false},
	};
	uint64_t s = 88172645463325252ULL;

	for (int i = 0; i < LEN; i++) {
		s ^= s << 13, s ^= s >> 7, s ^= s << 17;
		random_bytes[i] = (uint8_t)s;
		text[i] = (uint8_t)("custody chain "[i % 14]);
	}
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ewf_packer *p;
		bool compressed;
		size_t n;

		ck_assert_int_eq(ewf_packer_new(&p, cases[i].mode, NULL), CU_OK);
		n = ewf_packer_pack(p, cases[i].raw, LEN, out, &compressed);
		ck_assert_msg(compressed == cases[i].want_compressed, "case %zu", i);
		unpack_and_compare(out, n, compressed, cases[i].raw, LEN);
		ewf_packer_free(p);
	}
	ck_assert_uint_eq(ewf_compression_level(EWF_COMPRESSION_FAST), 1);
	ck_assert_uint_eq(ewf_compression_level(EWF_COMPRESSION_BEST), 2);
	ck_assert_uint_eq(ewf_compression_level(EWF_COMPRESSION_EMPTY), 0);
}
END_TEST

/*
 * The unpacker remembers short compressed chunks: the same bytes again give
 * the same media; a stored chunk that differs by one byte is inflated (and
 * fails) on its own, never answered from the memory; another short chunk is
 * remembered beside it, and five more push the first out (it is inflated
 * again, to the same media); raw chunks are checked by their Adler-32 every
 * time.
 */
START_TEST(test_unpacker_memo)
{
	enum { LEN = 32768 };
	static uint8_t zeros[LEN], ones[LEN], media[LEN], a[LEN + 64], b[LEN + 64], raw[LEN + 4];
	struct ewf_packer *p;
	struct ewf_unpacker *u;
	const char *why = NULL;
	bool compressed;
	size_t na, nb, nr;

	memset(ones, 0xa5, LEN);
	ck_assert_int_eq(ewf_packer_new(&p, EWF_COMPRESSION_BEST, NULL), CU_OK);
	na = ewf_packer_pack(p, zeros, LEN, a, &compressed);
	ck_assert(compressed && na <= EWF_UNPACK_MEMO);
	nb = ewf_packer_pack(p, ones, LEN, b, &compressed);
	ck_assert(compressed && nb <= EWF_UNPACK_MEMO);
	ewf_packer_free(p);
	ck_assert_int_eq(ewf_packer_new(&p, EWF_COMPRESSION_NONE, NULL), CU_OK);
	nr = ewf_packer_pack(p, ones, LEN, raw, &compressed);
	ck_assert(!compressed);
	ewf_packer_free(p);
	ck_assert_int_eq(ewf_unpacker_new(&u, LEN, NULL), CU_OK);
	for (int round = 0; round < 3; round++) { /* inflated, then remembered */
		memset(media, 0x77, LEN);
		ck_assert(ewf_unpacker_unpack(u, a, na, true, media, LEN, &why));
		ck_assert_mem_eq(media, zeros, LEN);
	}
	a[na - 1] ^= 0x10; /* its Adler-32 changed: not the remembered chunk */
	ck_assert(!ewf_unpacker_unpack(u, a, na, true, media, LEN, &why));
	ck_assert_str_eq(why, "does not inflate");
	a[na - 1] ^= 0x10;
	ck_assert(ewf_unpacker_unpack(u, b, nb, true, media, LEN, &why));
	ck_assert_mem_eq(media, ones, LEN);
	ck_assert(ewf_unpacker_unpack(u, a, na, true, media, LEN, &why));
	ck_assert_mem_eq(media, zeros, LEN);
	ck_assert(!ewf_unpacker_unpack(u, a, na, true, media, LEN + 1, &why)); /* short of expect */
	for (int fill = 1; fill <= 5; fill++) { /* five other short chunks: the memo turns over */
		static uint8_t other[LEN], packed[LEN + 64];
		size_t n;

		memset(other, fill, LEN);
		ck_assert_int_eq(ewf_packer_new(&p, EWF_COMPRESSION_BEST, NULL), CU_OK);
		n = ewf_packer_pack(p, other, LEN, packed, &compressed);
		ewf_packer_free(p);
		ck_assert(ewf_unpacker_unpack(u, packed, n, true, media, LEN, &why));
		ck_assert_mem_eq(media, other, LEN);
	}
	ck_assert(ewf_unpacker_unpack(u, a, na, true, media, LEN, &why));
	ck_assert_mem_eq(media, zeros, LEN);
	ck_assert(ewf_unpacker_unpack(u, raw, nr, false, media, LEN, &why));
	ck_assert_mem_eq(media, ones, LEN);
	raw[7] ^= 1;
	ck_assert(!ewf_unpacker_unpack(u, raw, nr, false, media, LEN, &why));
	ck_assert_str_eq(why, "does not match its checksum");
	ewf_unpacker_free(u);
}
END_TEST

/* ---- the writer, read back through libewf ---- */

struct written {
	char dir[64];
	char base[96];
	uint8_t *media;
	size_t len;
};

static void writer_options(struct ewf_writer_options *o, const struct written *w,
                           const struct cu_meta *m, uint64_t sectors)
{
	memset(o, 0, sizeof(*o));
	o->base = w->base;
	o->bytes_per_sector = 512;
	o->sectors_per_chunk = 4;
	o->sector_count = sectors;
	o->segment_size = 24 * 1024;
	o->compression = EWF_COMPRESSION_FAST;
	o->media_type = EWF_MEDIA_FIXED;
	o->media_flags = EWF_FLAG_IMAGE | EWF_FLAG_PHYSICAL;
	o->table_entries_max = 5;
	o->meta = m;
}

/* Writes `sectors` sectors of patterned media through the writer API. */
static void write_set(struct written *w, uint64_t sectors, const struct cu_range *errs,
                      size_t n_errs)
{
	struct ewf_writer_options o;
	struct ewf_writer *wr;
	struct ewf_packer *p;
	struct cu_hash *h;
	struct cu_digests d = {0};
	struct cu_meta m;
	uint8_t packed[2048 + 4];

	cu_meta_init(&m);
	m.case_number = "unit";
	check_tempdir(w->dir, sizeof(w->dir), "writer");
	snprintf(w->base, sizeof(w->base), "%s/set", w->dir);
	w->len = sectors * 512;
	w->media = malloc(w->len);
	for (size_t i = 0; i < w->len; i++)
		w->media[i] = (uint8_t)(i / 512 % 7 == 0 ? 0 : (i * 2654435761U) >> 13);
	writer_options(&o, w, &m, sectors);
	ck_assert_int_eq(ewf_writer_open(&wr, &o, NULL), CU_OK);
	ck_assert_int_eq(ewf_packer_new(&p, EWF_COMPRESSION_FAST, NULL), CU_OK);
	ck_assert_int_eq(cu_hash_new(&h, CU_HASH_MD5, NULL), CU_OK);
	for (size_t i = 0; i < n_errs; i++)
		ck_assert_int_eq(ewf_writer_add_error(wr, errs[i].first, errs[i].count, NULL),
		                 CU_OK);
	for (size_t off = 0; off < w->len; off += 2048) {
		size_t len = w->len - off < 2048 ? w->len - off : 2048;
		bool compressed;
		size_t n = ewf_packer_pack(p, w->media + off, len, packed, &compressed);

		ck_assert_int_eq(ewf_writer_add_chunk(wr, packed, n, compressed, NULL), CU_OK);
		cu_hash_update(h, w->media + off, len, NULL);
	}
	cu_hash_final(h, &d, NULL);
	ck_assert_int_eq(ewf_writer_finish(wr, &d, NULL), CU_OK);
	const struct cu_file_set *files = ewf_writer_files(wr);

	for (size_t i = 0; i < cu_file_set_count(files); i++) {
		struct stat st;

		ck_assert_int_eq(stat(cu_file_set_path(files, i), &st), 0);
		ck_assert_uint_le((uint64_t)st.st_size, o.segment_size);
		ck_assert_uint_eq((uint64_t)st.st_size, cu_file_set_size(files, i));
		ck_assert_uint_eq(st.st_mode & 0777, 0444);
	}
	ck_assert_uint_ge(cu_file_set_count(files), 3);
	ewf_writer_free(wr);
	ewf_packer_free(p);
	cu_hash_free(h);
}

static void remove_set(struct written *w)
{
	char cmd[160];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", w->dir);
	ck_assert_int_eq(system(cmd), 0);
	free(w->media);
}

static libewf_handle_t *open_set(const struct written *w, char ***names, int *n)
{
	char first[128];
	libewf_handle_t *h = NULL;

	snprintf(first, sizeof(first), "%s.E01", w->base);
	ck_assert_int_eq(libewf_glob(first, strlen(first), LIBEWF_FORMAT_UNKNOWN, names, n, NULL),
	                 1);
	ck_assert_int_eq(libewf_handle_initialize(&h, NULL), 1);
	ck_assert_int_eq(libewf_handle_open(h, *names, *n, LIBEWF_OPEN_READ, NULL), 1);
	return h;
}

START_TEST(test_writer_readback_with_errors)
{
	/* ranges arrive in order; 100+3 then 103+2 merge into 100+5 */
	const struct cu_range errs[] = {{5, 3}, {100, 3}, {103, 2}, {399, 1}};
	struct written w;
	libewf_handle_t *h;
	char **names = NULL;
	int n = 0;
	uint32_t count = 0;
	uint64_t first = 0, sectors = 0;
	uint8_t *back;

	write_set(&w, 400, errs, 4);
	h = open_set(&w, &names, &n);
	ck_assert_int_ge(n, 3);
	back = malloc(w.len);
	ck_assert_int_eq(libewf_handle_read_random(h, back, w.len, 0, NULL), (ssize_t)w.len);
	ck_assert_mem_eq(back, w.media, w.len);
	ck_assert_int_eq(libewf_handle_get_number_of_acquiry_errors(h, &count, NULL), 1);
	ck_assert_uint_eq(count, 3);
	libewf_handle_get_acquiry_error(h, 0, &first, &sectors, NULL);
	ck_assert_uint_eq(first, 5);
	ck_assert_uint_eq(sectors, 3);
	libewf_handle_get_acquiry_error(h, 1, &first, &sectors, NULL);
	ck_assert_uint_eq(first, 100);
	ck_assert_uint_eq(sectors, 5);
	libewf_handle_get_acquiry_error(h, 2, &first, &sectors, NULL);
	ck_assert_uint_eq(first, 399);
	ck_assert_uint_eq(sectors, 1);
	free(back);
	libewf_handle_close(h, NULL);
	libewf_handle_free(&h, NULL);
	libewf_glob_free(names, n, NULL);
	remove_set(&w);
}
END_TEST

/* Flips a byte 100 bytes into the first sectors section of segment file `path`. */
static void damage_sectors(const char *path)
{
	uint8_t buf[64 * 1024];
	FILE *f = fopen(path, "r+b");
	size_t n;

	ck_assert_ptr_nonnull(f);
	n = fread(buf, 1, sizeof(buf), f);
	for (size_t i = 0; i + 200 < n; i++)
		if (!memcmp(buf + i, "sectors\0", 8)) {
			ck_assert_int_eq(
			    fseek(f, (long)(i + EWF_SECTION_DESC_SIZE + 100), SEEK_SET), 0);
			ck_assert_int_eq(fputc(buf[i + EWF_SECTION_DESC_SIZE + 100] ^ 0x5a, f),
			                 buf[i + EWF_SECTION_DESC_SIZE + 100] ^ 0x5a);
			ck_assert_int_eq(fclose(f), 0);
			return;
		}
	ck_abort_msg("%s has no sectors section", path);
}

/* Random chunk reads (evidence_cursor) give what the scan gives: the media, and the damage. */
START_TEST(test_ewf_cursor)
{
	struct evidence_scan_result res;
	struct written w;
	struct evidence *e;
	char first[200], second[200];
	uint8_t *got;

	write_set(&w, 400, NULL, 0);
	snprintf(first, sizeof(first), "%s.E01", w.base);
	snprintf(second, sizeof(second), "%s.E02", w.base);
	e = read_all(first, &got, &res);
	ck_assert_uint_eq(res.damaged.n, 0);
	ck_assert_uint_eq(evidence_chunk_count(e), 100);
	ck_assert_mem_eq(got, w.media, w.len);
	expect_cursor(e, w.media, NULL);
	evidence_close(e);
	free(got);
	chmod(second, 0644);
	damage_sectors(second);
	e = read_all(first, &got, &res);
	ck_assert_uint_eq(res.damaged.n, 1);
	ck_assert_uint_eq(res.damaged.v[0].count, 4); /* one chunk */
	ck_assert_mem_ne(got + res.damaged.v[0].first * 512, w.media + res.damaged.v[0].first * 512,
	                 2048);
	expect_cursor(e, got, &res.damaged);
	cu_ranges_free(&res.damaged);
	evidence_close(e);
	free(got);
	remove_set(&w);
}
END_TEST

/* Patches the first entries of every table and table2 of `path` with `a` and `b`. */
static void patch_tables(const char *path, uint32_t a, uint32_t b)
{
	FILE *f;
	uint8_t d[EWF_SECTION_DESC_SIZE], e[8];
	uint64_t at = EWF_FILE_HEADER_SIZE;

	/* the writer leaves a finished segment read-only: only root would write it as it is */
	ck_assert_int_eq(chmod(path, S_IRUSR | S_IWUSR), 0);
	f = fopen(path, "r+b");
	ck_assert_ptr_nonnull(f);
	while (fseek(f, (long)at, SEEK_SET) == 0 && fread(d, 1, sizeof(d), f) == sizeof(d)) {
		uint64_t next = cu_le64_get(d + 16);

		if (!memcmp(d, "table", 6) || !memcmp(d, "table2", 7)) {
			cu_le32_put(e, a);
			cu_le32_put(e + 4, b);
			fseek(f, (long)(at + EWF_SECTION_DESC_SIZE + EWF_TABLE_HEADER_SIZE),
			      SEEK_SET);
			fwrite(e, 1, sizeof(e), f);
		}
		if (next <= at)
			break;
		at = next;
	}
	fclose(f);
}

/* A table that makes a chunk gigabytes long is refused before libewf sizes a buffer from it. */
START_TEST(test_tables_bounded)
{
	struct written w;
	char first[200], problem[512];
	const char *paths[1] = {first};
	struct ewf_scan_result scan;
	struct cu_error err;
	bool want[CU_HASH_COUNT] = {true, false, false};

	write_set(&w, 400, NULL, 0);
	snprintf(first, sizeof(first), "%s.E01", w.base);
	ck_assert_int_eq(ewf_tables_check(paths, 1, 2 * 2048 + 65536, problem, sizeof(problem)), 0);
	patch_tables(first, 0x4c, 0x70000000); /* chunk 0: about 1.75 GiB */
	ck_assert_int_eq(ewf_tables_check(paths, 1, 2 * 2048 + 65536, problem, sizeof(problem)),
	                 -1);
	ck_assert_ptr_nonnull(strstr(problem, "more than a chunk can have"));
	/* the scan gives a verdict: every chunk damaged, nothing allocated from the table */
	ck_assert_int_eq(ewf_scan(first, 1, want, NULL, NULL, &scan, &err), CU_OK);
	ck_assert_uint_gt(scan.damaged.n, 0);
	ck_assert_uint_eq(scan.damaged.v[0].first, 0);
	cu_ranges_free(&scan.damaged);
	/* entries going backwards wrap to a size no chunk has */
	patch_tables(first, 0x4000, 0x1000);
	ck_assert_int_eq(ewf_tables_check(paths, 1, 2 * 2048 + 65536, problem, sizeof(problem)),
	                 -1);
	remove_set(&w);
}
END_TEST

/* The commands are functions of the core: they run in-process, on a set written here. */
START_TEST(test_commands_in_process)
{
	struct written w;
	char first[200];
	char *verify[] = {"verify", "--by", "unit test", first, NULL};
	char *info[] = {"info", "--json", first, NULL};
	char *bad[] = {"verify", "--bogus", first, NULL};

	write_set(&w, 400, NULL, 0);
	snprintf(first, sizeof(first), "%s.E01", w.base);
	ck_assert_int_eq(cmd_verify(4, verify), 0);
	ck_assert_int_eq(cmd_info(3, info), 0);
	ck_assert_int_eq(cmd_verify(3, bad), CU_EUSAGE);
	remove_set(&w);
}
END_TEST

START_TEST(test_writer_refusals)
{
	struct written w;
	struct ewf_writer_options o;
	struct ewf_writer *wr;
	struct cu_meta m;
	struct cu_error err;
	uint8_t chunk[2052] = {0};
	char partial[160];
	struct stat st;

	memset(&w, 0, sizeof(w));
	check_tempdir(w.dir, sizeof(w.dir), "refuse");
	cu_meta_init(&m);
	snprintf(w.base, sizeof(w.base), "%s/set", w.dir);
	writer_options(&o, &w, &m, 100);
	o.segment_size = 4096;
	ck_assert_int_eq(ewf_writer_open(&wr, &o, &err), CU_EUSAGE);
	ck_assert_ptr_nonnull(strstr(err.msg, "--segment-size"));
	writer_options(&o, &w, &m, 0);
	ck_assert_int_eq(ewf_writer_open(&wr, &o, &err), CU_EUSAGE);
	writer_options(&o, &w, &m, 100);
	o.bytes_per_sector = 1000;
	ck_assert_int_eq(ewf_writer_open(&wr, &o, &err), CU_EUSAGE);

	/* out-of-order errors, too many chunks, unfinished set; abort cleans up */
	writer_options(&o, &w, &m, 4);
	ck_assert_int_eq(ewf_writer_open(&wr, &o, &err), CU_OK);
	ck_assert_int_eq(ewf_writer_add_error(wr, 2, 1, &err), CU_OK);
	ck_assert_int_eq(ewf_writer_add_error(wr, 1, 1, &err), CU_EFAIL);
	ck_assert_int_eq(ewf_writer_add_error(wr, 3, 5, &err), CU_EFAIL);
	ck_assert_int_eq(ewf_writer_add_chunk(wr, chunk, 2052, false, &err), CU_OK);
	ck_assert_int_eq(ewf_writer_add_chunk(wr, chunk, 2052, false, &err), CU_EFAIL);
	snprintf(partial, sizeof(partial), "%s.E01.partial", w.base);
	ck_assert_int_eq(stat(partial, &st), 0);
	ewf_writer_abort(wr);
	ewf_writer_free(wr);
	ck_assert_int_ne(stat(partial, &st), 0);

	/* a 4 TiB medium: error2 numbers sectors in 32 bits; what lies beyond is counted */
	writer_options(&o, &w, &m, 8ULL << 30);
	o.sectors_per_chunk = 64;
	o.segment_size = 1ULL << 30;
	ck_assert_msg(ewf_writer_open(&wr, &o, &err) == CU_OK, "%s", err.msg);
	ck_assert_int_eq(ewf_writer_add_error(wr, 100, 1, &err), CU_OK);
	ck_assert_int_eq(ewf_writer_add_error(wr, 0xfffffffeULL, 4, &err), CU_OK);
	ck_assert_int_eq(ewf_writer_add_error(wr, 5ULL << 30, 7, &err), CU_OK);
	ck_assert_uint_eq(ewf_writer_errors_unrecorded(wr), 2 + 7);
	ewf_writer_abort(wr);
	ewf_writer_free(wr);
	ck_assert_int_eq(rmdir(w.dir), 0);
}
END_TEST

/* ---- the raw backend of the evidence interface ---- */

/* Writes `len` bytes of `data` to DIR/NAME. */
static void put_file(const char *dir, const char *name, const uint8_t *data, size_t len)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	ck_assert_ptr_nonnull(f = fopen(path, "wb"));
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	fclose(f);
}

/* A record lookup that records the digests in its context: a custody log's stand-in. */
static int log_lookup(void *ctx, const char *first, struct evidence_record *out, bool *found,
                      struct cu_error *err)
{
	(void)first;
	memset(out, 0, sizeof(*out));
	snprintf(out->where, sizeof(out->where), "the log");
	out->digests = *(const struct cu_digests *)ctx;
	out->bytes_per_sector = 4096;
	*found = true;
	return cu_ranges_add(&out->read_errors, 3, 2, err);
}

/* A split raw image found from any part; a gap named; the first part missing refused. */
START_TEST(test_raw_set_parts)
{
	char dir[] = "/tmp/custos-raw-XXXXXX", path[256];
	uint8_t data[3000];
	struct raw_set s;
	struct cu_error err;

	memset(data, 0x5a, sizeof(data));
	ck_assert_ptr_nonnull(mkdtemp(dir));
	put_file(dir, "r.001", data, 1000);
	put_file(dir, "r.002", data, 1000);
	put_file(dir, "r.003", data, 500);
	put_file(dir, "r.0004", data, 10); /* not a part as acquire names them */
	snprintf(path, sizeof(path), "%s/r.002", dir);
	ck_assert_int_eq(raw_set_find(&s, path, &err), CU_OK);
	ck_assert_uint_eq(s.n, 3);
	ck_assert_uint_eq(s.size, 2500);
	ck_assert(s.numbered);
	ck_assert_str_eq(s.gap, "");
	ck_assert_ptr_nonnull(strstr(s.names[0], "/r.001"));
	raw_set_free(&s);
	snprintf(path, sizeof(path), "%s/r.002", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/r.001", dir);
	ck_assert_int_eq(raw_set_find(&s, path, &err), CU_OK);
	ck_assert_uint_eq(s.n, 1);
	ck_assert_ptr_nonnull(strstr(s.gap, "r.002 is missing"));
	raw_set_free(&s);
	unlink(path);
	snprintf(path, sizeof(path), "%s/r.003", dir);
	ck_assert_int_eq(raw_set_find(&s, path, &err), CU_EFAIL);
	ck_assert_ptr_nonnull(strstr(err.msg, "r.001, is missing"));
	unlink(path);
	snprintf(path, sizeof(path), "%s/r.0004", dir);
	unlink(path);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

/* By content: the media of a split image, its record's digests; what is no evidence is refused. */
START_TEST(test_raw_evidence)
{
	char dir[] = "/tmp/custos-raw-XXXXXX", path[256];
	static uint8_t data[3 << 20];
	bool want[CU_HASH_COUNT] = {true, false, true};
	struct evidence_records records = {.lookup = log_lookup};
	struct evidence_scan_result scan;
	struct evidence_facts f;
	struct cu_digests d, recorded;
	struct cu_ranges errors = {0};
	struct cu_hash *h[2];
	struct evidence *e;
	struct cu_error err;

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7 + i / 4096);
	ck_assert_int_eq(cu_hash_new(&h[0], CU_HASH_MD5, &err), CU_OK);
	ck_assert_int_eq(cu_hash_new(&h[1], CU_HASH_SHA256, &err), CU_OK);
	memset(&recorded, 0, sizeof(recorded));
	for (int i = 0; i < 2; i++) {
		ck_assert_int_eq(cu_hash_update(h[i], data, sizeof(data) - 5, &err), CU_OK);
		ck_assert_int_eq(cu_hash_final(h[i], &recorded, &err), CU_OK);
		cu_hash_free(h[i]);
	}
	records.ctx = &recorded;
	ck_assert_ptr_nonnull(mkdtemp(dir));
	put_file(dir, "r.001", data, 1 << 20);
	put_file(dir, "r.002", data + (1 << 20), (1 << 20) + 3);
	put_file(dir, "r.003", data + (2 << 20) + 3, (1 << 20) - 8);
	snprintf(path, sizeof(path), "%s/r.003", dir);
	ck_assert_int_eq(evidence_open(&e, path, &records, &err), CU_OK);
	evidence_facts(e, &f);
	ck_assert_str_eq(f.container, "raw");
	ck_assert_str_eq(f.format, "split raw");
	ck_assert(!f.digests_inside);
	ck_assert_str_eq(f.digests_where, "the log");
	ck_assert_uint_eq(evidence_media_size(e), sizeof(data) - 5);
	ck_assert_uint_eq(evidence_bytes_per_sector(e), 4096);
	ck_assert_uint_eq(evidence_file_count(e), 3);
	ck_assert_int_eq(evidence_read_errors(e, &errors, &err), CU_OK);
	ck_assert_uint_eq(errors.n, 1);
	ck_assert_uint_eq(errors.v[0].first, 3);
	evidence_stored_digests(e, &d);
	ck_assert(d.have[CU_HASH_MD5] && d.have[CU_HASH_SHA256]);
	ck_assert_int_eq(evidence_scan(e, 0, want, NULL, NULL, &scan, &err), CU_OK);
	ck_assert_uint_eq(scan.damaged.n, 0);
	ck_assert_mem_eq(scan.computed.md5, recorded.md5, 16);
	ck_assert_mem_eq(scan.computed.sha256, recorded.sha256, 32);
	expect_cursor(e, data, NULL); /* chunks across the parts' borders */
	evidence_close(e);
	cu_ranges_free(&errors);
	/* without a record: no stored digest */
	ck_assert_int_eq(evidence_open(&e, path, NULL, &err), CU_OK);
	evidence_stored_digests(e, &d);
	ck_assert(!d.have[CU_HASH_MD5]);
	evidence_facts(e, &f);
	ck_assert_ptr_null(f.digests_where);
	evidence_close(e);
	/* named like an EWF segment, without the signature: raw when it holds a sector */
	put_file(dir, "big.E01", data, 4096);
	put_file(dir, "notes.E01", (const uint8_t *)"not evidence\n", 13);
	put_file(dir, "notes.txt", data, 4096);
	snprintf(path, sizeof(path), "%s/big.E01", dir);
	ck_assert_int_eq(evidence_open(&e, path, NULL, &err), CU_OK);
	evidence_facts(e, &f);
	ck_assert_str_eq(f.container, "raw");
	evidence_close(e);
	snprintf(path, sizeof(path), "%s/notes.E01", dir);
	ck_assert_int_eq(evidence_open(&e, path, NULL, &err), CU_EUSAGE);
	snprintf(path, sizeof(path), "%s/notes.txt", dir);
	ck_assert_int_eq(evidence_open(&e, path, NULL, &err), CU_EUSAGE);
	for (const char *const *n = (const char *const[]){"r.001", "r.002", "r.003", "big.E01",
	                                                  "notes.E01", "notes.txt", NULL};
	     *n; n++) {
		snprintf(path, sizeof(path), "%s/%s", dir, *n);
		unlink(path);
	}
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

/* A sink into a file that leaves runs of zeros as holes, so that a volume can pass 4 GiB cheaply.
 */
static int zip_file_write(void *ctx, const void *data, size_t len, struct cu_error *err)
{
	static const uint8_t zeros[4096];
	int fd = *(int *)ctx;
	const uint8_t *p = data;

	for (size_t at = 0; at < len;) {
		size_t n = len - at < sizeof(zeros) ? len - at : sizeof(zeros);

		if (!memcmp(p + at, zeros, n) ? lseek(fd, (off_t)n, SEEK_CUR) < 0
		                              : write(fd, p + at, n) != (ssize_t)n)
			return cu_error_set(err, CU_EFAIL, "cannot write the test volume");
		at += n;
	}
	return CU_OK;
}

/* Writes a volume: the description, version.txt, 3 MiB in pieces, an empty member, maybe 4 GiB of
 * zeros. */
static void zip_write_volume(const char *path, bool large)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	struct aff4_zip_sink sink = {zip_file_write, &fd};
	uint8_t *piece = malloc(1 << 20);
	struct aff4_zip *z;

	ck_assert(fd >= 0 && piece);
	ck_assert_int_eq(aff4_zip_new(&z, &sink, 1764633600, NULL), CU_OK);
	ck_assert_int_eq(aff4_zip_member(z, "container.description", "aff4://v", 8, NULL), CU_OK);
	ck_assert_int_eq(aff4_zip_member(z, "version.txt", "major=1\nminor=0\n", 16, NULL), CU_OK);
	ck_assert_int_eq(aff4_zip_member_begin(z, "aff4%3A%2F%2Fs/00000000", NULL), CU_OK);
	for (int i = 0; i < 3; i++) {
		for (size_t j = 0; j < (1 << 20); j++)
			piece[j] = (uint8_t)(j * 7 + (size_t)i * 13 + j / 251);
		ck_assert_int_eq(aff4_zip_member_write(z, piece, 1 << 20, NULL), CU_OK);
	}
	ck_assert_int_eq(aff4_zip_member_end(z, NULL), CU_OK);
	ck_assert_int_eq(aff4_zip_member(z, "empty", "", 0, NULL), CU_OK);
	if (large) { /* past 4 GiB: a member's size, then an offset, need ZIP64 */
		memset(piece, 0, 1 << 20);
		ck_assert_int_eq(aff4_zip_member_begin(z, "zeros", NULL), CU_OK);
		for (int i = 0; i < 4097; i++)
			ck_assert_int_eq(aff4_zip_member_write(z, piece, 1 << 20, NULL), CU_OK);
		ck_assert_int_eq(aff4_zip_member_end(z, NULL), CU_OK);
		ck_assert_int_eq(aff4_zip_member(z, "information.turtle", "@prefix", 7, NULL),
		                 CU_OK);
	}
	ck_assert_int_eq(aff4_zip_finish(z, "aff4://v", NULL), CU_OK);
	ck_assert_int_eq(ftruncate(fd, (off_t)aff4_zip_offset(z)), 0); /* a trailing hole */
	aff4_zip_free(z);
	free(piece);
	close(fd);
}

/* Python's zipfile, an independent reader, checks every CRC and the contents. */
static const char zip_check[] = "import sys, zipfile\n"
                                "z = zipfile.ZipFile(sys.argv[1])\n"
                                "assert z.testzip() is None\n"
                                "assert z.comment == b'aff4://v'\n"
                                "n = z.namelist()\n"
                                "assert n[:4] == ['container.description', 'version.txt', "
                                "'aff4%3A%2F%2Fs/00000000', 'empty'], n\n"
                                "assert z.read('container.description') == b'aff4://v'\n"
                                "d = z.read('aff4%3A%2F%2Fs/00000000')\n"
                                "assert d == bytes((j * 7 + i * 13 + j // 251) % 256 for i in "
                                "range(3) for j in range(1 << 20))\n"
                                "assert all(i.compress_type == 0 for i in z.infolist())\n"
                                "if len(sys.argv) > 2:\n"
                                "    zi = z.getinfo('zeros')\n"
                                "    assert zi.file_size == 4097 << 20 and "
                                "z.getinfo('information.turtle').header_offset > 1 << 32\n"
                                "    assert z.read('information.turtle') == b'@prefix'\n";

START_TEST(test_aff4_zip)
{
	char dir[] = "/tmp/custos-zip-XXXXXX", path[64], cmd[512];

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/v.aff4", dir);
	zip_write_volume(path, false);
	snprintf(cmd, sizeof(cmd), "python3 -c \"$ZIP_CHECK\" %s", path);
	setenv("ZIP_CHECK", zip_check, 1);
	ck_assert_int_eq(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "unzip -tqq %s >/dev/null", path);
	ck_assert_int_eq(system(cmd), 0);
	zip_write_volume(path, true);
	snprintf(cmd, sizeof(cmd), "python3 -c \"$ZIP_CHECK\" %s large", path);
	ck_assert_int_eq(system(cmd), 0);
	unlink(path);
	rmdir(dir);
}
END_TEST

/*
 * Chunk i of the test stream: zeros, text, or a block of pseudo-random bytes
 * turned by 7 * i bytes, by i % 3 (cheap to make again in the witness).
 */
static void stream_chunk(uint8_t *c, unsigned i)
{
	uint32_t x = 1;

	for (size_t j = 0; j < AFF4_CHUNK_SIZE; j++) {
		x = x * 1103515245U + 12345U;
		c[(j + AFF4_CHUNK_SIZE - (size_t)i * 7 % AFF4_CHUNK_SIZE) % AFF4_CHUNK_SIZE] =
		    i % 3 == 0   ? 0
		    : i % 3 == 1 ? (uint8_t)(x >> 16)
		                 : (uint8_t)("evidence "[j % 9]);
	}
}

/* The block hashes of a chunk: MD5 and SHA-256 of its bytes. */
static void chunk_digests(const uint8_t *chunk, struct cu_digests *d)
{
	memset(d, 0, sizeof(*d));
	for (int a = CU_HASH_MD5; a <= CU_HASH_SHA256; a += 2) {
		struct cu_hash *h;

		ck_assert_int_eq(cu_hash_new(&h, a, NULL), CU_OK);
		cu_hash_update(h, chunk, AFF4_CHUNK_SIZE, NULL);
		cu_hash_final(h, d, NULL);
		cu_hash_free(h);
	}
}

/* Its reader, from the standard, with Debian's python3-lz4 and python3-snappy. */
static const char stream_check[] =
    "import sys, zipfile, zlib, hashlib, lz4.block, snappy\n"
    "md5s = b''\n"
    "z = zipfile.ZipFile(sys.argv[1]); method = sys.argv[2]; n = int(sys.argv[3])\n"
    "base = bytearray(32768); x = 1\n"
    "for j in range(32768):\n"
    "    x = (x * 1103515245 + 12345) & 0xffffffff; base[j] = (x >> 16) & 0xff\n"
    "text = bytes(b'evidence '[j % 9] for j in range(32768))\n"
    "def turned(b, k): k %= 32768; return bytes(b[k:] + b[:k])\n"
    "def chunk(i):\n"
    "    if i % 3 == 0: return bytes(32768)\n"
    "    return turned(base if i % 3 == 1 else text, 7 * i)\n"
    "raw = 0\n"
    "for bevy in range((n + 2047) // 2048):\n"
    "    data = z.read('aff4%3A%2F%2Fs/' + '%08d' % bevy)\n"
    "    index = z.read('aff4%3A%2F%2Fs/' + '%08d.index' % bevy)\n"
    "    assert len(index) == 12 * min(2048, n - bevy * 2048)\n"
    "    end = 0\n"
    "    bh = {a: z.read('aff4%3A%2F%2Fs/' + '%08d.blockHash.' % bevy + a) for a in ('md5', "
    "'sha256')}\n"
    "    for k in range(len(index) // 12):\n"
    "        off = int.from_bytes(index[12*k:12*k+8], 'little'); ln = "
    "int.from_bytes(index[12*k+8:12*k+12], 'little')\n"
    "        assert off == end; end = off + ln; b = data[off:end]\n"
    "        if ln == 32768: c = b; raw += 1\n"
    "        elif method == 'lz4': c = lz4.block.decompress(b, uncompressed_size=32768)\n"
    "        elif method == 'snappy': c = snappy.decompress(b)\n"
    "        elif method == 'deflate': c = zlib.decompress(b, -15)\n"
    "        else: raise Exception('a packed chunk with no compression')\n"
    "        assert ln == 32768 or ln < 32768 - 16\n"
    "        assert c == chunk(bevy * 2048 + k), (bevy, k)\n"
    "        for alg, size in (('md5', 16), ('sha256', 32)):\n"
    "            assert bh[alg][size * k:size * (k + 1)] == hashlib.new(alg, c).digest(), (alg, "
    "k)\n"
    "    md5s += z.read('aff4%3A%2F%2Fs/' + '%08d.blockHash.md5' % bevy)\n"
    "    assert end == len(data)\n"
    "    assert 'aff4%3A%2F%2Fs/' + '%08d.blockHash.sha1' % bevy not in z.namelist()\n"
    "    names = z.namelist(); i = names.index('aff4%3A%2F%2Fs/' + '%08d' % bevy)\n"
    "    assert names[i + 3] == 'aff4%3A%2F%2Fs/' + '%08d.index' % bevy, names[i:i + 4]\n"
    "assert hashlib.sha512(md5s).hexdigest() == sys.argv[4]\n"
    "assert raw >= n // 3 and (method == 'none') == (raw == n)\n";

/* 2100 chunks (two bevies) in every compression, read back by the witness. */
START_TEST(test_aff4_stream)
{
	static const enum aff4_compression methods[] = {
	    AFF4_COMPRESSION_NONE, AFF4_COMPRESSION_SNAPPY, AFF4_COMPRESSION_LZ4,
	    AFF4_COMPRESSION_DEFLATE};
	static const char *const names[] = {"none", "snappy", "lz4", "deflate"};
	static const bool block[CU_HASH_COUNT] = {[CU_HASH_MD5] = true, [CU_HASH_SHA256] = true};
	char dir[] = "/tmp/custos-aff4-XXXXXX", path[64], cmd[800], sha512_md5[129];
	uint8_t *chunk = malloc(AFF4_CHUNK_SIZE), *packed = malloc(AFF4_CHUNK_SIZE);

	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert(chunk && packed);
	/* the URIs the standard names (none: the property is left out) */
	ck_assert_ptr_null(aff4_compression_uri(AFF4_COMPRESSION_NONE));
	ck_assert_str_eq(aff4_compression_uri(AFF4_COMPRESSION_SNAPPY),
	                 "http://code.google.com/p/snappy/");
	ck_assert_str_eq(aff4_compression_uri(AFF4_COMPRESSION_LZ4),
	                 "https://code.google.com/p/lz4/");
	ck_assert_str_eq(aff4_compression_uri(AFF4_COMPRESSION_DEFLATE),
	                 "https://tools.ietf.org/html/rfc1951");
	snprintf(path, sizeof(path), "%s/s.aff4", dir);
	setenv("STREAM_CHECK", stream_check, 1);
	for (int m = 0; m < 4; m++) {
		int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		struct aff4_zip_sink sink = {zip_file_write, &fd};
		struct aff4_packer *p;
		struct aff4_stream *st;
		struct aff4_zip *z;

		ck_assert_int_eq(aff4_zip_new(&z, &sink, 1764633600, NULL), CU_OK);
		ck_assert_int_eq(aff4_packer_new(&p, methods[m], NULL), CU_OK);
		ck_assert_int_eq(aff4_stream_new(&st, z, "aff4%3A%2F%2Fs", block, NULL), CU_OK);
		for (unsigned i = 0; i < 2100; i++) {
			struct cu_digests d;

			stream_chunk(chunk, i);
			chunk_digests(chunk, &d);
			ck_assert_int_eq(aff4_stream_add_chunk(st, packed,
			                                       aff4_packer_pack(p, chunk, packed),
			                                       &d, NULL),
			                 CU_OK);
		}
		ck_assert_int_eq(aff4_stream_finish(st, NULL), CU_OK);
		cu_hex(sha512_md5, aff4_stream_block_hashes_hash(st, CU_HASH_MD5), 64);
		ck_assert_ptr_null(aff4_stream_block_hashes_hash(st, CU_HASH_SHA1));
		ck_assert_uint_eq(aff4_stream_chunks(st), 2100);
		ck_assert_int_eq(aff4_zip_finish(z, "aff4://v", NULL), CU_OK);
		aff4_stream_free(st);
		aff4_packer_free(p);
		aff4_zip_free(z);
		close(fd);
		snprintf(cmd, sizeof(cmd), "/usr/bin/python3 -c \"$STREAM_CHECK\" %s %s 2100 %s",
		         path, names[m], sha512_md5);
		ck_assert_msg(system(cmd) == 0, "the witness rejects the %s stream", names[m]);
	}
	unlink(path);
	rmdir(dir);
	free(chunk);
	free(packed);
}
END_TEST

/* The map's members, read by the witness from the standard's layout. */
static const char map_check[] =
    "import sys, zipfile, struct\n"
    "z = zipfile.ZipFile(sys.argv[1])\n"
    "m = z.read('aff4%3A%2F%2Fm/map'); idx = z.read('aff4%3A%2F%2Fm/idx')\n"
    "assert idx == b'aff4://s\\nhttp://aff4.org/Schema#UnreadableData\\n', idx\n"
    "assert len(m) % 28 == 0\n"
    "e = [struct.unpack('<QQQI', m[i:i + 28]) for i in range(0, len(m), 28)]\n"
    "assert e == [(0, 1048576, 0, 0), (1048576, 1024, 1048576, 1), (1049600, 3072, 1049600, 0),\n"
    "             (1052672, 512, 1052672, 1), (1053184, 4096, 2000000, 0)], e\n"
    "import hashlib, os\n"
    "H = lambda b: hashlib.sha512(b).digest()\n"
    "assert H(m).hex() == os.environ['MAP_HASHES'] and H(idx).hex() == os.environ['MAP_IDX_HASH']\n"
    "assert H(m + idx).hex() == os.environ['MAP_HASH']\n"
    "bh = bytes([1, 2, 3] + [0] * 61) + bytes([4, 5, 6] + [0] * 61)\n"
    "assert H(bh + H(m) + H(idx)).hex() == os.environ['BLOCK_MAP_HASH']\n";

/* Runs merged where they continue each other; unreadable ones exact, onto UnreadableData. */
START_TEST(test_aff4_map)
{
	static const uint8_t md5s[64] = {1, 2, 3}, sha256s[64] = {4, 5, 6};
	const uint8_t *const block[CU_HASH_COUNT] = {md5s, NULL, sha256s};
	char dir[] = "/tmp/custos-map-XXXXXX", path[64], cmd[300], hex[4][129];
	struct aff4_map_hashes mh;
	uint8_t bmh[64];
	int fd;
	struct aff4_zip_sink sink = {zip_file_write, &fd};
	struct aff4_zip *z;
	struct aff4_map *m;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/m.aff4", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_eq(aff4_zip_new(&z, &sink, 1764633600, NULL), CU_OK);
	ck_assert_int_eq(aff4_map_new(&m, "aff4://s", NULL), CU_OK);
	ck_assert_int_eq(aff4_map_add_data(m, 0, 524288, 0, NULL), CU_OK);
	ck_assert_int_eq(aff4_map_add_data(m, 524288, 524288, 524288, NULL), CU_OK); /* merged */
	ck_assert_int_eq(aff4_map_add_unreadable(m, 1048576, 512, NULL), CU_OK);
	ck_assert_int_eq(aff4_map_add_unreadable(m, 1049088, 512, NULL), CU_OK); /* merged */
	ck_assert_int_eq(aff4_map_add_data(m, 1049600, 3072, 1049600, NULL), CU_OK);
	ck_assert_int_eq(aff4_map_add_unreadable(m, 1052672, 512, NULL), CU_OK);
	ck_assert_int_eq(aff4_map_add_data(m, 1053184, 4096, 2000000, NULL), CU_OK);
	ck_assert_int_eq(aff4_map_add_data(m, 1053184, 1, 0, NULL), CU_EFAIL); /* out of order */
	ck_assert_int_eq(aff4_map_write(m, z, "aff4%3A%2F%2Fm", &mh, NULL), CU_OK);
	cu_hex(hex[0], mh.point, 64);
	cu_hex(hex[1], mh.idx, 64);
	cu_hex(hex[2], mh.map, 64);
	ck_assert_int_eq(aff4_map_block_map_hash(block, &mh, bmh, NULL), CU_OK);
	cu_hex(hex[3], bmh, 64);
	setenv("MAP_HASHES", hex[0], 1);
	setenv("MAP_IDX_HASH", hex[1], 1);
	setenv("MAP_HASH", hex[2], 1);
	setenv("BLOCK_MAP_HASH", hex[3], 1);
	ck_assert_int_eq(aff4_zip_finish(z, NULL, NULL), CU_OK);
	aff4_map_free(m);
	aff4_zip_free(z);
	close(fd);
	setenv("MAP_CHECK", map_check, 1);
	snprintf(cmd, sizeof(cmd), "python3 -c \"$MAP_CHECK\" %s", path);
	ck_assert_int_eq(system(cmd), 0);
	unlink(path);
	rmdir(dir);
}
END_TEST

/* rdflib, a real RDF parser, reads the Turtle back: the triples, and the case text exactly. */
static const char info_check[] =
    "import os, sys, rdflib\n"
    "A = rdflib.Namespace('http://aff4.org/Schema#')\n"
    "g = rdflib.Graph(); g.parse(data=open(sys.argv[1], encoding='utf-8').read(), "
    "format='turtle')\n"
    "img = rdflib.URIRef('aff4://i'); v = rdflib.URIRef('aff4://v')\n"
    "assert (img, rdflib.RDF.type, A.DiskImage) in g and (v, rdflib.RDF.type, A.ZipVolume) in g\n"
    "assert g.value(img, A.size).toPython() == 1048576 and g.value(img, A.blockSize).toPython() == "
    "4096\n"
    "assert g.value(img, A.sectorCount).toPython() == 256\n"
    "h = {str(o.datatype): str(o) for o in g.objects(img, A.hash)}\n"
    "assert {k: v for k, v in h.items() if 'blockMap' not in k} == {str(A.MD5): "
    "'d41d8cd98f00b204e9800998ecf8427e', str(A.SHA256): "
    "'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'}, h\n"
    "c = rdflib.URIRef('aff4://c')\n"
    "assert str(g.value(c, A.caseNumber)) == os.environ['EXPECT_CASE'], g.value(c, A.caseNumber)\n"
    "assert str(g.value(c, A.notes)) == os.environ['EXPECT_NOTES'], g.value(c, A.notes)\n"
    "assert g.value(c, A.examiner) is None\n"
    "s = rdflib.URIRef('aff4://s')\n"
    "assert g.value(s, A.compressionMethod) == rdflib.URIRef('https://code.google.com/p/lz4/')\n"
    "assert g.value(rdflib.URIRef('aff4://m'), A.mapGapDefaultStream) == A.Zero\n"
    "assert str(g.value(rdflib.URIRef('aff4://t'), A.startTime)) == '2025-12-02T00:00:00+00:00'\n"
    "x = lambda b: b + '00' * 63\n"
    "t = {str(o.datatype): str(o) for o in g.objects(img, A.hash)}\n"
    "assert t[str(A.blockMapHashSHA512)] == x('cc')\n"
    "m = rdflib.URIRef('aff4://m')\n"
    "for p, v in ((A.mapPointHash, '11'), (A.mapIdxHash, '22'), (A.mapHash, '33'), "
    "(A.blockMapHash, 'cc')):\n"
    "    o = g.value(m, p); assert str(o) == x(v) and o.datatype == A.SHA512, (p, o)\n"
    "for alg, v in (('md5', 'aa'), ('sha256', 'bb')):\n"
    "    b = rdflib.URIRef('aff4://s/blockhash.' + alg)\n"
    "    assert (b, rdflib.RDF.type, A.BlockHashes) in g and str(g.value(b, A.hash)) == x(v)\n"
    "assert (rdflib.URIRef('aff4://s/blockhash.sha1'), None, None) not in g\n";

/* The volume's Turtle, with case text that tries to break out of its literal. */
START_TEST(test_aff4_info)
{
	static const uint8_t sha512s[3][64] = {{0xaa}, {0xbb}, {0xcc}};
	static const struct aff4_map_hashes mh = {{0x11}, {0x22}, {0x33}};
	struct cu_meta meta = {.case_number = "K-1 \\ \"x\" \"\"\" ",
	                       .notes = "line one\nline two\ttab \xc3\xa9t\xc3\xa9"};
	struct aff4_info i = {.volume = "aff4://v",
	                      .image = "aff4://i",
	                      .map = "aff4://m",
	                      .stream = "aff4://s",
	                      .case_details = "aff4://c",
	                      .time_stamps = "aff4://t",
	                      .stored = "x.aff4",
	                      .started = 1764633600,
	                      .finished = 1764633700,
	                      .media_size = 1048576,
	                      .sector_size = 4096,
	                      .stream_size = 1048576,
	                      .compression = "https://code.google.com/p/lz4/",
	                      .complete = true,
	                      .meta = &meta,
	                      .block_hashes = {sha512s[0], NULL, sha512s[1]},
	                      .map_hashes = &mh,
	                      .block_map_hash = sha512s[2]};
	char path[] = "/tmp/custos-turtle-XXXXXX", cmd[200], *text;
	size_t len;
	int fd = mkstemp(path);
	static const bool want[CU_HASH_COUNT] = {[CU_HASH_MD5] = true, [CU_HASH_SHA256] = true};

	ck_assert(fd >= 0);
	for (int a = 0; a < CU_HASH_COUNT; a++) { /* the digests of nothing */
		struct cu_hash *h;

		if (!want[a])
			continue;
		ck_assert_int_eq(cu_hash_new(&h, a, NULL), CU_OK);
		cu_hash_final(h, &i.media, NULL);
		cu_hash_free(h);
	}
	ck_assert_int_eq(aff4_info_turtle(&i, &text, &len, NULL), CU_OK);
	ck_assert_int_eq(write(fd, text, len), (ssize_t)len);
	close(fd);
	free(text);
	setenv("INFO_CHECK", info_check, 1);
	setenv("EXPECT_CASE", meta.case_number, 1);
	setenv("EXPECT_NOTES", meta.notes, 1);
	snprintf(cmd, sizeof(cmd), "/usr/bin/python3 -c \"$INFO_CHECK\" %s", path);
	ck_assert_int_eq(system(cmd), 0);
	i.stream = "aff4://s>"; /* an IRI Turtle cannot hold is refused, not written */
	ck_assert_int_eq(aff4_info_turtle(&i, &text, &len, NULL), CU_EUSAGE);
	unlink(path);
}
END_TEST

int main(void)
{
	TCase *tc = tcase_create("container");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_segment_names);
	tcase_add_test(tc, test_existing_set_detection);
	tcase_add_test(tc, test_section_layouts);
	tcase_add_test(tc, test_chunk_packing);
	tcase_add_test(tc, test_unpacker_memo);
	tcase_add_test(tc, test_writer_readback_with_errors);
	tcase_add_test(tc, test_ewf_cursor);
	tcase_add_test(tc, test_writer_refusals);
	tcase_add_test(tc, test_commands_in_process);
	tcase_add_test(tc, test_tables_bounded);
	tcase_add_test(tc, test_raw_set_parts);
	tcase_add_test(tc, test_raw_evidence);
	tcase_add_test(tc, test_aff4_zip);
	tcase_add_test(tc, test_aff4_stream);
	tcase_add_test(tc, test_aff4_map);
	tcase_add_test(tc, test_aff4_info);
	return check_run("container", tc);
}
