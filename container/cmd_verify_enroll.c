/*
 * cmd_verify_enroll.c - `verify --enroll`: evidence from other tools, or
 * from before the custody log existed, taken into custody.
 *
 * A full verify first: only a set that matches is enrolled.  Then a new
 * BASE.custody.xml, whose first event, "enrolled", holds the record of the
 * set as it was found: what its headers say (the case, the software that
 * wrote it), its geometry, its stored and computed digests, its read
 * errors, and every segment file's name, size and SHA-256, which later
 * `verify --segments` checks.  The log is bound to the set's identifier and
 * stored digests like an acquisition's; a set that already has a log is
 * refused.
 *
 * Header values are recorded whole.  One that is not text the log may hold
 * (other tools' headers are not checked at entry: control characters,
 * bidirectional controls) is recorded with its backslashes and the bytes
 * XML cannot hold escaped (cu_path_escape), marked escaped="backslash";
 * none is dropped.  The acquisition time is the one the set stores, in UTC
 * ("Z") where header2 holds it (evidence_dates, for EWF ewf_head_read_dates).
 */
#include <libxml/xmlwriter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "container/cmd_evidence.h"
#include "container/cmd_verify.h"
#include "lib/path.h"
#include "lib/text.h"
#include "lib/timeutil.h"
#include "lib/record_writer.h"
#include "lib/xml.h"
#include "report/custody.h"

/* <name>value</name>, escaped and marked so when the value is not text the log may hold. */
static int value_element(xmlTextWriterPtr w, const char *name, const char *value)
{
	char *escaped;

	if (!value || !value[0])
		return CU_OK;
	if (!cu_text_check_xml(name, value, true, NULL)) {
		cu_record_text(w, name, value);
		return CU_OK;
	}
	if (!(escaped = cu_path_escape(value)))
		return CU_EFAIL;
	xmlTextWriterStartElement(w, BAD_CAST name);
	xmlTextWriterWriteAttribute(w, BAD_CAST "escaped", BAD_CAST "backslash");
	xmlTextWriterWriteString(w, BAD_CAST escaped);
	xmlTextWriterEndElement(w);
	free(escaped);
	return CU_OK;
}

/* The header value `id`, whole, as the element `name`. */
static int header_element(xmlTextWriterPtr w, struct evidence *r, const char *name, const char *id,
                          struct cu_error *err)
{
	char *value;
	int rc = evidence_header_value(r, id, &value, err);

	if (!rc && value_element(w, name, value))
		rc = cu_error_set(err, CU_EFAIL, "out of memory");
	free(value);
	return rc;
}

static int tool_and_case(xmlTextWriterPtr w, struct evidence *r, struct cu_error *err)
{
	int rc;

	cu_record_tool(w);
	xmlTextWriterStartElement(w, BAD_CAST "case");
	if ((rc = header_element(w, r, "case_number", "case_number", err)) ||
	    (rc = header_element(w, r, "evidence_number", "evidence_number", err)) ||
	    (rc = header_element(w, r, "examiner", "examiner_name", err)) ||
	    (rc = header_element(w, r, "description", "description", err)) ||
	    (rc = header_element(w, r, "notes", "notes", err)))
		return rc;
	xmlTextWriterEndElement(w);
	return CU_OK;
}

/* <written_by>: the format, the software and the acquisition time the set stores. */
static int written_by(xmlTextWriterPtr w, struct evidence *r, const char *format,
                      struct cu_error *err)
{
	struct evidence_dates dates;
	int rc;

	xmlTextWriterStartElement(w, BAD_CAST "written_by");
	cu_record_text(w, "format", format);
	if ((rc = header_element(w, r, "software", "acquiry_software_version", err)) ||
	    (rc = evidence_dates(r, &dates, err)))
		return rc;
	rc = value_element(w, "acquired", dates.acquired)
	         ? cu_error_set(err, CU_EFAIL, "out of memory")
	         : CU_OK;
	evidence_dates_free(&dates);
	xmlTextWriterEndElement(w);
	return rc;
}

static int source_and_settings(xmlTextWriterPtr w, struct evidence *r, const struct verify_set *v,
                               struct cu_error *err)
{
	char *path = cu_path_escape(v->evidence);
	struct evidence_facts f;
	int rc;

	evidence_facts(r, &f);
	xmlTextWriterStartElement(w, BAD_CAST "source");
	cu_record_text(w, "path", path);
	free(path);
	cu_record_text(w, "type", "evidence");
	if ((rc = header_element(w, r, "model", "model", err)) ||
	    (rc = header_element(w, r, "serial", "serial_number", err)))
		return rc;
	cu_record_number(w, "size", v->media_size);
	xmlTextWriterEndElement(w);
	xmlTextWriterStartElement(w, BAD_CAST "settings");
	cu_record_text(w, "format", strcmp(f.container, "raw") ? "e01" : "raw");
	cu_record_text(w, "compression", f.compression);
	cu_record_number(w, "bytes_per_sector", v->bytes_per_sector);
	cu_record_number(w, "chunk_sectors", f.sectors_per_chunk);
	xmlTextWriterEndElement(w);
	return written_by(w, r, f.format, err);
}

