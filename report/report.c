/*
 * report.c - from the custody log to the report, through XPath.
 *
 * Every statement about the acquisition (tool, host, libraries, times,
 * settings, digests) is copied from the record in the log's first event.
 * A set custos acquired gets tool, source and acquisition; a set taken
 * into custody by `verify --enroll` gets enrollment instead, which says it
 * was enrolled, not acquired by custos, and gives what its headers claim of
 * its acquisition.  What the report says of itself (when, by which custos,
 * on which host) is in the root's attributes, apart from the acquisition's.
 */
#include "report/report.h"

#include <libxml/tree.h>
#include <libxml/xmlschemas.h>
#include <libxml/xpath.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include "lib/input_file.h"
#include "lib/path.h"
#include "lib/timeutil.h"
#include "lib/version.h"
#include "report/custody.h"
#include "report/custody_canon.h"
#include "report/report_tree.h"
#include "report/sign.h"
#include "report_xsd.h" /* generated from report/custos-report.xsd */

static void copy_digests(struct report_tree *r, xmlNodePtr to, xmlNodePtr from)
{
	for (xmlNodePtr h = from ? from->children : NULL; h; h = h->next) {
		xmlChar *type, *text;
		xmlNodePtr e;

		if (h->type != XML_ELEMENT_NODE || xmlStrcmp(h->name, BAD_CAST "hash"))
			continue;
		text = xmlNodeGetContent(h);
		type = xmlGetProp(h, BAD_CAST "type");
		if (text && type && xmlStrcmp(text, BAD_CAST "-")) {
			e = xmlNewTextChild(to, r->ns, BAD_CAST "hash", text);
			xmlNewProp(e, BAD_CAST "type", type);
		}
		xmlFree(text);
		xmlFree(type);
	}
}

/* The record's tool: what made it, on which host, with which libraries. */
static void report_tool(struct report_tree *r, xmlNodePtr to, xmlNodePtr rec)
{
	xmlNodePtr t = report_tree_child(r, to, "tool");

	report_tree_copy_text(r, t, "name", rec, "c:tool/c:name", "custos");
	report_tree_copy_text(r, t, "version", rec, "c:tool/c:version", "");
	report_tree_copy_text(r, t, "host", rec, "c:tool/c:host", NULL);
	report_tree_copy_libraries(r, t, report_tree_node(r, rec, "c:tool"));
}

/*
 * The case, and the examiner: the record's, or else who acquired; an
 * enrolled set's examiner is only what its headers name (the one who
 * enrolled it did not acquire it).
 */
static void report_case(struct report_tree *r, xmlNodePtr rec, xmlNodePtr first)
{
	xmlNodePtr c = report_tree_child(r, r->root, "case"), t;
	xmlChar *by = r->enrolled ? NULL : xmlGetProp(first, BAD_CAST "by");

	report_tree_copy_text(r, c, "case_number", rec, "c:case/c:case_number", NULL);
	report_tree_copy_text(r, c, "evidence_number", rec, "c:case/c:evidence_number", NULL);
	report_tree_copy_text(r, c, "description", rec, "c:case/c:description", NULL);
	report_tree_copy_text(r, c, "notes", rec, "c:case/c:notes", NULL);
	t = report_tree_node(r, rec, "c:case/c:examiner");
	if (t) {
		xmlFree(by);
		by = xmlNodeGetContent(t);
	}
	xmlNewTextChild(r->root, r->ns, BAD_CAST "examiner", by ? by : BAD_CAST "");
	xmlFree(by);
}

static void report_source(struct report_tree *r, xmlNodePtr rec)
{
	static const char *const fields[] = {"path",
	                                     "type",
	                                     "vendor",
	                                     "model",
	                                     "serial",
	                                     "firmware",
	                                     "size",
	                                     "total_size",
	                                     "offset",
	                                     "logical_sector_size",
	                                     "physical_sector_size",
	                                     "write_blocked"};
	xmlNodePtr s = report_tree_child(r, r->root, "source");
	char expr[64];

	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		snprintf(expr, sizeof(expr), "c:source/c:%s", fields[i]);
		report_tree_copy_text(r, s, fields[i], rec, expr, NULL);
	}
}

/* --rescue: the engine that read the drive, as run, and its map. */
static void report_rescue(struct report_tree *r, xmlNodePtr a, xmlNodePtr rescue)
{
	static const char *const fields[] = {"engine", "command_line", "mapfile", "rescued_bytes",
	                                     "unreadable_bytes"};
	xmlNodePtr x;
	char expr[64];

	if (!rescue)
		return;
	x = report_tree_child(r, a, "rescue");
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		snprintf(expr, sizeof(expr), "c:%s", fields[i]);
		report_tree_copy_text(r, x, fields[i], rescue, expr, "");
	}
}

