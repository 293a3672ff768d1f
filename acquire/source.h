/*
 * source.h - the medium being acquired: a regular file or a block device,
 * opened read-only and never written.
 *
 * The source reports its size and sector geometry and reads at absolute
 * offsets.  A short read is not an error: acq_source_read returns what the
 * kernel gave, and the caller continues from there.
 */
#ifndef CUSTOS_ACQUIRE_SOURCE_H
#define CUSTOS_ACQUIRE_SOURCE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "lib/error.h"

struct acq_source_info {
	const char *path;
	uint64_t size;            /* exact size in bytes */
	uint32_t logical_sector;  /* bytes; 0 when the source has none (a file) */
	uint32_t physical_sector; /* bytes; 0 when unknown */
	bool is_device;
	dev_t device; /* st_rdev of a device, st_dev of a file */
	ino_t inode;
};

struct acq_source;

int acq_source_open(struct acq_source **out, const char *path, struct cu_error *err);
const struct acq_source_info *acq_source_info(const struct acq_source *s);

/*
 * Reads up to `len` bytes at `offset`.  Returns the count (0 only at the end
 * of the medium) or -1 with `err` set; *errnum gets the errno of a failure.
 */
ssize_t acq_source_read(struct acq_source *s, void *buf, size_t len, uint64_t offset, int *errnum,
                        struct cu_error *err);

void acq_source_close(struct acq_source *s);

#endif
