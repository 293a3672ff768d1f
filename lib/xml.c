/*
 * xml.c - capturing libxml2's diagnostics; the safe parse.
 */
#include "lib/xml.h"

#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define XML_PARSE_SAFE                                                                             \
	(XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_NOBLANKS | XML_PARSE_NOERROR |            \
	 XML_PARSE_NOWARNING)

static void capture_keep(struct cu_xml_capture *c, const char *text)
{
	size_t n;

	c->count++;
	if (c->first[0])
		return;
	while (*text == ' ' || *text == '\n')
		text++;
	/* the first line of the message, cut to what c->first holds */
	n = strcspn(text, "\n");
	if (n > sizeof(c->first) - 1)
		n = sizeof(c->first) - 1;
	memcpy(c->first, text, n);
	c->first[n] = '\0';
}

static void capture_structured(void *ctx, xmlErrorPtr e)
{
	char line[300];

	if (!ctx || !e || !e->message)
		return;
	if (e->line > 0)
		snprintf(line, sizeof(line), "line %d: %s", e->line, e->message);
	else
		snprintf(line, sizeof(line), "%s", e->message);
	capture_keep(ctx, line);
}

void cu_xml_capture_generic(void *ctx, const char *fmt, ...)
{
	struct cu_xml_capture *c = ctx;
	char text[300];
	va_list ap;

	if (!c || c->first[0])
		return;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (text[strspn(text, " \n")])
		capture_keep(c, text);
}

static void silent_structured(void *ctx, xmlErrorPtr e)
{
	(void)ctx;
	(void)e;
}

static void silent_generic(void *ctx, const char *fmt, ...)
{
	(void)ctx;
	(void)fmt;
}

void cu_xml_capture_start(struct cu_xml_capture *c)
{
	c->first[0] = '\0';
	c->count = 0;
	xmlSetStructuredErrorFunc(c, capture_structured);
	xmlSetGenericErrorFunc(c, cu_xml_capture_generic);
}

void cu_xml_capture_stop(struct cu_xml_capture *c)
{
	(void)c;
	xmlSetStructuredErrorFunc(NULL, silent_structured);
	xmlSetGenericErrorFunc(NULL, silent_generic);
}

int cu_xml_parse(const char *buf, size_t len, const char *name, struct _xmlDoc **doc,
                 struct cu_error *err)
{
	struct cu_xml_capture cap;

	*doc = NULL;
	if (memmem(buf, len, "<!DOCTYPE", 9) || memmem(buf, len, "<!ENTITY", 8))
		return cu_error_set(err, CU_EFAIL,
		                    "%s: it holds a DOCTYPE, which custos never writes (nothing it "
		                    "refers to was read)",
		                    name);
	if (len > (size_t)__INT_MAX__)
		return cu_error_set(err, CU_EFAIL, "%s: too large", name);
	cu_xml_capture_start(&cap);
	*doc = xmlReadMemory(buf, (int)len, name, "UTF-8", XML_PARSE_SAFE);
	cu_xml_capture_stop(&cap);
	if (!*doc || (*doc)->intSubset || (*doc)->extSubset) {
		xmlFreeDoc(*doc);
		*doc = NULL;
		return cu_error_set(err, CU_EFAIL, "%s: not well-formed XML%s%s", name,
		                    cap.first[0] ? ": " : "", cap.first);
	}
	return CU_OK;
}
