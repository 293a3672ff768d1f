/*
 * custody.h - the custody log beside the evidence: BASE.custody.xml.
 *
 * An XML document of events, the first "acquired" with the whole
 * acquisition record.  Each event carries, in its "prev" attribute, the
 * SHA-256 of the canonical form (C14N 1.0) of the event before it; the first
 * carries the SHA-256 of the evidence's digests, binding the log to the
 * evidence; the root's "head" is the SHA-256 of the last event.  Changing,
 * removing or reordering an event therefore breaks the chain.  Appends are
 * atomic (temporary file, fsync, rename, directory sync).  The log is read
 * with no network, no DTD and no entity expansion, and a DOCTYPE in it is a
 * break: nothing it points to is ever read.
 */
#ifndef CUSTOS_REPORT_CUSTODY_H
#define CUSTOS_REPORT_CUSTODY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "lib/error.h"
#include "lib/hash.h"

#include "lib/xml.h"

#define CUSTODY_NS CU_CUSTODY_NS

struct custody_event {
	const char *action, *by, *to, *location, *note;
	const char *xml; /* a fragment in the custody namespace the event holds, or NULL */
};

/*
 * Starts a log whose first event, "acquired", holds `record` (an XML
 * fragment, the acquisition record) and is bound to `digests`.  The file
 * must not exist.
 */
int custody_create(const char *path, const struct custody_event *first,
                   const struct cu_digests *digests, struct cu_error *err);

struct _xmlDoc;

/* Reads a log whose chain is whole (and bound to `digests`, when given). */
int custody_read(const char *path, const struct cu_digests *digests, struct _xmlDoc **doc,
                 struct cu_error *err);

/* Appends an event with the current UTC time. */
int custody_append(const char *path, const struct custody_event *ev, struct cu_error *err);

/*
 * Checks the chain and its binding to `digests` (NULL: the binding is not
 * checked).  Returns CU_OK, CU_EFAIL with the break named, or CU_EUSAGE.
 * `list` (may be NULL) gets one line per event.
 */
int custody_verify(const char *path, const struct cu_digests *digests, FILE *list,
                   struct cu_error *err);

#endif