static void report_acquisition(struct report_tree *r, xmlNodePtr rec)
{
	static const char *const settings[] = {"format",        "compression",  "bytes_per_sector",
	                                       "chunk_sectors", "segment_size", "retries"};
	xmlNodePtr a = report_tree_child(r, r->root, "acquisition"), s;
	char expr[64];

	report_tree_copy_text(r, a, "started", rec, "c:started", "");
	report_tree_copy_text(r, a, "finished", rec, "c:finished", "");
	report_tree_copy_text(r, a, "duration_seconds", rec, "c:seconds", "0");
	s = report_tree_child(r, a, "settings");
	for (size_t i = 0; i < sizeof(settings) / sizeof(settings[0]); i++) {
		snprintf(expr, sizeof(expr), "c:settings/c:%s", settings[i]);
		report_tree_copy_text(r, s, settings[i], rec, expr, "");
	}
	report_rescue(r, a, report_tree_node(r, rec, "c:rescue"));
	report_tree_copy_text(r, a, "result", rec, "c:result", "");
}

/*
 * A set verify --enroll took into custody: when and by which custos it was
 * enrolled, and what its headers say of the medium and of the software
 * that wrote it.
 */
static void report_enrollment(struct report_tree *r, xmlNodePtr rec)
{
	static const char *const written[] = {"format", "software", "acquired"};
	static const char *const medium[] = {"model", "serial", "size"};
	static const char *const settings[] = {"format", "compression", "bytes_per_sector",
	                                       "chunk_sectors"};
	xmlNodePtr e = report_tree_child(r, r->root, "enrollment"), x;
	char expr[64];

	report_tree_copy_text(r, e, "enrolled", rec, "c:started", "");
	report_tree_copy_text(r, e, "result", rec, "c:result", "");
	report_tool(r, e, rec);
	report_tree_copy_text(r, e, "evidence", rec, "c:source/c:path", "");
	x = report_tree_child(r, e, "written_by");
	for (size_t i = 0; i < sizeof(written) / sizeof(written[0]); i++) {
		snprintf(expr, sizeof(expr), "c:written_by/c:%s", written[i]);
		report_tree_copy_text(r, x, written[i], rec, expr, NULL);
	}
	x = report_tree_child(r, e, "medium");
	for (size_t i = 0; i < sizeof(medium) / sizeof(medium[0]); i++) {
		snprintf(expr, sizeof(expr), "c:source/c:%s", medium[i]);
		report_tree_copy_text(r, x, medium[i], rec, expr, NULL);
	}
	x = report_tree_child(r, e, "settings");
	for (size_t i = 0; i < sizeof(settings) / sizeof(settings[0]); i++) {
		snprintf(expr, sizeof(expr), "c:settings/c:%s", settings[i]);
		report_tree_copy_text(r, x, settings[i], rec, expr, "");
	}
}

/* <name> with the digests of `from`, when it holds any. */
static void report_digests(struct report_tree *r, xmlNodePtr to, const char *name, xmlNodePtr from)
{
	if (from && report_tree_node(r, from, "c:hash"))
		copy_digests(r, report_tree_child(r, to, name), from);
}

/*
 * The digests at acquisition (an enrolled set's: those it stores), of the
 * exact source bytes, computed at enrollment, and at the last verification.
 */
static void report_hashes(struct report_tree *r, xmlNodePtr rec, xmlNodePtr log_root)
{
	xmlNodePtr h = report_tree_child(r, r->root, "hashes"), verified = NULL, v;

	copy_digests(r, report_tree_child(r, h, "acquisition"),
	             report_tree_node(r, rec, "c:hashes"));
	report_digests(r, h, "source", report_tree_node(r, rec, "c:source_hashes"));
	if (r->enrolled)
		report_digests(r, h, "enrollment", report_tree_node(r, rec, "c:computed_hashes"));
	for (xmlNodePtr e = log_root->children; e; e = e->next)
		if (e->type == XML_ELEMENT_NODE &&
		    report_tree_node(r, e, "self::c:event[@action='verified']/c:verification"))
			verified = e;
	if (!verified)
		return;
	v = report_tree_child(r, h, "verification");
	copy_digests(r, v, report_tree_node(r, verified, "c:verification"));
	report_tree_copy_attr(v, verified, "time");
	report_tree_copy_attr(v, verified, "by");
	report_tree_copy_attr(v, report_tree_node(r, verified, "c:verification"), "result");
}

