/*
 * rehash.h - reading something again to prove its digests: the evidence
 * just written (a raw image, a clone), or the source itself, as Guymager's
 * "verify source" does.
 */
#ifndef CUSTOS_ACQUIRE_REHASH_H
#define CUSTOS_ACQUIRE_REHASH_H

#include <stdbool.h>

#include "acquire/source.h"
#include "lib/file_set.h"
#include "lib/error.h"
#include "lib/hash.h"

/* Re-reads a file or device (window) through the pipeline, hashing only. */
int acq_rehash_source(const struct acq_source_options *so, const bool want[CU_HASH_COUNT],
                      unsigned threads, const int *cancel_fd, struct cu_digests *out,
                      struct cu_error *err);

/*
 * As acq_rehash_source, the source completed with zeros to `media_size`
 * bytes as an acquisition stores it; *size gets the source's own size.
 */
int acq_rehash_as_media(const char *path, uint64_t media_size, const bool want[CU_HASH_COUNT],
                        struct cu_digests *out, uint64_t *size, struct cu_error *err);

/* Reads the files of a set in order, as one stream. */
int acq_rehash_files(const struct cu_file_set *files, const bool want[CU_HASH_COUNT],
                     struct cu_digests *out, struct cu_error *err);

#endif
