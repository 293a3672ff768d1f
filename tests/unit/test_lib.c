/*
 * test_lib.c - unit tests of lib/: parsing, digests, JSON, metadata, text.
 */
#include <check.h>

#include "tests/check_run.h"
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/atomic_file.h"
#include "lib/claim.h"
#include "lib/digest_fan.h"
#include "lib/grow.h"
#include "lib/hash.h"
#include "lib/input_file.h"
#include "lib/json.h"
#include "lib/path.h"
#include "lib/meta.h"
#include "lib/parse.h"
#include "lib/queue.h"
#include "lib/record_writer.h"
#include "lib/child.h"
#include "lib/hash_windows.h"
#include "lib/ranges.h"
#include "lib/text.h"

START_TEST(test_parse_size)
{
	struct {
		const char *text;
		uint64_t want;
	} ok[] = {{"4096", 4096},
	          {"1.4GiB", 1503238553ULL},
	          {"640MiB", 640ULL << 20},
	          {"1K", 1024},
	          {"1KB", 1000},
	          {"1.5M", 1572864},
	          {"2TiB", 2ULL << 40},
	          {"3gib", 3ULL << 30},
	          {"0.5KiB", 512},
	          {"1B", 1}};
	const char *bad[] = {"",      "abc",   "1.2.3", "5XB",        "-1", "99999999999999999999",
	                     "1 MiB", "16EiB", ".",     "20000000TiB"};
	struct cu_error err;
	uint64_t v;

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		ck_assert_int_eq(cu_parse_size(&v, "--x", ok[i].text, &err), CU_OK);
		ck_assert_uint_eq(v, ok[i].want);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_int_eq(cu_parse_size(&v, "--segment-size", bad[i], &err), CU_EUSAGE);
		ck_assert_ptr_nonnull(strstr(err.msg, "--segment-size"));
	}
}
END_TEST

START_TEST(test_parse_numbers_and_choices)
{
	static const char *const modes[] = {"none", "fast", NULL};
	struct cu_error err;
	uint64_t v;
	int c;

	ck_assert_int_eq(cu_parse_u64(&v, "--n", "64", 1, 100, &err), CU_OK);
	ck_assert_uint_eq(v, 64);
	ck_assert_int_eq(cu_parse_u64(&v, "--n", "0", 1, 100, &err), CU_EUSAGE);
	ck_assert_int_eq(cu_parse_u64(&v, "--n", "101", 1, 100, &err), CU_EUSAGE);
	ck_assert_int_eq(cu_parse_u64(&v, "--n", "6x", 1, 100, &err), CU_EUSAGE);
	ck_assert_int_eq(cu_parse_u64(&v, "--n", "", 1, 100, &err), CU_EUSAGE);
	ck_assert_int_eq(cu_parse_choice(&c, "--c", "fast", modes, &err), CU_OK);
	ck_assert_int_eq(c, 1);
	ck_assert_int_eq(cu_parse_choice(&c, "--c", "zip", modes, &err), CU_EUSAGE);
	ck_assert_ptr_nonnull(strstr(err.msg, "none, fast"));
}
END_TEST

static void digest_hex(enum cu_hash_alg alg, const char *text, char *hex)
{
	struct cu_digests d = {0};
	struct cu_hash *h;

	ck_assert_int_eq(cu_hash_new(&h, alg, NULL), CU_OK);
	ck_assert_int_eq(cu_hash_update(h, text, strlen(text), NULL), CU_OK);
	ck_assert_int_eq(cu_hash_final(h, &d, NULL), CU_OK);
	ck_assert(d.have[alg]);
	cu_hex(hex, cu_digests_get(&d, alg), cu_hash_size(alg));
	cu_hash_free(h);
}

START_TEST(test_hash_vectors)
{
	char hex[65];

	digest_hex(CU_HASH_MD5, "abc", hex);
	ck_assert_str_eq(hex, "900150983cd24fb0d6963f7d28e17f72");
	digest_hex(CU_HASH_SHA1, "abc", hex);
	ck_assert_str_eq(hex, "a9993e364706816aba3e25717850c26c9cd0d89d");
	digest_hex(CU_HASH_SHA256, "abc", hex);
	ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	digest_hex(CU_HASH_MD5, "", hex);
	ck_assert_str_eq(hex, "d41d8cd98f00b204e9800998ecf8427e");
}
END_TEST

START_TEST(test_hash_fork)
{
	struct cu_digests early = {0}, late = {0};
	struct cu_hash *h, *fork;
	char hex[33];

	ck_assert_int_eq(cu_hash_new(&h, CU_HASH_MD5, NULL), CU_OK);
	cu_hash_update(h, "ab", 2, NULL);
	ck_assert_int_eq(cu_hash_fork(&fork, h, NULL), CU_OK);
	cu_hash_update(h, "c", 1, NULL);
	cu_hash_final(fork, &early, NULL);
	cu_hash_final(h, &late, NULL);
	cu_hex(hex, early.md5, 16);
	ck_assert_str_eq(hex, "187ef4436122d1cc2f40dc2b92f0eba0"); /* md5("ab") */
	cu_hex(hex, late.md5, 16);
	ck_assert_str_eq(hex, "900150983cd24fb0d6963f7d28e17f72");
	cu_hash_free(fork);
	cu_hash_free(h);
}
END_TEST

