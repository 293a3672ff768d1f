/*
 * report.c - from the custody log to the report, through XPath.
 */
#include "report/report.h"

#include <libxml/tree.h>
#include <libxml/xmlschemas.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include "container/ewf_reader.h"
#include "lib/timeutil.h"
#include "lib/input_file.h"
#include "lib/path.h"
#include "report/custody.h"
#include "report/custody_canon.h"
#include "report/sign.h"
#include "lib/path.h"
#include "report_xsd.h" /* generated from report/custos-report.xsd */
#include "report_xsl.h" /* generated from report/custos-report-html.xsl */
#include <libxslt/security.h>
#include <libxslt/transform.h>
#include <libxslt/xsltInternals.h>
#include <libxslt/xsltutils.h>

struct report {
	struct custody_log *custody;
	xmlDocPtr log, out;
	xmlXPathContextPtr xp;
	xmlNodePtr root;
	xmlNsPtr ns;
};

/* The first node `expr` selects under `at`, or NULL. */
static xmlNodePtr report_node(struct report *r, xmlNodePtr at, const char *expr)
{
	xmlXPathObjectPtr o = xmlXPathNodeEval(at, BAD_CAST expr, r->xp);
	xmlNodePtr n =
	    o && o->nodesetval && o->nodesetval->nodeNr ? o->nodesetval->nodeTab[0] : NULL;

	xmlXPathFreeObject(o);
	return n;
}

/* Copies the text of `expr` under `at` into a new element `name` (when present or required). */
static void copy_text(struct report *r, xmlNodePtr to, const char *name, xmlNodePtr at,
                      const char *expr, const char *fallback)
{
	xmlNodePtr n = report_node(r, at, expr);
	xmlChar *text = n ? xmlNodeGetContent(n) : NULL;

	if (text || fallback)
		xmlNewTextChild(to, r->ns, BAD_CAST name, text ? text : BAD_CAST fallback);
	xmlFree(text);
}

static void copy_digests(struct report *r, xmlNodePtr to, xmlNodePtr from)
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

static xmlNodePtr child(struct report *r, xmlNodePtr parent, const char *name)
{
	return xmlNewChild(parent, r->ns, BAD_CAST name, NULL);
}

static void copy_attr(xmlNodePtr to, xmlNodePtr from, const char *name)
{
	xmlChar *v = xmlGetProp(from, BAD_CAST name);

	if (v)
		xmlNewProp(to, BAD_CAST name, v);
	xmlFree(v);
}

static void report_case(struct report *r, xmlNodePtr rec, xmlNodePtr acquired)
{
	xmlNodePtr c = child(r, r->root, "case"), t;
	xmlChar *by = xmlGetProp(acquired, BAD_CAST "by");

	copy_text(r, c, "case_number", rec, "c:case/c:case_number", NULL);
	copy_text(r, c, "evidence_number", rec, "c:case/c:evidence_number", NULL);
	copy_text(r, c, "description", rec, "c:case/c:description", NULL);
	copy_text(r, c, "notes", rec, "c:case/c:notes", NULL);
	t = report_node(r, rec, "c:case/c:examiner");
	if (t) {
		xmlFree(by);
		by = xmlNodeGetContent(t);
	}
	xmlNewTextChild(r->root, r->ns, BAD_CAST "examiner", by ? by : BAD_CAST "");
	xmlFree(by);
	t = child(r, r->root, "tool");
	copy_text(r, t, "name", rec, "c:tool/c:name", "custos");
	copy_text(r, t, "version", rec, "c:tool/c:version", "");
	copy_text(r, t, "host", rec, "c:tool/c:host", NULL);
}

static void report_source(struct report *r, xmlNodePtr rec)
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
	xmlNodePtr s = child(r, r->root, "source");
	char expr[64];

	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		snprintf(expr, sizeof(expr), "c:source/c:%s", fields[i]);
		copy_text(r, s, fields[i], rec, expr, NULL);
	}
}

