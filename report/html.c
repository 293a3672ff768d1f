/*
 * html.c - the report for people: the XML report through the stylesheet
 * report/custos-report-html.xsl (built into custos), applied by libxslt
 * with every file and network access forbidden, so that the page holds
 * nothing but the report, with its text escaped.
 */
#include <libxml/parser.h>
#include <libxslt/security.h>
#include <libxslt/transform.h>
#include <libxslt/xsltInternals.h>
#include <libxslt/xsltutils.h>
#include <stdlib.h>
#include <string.h>

#include "lib/xml.h"
#include "report/report.h"
#include "report_xsl.h" /* generated from report/custos-report-html.xsl */

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
