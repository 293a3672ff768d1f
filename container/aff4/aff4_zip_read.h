/*
 * aff4_zip_read.h - reading an AFF4 volume's ZIP container as hostile input.
 *
 * The volume's end records are found at its end (the end record with its
 * comment, and, when present, the ZIP64 locator and end record), then the
 * whole central directory is read and every entry checked (ZIP64 extra
 * fields included), and each member's local header is read to find where
 * its bytes begin.  Every field is bounds-checked; the number of members,
 * the length of names and the size of the central directory are capped;
 * members that overlap one another or the central directory, that lie past
 * the file's end, that are encrypted or whose name appears twice are
 * refused.  Members are found by name, never by position
 * (container/aff4/FORMAT.md, section 1).
 *
 * The data of a stored member is read in place (aff4_zip_read_stored); a
 * small member (metadata) can be loaded whole, stored or deflated.
 */
#ifndef CUSTOS_CONTAINER_AFF4_ZIP_READ_H
#define CUSTOS_CONTAINER_AFF4_ZIP_READ_H

#include <stddef.h>
#include <stdint.h>

#include "lib/error.h"

#define AFF4_ZIP_MEMBERS_MAX (1U << 20)
#define AFF4_ZIP_NAME_MAX    1024U
#define AFF4_ZIP_CENTRAL_MAX (128U << 20)

/* One member, as the central directory and its local header give it. */
struct aff4_zip_entry {
	const char *name;
	uint64_t header; /* offset of its local header */
	uint64_t data;   /* offset of its first byte */
	uint64_t size;   /* bytes stored */
	uint64_t usize;  /* bytes once inflated */
	uint16_t method; /* 0 stored, 8 deflate, ... */
};

struct aff4_zip_read;

/*
 * Reads the ZIP structure of the `size` bytes of `fd` (which the caller
 * keeps open, and owns, as long as the reader lives).  CU_EUSAGE when it is
 * not a ZIP volume custos can read; the message says why.
 */
int aff4_zip_read_open(struct aff4_zip_read **out, int fd, uint64_t size, struct cu_error *err);

/* The archive's comment, up to its first NUL ("" when none). */
const char *aff4_zip_read_comment(const struct aff4_zip_read *z);

/* The member named `name`, or NULL. */
const struct aff4_zip_entry *aff4_zip_read_find(const struct aff4_zip_read *z, const char *name);

/* A stored member's place: CU_EFAIL with a message when it is missing or compressed. */
int aff4_zip_read_stored(const struct aff4_zip_read *z, const char *name, uint64_t *offset,
                         uint64_t *size, struct cu_error *err);

/*
 * The whole member `name` (stored or deflated, at most `cap` bytes once
 * inflated), malloc'ed and NUL-terminated; *len gets its length.
 */
int aff4_zip_read_load(const struct aff4_zip_read *z, const char *name, size_t cap, uint8_t **data,
                       size_t *len, struct cu_error *err);

/* Exactly `len` bytes at `offset` of the volume. */
int aff4_zip_read_at(const struct aff4_zip_read *z, void *buf, size_t len, uint64_t offset,
                     struct cu_error *err);

void aff4_zip_read_free(struct aff4_zip_read *z);

#endif
