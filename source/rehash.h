/*
 * rehash.h - reading something again to prove its digests: the evidence
 * just written (a raw image, a clone), or the source itself, as Guymager's
 * "verify source" does, and as `custos verify --source` does years later.
 */
#ifndef CUSTOS_SOURCE_REHASH_H
#define CUSTOS_SOURCE_REHASH_H

#include <stdbool.h>
#include <stdint.h>

#include "source/source.h"
#include "lib/error.h"
#include "lib/file_set.h"
#include "lib/hash.h"
#include "lib/hash_windows.h"

struct source_rehash {
	const struct source_options *source; /* a file or device, or a window of one */
	uint64_t media_size; /* 0: the source as it is; else completed with zeros to this */
	const bool *want;    /* CU_HASH_COUNT digests */
	unsigned threads;
	const int *cancel_fd;
	uint64_t size; /* out: the source's (window's) own size */
	/* in: set up by cu_piecewise_init, or NULL; out: the media's windows, when windowed */
	struct cu_piecewise *windows;
	bool windowed; /* out: `windows` holds the source's */
};

/*
 * Re-reads the source through the pipeline, hashing only, into `out`.  A
 * source larger than media_size is not read (out->have stays empty): the
 * caller compares r->size first.
 */
int source_rehash(struct source_rehash *r, struct cu_digests *out, struct cu_error *err);

/* Reads the files of a set in order, as one stream. */
int source_rehash_files(const struct cu_file_set *files, const bool want[CU_HASH_COUNT],
                        struct cu_digests *out, struct cu_error *err);

#endif
