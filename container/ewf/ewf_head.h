/*
 * ewf_head.h - what the first segment of an E01 set says of the set: its
 * volume section (geometry, compression, media, identifier) and the case
 * metadata of its header2 section.
 *
 * A resumed acquisition compares these with its resume file, so that a
 * resume file that has been edited, or that belongs to another set, is
 * refused before anything is written.  `info` and `verify --enroll` take
 * the dates from here as the set stores them.  The segment is hostile
 * input: every section descriptor is checked, every size bounded.
 */
#ifndef CUSTOS_CONTAINER_EWF_HEAD_H
#define CUSTOS_CONTAINER_EWF_HEAD_H

#include <stddef.h>
#include <stdint.h>

#include "container/ewf/ewf_sections.h"
#include "lib/error.h"

/* The values of header2's "main" category custos compares. */
enum ewf_head_field {
	EWF_HEAD_DESCRIPTION,     /* a */
	EWF_HEAD_CASE_NUMBER,     /* c */
	EWF_HEAD_EVIDENCE_NUMBER, /* n */
	EWF_HEAD_EXAMINER,        /* e */
	EWF_HEAD_NOTES,           /* t */
	EWF_HEAD_ACQUIRED,        /* m: POSIX seconds */
	EWF_HEAD_FIELDS
};

struct ewf_head {
	struct ewf_volume_info volume;
	char *fields[EWF_HEAD_FIELDS]; /* UTF-8, malloc'ed; "" when absent */
};

/* Reads the head of the segment file `path` (a first segment). */
int ewf_head_read(const char *path, struct ewf_head *out, struct cu_error *err);

/* Parses header2 section data (zlib, UTF-16LE) into out->fields. */
int ewf_head_parse_header2(const uint8_t *data, size_t len, struct ewf_head *out,
                           struct cu_error *err);

void ewf_head_free(struct ewf_head *h);

/*
 * The acquisition ("m") and system ("u") dates a first segment stores, as
 * ISO 8601 text, malloc'ed; "" when the set records none.  header2 (and
 * linen's header) stores POSIX seconds: they come in UTC, with "Z".  A set
 * without header2 (SMART, FTK Imager, EnCase 1 to 3) has only its header
 * section's "YYYY M D h m s", the acquiring machine's local time with no
 * zone recorded: it comes without a zone.  A value that is neither comes
 * as stored (bytes that are not UTF-8 text as \xHH, a backslash as \\).
 */
struct ewf_head_dates {
	char *acquired, *system;
};

int ewf_head_read_dates(const char *path, struct ewf_head_dates *out, struct cu_error *err);
void ewf_head_dates_free(struct ewf_head_dates *d);

#endif
