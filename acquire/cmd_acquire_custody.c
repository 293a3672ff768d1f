/*
 * cmd_acquire_custody.c - the custody log an acquisition starts: its first
 * event, the acquisition record, written (and synced, lib/atomic_file.h)
 * the moment the evidence is complete, before the read-back of --verify and
 * before the summary is printed; then, after the read-back, a second event
 * with its result.  So no later failure, full pipe or signal can leave
 * complete evidence without its record.  Every complete copy gets its own
 * log, whose record names the other copies with their files' SHA-256.  A
 * clone onto a drive has no log.
 */
#include "acquire/cmd_acquire.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acquire/record.h"
#include "container/cmd_protect.h"
#include "lib/path.h"
#include "report/custody.h"
#include "report/custody_verified.h"

/* Whose name the events carry: the examiner's, or custos' when none was given. */
static const char *acquire_custody_by(const struct acq_options *o)
{
	if (o->custody_by && o->custody_by[0])
		return o->custody_by;
	return o->meta.examiner && o->meta.examiner[0] ? o->meta.examiner : "custos";
}

/* What binds a copy's log to it: the set identifier (E01), and the digests (of the source, raw). */
static struct custody_binding acquire_custody_binding(const struct acq_result *res,
                                                      const struct acq_copy *c)
{
	struct custody_binding b = {.digests = c->format == ACQ_FORMAT_RAW ? res->source_exact
	                                                                   : res->media};

	if (c->format == ACQ_FORMAT_E01)
		memcpy(b.guid, res->guid, sizeof(b.guid));
	return b;
}

/* A copy that has a log: complete, and not a drive. */
static bool acquire_copy_logged(const struct acq_copy *c)
{
	return c->complete && strcmp(c->kind, "clone") != 0;
}

/* Copy `i`'s log: its first event the acquisition record, naming the other copies. */
static int acquire_custody_start_copy(const struct acquire_custody *ac,
                                      const struct acq_result *res, size_t i, struct cu_error *err)
{
	const struct acq_options *o = ac->opt;
	struct custody_binding binding = acquire_custody_binding(res, &res->copies[i]);
	struct custody_event ev = {
	    .action = o->converted ? "converted" : "acquired",
	    .by = acquire_custody_by(o),
	    .note = o->meta.notes && o->meta.notes[0] ? o->meta.notes : NULL,
	};
	char *path, *record = NULL;
	int rc;

	if (!(path = cu_path_suffixed(res->copies[i].path, CU_CUSTODY_SUFFIX)))
		return cu_error_set(err, CU_EFAIL, "out of memory");
	rc = acq_record_xml(o, res, i, ac->smart, &record, err);
	ev.xml = record;
	if (!rc)
		rc = custody_create(path, &ev, &binding, ac->seal, err);
	free(record);
	free(path);
	return rc;
}

/*
 * The drive's SMART after the read, when it was read before: the evidence
 * is complete, and the record not yet written.  A rise in pending sectors
 * is said at once.
 */
static void acquire_smart_after(const struct acquire_custody *ac)
{
	struct acq_smart *s = ac->smart;
	char advice[256];

	if (!s || !s->before.asked || s->after.asked)
		return;
	smart_read(ACQ_SMARTCTL, ac->opt->source, &s->after);
	if (smart_advice(&s->before, &s->after, advice, sizeof(advice)))
		fprintf(stderr, "custos acquire: note: %s\n", advice);
}

/* Every complete copy's log; one that cannot be written does not keep the others from theirs. */
int acquire_custody_start(void *ctx, const struct acq_result *res, struct cu_error *err)
{
	const struct acquire_custody *ac = ctx;
	struct cu_error each;
	int rc = CU_OK;

	acquire_smart_after(ac);
	for (size_t i = 0; i < res->n_copies; i++) {
		int one;

		if (!acquire_copy_logged(&res->copies[i]) ||
		    !(one = acquire_custody_start_copy(ac, res, i, &each)))
			continue;
		if (!rc) {
			*err = each;
			rc = one;
		}
	}
	return rc;
}

int acquire_custody_verified(const struct acquire_custody *ac, const struct acq_result *res,
                             struct cu_error *err)
{
	int rc = CU_OK;

	if (!res->recorded)
		return CU_OK;
	for (size_t i = 0; i < res->n_copies; i++) {
		const struct acq_copy *c = &res->copies[i];
		struct custody_binding binding = acquire_custody_binding(res, c);
		struct cu_error each;
		char *path;
		int one;

		if (!acquire_copy_logged(c) || c->evidence_check == ACQ_CHECK_NONE)
			continue;
		if (!(path = cu_path_suffixed(c->path, CU_CUSTODY_SUFFIX)))
			return cu_error_set(err, CU_EFAIL, "out of memory");
		one = custody_append_verified(path, &binding, acquire_custody_by(ac->opt),
		                              c->evidence_check == ACQ_CHECK_MATCH ? "match"
		                                                                   : "mismatch",
		                              &c->readback, NULL, ac->seal, &each);
		free(path);
		if (one && !rc) {
			*err = each;
			rc = one;
		}
	}
	return rc;
}

int acquire_custody_protect(const struct acquire_custody *ac, const struct acq_result *res,
                            FILE *out, struct cu_error *err)
{
	char line[CU_ERROR_MSG_MAX];
	int rc;

	for (size_t i = 0; ac->opt->parity && i < res->n_copies; i++) {
		const struct acq_copy *c = &res->copies[i];

		if (!c->complete || !strcmp(c->kind, "clone"))
			continue;
		if ((rc = protect_set(
		         c->path, ac->opt->parity, (enum parity_format)ac->opt->parity_format,
		         acquire_custody_by(ac->opt), ac->seal, line, sizeof(line), err)))
			return rc;
		if (out)
			fprintf(out, "  parity   %s\n", line);
	}
	return CU_OK;
}
