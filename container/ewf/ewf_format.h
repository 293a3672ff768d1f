/*
 * ewf_format.h - the on-disk facts of EWF-E01 (EnCase 6 layout) that the
 * writer needs: sizes, section names, flags, and the section layout.
 *
 * A segment file is a 13-byte file header followed by sections.  Every
 * section starts with a 76-byte descriptor: a 16-byte type name, the absolute
 * offset of the next section, the section's size (descriptor included) and an
 * Adler-32 of the descriptor's first 72 bytes.  The layout custos writes is:
 *
 *   segment 1:  header2 header2 header volume (sectors table table2)+ ...
 *   segment n:  data (sectors table table2)+ ...
 *   not last:   ... next
 *   last:       ... [data, if it is segment 1] [error2] [digest] hash xhash done
 *
 * Table entries are 32-bit offsets relative to the table's base offset (the
 * start of its sectors section), the top bit marking a compressed chunk; a
 * sectors section is therefore kept under 2 GiB, which lets a segment file
 * itself grow past 2 and 4 GiB.
 */
#ifndef CUSTOS_CONTAINER_EWF_FORMAT_H
#define CUSTOS_CONTAINER_EWF_FORMAT_H

#include <stdint.h>
#include <string.h>

#include "lib/le.h"

#define EWF_FILE_HEADER_SIZE   13
#define EWF_SECTION_DESC_SIZE  76
#define EWF_VOLUME_DATA_SIZE   1052
#define EWF_TABLE_HEADER_SIZE  24
#define EWF_TABLE_FOOTER_SIZE  4
#define EWF_HASH_DATA_SIZE     36
#define EWF_DIGEST_DATA_SIZE   80
#define EWF_ERROR2_HEADER_SIZE 520
#define EWF_ERROR2_ENTRY_SIZE  8
#define EWF_CHECKSUM_SIZE      4

/* EnCase 6 reads tables of up to 65534 entries; 16375 suits every reader. */
#define EWF_TABLE_ENTRIES_DEFAULT 16375U
#define EWF_TABLE_ENTRIES_MAX     65534U
#define EWF_TABLE_OFFSET_LIMIT    0x80000000ULL /* 31 bits of offset */
#define EWF_TABLE_COMPRESSED      0x80000000U

#define EWF_MEDIA_REMOVABLE 0x00
#define EWF_MEDIA_FIXED     0x01
#define EWF_MEDIA_OPTICAL   0x03
#define EWF_MEDIA_MEMORY    0x10
#define EWF_FLAG_IMAGE      0x01
#define EWF_FLAG_PHYSICAL   0x02

/* Highest segment number the E01 naming scheme reaches (.ZZZ). */
#define EWF_SEGMENT_MAX 14971U

extern const uint8_t ewf_signature[8];

#endif
