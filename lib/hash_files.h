/*
 * hash_files.h - digests of files read from disk: a raw image in parts, a
 * segment file.  The files are read as hostile input (regular files only,
 * never blocking) in order, as one stream.
 */
#ifndef CUSTOS_LIB_HASH_FILES_H
#define CUSTOS_LIB_HASH_FILES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/error.h"
#include "lib/hash.h"

/* The digests in `want` of the files `paths`, read one after the other. */
int cu_hash_files(const char *const *paths, size_t n, const bool want[CU_HASH_COUNT],
                  struct cu_digests *out, struct cu_error *err);

/* The SHA-256 of one file. */
int cu_hash_file_sha256(const char *path, uint8_t out[32], struct cu_error *err);

/*
 * The SHA-256 of each file, separately, on `jobs` threads (one file to a
 * thread at a time, handed out through lib/queue.h): work no media digest
 * waits for, so it uses every core.  hashed[i] (may be NULL) says which
 * succeeded; every file is tried, and the first failure is returned.
 */
int cu_hash_files_each_sha256(const char *const *paths, size_t n, unsigned jobs,
                              uint8_t (*sha256)[32], bool *hashed, struct cu_error *err);

#endif
