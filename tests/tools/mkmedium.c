/*
 * mkmedium.c - writes a deterministic test medium of mixed content.
 *
 * usage: mkmedium SIZE [SEED] > FILE
 *
 * The medium is a sequence of 64 KiB blocks, each one of: random bytes,
 * zeros, English-like text, a repeated 16-byte record, or 0xff fill, chosen
 * by a seeded xorshift generator.  The same SIZE and SEED always give the
 * same bytes, so tests, the quick start and the benchmarks can make their
 * media instead of committing any.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/parse.h"

#define BLOCK (64 * 1024)

static uint64_t next_random(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void fill_text(uint8_t *b, uint64_t *s)
{
	static const char *const words[] = {
	    "evidence ", "custody ", "sector ", "drive ", "the ",   "of ",  "examiner ",
	    "court ",    "seized ",  "image ",  "hash ",  "chain ", "and ", "report\n"};
	size_t i = 0;

	while (i < BLOCK) {
		const char *w = words[next_random(s) % (sizeof(words) / sizeof(words[0]))];
		size_t n = strlen(w);

		if (n > BLOCK - i)
			n = BLOCK - i;
		memcpy(b + i, w, n);
		i += n;
	}
}

static void fill_block(uint8_t *b, uint64_t *s)
{
	uint64_t kind = next_random(s) % 8;

	if (kind < 3) {
		for (size_t i = 0; i < BLOCK; i += 8) {
			uint64_t r = next_random(s);

			memcpy(b + i, &r, 8);
		}
	} else if (kind < 5) {
		memset(b, 0, BLOCK);
	} else if (kind == 5) {
		fill_text(b, s);
	} else if (kind == 6) {
		uint8_t rec[16];

		for (size_t i = 0; i < 16; i++)
			rec[i] = (uint8_t)next_random(s);
		for (size_t i = 0; i < BLOCK; i += 16)
			memcpy(b + i, rec, 16);
	} else {
		memset(b, 0xff, BLOCK);
	}
}

int main(int argc, char **argv)
{
	uint64_t size, seed = 1, state;
	static uint8_t block[BLOCK];
	struct cu_error err = {0};

	if (argc < 2 || argc > 3 || cu_parse_size(&size, "SIZE", argv[1], &err) ||
	    (argc == 3 && cu_parse_u64(&seed, "SEED", argv[2], 0, UINT64_MAX, &err))) {
		fprintf(stderr, "usage: mkmedium SIZE [SEED] > FILE %s\n", err.msg);
		return 2;
	}
	state = seed * 0x9e3779b97f4a7c15ULL + 0x1234567ULL;
	while (size > 0) {
		size_t n = size < BLOCK ? (size_t)size : BLOCK;

		fill_block(block, &state);
		if (fwrite(block, 1, n, stdout) != n) {
			perror("mkmedium");
			return 1;
		}
		size -= n;
	}
	return fclose(stdout) == 0 ? 0 : 1;
}