static void report_acquisition(struct report *r, xmlNodePtr rec)
{
	static const char *const settings[] = {"format",        "compression",  "bytes_per_sector",
	                                       "chunk_sectors", "segment_size", "retries"};
	xmlNodePtr a = child(r, r->root, "acquisition"), s;
	char expr[64];

	copy_text(r, a, "started", rec, "c:started", "");
	copy_text(r, a, "finished", rec, "c:finished", "");
	copy_text(r, a, "duration_seconds", rec, "c:seconds", "0");
	s = child(r, a, "settings");
	for (size_t i = 0; i < sizeof(settings) / sizeof(settings[0]); i++) {
		snprintf(expr, sizeof(expr), "c:settings/c:%s", settings[i]);
		copy_text(r, s, settings[i], rec, expr, "");
	}
	copy_text(r, a, "result", rec, "c:result", "");
}

static void report_hashes(struct report *r, xmlNodePtr rec, xmlNodePtr log_root)
{
	xmlNodePtr h = child(r, r->root, "hashes"), verified = NULL, v;

	copy_digests(r, child(r, h, "acquisition"), report_node(r, rec, "c:hashes"));
	copy_digests(r, child(r, h, "source"), report_node(r, rec, "c:source_hashes"));
	for (xmlNodePtr e = log_root->children; e; e = e->next)
		if (e->type == XML_ELEMENT_NODE &&
		    report_node(r, e, "self::c:event[@action='verified']/c:verification"))
			verified = e;
	if (!verified)
		return;
	v = child(r, h, "verification");
	copy_digests(r, v, report_node(r, verified, "c:verification"));
	copy_attr(v, verified, "time");
	copy_attr(v, verified, "by");
	copy_attr(v, report_node(r, verified, "c:verification"), "result");
}

static void report_container(struct report *r, xmlNodePtr rec)
{
	xmlNodePtr errors = child(r, r->root, "read_errors"), c, n;
	xmlNodePtr ranges = report_node(r, rec, "c:read_errors"),
	           segs = report_node(r, rec, "c:segments");
	char chunk[32];
	xmlNodePtr bps = report_node(r, rec, "c:settings/c:bytes_per_sector");
	xmlNodePtr spc = report_node(r, rec, "c:settings/c:chunk_sectors");
	xmlChar *b = bps ? xmlNodeGetContent(bps) : NULL, *s = spc ? xmlNodeGetContent(spc) : NULL;

	for (xmlNodePtr e = ranges ? ranges->children : NULL; e; e = e->next)
		if (e->type == XML_ELEMENT_NODE) {
			n = child(r, errors, "range");
			copy_attr(n, e, "first");
			copy_attr(n, e, "count");
		}
	c = child(r, r->root, "container");
	copy_text(r, c, "format", rec, "c:settings/c:format", "");
	copy_text(r, c, "compression", rec, "c:settings/c:compression", "");
	snprintf(chunk, sizeof(chunk), "%llu",
	         (unsigned long long)(b ? strtoull((const char *)b, NULL, 10) : 0) *
	             (s ? strtoull((const char *)s, NULL, 10) : 0));
	xmlNewTextChild(c, r->ns, BAD_CAST "chunk_size", BAD_CAST chunk);
	copy_text(r, c, "media_size", rec, "c:media_size", "0");
	for (xmlNodePtr e = segs ? segs->children : NULL; e; e = e->next)
		if (e->type == XML_ELEMENT_NODE) {
			n = child(r, c, "segment");
			copy_attr(n, e, "name");
			copy_attr(n, e, "size");
			copy_attr(n, e, "sha256");
		}
	xmlFree(b);
	xmlFree(s);
}

