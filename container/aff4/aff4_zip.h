/*
 * aff4_zip.h - writing an AFF4 volume's ZIP container strictly forward.
 *
 * An AFF4 volume is a ZIP64 archive of stored (uncompressed) members
 * (container/aff4/FORMAT.md, section 1).  Its size is unknown until the
 * acquisition ends, and it is written through an output that never seeks
 * back (lib/output.h, direct I/O, its SHA-256 computed as it goes): so each
 * member has a local header with bit 3 set, CRC 0 and ZIP64 placeholder
 * sizes, its bytes, then a ZIP64 data descriptor with its CRC-32 and sizes;
 * the central directory (with a ZIP64 extra field wherever a value does not
 * fit in 32 bits), a ZIP64 end record and its locator, and the end record
 * with the comment close the volume.  libzip cannot do this: it writes
 * nothing before zip_close and seeks back.
 *
 * The writer keeps only each member's name, CRC, size and offset.
 */
#ifndef CUSTOS_CONTAINER_AFF4_ZIP_H
#define CUSTOS_CONTAINER_AFF4_ZIP_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "lib/error.h"

/* Where the volume's bytes go, in order. */
struct aff4_zip_sink {
	int (*write)(void *ctx, const void *data, size_t len, struct cu_error *err);
	void *ctx;
};

struct aff4_zip;

/* `when` stamps every member (the DOS time of the acquisition, UTC). */
int aff4_zip_new(struct aff4_zip **out, const struct aff4_zip_sink *sink, time_t when,
                 struct cu_error *err);

/* Starts the next member; the one before must have ended. */
int aff4_zip_member_begin(struct aff4_zip *z, const char *name, struct cu_error *err);

/* Appends to the member begun. */
int aff4_zip_member_write(struct aff4_zip *z, const void *data, size_t len, struct cu_error *err);

/* Ends it: its data descriptor. */
int aff4_zip_member_end(struct aff4_zip *z, struct cu_error *err);

/* A whole member at once. */
int aff4_zip_member(struct aff4_zip *z, const char *name, const void *data, size_t len,
                    struct cu_error *err);

/* Writes the central directory and the end records, with `comment` (at most 65535 bytes). */
int aff4_zip_finish(struct aff4_zip *z, const char *comment, struct cu_error *err);

/* The bytes written so far. */
uint64_t aff4_zip_offset(const struct aff4_zip *z);

void aff4_zip_free(struct aff4_zip *z);

#endif
