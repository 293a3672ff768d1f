/*
 * cmd_info.c - `custos info EVIDENCE [--json]`: what an evidence set says
 * of itself: the case, the acquisition software and dates, the format,
 * media geometry and compression, the stored digests, the acquisition's
 * read errors and the segment files.  It reads no media.  A raw image says
 * nothing of itself but its size: its digests and read errors are those
 * its custody log records, and the output names the log (or says that
 * there is none).
 *
 * Header values are read whole, however long; the dates come from the
 * first segment's header sections as stored (ewf_head_read_dates), in UTC
 * with "Z" where header2 holds them, never in the reader's time zone.
 * Text from the set (its values, its file names) is escaped for the
 * terminal (cu_text_fput); JSON escapes it its own way.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/builtin.h"
#include "container/cmd_evidence.h"
#include "lib/json.h"
#include "lib/text.h"

/* The header values: libewf's identifier (NULL: a date), the label, and the JSON key. */
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
    {NULL, "Acquisition date", "acquisition_date"},
    {NULL, "System date", "system_date"},
    {"acquiry_operating_system", "Operating system used", "operating_system"},
    {"acquiry_software_version", "Software version used", "software_version"},
};

#define INFO_VALUES     (sizeof(info_headers) / sizeof(info_headers[0]))
#define INFO_ACQUIRED   7
#define INFO_SYSTEM     8
#define INFO_DATE_LOCAL " (the acquiring machine's local time: the set records no zone)"

/* Every header value, whole (malloc'ed; NULL where the set has none). */
static int info_values_read(struct evidence *r, char *values[INFO_VALUES], struct cu_error *err)
{
	struct evidence_dates dates;
	struct cu_error why = {0};
	int rc = CU_OK;

	for (size_t i = 0; i < INFO_VALUES && !rc; i++)
		if (info_headers[i].id)
			rc = evidence_header_value(r, info_headers[i].id, &values[i], err);
	if (rc)
		return rc;
	if (evidence_dates(r, &dates, &why)) {
		fprintf(stderr, "custos info: the dates cannot be read: ");
		cu_text_fput(why.msg, stderr);
		fputc('\n', stderr);
		return CU_OK;
	}
	values[INFO_ACQUIRED] = dates.acquired[0] ? dates.acquired : NULL;
	values[INFO_SYSTEM] = dates.system[0] ? dates.system : NULL;
	if (!values[INFO_ACQUIRED])
		free(dates.acquired);
	if (!values[INFO_SYSTEM])
		free(dates.system);
	return CU_OK;
}

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

static void info_json(struct evidence *r, char *const values[INFO_VALUES],
                      const struct evidence_facts *f, const struct cu_digests *d,
                      const struct cu_ranges *errors)
{
	char guid[37];
	struct cu_json j;

	cu_json_init(&j, stdout);
	cu_json_object_begin(&j);
	for (size_t i = 0; i < INFO_VALUES; i++) {
		cu_json_key(&j, info_headers[i].key);
		cu_json_string(&j, values[i]);
	}
	cu_json_pair_string(&j, "acquisition_date_iso8601", values[INFO_ACQUIRED]);
	cu_json_pair_string(&j, "format", f->format);
	cu_json_pair_u64(&j, "sectors_per_chunk", f->sectors_per_chunk);
	cu_json_pair_u64(&j, "error_granularity", f->error_granularity);
	cu_json_pair_string(&j, "compression", f->compression);
	info_guid(guid, f->guid);
	cu_json_pair_string(&j, "set_identifier", f->has_guid ? guid : NULL);
	cu_json_pair_string(&j, "media_type", f->media_type);
	cu_json_pair_bool(&j, "physical", f->physical);
	cu_json_pair_u64(&j, "bytes_per_sector", evidence_bytes_per_sector(r));
	cu_json_pair_u64(&j, "chunk_size", evidence_chunk_size(r));
	cu_json_pair_u64(&j, "sectors", f->sectors);
	cu_json_pair_u64(&j, "media_size", evidence_media_size(r));
	cu_json_digests(&j, "hashes", d);
	cu_json_pair_string(&j, "container", f->container);
	cu_json_key(&j, "stored_in"); /* the set itself, or the record that holds its digests */
	if (f->digests_inside)
		cu_json_string(&j, "evidence");
	else if (f->digests_where)
		cu_json_path(&j, f->digests_where);
	else
		cu_json_null(&j);
	cu_json_ranges(&j, "read_errors", errors->v, errors->n);
	cu_json_key(&j, "segments");
	cu_json_array_begin(&j);
	for (size_t i = 0; i < evidence_file_count(r); i++)
		cu_json_file(&j, evidence_file_name(r, i),
		             info_file_size(evidence_file_name(r, i)));
	cu_json_array_end(&j);
	cu_json_object_end(&j);
}

