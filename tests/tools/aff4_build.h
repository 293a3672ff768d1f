/*
 * aff4_build.h - a whole AFF4 volume made from media with custos' own
 * writer pieces (container/aff4: aff4_zip, aff4_stream, aff4_map,
 * aff4_info), for the tests, the fuzzers' seeds and the benchmark: no
 * writer command exists yet, and no image may be committed.
 *
 * The stream holds every chunk of the media (the last padded with zeros),
 * stream offset = media offset; the map lays the media onto it, except the
 * runs given as unreadable, which go to aff4:UnreadableData.
 */
#ifndef CUSTOS_TESTS_AFF4_BUILD_H
#define CUSTOS_TESTS_AFF4_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "container/aff4/aff4_stream.h"
#include "lib/error.h"
#include "lib/hash.h"
#include "lib/meta.h"

struct aff4_build {
	enum aff4_compression compression;
	bool block[CU_HASH_COUNT];       /* the block-hash algorithms */
	bool linear;                     /* state MD5, SHA-1, SHA-256 of the media on the image */
	uint32_t sector_size;            /* 0: 512 */
	const uint64_t (*unreadable)[2]; /* byte runs {offset, length}, in order */
	size_t n_unreadable;
	const struct cu_meta *meta;
};

/* Writes the volume `out` holding the `size` bytes of `media` (read with pread). */
int aff4_build_file(const char *out, int media, uint64_t size, const struct aff4_build *b,
                    struct cu_error *err);

#endif
