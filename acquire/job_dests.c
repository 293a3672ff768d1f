/*
 * job_dests.c - the destinations of one acquisition, as the job opens,
 * checkpoints, collects and reads them back (dest.h is the interface).
 *
 * Every -o is a destination.  All refusals (existing evidence or logs, a
 * target on the source, the same target twice) are checked for every one
 * before any is opened.  E01 copies share one set of writer options and one
 * set identifier, so that their segment files are byte-identical.  At each
 * checkpoint, every live E01 copy gets its own BASE.resume, naming the
 * copies still being written; a copy that fails loses its resume file with
 * its segments.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "acquire/job.h"
#include "acquire/dest/raw_output.h"
#include "acquire/resume/resume.h"
#include "acquire/resume/resume_file.h"
#include "acquire/target.h"
#include "container/ewf/ewf_naming.h"
#include "lib/atomic_file.h"
#include "lib/path.h"

void acq_job_targets(struct acq_job *j)
{
	const struct acq_options *o = j->o;

	if (o->n_targets) {
		memcpy(j->targets, o->targets, o->n_targets * sizeof(*o->targets));
		j->n_targets = o->n_targets;
	} else {
		j->targets[0] = (struct acq_target){o->base, o->format};
		j->n_targets = 1;
	}
	j->any_e01 = false;
	for (size_t i = 0; i < j->n_targets; i++)
		if (j->targets[i].format == ACQ_FORMAT_E01)
			j->any_e01 = true;
}

/* The files an E01 acquisition would create must not exist, nor BASE.resume. */
static int job_check_e01_target(const char *base, struct cu_error *err)
{
	char found[4096];
	int rc;

	if ((rc = cu_path_build(found, sizeof(found), err, "%s%s", base, CU_RESUME_SUFFIX)))
		return rc;
	if (cu_file_check_absent(found, "", NULL))
		return cu_error_set(err, CU_EUSAGE,
		                    "an interrupted acquisition to %s exists: go on with --resume, "
		                    "or remove %s and the .partial segments",
		                    base, found);
	return ewf_set_refuse_existing(base, err);
}

static int is_aff4_extension(const char *ext)
{
	return !strcmp(ext, "aff4");
}

/* BASE.aff4 (or its .partial) must not exist. */
static int job_check_aff4_target(const char *base, struct cu_error *err)
{
	return cu_path_refuse_member(base, is_aff4_extension, err);
}

static int job_check_one(const struct acq_job *j, const struct acq_target *t, struct cu_error *err)
{
	char log[4096];
	int rc;

	if (!acq_raw_target_is_device(t->path)) {
		if ((rc = cu_path_build(log, sizeof(log), err, "%s%s", t->path,
		                        CU_CUSTODY_SUFFIX)) ||
		    (rc = cu_file_check_absent(log, "the custody log", err)))
			return rc;
		rc = t->format == ACQ_FORMAT_RAW    ? acq_raw_check_free(t->path, err)
		     : t->format == ACQ_FORMAT_AFF4 ? job_check_aff4_target(t->path, err)
		                                    : job_check_e01_target(t->path, err);
		if (rc)
			return rc;
	}
	return acq_target_check(t->path, &j->res->source, j->o->sysfs, err);
}

int acq_job_check_targets(struct acq_job *j, struct cu_error *err)
{
	int rc;

	for (size_t i = 0; i < j->n_targets; i++) {
		for (size_t k = 0; k < i; k++)
			if (!strcmp(j->targets[i].path, j->targets[k].path))
				return cu_error_set(err, CU_EUSAGE, "-o %s is given twice",
				                    j->targets[i].path);
		if ((rc = job_check_one(j, &j->targets[i], err)))
			return rc;
	}
	if (j->o->mapfile && (rc = cu_file_check_absent(j->o->mapfile, "the mapfile", err)))
		return rc;
	return CU_OK;
}

/* The E01 writer's options for BASE `base`, the case as the source tells it. */
static void job_writer_options(const struct acq_job *j, struct ewf_writer_options *wo,
                               struct cu_meta *meta)
{
	*wo = (struct ewf_writer_options){
	    .bytes_per_sector = j->res->bytes_per_sector,
	    .sectors_per_chunk = j->o->chunk_sectors,
	    .sector_count = j->res->sector_count,
	    .segment_size = j->o->segment_size,
	    .compression = (enum ewf_compression)j->o->compression,
	    .media_type = acq_media_type_code(j->res->media_type),
	    .media_flags = acq_media_flags_code(j->res->media_flags),
	    .table_entries_max = j->o->table_entries_max,
	    .stream = j->res->source.is_stream,
	};
	*meta = j->o->meta;
	meta->acquired = meta->system = j->o->resume ? j->o->meta.acquired : j->res->started;
	if (j->res->source.identity.model[0])
		meta->model = j->res->source.identity.model;
	if (j->res->source.identity.serial[0])
		meta->serial = j->res->source.identity.serial;
	wo->meta = meta;
}

