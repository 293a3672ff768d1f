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
 */
#include <libxml/xmlwriter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include "container/cmd_verify.h"
#include "container/ewf_reader.h"
#include "lib/path.h"
#include "lib/text.h"
#include "lib/timeutil.h"
#include "lib/version.h"
#include "lib/xml.h"
#include "report/custody.h"

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

/* The header values that are text XML can hold (other tools' headers are not checked). */
static void header_element(xmlTextWriterPtr w, struct ewf_reader *r, const char *name,
                           const char *id)
{
	char value[4096];

	ewf_reader_header_value(r, id, value, sizeof(value));
	if (value[0] && !cu_text_check_xml(name, value, true, NULL))
		text_element(w, name, value);
}

static void tool_and_case(xmlTextWriterPtr w, struct ewf_reader *r)
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
	xmlTextWriterStartElement(w, BAD_CAST "case");
	header_element(w, r, "case_number", "case_number");
	header_element(w, r, "evidence_number", "evidence_number");
	header_element(w, r, "examiner", "examiner_name");
	header_element(w, r, "description", "description");
	header_element(w, r, "notes", "notes");
	xmlTextWriterEndElement(w);
}

static void source_and_settings(xmlTextWriterPtr w, struct ewf_reader *r,
                                const struct verify_set *v)
{
	char *path = cu_path_escape(v->evidence);
	struct ewf_facts f;

	ewf_reader_facts(r, &f);
	xmlTextWriterStartElement(w, BAD_CAST "source");
	text_element(w, "path", path);
	text_element(w, "type", "evidence");
	header_element(w, r, "model", "model");
	header_element(w, r, "serial", "serial_number");
	number_element(w, "size", v->media_size);
	xmlTextWriterEndElement(w);
	xmlTextWriterStartElement(w, BAD_CAST "settings");
	text_element(w, "format", "e01");
	text_element(w, "compression", f.compression);
	number_element(w, "bytes_per_sector", v->bytes_per_sector);
	number_element(w, "chunk_sectors", f.sectors_per_chunk);
	xmlTextWriterEndElement(w);
	xmlTextWriterStartElement(w, BAD_CAST "written_by");
	text_element(w, "format", f.format);
	header_element(w, r, "software", "acquiry_software_version");
	header_element(w, r, "acquired", "acquiry_date");
	xmlTextWriterEndElement(w);
	free(path);
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
	struct ewf_reader *r;
	int rc = w ? ewf_reader_open(&r, v->evidence, err)
	           : cu_error_set(err, CU_EFAIL, "out of memory");

	if (!rc) {
		cu_time_iso8601(now, cu_time_now());
		xmlTextWriterStartElementNS(w, NULL, BAD_CAST "enrollment", BAD_CAST CU_CUSTODY_NS);
		tool_and_case(w, r);
		source_and_settings(w, r, v);
		text_element(w, "started", now);
		text_element(w, "finished", now);
		text_element(w, "result", "match");
		number_element(w, "media_size", v->media_size);
		digests_element(w, "hashes", &v->stored);
		digests_element(w, "computed_hashes", &v->computed);
		ranges_and_segments(w, v);
		xmlTextWriterEndElement(w);
		ewf_reader_close(r);
		xmlFreeTextWriter(w);
		w = NULL;
		if (!(*out = strdup((const char *)xmlBufferContent(buf))))
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
	char *record = NULL;
	int rc;

	if ((rc = verify_hash_segments(v, a->jobs, err)) ||
	    (rc = custody_binding_of(v->evidence, NULL, &binding, err)) ||
	    (rc = enrollment_xml(v, &record, err)))
		return rc;
	ev.xml = record;
	rc = custody_create(log, &ev, &binding, a->signer, err);
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
