/*
 * custody.c - creating, appending to and checking the custody log.
 */
#include "report/custody.h"

#include <errno.h>
#include <fcntl.h>
#include <libxml/c14n.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/atomic_file.h"
#include "lib/input_file.h"
#include "lib/text.h"
#include "lib/timeutil.h"

#define CUSTODY_MAX_BYTES (64U << 20)

static void sha256_hex(const void *data, size_t len, char out[65])
{
	struct cu_digests d = {0};
	struct cu_hash *h;

	if (cu_hash_new(&h, CU_HASH_SHA256, NULL) || cu_hash_update(h, data, len, NULL) ||
	    cu_hash_final(h, &d, NULL)) {
		out[0] = '\0';
		cu_hash_free(h);
		return;
	}
	cu_hash_free(h);
	cu_hex(out, d.sha256, 32);
}

/* The value the first event's "prev" holds: the evidence's digests, hashed. */
static void binding_hash(const struct cu_digests *d, char out[65])
{
	char text[512], hex[3][2 * CU_HASH_MAX_SIZE + 1];

	for (int a = 0; a < CU_HASH_COUNT; a++)
		if (d->have[a])
			cu_hex(hex[a], cu_digests_get(d, a), cu_hash_size(a));
		else
			strcpy(hex[a], "-");
	snprintf(text, sizeof(text), "custos-custody-binding-1\nmd5=%s\nsha1=%s\nsha256=%s\n",
	         hex[0], hex[1], hex[2]);
	sha256_hex(text, strlen(text), out);
}

/* SHA-256 of the canonical form (C14N 1.0) of one event, alone in a document. */
static int event_hash(xmlNodePtr ev, char out[65], struct cu_error *err)
{
	xmlDocPtr alone = xmlNewDoc(BAD_CAST "1.0");
	xmlNodePtr copy = alone ? xmlDocCopyNode(ev, alone, 1) : NULL;
	xmlChar *c14n = NULL;
	int n;

	if (!copy) {
		xmlFreeDoc(alone);
		return cu_error_set(err, CU_EFAIL, "out of memory");
	}
	xmlDocSetRootElement(alone, copy);
	xmlReconciliateNs(alone, copy);
	n = xmlC14NDocDumpMemory(alone, NULL, XML_C14N_1_0, NULL, 0, &c14n);
	xmlFreeDoc(alone);
	if (n < 0)
		return cu_error_set(err, CU_EFAIL, "cannot put a custody event in canonical form");
	sha256_hex(c14n, (size_t)n, out);
	xmlFree(c14n);
	return CU_OK;
}

/* Reads the log: a regular file, parsed safely (lib/xml.h). */
static int custody_load(const char *path, xmlDocPtr *doc, struct cu_error *err)
{
	char *buf, name[4200];
	size_t len;
	int rc = cu_input_read(path, "the custody log", CUSTODY_MAX_BYTES, &buf, &len, err);

	if (rc)
		return rc;
	snprintf(name, sizeof(name), "the custody log %s is broken", path);
	rc = cu_xml_parse(buf, len, name, doc, err);
	free(buf);
	return rc;
}

/* The log as text, written whole over the old one (or as a new file). */
static int custody_save(const char *path, xmlDocPtr doc, bool create, struct cu_error *err)
{
	xmlChar *text = NULL;
	int size = 0, rc;

	xmlDocDumpFormatMemoryEnc(doc, &text, &size, "UTF-8", 1);
	if (!text)
		return cu_error_set(err, CU_EFAIL, "out of memory");
	rc = create ? cu_file_create(path, text, (size_t)size, 0644, err)
	            : cu_file_replace(path, text, (size_t)size, 0644, err);
	xmlFree(text);
	return rc;
}

static int check_text(const char *what, const char *s, struct cu_error *err)
{
	return s ? cu_text_check_xml(what, s, true, err) : CU_OK;
}

/* Adds a parsed copy of an XML fragment under `parent`. */
static int add_fragment(xmlDocPtr doc, xmlNodePtr parent, const char *xml, struct cu_error *err)
{
	xmlDocPtr frag = NULL;
	int rc = cu_xml_parse(xml, strlen(xml), "an event's record", &frag, err);

	if (!rc && !xmlDocGetRootElement(frag))
		rc = cu_error_set(err, CU_EFAIL, "an event's record is empty");
	else if (!rc)
		xmlAddChild(parent, xmlDocCopyNode(xmlDocGetRootElement(frag), doc, 1));
	xmlFreeDoc(frag);
	return rc;
}

