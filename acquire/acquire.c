/*
 * acquire.c - the acquisition job: open, copy, close.
 *
 * The copy reads the source chunk by chunk, feeds each digest the bytes in
 * order, packs the chunk and hands it to the writer.  A source whose size is
 * not a whole number of sectors is completed with zeros to the next sector:
 * just before those zeros are hashed, each running digest is forked and the
 * fork finished, giving the digest of the exact source bytes as well as that
 * of the media the container holds.
 */
#include "acquire/acquire.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "container/ewf_naming.h"
#include "container/ewf_writer.h"
#include "lib/timeutil.h"

struct acq_job {
	const struct acq_options *o;
	struct acq_result *res;
	struct acq_source *src;
	struct ewf_writer *writer;
	struct ewf_packer *packer;
	struct cu_hash *hash[CU_HASH_COUNT];
	uint8_t *raw, *packed;
	uint64_t chunk_size;
};

static int job_check_target(const struct acq_options *o, struct cu_error *err)
{
	char found[4096];
	int hit = ewf_set_find_existing(o->base, found, sizeof(found));

	if (hit < 0)
		return cu_error_errno(err, CU_EUSAGE, errno,
		                      "cannot read the directory of the target %s", o->base);
	if (hit)
		return cu_error_set(err, CU_EUSAGE,
		                    "%s already exists: custos never overwrites evidence", found);
	return CU_OK;
}

static int job_open_source(struct acq_job *j, struct cu_error *err)
{
	const struct acq_source_info *si;
	int rc = acq_source_open(&j->src, j->o->source, err);

	if (rc)
		return rc;
	si = acq_source_info(j->src);
	j->res->source = *si;
	j->res->source.path = j->o->source;
	j->res->bytes_per_sector = j->o->sector_size    ? j->o->sector_size
	                           : si->logical_sector ? si->logical_sector
	                                                : 512;
	if (si->size == 0)
		return cu_error_set(err, CU_EUSAGE, "the source %s is empty", j->o->source);
	j->res->sector_count = (si->size + j->res->bytes_per_sector - 1) / j->res->bytes_per_sector;
	j->res->media_size = j->res->sector_count * j->res->bytes_per_sector;
	j->res->chunk_sectors = j->o->chunk_sectors;
	return CU_OK;
}

static int job_open_writer(struct acq_job *j, struct cu_error *err)
{
	struct ewf_writer_options wo = {
	    .base = j->o->base,
	    .bytes_per_sector = j->res->bytes_per_sector,
	    .sectors_per_chunk = j->o->chunk_sectors,
	    .sector_count = j->res->sector_count,
	    .segment_size = j->o->segment_size,
	    .compression = j->o->compression,
	    .media_type = EWF_MEDIA_FIXED,
	    .media_flags = EWF_FLAG_IMAGE | EWF_FLAG_PHYSICAL,
	    .table_entries_max = j->o->table_entries_max,
	    .meta = &j->o->meta,
	};
	struct cu_meta meta = j->o->meta;

	meta.acquired = meta.system = j->res->started;
	wo.meta = &meta;
	return ewf_writer_open(&j->writer, &wo, err);
}

static int job_open(struct acq_job *j, struct cu_error *err)
{
	int rc;

	if ((rc = job_check_target(j->o, err)) || (rc = job_open_source(j, err)) ||
	    (rc = job_open_writer(j, err)) ||
	    (rc = ewf_packer_new(&j->packer, j->o->compression, err)))
		return rc;
	for (int a = 0; a < CU_HASH_COUNT; a++)
		if (j->o->want[a] && (rc = cu_hash_new(&j->hash[a], a, err)))
			return rc;
	j->chunk_size = (uint64_t)j->res->bytes_per_sector * j->o->chunk_sectors;
	j->raw = malloc(j->chunk_size);
	j->packed = malloc(ewf_packed_bound(j->chunk_size));
	if (!j->raw || !j->packed)
		return cu_error_set(err, CU_EFAIL, "out of memory for a chunk buffer");
	return CU_OK;
}

/* Reads exactly `len` bytes at `offset`, continuing after short reads. */
static int job_read(struct acq_job *j, uint64_t offset, size_t len, struct cu_error *err)
{
	size_t done = 0;
	int errnum = 0;

	while (done < len) {
		ssize_t n =
		    acq_source_read(j->src, j->raw + done, len - done, offset + done, &errnum, err);

		if (n < 0)
			return CU_EFAIL;
		if (n == 0)
			return cu_error_set(err, CU_EFAIL,
			                    "%s ended at byte %llu, before its size of %llu bytes",
			                    j->o->source, (unsigned long long)(offset + done),
			                    (unsigned long long)j->res->source.size);
		done += (size_t)n;
	}
	return CU_OK;
}

