/*
 * cmd_acquire_custody.c - the custody log an acquisition starts: its first
 * event, the acquisition record, written (and synced, lib/atomic_file.h)
 * the moment the evidence is complete, before the read-back of --verify and
 * before the summary is printed; then, after the read-back, a second event
 * with its result.  So no later failure, full pipe or signal can leave
 * complete evidence without its record.  A clone onto a drive has no log.
 */
#include "acquire/cmd_acquire.h"

#include <stdlib.h>
#include <string.h>

#include "acquire/raw_output.h"
#include "acquire/record.h"
#include "lib/path.h"
#include "report/custody.h"
#include "report/custody_verified.h"

/* Whose name the events carry: the examiner's, or custos' when none was given. */
static const char *acquire_custody_by(const struct acq_options *o)
{
	return o->meta.examiner && o->meta.examiner[0] ? o->meta.examiner : "custos";
}

/* What binds the log to the evidence: the set identifier, and the digests (of the source, raw). */
static struct custody_binding acquire_custody_binding(const struct acq_options *o,
                                                      const struct acq_result *res)
{
	struct custody_binding b = {.digests = o->format == ACQ_FORMAT_RAW ? res->source_exact
	                                                                   : res->media};

	memcpy(b.guid, res->guid, sizeof(b.guid));
	return b;
}

int acquire_custody_start(void *ctx, const struct acq_result *res, struct cu_error *err)
{
	const struct acquire_custody *ac = ctx;
	const struct acq_options *o = ac->opt;
	struct custody_binding binding = acquire_custody_binding(o, res);
	struct custody_event ev = {
	    .action = "acquired",
	    .by = acquire_custody_by(o),
	    .note = o->meta.notes && o->meta.notes[0] ? o->meta.notes : NULL,
	};
	char *path, *record = NULL;
	int rc;

	if (acq_raw_target_is_device(o->base))
		return CU_OK;
	if (!(path = cu_path_suffixed(o->base, CU_CUSTODY_SUFFIX)))
		return cu_error_set(err, CU_EFAIL, "out of memory");
	rc = acq_record_xml(o, res, &record, err);
	ev.xml = record;
	if (!rc)
		rc = custody_create(path, &ev, &binding, ac->signer, err);
	free(record);
	free(path);
	return rc;
}

int acquire_custody_verified(const struct acquire_custody *ac, const struct acq_result *res,
                             struct cu_error *err)
{
	struct custody_binding binding = acquire_custody_binding(ac->opt, res);
	char *path;
	int rc;

	if (!res->recorded || res->evidence_check == ACQ_CHECK_NONE ||
	    acq_raw_target_is_device(ac->opt->base))
		return CU_OK;
	if (!(path = cu_path_suffixed(ac->opt->base, CU_CUSTODY_SUFFIX)))
		return cu_error_set(err, CU_EFAIL, "out of memory");
	rc = custody_append_verified(path, &binding, acquire_custody_by(ac->opt),
	                             res->evidence_check == ACQ_CHECK_MATCH ? "match" : "mismatch",
	                             &res->readback, ac->signer, err);
	free(path);
	return rc;
}
