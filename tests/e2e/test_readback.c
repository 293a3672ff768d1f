/*
 * test_readback.c - what custos writes, read back through libewf in C.
 *
 * Each test makes a medium with mkmedium, runs the custos binary on it, then
 * opens the evidence with libewf itself (not custos's reader) and checks:
 * the media bytes equal the source completed with zeros to a whole sector,
 * the geometry, every header value as typed (UTF-8 included), and the
 * stored MD5, SHA-1 and SHA-256 against digests OpenSSL computes here over
 * the source file.
 */
#include <check.h>

#include "tests/check_run.h"
#include <dirent.h>
#include <libewf.h>
#include <openssl/evp.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static char workdir[64];

static const char *env_or_fail(const char *name)
{
	const char *v = getenv(name);

	ck_assert_msg(v && *v, "%s is not set", name);
	return v;
}

static int run(char *const argv[])
{
	pid_t pid;
	int status;
	posix_spawn_file_actions_t fa;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", 1, 0);
	ck_assert_int_eq(posix_spawn(&pid, argv[0], &fa, NULL, argv, environ), 0);
	posix_spawn_file_actions_destroy(&fa);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static void make_medium(const char *path, const char *size, const char *seed)
{
	char cmd[16384];

	snprintf(cmd, sizeof(cmd), "'%s' %s %s > '%s'", env_or_fail("MKMEDIUM"), size, seed, path);
	ck_assert_int_eq(system(cmd), 0);
}

static uint8_t *read_file(const char *path, size_t *len, size_t pad_to)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	uint8_t *buf;
	size_t padded;

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fstat(fileno(f), &st), 0);
	padded = ((size_t)st.st_size + pad_to - 1) / pad_to * pad_to;
	buf = calloc(1, padded ? padded : 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)st.st_size, f), (size_t)st.st_size);
	fclose(f);
	*len = padded;
	return buf;
}

static void hex_digest(const char *alg, const uint8_t *data, size_t len, char *out)
{
	uint8_t md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	ck_assert_int_eq(EVP_Digest(data, len, md, &n, EVP_get_digestbyname(alg), NULL), 1);
	for (unsigned int i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", md[i]);
}

struct evidence {
	libewf_handle_t *h;
	char **names;
	int n_names;
};

static void evidence_open(struct evidence *e, const char *first)
{
	libewf_error_t *err = NULL;

	memset(e, 0, sizeof(*e));
	ck_assert_int_eq(
	    libewf_glob(first, strlen(first), LIBEWF_FORMAT_UNKNOWN, &e->names, &e->n_names, &err),
	    1);
	ck_assert_int_eq(libewf_handle_initialize(&e->h, &err), 1);
	ck_assert_int_eq(libewf_handle_open(e->h, e->names, e->n_names, LIBEWF_OPEN_READ, &err), 1);
}

static void evidence_close(struct evidence *e)
{
	libewf_handle_close(e->h, NULL);
	libewf_handle_free(&e->h, NULL);
	libewf_glob_free(e->names, e->n_names, NULL);
}

static void assert_header(struct evidence *e, const char *id, const char *want)
{
	uint8_t value[4096] = {0};

	ck_assert_int_eq(libewf_handle_get_utf8_header_value(e->h, (const uint8_t *)id, strlen(id),
	                                                     value, sizeof(value), NULL),
	                 1);
	ck_assert_str_eq((const char *)value, want);
}

static void assert_hash(struct evidence *e, const char *id, const char *want)
{
	uint8_t value[256] = {0};
	int rc = libewf_handle_get_utf8_hash_value(e->h, (const uint8_t *)id, strlen(id), value,
	                                           sizeof(value), NULL);

	if (!want) {
		ck_assert_int_ne(rc, 1);
		return;
	}
	ck_assert_msg(rc == 1, "no %s stored", id);
	ck_assert_str_eq((const char *)value, want);
}

/* The media read through libewf equals `expect`, chunk-sized reads at a time. */
static void assert_media(struct evidence *e, const uint8_t *expect, size_t len, uint32_t bps)
{
	size64_t size = 0;
	uint32_t got_bps = 0;
	uint8_t *buf = malloc(len);
	size_t done = 0;

	ck_assert_int_eq(libewf_handle_get_media_size(e->h, &size, NULL), 1);
	ck_assert_uint_eq(size, len);
	ck_assert_int_eq(libewf_handle_get_bytes_per_sector(e->h, &got_bps, NULL), 1);
	ck_assert_uint_eq(got_bps, bps);
	while (done < len) {
		size_t want = len - done < 100003 ? len - done : 100003; /* unaligned on purpose */
		ssize_t n = libewf_handle_read_random(e->h, buf + done, want, (off64_t)done, NULL);

		ck_assert_int_eq(n, (ssize_t)want);
		done += want;
	}
	ck_assert_msg(memcmp(buf, expect, len) == 0, "media differs from the padded source");
	free(buf);
}

struct acquisition {
	const char *name, *size, *seed;
	uint32_t bps;
	const char *extra[8];
};

static const char *CASE = "K-17/2026", *EVID = "EV 3", *EXAMINER = "José Müller";
static const char *DESC = "Laptop, Straße 5 — desk", *NOTES = "Seal 0042 intact; ünïcødé 漢字";

static int acquire(const struct acquisition *a, char *base, size_t cap, char *src, size_t scap)
{
	const char *argv[32] = {env_or_fail("CUSTOS"), "acquire"};
	int n = 2;

	snprintf(src, scap, "%s/%s.img", workdir, a->name);
	snprintf(base, cap, "%s/%s", workdir, a->name);
	make_medium(src, a->size, a->seed);
	argv[n++] = src;
	argv[n++] = "-o";
	argv[n++] = base;
	const char *fields[] = {
	    "--case-number", CASE, "--evidence-number", EVID,  "--examiner", EXAMINER,
	    "--description", DESC, "--notes",           NOTES, "--quiet"};
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		argv[n++] = fields[i];
	for (int i = 0; a->extra[i]; i++)
		argv[n++] = a->extra[i];
	argv[n] = NULL;
	return run((char *const *)argv);
}

static int count_segments(const char *name)
{
	DIR *d = opendir(workdir);
	struct dirent *de;
	int n = 0;
	size_t len = strlen(name);

	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)))
		if (!strncmp(de->d_name, name, len) && de->d_name[len] == '.' &&
		    de->d_name[len + 1] == 'E' && strlen(de->d_name) == len + 4)
			n++;
	closedir(d);
	return n;
}

