/*
 * custody_check.c - holding a custody log to its chain, its head, its
 * binding to the evidence, its signatures and its anchors; and finding the
 * evidence a log belongs to.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "container/evidence.h"
#include "lib/atomic_file.h"
#include "lib/hash_files.h"
#include "lib/path.h"
#include "lib/timeutil.h"
#include "report/custody_canon.h"

static int broken_at(const struct custody_log *log, unsigned seq, const char *why,
                     struct cu_error *err)
{
	return cu_error_set(err, CU_EFAIL, "the custody log %s is broken at event %u: %s",
	                    custody_path(log), seq, why);
}

/*
 * Event times follow the chain: each is a UTC time, never earlier than the
 * one before it (a clock turned back, or an event dated back, breaks it).
 */
static int check_event_time(const struct custody_log *log, size_t i, time_t *last,
                            struct cu_error *err)
{
	const struct custody_entry *e = custody_entry(log, i);
	char why[160];
	time_t when;

	if (!e->time || !cu_time_parse_iso8601(e->time, &when))
		return broken_at(log, e->seq, "its time is not an ISO 8601 UTC time", err);
	if (i > 0 && when < *last) {
		snprintf(why, sizeof(why),
		         "it is dated %s, before event %u (%s): event times run backwards", e->time,
		         custody_entry(log, i - 1)->seq, custody_entry(log, i - 1)->time);
		return broken_at(log, e->seq, why, err);
	}
	*last = when;
	return CU_OK;
}

/* Numbering, "prev" links (and the binding of the first), times, and the head. */
static int check_chain(const struct custody_log *log, const struct custody_binding *binding,
                       struct cu_error *err)
{
	size_t n = custody_count(log);
	char bound[65];
	time_t last = 0;
	int rc;

	for (size_t i = 0; i < n; i++) {
		const struct custody_entry *e = custody_entry(log, i);

		if (e->seq != i + 1)
			return broken_at(log, (unsigned)(i + 1),
			                 "events are missing or out of order", err);
		if (i > 0 && strcmp(e->prev, custody_entry(log, i - 1)->hash))
			return broken_at(log, e->seq,
			                 "the event before it was changed, removed or moved", err);
		if ((rc = check_event_time(log, i, &last, err)))
			return rc;
	}
	if (binding) {
		custody_canon_binding(binding, bound);
		if (strcmp(custody_entry(log, 0)->prev, bound))
			return broken_at(
			    log, 1,
			    "it is not bound to this evidence (another set, or its set "
			    "identifier or stored digests changed)",
			    err);
	}
	if (strcmp(custody_head(log), custody_entry(log, n - 1)->hash))
		return cu_error_set(err, CU_EFAIL,
		                    "the custody log %s is broken: its last event was changed",
		                    custody_path(log));
	return CU_OK;
}

static int check_signatures(struct custody_log *log, const struct custody_checks *c,
                            struct cu_error *err)
{
	int rc;

	for (size_t i = 0; i < custody_count(log); i++) {
		struct custody_entry *e = (struct custody_entry *)custody_entry(log, i);

		if (e->is_signed &&
		    (rc = custody_verify_event(custody_node(log, i), e,
		                               i ? custody_entry(log, i - 1) : NULL, c->ca, err)))
			return rc;
		if (!e->is_signed && c->require_signed)
			return cu_error_set(err, CU_EFAIL, "event %u (%s by %s) is not signed",
			                    e->seq, e->action ? e->action : "?",
			                    e->by ? e->by : "?");
	}
	return CU_OK;
}

static int stamp_fail(const struct custody_entry *e, struct cu_error *err)
{
	return cu_error_prefix(err, "event %u (%s by %s): ", e->seq, e->action ? e->action : "?",
	                       e->by ? e->by : "?");
}

/* A checked stamp's time: not behind an earlier one, and with its event's own. */
static int stamp_order(const struct custody_entry *e, time_t newest, unsigned newest_seq,
                       struct cu_error *err)
{
	char when[CU_ISO8601_SIZE], then[CU_ISO8601_SIZE];
	time_t recorded = 0;

