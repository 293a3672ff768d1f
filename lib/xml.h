/*
 * xml.h - libxml2 as custos uses it: hostile input parsed safely, and
 * every diagnostic turned into custos' own one line.
 *
 * libxml2 prints parser and validation errors on stderr by itself, in many
 * lines.  custos installs a capture around each operation instead: the first
 * message is kept and becomes part of the one line the command prints; the
 * rest is dropped.  Documents custos reads (the custody log, a report) are
 * parsed with no network, no DTD and no entity expansion, and a DOCTYPE is
 * refused before parsing: nothing such a document names is ever read.
 */
#ifndef CUSTOS_LIB_XML_H
#define CUSTOS_LIB_XML_H

#include <stddef.h>

#include "lib/error.h"

/* The namespace of the custody log, and of the acquisition record in it. */
#define CU_CUSTODY_NS "urn:custos:custody:1"

struct cu_xml_capture {
	char first[256]; /* the first message, one line; "" when none */
	int count;
};

/* From now until cu_xml_capture_stop, libxml2's messages go into `c`. */
void cu_xml_capture_start(struct cu_xml_capture *c);

/* libxml2 is silent again (its messages are dropped). */
void cu_xml_capture_stop(struct cu_xml_capture *c);

/* The capture's handlers, for APIs that take their own (schemas, XSLT). */
void cu_xml_capture_generic(void *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

struct _xmlDoc;

/*
 * Parses `len` bytes as a document named `name` in messages.  A DOCTYPE or
 * an entity declaration is refused unread; so is anything not well-formed.
 * Returns CU_EFAIL with the first parser message.
 */
int cu_xml_parse(const char *buf, size_t len, const char *name, struct _xmlDoc **doc,
                 struct cu_error *err);

#endif