START_TEST(test_hash_list_and_hex)
{
	bool want[CU_HASH_COUNT];
	uint8_t bytes[2];
	struct cu_error err;

	ck_assert_int_eq(cu_hash_parse_list(want, "--hash", "sha256", &err), CU_OK);
	ck_assert(want[CU_HASH_MD5] && !want[CU_HASH_SHA1] && want[CU_HASH_SHA256]);
	ck_assert_int_eq(cu_hash_parse_list(want, "--hash", "SHA1,md5", &err), CU_OK);
	ck_assert(want[CU_HASH_MD5] && want[CU_HASH_SHA1] && !want[CU_HASH_SHA256]);
	ck_assert_int_eq(cu_hash_parse_list(want, "--hash", "md5,md4", &err), CU_EUSAGE);
	ck_assert_ptr_nonnull(strstr(err.msg, "md4"));
	ck_assert(cu_unhex(bytes, 2, "a0Ff"));
	ck_assert_uint_eq(bytes[0], 0xa0);
	ck_assert_uint_eq(bytes[1], 0xff);
	ck_assert(!cu_unhex(bytes, 2, "a0f"));
	ck_assert(!cu_unhex(bytes, 2, "a0fg"));
}
END_TEST

START_TEST(test_json_escaping)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	struct cu_json j;

	cu_json_init(&j, f);
	cu_json_object_begin(&j);
	cu_json_key(&j, "s");
	cu_json_string(&j, "a\"b\\c\nd\x01 é \xff!");
	cu_json_key(&j, "n");
	cu_json_u64(&j, 18446744073709551615ULL);
	cu_json_key(&j, "list");
	cu_json_array_begin(&j);
	cu_json_array_begin(&j);
	cu_json_u64(&j, 1);
	cu_json_u64(&j, 2);
	cu_json_array_end(&j);
	cu_json_null(&j);
	cu_json_bool(&j, true);
	cu_json_array_end(&j);
	cu_json_key(&j, "none");
	cu_json_string(&j, NULL);
	cu_json_object_end(&j);
	fclose(f);
	ck_assert_str_eq(text, "{\"s\":\"a\\\"b\\\\c\\u000ad\\u0001 é \\ufffd!\","
	                       "\"n\":18446744073709551615,\"list\":[[1,2],null,true],"
	                       "\"none\":null}\n");
	free(text);
}
END_TEST

START_TEST(test_meta_fields)
{
	char long_text[3100];
	struct cu_error err;
	struct cu_meta m;

	ck_assert_int_eq(cu_meta_check_field("--examiner", "José Müller", &err), CU_OK);
	ck_assert_int_eq(cu_meta_check_field("--notes", "a\tb", &err), CU_EUSAGE);
	ck_assert_ptr_nonnull(strstr(err.msg, "--notes"));
	ck_assert_int_eq(cu_meta_check_field("--notes", "a\nb", &err), CU_EUSAGE);
	ck_assert_int_eq(cu_meta_check_field("--notes", "bad \xc3(", &err), CU_EUSAGE);
	ck_assert_ptr_nonnull(strstr(err.msg, "UTF-8"));
	memset(long_text, 'x', 2999);
	long_text[2999] = '\0';
	ck_assert_int_eq(cu_meta_check_field("--notes", long_text, &err), CU_OK);
	long_text[2999] = 'x';
	long_text[3000] = '\0';
	ck_assert_int_eq(cu_meta_check_field("--notes", long_text, &err), CU_EUSAGE);
	cu_meta_init(&m);
	ck_assert_ptr_nonnull(strstr(m.software, "custos"));
	ck_assert_int_gt((int)strlen(m.os), 0);
}
END_TEST

START_TEST(test_text_conversions)
{
	uint8_t *u16;
	size_t len;
	char *cp;
	bool lossy;

	ck_assert_int_eq(cu_text_to_utf16le("é漢", &u16, &len, NULL), CU_OK);
	ck_assert_uint_eq(len, 4);
	ck_assert_uint_eq(u16[0], 0xe9);
	ck_assert_uint_eq(u16[1], 0x00);
	ck_assert_uint_eq(u16[2], 0x22);
	ck_assert_uint_eq(u16[3], 0x6f);
	free(u16);
	ck_assert_int_eq(cu_text_to_cp1252("Müller €", &cp, &lossy, NULL), CU_OK);
	ck_assert_str_eq(cp, "M\xfcller \x80");
	ck_assert(!lossy);
	free(cp);
	ck_assert_int_eq(cu_text_to_cp1252("漢", &cp, &lossy, NULL), CU_OK);
	ck_assert_str_eq(cp, "?");
	ck_assert(lossy);
	free(cp);
	ck_assert(cu_text_is_utf8("José"));
	ck_assert(!cu_text_is_utf8("\xc3\x28"));
	ck_assert_uint_eq(cu_text_length("José 漢"), 6);
}
END_TEST