/*
 * The piecewise digests of the record (acquire --hash-window), each window
 * with its place and digests, as the record holds them; the schema checks
 * their form.
 */
static void report_windows(struct report_tree *r, xmlNodePtr rec)
{
	static const char *const attrs[] = {"offset", "length", "md5", "sha1", "sha256"};
	xmlNodePtr from = report_tree_node(r, rec, "c:hash_windows"), to;

	if (!from)
		return;
	to = report_tree_child(r, r->root, "hash_windows");
	report_tree_copy_attr(to, from, "size");
	report_tree_copy_attr(to, from, "count");
	for (xmlNodePtr e = from->children; e; e = e->next) {
		xmlNodePtr w;

		if (e->type != XML_ELEMENT_NODE)
			continue;
		w = report_tree_child(r, to, "window");
		for (size_t i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++)
			report_tree_copy_attr(w, e, attrs[i]);
	}
}

/*
 * The drive's SMART before and after the acquisition, as the record holds
 * it: its facts, or why there are none, and the SHA-256 of smartctl's
 * whole JSON (which stays in the custody log).
 */
static void report_smart(struct report_tree *r, xmlNodePtr rec)
{
	static const char *const facts[] = {"reason",
	                                    "health",
	                                    "protocol",
	                                    "model",
	                                    "serial",
	                                    "power_on_hours",
	                                    "reallocated_sectors",
	                                    "pending_sectors",
	                                    "offline_uncorrectable",
	                                    "media_errors",
	                                    "temperature_celsius",
	                                    "smartctl_exit_status"};
	xmlNodePtr to = NULL;
	char expr[64];

	for (xmlNodePtr e = rec->children; e; e = e->next) {
		xmlNodePtr reading, json;

		if (e->type != XML_ELEMENT_NODE || xmlStrcmp(e->name, BAD_CAST "smart"))
			continue;
		to = to ? to : report_tree_child(r, r->root, "smart");
		reading = report_tree_child(r, to, "reading");
		report_tree_copy_attr(reading, e, "when");
		report_tree_copy_attr(reading, e, "time");
		report_tree_copy_attr(reading, e, "available");
		for (size_t i = 0; i < sizeof(facts) / sizeof(facts[0]); i++) {
			snprintf(expr, sizeof(expr), "c:%s", facts[i]);
			report_tree_copy_text(r, reading, facts[i], e, expr, NULL);
		}
		if ((json = report_tree_node(r, e, "c:smartctl_json")))
			report_tree_copy_attr(report_tree_child(r, reading, "smartctl_json"), json,
			                      "sha256");
	}
}

/* A record's <segment> elements as the report's, under `to`. */
static void report_segments(struct report_tree *r, xmlNodePtr to, xmlNodePtr segs)
{
	for (xmlNodePtr e = segs ? segs->children : NULL; e; e = e->next)
		if (e->type == XML_ELEMENT_NODE) {
			xmlNodePtr n = report_tree_child(r, to, "segment");

			report_tree_copy_attr(n, e, "name");
			report_tree_copy_attr(n, e, "size");
			report_tree_copy_attr(n, e, "sha256");
		}
}

/* The other copies the same acquisition wrote (acquire -o ... -o), as its record names them. */
static void report_copies(struct report_tree *r, xmlNodePtr c, xmlNodePtr rec)
{
	xmlNodePtr copies = report_tree_node(r, rec, "c:copies");

	for (xmlNodePtr e = copies ? copies->children : NULL; e; e = e->next) {
		xmlNodePtr n;

		if (e->type != XML_ELEMENT_NODE)
			continue;
		n = report_tree_child(r, c, "copy");
		report_tree_copy_attr(n, e, "path");
		report_tree_copy_attr(n, e, "kind");
		report_tree_copy_attr(n, e, "result");
		report_tree_copy_text(r, n, "error", e, "c:error", NULL);
		report_segments(r, n, report_tree_node(r, e, "c:segments"));
	}
}

