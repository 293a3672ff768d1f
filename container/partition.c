/*
 * partition.c - MBR and GPT, parsed with every field bounded.
 *
 * Layouts (facts from the UEFI specification, chapter 5, and the MBR as
 * every PC BIOS reads it): the MBR's four 16-byte entries at byte 446
 * (type at +4, first LBA at +8, sector count at +12, little-endian), the
 * signature 0x55 0xAA at 510; an extended partition's EBRs each hold one
 * logical partition (relative to that EBR) and a link to the next EBR
 * (relative to the extended partition's start).  The GPT header at LBA 1:
 * "EFI PART", its size at +12, its CRC-32 at +16 (computed with that field
 * zeroed), its own LBA at +24, the usable area at +40 and +48, the entry
 * array's LBA at +72, count at +80, entry size at +84 and CRC-32 at +88;
 * each entry: type GUID, unique GUID, first and last LBA (inclusive).
 */
#include "container/partition.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libdeflate.h>

#include "lib/le.h"

#define GPT_ENTRIES_MAX 4096
#define GPT_ENTRY_MIN   128
#define GPT_ENTRY_MAX   4096
#define GPT_HEADER_MIN  92
#define EBR_CHAIN_MAX   PARTITIONS_MAX
#define SECTOR_SIZE_MAX 65536

static bool mbr_extended(uint8_t type)
{
	return type == 0x05 || type == 0x0f || type == 0x85;
}

static int within_medium(unsigned number, uint64_t first, uint64_t count, uint32_t ss,
                         uint64_t media_size, struct cu_error *err)
{
	if (!count || first > media_size / ss || count > media_size / ss - first)
		return cu_error_set(err, CU_EFAIL,
		                    "partition %u (sectors %llu+%llu) lies outside the medium",
		                    number, (unsigned long long)first, (unsigned long long)count);
	return CU_OK;
}

/* Adds a partition of sectors [first, first + count), checked against the medium and the others. */
static int table_add(struct partition_table *t, unsigned number, uint64_t first, uint64_t count,
                     uint32_t ss, uint64_t media_size, const char *type, struct cu_error *err)
{
	struct partition *p;
	int rc;

	if (t->n == PARTITIONS_MAX)
		return cu_error_set(err, CU_EFAIL, "more than %d partitions", PARTITIONS_MAX);
	if ((rc = within_medium(number, first, count, ss, media_size, err)))
		return rc;
	for (size_t i = 0; i < t->n; i++)
		if (first * ss < t->v[i].offset + t->v[i].length &&
		    t->v[i].offset < (first + count) * ss)
			return cu_error_set(err, CU_EFAIL, "partitions %u and %u overlap",
			                    t->v[i].number, number);
	p = &t->v[t->n++];
	*p = (struct partition){.number = number, .offset = first * ss, .length = count * ss};
	snprintf(p->type, sizeof(p->type), "%s", type);
	return CU_OK;
}

static int read_sector(partition_read_fn read, void *ctx, uint64_t lba, uint32_t ss,
                       uint64_t media_size, uint8_t *buf, struct cu_error *err)
{
	if (lba >= media_size / ss)
		return cu_error_set(err, CU_EFAIL, "a partition table points past the medium");
	return read(ctx, lba * ss, buf, ss, err);
}

/* The logical partitions of the extended partition at sector `base`, numbered from 5. */
static int mbr_logical(partition_read_fn read, void *ctx, uint64_t base, uint64_t ext_count,
                       uint32_t ss, uint64_t media_size, struct partition_table *t, uint8_t *buf,
                       struct cu_error *err)
{
	uint64_t link = 0;
	unsigned number = 5;
	char type[8];
	int rc;