/* custos's own verify, info and export on what it wrote (under ASan in that build). */
static void check_commands(const char *first, const char *base, const uint8_t *media, size_t len)
{
	const char *custos = env_or_fail("CUSTOS");
	char out[4200];
	size_t n;
	uint8_t *back;

	snprintf(out, sizeof(out), "%s.export", base);
	ck_assert_int_eq(
	    run((char *const[]){(char *)custos, "verify", "--json", (char *)first, NULL}), 0);
	ck_assert_int_eq(run((char *const[]){(char *)custos, "info", (char *)first, NULL}), 0);
	ck_assert_int_eq(
	    run((char *const[]){(char *)custos, "export", (char *)first, "-o", out, NULL}), 0);
	back = read_file(out, &n, 1);
	ck_assert_uint_eq(n, len);
	ck_assert_msg(memcmp(back, media, len) == 0, "export differs from the media");
	free(back);
	unlink(out);
}

static void check_acquisition(const struct acquisition *a, int want_segments_at_least, int sha1)
{
	char base[4096], src[4096], first[4200];
	char md5[65], sha1hex[65], sha256[65];
	struct evidence e;
	uint8_t *data;
	size_t len;

	ck_assert_int_eq(acquire(a, base, sizeof(base), src, sizeof(src)), 0);
	ck_assert_int_ge(count_segments(a->name), want_segments_at_least);
	snprintf(first, sizeof(first), "%s.E01", base);
	data = read_file(src, &len, a->bps);
	hex_digest("MD5", data, len, md5);
	hex_digest("SHA1", data, len, sha1hex);
	hex_digest("SHA256", data, len, sha256);

	evidence_open(&e, first);
	assert_media(&e, data, len, a->bps);
	assert_header(&e, "case_number", CASE);
	assert_header(&e, "evidence_number", EVID);
	assert_header(&e, "examiner_name", EXAMINER);
	assert_header(&e, "description", DESC);
	assert_header(&e, "notes", NOTES);
	assert_hash(&e, "MD5", md5);
	assert_hash(&e, "SHA256", sha256);
	assert_hash(&e, "SHA1", sha1 ? sha1hex : NULL);
	evidence_close(&e);
	check_commands(first, base, data, len);
	free(data);
}

START_TEST(test_compression_modes)
{
	static const char *modes[] = {"none", "empty", "fast", "best"};
	struct acquisition a = {.size = "6MiB", .seed = "11", .bps = 512};
	char name[32];

	for (int i = 0; i < 4; i++) {
		snprintf(name, sizeof(name), "mode-%s", modes[i]);
		a.name = name;
		a.extra[0] = "--compression";
		a.extra[1] = modes[i];
		a.extra[2] = "--hash";
		a.extra[3] = i % 2 ? "sha256,sha1" : "sha256";
		check_acquisition(&a, 1, i % 2);
	}
}
END_TEST

START_TEST(test_many_segments_and_tables)
{
	/* 7 entries a table: many sectors/table/table2 groups in each segment */
	struct acquisition a = {
	    .name = "many",
	    .size = "12MiB",
	    .seed = "12",
	    .bps = 512,
	    .extra = {"--segment-size", "1MiB", "--x-table-entries", "7", "--compression", "none"}};

	check_acquisition(&a, 12, 0);
}
END_TEST

START_TEST(test_odd_size)
{
	struct acquisition a = {.name = "odd",
	                        .size = "5000017",
	                        .seed = "13",
	                        .bps = 512,
	                        .extra = {"--segment-size", "1MiB"}};

	check_acquisition(&a, 3, 0);
}
END_TEST

START_TEST(test_sector_4096)
{
	struct acquisition a = {.name = "s4k",
	                        .size = "7000001",
	                        .seed = "14",
	                        .bps = 4096,
	                        .extra = {"--sector-size", "4096", "--compression", "best"}};

	check_acquisition(&a, 1, 0);
}
END_TEST

START_TEST(test_one_sector_medium)
{
	struct acquisition a = {.name = "tiny", .size = "1", .seed = "15", .bps = 512};

	check_acquisition(&a, 1, 0);
}
END_TEST

static void setup(void)
{
	check_tempdir(workdir, sizeof(workdir), "readback");
}

static void teardown(void)
{
	char cmd[256];

	/* custos leaves its segments read-only */
	snprintf(cmd, sizeof(cmd), "chmod -R u+w '%s'; rm -rf '%s'", workdir, workdir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", workdir);
}

int main(void)
{
	TCase *tc = tcase_create("libewf");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_compression_modes);
	tcase_add_test(tc, test_many_segments_and_tables);
	tcase_add_test(tc, test_odd_size);
	tcase_add_test(tc, test_sector_4096);
	tcase_add_test(tc, test_one_sector_medium);
	return check_run("readback", tc);
}
