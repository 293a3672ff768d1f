/*
 * record.h - the acquisition record as XML: what the custody log's first
 * event holds and the report will present.
 */
#ifndef CUSTOS_REPORT_RECORD_H
#define CUSTOS_REPORT_RECORD_H

#include "acquire/acquire.h"
#include "lib/error.h"
#include "source/smart.h"

/* The drive's SMART, read before the acquisition and after it (a block device only). */
struct acq_smart {
	struct smart_reading before, after;
};

/*
 * The record of a finished acquisition, as a malloc'ed XML fragment in the
 * custody namespace: tool and host, source identity and geometry, exact
 * size, settings, times, digests, read errors, slow regions, and each
 * segment file with its size and SHA-256 (computed as it was written, or
 * read back from disk when it could not be): those of copy `copy` of the
 * result, and, when there are several, the other copies with theirs; and
 * the drive's SMART before and after, when `smart` holds readings: the
 * facts, and smartctl's whole JSON (base64) with its SHA-256.
 */
int acq_record_xml(const struct acq_options *o, const struct acq_result *r, size_t copy,
                   const struct acq_smart *smart, char **out, struct cu_error *err);

#endif