struct queue_feeder {
	struct cu_queue *q;
	int from, count;
};

static void *queue_feed(void *arg)
{
	struct queue_feeder *f = arg;

	for (int i = 0; i < f->count; i++)
		ck_assert(cu_queue_push(f->q, (void *)(intptr_t)(f->from + i + 1)));
	return NULL;
}

START_TEST(test_queue_order_and_close)
{
	struct cu_queue *q;

	ck_assert_int_eq(cu_queue_new(&q, 3, NULL), CU_OK);
	for (intptr_t i = 1; i <= 3; i++)
		ck_assert(cu_queue_push(q, (void *)i));
	for (intptr_t i = 1; i <= 2; i++)
		ck_assert_ptr_eq(cu_queue_pop(q), (void *)i);
	cu_queue_close(q);
	ck_assert(!cu_queue_push(q, (void *)9));
	ck_assert_ptr_eq(cu_queue_pop(q), (void *)3); /* what is left still comes out */
	ck_assert_ptr_null(cu_queue_pop(q));
	cu_queue_free(q);
}
END_TEST

START_TEST(test_queue_threads)
{
	enum { PRODUCERS = 4, EACH = 20000 };
	struct queue_feeder f[PRODUCERS];
	pthread_t t[PRODUCERS];
	static char seen[PRODUCERS * EACH + 1];
	struct cu_queue *q;
	int last[PRODUCERS] = {0};

	ck_assert_int_eq(cu_queue_new(&q, 8, NULL), CU_OK);
	for (int i = 0; i < PRODUCERS; i++) {
		f[i] = (struct queue_feeder){q, i * EACH, EACH};
		pthread_create(&t[i], NULL, queue_feed, &f[i]);
	}
	for (int n = 0; n < PRODUCERS * EACH; n++) {
		int v = (int)(intptr_t)cu_queue_pop(q), who = (v - 1) / EACH;

		ck_assert(v >= 1 && v <= PRODUCERS * EACH && !seen[v]);
		ck_assert_int_gt(v, last[who]); /* each producer's items stay in order */
		last[who] = v;
		seen[v] = 1;
	}
	for (int i = 0; i < PRODUCERS; i++)
		pthread_join(t[i], NULL);
	cu_queue_free(q);
}
END_TEST

START_TEST(test_ranges)
{
	struct cu_ranges r = {0};
	struct cu_error err;

	ck_assert_int_eq(cu_ranges_add(&r, 10, 2, &err), CU_OK);
	ck_assert_int_eq(cu_ranges_add(&r, 12, 3, &err), CU_OK); /* touching: merged */
	ck_assert_int_eq(cu_ranges_add(&r, 20, 0, &err), CU_OK); /* empty: ignored */
	ck_assert_int_eq(cu_ranges_add(&r, 20, 1, &err), CU_OK);
	ck_assert_int_eq(cu_ranges_add(&r, 14, 1, &err), CU_EFAIL); /* out of order */
	ck_assert_uint_eq(r.n, 2);
	ck_assert_uint_eq(r.v[0].first, 10);
	ck_assert_uint_eq(r.v[0].count, 5);
	ck_assert_uint_eq(cu_ranges_total(&r), 6);
	cu_ranges_free(&r);
}
END_TEST

/* A run that begins inside the last one: only what lies beyond it is added. */
START_TEST(test_ranges_extend)
{
	struct cu_ranges r = {0};

	ck_assert_int_eq(cu_ranges_extend(&r, 10, 4, NULL), CU_OK);
	ck_assert_int_eq(cu_ranges_extend(&r, 13, 3, NULL), CU_OK); /* sector 13 shared */
	ck_assert_int_eq(cu_ranges_extend(&r, 12, 2, NULL), CU_OK); /* all held: nothing */
	ck_assert_int_eq(cu_ranges_extend(&r, 20, 1, NULL), CU_OK);
	ck_assert_uint_eq(r.n, 2);
	ck_assert_uint_eq(r.v[0].first, 10);
	ck_assert_uint_eq(r.v[0].count, 6);
	ck_assert_uint_eq(r.v[1].first, 20);
	ck_assert_int_eq(cu_ranges_extend(&r, 5, 2, NULL), CU_OK); /* before the end: nothing */
	ck_assert_uint_eq(cu_ranges_total(&r), 7);
	cu_ranges_free(&r);
}
END_TEST

/* Runs inserted in any order: merged, ordered, and what each newly covered counted. */
START_TEST(test_ranges_insert)
{
	static const uint64_t in[][3] = {
	    /* first, count, newly covered */
	    {50, 10, 10}, {10, 5, 5}, {30, 2, 2}, {12, 2, 0},  {15, 1, 1},
	    {0, 3, 3},    {5, 0, 0},  {29, 4, 2}, {8, 24, 15}, {100, 1, 1},
	};
	static const uint64_t want[][2] = {{0, 3}, {8, 25}, {50, 10}, {100, 1}};
	struct cu_ranges r = {0};
	uint64_t added;

	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		ck_assert_int_eq(cu_ranges_insert(&r, in[i][0], in[i][1], &added, NULL), CU_OK);
		ck_assert_msg(added == in[i][2], "insert %zu: %llu new, not %llu", i,
		              (unsigned long long)added, (unsigned long long)in[i][2]);
	}
	ck_assert_uint_eq(r.n, 4);
	for (size_t i = 0; i < 4; i++) {
		ck_assert_uint_eq(r.v[i].first, want[i][0]);
		ck_assert_uint_eq(r.v[i].count, want[i][1]);
	}
	cu_ranges_free(&r);
}
END_TEST

