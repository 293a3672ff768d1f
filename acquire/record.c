/*
 * record.c - writing the acquisition record with libxml2's text writer.
 */
#include "acquire/record.h"

#include <errno.h>
#include <fcntl.h>
#include <libxml/xmlwriter.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/hash_files.h"
#include "lib/path.h"
#include "lib/timeutil.h"
#include "lib/record_writer.h"
#include "lib/xml.h"

static int file_sha256(const char *path, char out[65], struct cu_error *err)
{
	uint8_t sha[32];
	int rc = cu_hash_file_sha256(path, sha, err);

	if (!rc)
		cu_hex(out, sha, 32);
	return rc;
}

static void source_element(xmlTextWriterPtr w, const struct acq_result *r)
{
	const struct source_info *s = &r->source;

	char *path = cu_path_escape(s->path);

	xmlTextWriterStartElement(w, BAD_CAST "source");
	cu_record_text(w, "path", path);
	free(path);
	cu_record_text(w, "type", source_type_name(s));
	cu_record_text(w, "vendor", s->identity.vendor);
	cu_record_text(w, "model", s->identity.model);
	cu_record_text(w, "serial", s->identity.serial);
	cu_record_text(w, "firmware", s->identity.firmware);
	cu_record_number(w, "size", s->size);
	cu_record_number(w, "total_size", s->total_size);
	cu_record_number(w, "offset", s->offset);
	if (s->logical_sector)
		cu_record_number(w, "logical_sector_size", s->logical_sector);
	if (s->physical_sector)
		cu_record_number(w, "physical_sector_size", s->physical_sector);
	cu_record_text(w, "write_blocked", s->write_blocked ? "true" : "false");
	xmlTextWriterEndElement(w);
}

/* custos convert: the set the media was read from, its digests and its custody head. */
static void converted_element(xmlTextWriterPtr w, const struct acq_converted *c)
{
	if (!c)
		return;
	xmlTextWriterStartElement(w, BAD_CAST "converted_from");
	cu_record_text(w, "evidence", c->evidence);
	cu_record_text(w, "container", c->container);
	cu_record_digests(w, "hashes", &c->digests);
	cu_record_text(w, "custody_head", c->custody_head);
	xmlTextWriterEndElement(w);
}

static void settings_element(xmlTextWriterPtr w, const struct acq_options *o,
                             const struct acq_result *r, const struct acq_copy *c)
{
	xmlTextWriterStartElement(w, BAD_CAST "settings");
	cu_record_text(w, "format",
	               c->format == ACQ_FORMAT_RAW    ? "raw"
	               : c->format == ACQ_FORMAT_AFF4 ? "aff4"
	                                              : "e01");
	cu_record_text(w, "compression", acq_compression_names[o->compression]);
	cu_record_number(w, "bytes_per_sector", r->bytes_per_sector);
	cu_record_number(w, "chunk_sectors", r->chunk_sectors);
	cu_record_number(w, "segment_size", o->segment_size);
	cu_record_number(w, "retries", o->retries);
	cu_record_text(w, "media_type", acq_media_type_name(r->media_type));
	cu_record_text(w, "media_flags",
	               r->media_flags == ACQ_MEDIA_PHYSICAL ? "physical" : "logical");
	xmlTextWriterEndElement(w);
}

/* --rescue: what read the drive (GNU ddrescue, its version and command line) and its map. */
static void rescue_element(xmlTextWriterPtr w, const struct acq_rescue_info *x)
{
	char *map;

	if (!x->used)
		return;
	map = cu_path_escape(x->mapfile);
	xmlTextWriterStartElement(w, BAD_CAST "rescue");
	cu_record_text(w, "engine", x->engine);
	cu_record_text(w, "command_line", x->command_line);
	cu_record_text(w, "mapfile", map);
	cu_record_number(w, "rescued_bytes", x->rescued);
	cu_record_number(w, "unreadable_bytes", x->unreadable);
	xmlTextWriterEndElement(w);
	free(map);
}

static void ranges_element(xmlTextWriterPtr w, const struct acq_result *r)
{
	xmlTextWriterStartElement(w, BAD_CAST "read_errors");
	for (size_t i = 0; i < r->n_read_errors; i++)
		cu_record_range(w, r->read_errors[i].first, r->read_errors[i].count);
	xmlTextWriterEndElement(w);
}

/* The files of copy `c`, each with its size and SHA-256. */
static int segments_element(xmlTextWriterPtr w, const struct acq_copy *c, struct cu_error *err)
{
	char sha[65];
	int rc;

	xmlTextWriterStartElement(w, BAD_CAST "segments");
	for (size_t i = 0; i < c->n_segments; i++) {
		const struct acq_segment *g = &c->segments[i];
		char *name;

		if (g->have_sha256) /* hashed as it was written */
			cu_hex(sha, g->sha256, 32);
		else if ((rc = file_sha256(g->name, sha, err)))
			return rc;
		if (!(name = cu_path_escape(g->name)))
			return cu_error_set(err, CU_EFAIL, "out of memory");
		xmlTextWriterStartElement(w, BAD_CAST "segment");
		xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST name);
		free(name);
		xmlTextWriterWriteFormatAttribute(w, BAD_CAST "size", "%llu",
		                                  (unsigned long long)g->size);
		xmlTextWriterWriteAttribute(w, BAD_CAST "sha256", BAD_CAST sha);
		xmlTextWriterEndElement(w);
	}
	xmlTextWriterEndElement(w);
	return CU_OK;
}

/*
 * The other copies the same acquisition wrote, each with its files and
 * their SHA-256 (equal to this copy's for an E01 of the same settings), or
 * why it failed: so that one copy's record proves the others.
 */
static int copies_element(xmlTextWriterPtr w, const struct acq_result *r, size_t self,
                          struct cu_error *err)
{
	int rc;

