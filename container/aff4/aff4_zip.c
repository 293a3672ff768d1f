/*
 * aff4_zip.c - the ZIP64 records of an AFF4 volume, written forward.
 *
 * Record layouts (PKWARE's APPNOTE, as container/aff4/FORMAT.md section 1
 * gives them for AFF4): the local header (30 bytes, version 4.5, flags
 * 0x0008, method 0, CRC 0, sizes 0xFFFFFFFF, then the name and a 20-byte
 * ZIP64 extra field of placeholders), the ZIP64 data descriptor (24 bytes),
 * the central directory entry (46 bytes, the name, and a ZIP64 extra field
 * holding, in this order, the uncompressed size, the compressed size and
 * the local header's offset, each only when it does not fit in 32 bits),
 * the ZIP64 end record (56 bytes) and its locator (20), and the end record
 * (22) with the comment.  All integers are little-endian.
 */
#include "container/aff4/aff4_zip.h"

#include <libdeflate.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "lib/grow.h"
#include "lib/le.h"

#define SIG_LOCAL       0x04034b50U
#define SIG_DESCRIPTOR  0x08074b50U
#define SIG_CENTRAL     0x02014b50U
#define SIG_END64       0x06064b50U
#define SIG_LOCATOR64   0x07064b50U
#define SIG_END         0x06054b50U
#define VERSION         45 /* 4.5: ZIP64 */
#define FLAG_DESCRIPTOR 0x0008
#define MAX32           0xFFFFFFFFULL
#define NAME_MAX16      0xFFFFU

struct zip_member {
	char *name;
	uint32_t crc;
	uint64_t size, offset;
};

struct aff4_zip {
	struct aff4_zip_sink sink;
	uint16_t dos_time, dos_date;
	uint64_t offset;
	struct zip_member *v;
	size_t n, cap;
	bool open; /* a member is begun */
};

static int zip_put(struct aff4_zip *z, const void *data, size_t len, struct cu_error *err)
{
	int rc = z->sink.write(z->sink.ctx, data, len, err);

	if (!rc)
		z->offset += len;
	return rc;
}

/* The DOS date and time of `when`, UTC; 1980-01-01 at the earliest. */
static void zip_dos_time(struct aff4_zip *z, time_t when)
{
	struct tm tm;

	if (!gmtime_r(&when, &tm) || tm.tm_year < 80)
		tm = (struct tm){.tm_year = 80, .tm_mday = 1};
	z->dos_time = (uint16_t)(tm.tm_hour << 11 | tm.tm_min << 5 | tm.tm_sec / 2);
	z->dos_date = (uint16_t)((tm.tm_year - 80) << 9 | (tm.tm_mon + 1) << 5 | tm.tm_mday);
}

int aff4_zip_new(struct aff4_zip **out, const struct aff4_zip_sink *sink, time_t when,
                 struct cu_error *err)
{
	struct aff4_zip *z = calloc(1, sizeof(*z));

	if (!z)
		return cu_error_set(err, CU_EFAIL, "out of memory");
	z->sink = *sink;
	zip_dos_time(z, when);
	*out = z;
	return CU_OK;
}

int aff4_zip_member_begin(struct aff4_zip *z, const char *name, struct cu_error *err)
{
	size_t len = strlen(name);
	uint8_t h[30 + 20];
	struct zip_member *m;
	int rc;

	if (z->open)
		return cu_error_set(err, CU_EFAIL, "zip: %s begun inside another member", name);
	if (len == 0 || len > NAME_MAX16 - 1)
		return cu_error_set(err, CU_EFAIL, "zip: a member name of %zu bytes", len);
	if (cu_grow(&z->v, &z->cap, z->n, sizeof(*z->v)) || !(name = strdup(name)))
		return cu_error_set(err, CU_EFAIL, "out of memory");
	m = &z->v[z->n++];
	*m = (struct zip_member){.name = (char *)name, .offset = z->offset};
	cu_le32_put(h, SIG_LOCAL);
	cu_le16_put(h + 4, VERSION);
	cu_le16_put(h + 6, FLAG_DESCRIPTOR);
	cu_le16_put(h + 8, 0); /* stored */
	cu_le16_put(h + 10, z->dos_time);
	cu_le16_put(h + 12, z->dos_date);
	cu_le32_put(h + 14, 0); /* CRC-32: in the descriptor */
	cu_le32_put(h + 18, (uint32_t)MAX32);
	cu_le32_put(h + 22, (uint32_t)MAX32);
	cu_le16_put(h + 26, (uint16_t)len);
	cu_le16_put(h + 28, 20);
	cu_le16_put(h + 30, 0x0001); /* the ZIP64 extra field, sizes to come */
	cu_le16_put(h + 32, 16);
	cu_le64_put(h + 34, UINT64_MAX);
	cu_le64_put(h + 42, UINT64_MAX);
	if ((rc = zip_put(z, h, 30, err)) || (rc = zip_put(z, name, len, err)) ||
	    (rc = zip_put(z, h + 30, 20, err)))
		return rc;
	z->open = true;
	return CU_OK;
}

int aff4_zip_member_write(struct aff4_zip *z, const void *data, size_t len, struct cu_error *err)
{
	struct zip_member *m = &z->v[z->n - 1];
	int rc;

	if (!z->open)
		return cu_error_set(err, CU_EFAIL, "zip: data outside a member");
	if ((rc = zip_put(z, data, len, err)))
		return rc;
	m->crc = libdeflate_crc32(m->crc, data, len);
	m->size += len;
	return CU_OK;
}