static int add_event(xmlDocPtr doc, xmlNodePtr root, unsigned seq, const struct custody_event *ev,
                     const char *prev, xmlNodePtr *out, struct cu_error *err)
{
	char when[CU_ISO8601_SIZE], number[16];
	xmlNodePtr e;
	int rc;

	if ((rc = check_text("--action", ev->action, err)) ||
	    (rc = check_text("--by", ev->by, err)) || (rc = check_text("--to", ev->to, err)) ||
	    (rc = check_text("--location", ev->location, err)) ||
	    (rc = check_text("--note", ev->note, err)))
		return rc;
	cu_time_iso8601(when, cu_time_now());
	snprintf(number, sizeof(number), "%u", seq);
	e = xmlNewChild(root, root->ns, BAD_CAST "event", NULL);
	if (!e)
		return cu_error_set(err, CU_EFAIL, "out of memory");
	xmlNewProp(e, BAD_CAST "seq", BAD_CAST number);
	xmlNewProp(e, BAD_CAST "action", BAD_CAST ev->action);
	xmlNewProp(e, BAD_CAST "time", BAD_CAST when);
	xmlNewProp(e, BAD_CAST "by", BAD_CAST(ev->by ? ev->by : ""));
	if (ev->to)
		xmlNewProp(e, BAD_CAST "to", BAD_CAST ev->to);
	if (ev->location)
		xmlNewProp(e, BAD_CAST "location", BAD_CAST ev->location);
	xmlNewProp(e, BAD_CAST "prev", BAD_CAST prev);
	if (ev->note)
		xmlNewTextChild(e, root->ns, BAD_CAST "note", BAD_CAST ev->note);
	*out = e;
	return ev->xml ? add_fragment(doc, e, ev->xml, err) : CU_OK;
}

static int set_head(xmlNodePtr root, xmlNodePtr last, struct cu_error *err)
{
	char head[65];
	int rc = event_hash(last, head, err);

	if (!rc)
		xmlSetProp(root, BAD_CAST "head", BAD_CAST head);
	return rc;
}

int custody_create(const char *path, const struct custody_event *first,
                   const struct cu_digests *digests, struct cu_error *err)
{
	xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
	xmlNodePtr root = doc ? xmlNewNode(NULL, BAD_CAST "custody") : NULL, ev;
	char prev[65];
	int rc;

	if (!root) {
		xmlFreeDoc(doc);
		return cu_error_set(err, CU_EFAIL, "out of memory");
	}
	xmlDocSetRootElement(doc, root);
	xmlSetNs(root, xmlNewNs(root, BAD_CAST CUSTODY_NS, NULL));
	xmlNewProp(root, BAD_CAST "version", BAD_CAST "1");
	binding_hash(digests, prev);
	rc = add_event(doc, root, 1, first, prev, &ev, err);
	if (!rc)
		rc = set_head(root, ev, err);
	if (!rc)
		rc = custody_save(path, doc, true, err);
	xmlFreeDoc(doc);
	return rc;
}

static bool is_event(xmlNodePtr n)
{
	return n->type == XML_ELEMENT_NODE && !xmlStrcmp(n->name, BAD_CAST "event") && n->ns &&
	       !xmlStrcmp(n->ns->href, BAD_CAST CUSTODY_NS);
}

static const char *prop(xmlNodePtr n, const char *name, char *buf, size_t cap)
{
	xmlChar *v = xmlGetProp(n, BAD_CAST name);

	snprintf(buf, cap, "%s", v ? (const char *)v : "");
	xmlFree(v);
	return buf;
}

