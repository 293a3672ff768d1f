/*
 * report_tree.h - what the report, its DFXML form and its readers share:
 * the custody log the report is made from, checked, with XPath over it,
 * and the output document being built (not a public interface).
 */
#ifndef CUSTOS_REPORT_REPORT_TREE_H
#define CUSTOS_REPORT_REPORT_TREE_H

#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <stdbool.h>

#include "lib/error.h"
#include "report/custody.h"

struct report_tree {
	struct custody_log *custody;
	xmlDocPtr log, out;       /* the custody log; the document being built */
	xmlXPathContextPtr xp;    /* over the log, "c" the custody namespace */
	xmlNodePtr first, record; /* the log's first event, and the record it holds */
	bool enrolled;            /* the record is an enrollment's (verify --enroll) */
	xmlNodePtr root;          /* of the output */
	xmlNsPtr ns;              /* of the output */
};

/*
 * Loads the custody log of `evidence`, checked against it, and finds its
 * record: the first event's acquisition, or its enrollment (`enrolled`).
 */
int report_tree_open(struct report_tree *r, const char *evidence, struct cu_error *err);

/* Starts the output document: a root element `name` in namespace `ns`. */
int report_tree_start(struct report_tree *r, const char *name, const char *ns,
                      struct cu_error *err);

/* The output as text (malloc'ed). */
int report_tree_text(struct report_tree *r, char **xml, size_t *len, struct cu_error *err);

void report_tree_close(struct report_tree *r);

/* The first node `expr` selects under `at`, or NULL. */
xmlNodePtr report_tree_node(struct report_tree *r, xmlNodePtr at, const char *expr);

/* A new element `name` under `parent`, in the output's namespace. */
xmlNodePtr report_tree_child(struct report_tree *r, xmlNodePtr parent, const char *name);

/* A new element `name` under `to` with the text `expr` selects (or `fallback`; neither: none). */
void report_tree_copy_text(struct report_tree *r, xmlNodePtr to, const char *name, xmlNodePtr at,
                           const char *expr, const char *fallback);

/*
 * A deep copy of the log's element `from`, for the output document, with
 * every element of it in namespace `ns` (and no declaration of its own);
 * NULL when out of memory.  The caller attaches it.
 */
xmlNodePtr report_tree_copy_element(struct report_tree *r, xmlNodePtr from, xmlNsPtr ns);

/* Copies attribute `name` from `from` to `to`, when it is there. */
void report_tree_copy_attr(xmlNodePtr to, xmlNodePtr from, const char *name);

/*
 * A <library name= version=/> under `to` for each the record's <tool>
 * lists: the libraries the acquisition ran with (the report's tool, and
 * DFXML's creator, whose library elements describe the program as run).
 */
void report_tree_copy_libraries(struct report_tree *r, xmlNodePtr to, xmlNodePtr tool);

#endif
