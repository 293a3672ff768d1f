/*
 * ewf_sections.c - byte layouts of the EWF-E01 structures.
 *
 * Offsets and sizes follow the published descriptions of the format (the
 * keramics and libyal format notes); every checksum is an Adler-32 over the
 * bytes that precede it in the structure.
 */
#include "container/ewf/ewf_sections.h"

#include <libdeflate.h>
#include <string.h>

const uint8_t ewf_signature[8] = {'E', 'V', 'F', 0x09, 0x0d, 0x0a, 0xff, 0x00};

uint32_t ewf_adler32(const void *data, size_t len)
{
	return libdeflate_adler32(1, data, len);
}

void ewf_file_header_pack(uint8_t out[EWF_FILE_HEADER_SIZE], uint16_t segment)
{
	memcpy(out, ewf_signature, 8);
	out[8] = 0x01;
	cu_le16_put(out + 9, segment);
	cu_le16_put(out + 11, 0);
}

void ewf_section_desc_pack(uint8_t out[EWF_SECTION_DESC_SIZE], const char *type, uint64_t next,
                           uint64_t size)
{
	memset(out, 0, EWF_SECTION_DESC_SIZE);
	memcpy(out, type, strnlen(type, 16));
	cu_le64_put(out + 16, next);
	cu_le64_put(out + 24, size);
	cu_le32_put(out + 72, ewf_adler32(out, 72));
}

void ewf_volume_pack(uint8_t out[EWF_VOLUME_DATA_SIZE], const struct ewf_volume_info *v)
{
	memset(out, 0, EWF_VOLUME_DATA_SIZE);
	out[0] = v->media_type;
	cu_le32_put(out + 4, v->chunk_count);
	cu_le32_put(out + 8, v->sectors_per_chunk);
	cu_le32_put(out + 12, v->bytes_per_sector);
	cu_le64_put(out + 16, v->sector_count);
	out[36] = v->media_flags;
	out[52] = v->compression_level;
	cu_le32_put(out + 56, v->error_granularity);
	memcpy(out + 64, v->guid, 16);
	cu_le32_put(out + 1048, ewf_adler32(out, 1048));
}

bool ewf_volume_unpack(const uint8_t in[EWF_VOLUME_DATA_SIZE], struct ewf_volume_info *v)
{
	memset(v, 0, sizeof(*v));
	if (ewf_adler32(in, 1048) != cu_le32_get(in + 1048))
		return false;
	v->media_type = in[0];
	v->chunk_count = cu_le32_get(in + 4);
	v->sectors_per_chunk = cu_le32_get(in + 8);
	v->bytes_per_sector = cu_le32_get(in + 12);
	v->sector_count = cu_le64_get(in + 16);
	v->media_flags = in[36];
	v->compression_level = in[52];
	v->error_granularity = cu_le32_get(in + 56);
	memcpy(v->guid, in + 64, 16);
	return true;
}

void ewf_table_header_pack(uint8_t out[EWF_TABLE_HEADER_SIZE], uint32_t entries,
                           uint64_t base_offset)
{
	memset(out, 0, EWF_TABLE_HEADER_SIZE);
	cu_le32_put(out, entries);
	cu_le64_put(out + 8, base_offset);
	cu_le32_put(out + 20, ewf_adler32(out, 20));
}

void ewf_hash_pack(uint8_t out[EWF_HASH_DATA_SIZE], const uint8_t md5[16])
{
	memset(out, 0, EWF_HASH_DATA_SIZE);
	memcpy(out, md5, 16);
	cu_le32_put(out + 32, ewf_adler32(out, 32));
}

void ewf_digest_pack(uint8_t out[EWF_DIGEST_DATA_SIZE], const uint8_t md5[16],
                     const uint8_t sha1[20])
{
	memset(out, 0, EWF_DIGEST_DATA_SIZE);
	memcpy(out, md5, 16);
	memcpy(out + 16, sha1, 20);
	cu_le32_put(out + 76, ewf_adler32(out, 76));
}

size_t ewf_error2_size(size_t n)
{
	return EWF_ERROR2_HEADER_SIZE + n * EWF_ERROR2_ENTRY_SIZE + EWF_CHECKSUM_SIZE;
}

void ewf_error2_pack(uint8_t *out, const struct cu_range *ranges, size_t n)
{
	uint8_t *entries = out + EWF_ERROR2_HEADER_SIZE;

	memset(out, 0, EWF_ERROR2_HEADER_SIZE);
	cu_le32_put(out, (uint32_t)n);
	cu_le32_put(out + 516, ewf_adler32(out, 516));
	for (size_t i = 0; i < n; i++) {
		cu_le32_put(entries + 8 * i, (uint32_t)ranges[i].first);
		cu_le32_put(entries + 8 * i + 4, (uint32_t)ranges[i].count);
	}
	cu_le32_put(entries + 8 * n, ewf_adler32(entries, 8 * n));
}