/* What people read: controls and bidirectional overrides shown as what they are. */
START_TEST(test_text_visible)
{
	bool failed = true;
	char *v;

	ck_assert_ptr_null(cu_text_visible("Jos\xc3\xa9 M\xc3\xbcller\tline\n", &failed));
	ck_assert(!failed);
	v = cu_text_visible("desc \xe2\x80\xaetxt.exe", &failed);
	ck_assert_str_eq(v, "desc [U+202E]txt.exe");
	free(v);
	v = cu_text_visible("a\x1b[2Jb\xc2\x85"
	                    "c\x7f"
	                    "\xff"
	                    "d\xe2\x81\xa6",
	                    &failed);
	ck_assert_str_eq(v, "a[U+001B][2Jb[U+0085]c[U+007F][0xFF]d[U+2066]");
	free(v);
	ck_assert(!failed);
}
END_TEST

START_TEST(test_text_xml)
{
	struct cu_error err;

	ck_assert_int_eq(cu_text_check_xml("--note", "José 山田 🙂", false, &err), CU_OK);
	ck_assert_int_eq(cu_text_check_xml("--note", "two\nlines\tand a tab", true, &err), CU_OK);
	ck_assert_int_eq(cu_text_check_xml("--by", "two\nlines", false, &err), CU_EUSAGE);
	ck_assert_int_eq(cu_text_check_xml("--by", "a\x01b", true, &err), CU_EUSAGE);
	ck_assert_int_eq(cu_text_check_xml("--by", "a\rb", true, &err), CU_EUSAGE);
	ck_assert_int_eq(cu_text_check_xml("--by", "\xef\xbf\xbe", true, &err), CU_EUSAGE);
	ck_assert_ptr_nonnull(strstr(err.msg, "U+FFFE"));
	ck_assert_int_eq(cu_text_check_xml("--by", "\xef\xbf\xbf", true, &err), CU_EUSAGE);
	ck_assert_int_eq(cu_text_check_xml("--by", "\xed\xa0\x80", true, &err), CU_EUSAGE);
	ck_assert_ptr_nonnull(strstr(err.msg, "UTF-8"));
	ck_assert_int_eq(cu_text_check_xml("--by", "\xc0\xaf", true, &err), CU_EUSAGE);
	ck_assert_int_eq(cu_meta_check_field("--notes", "bag \xef\xbf\xbe", &err), CU_EUSAGE);
}
END_TEST

START_TEST(test_paths)
{
	struct cu_error err;
	char out[8], *s;

	s = cu_path_escape("/ev/Jos\xc3\xa9\\x\xff\n.E01");
	ck_assert_str_eq(s, "/ev/Jos\xc3\xa9\\\\x\\xff\\x0a.E01");
	free(s);
	ck_assert_int_eq(cu_path_build(out, sizeof(out), &err, "%s.%s", "abc", "E01"), CU_OK);
	ck_assert_int_eq(cu_path_build(out, sizeof(out), &err, "%s.%s", "abcd", "E01"), CU_EUSAGE);
	s = cu_path_set_base("x/t.E01");
	ck_assert_str_eq(s, "x/t");
	free(s);
	s = cu_path_set_base("x.y/t");
	ck_assert_str_eq(s, "x.y/t");
	free(s);
	s = cu_path_custody_log("x/t.EAB");
	ck_assert_str_eq(s, "x/t.custody.xml");
	free(s);
}
END_TEST

/* Nothing but `keep` in the directory: no temporary file left behind. */
static void only_file(const char *dir, const char *keep)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			ck_assert_str_eq(de->d_name, keep);
	closedir(d);
}

