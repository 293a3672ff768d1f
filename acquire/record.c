/*
 * record.c - writing the acquisition record with libxml2's text writer.
 */
#include "acquire/record.h"

#include <errno.h>
#include <fcntl.h>
#include <libxml/xmlwriter.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "lib/hash_files.h"
#include "lib/path.h"
#include "lib/timeutil.h"
#include "lib/version.h"
#include "lib/xml.h"

static int file_sha256(const char *path, char out[65], struct cu_error *err)
{
	static const bool want[CU_HASH_COUNT] = {[CU_HASH_SHA256] = true};
	struct cu_digests d;
	int rc = cu_hash_files(&path, 1, want, &d, err);

	if (!rc)
		cu_hex(out, d.sha256, 32);
	return rc;
}

static void text_element(xmlTextWriterPtr w, const char *name, const char *value)
{
	if (value && value[0])
		xmlTextWriterWriteElement(w, BAD_CAST name, BAD_CAST value);
}

static void number_element(xmlTextWriterPtr w, const char *name, uint64_t v)
{
	xmlTextWriterWriteFormatElement(w, BAD_CAST name, "%llu", (unsigned long long)v);
}

static void digests_element(xmlTextWriterPtr w, const char *name, const struct cu_digests *d)
{
	char hex[2 * CU_HASH_MAX_SIZE + 1];

	xmlTextWriterStartElement(w, BAD_CAST name);
	for (int a = 0; a < CU_HASH_COUNT; a++) {
		if (!d->have[a])
			continue;
		cu_hex(hex, cu_digests_get(d, a), cu_hash_size(a));
		xmlTextWriterStartElement(w, BAD_CAST "hash");
		xmlTextWriterWriteAttribute(w, BAD_CAST "type", BAD_CAST cu_hash_name(a));
		xmlTextWriterWriteString(w, BAD_CAST hex);
		xmlTextWriterEndElement(w);
	}
	xmlTextWriterEndElement(w);
}

static void source_element(xmlTextWriterPtr w, const struct acq_result *r)
{
	const struct acq_source_info *s = &r->source;

	char *path = cu_path_escape(s->path);

	xmlTextWriterStartElement(w, BAD_CAST "source");
	text_element(w, "path", path);
	free(path);
	text_element(w, "type", s->is_device ? "block_device" : "file");
	text_element(w, "vendor", s->identity.vendor);
	text_element(w, "model", s->identity.model);
	text_element(w, "serial", s->identity.serial);
	text_element(w, "firmware", s->identity.firmware);
	number_element(w, "size", s->size);
	number_element(w, "total_size", s->total_size);
	number_element(w, "offset", s->offset);
	if (s->logical_sector)
		number_element(w, "logical_sector_size", s->logical_sector);
	if (s->physical_sector)
		number_element(w, "physical_sector_size", s->physical_sector);
	text_element(w, "write_blocked", s->write_blocked ? "true" : "false");
	xmlTextWriterEndElement(w);
}

static void settings_element(xmlTextWriterPtr w, const struct acq_options *o,
                             const struct acq_result *r)
{
	xmlTextWriterStartElement(w, BAD_CAST "settings");
	text_element(w, "format", o->format == ACQ_FORMAT_RAW ? "raw" : "e01");
	text_element(w, "compression", ewf_compression_names[o->compression]);
	number_element(w, "bytes_per_sector", r->bytes_per_sector);
	number_element(w, "chunk_sectors", r->chunk_sectors);
	number_element(w, "segment_size", o->segment_size);
	number_element(w, "retries", o->retries);
	text_element(w, "media_type", acq_media_type_name(r->media_type));
	text_element(w, "media_flags",
	             r->media_flags == ACQ_MEDIA_PHYSICAL ? "physical" : "logical");
	xmlTextWriterEndElement(w);
}

