/*
 * ewf_size.c - the most bytes an E01 set written with given options can
 * take: every chunk stored raw with its checksum (no chunk compressing), a
 * table and its copy (table2) for every group of chunks, and each
 * segment's fixed sections.  An acquisition checks its destinations'
 * room against it before reading (acquire/dest/room.c).
 */
#include "container/ewf/ewf_writer.h"

#include "container/ewf/ewf_format.h"

/* Per segment: file header, header, header2 and volume (or data) sections, next or done. */
#define SEGMENT_FIXED (64ULL << 10)
/* Per set: the hash and digest sections, error2 with its entries, slack. */
#define SET_FIXED (1ULL << 20)

uint64_t ewf_writer_worst_size(const struct ewf_writer_options *o)
{
	uint64_t chunk = (uint64_t)o->bytes_per_sector * o->sectors_per_chunk;
	uint64_t chunks = chunk ? (o->sector_count * o->bytes_per_sector + chunk - 1) / chunk : 0;
	uint64_t entries = o->table_entries_max ? o->table_entries_max : EWF_TABLE_ENTRIES_DEFAULT;
	uint64_t groups = chunks / entries + 1;
	uint64_t group_bytes =
	    3 * EWF_SECTION_DESC_SIZE + 2 * (EWF_TABLE_HEADER_SIZE + EWF_TABLE_FOOTER_SIZE);
	uint64_t data =
	    chunks * (chunk + EWF_CHECKSUM_SIZE) + chunks * 2 * 4 + groups * group_bytes;
	uint64_t room = o->segment_size > 2 * SEGMENT_FIXED ? o->segment_size - SEGMENT_FIXED : 0;
	uint64_t segments = room ? data / room + 1 : 1;

	return data + segments * SEGMENT_FIXED + SET_FIXED;
}