START_TEST(test_atomic_files)
{
	char dir[64], path[128], victim[128], buf[16] = {0};
	struct cu_error err;
	int fd;

	check_tempdir(dir, sizeof(dir), "atomic");
	snprintf(path, sizeof(path), "%s/log", dir);
	ck_assert_int_eq(cu_file_create(path, "one", 3, 0644, &err), CU_OK);
	ck_assert_int_eq(cu_file_create(path, "two", 3, 0644, &err), CU_EUSAGE);
	ck_assert_int_eq(cu_file_replace(path, "three", 5, 0644, &err), CU_OK);
	only_file(dir, "log");
	ck_assert_int_eq(cu_input_open(path, "the log", &fd, &err), CU_OK);
	ck_assert_int_eq(read(fd, buf, sizeof(buf)), 5);
	close(fd);
	ck_assert_str_eq(buf, "three");
	/* a link is never written through, and stays what it was */
	snprintf(victim, sizeof(victim), "%s/victim", dir);
	ck_assert_int_eq(rename(path, victim), 0);
	ck_assert_int_eq(symlink(victim, path), 0);
	ck_assert_int_eq(cu_file_replace(path, "evil", 4, 0644, &err), CU_EUSAGE);
	ck_assert_int_eq(cu_file_create(path, "evil", 4, 0644, &err), CU_EUSAGE);
	ck_assert_int_eq(cu_file_check_absent(path, "the log", &err), CU_EUSAGE);
	unlink(path);
	ck_assert_int_eq(symlink("/nonexistent/dangling", path), 0);
	ck_assert_int_eq(cu_file_create(path, "evil", 4, 0644, &err), CU_EUSAGE);
	unlink(path);
	/* FIFOs and directories are not files to read */
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	ck_assert_int_eq(cu_input_open(path, "the log", &fd, &err), CU_EUSAGE);
	ck_assert_ptr_nonnull(strstr(err.msg, "FIFO"));
	ck_assert_int_eq(cu_input_check_regular(path, "the log", &err), CU_EUSAGE);
	unlink(path);
	ck_assert_int_eq(cu_input_open(dir, "the log", &fd, &err), CU_EUSAGE);
	unlink(victim);
	rmdir(dir);
}
END_TEST

/* What cu_text_fput writes of `s`, malloc'ed. */
static char *escaped(const char *s)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	ck_assert_ptr_nonnull(f);
	ck_assert(cu_text_fput(s, f));
	fclose(f);
	return out;
}

START_TEST(test_text_escape_and_refuse)
{
	struct cu_error err;
	char *s;

	s = escaped("Jos\xc3\xa9 \xe5\xb1\xb1\xe7\x94\xb0 \xf0\x9f\x99\x82"); /* kept as it is */
	ck_assert_str_eq(s, "Jos\xc3\xa9 \xe5\xb1\xb1\xe7\x94\xb0 \xf0\x9f\x99\x82");
	free(s);
	s = escaped("a\x1b[2Jb\x7f\tc\nd\\x1b"); /* C0, DEL, and a backslash: unambiguous */
	ck_assert_str_eq(s, "a\\x1b[2Jb\\x7f\\x09c\\x0ad\\\\x1b");
	free(s);
	s = escaped("\xc2\x9b"
	            "2J \xc2\x85 \xe2\x80\xae \xe2\x81\xa6 \xe2\x80\x8f \xd8\x9c"); /* C1, bidi */
	ck_assert_str_eq(s, "\\u009b2J \\u0085 \\u202e \\u2066 \\u200f \\u061c");
	free(s);
	s = escaped("bad \xff\xc3( \xed\xa0\x80."); /* bytes that are not UTF-8 */
	ck_assert_str_eq(s, "bad \\xff\\xc3( \\xed\\xa0\\x80.");
	free(s);
	/* at entry: C1 and bidirectional controls are refused as C0 is */
	ck_assert_int_eq(cu_text_check_xml("--by", "A. \xe2\x80\xaehtimS", false, &err), CU_EUSAGE);
	ck_assert_ptr_nonnull(strstr(err.msg, "--by"));
	ck_assert_ptr_nonnull(strstr(err.msg, "U+202E"));
	ck_assert_int_eq(cu_text_check_xml("--note", "x\xc2\x85y", true, &err), CU_EUSAGE);
	ck_assert_ptr_nonnull(strstr(err.msg, "U+0085"));
	ck_assert_int_eq(cu_text_check_xml("--to", "\xe2\x81\xa9", false, &err), CU_EUSAGE);
	ck_assert_int_eq(cu_text_check_xml("--to", "\xe2\x80\x8e", false, &err), CU_EUSAGE);
	ck_assert_int_eq(cu_text_check_xml("--to", "\xd8\x9c", false, &err), CU_EUSAGE);
	ck_assert_int_eq(cu_meta_check_field("--examiner", "\xe2\x80\xaa", &err), CU_EUSAGE);
	ck_assert_int_eq(cu_text_check_xml("--to", "\xc2\xa0\xe2\x80\x90", false, &err), CU_OK);
}
END_TEST

/* The record names the machine that made it, uname(2) field by field (the report reads it). */
START_TEST(test_record_tool_host)
{
	xmlBufferPtr buf = xmlBufferCreate();
	xmlTextWriterPtr w = xmlNewTextWriterMemory(buf, 0);
	struct utsname u;
	char want[512];
	const char *xml;

	ck_assert_int_eq(uname(&u), 0);
	cu_record_tool(w);
	xmlFreeTextWriter(w);
	xml = (const char *)xmlBufferContent(buf);
	snprintf(want, sizeof(want), "<system><nodename>%s</nodename><sysname>%s</sysname>",
	         u.nodename, u.sysname);
	ck_assert_ptr_nonnull(strstr(xml, want));
	snprintf(want, sizeof(want), "<release>%s</release>", u.release);
	ck_assert_ptr_nonnull(strstr(xml, want));
	snprintf(want, sizeof(want), "<machine>%s</machine></system>", u.machine);
	ck_assert_ptr_nonnull(strstr(xml, want));
	snprintf(want, sizeof(want), "<host>%s %s %s %s</host>", u.nodename, u.sysname, u.release,
	         u.machine);
	ck_assert_ptr_nonnull(strstr(xml, want));
	xmlBufferFree(buf);
}
END_TEST

