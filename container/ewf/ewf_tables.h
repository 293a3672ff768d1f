/*
 * ewf_tables.h - the chunk tables of an EWF set, checked before libewf
 * reads a chunk through them.
 *
 * libewf sizes the buffer of a chunk from its table: the distance to the
 * next entry, or, for a table's last entry, to the section that holds it.
 * A damaged or hostile table can make that gigabytes, which libewf then
 * allocates.  custos walks every "table" and "table2" section first, works
 * out each chunk's stored size the way the format defines it (offsets of 31
 * bits with the compression flag above them; past 2 GiB in a segment, as
 * EnCase 6.7 writes them, offsets of 32 bits; the last chunk running to its
 * table, or to its table's end), and refuses a set in which any chunk would
 * be larger than a stored chunk can be.
 */
#ifndef CUSTOS_CONTAINER_EWF_TABLES_H
#define CUSTOS_CONTAINER_EWF_TABLES_H

#include <stddef.h>
#include <stdint.h>

/*
 * Checks the tables of the segment files `paths`: no chunk may be stored in
 * more than `limit` bytes.  Returns 0, or -1 with one line in `problem`.
 * Sections it cannot walk are left to the chain check (ewf_chain.h).
 */
int ewf_tables_check(const char *const *paths, size_t n, uint64_t limit, char *problem, size_t cap);

#endif