/* What target i needs: a raw image the source's bytes; an E01 at most its worst case. */
static struct acq_room_need job_room_need(const struct acq_job *j, size_t i)
{
	const struct acq_target *t = &j->targets[i];
	uint64_t size = j->res->source.is_stream ? j->o->expect_size : j->res->source.size;
	struct acq_room_need need = {.base = t->path};
	struct ewf_writer_options wo;
	struct cu_meta meta;

	if (t->format == ACQ_FORMAT_AFF4) { /* every chunk stored raw, with its hashes and index */
		need.worst = (size / AFF4_CHUNK_SIZE + 1) * (AFF4_CHUNK_SIZE + 64) + (1U << 20);
		need.certain = j->o->compression == ACQ_COMPRESSION_NONE ? need.worst : 0;
		return need;
	}
	if (t->format != ACQ_FORMAT_E01) {
		need.certain = need.worst = size;
		return need;
	}
	job_writer_options(j, &wo, &meta);
	wo.sector_count = (size + wo.bytes_per_sector - 1) / wo.bytes_per_sector;
	need.worst = ewf_writer_worst_size(&wo);
	if (wo.compression == EWF_COMPRESSION_NONE)
		need.certain = need.worst;
	return need;
}

int acq_job_check_room(struct acq_job *j, struct cu_error *err)
{
	struct acq_room_need needs[ACQ_DESTS_MAX];
	size_t n = 0;

	for (size_t i = 0; i < j->n_targets; i++)
		if (!acq_raw_target_is_device(j->targets[i].path))
			needs[n++] = job_room_need(j, i);
	return acq_room_check(needs, n, j->o->notice, j->o->notice_ctx, err);
}

static int job_open_e01(struct acq_job *j, struct acq_dest *d, struct cu_error *err)
{
	const struct ewf_writer_state *resume =
	    j->o->resume && !j->o->rescue ? &j->o->resume_file->writer : NULL;
	struct ewf_writer *first = NULL;
	struct ewf_writer_options wo;
	struct cu_meta meta;
	uint8_t guid[16];
	int rc;

	job_writer_options(j, &wo, &meta);
	wo.base = d->path;
	for (size_t i = 0; i < j->dests.n && !first; i++)
		first = acq_dest_e01_writer(&j->dests.v[i]);
	if (first) /* every copy is the same set */
		wo.guid = ewf_writer_guid(first);
	else if (j->o->test_guid && !resume) {
		if (strlen(j->o->test_guid) != 32 || !cu_unhex(guid, 16, j->o->test_guid))
			return cu_error_set(err, CU_EUSAGE, "--x-guid takes 32 hex digits");
		wo.guid = guid;
	}
	if ((rc = acq_dest_e01_open(d, &wo, resume, err)))
		return rc;
	if (!first) {
		j->res->header_transliterated =
		    ewf_writer_header_transliterated(acq_dest_e01_writer(d));
		memcpy(j->res->guid, ewf_writer_guid(acq_dest_e01_writer(d)), 16);
	}
	return CU_OK;
}

/* An AFF4 volume BASE.aff4, the case and the drive as the E01 header would have them. */
static int job_open_aff4(struct acq_job *j, struct acq_dest *d, struct cu_error *err)
{
	char path[4096];
	const struct source_device_info *id = &j->res->source.identity;
	struct acq_aff4_options ao = {
	    .path = path,
	    .compression = acq_aff4_compression(j->o->compression),
	    .block = acq_aff4_block_hashes,
	    .started = j->res->started,
	    .media_size = &j->res->media_size,
	    .sector_size = j->res->bytes_per_sector,
	    .make = id->vendor,
	    .model = id->model,
	    .serial = id->serial,
	    .firmware = id->firmware,
	    .meta = &j->o->meta,
	};
	int rc = cu_path_build(path, sizeof(path), err, "%s.aff4", d->path);

	return rc ? rc : acq_dest_aff4_open(d, &ao, err);
}

int acq_job_open_dests(struct acq_job *j, struct cu_error *err)
{
	uint64_t raw_size = j->res->source.is_stream ? j->o->expect_size : j->res->source.size;
	int rc;

	for (size_t i = 0; i < j->n_targets; i++) {
		struct acq_dest *d = &j->dests.v[i];

		d->path = j->targets[i].path;
		rc =
		    j->targets[i].format == ACQ_FORMAT_E01 ? job_open_e01(j, d, err)
		    : j->targets[i].format == ACQ_FORMAT_AFF4
		        ? job_open_aff4(j, d, err)
		        : acq_dest_raw_open(d, j->o->split ? j->o->segment_size : 0, raw_size, err);
		if (rc)
			return rc;
		j->dests.n = i + 1;
	}
	return CU_OK;
}