int aff4_zip_member_end(struct aff4_zip *z, struct cu_error *err)
{
	const struct zip_member *m = &z->v[z->n - 1];
	uint8_t d[24];

	if (!z->open)
		return cu_error_set(err, CU_EFAIL, "zip: no member to end");
	z->open = false;
	cu_le32_put(d, SIG_DESCRIPTOR);
	cu_le32_put(d + 4, m->crc);
	cu_le64_put(d + 8, m->size);
	cu_le64_put(d + 16, m->size);
	return zip_put(z, d, sizeof(d), err);
}

int aff4_zip_member(struct aff4_zip *z, const char *name, const void *data, size_t len,
                    struct cu_error *err)
{
	int rc;

	if ((rc = aff4_zip_member_begin(z, name, err)) ||
	    (rc = aff4_zip_member_write(z, data, len, err)))
		return rc;
	return aff4_zip_member_end(z, err);
}

/* One central directory entry, with the ZIP64 extra field its values need. */
static int zip_central_entry(struct aff4_zip *z, const struct zip_member *m, struct cu_error *err)
{
	uint8_t h[46], extra[4 + 24];
	size_t len = strlen(m->name), x = 4;
	int rc;

	if (m->size >= MAX32) { /* uncompressed, then compressed: stored, the same */
		cu_le64_put(extra + x, m->size);
		cu_le64_put(extra + x + 8, m->size);
		x += 16;
	}
	if (m->offset >= MAX32) {
		cu_le64_put(extra + x, m->offset);
		x += 8;
	}
	cu_le16_put(extra, 0x0001);
	cu_le16_put(extra + 2, (uint16_t)(x - 4));
	if (x == 4)
		x = 0;
	cu_le32_put(h, SIG_CENTRAL);
	cu_le16_put(h + 4, VERSION); /* made by: MS-DOS attributes, 4.5 */
	cu_le16_put(h + 6, VERSION);
	cu_le16_put(h + 8, FLAG_DESCRIPTOR);
	cu_le16_put(h + 10, 0);
	cu_le16_put(h + 12, z->dos_time);
	cu_le16_put(h + 14, z->dos_date);
	cu_le32_put(h + 16, m->crc);
	cu_le32_put(h + 20, (uint32_t)(m->size >= MAX32 ? MAX32 : m->size));
	cu_le32_put(h + 24, (uint32_t)(m->size >= MAX32 ? MAX32 : m->size));
	cu_le16_put(h + 28, (uint16_t)len);
	cu_le16_put(h + 30, (uint16_t)x);
	memset(h + 32, 0, 10); /* comment length, disk, internal and external attributes */
	cu_le32_put(h + 42, (uint32_t)(m->offset >= MAX32 ? MAX32 : m->offset));
	if ((rc = zip_put(z, h, sizeof(h), err)) || (rc = zip_put(z, m->name, len, err)))
		return rc;
	return x ? zip_put(z, extra, x, err) : CU_OK;
}

/* The ZIP64 end record and its locator, always (AFF4: every header ZIP64). */
static int zip_end64(struct aff4_zip *z, uint64_t cd_offset, uint64_t cd_size, struct cu_error *err)
{
	uint8_t e[56 + 20];
	uint64_t at = z->offset;

	cu_le32_put(e, SIG_END64);
	cu_le64_put(e + 4, 44); /* the size of what follows */
	cu_le16_put(e + 12, VERSION);
	cu_le16_put(e + 14, VERSION);
	cu_le32_put(e + 16, 0); /* this disk */
	cu_le32_put(e + 20, 0); /* the disk of the central directory */
	cu_le64_put(e + 24, z->n);
	cu_le64_put(e + 32, z->n);
	cu_le64_put(e + 40, cd_size);
	cu_le64_put(e + 48, cd_offset);
	cu_le32_put(e + 56, SIG_LOCATOR64);
	cu_le32_put(e + 60, 0);
	cu_le64_put(e + 64, at);
	cu_le32_put(e + 72, 1); /* disks */
	return zip_put(z, e, sizeof(e), err);
}

int aff4_zip_finish(struct aff4_zip *z, const char *comment, struct cu_error *err)
{
	size_t clen = comment ? strlen(comment) : 0;
	uint64_t cd_offset = z->offset, cd_size;
	uint8_t e[22];
	int rc;

	if (z->open)
		return cu_error_set(err, CU_EFAIL, "zip: the last member was not ended");
	if (clen > NAME_MAX16)
		return cu_error_set(err, CU_EFAIL, "zip: a comment of %zu bytes", clen);
	for (size_t i = 0; i < z->n; i++)
		if ((rc = zip_central_entry(z, &z->v[i], err)))
			return rc;
	cd_size = z->offset - cd_offset;
	if ((rc = zip_end64(z, cd_offset, cd_size, err)))
		return rc;
	cu_le32_put(e, SIG_END);
	cu_le16_put(e + 4, 0);
	cu_le16_put(e + 6, 0);
	cu_le16_put(e + 8, (uint16_t)(z->n >= NAME_MAX16 ? NAME_MAX16 : z->n));
	cu_le16_put(e + 10, (uint16_t)(z->n >= NAME_MAX16 ? NAME_MAX16 : z->n));
	cu_le32_put(e + 12, (uint32_t)(cd_size >= MAX32 ? MAX32 : cd_size));
	cu_le32_put(e + 16, (uint32_t)(cd_offset >= MAX32 ? MAX32 : cd_offset));
	cu_le16_put(e + 20, (uint16_t)clen);
	if ((rc = zip_put(z, e, sizeof(e), err)))
		return rc;
	return clen ? zip_put(z, comment, clen, err) : CU_OK;
}

uint64_t aff4_zip_offset(const struct aff4_zip *z)
{
	return z->offset;
}

void aff4_zip_free(struct aff4_zip *z)
{
	if (!z)
		return;
	for (size_t i = 0; i < z->n; i++)
		free(z->v[i].name);
	free(z->v);
	free(z);
}
