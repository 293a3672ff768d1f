/*
 * custody.h - the custody log beside the evidence: BASE.custody.xml.
 *
 * An XML document of events; the first, "acquired" (or "enrolled"), holds
 * the record of the evidence.  Each event carries in "prev" the SHA-256 of
 * the canonical form (C14N 1.0) of the event before it; the first carries
 * the SHA-256 of the binding (the set's identifier, the GUID of its volume
 * section, and its stored digests), so that the log belongs to one set and
 * no other, even another acquisition of the same medium; the root's "head"
 * is the SHA-256 of the last event.  Changing, removing or reordering an
 * event therefore breaks the chain.
 *
 * An event may be signed (custody_sign.c): it then holds the signer's
 * certificate, the algorithm and a signature over its canonical form
 * without the signature, "prev" included, which fixes its place in the
 * chain.  Someone who rewrites a signed event and re-hashes the chain
 * cannot sign it again; someone who cuts the newest events away is caught
 * by an anchor: the head a report recorded, or one noted anywhere else.
 *
 * Writers are serialised by a lock across processes (an flock on
 * BASE.custody.xml.lock), held from reading the log to renaming the new one
 * into place, so that no append is lost; readers take no lock and see the
 * old log or the new one, never part of either (lib/atomic_file.h).  The
 * log is read with no network, no DTD and no entity expansion (lib/xml.h).
 */
#ifndef CUSTOS_REPORT_CUSTODY_H
#define CUSTOS_REPORT_CUSTODY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "lib/error.h"
#include "lib/hash.h"
#include "lib/hash_windows.h"
#include "lib/ranges.h"
#include "lib/xml.h"
#include "report/sign.h"

#define CUSTODY_VERSION      "2"
#define CUSTODY_LOCK_SECONDS 60

/* What binds a log to its evidence. */
struct custody_binding {
	uint8_t guid[16]; /* the set identifier of the volume section */
	struct cu_digests digests;
};

struct custody_event {
	const char *action, *by, *to, *location, *note;
	const char *xml; /* a fragment in the custody namespace the event holds, or NULL */
};

/* An event as read back. */
struct custody_entry {
	unsigned seq;
	char *action, *time, *by, *to, *location, *note; /* NULL when absent */
	char prev[65], hash[65];
	bool is_signed;
	char algorithm[32];
	struct sign_identity signer; /* when signed and the signature was checked */
	bool signature_ok;           /* custody_check found it valid */
};

struct custody_log;
struct _xmlDoc;

/*
 * Starts a log whose first event holds `first` and is bound to `binding`;
 * the file must not exist.  With `signer`, the event is signed.
 */
int custody_create(const char *path, const struct custody_event *first,
                   const struct custody_binding *binding, const struct sign_signer *signer,
                   struct cu_error *err);

/*
 * Appends an event with the current UTC time (signed with `signer`, when
 * given) under the log's lock, waiting for it at most `lock_seconds`.  What
 * is appended to is checked first, under the lock: the chain, its times,
 * its signatures and its binding to `binding` (the evidence's,
 * custody_binding_of); nothing is appended to a log that fails any, and it
 * is left as it is.  A clock earlier than the last event's time (turned
 * back) is refused with CU_EUSAGE: event times never run backwards.
 */
int custody_append(const char *path, const struct custody_event *ev,
                   const struct custody_binding *binding, const struct sign_signer *signer,
                   unsigned lock_seconds, struct cu_error *err);

/* Reads and parses a log, and lists its events (their chain is not yet checked). */
int custody_load(const char *path, struct custody_log **out, struct cu_error *err);
void custody_free(struct custody_log *log);

size_t custody_count(const struct custody_log *log);
const struct custody_entry *custody_entry(const struct custody_log *log, size_t i);
struct _xmlDoc *custody_doc(const struct custody_log *log);
const char *custody_path(const struct custody_log *log);

/* A segment file as the log's first event recorded it. */
struct custody_segment {
	char *name; /* the file name, without its directory */
	uint64_t size;
	bool have_sha256;
	uint8_t sha256[32];
};

/*
 * The segment files the first event's record lists (an acquisition's, or an
 * enrollment's), in order; *n is 0 when it lists none.
 */
int custody_segments(const struct custody_log *log, struct custody_segment **out, size_t *n,
                     struct cu_error *err);
void custody_segments_free(struct custody_segment *s, size_t n);

/*
 * The parity files beside the set (custos protect, acquire --parity), as
 * the newest "protected" event recorded them: PAR2, its redundancy, and
 * each file's name, size and SHA-256.  n is 0 when the log records none.
 */
struct custody_parity {
	char format[16]; /* "PAR2" */
	unsigned percent;
	struct custody_segment *files;
	size_t n;
};

int custody_parity(const struct custody_log *log, struct custody_parity *out, struct cu_error *err);
void custody_parity_free(struct custody_parity *p);

/* The text of the element `name` under the record's element `group`, or false. */
bool custody_record_field(const struct custody_log *log, const char *group, const char *name,
                          char *out, size_t cap);

/* The digests the record lists under `group` ("hashes", "computed_hashes"). */
void custody_record_digests(const struct custody_log *log, const char *group,
                            struct cu_digests *out);

/*
 * The record's piecewise digests (hash_windows) into `out`, each window
 * where it must be and its digests whole; out->window is 0 when it has
 * none.  A record whose windows are malformed is CU_EFAIL.
 */
int custody_record_windows(const struct custody_log *log, struct cu_piecewise *out,
                           struct cu_error *err);

/* The ranges of sectors the record lists under `group` ("read_errors"), added to `out`. */
int custody_record_ranges(const struct custody_log *log, const char *group, struct cu_ranges *out,
                          struct cu_error *err);

/* What custody_check holds a log to. */
struct custody_checks {
	const struct custody_binding *binding; /* the evidence's; NULL: not checked */
	const char *ca;                        /* PEM; certificates must chain to it */
	bool require_signed;                   /* every event signed */
	unsigned anchor_seq;                   /* with anchor_hash: event anchor_seq must hash so */
	const char *anchor_hash;               /* 0 seq: some event must hash so */
};

/*
 * Checks the chain, the head, the binding, that event times never run
 * backwards, every signature (at its event's time, within its certificate's
 * validity; with `ca`, every certificate chaining to it then), and the anchor.  CU_EFAIL names
 * the first thing that does not hold; the entries record what was found.
 */
int custody_check(struct custody_log *log, const struct custody_checks *c, struct cu_error *err);

/*
 * The binding of a set: the identifier and stored digests of an E01 set, or
 * the digests of a raw image read again (the algorithms `log` recorded).
 */
int custody_binding_of(const char *evidence, const struct custody_log *log,
                       struct custody_binding *out, struct cu_error *err);

/*
 * For an append: the binding of the set beside the custody log `log_path`
 * (which must be a file custos may replace, not a link), the set named by
 * any of its names (`name`): its first file (custody_find_evidence) read.
 */
int custody_binding_beside(const char *log_path, const char *name, struct custody_binding *out,
                           struct cu_error *err);

/* Loads the log at `path` and checks it (custody_check) with its binding to `binding`. */
int custody_check_file(const char *path, const struct custody_binding *binding,
                       struct cu_error *err);

/*
 * The first file of the set any of whose names (BASE, BASE.E01, any
 * segment, BASE.aff4, BASE.raw, BASE.001) is given; CU_EFAIL when none of
 * BASE.E01, BASE.e01, BASE.s01, BASE.aff4, BASE.raw, BASE.001 exists.
 */
int custody_find_evidence(const char *name, char *out, size_t cap, struct cu_error *err);

#endif
