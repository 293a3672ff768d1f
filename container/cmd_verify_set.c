/*
 * cmd_verify_set.c - the full verify of one set: its segment chain walked,
 * every chunk read and checked (evidence_scan: EWF's chunks inflated and
 * checked on every core, a raw image's bytes read), every digest it stores
 * (a raw image: its custody log records) recomputed and compared; --source read again; and a
 * "verified" event in its custody log, when it has one, only after the log is checked whole and
 * bound to this set (a log that is not is refused, left as it is: exit 1).
 *
 * The verdict: damaged (a segment missing or cut short, a chunk that does
 * not read or fails its checksum), mismatch (a digest differs, none is
 * stored, or the source is no longer what was imaged), match; or not
 * evidence (exit 2) when the path is no evidence set at all.  A raw image
 * that nothing records the digests of is a mismatch that says so (exit 1),
 * as an EWF set that stores none: never a match.  A set that stores no
 * linear digest but proves every byte by its own hashes (an AFF4 volume
 * whose block hashes, BlockHashes hashes, map hashes and blockMapHash all
 * recompute equal: evidence_scan_result.self_proved) is a match, and says
 * what proved it; a linear digest it does store must match as well.
 */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "container/cmd_evidence.h"
#include "source/rehash.h"
#include "container/cmd_verify.h"
#include "lib/path.h"
#include "report/custody.h"
#include "report/custody_verified.h"

const char *verify_verdict_name(enum verify_verdict d)
{
	static const char *const names[] = {"match", "mismatch", "damaged", "not_evidence",
	                                    "not_enrolled"};

	return names[d];
}

void verify_set_fail(struct verify_set *v, int rc, const struct cu_error *err)
{
	v->rc = rc;
	v->verdict = rc == CU_EUSAGE ? VERDICT_NOT_EVIDENCE : VERDICT_DAMAGED;
	snprintf(v->msg, sizeof(v->msg), "%s", err->msg);
}

static int segments_from_names(struct verify_set *v, const char *const *names, size_t n)
{
	v->segments = calloc(n ? n : 1, sizeof(*v->segments));
	if (!v->segments)
		return CU_EFAIL;
	for (size_t i = 0; i < n; i++) {
		struct verify_segment *s = &v->segments[i];
		const char *slash = strrchr(names[i], '/');
		struct stat st;

		s->path = strdup(names[i]);
		s->name = strdup(slash ? slash + 1 : names[i]);
		s->exists = stat(names[i], &st) == 0;
		s->size = s->exists ? (uint64_t)st.st_size : 0;
		v->n_segments++;
		if (!s->path || !s->name)
			return CU_EFAIL;
	}
	return CU_OK;
}

int verify_set_take_segments(struct verify_set *v, struct evidence *e, struct cu_error *err)
{
	size_t n = evidence_file_count(e);
	const char **names = calloc(n ? n : 1, sizeof(*names));
	int rc = CU_OK;

	for (size_t i = 0; names && i < n; i++)
		names[i] = evidence_file_name(e, i);
	if (!names || segments_from_names(v, names, n))
		rc = cu_error_set(err, CU_EFAIL, "out of memory");
	else if (evidence_chain_check(e, v->chain, sizeof(v->chain)) == 0)
		v->chain[0] = '\0';
	free(names);
	return rc;
}

/* What the set says of itself: geometry, stored digests, segments, chain. */
static int verify_open(struct verify_set *v, struct evidence **e, struct cu_error *err)
{
	struct evidence_facts f;
	int rc = cmd_evidence_open(e, v->evidence, err);

	if (rc)
		return rc;
	v->media_size = evidence_media_size(*e);
	v->bytes_per_sector = evidence_bytes_per_sector(*e);
	evidence_stored_digests(*e, &v->stored);
	evidence_facts(*e, &f);
	v->digests_outside = !f.digests_inside;
	v->aff4 = !strcmp(f.container, "aff4");
	snprintf(v->digests_from, sizeof(v->digests_from), "%s",
	         f.digests_where ? f.digests_where : "");
	rc = evidence_read_errors(*e, &v->read_errors, err);
	if (!rc)
		rc = verify_set_take_segments(v, *e, err);
	return rc;
}

