/*
 * aff4_info.c - the triples of an AFF4 volume, through aff4_turtle.
 *
 * The media's linear digests go on the image as aff4:hash literals typed
 * aff4:MD5, aff4:SHA1 and aff4:SHA256 (lower-case hex), which the standard
 * asks for and the reference images leave out; times are xsd:dateTime in
 * UTC; sizes xsd:long, counts xsd:int.
 */
#include "container/aff4/aff4_info.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "container/aff4/aff4_stream.h"
#include "container/aff4/aff4_turtle.h"
#include "lib/timeutil.h"

static void info_u64(struct aff4_turtle *t, const char *property, uint64_t v, const char *type)
{
	char text[24];

	snprintf(text, sizeof(text), "%" PRIu64, v);
	aff4_turtle_typed(t, property, text, type);
}

static void info_time(struct aff4_turtle *t, const char *property, time_t when)
{
	char text[CU_ISO8601_SIZE];

	cu_time_iso8601(text, when);
	aff4_turtle_typed(t, property, text, "xsd:dateTime");
}

static void info_sha512(struct aff4_turtle *t, const char *property, const uint8_t *h,
                        const char *type)
{
	char hex[129];

	if (!h)
		return;
	cu_hex(hex, h, 64);
	aff4_turtle_typed(t, property, hex, type);
}

static void info_volume(struct aff4_turtle *t, const struct aff4_info *i)
{
	static const char *const types[] = {"ZipVolume", NULL};

	aff4_turtle_subject(t, ":", types);
	aff4_turtle_iri(t, "contains", i->image);
	aff4_turtle_iri(t, "contains", i->map);
	aff4_turtle_iri(t, "contains", i->stream);
	aff4_turtle_iri(t, "contains", i->case_details);
	aff4_turtle_iri(t, "contains", i->time_stamps);
	info_time(t, "creationTime", i->finished);
	aff4_turtle_iri(t, "interface", "aff4:Volume");
	aff4_turtle_string(t, "stored", i->stored);
}

static void info_image(struct aff4_turtle *t, const struct aff4_info *i)
{
	static const char *const types[] = {"DiskImage", "ContiguousImage", "Image", NULL};
	static const char *const hash_types[CU_HASH_COUNT] = {"aff4:MD5", "aff4:SHA1",
	                                                      "aff4:SHA256"};
	char hex[2 * CU_HASH_MAX_SIZE + 1];

	aff4_turtle_subject(t, i->image, types);
	aff4_turtle_iri(t, "dataStream", i->map);
	info_u64(t, "size", i->media_size, "xsd:long");
	info_u64(t, "blockSize", i->sector_size, "xsd:int");
	info_u64(t, "sectorCount", (i->media_size + i->sector_size - 1) / i->sector_size,
	         "xsd:long");
	for (int a = 0; a < CU_HASH_COUNT; a++)
		if (i->media.have[a]) {
			cu_hex(hex, cu_digests_get(&i->media, a), cu_hash_size(a));
			aff4_turtle_typed(t, "hash", hex, hash_types[a]);
		}
	info_sha512(t, "hash", i->block_map_hash, "aff4:blockMapHashSHA512");
	aff4_turtle_string(t, "acquisitionCompletionState",
	                   i->complete ? "Completed Normally" : "Completed With Errors");
	aff4_turtle_string(t, "diskMake", i->make);
	aff4_turtle_string(t, "diskModel", i->model);
	aff4_turtle_string(t, "diskSerial", i->serial);
	aff4_turtle_string(t, "diskFirmware", i->firmware);
	aff4_turtle_iri(t, "stored", ":");
}

