/*
 * resume.c - checks and rebuilding for --resume.
 */
#include "acquire/resume.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "container/ewf_naming.h"
#include "container/ewf_replay.h"

void acq_resume_options(const struct acq_resume_file *jn, struct acq_options *o)
{
	o->offset = jn->offset;
	o->length = jn->size;
	o->no_write_block = jn->no_write_block;
	o->format = ACQ_FORMAT_E01;
	o->compression = (enum ewf_compression)jn->compression;
	o->segment_size = jn->segment_size;
	memcpy(o->want, jn->want, sizeof(o->want));
	o->sector_size = jn->bytes_per_sector;
	o->chunk_sectors = jn->chunk_sectors;
	o->table_entries_max = jn->table_entries_max;
	o->retries = jn->retries;
	o->slow_seconds = jn->slow_seconds;
	o->mapfile = jn->mapfile && jn->mapfile[0] ? jn->mapfile : NULL;
	o->meta.case_number = jn->case_number;
	o->meta.evidence_number = jn->evidence_number;
	o->meta.examiner = jn->examiner;
	o->meta.description = jn->description;
	o->meta.notes = jn->notes;
	o->meta.acquired = (time_t)jn->acquired;
}

int acq_resume_check_source(const struct acq_resume_file *jn, const struct acq_source_info *si,
                            struct cu_error *err)
{
	const char *why = NULL;

	if (si->total_size != jn->source_total)
		why = "its size differs";
	else if (si->is_device && (strcmp(si->identity.model, jn->model ? jn->model : "") ||
	                           strcmp(si->identity.serial, jn->serial ? jn->serial : "")))
		why = "its model or serial number differs";
	else if (!si->is_device && (si->device != jn->device || si->inode != jn->inode))
		why = "it is another file";
	if (why)
		return cu_error_set(err, CU_EUSAGE,
		                    "cannot resume: %s is not the medium of the interrupted "
		                    "acquisition (%s was, %llu bytes): %s",
		                    si->path, jn->source_path, (unsigned long long)jn->source_total,
		                    why);
	return CU_OK;
}

void acq_resume_drop_later(const char *base, uint32_t segments)
{
	char path[4200];

	for (uint32_t n = segments + 1; n <= EWF_SEGMENT_MAX; n++) {
		size_t len;

		if (ewf_segment_path(path, sizeof(path) - 16, base, n) != 0)
			return;
		len = strlen(path);
		snprintf(path + len, sizeof(path) - len, "%s", CU_PARTIAL_SUFFIX);
		if (unlink(path) != 0)
			return;
	}
}

static int rehash_feed(void *ctx, const uint8_t *media, size_t len, struct cu_error *err)
{
	struct cu_hash **hash = ctx;
	int rc;

	for (int a = 0; a < CU_HASH_COUNT; a++)
		if (hash[a] && (rc = cu_hash_update(hash[a], media, len, err)))
			return rc;
	return CU_OK;
}

int acq_resume_rehash(const struct cu_file_set *files, const struct acq_resume_file *jn,
                      uint64_t chunk_size, struct cu_hash *hash[CU_HASH_COUNT],
                      struct cu_error *err)
{
	size_t n = cu_file_set_count(files);
	const char **paths = calloc(n ? n : 1, sizeof(*paths));
	uint64_t *limits = calloc(n ? n : 1, sizeof(*limits));
	int rc;

	if (!paths || !limits) {
		free(paths);
		free(limits);
		return cu_error_set(err, CU_EFAIL, "out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		paths[i] = cu_file_set_write_path(files, i);
		limits[i] = i + 1 < n ? cu_file_set_size(files, i) : jn->writer.last_size;
	}
	if ((uint64_t)jn->writer.chunks_written * chunk_size != jn->done)
		rc = cu_error_set(err, CU_EUSAGE, "cannot resume: the journal is inconsistent");
	else
		rc = ewf_replay(paths, limits, n, chunk_size, jn->writer.chunks_written,
		                rehash_feed, hash, err);
	free(paths);
	free(limits);
	return rc;
}

void acq_resume_describe(struct acq_resume_file *jn, const struct acq_options *o,
                         const struct acq_result *res, const struct cu_ranges *bad, uint64_t done)
{
	const struct acq_source_info *si = &res->source;

	jn->source_path = (char *)si->path;
	jn->source_total = si->total_size;
	jn->offset = si->offset;
	jn->size = si->size;
	jn->device = si->device;
	jn->inode = si->inode;
	jn->model = (char *)si->identity.model;
	jn->serial = (char *)si->identity.serial;
	jn->bytes_per_sector = res->bytes_per_sector;
	jn->chunk_sectors = o->chunk_sectors;
	jn->table_entries_max = o->table_entries_max;
	jn->retries = o->retries;
	jn->compression = (int)o->compression;
	jn->segment_size = o->segment_size;
	memcpy(jn->want, o->want, sizeof(jn->want));
	jn->slow_seconds = o->slow_seconds;
	jn->no_write_block = o->no_write_block;
	jn->case_number = (char *)o->meta.case_number;
	jn->evidence_number = (char *)o->meta.evidence_number;
	jn->examiner = (char *)o->meta.examiner;
	jn->description = (char *)o->meta.description;
	jn->notes = (char *)o->meta.notes;
	jn->mapfile = (char *)o->mapfile;
	jn->acquired = (int64_t)res->started;
	jn->done = done;
	jn->bad = *bad;
	jn->slow = res->slow;
}
