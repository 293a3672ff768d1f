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
#include <time.h>

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
	bool stamped;                /* it holds a time-stamp token */
	bool stamp_missing;          /* it records that its stamp could not be had */
	bool stamp_checked;          /* custody_check found the token valid (with a TSA CA) */
	time_t trusted_time;         /* the token's time, when stamped and readable */
	char *stamp_note;            /* the TSA that stamped it, or why the stamp is missing */
};

/*
 * How an event is sealed: signed (custody_sign.c), time-stamped by a TSA
 * (custody_stamp.c), both or neither.  A time-stamp that cannot be had
 * fails the write, and nothing is written; unless `stamp_optional`, when
 * the event records the stamp as missing and `missing` says why.
 */
struct custody_seal {
	const struct sign_signer *signer;
	const struct tsa_client *tsa;
	bool stamp_optional;
	char missing[CU_ERROR_MSG_MAX]; /* set when a stamp was recorded as missing */
};

struct custody_log;
struct _xmlDoc;
struct tsa_client;
struct tsa_trust;

/*
 * Starts a log whose first event holds `first` and is bound to `binding`;
 * the file must not exist.  The event is sealed as `seal` says (NULL: not).
 */
int custody_create(const char *path, const struct custody_event *first,
                   const struct custody_binding *binding, struct custody_seal *seal,
                   struct cu_error *err);

/*
 * Appends an event with the current UTC time (sealed as `seal` says, when
 * given) under the log's lock, waiting for it at most `lock_seconds`.  What
 * is appended to is checked first, under the lock: the chain, its times,
 * its signatures and its binding to `binding` (the evidence's,
 * custody_binding_of); nothing is appended to a log that fails any, and it
 * is left as it is.  A clock earlier than the last event's time (turned
 * back) is refused with CU_EUSAGE: event times never run backwards.
 */
int custody_append(const char *path, const struct custody_event *ev,
                   const struct custody_binding *binding, struct custody_seal *seal,
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
	char format[16]; /* "PAR2" or "RS" */
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
	const struct tsa_trust *tsa_trust;     /* check every time-stamp against this CA */
};

/*
 * Checks the chain, the head, the binding, that event times never run
 * backwards, every signature (at its event's time, within its certificate's
 * validity; with `ca`, every certificate chaining to it then), the anchor,
 * and with `tsa_trust` every time-stamp (custody_stamp.c): its token for
 * its event, chaining to the TSA CA at its time, its time not before the
 * trusted time of any event before it and within TSA_DRIFT_MAX of its
 * event's own.  CU_EFAIL names the first thing that does not hold; the
 * entries record what was found (every event's trusted time is read, also
 * without `tsa_trust`, for custody show).
 */
int custody_check(struct custody_log *log, const struct custody_checks *c, struct cu_error *err);

/*
 * Writes, for every time-stamped event N of a log custody_check read,
 * DIR/event-N.data (what the stamp is of) and DIR/event-N.tsr (the TSA's
 * answer), none of which may exist, so that `openssl ts -verify -data
 * DIR/event-N.data -in DIR/event-N.tsr -CAfile CA.pem` checks each on its
 * own.  *n is how many were written.
 */
int custody_stamps_export(const struct custody_log *log, const char *dir, size_t *n,
                          struct cu_error *err);

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
