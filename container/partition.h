/*
 * partition.h - the partitions of a medium, from its MBR or its GPT, read
 * as hostile input (for custos mount --partitions, issue 22).
 *
 * The medium is read through a callback (evidence media, a file, a test's
 * buffer).  A protective MBR (type 0xEE) gives way to the GPT at LBA 1: its
 * header and its entry array are taken only when both CRC-32s hold, the
 * header lies where it says, and every entry lies within the usable area;
 * otherwise the table is refused, never guessed at.  An MBR's primary
 * entries are numbered 1 to 4, and the logical partitions of an extended
 * one, followed through its chain of EBRs (at most PARTITIONS_MAX, no
 * loop), from 5, as Linux numbers them; the extended partition itself (a
 * container of the logical ones) is checked but not listed.  Every partition must lie within
 * the medium, and no two may overlap.
 */
#ifndef CUSTOS_CONTAINER_PARTITION_H
#define CUSTOS_CONTAINER_PARTITION_H

#include <stddef.h>
#include <stdint.h>

#include "lib/error.h"

#define PARTITIONS_MAX 128

struct partition {
	unsigned number; /* as Linux names it: sdX1, sdX5 ... */
	uint64_t offset; /* bytes from the start of the medium */
	uint64_t length; /* bytes */
	char type[40];   /* "0x83", or a GPT type GUID */
};

struct partition_table {
	const char *scheme; /* "mbr", "gpt", or NULL: none */
	struct partition v[PARTITIONS_MAX];
	size_t n;
};

/* Reads `len` bytes of the medium at `offset` into `buf`, whole, or fails. */
typedef int (*partition_read_fn)(void *ctx, uint64_t offset, void *buf, size_t len,
                                 struct cu_error *err);

/*
 * The table of a medium of `media_size` bytes in sectors of `sector_size`:
 * CU_OK with out->scheme NULL when there is none (no 0x55AA signature);
 * CU_EFAIL, saying what is wrong, for a table that does not hold.
 */
int partition_table_read(partition_read_fn read, void *ctx, uint64_t media_size,
                         uint32_t sector_size, struct partition_table *out, struct cu_error *err);

#endif
