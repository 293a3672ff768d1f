/*
 * custody_canon.h - the canonical forms of custody events, shared by the
 * log's writer, its checker and its signatures (not a public interface).
 *
 * An event's hash is the SHA-256 of its canonical form (C14N 1.0, the event
 * alone in a document, its namespace declared on it); what a signature
 * covers is the same form without the event's <signature> and <timestamp>
 * elements; what a time-stamp covers, the form without the <token> of its
 * <timestamp> (whose nonce it does cover), so that it stamps the signature
 * too.
 */
#ifndef CUSTOS_REPORT_CUSTODY_CANON_H
#define CUSTOS_REPORT_CUSTODY_CANON_H

#include <libxml/tree.h>

#include "lib/error.h"
#include "report/custody.h"
#include "report/tsa.h"

enum custody_canon {
	CUSTODY_CANON_WHOLE,   /* what the event's hash is of */
	CUSTODY_CANON_STAMPED, /* what its time-stamp is of: without the token */
	CUSTODY_CANON_SIGNED   /* what its signature is of: without signature and time-stamp */
};

/* The canonical form of `ev` (the part `which` names), malloc'ed by libxml2. */
int custody_canon_form(xmlNodePtr ev, enum custody_canon which, xmlChar **out, size_t *len,
                       struct cu_error *err);

/* The SHA-256, in hex, of the canonical form of `ev` with its signature. */
int custody_canon_hash(xmlNodePtr ev, char out[65], struct cu_error *err);

/* The "prev" of a first event: the SHA-256 of the binding, in hex. */
void custody_canon_binding(const struct custody_binding *b, char out[65]);

/* SHA-256 in hex of `len` bytes. */
void custody_canon_sha256(const void *data, size_t len, char out[65]);

/* Base64 of `len` bytes, malloc'ed and NUL-terminated; NULL when out of memory. */
char *custody_canon_base64(const uint8_t *data, size_t len);

/* Decodes base64 of at most `max` characters (no line breaks); -1 on anything that is not. */
long custody_canon_unbase64(const char *text, size_t max, uint8_t **out);

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

/*
 * Time-stamps `ev` (custody_stamp.c): adds <timestamp tsa nonce [policy]>
 * with the TSA's answer as its <token>, checked, not older than `after`
 * (the newest trusted time before it, 0 for none) and within TSA_DRIFT_MAX
 * of the event's time `now`.  With a seal that allows it, a stamp that
 * cannot be had is recorded as <timestamp tsa missing="why"/> and the
 * reason kept in the seal; otherwise nothing is added and the call fails.
 */
int custody_stamp_event(xmlNodePtr ev, struct custody_seal *seal, time_t now, time_t after,
                        struct cu_error *err);

/*
 * What the time-stamp of `ev` says: CU_OK with *has false when it has
 * none (or one recorded as missing, whose reason goes to `missing`); with
 * `trust`, the token is checked (tsa_check) for the event's imprint and
 * nonce, else only read.
 */
int custody_stamp_read(xmlNodePtr ev, const struct tsa_trust *trust, bool *has,
                       struct tsa_stamp_info *info, char *missing, size_t cap,
                       struct cu_error *err);

/* The event nodes of a loaded log, and its root's head (for custody_check.c). */
xmlNodePtr custody_node(const struct custody_log *log, size_t i);
const char *custody_head(const struct custody_log *log);

#endif
