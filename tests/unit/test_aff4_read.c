/*
 * test_aff4_read.c - the AFF4 reader (container/aff4: aff4_zip_read,
 * aff4_rdf, aff4_image_read, aff4_image_scan, and the evidence backend)
 * against volumes custos' own writer pieces make (tests/tools/aff4_build.h):
 * the exact media back in every compression, across bevies; unreadable
 * runs as the UNREADABLEDATA fill and as read errors; one flipped byte of a
 * bevy as damage at exactly its chunk's sectors; and corrupt ZIP records,
 * indexes, maps and Turtle refused with a clear line, never a crash.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "container/aff4/aff4_zip_read.h"
#include "container/evidence.h"
#include "lib/le.h"
#include "tests/check_run.h"
#include "tests/unit/evidence_check.h"
#include "tests/tools/aff4_build.h"

#define CHUNK 32768U

/* A medium of mixed chunks: zeros, noise, text; `size` bytes into `path`. */
static uint8_t *make_media(const char *path, uint64_t size)
{
	uint8_t *m = malloc(size ? size : 1);
	uint32_t x = 7;
	int fd;

	ck_assert_ptr_nonnull(m);
	for (uint64_t i = 0; i < size; i++) {
		uint64_t c = i / CHUNK;

		x = x * 1103515245U + 12345U;
		m[i] = c % 3 == 0   ? 0
		       : c % 3 == 1 ? (uint8_t)(x >> 16)
		                    : (uint8_t)("media "[i % 6]);
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, m, size), (ssize_t)size);
	close(fd);
	return m;
}

static void build(const char *out, const char *media, uint64_t size, const struct aff4_build *b)
{
	struct cu_error err = {0};
	int fd = open(media, O_RDONLY);

	ck_assert_int_ge(fd, 0);
	ck_assert_msg(aff4_build_file(out, fd, size, b, &err) == CU_OK, "%s", err.msg);
	close(fd);
}

static void expect_fill(uint8_t *m, uint64_t off, uint64_t len)
{
	for (uint64_t t = off; t < off + len; t++)
		m[t] = (uint8_t) "UNREADABLEDATA"[(t % 1048576) % 14];
}

START_TEST(test_read_compressions)
{
	static const enum aff4_compression cs[] = {AFF4_COMPRESSION_NONE, AFF4_COMPRESSION_SNAPPY,
	                                           AFF4_COMPRESSION_LZ4, AFF4_COMPRESSION_DEFLATE};
	static const char *const names[] = {"none", "snappy", "lz4", "deflate"};
	const uint64_t size = 3 * 1048576 + 1536; /* a last chunk and a last sector partly used */
	char dir[256], media[300], vol[300];
	struct cu_meta meta = {.case_number = "K-1 \"q\"", .examiner = "Ann", .notes = "a\nb"};
	uint8_t *src;

	check_tempdir(dir, sizeof(dir), "aff4read");
	snprintf(media, sizeof(media), "%s/m.img", dir);
	snprintf(vol, sizeof(vol), "%s/v.aff4", dir);
	src = make_media(media, size);
	for (int i = 0; i < 4; i++) {
		struct aff4_build b = {.compression = cs[i],
		                       .block = {[CU_HASH_MD5] = true, [CU_HASH_SHA256] = true},
		                       .linear = true,
		                       .meta = &meta};
		struct evidence_scan_result res;
		struct evidence_facts f;
		struct evidence_dates d;
		struct cu_digests stored;
		struct evidence *e;
		uint8_t *got;
		char *v = NULL;

		build(vol, media, size, &b);
		e = read_all(vol, &got, &res);
		evidence_facts(e, &f);
		ck_assert_str_eq(f.container, "aff4");
		ck_assert_str_eq(f.compression, names[i]);
		ck_assert(f.digests_inside);
		ck_assert_uint_eq(f.sectors, (size + 511) / 512);
		ck_assert_uint_eq(evidence_media_size(e), size);
		ck_assert_uint_eq(evidence_bytes_per_sector(e), 512);
		ck_assert_uint_eq(evidence_chunk_size(e), CHUNK);
		ck_assert_msg(!memcmp(got, src, size), "%s: the media differs", names[i]);
		expect_cursor(e, src, NULL);
		ck_assert_msg(res.damaged.n == 0, "%s: %s", names[i], res.failure);
		ck_assert_msg(res.self_proved, "%s: not self-proved: %s", names[i], res.failure);
		evidence_stored_digests(e, &stored);
		for (int a = 0; a < CU_HASH_COUNT; a++) {
			ck_assert(stored.have[a] && res.computed.have[a]);
			ck_assert(!memcmp(cu_digests_get(&stored, a),
			                  cu_digests_get(&res.computed, a), cu_hash_size(a)));
		}
		ck_assert_int_eq(evidence_header_value(e, "case_number", &v, NULL), CU_OK);
		ck_assert_str_eq(v, "K-1 \"q\"");
		free(v);
		ck_assert_int_eq(evidence_header_value(e, "notes", &v, NULL), CU_OK);
		ck_assert_str_eq(v, "a\nb");
		free(v);
		ck_assert_int_eq(evidence_header_value(e, "description", &v, NULL), CU_OK);
		ck_assert_ptr_null(v);
		ck_assert_int_eq(evidence_dates(e, &d, NULL), CU_OK);
		ck_assert_str_eq(d.acquired, "2025-12-02T00:00:00Z");
		evidence_dates_free(&d);
		ck_assert_uint_eq(evidence_file_count(e), 1);
		ck_assert_str_eq(evidence_file_name(e, 0), vol);
		free(got);
		evidence_close(e);
	}
	free(src);
	unlink(media);
	unlink(vol);
	rmdir(dir);
}
END_TEST

