/*
 * report.h - the evidence report: one XML document an examiner files.
 *
 * Built from the custody log beside the evidence (its chain checked and
 * bound to the evidence's digests first): the case, the examiner, the tool
 * and host, the source, the acquisition, the digests at acquisition and at
 * the last verification, the read errors, the container with each segment's
 * size and SHA-256, and every custody event.  In the namespace
 * urn:custos:report:1, validated against report/custos-report.xsd (built
 * into custos) before it is written.  Tool, host, libraries and times are
 * the acquisition's, from the record in the log's first event, never the
 * machine's the report is made on; a set enrolled with `verify --enroll`
 * gets its report from its enrollment record, saying so.
 */
#ifndef CUSTOS_REPORT_REPORT_H
#define CUSTOS_REPORT_REPORT_H

#include <stddef.h>

#include "lib/error.h"

#define REPORT_NS "urn:custos:report:1"

#define DFXML_NS "http://www.forensicswiki.org/wiki/Category:Digital_Forensics_XML"

enum report_kind { REPORT_XML, REPORT_DFXML };

/*
 * The report of `evidence` (malloc'ed text): REPORT_XML, validated against
 * custos-report.xsd; or REPORT_DFXML, the acquisition as Digital Forensics
 * XML 2.0 (creator, source image files, a diskimageobject whose byte run
 * carries the MD5 and SHA-256, the sector size, and the read errors).
 */
int report_build(const char *evidence, enum report_kind kind, char **xml, size_t *len,
                 struct cu_error *err);

/*
 * The custody anchor a report recorded: the number of events the log held,
 * and the SHA-256 of the last (`head`, 65 bytes).  The report is read as
 * hostile input.
 */
int report_read_anchor(const char *path, unsigned *events, char *head, struct cu_error *err);

/* When REPORT.p7s exists beside `path`, checks it against `ca` (sign.h). */
int report_check_signature_if_any(const char *path, const char *ca, struct cu_error *err);

struct report_tree;

/* The DFXML document of the tree's record (dfxml.c). */
int report_dfxml_assemble(struct report_tree *r, struct cu_error *err);

/* The report for people: `xml` (a report) through custos-report-html.xsl (html.c). */
int report_html(const char *xml, size_t len, char **html, size_t *html_len, struct cu_error *err);

/*
 * The map of the medium alone (the HTML's inline SVG: the media to scale,
 * each unreadable range marked), as a standalone SVG document, for a slide
 * or an expert report.
 */
int report_map(const char *xml, size_t len, char **svg, size_t *svg_len, struct cu_error *err);

#endif
