/*
 * aff4_evidence.c - the AFF4 backend of the evidence interface (evidence.h):
 * a file whose first bytes are a ZIP local header, read as an AFF4 Standard
 * v1.0 volume (aff4_image_read.h).
 *
 * A ZIP without information.turtle is not evidence (CU_EUSAGE).  The
 * volume is its one file.  Its stored digests are the linear media digests
 * on the image (aff4:hash typed MD5, SHA1, SHA256; the reference images
 * state none); its read errors the sectors the map gives to
 * aff4:UnreadableData; its header values the case (CaseDetails, CaseNotes)
 * and the drive (diskModel, diskSerial); its acquisition date the
 * TimeStamps' startTime, else the volume's creationTime.  The scan also
 * proves the media by the volume's own hashes where it holds them
 * (evidence_scan_result.self_proved).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "container/aff4/aff4_image_read.h"
#include "container/evidence.h"

static bool aff4e_claims(const uint8_t *head, size_t n)
{
	return n >= 4 && !memcmp(head, "PK\3\4", 4);
}

static int aff4e_open(void **state, const char *path, const struct evidence_records *records,
                      struct cu_error *err)
{
	(void)records; /* the volume holds its own metadata */
	return aff4_image_open((struct aff4_image **)state, path, err);
}

static void aff4e_close(void *state)
{
	aff4_image_close(state);
}

static uint64_t aff4e_media_size(const void *state)
{
	return aff4_image_media_size(state);
}

static uint32_t aff4e_bytes_per_sector(const void *state)
{
	return aff4_image_sector_size(state);
}

static uint32_t aff4e_chunk_size(const void *state)
{
	return aff4_image_chunk_size(state);
}

static void aff4e_facts(const void *state, struct evidence_facts *f)
{
	const struct cu_digests *d = aff4_image_linear(state);
	uint64_t bps = aff4_image_sector_size(state);

	f->container = "aff4";
	f->format = "AFF4";
	f->sectors_per_chunk = (uint32_t)(aff4_image_chunk_size(state) / bps);
	f->compression = aff4_image_compression(state);
	f->sectors = aff4_image_media_size(state) / bps + (aff4_image_media_size(state) % bps != 0);
	f->digests_inside =
	    d->have[CU_HASH_MD5] || d->have[CU_HASH_SHA1] || d->have[CU_HASH_SHA256];
}

static void aff4e_stored_digests(const void *state, struct cu_digests *d)
{
	*d = *aff4_image_linear(state);
}

static int aff4e_read_errors(const void *state, struct cu_ranges *out, struct cu_error *err)
{
	return aff4_image_unreadable(state, out, err);
}

static size_t aff4e_file_count(const void *state)
{
	(void)state;
	return 1;
}

static const char *aff4e_file_name(const void *state, size_t i)
{
	return i == 0 ? aff4_image_path(state) : NULL;
}

static int aff4e_chain_check(const void *state, char *problem, size_t cap)
{
	(void)state, (void)problem, (void)cap;
	return 0; /* one volume: no chain */
}

static int aff4e_header_value(const void *state, const char *id, char **out, struct cu_error *err)
{
	static const struct {
		const char *id, *klass, *property;
	} map[] = {{"case_number", "CaseDetails", "caseNumber"},
	           {"case_number", "CaseNotes", "caseNumber"},
	           {"evidence_number", "CaseDetails", "evidenceNumber"},
	           {"evidence_number", "CaseNotes", "evidenceNumber"},
	           {"examiner_name", "CaseDetails", "examiner"},
	           {"examiner_name", "CaseNotes", "examiner"},
	           {"description", "CaseDetails", "caseDescription"},
	           {"notes", "CaseDetails", "notes"},
	           {"notes", "CaseNotes", "notes"},
	           {"model", "Image", "diskModel"},
	           {"serial_number", "Image", "diskSerial"}};
	const char *v = NULL;

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]) && !v; i++)
		if (!strcmp(id, map[i].id))
			v = aff4_image_value(state, map[i].klass, map[i].property);
	*out = NULL;
	if (v && !(*out = strdup(v)))
		return cu_error_set(err, CU_EFAIL, "out of memory");
	return CU_OK;
}

/* An xsd:dateTime as stored, when it has that shape; else "". */
static char *aff4e_date(const char *v)
{
	return strdup(v && strlen(v) >= 10 && strlen(v) < 40 &&
	                      strspn(v, "0123456789-:T.Z+") == strlen(v)
	                  ? v
	                  : "");
}

static int aff4e_dates(const void *state, struct evidence_dates *out, struct cu_error *err)
{
	const char *start = aff4_image_value(state, "TimeStamps", "startTime");

	out->acquired =
	    aff4e_date(start ? start : aff4_image_value(state, "ZipVolume", "creationTime"));
	out->system = strdup("");
	if (out->acquired && out->system)
		return CU_OK;
	evidence_dates_free(out);
	return cu_error_set(err, CU_EFAIL, "out of memory");
}

static int aff4e_scan(void *state, unsigned threads, const bool want[CU_HASH_COUNT],
                      evidence_media_sink sink, void *ctx, struct evidence_scan_result *out,
                      struct cu_error *err)
{
	return aff4_image_scan(state, threads, want, sink, ctx, out, err);
}

static int aff4e_cursor_open(void *state, void **cursor, struct cu_error *err)
{
	return aff4_image_cursor_open(state, (struct aff4_image_cursor **)cursor, err);
}

static int aff4e_cursor_read(void *cursor, struct evidence_chunk *c, struct cu_error *err)
{
	return aff4_image_cursor_read(cursor, c, err);
}

static void aff4e_cursor_close(void *cursor)
{
	aff4_image_cursor_close(cursor);
}

const struct evidence_ops evidence_aff4_ops = {
    .name = "aff4",
    .claims = aff4e_claims,
    .open = aff4e_open,
    .close = aff4e_close,
    .media_size = aff4e_media_size,
    .bytes_per_sector = aff4e_bytes_per_sector,
    .chunk_size = aff4e_chunk_size,
    .facts = aff4e_facts,
    .stored_digests = aff4e_stored_digests,
    .read_errors = aff4e_read_errors,
    .file_count = aff4e_file_count,
    .file_name = aff4e_file_name,
    .chain_check = aff4e_chain_check,
    .header_value = aff4e_header_value,
    .dates = aff4e_dates,
    .scan = aff4e_scan,
    .cursor_open = aff4e_cursor_open,
    .cursor_read = aff4e_cursor_read,
    .cursor_close = aff4e_cursor_close,
};
