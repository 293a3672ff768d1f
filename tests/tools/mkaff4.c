/*
 * mkaff4.c - makes an AFF4 volume of a media file with custos' writer
 * pieces (tests/tools/aff4_build.h), for the fuzzers' seeds, the e2e tests
 * and the benchmark of the AFF4 reader.
 *
 * usage: mkaff4 MEDIA OUT.aff4 [none|snappy|lz4|deflate] [BLOCK-HASHES]
 *               [--linear] [--unreadable OFFSET:LENGTH]...
 *
 * BLOCK-HASHES is a list such as md5,sha256 ("-": none; default md5,sha256);
 * --linear states the media's MD5, SHA-1 and SHA-256 on the image.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/tools/aff4_build.h"

#define RUNS_MAX 64

static int usage(void)
{
	fprintf(stderr,
	        "usage: mkaff4 MEDIA OUT.aff4 [none|snappy|lz4|deflate] [md5,sha1,sha256|-] "
	        "[--linear] [--unreadable OFFSET:LENGTH]...\n");
	return 2;
}

static int parse_compression(const char *s, enum aff4_compression *c)
{
	static const char *const names[] = {"none", "snappy", "lz4", "deflate"};

	for (int i = 0; i < 4; i++)
		if (!strcmp(s, names[i])) {
			*c = (enum aff4_compression)i;
			return 0;
		}
	return -1;
}

/* A list such as md5,sha256 ("-": none) into `block`, exactly those named. */
static int parse_block(const char *list, bool block[CU_HASH_COUNT])
{
	char *copy = strdup(list), *save = NULL;
	int rc = copy ? 0 : -1;

	memset(block, 0, CU_HASH_COUNT * sizeof(bool));
	for (char *t = copy ? strtok_r(copy, ",", &save) : NULL; t && !rc;
	     t = strtok_r(NULL, ",", &save)) {
		int a = 0;

		while (a < CU_HASH_COUNT && strcmp(t, cu_hash_name(a)))
			a++;
		if (a == CU_HASH_COUNT && strcmp(t, "-"))
			rc = -1;
		else if (a < CU_HASH_COUNT)
			block[a] = true;
	}
	free(copy);
	return rc;
}

static int parse_args(int argc, char **argv, struct aff4_build *b, uint64_t (*runs)[2])
{
	int positional = 0;

	for (int i = 3; i < argc; i++) {
		if (!strcmp(argv[i], "--linear")) {
			b->linear = true;
		} else if (!strcmp(argv[i], "--unreadable") && i + 1 < argc &&
		           b->n_unreadable < RUNS_MAX) {
			char *end;

			runs[b->n_unreadable][0] = strtoull(argv[++i], &end, 0);
			if (*end != ':')
				return -1;
			runs[b->n_unreadable++][1] = strtoull(end + 1, &end, 0);
		} else if (positional == 0 && !parse_compression(argv[i], &b->compression)) {
			positional++;
		} else if (positional <= 1 && !parse_block(argv[i], b->block)) {
			positional = 2;
		} else {
			return -1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	static uint64_t runs[RUNS_MAX][2];
	struct cu_meta meta = {.case_number = "K-7",
	                       .evidence_number = "E-1",
	                       .examiner = "mkaff4",
	                       .description = "a generated medium",
	                       .notes = "made by tests/tools/mkaff4"};
	struct aff4_build b = {.compression = AFF4_COMPRESSION_LZ4,
	                       .block = {[CU_HASH_MD5] = true, [CU_HASH_SHA256] = true},
	                       .unreadable = (const uint64_t(*)[2])runs,
	                       .meta = &meta};
	struct cu_error err = {0};
	struct stat st;
	int fd;

	if (argc < 3 || parse_args(argc, argv, &b, runs))
		return usage();
	if ((fd = open(argv[1], O_RDONLY)) < 0 || fstat(fd, &st) != 0) {
		fprintf(stderr, "mkaff4: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	if (aff4_build_file(argv[2], fd, (uint64_t)st.st_size, &b, &err)) {
		fprintf(stderr, "mkaff4: %s\n", err.msg);
		return 1;
	}
	close(fd);
	return 0;
}
