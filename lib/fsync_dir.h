/*
 * fsync_dir.h - making a file's name durable, not only its bytes.
 *
 * After a file is created or renamed, its directory entry survives a power
 * loss only once the directory itself is synced.
 */
#ifndef CUSTOS_LIB_FSYNC_DIR_H
#define CUSTOS_LIB_FSYNC_DIR_H

#include "lib/error.h"

/* Syncs the directory that holds `path`. */
int cu_fsync_parent(const char *path, struct cu_error *err);

#endif
