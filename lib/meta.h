/*
 * meta.h - the case metadata model shared by the container, the summaries
 * and the report.
 *
 * The examiner's fields are UTF-8 as typed; the acquisition fills in times,
 * the host's operating system and this program's version.  What EWF can hold
 * is limited (no tabs or line breaks, EnCase reads at most 2999 characters a
 * field), so cu_meta_check_field refuses what would not survive the trip.
 */
#ifndef CUSTOS_LIB_META_H
#define CUSTOS_LIB_META_H

#include <time.h>

#include "lib/error.h"

#define CU_META_FIELD_MAX_CHARS 2999

struct cu_meta {
	const char *case_number;
	const char *evidence_number;
	const char *examiner;
	const char *description;
	const char *notes;
	const char *model;  /* of the source medium, when known */
	const char *serial; /* of the source medium, when known */
	time_t acquired;    /* when the acquisition started */
	time_t system;      /* the host's clock at that moment */
	char os[64];        /* e.g. "Linux 6.1.0-27-amd64" */
	char software[32];  /* e.g. "custos 0.1" */
};

/* Empties `m` and fills the host and software fields. */
void cu_meta_init(struct cu_meta *m);

/* Checks one examiner-supplied field; `opt` names it in the error. */
int cu_meta_check_field(const char *opt, const char *value, struct cu_error *err);

/* A field's text, "" when unset. */
const char *cu_meta_text(const char *field);

/* The login name of the user running custos (who verified, who mounted), or "unknown". */
const char *cu_meta_user(void);

#endif