static void report_container(struct report_tree *r, xmlNodePtr rec)
{
	xmlNodePtr errors = report_tree_child(r, r->root, "read_errors"), c, n;
	xmlNodePtr ranges = report_tree_node(r, rec, "c:read_errors"),
	           segs = report_tree_node(r, rec, "c:segments");
	char chunk[32];
	xmlNodePtr bps = report_tree_node(r, rec, "c:settings/c:bytes_per_sector");
	xmlNodePtr spc = report_tree_node(r, rec, "c:settings/c:chunk_sectors");
	xmlChar *b = bps ? xmlNodeGetContent(bps) : NULL, *s = spc ? xmlNodeGetContent(spc) : NULL;

	for (xmlNodePtr e = ranges ? ranges->children : NULL; e; e = e->next)
		if (e->type == XML_ELEMENT_NODE) {
			n = report_tree_child(r, errors, "range");
			report_tree_copy_attr(n, e, "first");
			report_tree_copy_attr(n, e, "count");
		}
	c = report_tree_child(r, r->root, "container");
	report_tree_copy_text(r, c, "format", rec, "c:settings/c:format", "");
	report_tree_copy_text(r, c, "compression", rec, "c:settings/c:compression", "");
	snprintf(chunk, sizeof(chunk), "%llu",
	         (unsigned long long)(b ? strtoull((const char *)b, NULL, 10) : 0) *
	             (s ? strtoull((const char *)s, NULL, 10) : 0));
	xmlNewTextChild(c, r->ns, BAD_CAST "chunk_size", BAD_CAST chunk);
	report_tree_copy_text(r, c, "media_size", rec, "c:media_size", "0");
	report_segments(r, c, segs);
	report_copies(r, c, rec);
	xmlFree(b);
	xmlFree(s);
}

/* An event's trusted time and its TSA, as its token says, or why it has none. */
static void report_custody_stamp(xmlNodePtr ev, const struct custody_entry *e)
{
	char when[CU_ISO8601_SIZE];

	if (e->stamped && e->trusted_time) {
		cu_time_iso8601(when, e->trusted_time);
		xmlNewProp(ev, BAD_CAST "trusted_time", BAD_CAST when);
		if (e->stamp_note)
			xmlNewProp(ev, BAD_CAST "time_stamped_by", BAD_CAST e->stamp_note);
	} else if (e->stamp_missing && e->stamp_note) {
		xmlNewProp(ev, BAD_CAST "time_stamp_missing", BAD_CAST e->stamp_note);
	}
}

/* A "verified" event's damaged sectors and windows that no longer match, as it records them. */
static void report_custody_found(struct report_tree *r, xmlNodePtr ev, xmlNodePtr node)
{
	static const char *const kept[] = {"c:verification/c:damaged_sectors",
	                                   "c:verification/c:windows"};
	xmlNodePtr from, copy;

	for (size_t i = 0; i < sizeof(kept) / sizeof(kept[0]); i++)
		if ((from = report_tree_node(r, node, kept[i])) &&
		    (copy = report_tree_copy_element(r, from, r->ns)))
			xmlAddChild(ev, copy);
}

static void report_custody(struct report_tree *r)
{
	static const char *const attrs[] = {"seq", "action", "time", "by", "to", "location"};
	size_t n = custody_count(r->custody);
	xmlNodePtr c = report_tree_child(r, r->root, "custody");
	char count[32];

	snprintf(count, sizeof(count), "%zu", n);
	xmlNewProp(c, BAD_CAST "events", BAD_CAST count);
	xmlNewProp(c, BAD_CAST "head", BAD_CAST custody_entry(r->custody, n - 1)->hash);
	for (size_t i = 0; i < n; i++) {
		const struct custody_entry *e = custody_entry(r->custody, i);
		xmlNodePtr node = custody_node(r->custody, i),
		           ev = report_tree_child(r, c, "event"), note;

		for (size_t a = 0; a < sizeof(attrs) / sizeof(attrs[0]); a++)
			report_tree_copy_attr(ev, node, attrs[a]);
		xmlNewProp(ev, BAD_CAST "hash", BAD_CAST e->hash);
		if (e->is_signed) {
			xmlNewProp(ev, BAD_CAST "signed_by", BAD_CAST e->signer.subject);
			xmlNewProp(ev, BAD_CAST "signer_sha256", BAD_CAST e->signer.fingerprint);
		}
		report_custody_stamp(ev, e);
		note = report_tree_node(r, node, "c:note");
		if (note) {
			xmlChar *text = xmlNodeGetContent(note);

			xmlNewTextChild(ev, r->ns, BAD_CAST "note", text);
			xmlFree(text);
		}
		report_custody_found(r, ev, node);
	}
}

static int report_validate(xmlDocPtr doc, struct cu_error *err)
{
	struct cu_xml_capture cap;
	xmlSchemaParserCtxtPtr pc;
	xmlSchemaPtr schema;
	xmlSchemaValidCtxtPtr vc;
	int bad;

	cu_xml_capture_start(&cap);
	pc = xmlSchemaNewMemParserCtxt((const char *)report_xsd, (int)report_xsd_len);
	schema = pc ? xmlSchemaParse(pc) : NULL;
	vc = schema ? xmlSchemaNewValidCtxt(schema) : NULL;
	bad = vc ? xmlSchemaValidateDoc(vc, doc) : -1;
	xmlSchemaFreeValidCtxt(vc);
	xmlSchemaFree(schema);
	xmlSchemaFreeParserCtxt(pc);
	cu_xml_capture_stop(&cap);
	if (bad)
		return cu_error_set(
		    err, CU_EFAIL,
		    "the report does not validate against its schema (a custody log "
		    "custos did not write?)%s%s",
		    cap.first[0] ? ": " : "", cap.first);
	return CU_OK;
}

