/*
 * source.h - the medium being acquired: a regular file or a block device,
 * opened read-only and never written.
 *
 * A block device is also set read-only in the kernel (BLKROSET) while it is
 * open, so that nothing else on the host writes to it either, and its
 * previous state is restored on close.  Devices are read with O_DIRECT, so
 * every read reaches the drive and none is served from a cache.  A window
 * (--offset, --length) restricts the source to a range of it.  A short read
 * is not an error: source_read returns what the kernel gave.
 *
 * The source "-" is standard input, a stream: a pipe from ssh, nc or
 * another tool.  It has no size and no positions: it is read once, in
 * order, each read filled as far as the stream goes (0 at its end); a
 * read waits for data, or for a signal on the cancel descriptor.
 */
#ifndef CUSTOS_SOURCE_SOURCE_H
#define CUSTOS_SOURCE_SOURCE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "source/ata.h"
#include "source/device_info.h"
#include "lib/error.h"

struct source_options {
	const char *path;
	uint64_t offset;      /* first byte of the window */
	uint64_t length;      /* bytes in the window; 0: to the end */
	bool no_write_block;  /* do not set the device read-only (not advised) */
	const char *sysfs;    /* NULL: "/sys" */
	const int *cancel_fd; /* a stream's reads give way to a signal here; may be NULL */
	int stream_fd;        /* the stream "-" is read from here: 0, standard input */
};

/* The name of standard input as a source. */
#define SOURCE_STREAM "-"

struct source_info {
	const char *path;
	uint64_t size;            /* bytes to acquire: the window */
	uint64_t total_size;      /* the whole file or device */
	uint64_t offset;          /* where the window starts */
	uint32_t logical_sector;  /* bytes; 0 for a file */
	uint32_t physical_sector; /* bytes; 0 when unknown */
	bool is_device;
	bool is_stream;     /* standard input: size unknown until its end */
	bool write_blocked; /* set read-only by custos while acquired */
	bool direct_io;     /* read with O_DIRECT */
	dev_t device;       /* st_rdev of a device, st_dev of a file */
	ino_t inode;
	struct source_device_info identity; /* devices only */
	struct ata_hidden ata;              /* what an ATA drive says: HPA, DCO */
};

/* Buffers given to source_read must be aligned to this. */
#define SOURCE_ALIGN 4096U

struct source;

/* "block_device", "file" or "stream", as the summary and the record name it. */
const char *source_type_name(const struct source_info *si);

int source_open(struct source **out, const struct source_options *o, struct cu_error *err);
const struct source_info *source_info(const struct source *s);

/* Restricts an open source to [offset, offset + length) (length 0: to the end). */
int source_set_window(struct source *s, uint64_t offset, uint64_t length, struct cu_error *err);

/*
 * Reads up to `len` bytes at `offset` inside the window.  Returns the count
 * (0 only at its end) or -1 with `err` set and *errnum the errno.  A stream
 * is read at the offset it has reached, and each read is filled unless the
 * stream ends; a signal on the cancel descriptor is -1 with EINTR.
 */
ssize_t source_read(struct source *s, void *buf, size_t len, uint64_t offset, int *errnum,
                    struct cu_error *err);

/* Restores the device's read-only state and closes. */
void source_close(struct source *s);

#endif
