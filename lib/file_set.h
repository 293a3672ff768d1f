/*
 * file_set.h - the files one acquisition writes, as one unit.
 *
 * Every file of a set is created as PATH.partial.  Only when all are
 * complete and synced does cu_file_set_commit rename them to their final names
 * (and sync the directory), so that no interrupted run ever leaves a file
 * under a name that looks like complete evidence.  cu_file_set_abort removes
 * whatever the set created, under whichever name it has.  A device target is
 * in the set under its own name and is never renamed or removed.
 */
#ifndef CUSTOS_LIB_FILE_SET_H
#define CUSTOS_LIB_FILE_SET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/error.h"
#include "lib/path.h"

struct cu_file_set;

int cu_file_set_new(struct cu_file_set **out, struct cu_error *err);
void cu_file_set_free(struct cu_file_set *s);

/* Adds a file; `device` means it already exists and is written in place. */
int cu_file_set_add(struct cu_file_set *s, const char *path, bool device, struct cu_error *err);

/* Forgets the last file added (when creating it failed: it is not ours). */
void cu_file_set_drop_last(struct cu_file_set *s);

/* The name to create and write file i under (PATH.partial, or the device). */
const char *cu_file_set_write_path(const struct cu_file_set *s, size_t i);

size_t cu_file_set_count(const struct cu_file_set *s);
const char *cu_file_set_path(const struct cu_file_set *s, size_t i);
uint64_t cu_file_set_size(const struct cu_file_set *s, size_t i);
void cu_file_set_set_size(struct cu_file_set *s, size_t i, uint64_t size);

/* The SHA-256 of file i, when its writer computed it; NULL otherwise. */
void cu_file_set_set_sha256(struct cu_file_set *s, size_t i, const uint8_t sha256[32]);
const uint8_t *cu_file_set_sha256(const struct cu_file_set *s, size_t i);

/*
 * Renames every file to its final name and syncs the directory.  Without
 * `replace`, a final name that exists (made by someone else meanwhile) is
 * never overwritten: CU_EUSAGE.
 */
int cu_file_set_commit(struct cu_file_set *s, bool replace, struct cu_error *err);
void cu_file_set_abort(struct cu_file_set *s);

#endif