/* Walks the chain; *last gets the last event. */
static int chain_check(const char *path, xmlDocPtr doc, const struct cu_digests *digests,
                       FILE *list, xmlNodePtr *last, struct cu_error *err)
{
	xmlNodePtr root = xmlDocGetRootElement(doc), prev_ev = NULL;
	char want[65], got[256], head[256], seq[32], buf[4][256];
	unsigned n = 0;
	int rc;

	if (!root || xmlStrcmp(root->name, BAD_CAST "custody") || !root->ns ||
	    xmlStrcmp(root->ns->href, BAD_CAST CUSTODY_NS))
		return cu_error_set(err, CU_EUSAGE, "%s is not a custos custody log", path);
	for (xmlNodePtr e = root->children; e; e = e->next) {
		if (e->type != XML_ELEMENT_NODE)
			continue;
		if (!is_event(e))
			return cu_error_set(err, CU_EFAIL,
			                    "the custody log %s is broken: a foreign "
			                    "element after event %u",
			                    path, n);
		n++;
		if (strtoul(prop(e, "seq", seq, sizeof(seq)), NULL, 10) != n)
			return cu_error_set(err, CU_EFAIL,
			                    "the custody log %s is broken: event %u is "
			                    "numbered %s",
			                    path, n, seq);
		if (prev_ev && (rc = event_hash(prev_ev, want, err)))
			return rc;
		if (!prev_ev && digests)
			binding_hash(digests, want);
		prop(e, "prev", got, sizeof(got));
		if ((prev_ev || digests) && strcmp(want, got))
			return cu_error_set(err, CU_EFAIL,
			                    "the custody log %s is broken at event %u: %s", path, n,
			                    prev_ev ? "the event before it was changed, removed or "
			                              "moved"
			                            : "it is not bound to this evidence's digests");
		if (list) {
			xmlChar *note = NULL;

			for (xmlNodePtr c = e->children; c; c = c->next)
				if (c->type == XML_ELEMENT_NODE &&
				    !xmlStrcmp(c->name, BAD_CAST "note"))
					note = xmlNodeGetContent(c);
			fprintf(list, "%3u  %s  %-12s by %s%s%s%s%s%s%s\n", n,
			        prop(e, "time", buf[0], sizeof(buf[0])),
			        prop(e, "action", buf[1], sizeof(buf[1])),
			        prop(e, "by", buf[2], sizeof(buf[2])),
			        xmlHasProp(e, BAD_CAST "to") ? " to " : "",
			        xmlHasProp(e, BAD_CAST "to") ? prop(e, "to", buf[3], sizeof(buf[3]))
			                                     : "",
			        xmlHasProp(e, BAD_CAST "location") ? " at " : "",
			        xmlHasProp(e, BAD_CAST "location")
			            ? prop(e, "location", got, sizeof(got))
			            : "",
			        note ? ": " : "", note ? (const char *)note : "");
			xmlFree(note);
		}
		prev_ev = e;
	}
	if (!prev_ev)
		return cu_error_set(err, CU_EFAIL, "the custody log %s is broken: it has no event",
		                    path);
	if ((rc = event_hash(prev_ev, want, err)))
		return rc;
	if (strcmp(want, prop(root, "head", head, sizeof(head))))
		return cu_error_set(err, CU_EFAIL,
		                    "the custody log %s is broken: its last event "
		                    "was changed",
		                    path);
	*last = prev_ev;
	return CU_OK;
}

int custody_read(const char *path, const struct cu_digests *digests, struct _xmlDoc **doc,
                 struct cu_error *err)
{
	xmlNodePtr last;
	int rc = custody_load(path, doc, err);

	if (!rc && (rc = chain_check(path, *doc, digests, NULL, &last, err))) {
		xmlFreeDoc(*doc);
		*doc = NULL;
	}
	return rc;
}

int custody_verify(const char *path, const struct cu_digests *digests, FILE *list,
                   struct cu_error *err)
{
	xmlDocPtr doc = NULL;
	xmlNodePtr last;
	int rc = custody_load(path, &doc, err);

	if (!rc)
		rc = chain_check(path, doc, digests, list, &last, err);
	xmlFreeDoc(doc);
	return rc;
}

int custody_append(const char *path, const struct custody_event *ev, struct cu_error *err)
{
	xmlDocPtr doc = NULL;
	xmlNodePtr last = NULL, added;
	char prev[65], seq[32];
	int rc = cu_file_check_replaceable(path, err);

	if (!rc)
		rc = custody_load(path, &doc, err);

	if (!rc)
		rc = chain_check(path, doc, NULL, NULL, &last, err);
	if (!rc)
		rc = event_hash(last, prev, err);
	if (!rc)
		rc = add_event(doc, xmlDocGetRootElement(doc),
		               (unsigned)strtoul(prop(last, "seq", seq, sizeof(seq)), NULL, 10) + 1,
		               ev, prev, &added, err);
	if (!rc)
		rc = set_head(xmlDocGetRootElement(doc), added, err);
	if (!rc)
		rc = custody_save(path, doc, false, err);
	xmlFreeDoc(doc);
	return rc;
}