static void info_map_stream(struct aff4_turtle *t, const struct aff4_info *i)
{
	static const char *const map_types[] = {"Map", NULL}, *const stream_types[] = {
	                                                          "ImageStream", NULL};

	aff4_turtle_subject(t, i->map, map_types);
	info_u64(t, "size", i->media_size, "xsd:long");
	aff4_turtle_iri(t, "dependentStream", i->stream);
	aff4_turtle_iri(t, "mapGapDefaultStream", "aff4:Zero");
	if (i->map_hashes) {
		info_sha512(t, "mapPointHash", i->map_hashes->point, "aff4:SHA512");
		info_sha512(t, "mapIdxHash", i->map_hashes->idx, "aff4:SHA512");
		info_sha512(t, "mapHash", i->map_hashes->map, "aff4:SHA512");
	}
	info_sha512(t, "blockMapHash", i->block_map_hash, "aff4:SHA512");
	aff4_turtle_iri(t, "stored", ":");
	aff4_turtle_iri(t, "target", i->image);
	aff4_turtle_subject(t, i->stream, stream_types);
	info_u64(t, "chunkSize", AFF4_CHUNK_SIZE, "xsd:int");
	info_u64(t, "chunksInSegment", AFF4_CHUNKS_IN_SEGMENT, "xsd:int");
	if (i->compression)
		aff4_turtle_iri(t, "compressionMethod", i->compression);
	info_u64(t, "size", i->stream_size, "xsd:long");
	aff4_turtle_iri(t, "stored", ":");
	aff4_turtle_iri(t, "target", i->map);
}

/* <stream>/blockhash.<alg>: the BlockHashes of each algorithm, with their SHA-512. */
static void info_block_hashes(struct aff4_turtle *t, const struct aff4_info *i)
{
	static const char *const types[] = {"BlockHashes", NULL};
	char iri[4200];

	for (int a = 0; a < CU_HASH_COUNT; a++) {
		if (!i->block_hashes[a])
			continue;
		snprintf(iri, sizeof(iri), "%s/blockhash.%s", i->stream, cu_hash_name(a));
		aff4_turtle_subject(t, iri, types);
		info_sha512(t, "hash", i->block_hashes[a], "aff4:SHA512");
	}
}

static void info_case(struct aff4_turtle *t, const struct aff4_info *i)
{
	static const char *const case_types[] = {"CaseDetails", NULL}, *const time_types[] = {
	                                                                   "TimeStamps", NULL};
	const struct cu_meta *m = i->meta;

	aff4_turtle_subject(t, i->case_details, case_types);
	aff4_turtle_string(t, "caseNumber", m ? m->case_number : NULL);
	aff4_turtle_string(t, "evidenceNumber", m ? m->evidence_number : NULL);
	aff4_turtle_string(t, "examiner", m ? m->examiner : NULL);
	aff4_turtle_string(t, "caseDescription", m ? m->description : NULL);
	aff4_turtle_string(t, "notes", m ? m->notes : NULL);
	aff4_turtle_iri(t, "stored", ":");
	aff4_turtle_iri(t, "target", i->image);
	aff4_turtle_subject(t, i->time_stamps, time_types);
	info_time(t, "startTime", i->started);
	info_time(t, "endTime", i->finished);
	aff4_turtle_string(t, "operation", "CAPTURE");
	aff4_turtle_iri(t, "stored", ":");
	aff4_turtle_iri(t, "target", i->image);
}

int aff4_info_turtle(const struct aff4_info *i, char **out, size_t *len, struct cu_error *err)
{
	struct aff4_turtle *t;
	const char *text;
	int rc;

	if (!i->sector_size)
		return cu_error_set(err, CU_EFAIL, "AFF4: no sector size");
	if ((rc = aff4_turtle_new(&t, i->volume, err)))
		return rc;
	info_volume(t, i);
	info_image(t, i);
	info_map_stream(t, i);
	info_block_hashes(t, i);
	info_case(t, i);
	rc = aff4_turtle_text(t, &text, len, err);
	if (!rc && !(*out = malloc(*len + 1)))
		rc = cu_error_set(err, CU_EFAIL, "out of memory");
	if (!rc)
		memcpy(*out, text, *len + 1);
	aff4_turtle_free(t);
	return rc;
}
