/*
 * cmd_info.c - `custos info EVIDENCE [--json]`: what an EWF set says of
 * itself: the case, the acquisition software and dates, the format, media
 * geometry and compression, the stored digests, the acquisition's read
 * errors and the segment files.  It reads no media.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "container/ewf_reader.h"
#include "builtin.h"
#include "lib/json.h"

/* The header values: libewf's identifier, the label, and the JSON key. */
static const struct {
	const char *id, *label, *key;
} info_headers[] = {
    {"case_number", "Case number", "case_number"},
    {"evidence_number", "Evidence number", "evidence_number"},
    {"examiner_name", "Examiner name", "examiner"},
    {"description", "Description", "description"},
    {"notes", "Notes", "notes"},
    {"model", "Model", "model"},
    {"serial_number", "Serial number", "serial"},
    {"acquiry_date", "Acquisition date", "acquisition_date"},
    {"system_date", "System date", "system_date"},
    {"acquiry_operating_system", "Operating system used", "operating_system"},
    {"acquiry_software_version", "Software version used", "software_version"},
};

#define INFO_VALUE_MAX 4096

/* The identifier as EnCase and ewfinfo show it: a GUID, first groups little-endian. */
static void info_guid(char out[37], const uint8_t g[16])
{
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
	         g[3], g[2], g[1], g[0], g[5], g[4], g[7], g[6], g[8], g[9], g[10], g[11], g[12],
	         g[13], g[14], g[15]);
}

static uint64_t info_file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (uint64_t)st.st_size : 0;
}

static void info_json(struct ewf_reader *r, const struct ewf_facts *f, const struct cu_digests *d,
                      const struct cu_ranges *errors)
{
	char value[INFO_VALUE_MAX], guid[37];
	struct cu_json j;

	cu_json_init(&j, stdout);
	cu_json_object_begin(&j);
	for (size_t i = 0; i < sizeof(info_headers) / sizeof(info_headers[0]); i++) {
		ewf_reader_header_value(r, info_headers[i].id, value, sizeof(value));
		cu_json_key(&j, info_headers[i].key);
		cu_json_string(&j, value[0] ? value : NULL);
	}
	ewf_reader_header_iso(r, "acquiry_date", value, sizeof(value));
	cu_json_pair_string(&j, "acquisition_date_iso8601", value[0] ? value : NULL);
	cu_json_pair_string(&j, "format", f->format);
	cu_json_pair_u64(&j, "sectors_per_chunk", f->sectors_per_chunk);
	cu_json_pair_u64(&j, "error_granularity", f->error_granularity);
	cu_json_pair_string(&j, "compression", f->compression);
	info_guid(guid, f->guid);
	cu_json_pair_string(&j, "set_identifier", guid);
	cu_json_pair_string(&j, "media_type", f->media_type);
	cu_json_pair_bool(&j, "physical", f->physical);
	cu_json_pair_u64(&j, "bytes_per_sector", ewf_reader_bytes_per_sector(r));
	cu_json_pair_u64(&j, "sectors", f->sectors);
	cu_json_pair_u64(&j, "media_size", ewf_reader_media_size(r));
	cu_json_digests(&j, "hashes", d);
	cu_json_ranges(&j, "read_errors", errors->v, errors->n);
	cu_json_key(&j, "segments");
	cu_json_array_begin(&j);
	for (size_t i = 0; i < ewf_reader_segment_count(r); i++)
		cu_json_file(&j, ewf_reader_segment_name(r, i),
		             info_file_size(ewf_reader_segment_name(r, i)));
	cu_json_array_end(&j);
	cu_json_object_end(&j);
}

static void info_text(struct ewf_reader *r, const struct ewf_facts *f, const struct cu_digests *d,
                      const struct cu_ranges *errors)
{
	char value[INFO_VALUE_MAX], hex[2 * CU_HASH_MAX_SIZE + 1], guid[37];

	printf("Acquisition\n");
	for (size_t i = 0; i < sizeof(info_headers) / sizeof(info_headers[0]); i++) {
		ewf_reader_header_value(r, info_headers[i].id, value, sizeof(value));
		if (value[0])
			printf("  %-22s %s\n", info_headers[i].label, value);
	}
	info_guid(guid, f->guid);
	printf("EWF\n  %-22s %s\n  %-22s %u\n  %-22s %u\n  %-22s %s\n  %-22s %s\n", "Format",
	       f->format, "Sectors per chunk", f->sectors_per_chunk, "Error granularity",
	       f->error_granularity, "Compression", f->compression, "Set identifier", guid);
	printf("Media\n  %-22s %s\n  %-22s %s\n  %-22s %u\n  %-22s %llu\n  %-22s %llu bytes\n",
	       "Media type", f->media_type, "Is physical", f->physical ? "yes" : "no",
	       "Bytes per sector", ewf_reader_bytes_per_sector(r), "Number of sectors",
	       (unsigned long long)f->sectors, "Media size",
	       (unsigned long long)ewf_reader_media_size(r));
	printf("Digests\n");
	for (int a = 0; a < CU_HASH_COUNT; a++) {
		if (!d->have[a])
			continue;
		cu_hex(hex, cu_digests_get(d, a), cu_hash_size(a));
		printf("  %-22s %s\n", cu_hash_name(a), hex);
	}
	printf("Read errors during acquisition: %zu\n", errors->n);
	for (size_t i = 0; i < errors->n; i++)
		printf("  sectors %llu to %llu\n", (unsigned long long)errors->v[i].first,
		       (unsigned long long)(errors->v[i].first + errors->v[i].count - 1));
	printf("Segment files\n");
	for (size_t i = 0; i < ewf_reader_segment_count(r); i++)
		printf("  %s (%llu bytes)\n", ewf_reader_segment_name(r, i),
		       (unsigned long long)info_file_size(ewf_reader_segment_name(r, i)));
}

static int info_take(void *ctx, int key, const char *name, const char *value, struct cu_error *err)
{
	(void)name, (void)value;
	if (key != 'j')
		return cu_error_set(err, CU_EUSAGE, "unknown option (see custos info --help)");
	*(bool *)ctx = true;
	return CU_OK;
}

int cmd_info(int argc, char **argv)
{
	struct cu_error err = {0};
	struct cu_ranges errors = {0};
	struct cu_digests d;
	struct ewf_facts f;
	struct ewf_reader *r;
	bool json = false;
	int rc = builtin_parse(&command_info, argc, argv, 1, info_take, &json, &err);

	if (rc)
		return rc < 0 ? 0 : builtin_fail("info", rc, err.msg);
	if (optind != argc - 1)
		return builtin_fail("info", CU_EUSAGE, "give exactly one evidence file");
	if ((rc = ewf_reader_open(&r, argv[optind], &err)))
		return builtin_fail("info", rc, err.msg);
	ewf_reader_facts(r, &f);
	ewf_reader_stored_digests(r, &d);
	rc = ewf_reader_read_errors(r, &errors, &err);
	if (!rc && json)
		info_json(r, &f, &d, &errors);
	else if (!rc)
		info_text(r, &f, &d, &errors);
	cu_ranges_free(&errors);
	ewf_reader_close(r);
	return rc ? builtin_fail("info", rc, err.msg) : 0;
}