	cu_time_iso8601(when, e->trusted_time);
	if (newest && e->trusted_time < newest) {
		cu_time_iso8601(then, newest);
		return cu_error_set(err, CU_EFAIL,
		                    "event %u: its trusted time %s is before event %u's, %s: a "
		                    "time-stamp older than the event before it",
		                    e->seq, when, newest_seq, then);
	}
	if (e->time && cu_time_parse_iso8601(e->time, &recorded) &&
	    !tsa_time_agrees(e->trusted_time, recorded))
		return cu_error_set(
		    err, CU_EFAIL,
		    "event %u: its trusted time %s differs from the time it records, "
		    "%s, by %+lld s: it was written or stamped at another time than "
		    "it says (a history rewritten and stamped again?)",
		    e->seq, when, e->time, (long long)(e->trusted_time - recorded));
	return CU_OK;
}

/*
 * Every event's stamp read; with a TSA CA, checked, in order.  Without one,
 * a stamp that cannot even be read is left unread: nothing was claimed.
 */
static int check_stamps(struct custody_log *log, const struct custody_checks *c,
                        struct cu_error *err)
{
	struct tsa_stamp_info info;
	struct cu_error ignored;
	time_t newest = 0;
	unsigned newest_seq = 0;
	char missing[CU_ERROR_MSG_MAX];
	int rc;

	for (size_t i = 0; i < custody_count(log); i++) {
		struct custody_entry *e = (struct custody_entry *)custody_entry(log, i);

		rc = custody_stamp_read(custody_node(log, i), c->tsa_trust, &e->stamped, &info,
		                        missing, sizeof(missing), c->tsa_trust ? err : &ignored);
		e->stamp_missing = !e->stamped && missing[0];
		free(e->stamp_note);
		e->stamp_note = strdup(e->stamp_missing ? missing : info.tsa);
		if (rc && c->tsa_trust)
			return stamp_fail(e, err);
		if (rc || !e->stamped)
			continue;
		e->trusted_time = info.time;
		if (!c->tsa_trust)
			continue;
		if ((rc = stamp_order(e, newest, newest_seq, err)))
			return rc;
		e->stamp_checked = true;
		newest = info.time;
		newest_seq = e->seq;
	}
	return CU_OK;
}

/* The log must still hold, where the anchor says, the event the anchor recorded. */
static int check_anchor(const struct custody_log *log, const struct custody_checks *c,
                        struct cu_error *err)
{
	size_t n = custody_count(log);

	if (!c->anchor_hash)
		return CU_OK;
	if (c->anchor_seq) {
		if (c->anchor_seq <= n &&
		    !strcmp(custody_entry(log, c->anchor_seq - 1)->hash, c->anchor_hash))
			return CU_OK;
		return cu_error_set(
		    err, CU_EFAIL,
		    "the custody log %s no longer holds, as event %u, the event the "
		    "anchor recorded (%.16s...): it was cut back or rewritten",
		    custody_path(log), c->anchor_seq, c->anchor_hash);
	}
	for (size_t i = 0; i < n; i++)
		if (!strcmp(custody_entry(log, i)->hash, c->anchor_hash))
			return CU_OK;
	return cu_error_set(err, CU_EFAIL,
	                    "the custody log %s holds no event with the hash %.16s...: it was cut "
	                    "back or rewritten",
	                    custody_path(log), c->anchor_hash);
}

int custody_check(struct custody_log *log, const struct custody_checks *c, struct cu_error *err)
{
	int rc = check_chain(log, c->binding, err);

	if (!rc)
		rc = check_signatures(log, c, err);
	if (!rc)
		rc = check_stamps(log, c, err);
	if (!rc)
		rc = check_anchor(log, c, err);
	return rc;
}

