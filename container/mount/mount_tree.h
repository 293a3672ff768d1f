/*
 * mount_tree.h - the files custos mount serves: the media as BASE.raw and,
 * with --partitions, each partition of its MBR or GPT (container/
 * partition.h, read from the evidence through a cursor, every chunk
 * checked) as BASE.pN.raw, numbered as Linux numbers them.
 */
#ifndef CUSTOS_CONTAINER_MOUNT_MOUNT_TREE_H
#define CUSTOS_CONTAINER_MOUNT_MOUNT_TREE_H

#include <stdbool.h>
#include <stddef.h>

#include "container/evidence.h"
#include "container/mount/mount_fs.h"
#include "lib/error.h"

/*
 * The files of `e`, whose set is named `base` (no folder, no extension),
 * into cfg->files.  With `partitions`, a medium without a partition table,
 * or with one that does not hold or lies in damaged sectors, is served
 * whole only, and `note` says why (else it is "").
 */
int mount_tree_build(struct evidence *e, const char *base, bool partitions,
                     struct mount_fs_config *cfg, char *note, size_t cap, struct cu_error *err);

#endif
