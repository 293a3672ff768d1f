/*
 * cmd_verify_segments.c - `verify --segments`: every segment file of a set
 * against the size and SHA-256 its custody log recorded (at acquisition,
 * or at enrollment), with the chain of segments and the custody log's
 * chain, binding and signatures.
 *
 * A segment whose SHA-256 still matches is bit for bit what was written,
 * and so is every chunk in it: together with a whole chain of segments and
 * a custody log bound to the set, that proves the set unchanged, without
 * re-deriving the media digests.  A raw image's files are its segments,
 * and its log records them the same way.  The files are hashed on every core, one
 * file to a thread (cu_hash_files_each_sha256), so the check runs at the
 * speed of the disks rather than of one MD5 stream.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "container/cmd_evidence.h"
#include "container/cmd_verify.h"
#include "lib/hash_files.h"
#include "lib/path.h"
#include "report/custody.h"

int verify_hash_segments(struct verify_set *v, unsigned jobs, struct cu_error *err)
{
	const char **paths = calloc(v->n_segments ? v->n_segments : 1, sizeof(*paths));
	uint8_t(*sha256)[32] = calloc(v->n_segments ? v->n_segments : 1, sizeof(*sha256));
	bool *hashed = calloc(v->n_segments ? v->n_segments : 1, sizeof(*hashed));
	struct verify_segment **of = calloc(v->n_segments ? v->n_segments : 1, sizeof(*of));
	size_t n = 0;
	int rc =
	    paths && sha256 && hashed && of ? CU_OK : cu_error_set(err, CU_EFAIL, "out of memory");

	for (size_t i = 0; !rc && i < v->n_segments; i++)
		if (v->segments[i].exists) {
			of[n] = &v->segments[i];
			paths[n++] = v->segments[i].path;
		}
	if (!rc)
		rc = cu_hash_files_each_sha256(paths, n, jobs, sha256, hashed, err);
	for (size_t i = 0; paths && sha256 && hashed && of && i < n; i++)
		if (hashed[i]) {
			memcpy(of[i]->sha256, sha256[i], 32);
			of[i]->hashed = true;
		}
	free(paths);
	free(sha256);
	free(hashed);
	free(of);
	return rc;
}

/* The on-disk segment called `name`, or NULL. */
static struct verify_segment *find_segment(struct verify_set *v, const char *name)
{
	for (size_t i = 0; i < v->n_segments; i++)
		if (!strcmp(v->segments[i].name, name))
			return &v->segments[i];
	return NULL;
}

/* A recorded segment that is not on disk, added to the list where it should be. */
static int add_missing(struct verify_set *v, const struct custody_segment *r)
{
	struct verify_segment *grown = realloc(v->segments, (v->n_segments + 1) * sizeof(*grown));
	char *dir = cu_path_set_base(v->evidence), *slash;

	if (!grown || !dir) {
		free(dir);
		return CU_EFAIL;
	}
	v->segments = grown;
	slash = strrchr(dir, '/');
	if (slash)
		slash[1] = '\0';
	grown[v->n_segments] = (struct verify_segment){.state = SEGMENT_MISSING, .recorded = true};
	grown[v->n_segments].name = strdup(r->name);
	grown[v->n_segments].path = cu_path_suffixed(slash ? dir : "", r->name);
	grown[v->n_segments].recorded_size = r->size;
	free(dir);
	v->n_segments++;
	return grown[v->n_segments - 1].name && grown[v->n_segments - 1].path ? CU_OK : CU_EFAIL;
}

/* Pairs the files on disk with the ones recorded: added, missing, or to compare. */
static int match_recorded(struct verify_set *v, const struct custody_segment *rec, size_t n)
{
	for (size_t i = 0; i < v->n_segments; i++)
		v->segments[i].state = SEGMENT_ADDED;
	for (size_t i = 0; i < n; i++) {
		struct verify_segment *s = find_segment(v, rec[i].name);

		if (!s) {
			if (add_missing(v, &rec[i]))
				return CU_EFAIL;
			continue;
		}
		s->recorded = true;
		s->recorded_size = rec[i].size;
		memcpy(s->recorded_sha256, rec[i].sha256, 32);
		s->state = SEGMENT_MATCH;
	}
	return CU_OK;
}