/* The names a set's files may have: verify DIR finds a set by any of them. */
START_TEST(test_path_member_extension)
{
	const char *member[] = {"E01", "E02", "E99", "EAA", "EAB", "ZZZ", "e01",
	                        "e02", "eaa", "s01", "s02", "raw", "001", "1000"};
	const char *other[] = {"E1", "E001", "F01", "S01", "x01", "Eab", "img", "xml", "01", ""};

	for (size_t i = 0; i < sizeof(member) / sizeof(member[0]); i++)
		ck_assert_msg(cu_path_member_extension(member[i]), "%s", member[i]);
	for (size_t i = 0; i < sizeof(other) / sizeof(other[0]); i++)
		ck_assert_msg(!cu_path_member_extension(other[i]), "%s", other[i]);
}
END_TEST

/* A name claimed once at a time; the claim file goes with the claim. */
START_TEST(test_claim)
{
	char dir[256], name[300], file[320];
	struct cu_claim *a = NULL, *b = NULL;
	struct cu_error err;

	check_tempdir(dir, sizeof(dir), "claim");
	snprintf(name, sizeof(name), "%s/case", dir);
	snprintf(file, sizeof(file), "%s%s", name, CU_CLAIM_SUFFIX);
	ck_assert_int_eq(cu_claim_take(&a, name, "a test", &err), CU_OK);
	ck_assert_int_eq(access(file, F_OK), 0);
	ck_assert_int_eq(cu_claim_take(&b, name, "a test", &err), CU_EUSAGE);
	ck_assert_ptr_null(b);
	ck_assert_ptr_nonnull(strstr(err.msg, "another custos is writing under"));
	cu_claim_release(a);
	ck_assert_int_ne(access(file, F_OK), 0);
	ck_assert_int_eq(cu_claim_take(&b, name, "a test", &err), CU_OK);
	cu_claim_release(b);
	cu_claim_release(NULL);
	rmdir(dir);
}
END_TEST

/* An array grows from 16, doubling, and keeps what it held. */
START_TEST(test_grow)
{
	uint64_t *v = NULL;
	size_t cap = 0;

	for (size_t n = 0; n < 100; n++) {
		ck_assert_int_eq(cu_grow(&v, &cap, n, sizeof(*v)), 0);
		ck_assert_uint_gt(cap, n);
		v[n] = n * 7;
	}
	ck_assert_uint_eq(cap, 128);
	for (size_t n = 0; n < 100; n++)
		ck_assert_uint_eq(v[n], n * 7);
	ck_assert_int_eq(cu_grow(&v, &cap, 99, sizeof(*v)), 0); /* room already: unchanged */
	ck_assert_uint_eq(cap, 128);
	free(v);
}
END_TEST

/* The blocks a fan gave back, in the order it gave them. */
struct fan_returns {
	pthread_mutex_t lock;
	int order[64], n;
};

static void fan_returned(void *ctx, void *block)
{
	struct fan_returns *r = ctx;

	pthread_mutex_lock(&r->lock);
	r->order[r->n++] = *(int *)block;
	pthread_mutex_unlock(&r->lock);
}

/* 64 blocks of "abc" through MD5 and SHA-256 give the digests of the whole run, each block back
 * once. */
START_TEST(test_digest_fan)
{
	static const bool want[CU_HASH_COUNT] = {[CU_HASH_MD5] = true, [CU_HASH_SHA256] = true};
	static const bool none[CU_HASH_COUNT] = {0};
	struct fan_returns r = {.lock = PTHREAD_MUTEX_INITIALIZER};
	struct cu_digest_item items[64];
	struct cu_digests got = {0}, expect = {0};
	struct cu_hash *h[2];
	struct cu_digest_fan *f;
	int ids[64];

	ck_assert_int_eq(cu_hash_new(&h[0], CU_HASH_MD5, NULL), CU_OK);
	ck_assert_int_eq(cu_hash_new(&h[1], CU_HASH_SHA256, NULL), CU_OK);
	ck_assert_int_eq(cu_digest_fan_new(&f, want, 64, fan_returned, &r, NULL), CU_OK);
	for (int i = 0; i < 64; i++) {
		ids[i] = i;
		items[i] = (struct cu_digest_item){.data = (const uint8_t *)"abc" + i % 3,
		                                   .len = 3 - (size_t)(i % 3),
		                                   .block = &ids[i]};
		cu_hash_update(h[0], items[i].data, items[i].len, NULL);
		cu_hash_update(h[1], items[i].data, items[i].len, NULL);
		cu_digest_fan_push(f, &items[i]);
	}
	ck_assert_int_eq(cu_digest_fan_end(f, true, &got, NULL), CU_OK);
	cu_hash_final(h[0], &expect, NULL);
	cu_hash_final(h[1], &expect, NULL);
	cu_hash_free(h[0]);
	cu_hash_free(h[1]);
	ck_assert(got.have[CU_HASH_MD5] && got.have[CU_HASH_SHA256] && !got.have[CU_HASH_SHA1]);
	ck_assert_mem_eq(got.md5, expect.md5, 16);
	ck_assert_mem_eq(got.sha256, expect.sha256, 32);
	ck_assert_int_eq(r.n, 64);
	for (int i = 0; i < 64; i++) /* the digests take blocks in order: they come back in order */
		ck_assert_int_eq(r.order[i], i);
	/* no digest wanted: each block comes back at once */
	r.n = 0;
	ck_assert_int_eq(cu_digest_fan_new(&f, none, 4, fan_returned, &r, NULL), CU_OK);
	cu_digest_fan_push(f, &items[5]);
	ck_assert_int_eq(r.n, 1);
	ck_assert_int_eq(r.order[0], 5);
	ck_assert_int_eq(cu_digest_fan_end(f, true, &got, NULL), CU_OK);
}
END_TEST