/* Two bevies; unreadable runs, one across the bevies' border, read as the standard fills them. */
START_TEST(test_read_bevies_unreadable)
{
	static const uint64_t runs[][2] = {{1048576 + 512, 1024}, {67108864 - 512, 4096}};
	const uint64_t size = 65 * 1048576 + 4096;
	struct aff4_build b = {.compression = AFF4_COMPRESSION_LZ4,
	                       .block = {[CU_HASH_MD5] = true},
	                       .linear = true,
	                       .unreadable = runs,
	                       .n_unreadable = 2};
	char dir[256], media[300], vol[300];
	struct evidence_scan_result res;
	struct cu_ranges errors = {0};
	struct cu_digests stored;
	struct evidence *e;
	uint8_t *src, *got;

	check_tempdir(dir, sizeof(dir), "aff4bevy");
	snprintf(media, sizeof(media), "%s/m.img", dir);
	snprintf(vol, sizeof(vol), "%s/v.aff4", dir);
	src = make_media(media, size);
	build(vol, media, size, &b);
	e = read_all(vol, &got, &res);
	expect_fill(src, runs[0][0], runs[0][1]);
	expect_fill(src, runs[1][0], runs[1][1]);
	ck_assert(!memcmp(got, src, size));
	expect_cursor(e, src, NULL);
	ck_assert_msg(res.self_proved, "%s", res.failure);
	evidence_stored_digests(e, &stored); /* the digests of the media with its fill */
	ck_assert(stored.have[CU_HASH_SHA256] && res.computed.have[CU_HASH_SHA256]);
	ck_assert(!memcmp(stored.sha256, res.computed.sha256, 32));
	ck_assert_int_eq(evidence_read_errors(e, &errors, NULL), CU_OK);
	ck_assert_uint_eq(errors.n, 2);
	ck_assert_uint_eq(errors.v[0].first, 2049);
	ck_assert_uint_eq(errors.v[0].count, 2);
	ck_assert_uint_eq(errors.v[1].first, 131071);
	ck_assert_uint_eq(errors.v[1].count, 8);
	cu_ranges_free(&errors);
	free(got);
	free(src);
	evidence_close(e);
	unlink(media);
	unlink(vol);
	rmdir(dir);
}
END_TEST

