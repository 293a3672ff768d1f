/*
 * custody_canon.h - the canonical forms of custody events, shared by the
 * log's writer, its checker and its signatures (not a public interface).
 *
 * An event's hash is the SHA-256 of its canonical form (C14N 1.0, the event
 * alone in a document, its namespace declared on it); what a signature
 * covers is the same form without the event's <signature> element.
 */
#ifndef CUSTOS_REPORT_CUSTODY_CANON_H
#define CUSTOS_REPORT_CUSTODY_CANON_H

#include <libxml/tree.h>

#include "lib/error.h"
#include "report/custody.h"

/* The canonical form of `ev` (with or without its signature), malloc'ed by libxml2. */
int custody_canon_form(xmlNodePtr ev, bool with_signature, xmlChar **out, size_t *len,
                       struct cu_error *err);

/* The SHA-256, in hex, of the canonical form of `ev` with its signature. */
int custody_canon_hash(xmlNodePtr ev, char out[65], struct cu_error *err);

/* The "prev" of a first event: the SHA-256 of the binding, in hex. */
void custody_canon_binding(const struct custody_binding *b, char out[65]);

/* SHA-256 in hex of `len` bytes. */
void custody_canon_sha256(const void *data, size_t len, char out[65]);

/* The element child `name` (custody namespace) of `parent`, or NULL. */
xmlNodePtr custody_canon_child(xmlNodePtr parent, const char *name);

/* Signs `ev` (which has no signature yet): adds its <signature> element. */
int custody_sign_event(xmlNodePtr ev, const struct sign_signer *signer, struct cu_error *err);

/*
 * Checks the signature of a signed event, at the time the event claims:
 * not earlier than `before`'s (the event before it, NULL for the first),
 * and within its certificate's validity; with `ca`, the certificate must
 * chain to it then.  Fills e->algorithm and e->signer.
 */
int custody_verify_event(xmlNodePtr ev, struct custody_entry *e, const struct custody_entry *before,
                         const char *ca, struct cu_error *err);

/* The event nodes of a loaded log, and its root's head (for custody_check.c). */
xmlNodePtr custody_node(const struct custody_log *log, size_t i);
const char *custody_head(const struct custody_log *log);

#endif
