/*
 * dfxml.c - the acquisition as Digital Forensics XML 2.0: the creator and
 * its execution environment, the image files, and a disk image object whose
 * byte run carries the digests, then a byte run for each window of the
 * piecewise digests (acquire --hash-window), with the sector size and the
 * read errors.
 * report/dfxml/dfxml.xsd (public domain) is the schema the tests hold it to.
 *
 * Everything comes from the record in the custody log's first event, never
 * from the machine the DFXML is made on: the creator is the custos that
 * made the record, with the host it ran on (uname(2) as the record holds
 * it; an older record's one-line host as it stands), its start time and its
 * libraries.  For a set custos acquired that is the acquisition; for one
 * taken into custody by `verify --enroll` it is the enrollment, and the
 * document's description says so.  Every read error range is written, each
 * one, into the single error element DFXML allows a disk image; a record
 * that cannot be written whole gives no DFXML, with a line saying why.
 */
#include <libxml/tree.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "report/report.h"
#include "report/report_tree.h"

/* The DFXML name of a digest type the record holds; NULL for one it has no name for. */
static const char *dfxml_digest_type(const xmlChar *type)
{
	static const char *const names[][2] = {
	    {"md5", "MD5"}, {"sha1", "SHA1"}, {"sha256", "SHA256"}};

	for (size_t i = 0; type && i < sizeof(names) / sizeof(names[0]); i++)
		if (!xmlStrcmp(type, BAD_CAST names[i][0]))
			return names[i][1];
	return NULL;
}

/* The DFXML digests: MD5, SHA-1 and SHA-256 under their DFXML names. */
static int dfxml_digests(struct report_tree *r, xmlNodePtr to, xmlNodePtr from,
                         struct cu_error *err)
{
	int rc = CU_OK;

	for (xmlNodePtr h = from ? from->children : NULL; h && !rc; h = h->next) {
		xmlChar *type, *text;
		const char *name;

		if (h->type != XML_ELEMENT_NODE)
			continue;
		type = xmlGetProp(h, BAD_CAST "type");
		text = xmlNodeGetContent(h);
		if (!(name = dfxml_digest_type(type)) || !text)
			rc = cu_error_set(err, CU_EFAIL,
			                  "the record holds a digest DFXML cannot name: no DFXML");
		else
			xmlNewProp(xmlNewTextChild(to, r->ns, BAD_CAST "hashdigest", text),
			           BAD_CAST "type", BAD_CAST name);
		xmlFree(type);
		xmlFree(text);
	}
	return rc;
}

/* Appends "FIRST+COUNT" of range `e` to `text`, after ", " unless it is the first. */
static int dfxml_range_append(xmlBufferPtr text, xmlNodePtr e, bool first_one, struct cu_error *err)
{
	xmlChar *first = xmlGetProp(e, BAD_CAST "first"), *count = xmlGetProp(e, BAD_CAST "count");
	int bad = !first || !count || !first[0] || !count[0];

	if (bad)
		cu_error_set(err, CU_EFAIL,
		             "the record holds a read error without its first sector or count: "
		             "no DFXML");
	else if ((!first_one && xmlBufferCat(text, BAD_CAST ", ")) || xmlBufferCat(text, first) ||
	         xmlBufferCat(text, BAD_CAST "+") || xmlBufferCat(text, count))
		bad = cu_error_set(err, CU_EFAIL,
		                   "the list of read errors is too large to hold in memory: no "
		                   "DFXML");
	xmlFree(first);
	xmlFree(count);
	return bad ? CU_EFAIL : CU_OK;
}