int custody_find_evidence(const char *name, char *out, size_t cap, struct cu_error *err)
{
	static const char *const firsts[] = {".E01", ".e01", ".s01", ".aff4", ".raw", ".001"};
	char *base = cu_path_set_base(name);
	struct stat st;
	int rc = CU_EFAIL;

	if (!base)
		return cu_error_set(err, CU_EFAIL, "out of memory");
	for (size_t i = 0; i < sizeof(firsts) / sizeof(firsts[0]) && rc == CU_EFAIL; i++)
		if (!cu_path_build(out, cap, err, "%s%s", base, firsts[i]) && lstat(out, &st) == 0)
			rc = CU_OK;
	if (rc)
		cu_error_set(err, CU_EFAIL,
		             "the evidence of this custody log is missing: there is no %s.E01 (nor "
		             "%s.aff4, nor %s.raw) beside it",
		             base, base, base);
	free(base);
	return rc;
}

/* The digests the log's first event recorded (which of MD5, SHA-1, SHA-256). */
static void recorded_algorithms(const struct custody_log *log, bool want[CU_HASH_COUNT])
{
	xmlNodePtr rec = log ? custody_node(log, 0) : NULL, hashes;

	memset(want, 0, sizeof(bool) * CU_HASH_COUNT);
	want[CU_HASH_MD5] = true;
	rec = rec ? custody_canon_child(rec, "acquisition") : NULL;
	hashes = rec ? custody_canon_child(rec, "hashes") : NULL;
	for (xmlNodePtr h = hashes ? hashes->children : NULL; h; h = h->next) {
		xmlChar *type = h->type == XML_ELEMENT_NODE ? xmlGetProp(h, BAD_CAST "type") : NULL;

		for (int a = 0; type && a < CU_HASH_COUNT; a++)
			if (!xmlStrcmp(type, BAD_CAST cu_hash_name(a)))
				want[a] = true;
		xmlFree(type);
	}
}

/* A raw set's binding: its digests, read from its files again. */
static int raw_binding(const struct evidence *e, const struct custody_log *log,
                       struct custody_binding *out, struct cu_error *err)
{
	size_t n = evidence_file_count(e);
	const char **names = calloc(n ? n : 1, sizeof(*names));
	bool want[CU_HASH_COUNT];
	int rc;

	memset(out, 0, sizeof(*out));
	recorded_algorithms(log, want);
	for (size_t i = 0; names && i < n; i++)
		names[i] = evidence_file_name(e, i);
	rc = names ? cu_hash_files(names, n, want, &out->digests, err)
	           : cu_error_set(err, CU_EFAIL, "out of memory");
	free(names);
	return rc;
}

int custody_binding_of(const char *evidence, const struct custody_log *log,
                       struct custody_binding *out, struct cu_error *err)
{
	struct evidence *e;
	struct evidence_facts f;
	int rc;

	if ((rc = evidence_open(&e, evidence, NULL, err)))
		return rc;
	evidence_facts(e, &f);
	if (!f.digests_inside) { /* a raw image: bound by its media's digests */
		rc = raw_binding(e, log, out, err);
	} else {
		memset(out, 0, sizeof(*out));
		if (f.has_guid)
			memcpy(out->guid, f.guid, 16);
		evidence_stored_digests(e, &out->digests);
	}
	evidence_close(e);
	return rc;
}

int custody_binding_beside(const char *log_path, const char *name, struct custody_binding *out,
                           struct cu_error *err)
{
	struct custody_log *log = NULL;
	char first[4096];
	int rc = cu_file_check_replaceable(log_path, err); /* a link is not even read */

	if (!rc)
		rc = custody_load(log_path, &log, err);
	if (!rc)
		rc = custody_find_evidence(name, first, sizeof(first), err);
	if (!rc)
		rc = custody_binding_of(first, log, out, err);
	custody_free(log);
	return rc;
}

int custody_check_file(const char *path, const struct custody_binding *binding,
                       struct cu_error *err)
{
	struct custody_log *log = NULL;
	int rc = custody_load(path, &log, err);

	if (!rc)
		rc = custody_check(log, &(struct custody_checks){.binding = binding}, err);
	custody_free(log);
	return rc;
}