	for (int hops = 0; hops < EBR_CHAIN_MAX; hops++) {
		const uint8_t *e = buf + 446;
		uint64_t ebr = base + link, first, count;

		if ((rc = read_sector(read, ctx, ebr, ss, media_size, buf, err)))
			return rc;
		if (buf[510] != 0x55 || buf[511] != 0xaa)
			return cu_error_set(err, CU_EFAIL,
			                    "an extended partition's EBR has no signature");
		first = cu_le32_get(e + 8);
		count = cu_le32_get(e + 12);
		if (e[4] && count) {
			snprintf(type, sizeof(type), "0x%02x", e[4]);
			if ((rc = table_add(t, number++, ebr + first, count, ss, media_size, type,
			                    err)))
				return rc;
		}
		link = cu_le32_get(e + 16 + 8);
		if (!e[16 + 4] || !link)
			return CU_OK;
		if (link >= ext_count)
			return cu_error_set(err, CU_EFAIL,
			                    "an EBR links outside its extended partition");
	}
	return cu_error_set(err, CU_EFAIL, "the chain of EBRs does not end");
}

static int mbr_read(partition_read_fn read, void *ctx, uint32_t ss, uint64_t media_size,
                    struct partition_table *t, uint8_t *buf, struct cu_error *err)
{
	uint8_t mbr[512];
	bool extended_seen = false;
	char type[8];
	int rc;

	memcpy(mbr, buf, sizeof(mbr));
	t->scheme = "mbr";
	for (unsigned i = 0; i < 4; i++) {
		const uint8_t *e = mbr + 446 + 16 * i;
		uint64_t first = cu_le32_get(e + 8), count = cu_le32_get(e + 12);

		if (!e[4] || !count)
			continue;
		snprintf(type, sizeof(type), "0x%02x", e[4]);
		if (!mbr_extended(e[4])) {
			if ((rc = table_add(t, i + 1, first, count, ss, media_size, type, err)))
				return rc;
			continue;
		}
		/* the extended partition holds the logical ones: they are listed, not it */
		if ((rc = within_medium(i + 1, first, count, ss, media_size, err)))
			return rc;
		if (extended_seen)
			return cu_error_set(err, CU_EFAIL, "two extended partitions");
		extended_seen = true;
		if ((rc = mbr_logical(read, ctx, first, count, ss, media_size, t, buf, err)))
			return rc;
	}
	return CU_OK;
}

static void gpt_guid_text(char *out, size_t cap, const uint8_t *g)
{
	snprintf(out, cap, "%08x-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x", cu_le32_get(g),
	         cu_le16_get(g + 4), cu_le16_get(g + 6), g[8], g[9], g[10], g[11], g[12], g[13],
	         g[14], g[15]);
}

static int gpt_header(const uint8_t *h, uint32_t ss, uint64_t media_size, struct cu_error *err)
{
	uint32_t size = cu_le32_get(h + 12), crc = cu_le32_get(h + 16), entry = cu_le32_get(h + 84);
	uint8_t copy[SECTOR_SIZE_MAX];

	if (memcmp(h, "EFI PART", 8))
		return cu_error_set(err, CU_EFAIL,
		                    "a protective MBR without a GPT header at LBA 1");
	if (size < GPT_HEADER_MIN || size > ss)
		return cu_error_set(err, CU_EFAIL, "the GPT header's size %u is not possible",
		                    size);
	memcpy(copy, h, size);
	memset(copy + 16, 0, 4);
	if (libdeflate_crc32(0, copy, size) != crc)
		return cu_error_set(err, CU_EFAIL, "the GPT header's CRC-32 does not match");
	if (cu_le64_get(h + 24) != 1)
		return cu_error_set(err, CU_EFAIL, "the GPT header does not say it lies at LBA 1");
	if (cu_le32_get(h + 80) > GPT_ENTRIES_MAX || entry < GPT_ENTRY_MIN ||
	    entry > GPT_ENTRY_MAX || entry % 8)
		return cu_error_set(err, CU_EFAIL, "the GPT's entry array is not possible");
	if (cu_le64_get(h + 40) > cu_le64_get(h + 48) || cu_le64_get(h + 48) >= media_size / ss)
		return cu_error_set(err, CU_EFAIL, "the GPT's usable area lies outside the medium");
	return CU_OK;
}

