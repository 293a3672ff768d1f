/*
 * output.h - one output file written sequentially: an E01 segment, a raw
 * image or a part of one, an export, or a drive being cloned onto.
 *
 * Bytes are appended through two 32 MiB buffers and reach the disk with
 * O_DIRECT where the file system allows it: the kernel then moves evidence
 * straight from custos's buffer to the device, without copying it into the
 * page cache (which costs more CPU than the MD5 of the same bytes, and
 * floods memory on a multi-terabyte acquisition).  While the caller fills
 * one buffer, a thread of the output writes the other and computes the
 * file's SHA-256 as the bytes go out.  The few bytes that must be rewritten
 * later (a section descriptor whose size becomes known) are patched in the
 * buffer, or on disk with an ordinary write.
 */
#ifndef CUSTOS_LIB_OUTPUT_H
#define CUSTOS_LIB_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/error.h"

struct cu_output;

/* Creates `path`, which must not exist (EEXIST is a usage error). */
int cu_output_create(struct cu_output **out, const char *path, struct cu_error *err);

int cu_output_write(struct cu_output *o, const void *data, size_t len, struct cu_error *err);

/*
 * Opens an existing block device for writing, exclusively (the kernel
 * refuses a mounted one).  Sealing such an output syncs it but leaves its
 * permissions alone.
 */
int cu_output_open_device(struct cu_output **out, const char *path, struct cu_error *err);

/*
 * Bytes from `offset` on stay in the buffer (so that they can still be
 * patched there) until cu_output_release; at most CU_OUTPUT_HOLD_MAX of
 * them.  The output hashes what leaves the buffer, in order: holding back a
 * region that will be patched keeps that digest the digest of the file.
 */
#define CU_OUTPUT_HOLD_MAX (16U << 20)
void cu_output_hold(struct cu_output *o, uint64_t offset);
void cu_output_release(struct cu_output *o);

/* Overwrites `len` bytes already written at `offset`. */
int cu_output_patch(struct cu_output *o, uint64_t offset, const void *data, size_t len,
                    struct cu_error *err);

/* Bytes written so far (the offset of the next byte). */
uint64_t cu_output_offset(const struct cu_output *o);

/* Makes everything written so far durable (the output stays open). */
int cu_output_sync(struct cu_output *o, struct cu_error *err);

/* Reopens a file written before, cut back to `length` bytes, to continue it. */
int cu_output_reopen(struct cu_output **out, const char *path, uint64_t length,
                     struct cu_error *err);

/*
 * Writes out everything, syncs, makes the file read-only, closes and frees.
 * `sha256` (may be NULL) gets the file's SHA-256 when it could be computed on
 * the way out (*have says so; not after a patch of written bytes, nor for a
 * reopened file).
 */
int cu_output_seal(struct cu_output *o, uint8_t sha256[32], bool *have, struct cu_error *err);

/*
 * Overwrites `len` bytes at `offset` of a file sealed before (read-only,
 * closed), syncs it and makes it read-only again: a stream's segments learn
 * the size of the media only at its end.  The file must be the same regular
 * file throughout; a link is refused.
 */
int cu_output_patch_sealed(const char *path, uint64_t offset, const void *data, size_t len,
                           struct cu_error *err);

/* Closes and frees without sealing (the caller removes the file). */
void cu_output_discard(struct cu_output *o);

#endif
