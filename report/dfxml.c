/*
 * dfxml.c - the acquisition as Digital Forensics XML 2.0: the creator and
 * its execution environment, the image files, and a disk image object whose
 * byte run carries the digests, with the sector size and the read errors.
 * report/dfxml/dfxml.xsd (public domain) is the schema the tests hold it to.
 */
#include <libxml/tree.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include "report/report.h"
#include "report/report_tree.h"

/* The DFXML digests: MD5 and SHA-256 (and SHA-1) in upper-case type names. */
static void dfxml_digests(struct report_tree *r, xmlNodePtr to, xmlNodePtr from)
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

static void dfxml_errors(struct report_tree *r, xmlNodePtr dio, xmlNodePtr rec)
{
	xmlNodePtr ranges = report_tree_node(r, rec, "c:read_errors");
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

static void dfxml_body(struct report_tree *r, xmlNodePtr rec)
{
	xmlNodePtr meta, creator, env, src, dio, runs, run,
	    segs = report_tree_node(r, rec, "c:segments");
	xmlNsPtr dc;
	struct utsname u;

	xmlNewProp(r->root, BAD_CAST "version", BAD_CAST "2.0.0-beta.0");
	dc = xmlNewNs(r->root, BAD_CAST "http://purl.org/dc/elements/1.1/", BAD_CAST "dc");
	meta = report_tree_child(r, r->root, "metadata");
	xmlNewTextChild(meta, dc, BAD_CAST "type", BAD_CAST "Disk Image");
	creator = report_tree_child(r, r->root, "creator");
	xmlNewProp(creator, BAD_CAST "version", BAD_CAST "1.0");
	report_tree_copy_text(r, creator, "program", rec, "c:tool/c:name", "custos");
	report_tree_copy_text(r, creator, "version", rec, "c:tool/c:version", "");
	env = report_tree_child(r, creator, "execution_environment");
	if (uname(&u) == 0) {
		xmlNewTextChild(env, r->ns, BAD_CAST "os_sysname", BAD_CAST u.sysname);
		xmlNewTextChild(env, r->ns, BAD_CAST "os_release", BAD_CAST u.release);
		xmlNewTextChild(env, r->ns, BAD_CAST "os_version", BAD_CAST u.version);
		xmlNewTextChild(env, r->ns, BAD_CAST "host", BAD_CAST u.nodename);
		xmlNewTextChild(env, r->ns, BAD_CAST "arch", BAD_CAST u.machine);
	}
	report_tree_copy_text(r, env, "start_time", rec, "c:started", NULL);
	report_tree_copy_libraries(r, creator, report_tree_node(r, rec, "c:tool"));
	src = report_tree_child(r, r->root, "source");
	for (xmlNodePtr s = segs ? segs->children : NULL; s; s = s->next)
		if (s->type == XML_ELEMENT_NODE) {
			xmlChar *name = xmlGetProp(s, BAD_CAST "name");

			xmlNewTextChild(src, r->ns, BAD_CAST "image_filename", name);
			xmlFree(name);
		}
	dio = report_tree_child(r, r->root, "diskimageobject");
	runs = report_tree_child(r, dio, "byte_runs");
	run = report_tree_child(r, runs, "byte_run");
	xmlNewProp(run, BAD_CAST "img_offset", BAD_CAST "0");
	{
		xmlNodePtr m = report_tree_node(r, rec, "c:media_size");
		xmlChar *len = m ? xmlNodeGetContent(m) : NULL;

		xmlNewProp(run, BAD_CAST "len", len ? len : BAD_CAST "0");
		xmlFree(len);
	}
	dfxml_digests(r, run, report_tree_node(r, rec, "c:hashes"));
	report_tree_copy_text(r, dio, "sector_size", rec, "c:settings/c:bytes_per_sector", "512");
	dfxml_errors(r, dio, rec);
}

int report_dfxml_assemble(struct report_tree *r, struct cu_error *err)
{
	int rc = report_tree_start(r, "dfxml", DFXML_NS, err);

	if (!rc)
		dfxml_body(r, r->record);
	return rc;
}