/* The data offset of member `name` of the volume `path`. */
static uint64_t member_data(const char *path, const char *name, uint64_t *size)
{
	struct aff4_zip_read *z;
	const struct aff4_zip_entry *m;
	struct stat st;
	uint64_t off;
	int fd = open(path, O_RDONLY);

	ck_assert(fd >= 0 && fstat(fd, &st) == 0);
	ck_assert_int_eq(aff4_zip_read_open(&z, fd, (uint64_t)st.st_size, NULL), CU_OK);
	m = aff4_zip_read_find(z, name);
	ck_assert_ptr_nonnull(m);
	off = m->data;
	if (size)
		*size = m->size;
	aff4_zip_read_free(z);
	close(fd);
	return off;
}

static void patch(const char *path, uint64_t off, const void *bytes, size_t n)
{
	int fd = open(path, O_WRONLY);

	ck_assert(fd >= 0);
	ck_assert_int_eq(pwrite(fd, bytes, n, (off_t)off), (ssize_t)n);
	close(fd);
}

static void flip(const char *path, uint64_t off)
{
	uint8_t b;
	int fd = open(path, O_RDWR);

	ck_assert(fd >= 0 && pread(fd, &b, 1, (off_t)off) == 1);
	b ^= 0x5a;
	ck_assert_int_eq(pwrite(fd, &b, 1, (off_t)off), 1);
	close(fd);
}

#define STREAM_DIR "aff4%3A%2F%2F3fb0ad41-9e80-4f6d-8154-a2038d7e6f54"
#define MAP_DIR    "aff4%3A%2F%2F2eaf9c30-8d7f-4e5c-9043-91f27c6d5e43"

static void copy_file(const char *from, const char *to)
{
	char cmd[700];

	snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", from, to);
	ck_assert_int_eq(system(cmd), 0);
}

/* One byte of chunk 5 changed: exactly its 64 sectors damaged, zeros there, the rest intact. */
START_TEST(test_read_damage)
{
	const uint64_t size = 2 * 1048576;
	struct aff4_build b = {.compression = AFF4_COMPRESSION_LZ4,
	                       .block = {[CU_HASH_MD5] = true, [CU_HASH_SHA256] = true}};
	char dir[256], media[300], vol[300], bad[300];
	struct evidence_scan_result res;
	struct evidence *e;
	uint8_t *src, *got, entry[12];
	uint64_t bevy = 0, index, hashes;
	int fd;

	check_tempdir(dir, sizeof(dir), "aff4dmg");
	snprintf(media, sizeof(media), "%s/m.img", dir);
	snprintf(vol, sizeof(vol), "%s/v.aff4", dir);
	snprintf(bad, sizeof(bad), "%s/bad.aff4", dir);
	src = make_media(media, size);
	build(vol, media, size, &b);
	bevy = member_data(vol, STREAM_DIR "/00000000", NULL);
	index = member_data(vol, STREAM_DIR "/00000000.index", NULL);
	fd = open(vol, O_RDONLY);
	ck_assert_int_eq(pread(fd, entry, 12, (off_t)(index + 5 * 12)), 12);
	close(fd);
	copy_file(vol, bad);
	flip(bad, bevy + cu_le64_get(entry) + cu_le32_get(entry + 8) / 2);
	e = read_all(bad, &got, &res);
	ck_assert_uint_eq(res.damaged.n, 1);
	ck_assert_uint_eq(res.damaged.v[0].first, 5 * 64);
	ck_assert_uint_eq(res.damaged.v[0].count, 64);
	ck_assert_msg(strstr(res.failure, "chunk 5"), "%s", res.failure);
	ck_assert(!res.self_proved);
	ck_assert(!memcmp(got, src, 5 * CHUNK));
	ck_assert(!memcmp(got + 6 * CHUNK, src + 6 * CHUNK, size - 6 * CHUNK));
	for (size_t i = 5 * CHUNK; i < 6 * CHUNK; i++)
		ck_assert_uint_eq(got[i], 0);
	expect_cursor(e, got, &res.damaged);
	cu_ranges_free(&res.damaged);
	free(got);
	evidence_close(e);
	/* a block hash changed: its chunk, and all the stream protects by the BlockHashes hash */
	copy_file(vol, bad);
	hashes = member_data(bad, STREAM_DIR "/00000000.blockHash.sha256", NULL);
	flip(bad, hashes + 3 * 32 + 1);
	e = read_all(bad, &got, &res);
	ck_assert(!res.self_proved);
	ck_assert_uint_eq(res.damaged.n, 1);
	ck_assert_uint_eq(res.damaged.v[0].count, size / 512);
	ck_assert_msg(strstr(res.failure, "chunk 3"), "%s", res.failure);
	/* a random read sees the chunk whose hash differs, not the whole stream */
	memset(got + 3 * CHUNK, 0, CHUNK);
	cu_ranges_free(&res.damaged);
	ck_assert_int_eq(cu_ranges_add(&res.damaged, 3 * 64, 64, NULL), CU_OK);
	expect_cursor(e, got, &res.damaged);
	cu_ranges_free(&res.damaged);
	free(got);
	evidence_close(e);
	free(src);
	unlink(media);
	unlink(vol);
	unlink(bad);
	rmdir(dir);
}
END_TEST

