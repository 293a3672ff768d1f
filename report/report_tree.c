/*
 * report_tree.c - the custody log behind a report, and the output document.
 *
 * The record is the first event's: an acquisition's (custos imaged the
 * medium) or an enrollment's (verify --enroll took another tool's set into
 * custody).  Everything the report says of the acquisition comes from it,
 * never from the machine the report is made on.
 */
#include "report/report_tree.h"

#include <libxml/xpathInternals.h>
#include <stdlib.h>
#include <string.h>

#include "lib/path.h"

int report_tree_open(struct report_tree *r, const char *evidence, struct cu_error *err)
{
	struct custody_binding binding;
	char *log = cu_path_custody_log(evidence);
	int rc = log ? custody_load(log, &r->custody, err)
	             : cu_error_set(err, CU_EFAIL, "out of memory");

	if (!rc)
		rc = custody_binding_of(evidence, r->custody, &binding, err);
	if (!rc)
		rc = custody_check(r->custody, &(struct custody_checks){.binding = &binding}, err);
	free(log);
	if (rc)
		return rc;
	r->log = custody_doc(r->custody);
	r->xp = xmlXPathNewContext(r->log);
	if (!r->xp || xmlXPathRegisterNs(r->xp, BAD_CAST "c", BAD_CAST CU_CUSTODY_NS))
		return cu_error_set(err, CU_EFAIL, "out of memory");
	r->first = report_tree_node(r, xmlDocGetRootElement(r->log), "c:event[1]");
	r->record = r->first ? report_tree_node(r, r->first, "c:acquisition") : NULL;
	if (!r->record && r->first) {
		r->record = report_tree_node(r, r->first, "c:enrollment");
		r->enrolled = r->record != NULL;
	}
	if (!r->record)
		return cu_error_set(err, CU_EUSAGE,
		                    "the custody log holds no acquisition or enrollment record");
	return CU_OK;
}

int report_tree_start(struct report_tree *r, const char *name, const char *ns, struct cu_error *err)
{
	r->out = xmlNewDoc(BAD_CAST "1.0");
	r->root = r->out ? xmlNewNode(NULL, BAD_CAST name) : NULL;
	if (!r->root)
		return cu_error_set(err, CU_EFAIL, "out of memory");
	xmlDocSetRootElement(r->out, r->root);
	r->ns = xmlNewNs(r->root, BAD_CAST ns, NULL);
	xmlSetNs(r->root, r->ns);
	return CU_OK;
}

int report_tree_text(struct report_tree *r, char **xml, size_t *len, struct cu_error *err)
{
	xmlChar *text = NULL;
	int size = 0;

	xmlDocDumpFormatMemoryEnc(r->out, &text, &size, "UTF-8", 1);
	*xml = text ? malloc((size_t)size + 1) : NULL;
	if (*xml) {
		memcpy(*xml, text, (size_t)size + 1);
		*len = (size_t)size;
	}
	xmlFree(text);
	return *xml ? CU_OK : cu_error_set(err, CU_EFAIL, "out of memory");
}

void report_tree_close(struct report_tree *r)
{
	xmlXPathFreeContext(r->xp);
	xmlFreeDoc(r->out);
	custody_free(r->custody);
	memset(r, 0, sizeof(*r));
}

xmlNodePtr report_tree_node(struct report_tree *r, xmlNodePtr at, const char *expr)
{
	xmlXPathObjectPtr o = xmlXPathNodeEval(at, BAD_CAST expr, r->xp);
	xmlNodePtr n =
	    o && o->nodesetval && o->nodesetval->nodeNr ? o->nodesetval->nodeTab[0] : NULL;

	xmlXPathFreeObject(o);
	return n;
}

xmlNodePtr report_tree_child(struct report_tree *r, xmlNodePtr parent, const char *name)
{
	return xmlNewChild(parent, r->ns, BAD_CAST name, NULL);
}

void report_tree_copy_text(struct report_tree *r, xmlNodePtr to, const char *name, xmlNodePtr at,
                           const char *expr, const char *fallback)
{
	xmlNodePtr n = report_tree_node(r, at, expr);
	xmlChar *text = n ? xmlNodeGetContent(n) : NULL;

	if (text || fallback)
		xmlNewTextChild(to, r->ns, BAD_CAST name, text ? text : BAD_CAST fallback);
	xmlFree(text);
}

/* Puts `n` and every element under it in namespace `ns`. */
static void set_ns(xmlNodePtr n, xmlNsPtr ns)
{
	for (; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE) {
			xmlFreeNsList(n->nsDef);
			n->nsDef = NULL;
			n->ns = ns;
			set_ns(n->children, ns);
		}
}

xmlNodePtr report_tree_copy_element(struct report_tree *r, xmlNodePtr from, xmlNsPtr ns)
{
	xmlNodePtr copy = xmlDocCopyNode(from, r->out, 1);

	if (copy) {
		xmlFreeNsList(copy->nsDef);
		copy->nsDef = NULL;
		copy->ns = ns;
		set_ns(copy->children, ns);
	}
	return copy;
}

void report_tree_copy_attr(xmlNodePtr to, xmlNodePtr from, const char *name)
{
	xmlChar *v = xmlGetProp(from, BAD_CAST name);

	if (v)
		xmlNewProp(to, BAD_CAST name, v);
	xmlFree(v);
}

void report_tree_copy_libraries(struct report_tree *r, xmlNodePtr to, xmlNodePtr tool)
{
	for (xmlNodePtr n = tool ? tool->children : NULL; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE && xmlStrEqual(n->name, BAD_CAST "library")) {
			xmlNodePtr lib = report_tree_child(r, to, "library");

			report_tree_copy_attr(lib, n, "name");
			report_tree_copy_attr(lib, n, "version");
		}
}
