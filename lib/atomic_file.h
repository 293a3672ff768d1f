/*
 * atomic_file.h - writing small files so that nobody ever sees half of one,
 * and so that no link placed in the way is ever written through.
 *
 * The custody log, the resume file, the mapfile, reports and signatures are
 * written whole: to a temporary file beside the target, created exclusively
 * under a name no other process shares (mkstemp), synced, then renamed over
 * the target, and the directory synced so that the new name survives a
 * power loss.  A rename replaces a symbolic link itself, never what it
 * points to; and a target that is a link, or not a regular file, is refused
 * before anything is written.  A failure removes the temporary file.
 */
#ifndef CUSTOS_LIB_ATOMIC_FILE_H
#define CUSTOS_LIB_ATOMIC_FILE_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "lib/error.h"

/* Replaces (or creates) `path` with `len` bytes of `data`, file mode `mode`. */
int cu_file_replace(const char *path, const void *data, size_t len, mode_t mode,
                    struct cu_error *err);

/* As cu_file_replace, with the contents `print` writes (into memory first). */
int cu_file_replace_printed(const char *path, mode_t mode, void (*print)(FILE *f, const void *ctx),
                            const void *ctx, struct cu_error *err);

/* As cu_file_replace, but `path` must not exist: CU_EUSAGE if it does. */
int cu_file_create(const char *path, const void *data, size_t len, mode_t mode,
                   struct cu_error *err);

/*
 * Refuses (CU_EUSAGE) when anything, even a dangling link, exists at `path`;
 * `what` names it in the message ("the custody log").
 */
int cu_file_check_absent(const char *path, const char *what, struct cu_error *err);

/* Refuses (CU_EUSAGE) a `path` that is a symbolic link, or exists and is not a regular file. */
int cu_file_check_replaceable(const char *path, struct cu_error *err);

/* Syncs the directory that holds `path`. */
int cu_fsync_parent(const char *path, struct cu_error *err);

/* Renames `from` to `to`, failing (CU_EUSAGE) when `to` exists. */
int cu_rename_new(const char *from, const char *to, struct cu_error *err);

#endif