/* The part of the medium the evidence holds, as its custody log recorded it. */
struct verify_window {
	uint64_t offset, size; /* size 0: not recorded (the whole source, as it is) */
	bool whole;            /* the whole source was read: it must still be that size */
};

/*
 * The window the acquisition read (--offset, --length), from the custody
 * log's record; none when there is no log or it does not say.
 */
static struct verify_window recorded_window(const struct verify_set *v)
{
	char *path = cu_path_custody_log(v->evidence), size[32], total[32], offset[32];
	struct custody_log *log = NULL;
	struct verify_window w = {0, 0, false};

	if (path && custody_load(path, &log, NULL) == CU_OK &&
	    custody_record_field(log, "source", "size", size, sizeof(size)) &&
	    custody_record_field(log, "source", "total_size", total, sizeof(total)) &&
	    custody_record_field(log, "source", "offset", offset, sizeof(offset))) {
		w.offset = strtoull(offset, NULL, 10);
		w.size = strtoull(size, NULL, 10);
		w.whole = w.offset == 0 && !strcmp(size, total);
	}
	custody_free(log);
	free(path);
	return w;
}

/*
 * --source: the original medium read again, as the evidence stores media:
 * the same window of it (an acquisition with --offset/--length holds only
 * that part), completed with zeros to a whole sector.
 */
static int verify_source(struct verify_set *v, const struct verify_args *a,
                         const bool want[CU_HASH_COUNT], struct cu_error *err)
{
	struct verify_window w = recorded_window(v);
	struct source_options so = {
	    .path = v->source, .offset = w.offset, .length = w.whole ? 0 : w.size};
	struct cu_piecewise windows = {0};
	struct source_rehash r = {.source = &so,
	                          .media_size = v->media_size,
	                          .want = want,
	                          .threads = a->scan_threads,
	                          .windows = &windows};
	uint64_t bps = v->bytes_per_sector;
	int rc = v->windows.recorded.window
	             ? cu_piecewise_init(&windows, v->windows.recorded.window, v->media_size,
	                                 v->windows.recorded.have, err)
	             : CU_OK;

	if (!rc && !(rc = source_rehash(&r, &v->source_computed, err)) && r.windowed)
		verify_windows_compare_source(v, &windows);
	cu_piecewise_free(&windows);
	if (rc)
		return rc;
	v->source_size = r.size;
	/* the evidence holds the window completed with zeros to a whole sector,
	   and the custody log, when there is one, its exact size */
	if ((r.size + bps - 1) / bps * bps != v->media_size || (w.size && r.size != w.size)) {
		v->source_size_differs = true;
		v->source_mismatches++;
		return CU_OK;
	}
	for (int alg = 0; alg < CU_HASH_COUNT; alg++)
		if (want[alg] && memcmp(cu_digests_get(&v->source_computed, alg),
		                        cu_digests_get(&v->computed, alg), cu_hash_size(alg)) != 0)
			v->source_mismatches++;
	return CU_OK;
}

static void verify_compare(struct verify_set *v)
{
	for (int alg = 0; alg < CU_HASH_COUNT; alg++) {
		if (!v->stored.have[alg])
			continue;
		v->stored_any = true;
		if (memcmp(cu_digests_get(&v->stored, alg), cu_digests_get(&v->computed, alg),
		           cu_hash_size(alg)) != 0)
			v->mismatches++;
	}
}

/* A raw image nothing records the digests of: not a match, and why. */
static void verify_judge_unrecorded(const struct verify_set *v, struct cu_error *err)
{
	char *log = cu_path_custody_log(v->evidence);

	if (v->digests_from[0])
		cu_error_set(err, CU_EFAIL,
		             "%s: nothing records its digests: its custody log %s holds none: it "
		             "cannot be verified",
		             v->evidence, v->digests_from);
	else
		cu_error_set(err, CU_EFAIL,
		             "%s: nothing records its digests: it has no EWF signature, so it is "
		             "read as a raw image, which stores none, and there is no custody log "
		             "(%s) beside it: it cannot be verified",
		             v->evidence, log ? log : "BASE.custody.xml");
	free(log);
}