	if (r->n_copies < 2)
		return CU_OK;
	xmlTextWriterStartElement(w, BAD_CAST "copies");
	for (size_t i = 0; i < r->n_copies; i++) {
		const struct acq_copy *c = &r->copies[i];
		char *path;

		if (i == self)
			continue;
		if (!(path = cu_path_escape(c->path)))
			return cu_error_set(err, CU_EFAIL, "out of memory");
		xmlTextWriterStartElement(w, BAD_CAST "copy");
		xmlTextWriterWriteAttribute(w, BAD_CAST "path", BAD_CAST path);
		free(path);
		xmlTextWriterWriteAttribute(w, BAD_CAST "kind", BAD_CAST c->kind);
		xmlTextWriterWriteAttribute(w, BAD_CAST "result",
		                            BAD_CAST(c->complete ? "complete" : "failed"));
		if (!c->complete)
			cu_record_text(w, "error", c->error);
		else if ((rc = segments_element(w, c, err)))
			return rc;
		xmlTextWriterEndElement(w);
	}
	xmlTextWriterEndElement(w);
	return CU_OK;
}

/* A counter the drive reports, as an element. */
static void smart_count(xmlTextWriterPtr w, const char *name, const struct smart_count *c)
{
	if (c->have)
		xmlTextWriterWriteFormatElement(w, BAD_CAST name, "%lld", (long long)c->value);
}

/* One reading: <smart when time available> with its facts, or why there are none, and the JSON. */
static int smart_element(xmlTextWriterPtr w, const char *when, const struct smart_reading *s,
                         struct cu_error *err)
{
	const struct smart_state *st = &s->state;
	char time[CU_ISO8601_SIZE], sha[65];

	if (!s->asked)
		return CU_OK;
	cu_time_iso8601(time, s->when);
	xmlTextWriterStartElement(w, BAD_CAST "smart");
	xmlTextWriterWriteAttribute(w, BAD_CAST "when", BAD_CAST when);
	xmlTextWriterWriteAttribute(w, BAD_CAST "time", BAD_CAST time);
	xmlTextWriterWriteAttribute(w, BAD_CAST "available",
	                            BAD_CAST(st->available ? "true" : "false"));
	if (!st->available)
		cu_record_text(w, "reason", st->reason);
	cu_record_text(w, "health", st->health[0] ? st->health : NULL);
	cu_record_text(w, "protocol", st->protocol[0] ? st->protocol : NULL);
	cu_record_text(w, "model", st->model[0] ? st->model : NULL);
	cu_record_text(w, "serial", st->serial[0] ? st->serial : NULL);
	smart_count(w, "power_on_hours", &st->power_on_hours);
	smart_count(w, "reallocated_sectors", &st->reallocated);
	smart_count(w, "pending_sectors", &st->pending);
	smart_count(w, "offline_uncorrectable", &st->offline_uncorrectable);
	smart_count(w, "media_errors", &st->media_errors);
	smart_count(w, "temperature_celsius", &st->temperature);
	if (st->exit_status >= 0)
		xmlTextWriterWriteFormatElement(w, BAD_CAST "smartctl_exit_status", "%d",
		                                st->exit_status);
	if (s->json) {
		cu_hex(sha, s->sha256, 32);
		xmlTextWriterStartElement(w, BAD_CAST "smartctl_json");
		xmlTextWriterWriteAttribute(w, BAD_CAST "sha256", BAD_CAST sha);
		xmlTextWriterWriteAttribute(w, BAD_CAST "encoding", BAD_CAST "base64");
		if (xmlTextWriterWriteBase64(w, s->json, 0, (int)s->json_len) < 0)
			return cu_error_set(err, CU_EFAIL, "out of memory");
		xmlTextWriterEndElement(w);
	}
	xmlTextWriterEndElement(w);
	return CU_OK;
}

int acq_record_xml(const struct acq_options *o, const struct acq_result *r, size_t copy,
                   const struct acq_smart *smart, char **out, struct cu_error *err)
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
	cu_record_tool(w);
	xmlTextWriterStartElement(w, BAD_CAST "case");
	cu_record_text(w, "case_number", o->meta.case_number);
	cu_record_text(w, "evidence_number", o->meta.evidence_number);
	cu_record_text(w, "examiner", o->meta.examiner);
	cu_record_text(w, "description", o->meta.description);
	cu_record_text(w, "notes", o->meta.notes);
	xmlTextWriterEndElement(w);
	source_element(w, r);
	converted_element(w, o->converted);
	settings_element(w, o, r, &r->copies[copy]);
	rescue_element(w, &r->rescue);
	cu_record_text(w, "started", started);
	cu_record_text(w, "finished", finished);
	xmlTextWriterWriteFormatElement(w, BAD_CAST "seconds", "%.3f", r->seconds);
	cu_record_text(w, "result", outcomes[r->outcome]);
	cu_record_number(w, "media_size", r->media_size);
	cu_record_digests(w, "hashes", &r->media);
	cu_record_digests(w, "source_hashes", &r->source_exact);
	cu_record_windows(w, &r->windows);
	ranges_element(w, r);
	rc = smart ? smart_element(w, "before", &smart->before, err) : CU_OK;
	if (!rc && smart)
		rc = smart_element(w, "after", &smart->after, err);
	if (!rc)
		rc = segments_element(w, &r->copies[copy], err);
	if (!rc)
		rc = copies_element(w, r, copy, err);
	xmlTextWriterEndElement(w);
	xmlFreeTextWriter(w);
	if (!rc && !(*out = strdup((const char *)xmlBufferContent(buf))))
		rc = cu_error_set(err, CU_EFAIL, "out of memory");
	xmlBufferFree(buf);
	return rc;
}