static void judge_segments(struct verify_set *v)
{
	size_t changed = 0;

	for (size_t i = 0; i < v->n_segments; i++) {
		struct verify_segment *s = &v->segments[i];

		if (s->state == SEGMENT_MATCH && (!s->hashed || s->size != s->recorded_size ||
		                                  memcmp(s->sha256, s->recorded_sha256, 32)))
			s->state = SEGMENT_CHANGED;
		changed += s->state != SEGMENT_MATCH;
	}
	v->verdict = v->chain[0] ? VERDICT_DAMAGED : changed ? VERDICT_MISMATCH : VERDICT_MATCH;
	v->rc = v->verdict == VERDICT_MATCH ? CU_OK : CU_EFAIL;
	if (v->chain[0])
		snprintf(v->msg, sizeof(v->msg), "%s", v->chain);
	else if (changed)
		snprintf(
		    v->msg, sizeof(v->msg),
		    "%s: %zu segment file(s) changed, missing or added since they were recorded",
		    v->evidence, changed);
}

/*
 * The binding the log is checked against: a set that stores its digests,
 * by them; a raw image, whose binding is its media's digests, by the ones
 * the log records: reading the media again is what --segments spares, and
 * the segment hashes, checked against the same log, tie it to the files.
 */
static int segments_binding(const struct verify_set *v, const struct custody_log *log,
                            struct custody_binding *b, struct cu_error *err)
{
	if (!v->digests_outside)
		return custody_binding_of(v->evidence, log, b, err);
	memset(b, 0, sizeof(*b));
	custody_record_digests(log, "hashes", &b->digests);
	return CU_OK;
}

/* The custody log, checked against the set, and the segments it records. */
static int load_record(struct verify_set *v, struct custody_segment **rec, size_t *n,
                       struct cu_error *err)
{
	struct custody_binding binding;
	struct custody_log *log = NULL;
	char *path = cu_path_custody_log(v->evidence);
	struct stat st;
	int rc = path ? CU_OK : cu_error_set(err, CU_EFAIL, "out of memory");

	if (!rc && lstat(path, &st) != 0)
		rc = cu_error_set(err, CU_EUSAGE,
		                  "%s has no recorded segment hashes (no custody log): enroll it "
		                  "(custos verify --enroll) or run a full verify",
		                  v->evidence);
	if (!rc)
		rc = custody_load(path, &log, err);
	if (!rc)
		rc = segments_binding(v, log, &binding, err);
	if (!rc)
		rc = custody_check(log, &(struct custody_checks){.binding = &binding}, err);
	if (!rc)
		rc = custody_segments(log, rec, n, err);
	if (!rc && (*n == 0 || !(*rec)[0].have_sha256))
		rc =
		    cu_error_set(err, CU_EUSAGE,
		                 "%s: its custody log records no segment hashes: enroll it (custos "
		                 "verify --enroll into a new log) or run a full verify",
		                 v->evidence);
	custody_free(log);
	free(path);
	return rc;
}

/* The segments on disk (as the set's backend finds them), and their chain. */
static int load_on_disk(struct verify_set *v, struct cu_error *err)
{
	struct evidence_facts f;
	struct evidence *e;
	int rc = cmd_evidence_open(&e, v->evidence, err);

	if (rc)
		return rc;
	evidence_facts(e, &f);
	v->digests_outside = !f.digests_inside;
	rc = verify_set_take_segments(v, e, err);
	evidence_close(e);
	return rc;
}

void verify_segments_run(struct verify_set *v, const struct verify_args *a)
{
	struct custody_segment *rec = NULL;
	struct cu_error err = {0};
	size_t n = 0;
	int rc = load_on_disk(v, &err);

	if (rc) { /* not evidence, or a set whose media cannot be established */
		verify_set_fail(v, rc, &err);
		return;
	}
	if ((rc = load_record(v, &rec, &n, &err))) {
		v->rc = rc;
		v->verdict = rc == CU_EUSAGE ? VERDICT_NOT_ENROLLED : VERDICT_MISMATCH;
		snprintf(v->msg, sizeof(v->msg), "%s", err.msg);
		if (rc != CU_EUSAGE) /* a log not bound to a set that lost files: its parity may say */
			verify_parity_assess(v);
		return;
	}
	if (match_recorded(v, rec, n))
		rc = cu_error_set(&err, CU_EFAIL, "out of memory");
	custody_segments_free(rec, n);
	if (!rc)
		rc = verify_hash_segments(v, a->jobs, &err);
	if (rc)
		verify_set_fail(v, rc, &err);
	else
		judge_segments(v);
	if (!rc && v->verdict != VERDICT_MATCH)
		verify_parity_assess(v);
}
