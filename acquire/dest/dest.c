/*
 * dest.c - the list of destinations an acquisition writes to.
 *
 * Every operation goes to each live destination in order.  A destination
 * whose operation fails is stopped there (acq_dest_fail: its files removed,
 * its reason kept for the summary) and the others go on.  The last live
 * destination is never stopped so: its failure is the run's, and the job
 * decides what stays (a resumable set keeps its segments, as with one copy).
 */
#include "acquire/dest/dest.h"

#include <string.h>

#include "container/evidence.h"

static bool dest_live(const struct acq_dest *d)
{
	return d->ops && !d->failed;
}

enum acq_pack acq_dests_pack(const struct acq_dests *l)
{
	for (size_t i = 0; i < l->n; i++)
		if (dest_live(&l->v[i]) && l->v[i].ops->pack != ACQ_PACK_NONE)
			return l->v[i].ops->pack;
	return ACQ_PACK_NONE;
}

size_t acq_dests_live(const struct acq_dests *l)
{
	size_t n = 0;

	for (size_t i = 0; i < l->n; i++)
		n += dest_live(&l->v[i]);
	return n;
}

bool acq_dests_resumable(const struct acq_dests *l)
{
	for (size_t i = 0; i < l->n; i++)
		if (dest_live(&l->v[i]) && !l->v[i].ops->checkpoint)
			return false;
	return acq_dests_live(l) > 0;
}

void acq_dest_fail(struct acq_dests *l, struct acq_dest *d, const struct cu_error *err)
{
	if (d->failed)
		return;
	d->failed = true;
	d->error = *err;
	d->ops->abort(d->impl);
	if (l->on_fail)
		l->on_fail(l->fail_ctx, d);
}

/*
 * `d` failed with `e`: stopped when others go on (CU_OK); the last one's
 * failure is returned as the run's, naming the copy when there were several.
 */
static int dest_failed(struct acq_dests *l, struct acq_dest *d, const struct cu_error *e,
                       struct cu_error *err)
{
	if (acq_dests_live(l) > 1) {
		acq_dest_fail(l, d, e);
		return CU_OK;
	}
	*err = *e;
	if (l->n > 1)
		cu_error_prefix(err, "the last copy still being written, %s, failed: ", d->path);
	return err->code ? err->code : CU_EFAIL;
}

int acq_dests_write(struct acq_dests *l, const struct source_block *b, struct cu_error *err)
{
	struct cu_error e;
	int rc;

	for (size_t i = 0; i < l->n; i++) {
		struct acq_dest *d = &l->v[i];

		if (dest_live(d) && d->ops->write(d->impl, b, &e) &&
		    (rc = dest_failed(l, d, &e, err)))
			return rc;
	}
	return CU_OK;
}

int acq_dests_checkpoint(struct acq_dests *l, struct ewf_writer_state *st, struct cu_error *err)
{
	struct ewf_writer_state each;
	bool have = false;
	struct cu_error e;
	int rc;

	for (size_t i = 0; i < l->n; i++) {
		struct acq_dest *d = &l->v[i];

		if (!dest_live(d) || !d->ops->checkpoint)
			continue;
		if (d->ops->checkpoint(d->impl, &each, &e)) {
			if ((rc = dest_failed(l, d, &e, err)))
				return rc;
		} else if (!have) {
			*st = each;
			have = true;
		}
	}
	return have ? CU_OK : cu_error_set(err, CU_EFAIL, "no destination can be resumed");
}

int acq_dests_stream_ended(struct acq_dests *l, uint64_t sectors, struct cu_error *err)
{
	struct cu_error e;
	int rc;

	for (size_t i = 0; i < l->n; i++) {
		struct acq_dest *d = &l->v[i];

		if (dest_live(d) && d->ops->stream_ended &&
		    d->ops->stream_ended(d->impl, sectors, &e) && (rc = dest_failed(l, d, &e, err)))
			return rc;
	}
	return CU_OK;
}

int acq_dests_finish(struct acq_dests *l, const struct cu_digests *media, struct cu_error *err)
{
	struct cu_error e;
	int rc;

	for (size_t i = 0; i < l->n; i++) {
		struct acq_dest *d = &l->v[i];

		if (dest_live(d) && d->ops->finish(d->impl, media, &e) &&
		    (rc = dest_failed(l, d, &e, err)))
			return rc;
	}
	return CU_OK;
}

void acq_dests_abort(struct acq_dests *l, bool keep_resumable)
{
	for (size_t i = 0; i < l->n; i++) {
		struct acq_dest *d = &l->v[i];

		if (dest_live(d) && !(keep_resumable && d->ops->checkpoint))
			d->ops->abort(d->impl);
	}
}

void acq_dests_free(struct acq_dests *l)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].ops)
			l->v[i].ops->free(l->v[i].impl);
	memset(l->v, 0, sizeof(l->v));
	l->n = 0;
}

/*
 * A container read back as verify reads it, through the evidence reader,
 * each chunk checked: damage reads as zeros, so it shows as a mismatch (the
 * digests are cleared).  A pending signal stops the scan between blocks
 * (lib/interrupt.h).
 */
int acq_dest_reread_evidence(const char *first, const struct acq_dest_reread *r,
                             struct cu_digests *out, struct cu_error *err)
{
	struct evidence_scan_result scan;
	struct evidence *e;
	int rc;

	if ((rc = evidence_open(&e, first, NULL, err)))
		return rc;
	memset(&scan, 0, sizeof(scan));
	rc = evidence_scan(e, r->threads, r->want, NULL, NULL, &scan, err);
	evidence_close(e);
	if (!rc)
		*out = scan.computed;
	if (!rc && scan.damaged.n)
		memset(out, 0, sizeof(*out));
	cu_ranges_free(&scan.damaged);
	return rc;
}
