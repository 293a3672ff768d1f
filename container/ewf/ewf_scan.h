/*
 * ewf_scan.h - reading a whole EWF set on several threads.
 *
 *   reader (own libewf handle) --> checkers (any order) --> reorder (caller)
 *     stored chunks, as the set       inflate or check         --> sink, in order
 *     holds them (libewf tables)      each chunk (libdeflate)  --> MD5, SHA-1, SHA-256
 *                                                                  threads, in order
 *
 * libewf finds the chunks (it parses every format's tables) and hands each
 * over as stored; custos inflates it with libdeflate, or checks the
 * Adler-32 of a raw one, on a pool of threads, off the MD5 thread's core.
 * One MD5 stream is the limit no parallelism removes, so every other thread
 * gives way to it.  A chunk that cannot be read, does not inflate, or fails
 * its checksum is zero-filled and listed as damaged (sectors); damage is
 * collected, not fatal.  Memory is a fixed set of blocks.
 */
#ifndef CUSTOS_CONTAINER_EWF_SCAN_H
#define CUSTOS_CONTAINER_EWF_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/error.h"
#include "lib/hash.h"
#include "lib/ranges.h"

typedef int (*ewf_media_sink)(void *ctx, const uint8_t *media, size_t len, struct cu_error *err);

struct ewf_scan_result {
	struct cu_digests computed;
	struct cu_ranges damaged;       /* sectors, ordered; the caller frees */
	char failure[CU_ERROR_MSG_MAX]; /* what the first damaged chunk was */
};

/*
 * Reads the set `path` belongs to, hashing the algorithms in `want`, giving
 * the media to `sink` in order (may be NULL), with `threads` checkers (0:
 * one per CPU).
 */
int ewf_scan(const char *path, unsigned threads, const bool want[CU_HASH_COUNT],
             ewf_media_sink sink, void *ctx, struct ewf_scan_result *out, struct cu_error *err);

#endif