/* Opens `path` expecting `code` and a message holding `text`. */
static void expect_refused(const char *path, int code, const char *text)
{
	struct cu_error err = {0};
	struct evidence *e = NULL;
	int rc = evidence_open(&e, path, NULL, &err);

	ck_assert_msg(rc == code, "%s: code %d (%s), not %d", text, rc, err.msg, code);
	ck_assert_msg(strstr(err.msg, text), "the message \"%s\" does not say \"%s\"", err.msg,
	              text);
	ck_assert_ptr_null(strchr(err.msg, '\n'));
}

/* The central directory entry of member `name`: its offset in the volume. */
static uint64_t central_entry(const char *path, const char *name)
{
	struct stat st;
	uint8_t *v;
	uint64_t at = 0;
	size_t n = strlen(name);
	int fd = open(path, O_RDONLY);

	ck_assert(fd >= 0 && fstat(fd, &st) == 0);
	v = malloc((size_t)st.st_size);
	ck_assert(v && pread(fd, v, (size_t)st.st_size, 0) == st.st_size);
	close(fd);
	for (uint64_t i = 0; i + 46 + n <= (uint64_t)st.st_size && !at; i++)
		if (cu_le32_get(v + i) == 0x02014b50U && cu_le16_get(v + i + 28) == n &&
		    !memcmp(v + i + 46, name, n))
			at = i;
	free(v);
	ck_assert_uint_ne(at, 0);
	return at;
}