static void ranges_and_segments(xmlTextWriterPtr w, const struct verify_set *v)
{
	char sha[65], *name;

	xmlTextWriterStartElement(w, BAD_CAST "read_errors");
	for (size_t i = 0; i < v->read_errors.n; i++) {
		xmlTextWriterStartElement(w, BAD_CAST "range");
		xmlTextWriterWriteFormatAttribute(w, BAD_CAST "first", "%llu",
		                                  (unsigned long long)v->read_errors.v[i].first);
		xmlTextWriterWriteFormatAttribute(w, BAD_CAST "count", "%llu",
		                                  (unsigned long long)v->read_errors.v[i].count);
		xmlTextWriterEndElement(w);
	}
	xmlTextWriterEndElement(w);
	xmlTextWriterStartElement(w, BAD_CAST "segments");
	for (size_t i = 0; i < v->n_segments; i++) {
		if (!(name = cu_path_escape(v->segments[i].path)))
			continue;
		cu_hex(sha, v->segments[i].sha256, 32);
		xmlTextWriterStartElement(w, BAD_CAST "segment");
		xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST name);
		xmlTextWriterWriteFormatAttribute(w, BAD_CAST "size", "%llu",
		                                  (unsigned long long)v->segments[i].size);
		xmlTextWriterWriteAttribute(w, BAD_CAST "sha256", BAD_CAST sha);
		xmlTextWriterEndElement(w);
		free(name);
	}
	xmlTextWriterEndElement(w);
}

/* The record the "enrolled" event holds, as XML (malloc'ed). */
static int enrollment_xml(const struct verify_set *v, char **out, struct cu_error *err)
{
	xmlBufferPtr buf = xmlBufferCreate();
	xmlTextWriterPtr w = buf ? xmlNewTextWriterMemory(buf, 0) : NULL;
	char now[CU_ISO8601_SIZE];
	struct evidence *r;
	int rc = w ? cmd_evidence_open(&r, v->evidence, err)
	           : cu_error_set(err, CU_EFAIL, "out of memory");

	if (!rc) {
		cu_time_iso8601(now, cu_time_now());
		xmlTextWriterStartElementNS(w, NULL, BAD_CAST "enrollment", BAD_CAST CU_CUSTODY_NS);
		if (!(rc = tool_and_case(w, r, err)))
			rc = source_and_settings(w, r, v, err);
		cu_record_text(w, "started", now);
		cu_record_text(w, "finished", now);
		cu_record_text(w, "result", "match");
		cu_record_number(w, "media_size", v->media_size);
		cu_record_digests(w, "hashes", &v->stored);
		cu_record_digests(w, "computed_hashes", &v->computed);
		ranges_and_segments(w, v);
		xmlTextWriterEndElement(w);
		evidence_close(r);
		xmlFreeTextWriter(w);
		w = NULL;
		if (!rc && !(*out = strdup((const char *)xmlBufferContent(buf))))
			rc = cu_error_set(err, CU_EFAIL, "out of memory");
	}
	xmlFreeTextWriter(w);
	xmlBufferFree(buf);
	return rc;
}

/* The new custody log: the record of the set, bound to it, signed when asked. */
static int enroll_write(struct verify_set *v, const struct verify_args *a, const char *log,
                        struct cu_error *err)
{
	struct custody_event ev = {.action = "enrolled",
	                           .by = a->by,
	                           .note = "taken into custody after a full verify: match"};
	struct custody_binding binding;
	struct custody_seal seal = *a->seal; /* its own: sets are verified at once */
	char *record = NULL;
	int rc;

	if ((rc = verify_hash_segments(v, a->jobs, err)) ||
	    (rc = custody_binding_of(v->evidence, NULL, &binding, err)) ||
	    (rc = enrollment_xml(v, &record, err)))
		return rc;
	ev.xml = record;
	rc = custody_create(log, &ev, &binding, &seal, err);
	free(record);
	return rc;
}

void verify_enroll_run(struct verify_set *v, const struct verify_args *a)
{
	char *log = cu_path_custody_log(v->evidence);
	struct cu_error err = {0};
	struct stat st;
	int rc = CU_OK;

	if (log && lstat(log, &st) == 0) {
		v->rc = CU_EUSAGE;
		v->verdict = VERDICT_NOT_ENROLLED;
		snprintf(v->msg, sizeof(v->msg),
		         "%s already has a custody log, %s: custos never overwrites it (verify "
		         "--segments uses it)",
		         v->evidence, log);
	} else if (!log || (rc = verify_set_full(v, a, &err))) {
		verify_set_fail(v, log ? rc : CU_EFAIL, &err);
	} else if (v->verdict != VERDICT_MATCH) {
		cu_error_set(&err, v->rc, "not enrolled: %s", v->msg);
		snprintf(v->msg, sizeof(v->msg), "%s", err.msg);
	} else if ((rc = enroll_write(v, a, log, &err))) {
		v->rc = rc;
		snprintf(v->msg, sizeof(v->msg), "%s", err.msg);
	} else {
		v->custody = 1;
	}
	free(log);
}