struct ewf_writer *acq_job_first_writer(const struct acq_job *j)
{
	for (size_t i = 0; i < j->dests.n; i++)
		if (!j->dests.v[i].failed && acq_dest_e01_writer(&j->dests.v[i]))
			return acq_dest_e01_writer(&j->dests.v[i]);
	return NULL;
}

/* A copy that failed: its resume file goes with its segments; the examiner hears why. */
void acq_job_dest_failed(void *ctx, const struct acq_dest *d)
{
	struct acq_job *j = ctx;
	char *line = NULL, *resume;

	if (d->kind == ACQ_DEST_E01 && (resume = cu_path_resume_file(d->path))) {
		unlink(resume);
		free(resume);
	}
	if (acq_dests_live(&j->dests) && j->o->notice &&
	    asprintf(&line, "the copy to %s failed and was removed (%s); the others go on", d->path,
	             d->error.msg) >= 0)
		j->o->notice(j->o->notice_ctx, line);
	free(line);
}

/* Every live E01 copy's BASE.resume, each naming all of them. */
static int job_save_resume(struct acq_job *j, struct acq_resume_file *rf, struct cu_error *err)
{
	int rc;

	rf->n_copies = 0;
	for (size_t i = 0; i < j->dests.n; i++)
		if (!j->dests.v[i].failed && j->dests.v[i].kind == ACQ_DEST_E01)
			rf->copies[rf->n_copies++] = j->dests.v[i].path;
	for (size_t i = 0; i < rf->n_copies; i++) {
		char *path = cu_path_resume_file(rf->copies[i]);

		if (!path)
			return cu_error_set(err, CU_EFAIL, "out of memory");
		rc = acq_resume_file_save(path, rf, err);
		free(path);
		if (rc)
			return rc;
	}
	return CU_OK;
}

/* The pipeline's checkpoint: tables closed, segments synced, every BASE.resume saved. */
int acq_job_checkpoint(void *ctx, uint64_t done, struct cu_error *err)
{
	struct acq_job *j = ctx;
	struct acq_resume_file rf;
	struct ewf_writer_state st;
	int rc;

	if ((rc = acq_dests_checkpoint(&j->dests, &st, err)))
		return rc;
	acq_resume_describe(&rf, j->o, j->res, &j->bad, done);
	rf.writer = st;
	if ((rc = job_save_resume(j, &rf, err)))
		return rc;
	j->resumable = true;
	return CU_OK;
}

void acq_job_drop_resume_files(const struct acq_job *j)
{
	for (size_t i = 0; i < j->n_targets; i++) {
		char *path;

		if (j->targets[i].format != ACQ_FORMAT_E01 ||
		    !(path = cu_path_resume_file(j->targets[i].path)))
			continue;
		unlink(path);
		free(path);
	}
}

static int job_collect_segments(struct acq_copy *c, const struct cu_file_set *files,
                                struct cu_error *err)
{
	size_t n = cu_file_set_count(files);

	c->segments = calloc(n ? n : 1, sizeof(*c->segments));
	if (!c->segments)
		return cu_error_set(err, CU_EFAIL, "out of memory");
	for (size_t i = 0; i < n; i++) {
		c->segments[i].name = strdup(cu_file_set_path(files, i));
		c->segments[i].size = cu_file_set_size(files, i);
		if (cu_file_set_sha256(files, i)) {
			memcpy(c->segments[i].sha256, cu_file_set_sha256(files, i), 32);
			c->segments[i].have_sha256 = true;
		}
		c->n_segments++;
		if (!c->segments[i].name)
			return cu_error_set(err, CU_EFAIL, "out of memory");
	}
	return CU_OK;
}

/* Each copy as it ended: complete with its files, or failed with its reason. */
int acq_job_collect_copies(struct acq_job *j, struct cu_error *err)
{
	int rc;

	j->res->n_copies = j->n_targets;
	j->res->n_failed = 0;
	for (size_t i = 0; i < j->n_targets; i++) {
		struct acq_copy *c = &j->res->copies[i];
		const struct acq_dest *d = i < j->dests.n ? &j->dests.v[i] : NULL;

		c->path = j->targets[i].path;
		c->format = j->targets[i].format;
		c->kind = d && d->ops ? d->ops->name : "E01";
		c->complete = d && d->ops && !d->failed;
		if (!c->complete) {
			j->res->n_failed++;
			snprintf(c->error, sizeof(c->error), "%s",
			         d && d->failed ? d->error.msg : "not written");
			continue;
		}
		if ((rc = job_collect_segments(c, d->ops->files(d->impl), err)))
			return rc;
	}
	return CU_OK;
}