START_TEST(test_read_refusals)
{
	const uint64_t size = 1048576;
	struct aff4_build b = {.compression = AFF4_COMPRESSION_SNAPPY,
	                       .block = {[CU_HASH_MD5] = true}};
	char dir[256], media[300], vol[300], bad[300];
	uint64_t turtle, tsize, off;
	uint8_t *src, *text, u32[4];
	int fd;

	check_tempdir(dir, sizeof(dir), "aff4bad");
	snprintf(media, sizeof(media), "%s/m.img", dir);
	snprintf(vol, sizeof(vol), "%s/v.aff4", dir);
	snprintf(bad, sizeof(bad), "%s/bad.aff4", dir);
	src = make_media(media, size);
	build(vol, media, size, &b);
	/* cut short: no end record */
	copy_file(vol, bad);
	ck_assert_int_eq(truncate(bad, 4000), 0);
	expect_refused(bad, CU_EFAIL, "no end of central directory record");
	/* the Turtle broken, then a literal out of shape */
	copy_file(vol, bad);
	turtle = member_data(bad, "information.turtle", &tsize);
	text = malloc(tsize + 1);
	fd = open(bad, O_RDONLY);
	ck_assert_int_eq(pread(fd, text, tsize, (off_t)turtle), (ssize_t)tsize);
	close(fd);
	text[tsize] = 0;
	off = (uint64_t)(strstr((char *)text, "@prefix") - (char *)text);
	patch(bad, turtle + off, "@prefiX", 7);
	expect_refused(bad, CU_EFAIL, "information.turtle: line 1");
	copy_file(vol, bad);
	off = (uint64_t)(strstr((char *)text, "\"32768\"") - (char *)text);
	patch(bad, turtle + off, "\"3276x\"", 7);
	expect_refused(bad, CU_EFAIL, "xsd:int out of range or not a number");
	copy_file(vol, bad);
	off = (uint64_t)(strstr((char *)text, "^^aff4:blockMapHashSHA512") - (char *)text);
	patch(bad, turtle + off - 2, "x", 1);
	expect_refused(bad, CU_EFAIL, "not 128 hex digits");
	free(text);
	/* a map entry pointing to target 99 */
	copy_file(vol, bad);
	cu_le32_put(u32, 99);
	patch(bad, member_data(bad, MAP_DIR "/map", NULL) + 24, u32, 4);
	expect_refused(bad, CU_EFAIL, "map entry 0 points to no target");
	/* an index one entry short (its size in the central directory) */
	copy_file(vol, bad);
	off = central_entry(bad, STREAM_DIR "/00000000.index");
	cu_le32_put(u32, 32 * 12 - 12);
	patch(bad, off + 20, u32, 4);
	patch(bad, off + 24, u32, 4);
	expect_refused(bad, CU_EFAIL, "not 12 for each of its 32 chunks");
	/* two members at one place */
	copy_file(vol, bad);
	off = central_entry(bad, "version.txt");
	cu_le32_put(u32, 0);
	patch(bad, off + 42, u32, 4);
	expect_refused(bad, CU_EFAIL, "local header that does not match");
	/* a ZIP that is not AFF4: not evidence */
	copy_file(vol, bad);
	off = central_entry(bad, "information.turtle");
	patch(bad, off + 46, "X", 1);
	fd = open(bad, O_RDONLY);
	ck_assert_int_eq(pread(fd, u32, 4, (off_t)(off + 42)), 4);
	close(fd);
	patch(bad, cu_le32_get(u32) + 30, "X", 1); /* and in its local header */
	expect_refused(bad, CU_EUSAGE, "not an AFF4 volume: it has no information.turtle");
	free(src);
	unlink(media);
	unlink(vol);
	unlink(bad);
	rmdir(dir);
}
END_TEST

/* Every 97th byte of a small volume changed in turn: refused or read, never a crash. */
START_TEST(test_read_no_crash)
{
	static const bool want[CU_HASH_COUNT] = {true, false, false};
	const uint64_t size = 262144 + 1000;
	static const uint64_t runs[][2] = {{4096, 1536}};
	struct aff4_build b = {.compression = AFF4_COMPRESSION_DEFLATE,
	                       .block = {[CU_HASH_MD5] = true},
	                       .linear = true,
	                       .unreadable = runs,
	                       .n_unreadable = 1};
	char dir[256], media[300], vol[300], bad[300];
	struct stat st;
	uint8_t *src;

	check_tempdir(dir, sizeof(dir), "aff4flip");
	snprintf(media, sizeof(media), "%s/m.img", dir);
	snprintf(vol, sizeof(vol), "%s/v.aff4", dir);
	snprintf(bad, sizeof(bad), "%s/bad.aff4", dir);
	src = make_media(media, size);
	build(vol, media, size, &b);
	ck_assert_int_eq(stat(vol, &st), 0);
	copy_file(vol, bad);
	for (off_t at = 0; at < st.st_size; at += 97) {
		struct evidence_scan_result res;
		struct cu_ranges errors = {0};
		struct evidence *e;

		flip(bad, (uint64_t)at);
		if (evidence_open(&e, bad, NULL, NULL) == CU_OK) {
			evidence_read_errors(e, &errors, NULL);
			cu_ranges_free(&errors);
			if (evidence_media_size(e) <= (64U << 20) &&
			    evidence_scan(e, 1, want, NULL, NULL, &res, NULL) == CU_OK)
				cu_ranges_free(&res.damaged);
			evidence_close(e);
		}
		flip(bad, (uint64_t)at);
	}
	free(src);
	unlink(media);
	unlink(vol);
	unlink(bad);
	rmdir(dir);
}
END_TEST

int main(void)
{
	TCase *tc = tcase_create("aff4_read");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_read_compressions);
	tcase_add_test(tc, test_read_bevies_unreadable);
	tcase_add_test(tc, test_read_damage);
	tcase_add_test(tc, test_read_refusals);
	tcase_add_test(tc, test_read_no_crash);
	return check_run("aff4_read", tc);
}