/* The verdict, and the one line that says why it is not a match. */
static void verify_judge(struct verify_set *v)
{
	struct cu_error err = {0};
	bool proved = v->stored_any || v->self_proved;

	v->verdict = v->chain[0] || v->damaged.n                        ? VERDICT_DAMAGED
	             : v->mismatches || !proved || v->source_mismatches ? VERDICT_MISMATCH
	                                                                : VERDICT_MATCH;
	if (v->chain[0])
		cu_error_set(&err, CU_EFAIL, "%s", v->chain);
	else if (v->damaged.n)
		cu_error_set(&err, CU_EFAIL, "%s is damaged: %zu range(s) of sectors", v->evidence,
		             v->damaged.n);
	else if (!proved && v->digests_outside)
		verify_judge_unrecorded(v, &err);
	else if (!proved)
		cu_error_set(&err, CU_EFAIL, "%s stores no digest to check", v->evidence);
	else if (v->mismatches)
		cu_error_set(&err, CU_EFAIL,
		             "%s does not give its stored digest(s): %d mismatch(es)", v->evidence,
		             v->mismatches);
	else if (v->source_size_differs)
		cu_error_set(
		    &err, CU_EFAIL,
		    "the source %s holds %llu bytes, the evidence %llu: not what was imaged",
		    v->source, (unsigned long long)v->source_size,
		    (unsigned long long)v->media_size);
	else if (v->source_mismatches)
		cu_error_set(&err, CU_EFAIL,
		             "the source %s is no longer what %s holds: %d digest(s) differ",
		             v->source, v->evidence, v->source_mismatches);
	v->rc = err.code;
	snprintf(v->msg, sizeof(v->msg), "%s", err.msg);
}

/*
 * The binding of the set, for its custody log: a set that stores its own
 * digests is bound by them (custody_binding_of); a raw image by the digests
 * of its media, just computed, of the algorithms its log recorded (those
 * it was checked against): not read a second time.
 */
static int verify_binding(const struct verify_set *v, struct custody_binding *b,
                          struct cu_error *err)
{
	if (!v->digests_outside)
		return custody_binding_of(v->evidence, NULL, b, err);
	memset(b, 0, sizeof(*b));
	for (int alg = 0; alg < CU_HASH_COUNT; alg++)
		if (v->stored.have[alg] || alg == CU_HASH_MD5) { /* as custody_binding_of */
			memcpy((uint8_t *)cu_digests_get(&b->digests, alg),
			       cu_digests_get(&v->computed, alg), cu_hash_size(alg));
			b->digests.have[alg] = true;
		}
	return CU_OK;
}

/*
 * The custody log's windows, when something is not a match (or --source
 * asks for them): from a log that holds whole and is bound to this set.
 */
static void verify_windows_prepare(struct verify_set *v)
{
	struct custody_binding binding;
	struct cu_error err = {0};

	if (!v->damaged.n && !v->chain[0] && !v->mismatches && !v->source)
		return;
	if (verify_binding(v, &binding, &err))
		snprintf(v->windows.note, sizeof(v->windows.note),
		         "hash windows not compared: %.400s", err.msg);
	else
		verify_windows_load(v, &binding);
}