/* What the report says of itself: when, by which custos, on which host it was made. */
static void report_generated(struct report_tree *r)
{
	char now[CU_ISO8601_SIZE], by[64];
	struct utsname u;
	char host[sizeof(u.nodename) + sizeof(u.sysname) + sizeof(u.release) + sizeof(u.machine)];
	char *text;

	cu_time_iso8601(now, cu_time_now());
	snprintf(by, sizeof(by), "custos %s", CUSTOS_VERSION);
	xmlNewProp(r->root, BAD_CAST "version", BAD_CAST "1");
	xmlNewProp(r->root, BAD_CAST "generated", BAD_CAST now);
	xmlNewProp(r->root, BAD_CAST "generator", BAD_CAST by);
	if (uname(&u) != 0)
		return;
	snprintf(host, sizeof(host), "%s %s %s %s", u.nodename, u.sysname, u.release, u.machine);
	if ((text = cu_path_escape(host)))
		xmlNewProp(r->root, BAD_CAST "generator_host", BAD_CAST text);
	free(text);
}

static int report_assemble(struct report_tree *r, struct cu_error *err)
{
	int rc = report_tree_start(r, "report", REPORT_NS, err);

	if (rc)
		return rc;
	report_generated(r);
	report_case(r, r->record, r->first);
	if (r->enrolled) {
		report_enrollment(r, r->record);
	} else {
		report_tool(r, r->root, r->record);
		report_source(r, r->record);
		report_acquisition(r, r->record);
	}
	report_hashes(r, r->record, xmlDocGetRootElement(r->log));
	report_windows(r, r->record);
	report_smart(r, r->record);
	report_container(r, r->record);
	report_custody(r);
	return report_validate(r->out, err);
}

int report_build(const char *evidence, enum report_kind kind, char **xml, size_t *len,
                 struct cu_error *err)
{
	struct report_tree r = {0};
	int rc = report_tree_open(&r, evidence, err);

	if (!rc)
		rc = kind == REPORT_DFXML ? report_dfxml_assemble(&r, err)
		                          : report_assemble(&r, err);
	if (!rc)
		rc = report_tree_text(&r, xml, len, err);
	report_tree_close(&r);
	return rc;
}

int report_read_anchor(const char *path, unsigned *events, char *head, struct cu_error *err)
{
	xmlDocPtr doc = NULL;
	xmlNodePtr root, c = NULL;
	xmlChar *n = NULL, *h = NULL;
	char *text = NULL, *end;
	size_t len;
	int rc = cu_input_read(path, "the report", 64U << 20, &text, &len, err);

	if (!rc)
		rc = cu_xml_parse(text, len, path, &doc, err);
	root = doc ? xmlDocGetRootElement(doc) : NULL;
	for (xmlNodePtr e = root ? root->children : NULL; e && !c; e = e->next)
		if (e->type == XML_ELEMENT_NODE && !xmlStrcmp(e->name, BAD_CAST "custody"))
			c = e;
	if (!rc && (!root || !root->ns || xmlStrcmp(root->ns->href, BAD_CAST REPORT_NS) || !c))
		rc = cu_error_set(err, CU_EUSAGE, "%s is not a custos report", path);
	if (!rc &&
	    (!(n = xmlGetProp(c, BAD_CAST "events")) || !(h = xmlGetProp(c, BAD_CAST "head")) ||
	     !(*events = (unsigned)strtoul((const char *)n, &end, 10)) || *end ||
	     xmlStrlen(h) != 64))
		rc = cu_error_set(err, CU_EUSAGE, "%s records no custody head", path);
	if (!rc)
		memcpy(head, h, 65);
	xmlFree(n);
	xmlFree(h);
	xmlFreeDoc(doc);
	free(text);
	return rc;
}

int report_check_signature_if_any(const char *path, const char *ca, struct cu_error *err)
{
	char *sig = cu_path_suffixed(path, ".p7s");
	struct stat st;
	int rc = sig ? CU_OK : cu_error_set(err, CU_EFAIL, "out of memory");

	if (!rc && lstat(sig, &st) == 0)
		rc = sign_check(path, sig, ca, err);
	free(sig);
	return rc;
}