static int job_hash(struct acq_job *j, const uint8_t *data, size_t len, struct cu_error *err)
{
	int rc;

	for (int a = 0; a < CU_HASH_COUNT; a++)
		if (j->hash[a] && (rc = cu_hash_update(j->hash[a], data, len, err)))
			return rc;
	return CU_OK;
}

/* Finishes forks of the running digests: the digests of the exact source. */
static int job_fork_exact(struct acq_job *j, struct cu_error *err)
{
	for (int a = 0; a < CU_HASH_COUNT; a++) {
		struct cu_hash *fork;
		int rc;

		if (!j->hash[a])
			continue;
		if ((rc = cu_hash_fork(&fork, j->hash[a], err)))
			return rc;
		rc = cu_hash_final(fork, &j->res->source_exact, err);
		cu_hash_free(fork);
		if (rc)
			return rc;
	}
	return CU_OK;
}

static int job_copy_chunk(struct acq_job *j, uint64_t offset, struct cu_error *err)
{
	uint64_t left = j->res->source.size - offset;
	size_t exact = left < j->chunk_size ? (size_t)left : (size_t)j->chunk_size;
	size_t media = exact, stored;
	bool compressed;
	int rc;

	if ((rc = job_read(j, offset, exact, err)) || (rc = job_hash(j, j->raw, exact, err)))
		return rc;
	if (exact == left) { /* the last chunk */
		if ((rc = job_fork_exact(j, err)))
			return rc;
		media = (size_t)(j->res->media_size - offset);
		memset(j->raw + exact, 0, media - exact);
		if ((rc = job_hash(j, j->raw + exact, media - exact, err)))
			return rc;
	}
	stored = ewf_packer_pack(j->packer, j->raw, media, j->packed, &compressed);
	return ewf_writer_add_chunk(j->writer, j->packed, stored, compressed, err);
}

static int job_copy(struct acq_job *j, struct cu_error *err)
{
	int rc;

	for (uint64_t offset = 0; offset < j->res->source.size; offset += j->chunk_size)
		if ((rc = job_copy_chunk(j, offset, err)))
			return rc;
	return CU_OK;
}

static int job_collect_segments(struct acq_job *j, struct cu_error *err)
{
	size_t n = ewf_writer_segment_count(j->writer);

	j->res->segments = calloc(n ? n : 1, sizeof(*j->res->segments));
	if (!j->res->segments)
		return cu_error_set(err, CU_EFAIL, "out of memory");
	for (size_t i = 0; i < n; i++) {
		const struct ewf_segment_info *s = ewf_writer_segment(j->writer, i);

		j->res->segments[i].name = strdup(s->path);
		j->res->segments[i].size = s->size;
		j->res->n_segments++;
		if (!j->res->segments[i].name)
			return cu_error_set(err, CU_EFAIL, "out of memory");
	}
	return CU_OK;
}

static int job_finish(struct acq_job *j, struct cu_error *err)
{
	int rc;

	for (int a = 0; a < CU_HASH_COUNT; a++)
		if (j->hash[a] && (rc = cu_hash_final(j->hash[a], &j->res->media, err)))
			return rc;
	if ((rc = ewf_writer_finish(j->writer, &j->res->media, err)))
		return rc;
	return job_collect_segments(j, err);
}

static void job_close(struct acq_job *j)
{
	ewf_writer_free(j->writer);
	ewf_packer_free(j->packer);
	for (int a = 0; a < CU_HASH_COUNT; a++)
		cu_hash_free(j->hash[a]);
	acq_source_close(j->src);
	free(j->raw);
	free(j->packed);
}

int acq_run(const struct acq_options *o, struct acq_result *res, struct cu_error *err)
{
	struct acq_job j = {.o = o, .res = res};
	double t0 = cu_time_monotonic();
	int rc;

	memset(res, 0, sizeof(*res));
	res->outcome = ACQ_FAILED;
	res->started = cu_time_now();
	rc = job_open(&j, err);
	if (!rc)
		rc = job_copy(&j, err);
	if (!rc)
		rc = job_finish(&j, err);
	if (rc && j.writer)
		ewf_writer_abort(j.writer);
	res->finished = cu_time_now();
	res->seconds = cu_time_monotonic() - t0;
	if (!rc)
		res->outcome = res->n_read_errors ? ACQ_COMPLETE_WITH_ERRORS : ACQ_COMPLETE;
	job_close(&j);
	return rc;
}

void acq_result_free(struct acq_result *res)
{
	for (size_t i = 0; i < res->n_segments; i++)
		free(res->segments[i].name);
	free(res->segments);
	free(res->read_errors);
	memset(res, 0, sizeof(*res));
}
