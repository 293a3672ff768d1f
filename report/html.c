/*
 * html.c - the report for people: the XML report through the stylesheet
 * report/custos-report-html.xsl (built into custos), applied by libxslt
 * with every file and network access forbidden, so that the page holds
 * nothing but the report, with its text escaped.  The one parameter the
 * stylesheet takes, the case label printed at the head of every page, is
 * made here as the inside of a CSS string: every character but letters,
 * digits and a few marks as a CSS escape (\HHHHHH), so that no text from
 * the evidence can end the string or the style sheet.  The map of the
 * medium (report --map) is the page's SVG element, taken out whole.
 *
 * Before the stylesheet runs, every text and attribute of the report that
 * holds a character which would hide or reorder what people read (a
 * control, a bidirectional override: U+202E makes "txt.exe" show as
 * "exe.txt") has it written visibly, [U+202E] (cu_text_visible): the XML
 * report keeps the exact text, the page shows what it is.
 */
#include <libxml/parser.h>
#include <libxslt/security.h>
#include <libxslt/transform.h>
#include <libxslt/xsltInternals.h>
#include <libxslt/xsltutils.h>
#include <stdlib.h>
#include <string.h>

#include "lib/text.h"
#include "lib/xml.h"
#include "report/report.h"
#include "report_xsl.h" /* generated from report/custos-report-html.xsl */

#define HTML_LABEL_MAX 4096

/* The text of the element `name` under the report's <case>, or "". */
static const xmlChar *case_field(xmlDocPtr doc, const char *name, xmlChar **keep)
{
	xmlNodePtr root = xmlDocGetRootElement(doc), c = root ? root->children : NULL;

	for (; c && xmlStrcmp(c->name, BAD_CAST "case"); c = c->next)
		;
	for (c = c ? c->children : NULL; c && xmlStrcmp(c->name, BAD_CAST name); c = c->next)
		;
	*keep = c ? xmlNodeGetContent(c) : NULL;
	return *keep ? *keep : BAD_CAST "";
}

/* `text` into `out` as the inside of a quoted CSS string; false when it does not fit. */
static bool css_escape(const char *text, char *out, size_t cap)
{
	size_t len = 0;
	uint32_t cp;

	out[0] = '\0';
	while (*text) {
		size_t n = cu_utf8_decode(text, &cp);
		int w;

		if (!n) { /* not UTF-8: shown as the replacement character */
			cp = 0xfffd;
			n = 1;
		}
		if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
		    (cp >= '0' && cp <= '9') || (cp && cp < 0x80 && strchr(" -_.,:/", (int)cp)))
			w = snprintf(out + len, cap - len, "%c", (char)cp);
		else
			w = snprintf(out + len, cap - len, "\\%06X",
			             (unsigned)(cp < 0x20 ? 0xfffd : cp));
		if (w < 0 || (size_t)w >= cap - len)
			return false;
		len += (size_t)w;
		text += n;
	}
	return true;
}

/* The stylesheet's parameter css-label, as an XPath string literal: 'Case X, evidence Y'. */
static void html_label(xmlDocPtr doc, char *param, size_t cap)
{
	xmlChar *c = NULL, *e = NULL;
	char label[HTML_LABEL_MAX], css[HTML_LABEL_MAX];

	const char *cn = (const char *)case_field(doc, "case_number", &c);
	const char *en = (const char *)case_field(doc, "evidence_number", &e);

	if (cn[0] || en[0])
		snprintf(label, sizeof(label), "Case %s, evidence %s", cn[0] ? cn : "-",
		         en[0] ? en : "-");
	else
		snprintf(label, sizeof(label), "Evidence report, no case number");
	xmlFree(c);
	xmlFree(e);
	if (!css_escape(label, css, sizeof(css)))
		snprintf(css, sizeof(css), "Evidence report");
	snprintf(param, cap, "'%s'", css);
}

/* Every text and attribute value under `n` with what hides or reorders text made visible. */
static bool html_defuse(xmlNodePtr n)
{
	bool failed = false;

	for (; n && !failed; n = n->next) {
		char *shown;

		if (n->type == XML_TEXT_NODE && n->content &&
		    (shown = cu_text_visible((const char *)n->content, &failed))) {
			xmlNodeSetContent(n, BAD_CAST shown);
			free(shown);
		}
		if (n->type == XML_ELEMENT_NODE)
			for (xmlAttrPtr a = n->properties; a && !failed; a = a->next) {
				xmlChar *v = xmlNodeGetContent((xmlNodePtr)a);

				if (v && (shown = cu_text_visible((const char *)v, &failed))) {
					xmlSetProp(n, a->name, BAD_CAST shown);
					free(shown);
				}
				xmlFree(v);
			}
		if (n->type == XML_ELEMENT_NODE && !failed)
			failed = !html_defuse(n->children);
	}
	return !failed;
}

