/*
 * ewf_sections.h - packing the fixed-layout parts of an E01 segment file.
 *
 * Pure functions: each fills a caller-provided buffer with one structure as
 * it lies on disk, checksums included.  The writer decides where they go.
 */
#ifndef CUSTOS_CONTAINER_EWF_SECTIONS_H
#define CUSTOS_CONTAINER_EWF_SECTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "container/ewf/ewf_format.h"
#include "lib/ranges.h"

struct ewf_volume_info {
	uint8_t media_type;
	uint8_t media_flags;
	uint8_t compression_level; /* 0 none, 1 good (fast), 2 best */
	uint32_t chunk_count;
	uint32_t sectors_per_chunk;
	uint32_t bytes_per_sector;
	uint32_t error_granularity;
	uint64_t sector_count;
	uint8_t guid[16];
};

uint32_t ewf_adler32(const void *data, size_t len);

void ewf_file_header_pack(uint8_t out[EWF_FILE_HEADER_SIZE], uint16_t segment);
void ewf_section_desc_pack(uint8_t out[EWF_SECTION_DESC_SIZE], const char *type, uint64_t next,
                           uint64_t size);
void ewf_volume_pack(uint8_t out[EWF_VOLUME_DATA_SIZE], const struct ewf_volume_info *v);
/* Unpacks volume data; false when its checksum is wrong. */
bool ewf_volume_unpack(const uint8_t in[EWF_VOLUME_DATA_SIZE], struct ewf_volume_info *v);
void ewf_table_header_pack(uint8_t out[EWF_TABLE_HEADER_SIZE], uint32_t entries,
                           uint64_t base_offset);
void ewf_hash_pack(uint8_t out[EWF_HASH_DATA_SIZE], const uint8_t md5[16]);
void ewf_digest_pack(uint8_t out[EWF_DIGEST_DATA_SIZE], const uint8_t md5[16],
                     const uint8_t sha1[20]);

/* Bytes of error2 section data for `n` ranges. */
size_t ewf_error2_size(size_t n);
/* Packs error2 data; ranges must fit in 32 bits (checked by the writer). */
void ewf_error2_pack(uint8_t *out, const struct cu_range *ranges, size_t n);

#endif