/* Every window is the digest of its own bytes, however the media is fed. */
START_TEST(test_hash_windows)
{
	static const bool want[CU_HASH_COUNT] = {[CU_HASH_MD5] = true, [CU_HASH_SHA256] = true};
	const size_t media = 5 * (1U << 19) + 512; /* 2.5 MiB and a sector: 3 windows */
	uint8_t *buf = malloc(media);
	struct cu_hash_windows *w[CU_HASH_COUNT] = {NULL};
	struct cu_piecewise p, q;
	struct cu_ranges bad = {0};

	for (size_t i = 0; i < media; i++)
		buf[i] = (uint8_t)(i * 2654435761U >> 13);
	ck_assert_int_eq(cu_hash_windows_new(&w[CU_HASH_MD5], CU_HASH_MD5, CU_WINDOW_MIN, NULL),
	                 CU_OK);
	ck_assert_int_eq(
	    cu_hash_windows_new(&w[CU_HASH_SHA256], CU_HASH_SHA256, CU_WINDOW_MIN, NULL), CU_OK);
	for (size_t at = 0, step = 1; at < media; at += step, step = step * 3 % 100003 + 1) {
		size_t n = media - at < step ? media - at : step;

		ck_assert_int_eq(cu_hash_windows_update(w[CU_HASH_MD5], buf + at, n, NULL), CU_OK);
		ck_assert_int_eq(cu_hash_windows_update(w[CU_HASH_SHA256], buf + at, n, NULL),
		                 CU_OK);
	}
	ck_assert_uint_eq(cu_hash_windows_fed(w[CU_HASH_MD5]), media);
	ck_assert_int_eq(cu_piecewise_init(&p, CU_WINDOW_MIN, media, want, NULL), CU_OK);
	ck_assert_uint_eq(p.n, 3);
	ck_assert_int_eq(cu_hash_windows_take(w[CU_HASH_MD5], &p, NULL), CU_OK);
	ck_assert_int_eq(cu_hash_windows_take(w[CU_HASH_SHA256], &p, NULL), CU_OK);
	for (size_t i = 0; i < p.n; i++) {
		uint64_t off, len;
		struct cu_digests d = {0};
		struct cu_hash *h;

		cu_piecewise_span(&p, i, &off, &len);
		ck_assert_uint_eq(off, i * CU_WINDOW_MIN);
		ck_assert_uint_eq(len, i < 2 ? CU_WINDOW_MIN : (1U << 19) + 512);
		for (int a = 0; a < CU_HASH_COUNT; a++) {
			if (!want[a])
				continue;
			cu_hash_new(&h, a, NULL);
			cu_hash_update(h, buf + off, (size_t)len, NULL);
			cu_hash_final(h, &d, NULL);
			cu_hash_free(h);
			ck_assert_mem_eq(p.digest[a] + i * cu_hash_size(a), cu_digests_get(&d, a),
			                 cu_hash_size(a));
		}
	}
	/* compared: a match, a changed window, and damage (in sectors) in another */
	ck_assert_int_eq(cu_piecewise_init(&q, CU_WINDOW_MIN, media, want, NULL), CU_OK);
	memcpy(q.digest[CU_HASH_MD5], p.digest[CU_HASH_MD5], 3 * 16);
	memcpy(q.digest[CU_HASH_SHA256], p.digest[CU_HASH_SHA256], 3 * 32);
	q.digest[CU_HASH_SHA256][2 * 32] ^= 1;
	cu_ranges_add(&bad, 2048 + 100, 1, NULL); /* sector 2148: in window 1 */
	ck_assert_int_eq(cu_piecewise_compare(&p, &q, 0, &bad, 512), CU_WINDOW_MATCH);
	ck_assert_int_eq(cu_piecewise_compare(&p, &q, 1, &bad, 512), CU_WINDOW_DAMAGED);
	ck_assert_int_eq(cu_piecewise_compare(&p, &q, 1, NULL, 512), CU_WINDOW_MATCH);
	ck_assert_int_eq(cu_piecewise_compare(&p, &q, 2, &bad, 512), CU_WINDOW_DIFFERS);
	q.have[CU_HASH_MD5] = q.have[CU_HASH_SHA256] = false; /* nothing in common proves it */
	ck_assert_int_eq(cu_piecewise_compare(&p, &q, 0, NULL, 512), CU_WINDOW_DIFFERS);
	cu_piecewise_free(&q);
	cu_piecewise_free(&p);
	cu_ranges_free(&bad);
	/* bytes fed that are not the media's size are refused */
	cu_hash_windows_free(w[CU_HASH_MD5]);
	ck_assert_int_eq(cu_hash_windows_new(&w[CU_HASH_MD5], CU_HASH_MD5, CU_WINDOW_MIN, NULL),
	                 CU_OK);
	cu_hash_windows_update(w[CU_HASH_MD5], buf, 1000, NULL);
	ck_assert_int_eq(cu_piecewise_init(&p, CU_WINDOW_MIN, media, want, NULL), CU_OK);
	ck_assert_int_eq(cu_hash_windows_take(w[CU_HASH_MD5], &p, NULL), CU_EFAIL);
	cu_piecewise_free(&p);
	cu_hash_windows_free(w[CU_HASH_MD5]);
	cu_hash_windows_free(w[CU_HASH_SHA256]);
	free(buf);
	/* how many windows a medium may have, and how small one may be */
	ck_assert_int_eq(
	    cu_piecewise_init(&p, CU_WINDOW_MIN, (uint64_t)CU_WINDOWS_MAX << 20, want, NULL),
	    CU_OK);
	cu_piecewise_free(&p);
	ck_assert_int_eq(
	    cu_piecewise_init(&p, CU_WINDOW_MIN, ((uint64_t)CU_WINDOWS_MAX << 20) + 1, want, NULL),
	    CU_EUSAGE);
	ck_assert_int_eq(cu_piecewise_init(&p, 4096, 1 << 20, want, NULL), CU_EUSAGE);
}
END_TEST