/* The report through the stylesheet; libxslt reads and writes nothing but its input. */
static xmlDocPtr html_transform(xsltStylesheetPtr style, xmlDocPtr doc)
{
	xsltSecurityPrefsPtr sec = xsltNewSecurityPrefs();
	xsltTransformContextPtr ctx = doc ? xsltNewTransformContext(style, doc) : NULL;
	xmlDocPtr out = NULL;
	char label[HTML_LABEL_MAX + 3];
	const char *params[] = {"css-label", label, NULL};

	if (ctx && sec) {
		html_label(doc, label, sizeof(label));
		xsltSetSecurityPrefs(sec, XSLT_SECPREF_READ_FILE, xsltSecurityForbid);
		xsltSetSecurityPrefs(sec, XSLT_SECPREF_WRITE_FILE, xsltSecurityForbid);
		xsltSetSecurityPrefs(sec, XSLT_SECPREF_CREATE_DIRECTORY, xsltSecurityForbid);
		xsltSetSecurityPrefs(sec, XSLT_SECPREF_READ_NETWORK, xsltSecurityForbid);
		xsltSetSecurityPrefs(sec, XSLT_SECPREF_WRITE_NETWORK, xsltSecurityForbid);
		xsltSetCtxtSecurityPrefs(sec, ctx);
		out = xsltApplyStylesheetUser(style, doc, params, NULL, NULL, ctx);
	}
	xsltFreeTransformContext(ctx);
	xsltFreeSecurityPrefs(sec);
	return out;
}

/* The report laid out: the result document of the stylesheet, and the stylesheet. */
struct html_result {
	xsltStylesheetPtr style;
	xmlDocPtr out;
};

static int html_lay_out(const char *xml, size_t len, struct html_result *res, struct cu_error *err)
{
	struct cu_xml_capture cap;
	xmlDocPtr style_doc, doc = NULL;

	memset(res, 0, sizeof(*res));
	cu_xml_capture_start(&cap);
	xsltSetGenericErrorFunc(&cap, cu_xml_capture_generic);
	style_doc = xmlReadMemory((const char *)report_xsl, (int)report_xsl_len,
	                          "custos-report-html.xsl", "UTF-8", XML_PARSE_NONET);
	res->style = style_doc ? xsltParseStylesheetDoc(style_doc) : NULL;
	if (res->style)
		doc = xmlReadMemory(xml, (int)len, "report.xml", "UTF-8", XML_PARSE_NONET);
	else
		xmlFreeDoc(style_doc);
	if (doc && html_defuse(xmlDocGetRootElement(doc)))
		res->out = html_transform(res->style, doc);
	xmlFreeDoc(doc);
	xsltSetGenericErrorFunc(NULL, NULL);
	cu_xml_capture_stop(&cap);
	if (res->out)
		return CU_OK;
	xsltFreeStylesheet(res->style);
	res->style = NULL;
	return cu_error_set(err, CU_EFAIL, "cannot lay out the report as HTML%s%s",
	                    cap.first[0] ? ": " : "", cap.first);
}

static void html_result_free(struct html_result *res)
{
	xmlFreeDoc(res->out);
	xsltFreeStylesheet(res->style);
}

/* `size` bytes of `text` into a malloc'ed, NUL-terminated copy. */
static int html_copy(const xmlChar *text, int size, char **out, size_t *out_len,
                     struct cu_error *err)
{
	if (!text || size < 0)
		return cu_error_set(err, CU_EFAIL, "cannot write the laid-out report");
	if (!(*out = malloc((size_t)size + 1)))
		return cu_error_set(err, CU_EFAIL, "out of memory");
	memcpy(*out, text, (size_t)size);
	(*out)[size] = '\0';
	*out_len = (size_t)size;
	return CU_OK;
}

int report_html(const char *xml, size_t len, char **html, size_t *html_len, struct cu_error *err)
{
	struct html_result res;
	xmlChar *text = NULL;
	int size = 0, rc = html_lay_out(xml, len, &res, err);

	if (!rc && xsltSaveResultToString(&text, &size, res.out, res.style) != 0)
		text = NULL;
	if (!rc)
		rc = html_copy(text, size, html, html_len, err);
	xmlFree(text);
	html_result_free(&res);
	return rc;
}

/* The first <svg> element under `n`, depth first. */
static xmlNodePtr find_svg(xmlNodePtr n)
{
	for (; n; n = n->next) {
		xmlNodePtr found;

		if (n->type == XML_ELEMENT_NODE && !xmlStrcmp(n->name, BAD_CAST "svg"))
			return n;
		if ((found = find_svg(n->children)))
			return found;
	}
	return NULL;
}

int report_map(const char *xml, size_t len, char **svg, size_t *svg_len, struct cu_error *err)
{
	struct html_result res;
	xmlDocPtr alone = NULL;
	xmlNodePtr map, copy = NULL;
	xmlChar *text = NULL;
	int size = 0, rc = html_lay_out(xml, len, &res, err);

	if (!rc && !(map = find_svg(res.out->children)))
		rc = cu_error_set(err, CU_EFAIL, "the report holds no map of the medium");
	if (!rc &&
	    (!(alone = xmlNewDoc(BAD_CAST "1.0")) || !(copy = xmlDocCopyNode(map, alone, 1))))
		rc = cu_error_set(err, CU_EFAIL, "out of memory");
	if (!rc) {
		xmlDocSetRootElement(alone, copy);
		xmlReconciliateNs(alone, xmlDocGetRootElement(alone));
		xmlDocDumpFormatMemoryEnc(alone, &text, &size, "UTF-8", 1);
		rc = html_copy(text, size, svg, svg_len, err);
	}
	xmlFree(text);
	xmlFreeDoc(alone);
	html_result_free(&res);
	return rc;
}