/* The whole media read, checked and hashed; then the verdict. */
int verify_set_full(struct verify_set *v, const struct verify_args *a, struct cu_error *err)
{
	struct evidence_scan_result scan;
	struct evidence *e = NULL;
	bool want[CU_HASH_COUNT];
	int rc = verify_open(v, &e, err);

	if (rc) {
		evidence_close(e);
		return rc;
	}
	for (int alg = 0; alg < CU_HASH_COUNT; alg++)
		want[alg] = v->stored.have[alg] || alg == CU_HASH_MD5;
	rc = evidence_scan(e, a->scan_threads, want, NULL, NULL, &scan, err);
	evidence_close(e);
	v->computed = scan.computed;
	v->damaged = scan.damaged;
	snprintf(v->failure, sizeof(v->failure), "%s", scan.failure);
	v->self_proved = scan.self_proved;
	snprintf(v->self_proof, sizeof(v->self_proof), "%s", scan.self_proof);
	if (!rc) {
		verify_compare(v);
		verify_windows_prepare(v);
	}
	if (!rc && v->source)
		rc = verify_source(v, a, want, err);
	if (!rc)
		verify_judge(v);
	if (!rc && (v->damaged.n || v->chain[0] || v->mismatches)) /* not proved whole */
		rc = verify_windows_check(v, a, err);
	return rc;
}

/*
 * The custody log could not be extended: when it does not hold, or is
 * another set's, it is refused (exit 1, the verify itself still stands);
 * else (a read-only archive, a link where the log should be) the verify
 * stands, and that is said once.
 */
static void verify_log_refused(struct verify_set *v, const char *log, bool regular,
                               const struct custody_binding *binding, struct cu_error *err)
{
	struct cu_error why = {0};

	if (!binding || !regular || !custody_check_file(log, binding, &why)) {
		cu_error_prefix(err, "the custody log %s was not extended: ", log);
		memcpy(v->custody_note, err->msg, sizeof(v->custody_note));
		return;
	}
	v->custody_refused = true;
	cu_error_suffix(&why, "; it was refused and left as it is");
	if (v->rc == CU_OK) { /* the set matched: the log alone fails it */
		v->rc = CU_EFAIL;
		memcpy(v->msg, why.msg, sizeof(v->msg));
	} else {
		memcpy(v->custody_note, why.msg, sizeof(v->custody_note));
	}
}

/*
 * A "verified" event in the custody log beside the evidence, when there is
 * one, and only when the log is whole and bound to this set.
 */
static void verify_log_custody(struct verify_set *v, const struct verify_args *a)
{
	char *log = cu_path_custody_log(v->evidence);
	struct custody_binding binding;
	struct cu_error err = {0};
	struct custody_seal seal = *a->seal; /* its own: sets are verified at once */
	struct stat st;
	bool bound;

	v->custody = -1;
	if (!log || lstat(log, &st) != 0) {
		free(log);
		return;
	}
	struct custody_verified_detail found = {
	    .damaged = &v->damaged,
	    .window = v->windows.compared ? v->windows.recorded.window : 0,
	    .windows = v->windows.recorded.n,
	    .windows_match = v->windows.match,
	    .windows_bad = &v->windows.bad};

	bound = !verify_binding(v, &binding, &err);
	v->custody =
	    bound && !custody_append_verified(log, &binding, a->by, verify_verdict_name(v->verdict),
	                                      &v->computed, &found, &seal, &err);
	if (!v->custody)
		verify_log_refused(v, log, S_ISREG(st.st_mode), bound ? &binding : NULL, &err);
	free(log);
}

void verify_set_run(struct verify_set *v, const struct verify_args *a)
{
	struct cu_error err = {0};
	int rc;

	v->source = a->source;
	v->custody = -1;
	if (a->mode == VERIFY_SEGMENTS) {
		verify_segments_run(v, a);
		return;
	}
	if (a->mode == VERIFY_ENROLL) {
		verify_enroll_run(v, a);
		return;
	}
	if ((rc = verify_set_full(v, a, &err))) {
		verify_set_fail(v, rc, &err);
		verify_parity_assess(v); /* a set that lost its first file may still be rebuilt */
		return;
	}
	if (v->verdict != VERDICT_MATCH)
		verify_parity_assess(v);
	verify_log_custody(v, a);
}

void verify_set_free(struct verify_set *v)
{
	for (size_t i = 0; i < v->n_segments; i++) {
		free(v->segments[i].path);
		free(v->segments[i].name);
	}
	free(v->segments);
	cu_ranges_free(&v->damaged);
	cu_ranges_free(&v->read_errors);
	verify_windows_free(&v->windows);
	free(v->evidence);
}
