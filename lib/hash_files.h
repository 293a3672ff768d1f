/*
 * hash_files.h - digests of files read from disk: a raw image in parts, a
 * segment file.  The files are read as hostile input (regular files only,
 * never blocking) in order, as one stream.
 */
#ifndef CUSTOS_LIB_HASH_FILES_H
#define CUSTOS_LIB_HASH_FILES_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/error.h"
#include "lib/hash.h"

/* The digests in `want` of the files `paths`, read one after the other. */
int cu_hash_files(const char *const *paths, size_t n, const bool want[CU_HASH_COUNT],
                  struct cu_digests *out, struct cu_error *err);

#endif