/* "Acquisition": the values the set has, escaped; a date without a zone says so. */
static void info_text_values(char *const values[INFO_VALUES])
{
	size_t any = 0;

	for (size_t i = 0; i < INFO_VALUES; i++)
		any += values[i] != NULL;
	if (any) /* a raw image has none */
		printf("Acquisition\n");
	for (size_t i = 0; i < INFO_VALUES; i++) {
		if (!values[i])
			continue;
		printf("  %-22s ", info_headers[i].label);
		cu_text_fput(values[i], stdout);
		if (!info_headers[i].id && strlen(values[i]) == 19 && values[i][10] == 'T')
			fputs(INFO_DATE_LOCAL, stdout); /* an ISO 8601 time without a zone */
		putchar('\n');
	}
}

/* A raw image: its format, and where its digests come from. */
static void info_text_raw(struct evidence *r, const struct evidence_facts *f)
{
	printf("Raw image\n  %-22s %s\n  %-22s %zu\n  %-22s %u\n  %-22s ", "Format", f->format,
	       "Files", evidence_file_count(r), "Sectors per chunk", f->sectors_per_chunk,
	       "Digests recorded in");
	cu_text_fput(f->digests_where ? f->digests_where
	                              : "nothing: no custody log beside the image records them",
	             stdout);
	printf("\nMedia\n  %-22s %u\n  %-22s %llu\n  %-22s %llu bytes\n", "Bytes per sector",
	       evidence_bytes_per_sector(r), "Number of sectors", (unsigned long long)f->sectors,
	       "Media size", (unsigned long long)evidence_media_size(r));
}

/* An AFF4 volume: its format, chunking and compression, and what its digests are. */
static void info_text_aff4(struct evidence *r, const struct evidence_facts *f)
{
	printf("AFF4 volume\n  %-22s %s\n  %-22s %u\n  %-22s %s\n  %-22s %s\n", "Format", f->format,
	       "Sectors per chunk", f->sectors_per_chunk, "Compression", f->compression,
	       "Digests recorded in",
	       f->digests_inside ? "the volume (aff4:hash on the image)"
	                         : "nothing linear: the volume's block hashes prove it "
	                           "(custos verify)");
	printf("Media\n  %-22s %u\n  %-22s %llu\n  %-22s %llu bytes\n", "Bytes per sector",
	       evidence_bytes_per_sector(r), "Number of sectors", (unsigned long long)f->sectors,
	       "Media size", (unsigned long long)evidence_media_size(r));
}

static void info_text(struct evidence *r, char *const values[INFO_VALUES],
                      const struct evidence_facts *f, const struct cu_digests *d,
                      const struct cu_ranges *errors)
{
	char hex[2 * CU_HASH_MAX_SIZE + 1], guid[37];

	info_text_values(values);
	info_guid(guid, f->guid);
	if (!strcmp(f->container, "aff4")) {
		info_text_aff4(r, f);
	} else if (!f->has_guid) {
		info_text_raw(r, f);
	} else {
		printf("EWF\n  %-22s %s\n  %-22s %u\n  %-22s %u\n  %-22s %s\n  %-22s %s\n",
		       "Format", f->format, "Sectors per chunk", f->sectors_per_chunk,
		       "Error granularity", f->error_granularity, "Compression", f->compression,
		       "Set identifier", guid);
		printf("Media\n  %-22s %s\n  %-22s %s\n  %-22s %u\n  %-22s %llu\n  %-22s %llu "
		       "bytes\n",
		       "Media type", f->media_type, "Is physical", f->physical ? "yes" : "no",
		       "Bytes per sector", evidence_bytes_per_sector(r), "Number of sectors",
		       (unsigned long long)f->sectors, "Media size",
		       (unsigned long long)evidence_media_size(r));
	}
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
	for (size_t i = 0; i < evidence_file_count(r); i++) {
		fputs("  ", stdout);
		cu_text_fput(evidence_file_name(r, i), stdout);
		printf(" (%llu bytes)\n",
		       (unsigned long long)info_file_size(evidence_file_name(r, i)));
	}
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
	struct evidence_facts f;
	struct evidence *r;
	char *values[INFO_VALUES] = {0};
	bool json = false;
	int rc = builtin_parse(&command_info, argc, argv, 1, info_take, &json, &err);

	if (rc)
		return rc < 0 ? 0 : builtin_fail("info", rc, err.msg);
	if (optind != argc - 1)
		return builtin_fail("info", CU_EUSAGE, "give exactly one evidence file");
	if ((rc = cmd_evidence_open(&r, argv[optind], &err)))
		return builtin_fail("info", rc, err.msg);
	evidence_facts(r, &f);
	evidence_stored_digests(r, &d);
	rc = evidence_read_errors(r, &errors, &err);
	if (!rc)
		rc = info_values_read(r, values, &err);
	if (!rc && json)
		info_json(r, values, &f, &d, &errors);
	else if (!rc)
		info_text(r, values, &f, &d, &errors);
	for (size_t i = 0; i < INFO_VALUES; i++)
		free(values[i]);
	cu_ranges_free(&errors);
	evidence_close(r);
	return rc ? builtin_fail("info", rc, err.msg) : 0;
}
