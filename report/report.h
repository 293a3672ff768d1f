/*
 * report.h - the evidence report: one XML document an examiner files.
 *
 * Built from the custody log beside the evidence (its chain checked and
 * bound to the evidence's digests first): the case, the examiner, the tool
 * and host, the source, the acquisition, the digests at acquisition and at
 * the last verification, the read errors, the container with each segment's
 * size and SHA-256, and every custody event.  In the namespace
 * urn:custos:report:1, validated against report/custos-report.xsd (built
 * into custos) before it is written.
 */
#ifndef CUSTOS_REPORT_REPORT_H
#define CUSTOS_REPORT_REPORT_H

#include <stddef.h>

#include "lib/error.h"

#define REPORT_NS "urn:custos:report:1"

/* The report of `evidence` as a validated XML document (malloc'ed text). */
int report_build(const char *evidence, char **xml, size_t *len, struct cu_error *err);

#endif