/* A child's exit status and the end of what it said, and a tool that is not there. */
START_TEST(test_child)
{
	char *say[] = {"sh", "-c", "echo first; echo second >&2; exit 3", NULL};
	char *quiet[] = {"sh", "-c", "echo out; echo err >&2", NULL};
	char *missing[] = {"custos-no-such-tool", NULL};
	struct cu_child_tail t = {.len = 0};
	int fd, status;
	pid_t pid;

	ck_assert_int_eq(cu_child_start(say, true, &pid, &fd, NULL), CU_OK);
	ck_assert(!cu_child_drain(fd, &t)); /* blocking: read to its end */
	close(fd);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 3);
	ck_assert_str_eq(t.text, "first\nsecond\n");
	ck_assert_str_eq(cu_child_last_line(&t), "second");
	/* standard output not captured: only standard error */
	t.len = 0;
	ck_assert_int_eq(cu_child_start(quiet, false, &pid, &fd, NULL), CU_OK);
	cu_child_drain(fd, &t);
	close(fd);
	waitpid(pid, &status, 0);
	ck_assert_str_eq(t.text, "err\n");
	/* a tool that is not installed exits 127 */
	ck_assert_int_eq(cu_child_start(missing, true, &pid, &fd, NULL), CU_OK);
	t.len = 0;
	cu_child_drain(fd, &t);
	close(fd);
	waitpid(pid, &status, 0);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 127);
}
END_TEST

int main(void)
{
	TCase *tc = tcase_create("lib");

	/* a bound that catches a hang, not a measure of speed (a loaded builder is slow) */
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_parse_size);
	tcase_add_test(tc, test_parse_numbers_and_choices);
	tcase_add_test(tc, test_hash_vectors);
	tcase_add_test(tc, test_hash_fork);
	tcase_add_test(tc, test_hash_list_and_hex);
	tcase_add_test(tc, test_json_escaping);
	tcase_add_test(tc, test_meta_fields);
	tcase_add_test(tc, test_text_conversions);
	tcase_add_test(tc, test_queue_order_and_close);
	tcase_add_test(tc, test_queue_threads);
	tcase_add_test(tc, test_ranges);
	tcase_add_test(tc, test_ranges_insert);
	tcase_add_test(tc, test_ranges_extend);
	tcase_add_test(tc, test_text_xml);
	tcase_add_test(tc, test_text_visible);
	tcase_add_test(tc, test_paths);
	tcase_add_test(tc, test_atomic_files);
	tcase_add_test(tc, test_text_escape_and_refuse);
	tcase_add_test(tc, test_record_tool_host);
	tcase_add_test(tc, test_path_member_extension);
	tcase_add_test(tc, test_claim);
	tcase_add_test(tc, test_grow);
	tcase_add_test(tc, test_digest_fan);
	tcase_add_test(tc, test_hash_windows);
	tcase_add_test(tc, test_child);
	return check_run("lib", tc);
}
