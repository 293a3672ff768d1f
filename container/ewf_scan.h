/*
 * ewf_scan.h - reading a whole EWF set on several threads.
 *
 *   reader 1 (own libewf handle) \\                       --> MD5 thread     (in order)
 *   reader 2 (own libewf handle)  --> reorder (caller) --> SHA-1 thread   (in order)
 *   ...                          /     sink, in order   --> SHA-256 thread (in order)
 *
 * libewf handles are not shared between threads, so each reader opens the
 * set itself and reads the blocks it claims, inflating and checking their
 * chunks; the calling thread puts blocks back in order, hands them to the
 * sink (an export's output) and to one thread per digest.  Damaged chunks
 * are collected from every reader.  Memory is a fixed set of blocks.
 */
#ifndef CUSTOS_CONTAINER_EWF_SCAN_H
#define CUSTOS_CONTAINER_EWF_SCAN_H

#include <stdbool.h>

#include "container/ewf_reader.h"
#include "lib/error.h"
#include "lib/hash.h"
#include "lib/ranges.h"

struct ewf_scan_result {
	struct cu_digests computed;
	struct cu_ranges damaged;       /* sectors, ordered; the caller frees */
	char failure[CU_ERROR_MSG_MAX]; /* the first unreadable chunk, as libewf said */
};

/*
 * Reads the set `path` belongs to with `readers` threads (0: one per CPU),
 * hashing the algorithms in `want`, giving the media to `sink` in order
 * (may be NULL).  Damage is collected, not fatal.
 */
int ewf_scan(const char *path, unsigned readers, const bool want[CU_HASH_COUNT],
             ewf_media_sink sink, void *ctx, struct ewf_scan_result *out, struct cu_error *err);

#endif