/* Every read error range of the record, each one, in the disk image's error element. */
static int dfxml_errors(struct report_tree *r, xmlNodePtr dio, xmlNodePtr rec, struct cu_error *err)
{
	xmlNodePtr ranges = report_tree_node(r, rec, "c:read_errors");
	xmlBufferPtr text = xmlBufferCreate();
	char head[128];
	size_t n = 0;
	int rc = text ? CU_OK : cu_error_set(err, CU_EFAIL, "out of memory");

	if (text) /* grown by doubling: a record may hold a million ranges */
		xmlBufferSetAllocationScheme(text, XML_BUFFER_ALLOC_DOUBLEIT);

	for (xmlNodePtr e = ranges ? ranges->children : NULL; e; e = e->next)
		n += e->type == XML_ELEMENT_NODE;
	snprintf(head, sizeof(head),
	         "%zu range%s of unreadable sectors, zero-filled (first+count): ", n,
	         n == 1 ? "" : "s");
	if (!rc && n && xmlBufferCat(text, BAD_CAST head))
		rc = cu_error_set(err, CU_EFAIL, "out of memory");
	n = 0;
	for (xmlNodePtr e = ranges ? ranges->children : NULL; e && !rc; e = e->next)
		if (e->type == XML_ELEMENT_NODE)
			rc = dfxml_range_append(text, e, n++ == 0, err);
	if (!rc && n && !xmlNewTextChild(dio, r->ns, BAD_CAST "error", xmlBufferContent(text)))
		rc = cu_error_set(err, CU_EFAIL, "out of memory");
	if (text)
		xmlBufferFree(text);
	return rc;
}

/* What the creator block is: the acquisition's, or an enrollment's. */
static void dfxml_metadata(struct report_tree *r)
{
	xmlNsPtr dc = xmlNewNs(r->root, BAD_CAST "http://purl.org/dc/elements/1.1/", BAD_CAST "dc");
	xmlNodePtr meta = report_tree_child(r, r->root, "metadata");

	xmlNewTextChild(meta, dc, BAD_CAST "type", BAD_CAST "Disk Image");
	xmlNewTextChild(
	    meta, dc, BAD_CAST "description",
	    BAD_CAST(r->enrolled
	                 ? "Not acquired by custos: taken into custody by custos verify --enroll "
	                   "after a full verify that matched. The creator and its execution "
	                   "environment are the enrollment's, from its record in the custody "
	                   "log; the digests and read errors are those the set stores."
	                 : "Acquired by custos. The creator and its execution environment are "
	                   "the acquisition's, from its record in the custody log."));
}

/* The custos that made the record, where and when it ran, and its libraries. */
static void dfxml_creator(struct report_tree *r, xmlNodePtr rec)
{
	static const char *const uts_fields[][2] = {{"os_sysname", "c:sysname"},
	                                            {"os_release", "c:release"},
	                                            {"os_version", "c:version"},
	                                            {"host", "c:nodename"},
	                                            {"arch", "c:machine"}};
	xmlNodePtr creator = report_tree_child(r, r->root, "creator"), env,
	           uts = report_tree_node(r, rec, "c:tool/c:system");

	xmlNewProp(creator, BAD_CAST "version", BAD_CAST "1.0");
	report_tree_copy_text(r, creator, "program", rec, "c:tool/c:name", "custos");
	report_tree_copy_text(r, creator, "version", rec, "c:tool/c:version", "");
	env = report_tree_child(r, creator, "execution_environment");
	for (size_t i = 0; uts && i < sizeof(uts_fields) / sizeof(uts_fields[0]); i++)
		report_tree_copy_text(r, env, uts_fields[i][0], uts, uts_fields[i][1], NULL);
	if (!uts) /* a record from before custos kept uname's fields apart */
		report_tree_copy_text(r, env, "host", rec, "c:tool/c:host", NULL);
	report_tree_copy_text(r, env, "start_time", rec, "c:started", NULL);
	report_tree_copy_libraries(r, creator, report_tree_node(r, rec, "c:tool"));
}

/* The name DFXML gives a digest attribute of a record's window, or NULL. */
static const char *dfxml_window_digest(const xmlChar *attr)
{
	return xmlStrcmp(attr, BAD_CAST "offset") && xmlStrcmp(attr, BAD_CAST "length")
	           ? dfxml_digest_type(attr)
	           : NULL;
}

/* The custody namespace, as "custos:", declared once on the root. */
static xmlNsPtr dfxml_custos_ns(struct report_tree *r)
{
	xmlNsPtr ns = xmlSearchNsByHref(r->out, r->root, BAD_CAST CU_CUSTODY_NS);

	return ns ? ns : xmlNewNs(r->root, BAD_CAST CU_CUSTODY_NS, BAD_CAST "custos");
}

/*
 * A byte run for each window of the record's piecewise digests (acquire
 * --hash-window), after the run of the whole media: its offset in the
 * image, its length and its digests, marked custos:hash_window with its
 * number so that no reader takes the windows for more of the image.
 */