static void ranges_element(xmlTextWriterPtr w, const struct acq_result *r)
{
	xmlTextWriterStartElement(w, BAD_CAST "read_errors");
	for (size_t i = 0; i < r->n_read_errors; i++) {
		xmlTextWriterStartElement(w, BAD_CAST "range");
		xmlTextWriterWriteFormatAttribute(w, BAD_CAST "first", "%llu",
		                                  (unsigned long long)r->read_errors[i].first);
		xmlTextWriterWriteFormatAttribute(w, BAD_CAST "count", "%llu",
		                                  (unsigned long long)r->read_errors[i].count);
		xmlTextWriterEndElement(w);
	}
	xmlTextWriterEndElement(w);
}

static int segments_element(xmlTextWriterPtr w, const struct acq_result *r, struct cu_error *err)
{
	char sha[65];
	int rc;

	xmlTextWriterStartElement(w, BAD_CAST "segments");
	for (size_t i = 0; i < r->n_segments; i++) {
		char *name;

		if (r->segments[i].have_sha256) /* hashed as it was written */
			cu_hex(sha, r->segments[i].sha256, 32);
		else if ((rc = file_sha256(r->segments[i].name, sha, err)))
			return rc;
		if (!(name = cu_path_escape(r->segments[i].name)))
			return cu_error_set(err, CU_EFAIL, "out of memory");
		xmlTextWriterStartElement(w, BAD_CAST "segment");
		xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST name);
		free(name);
		xmlTextWriterWriteFormatAttribute(w, BAD_CAST "size", "%llu",
		                                  (unsigned long long)r->segments[i].size);
		xmlTextWriterWriteAttribute(w, BAD_CAST "sha256", BAD_CAST sha);
		xmlTextWriterEndElement(w);
	}
	xmlTextWriterEndElement(w);
	return CU_OK;
}

static void tool_element(xmlTextWriterPtr w)
{
	struct utsname u;
	char host[300] = "";

	if (uname(&u) == 0)
		snprintf(host, sizeof(host), "%s %s %s %s", u.nodename, u.sysname, u.release,
		         u.machine);
	xmlTextWriterStartElement(w, BAD_CAST "tool");
	text_element(w, "name", "custos");
	text_element(w, "version", CUSTOS_VERSION);
	text_element(w, "host", host);
	xmlTextWriterEndElement(w);
}

int acq_record_xml(const struct acq_options *o, const struct acq_result *r, char **out,
                   struct cu_error *err)
{
	static const char *const outcomes[] = {"complete", "complete_with_errors", "failed"};
	xmlBufferPtr buf = xmlBufferCreate();
	xmlTextWriterPtr w = buf ? xmlNewTextWriterMemory(buf, 0) : NULL;
	char started[CU_ISO8601_SIZE], finished[CU_ISO8601_SIZE];
	int rc;

	if (!w) {
		xmlBufferFree(buf);
		return cu_error_set(err, CU_EFAIL, "out of memory");
	}
	cu_time_iso8601(started, r->started);
	cu_time_iso8601(finished, r->finished);
	xmlTextWriterStartElementNS(w, NULL, BAD_CAST "acquisition", BAD_CAST CU_CUSTODY_NS);
	tool_element(w);
	xmlTextWriterStartElement(w, BAD_CAST "case");
	text_element(w, "case_number", o->meta.case_number);
	text_element(w, "evidence_number", o->meta.evidence_number);
	text_element(w, "examiner", o->meta.examiner);
	text_element(w, "description", o->meta.description);
	text_element(w, "notes", o->meta.notes);
	xmlTextWriterEndElement(w);
	source_element(w, r);
	settings_element(w, o, r);
	text_element(w, "started", started);
	text_element(w, "finished", finished);
	xmlTextWriterWriteFormatElement(w, BAD_CAST "seconds", "%.3f", r->seconds);
	text_element(w, "result", outcomes[r->outcome]);
	number_element(w, "media_size", r->media_size);
	digests_element(w, "hashes", &r->media);
	digests_element(w, "source_hashes", &r->source_exact);
	ranges_element(w, r);
	rc = segments_element(w, r, err);
	xmlTextWriterEndElement(w);
	xmlFreeTextWriter(w);
	if (!rc && !(*out = strdup((const char *)xmlBufferContent(buf))))
		rc = cu_error_set(err, CU_EFAIL, "out of memory");
	xmlBufferFree(buf);
	return rc;
}