static int gpt_entries(const uint8_t *h, const uint8_t *a, uint32_t ss, uint64_t media_size,
                       struct partition_table *t, struct cu_error *err)
{
	uint32_t count = cu_le32_get(h + 80), size = cu_le32_get(h + 84);
	uint64_t usable_first = cu_le64_get(h + 40), usable_last = cu_le64_get(h + 48);
	static const uint8_t unused[16];
	char type[40];
	int rc;

	if (libdeflate_crc32(0, a, (size_t)count * size) != cu_le32_get(h + 88))
		return cu_error_set(err, CU_EFAIL, "the GPT's entry array CRC-32 does not match");
	for (uint32_t i = 0; i < count; i++) {
		const uint8_t *e = a + (size_t)i * size;
		uint64_t first = cu_le64_get(e + 32), last = cu_le64_get(e + 40);

		if (!memcmp(e, unused, 16))
			continue;
		if (first > last || first < usable_first || last > usable_last)
			return cu_error_set(err, CU_EFAIL,
			                    "GPT entry %u lies outside the usable area", i + 1);
		gpt_guid_text(type, sizeof(type), e);
		if ((rc = table_add(t, i + 1, first, last - first + 1, ss, media_size, type, err)))
			return rc;
	}
	return CU_OK;
}

static int gpt_read(partition_read_fn read, void *ctx, uint32_t ss, uint64_t media_size,
                    struct partition_table *t, uint8_t *buf, struct cu_error *err)
{
	uint8_t header[SECTOR_SIZE_MAX];
	uint8_t *array;
	uint64_t lba, bytes;
	int rc;

	t->scheme = "gpt";
	if ((rc = read_sector(read, ctx, 1, ss, media_size, buf, err)) ||
	    (rc = gpt_header(buf, ss, media_size, err)))
		return rc;
	memcpy(header, buf, ss);
	lba = cu_le64_get(header + 72);
	bytes = (uint64_t)cu_le32_get(header + 80) * cu_le32_get(header + 84);
	if (lba < 2 || lba >= media_size / ss || bytes > media_size - lba * ss)
		return cu_error_set(err, CU_EFAIL, "the GPT's entry array lies outside the medium");
	if (!(array = malloc(bytes ? (size_t)bytes : 1)))
		return cu_error_set(err, CU_EFAIL, "out of memory");
	rc = bytes ? read(ctx, lba * ss, array, (size_t)bytes, err) : CU_OK;
	if (!rc)
		rc = gpt_entries(header, array, ss, media_size, t, err);
	free(array);
	return rc;
}

int partition_table_read(partition_read_fn read, void *ctx, uint64_t media_size,
                         uint32_t sector_size, struct partition_table *out, struct cu_error *err)
{
	uint8_t *buf;
	bool protective = false;
	int rc;

	memset(out, 0, sizeof(*out));
	if (sector_size < 512 || sector_size > SECTOR_SIZE_MAX || (sector_size & (sector_size - 1)))
		return cu_error_set(err, CU_EFAIL, "sectors of %u bytes hold no partition table",
		                    (unsigned)sector_size);
	if (media_size / sector_size < 2)
		return CU_OK;
	if (!(buf = malloc(sector_size)))
		return cu_error_set(err, CU_EFAIL, "out of memory");
	rc = read(ctx, 0, buf, sector_size, err);
	if (!rc && buf[510] == 0x55 && buf[511] == 0xaa) {
		for (int i = 0; i < 4; i++)
			protective |= buf[446 + 16 * i + 4] == 0xee;
		rc = protective ? gpt_read(read, ctx, sector_size, media_size, out, buf, err)
		                : mbr_read(read, ctx, sector_size, media_size, out, buf, err);
	}
	free(buf);
	if (rc)
		out->n = 0;
	return rc;
}