static void dfxml_windows(struct report_tree *r, xmlNodePtr runs, xmlNodePtr rec)
{
	xmlNodePtr from = report_tree_node(r, rec, "c:hash_windows");
	xmlNsPtr c = from ? dfxml_custos_ns(r) : NULL;
	unsigned long i = 0;
	char num[32];

	for (xmlNodePtr e = from ? from->children : NULL; e; e = e->next) {
		xmlNodePtr run;
		xmlChar *v;

		if (e->type != XML_ELEMENT_NODE)
			continue;
		run = report_tree_child(r, runs, "byte_run");
		v = xmlGetProp(e, BAD_CAST "offset");
		xmlNewProp(run, BAD_CAST "img_offset", v ? v : BAD_CAST "0");
		xmlFree(v);
		v = xmlGetProp(e, BAD_CAST "length");
		xmlNewProp(run, BAD_CAST "len", v ? v : BAD_CAST "0");
		xmlFree(v);
		snprintf(num, sizeof(num), "%lu", i++);
		xmlNewNsProp(run, c, BAD_CAST "hash_window", BAD_CAST num);
		for (xmlAttrPtr a = e->properties; a; a = a->next) {
			const char *name = dfxml_window_digest(a->name);

			if (!name || !(v = xmlNodeGetContent((xmlNodePtr)a)))
				continue;
			xmlNewProp(xmlNewTextChild(run, r->ns, BAD_CAST "hashdigest", v),
			           BAD_CAST "type", BAD_CAST name);
			xmlFree(v);
		}
	}
}

/*
 * The drive's SMART before and after, where DFXML lets another namespace
 * in: custos:smart elements at the head of the disk image object, as the
 * record holds them, smartctl's JSON by its SHA-256 alone.
 */
static void dfxml_smart(struct report_tree *r, xmlNodePtr runs, xmlNodePtr rec)
{
	for (xmlNodePtr e = rec->children; e; e = e->next) {
		xmlNodePtr copy, json;

		if (e->type != XML_ELEMENT_NODE || xmlStrcmp(e->name, BAD_CAST "smart") ||
		    !(copy = report_tree_copy_element(r, e, dfxml_custos_ns(r))))
			continue;
		for (json = copy->children; json; json = json->next)
			if (json->type == XML_ELEMENT_NODE &&
			    !xmlStrcmp(json->name, BAD_CAST "smartctl_json"))
				xmlNodeSetContent(json, NULL);
		xmlAddPrevSibling(runs, copy);
	}
}

static int dfxml_body(struct report_tree *r, xmlNodePtr rec, struct cu_error *err)
{
	xmlNodePtr src, dio, run, segs = report_tree_node(r, rec, "c:segments");
	xmlNodePtr m = report_tree_node(r, rec, "c:media_size");
	xmlChar *len = m ? xmlNodeGetContent(m) : NULL;
	int rc;

	xmlNewProp(r->root, BAD_CAST "version", BAD_CAST "2.0.0-beta.0");
	dfxml_metadata(r);
	dfxml_creator(r, rec);
	src = report_tree_child(r, r->root, "source");
	for (xmlNodePtr s = segs ? segs->children : NULL; s; s = s->next)
		if (s->type == XML_ELEMENT_NODE) {
			xmlChar *name = xmlGetProp(s, BAD_CAST "name");

			xmlNewTextChild(src, r->ns, BAD_CAST "image_filename", name);
			xmlFree(name);
		}
	dio = report_tree_child(r, r->root, "diskimageobject");
	run = report_tree_child(r, report_tree_child(r, dio, "byte_runs"), "byte_run");
	xmlNewProp(run, BAD_CAST "img_offset", BAD_CAST "0");
	xmlNewProp(run, BAD_CAST "len", len ? len : BAD_CAST "0");
	xmlFree(len);
	rc = dfxml_digests(r, run, report_tree_node(r, rec, "c:hashes"), err);
	dfxml_windows(r, run->parent, rec);
	dfxml_smart(r, run->parent, rec);
	report_tree_copy_text(r, dio, "sector_size", rec, "c:settings/c:bytes_per_sector", "512");
	return rc ? rc : dfxml_errors(r, dio, rec, err);
}

int report_dfxml_assemble(struct report_tree *r, struct cu_error *err)
{
	int rc = report_tree_start(r, "dfxml", DFXML_NS, err);

	return rc ? rc : dfxml_body(r, r->record, err);
}