static void report_custody(struct report *r)
{
	static const char *const attrs[] = {"seq", "action", "time", "by", "to", "location"};
	size_t n = custody_count(r->custody);
	xmlNodePtr c = child(r, r->root, "custody");
	char count[32];

	snprintf(count, sizeof(count), "%zu", n);
	xmlNewProp(c, BAD_CAST "events", BAD_CAST count);
	xmlNewProp(c, BAD_CAST "head", BAD_CAST custody_entry(r->custody, n - 1)->hash);
	for (size_t i = 0; i < n; i++) {
		const struct custody_entry *e = custody_entry(r->custody, i);
		xmlNodePtr node = custody_node(r->custody, i), ev = child(r, c, "event"), note;

		for (size_t a = 0; a < sizeof(attrs) / sizeof(attrs[0]); a++)
			copy_attr(ev, node, attrs[a]);
		xmlNewProp(ev, BAD_CAST "hash", BAD_CAST e->hash);
		if (e->is_signed) {
			xmlNewProp(ev, BAD_CAST "signed_by", BAD_CAST e->signer.subject);
			xmlNewProp(ev, BAD_CAST "signer_sha256", BAD_CAST e->signer.fingerprint);
		}
		note = report_node(r, node, "c:note");
		if (note) {
			xmlChar *text = xmlNodeGetContent(note);

			xmlNewTextChild(ev, r->ns, BAD_CAST "note", text);
			xmlFree(text);
		}
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

/* The DFXML digests: MD5 and SHA-256 (and SHA-1) in upper-case type names. */
static void dfxml_digests(struct report *r, xmlNodePtr to, xmlNodePtr from)
{
	for (xmlNodePtr h = from ? from->children : NULL; h; h = h->next) {
		xmlChar *type, *text;

		if (h->type != XML_ELEMENT_NODE)
			continue;
		type = xmlGetProp(h, BAD_CAST "type");
		text = xmlNodeGetContent(h);
		if (type && text) {
			char upper[16] = "";

			for (size_t i = 0; type[i] && i + 1 < sizeof(upper); i++)
				upper[i] = (char)(type[i] >= 'a' && type[i] <= 'z' ? type[i] - 32
				                                                   : type[i]);
			xmlNewProp(xmlNewTextChild(to, r->ns, BAD_CAST "hashdigest", text),
			           BAD_CAST "type", BAD_CAST upper);
		}
		xmlFree(type);
		xmlFree(text);
	}
}

static void dfxml_errors(struct report *r, xmlNodePtr dio, xmlNodePtr rec)
{
	xmlNodePtr ranges = report_node(r, rec, "c:read_errors");
	char text[4096] = "";
	size_t used = 0;

	for (xmlNodePtr e = ranges ? ranges->children : NULL; e && used < sizeof(text) - 64;
	     e = e->next) {
		xmlChar *first, *count;

		if (e->type != XML_ELEMENT_NODE)
			continue;
		first = xmlGetProp(e, BAD_CAST "first");
		count = xmlGetProp(e, BAD_CAST "count");
		used +=
		    (size_t)snprintf(text + used, sizeof(text) - used, "%s%s+%s", used ? ", " : "",
		                     first ? (char *)first : "?", count ? (char *)count : "?");
		xmlFree(first);
		xmlFree(count);
	}
	if (used) {
		char line[4200];

		snprintf(line, sizeof(line), "unreadable sectors, zero-filled (first+count): %s",
		         text);
		xmlNewTextChild(dio, r->ns, BAD_CAST "error", BAD_CAST line);
	}
}

static void dfxml_assemble(struct report *r, xmlNodePtr rec)
{
	xmlNodePtr meta, creator, env, src, dio, runs, run,
	    segs = report_node(r, rec, "c:segments");
	xmlNsPtr dc;
	struct utsname u;

	xmlNewProp(r->root, BAD_CAST "version", BAD_CAST "2.0.0-beta.0");
	dc = xmlNewNs(r->root, BAD_CAST "http://purl.org/dc/elements/1.1/", BAD_CAST "dc");
	meta = child(r, r->root, "metadata");
	xmlNewTextChild(meta, dc, BAD_CAST "type", BAD_CAST "Disk Image");
	creator = child(r, r->root, "creator");
	xmlNewProp(creator, BAD_CAST "version", BAD_CAST "1.0");
	copy_text(r, creator, "program", rec, "c:tool/c:name", "custos");
	copy_text(r, creator, "version", rec, "c:tool/c:version", "");
	env = child(r, creator, "execution_environment");
	if (uname(&u) == 0) {
		xmlNewTextChild(env, r->ns, BAD_CAST "os_sysname", BAD_CAST u.sysname);
		xmlNewTextChild(env, r->ns, BAD_CAST "os_release", BAD_CAST u.release);
		xmlNewTextChild(env, r->ns, BAD_CAST "os_version", BAD_CAST u.version);
		xmlNewTextChild(env, r->ns, BAD_CAST "host", BAD_CAST u.nodename);
		xmlNewTextChild(env, r->ns, BAD_CAST "arch", BAD_CAST u.machine);
	}
	copy_text(r, env, "start_time", rec, "c:started", NULL);
	src = child(r, r->root, "source");
	for (xmlNodePtr s = segs ? segs->children : NULL; s; s = s->next)
		if (s->type == XML_ELEMENT_NODE) {
			xmlChar *name = xmlGetProp(s, BAD_CAST "name");

			xmlNewTextChild(src, r->ns, BAD_CAST "image_filename", name);
			xmlFree(name);
		}
	dio = child(r, r->root, "diskimageobject");
	runs = child(r, dio, "byte_runs");
	run = child(r, runs, "byte_run");
	xmlNewProp(run, BAD_CAST "img_offset", BAD_CAST "0");
	{
		xmlNodePtr m = report_node(r, rec, "c:media_size");
		xmlChar *len = m ? xmlNodeGetContent(m) : NULL;

		xmlNewProp(run, BAD_CAST "len", len ? len : BAD_CAST "0");
		xmlFree(len);
	}
	dfxml_digests(r, run, report_node(r, rec, "c:hashes"));
	copy_text(r, dio, "sector_size", rec, "c:settings/c:bytes_per_sector", "512");
	dfxml_errors(r, dio, rec);
}

static int report_assemble(struct report *r, enum report_kind kind, struct cu_error *err)
{
	xmlNodePtr log_root = xmlDocGetRootElement(r->log), acquired, rec;
	char now[CU_ISO8601_SIZE];

	r->xp = xmlXPathNewContext(r->log);
	if (!r->xp || xmlXPathRegisterNs(r->xp, BAD_CAST "c", BAD_CAST CU_CUSTODY_NS))
		return cu_error_set(err, CU_EFAIL, "out of memory");
	acquired = report_node(r, log_root, "c:event[@action='acquired'][1]");
	rec = acquired ? report_node(r, acquired, "c:acquisition") : NULL;
	if (!rec)
		return cu_error_set(err, CU_EUSAGE, "the custody log holds no acquisition record");
	r->out = xmlNewDoc(BAD_CAST "1.0");
	if (kind == REPORT_DFXML) {
		r->root = xmlNewNode(NULL, BAD_CAST "dfxml");
		xmlDocSetRootElement(r->out, r->root);
		r->ns = xmlNewNs(r->root, BAD_CAST DFXML_NS, NULL);
		xmlSetNs(r->root, r->ns);
		dfxml_assemble(r, rec);
		return CU_OK;
	}
	r->root = xmlNewNode(NULL, BAD_CAST "report");
	xmlDocSetRootElement(r->out, r->root);
	r->ns = xmlNewNs(r->root, BAD_CAST REPORT_NS, NULL);
	xmlSetNs(r->root, r->ns);
	cu_time_iso8601(now, cu_time_now());
	xmlNewProp(r->root, BAD_CAST "version", BAD_CAST "1");
	xmlNewProp(r->root, BAD_CAST "generated", BAD_CAST now);
	report_case(r, rec, acquired);
	report_source(r, rec);
	report_acquisition(r, rec);
	report_hashes(r, rec, log_root);
	report_container(r, rec);
	report_custody(r);
	return report_validate(r->out, err);
}

/* The custody log of the evidence, whole and bound to it, with its signatures checked. */
static int report_load_log(struct report *r, const char *evidence, struct cu_error *err)
{
	struct custody_binding binding;
	char *log = cu_path_custody_log(evidence);
	int rc = log ? custody_load(log, &r->custody, err)
	             : cu_error_set(err, CU_EFAIL, "out of memory");

	if (!rc)
		rc = custody_binding_of(evidence, r->custody, &binding, err);
	if (!rc)
		rc = custody_check(r->custody, &(struct custody_checks){.binding = &binding}, err);
	if (!rc)
		r->log = custody_doc(r->custody);
	free(log);
	return rc;
}

int report_build(const char *evidence, enum report_kind kind, char **xml, size_t *len,
                 struct cu_error *err)
{
	struct report r = {0};
	xmlChar *text = NULL;
	int size = 0, rc = report_load_log(&r, evidence, err);

	if (!rc)
		rc = report_assemble(&r, kind, err);
	if (!rc) {
		xmlDocDumpFormatMemoryEnc(r.out, &text, &size, "UTF-8", 1);
		*xml = text ? malloc((size_t)size + 1) : NULL;
		if (*xml) {
			memcpy(*xml, text, (size_t)size + 1);
			*len = (size_t)size;
		} else {
			rc = cu_error_set(err, CU_EFAIL, "out of memory");
		}
	}
	xmlFree(text);
	xmlXPathFreeContext(r.xp);
	xmlFreeDoc(r.out);
	custody_free(r.custody);
	return rc;
}

/* The report through the stylesheet; libxslt reads and writes nothing but its input. */
static xmlDocPtr html_transform(xsltStylesheetPtr style, xmlDocPtr doc)
{
	xsltSecurityPrefsPtr sec = xsltNewSecurityPrefs();
	xsltTransformContextPtr ctx = doc ? xsltNewTransformContext(style, doc) : NULL;
	xmlDocPtr out = NULL;

	if (ctx && sec) {
		xsltSetSecurityPrefs(sec, XSLT_SECPREF_READ_FILE, xsltSecurityForbid);
		xsltSetSecurityPrefs(sec, XSLT_SECPREF_WRITE_FILE, xsltSecurityForbid);
		xsltSetSecurityPrefs(sec, XSLT_SECPREF_CREATE_DIRECTORY, xsltSecurityForbid);
		xsltSetSecurityPrefs(sec, XSLT_SECPREF_READ_NETWORK, xsltSecurityForbid);
		xsltSetSecurityPrefs(sec, XSLT_SECPREF_WRITE_NETWORK, xsltSecurityForbid);
		xsltSetCtxtSecurityPrefs(sec, ctx);
		out = xsltApplyStylesheetUser(style, doc, NULL, NULL, NULL, ctx);
	}
	xsltFreeTransformContext(ctx);
	xsltFreeSecurityPrefs(sec);
	return out;
}

int report_html(const char *xml, size_t len, char **html, size_t *html_len, struct cu_error *err)
{
	struct cu_xml_capture cap;
	xmlDocPtr style_doc, doc = NULL, out = NULL;
	xsltStylesheetPtr style;
	xmlChar *text = NULL;
	int size = 0, rc = CU_OK;

	cu_xml_capture_start(&cap);
	xsltSetGenericErrorFunc(&cap, cu_xml_capture_generic);
	style_doc = xmlReadMemory((const char *)report_xsl, (int)report_xsl_len,
	                          "custos-report-html.xsl", "UTF-8", XML_PARSE_NONET);
	style = style_doc ? xsltParseStylesheetDoc(style_doc) : NULL;
	if (style)
		doc = xmlReadMemory(xml, (int)len, "report.xml", "UTF-8", XML_PARSE_NONET);
	else
		xmlFreeDoc(style_doc);
	if (doc)
		out = html_transform(style, doc);
	if (out && xsltSaveResultToString(&text, &size, out, style) != 0)
		text = NULL;
	xsltSetGenericErrorFunc(NULL, NULL);
	cu_xml_capture_stop(&cap);

	if (!text)
		rc = cu_error_set(err, CU_EFAIL, "cannot lay out the report as HTML%s%s",
		                  cap.first[0] ? ": " : "", cap.first);
	else if (!(*html = malloc((size_t)size + 1)))
		rc = cu_error_set(err, CU_EFAIL, "out of memory");
	else {
		memcpy(*html, text, (size_t)size);
		(*html)[size] = '\0';
		*html_len = (size_t)size;
	}
	xmlFree(text);
	xmlFreeDoc(out);
	xmlFreeDoc(doc);
	xsltFreeStylesheet(style);
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
