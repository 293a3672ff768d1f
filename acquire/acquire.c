/*
 * acquire.c - the acquisition job: open, copy, close.
 *
 * Opening checks every target (every refusal comes here, before the first
 * byte is written), opens the source read-only and prepares the
 * destinations (job_dests.c) and one digest per algorithm; the copy is the
 * pipeline's (source/pipeline.c, through dest/sink.c); closing finishes the
 * digests and every destination.  A source whose size is not a whole number of sectors is
 * completed with zeros: the pipeline forks each digest before the zeros,
 * giving the digests of the exact source bytes as well as those of the
 * media the container holds.
 *
 * A stream (SOURCE -) is read to its end: its size, and so the media's,
 * becomes known only then, and is given to the writer before it closes the
 * set (ewf_writer_set_sector_count); it has no checkpoints.
 */
#include "acquire/acquire.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "acquire/rescue/ddrescue_map.h"
#include "acquire/job.h"
#include "acquire/rescue/mapfile.h"
#include "source/pipeline.h"
#include "acquire/dest/raw_output.h"
#include "source/rehash.h"
#include "acquire/resume/resume.h"
#include "acquire/resume/resume_file.h"
#include "acquire/target.h"
#include "container/ewf/ewf_format.h"
#include "container/ewf/ewf_naming.h"
#include "container/ewf/ewf_scan.h"
#include "container/ewf/ewf_writer.h"
#include "lib/atomic_file.h"
#include "lib/path.h"
#include "lib/timeutil.h"

#define CHECKPOINT_DEFAULT (256ULL << 20)

const char *acq_media_type_name(int media_type)
{
	static const char *const names[] = {"fixed", "removable", "optical", "memory"};

	return media_type >= 0 && media_type < 4 ? names[media_type] : "fixed";
}

uint8_t acq_media_type_code(int media_type)
{
	static const uint8_t codes[] = {EWF_MEDIA_FIXED, EWF_MEDIA_REMOVABLE, EWF_MEDIA_OPTICAL,
	                                EWF_MEDIA_MEMORY};

	return media_type >= 0 && media_type < 4 ? codes[media_type] : EWF_MEDIA_FIXED;
}

uint8_t acq_media_flags_code(int media_flags)
{
	return (uint8_t)(EWF_FLAG_IMAGE |
	                 (media_flags == ACQ_MEDIA_PHYSICAL ? EWF_FLAG_PHYSICAL : 0));
}

void acq_job_set_size(struct acq_job *j, uint64_t size)
{
	uint64_t bps = j->res->bytes_per_sector;

	j->res->source.size = size;
	j->res->sector_count = (size + bps - 1) / bps;
	j->res->media_size = j->res->sector_count * bps;
	if (!j->any_e01) /* a raw image holds exactly the source */
		j->res->media_size = size;
}

/* The media type and flags: as asked, or as the source says. */
static void job_set_media(struct acq_job *j)
{
	const struct source_info *si = &j->res->source;
	bool whole_disk =
	    si->is_device && (si->identity.disk == 0 || si->identity.disk == si->device);

	j->res->media_type = j->o->media_type >= 0         ? j->o->media_type
	                     : si->identity.removable == 1 ? ACQ_MEDIA_REMOVABLE
	                                                   : ACQ_MEDIA_FIXED;
	j->res->media_flags = j->o->media_flags >= 0 ? j->o->media_flags
	                      : whole_disk           ? ACQ_MEDIA_PHYSICAL
	                                             : ACQ_MEDIA_LOGICAL;
}

static int job_open_source(struct acq_job *j, struct cu_error *err)
{
	/* a resumed run first sees the whole source, to tell whether it is the same */
	struct source_options so = {
	    .path = j->o->source,
	    .offset = j->o->resume ? 0 : j->o->offset,
	    .length = j->o->resume ? 0 : j->o->length,
	    .no_write_block = j->o->no_write_block,
	    .sysfs = j->o->sysfs,
	    .cancel_fd = j->o->cancel_fd,
	    .stream_fd = j->o->stream_fd,
	};
	const struct source_info *si;
	int rc = source_open(&j->src, &so, err);

	if (rc)
		return rc;
	if (j->o->resume &&
	    ((rc = acq_resume_check_source(j->o->resume_file, source_info(j->src), err)) ||
	     (rc = source_set_window(j->src, j->o->offset, j->o->length, err))))
		return rc;
	si = source_info(j->src);
	j->res->source = *si;
	j->res->source.path = j->o->converted ? j->o->converted->evidence : j->o->source;
	j->res->bytes_per_sector = j->o->sector_size    ? j->o->sector_size
	                           : si->logical_sector ? si->logical_sector
	                                                : 512;
	if (si->size == 0 && !si->is_stream)
		return cu_error_set(err, CU_EUSAGE, "the source %s is empty", j->o->source);
	acq_job_set_size(j, si->size); /* a stream's: 0 until it ends */
	job_set_media(j);
	j->res->chunk_sectors = j->o->chunk_sectors;
	return CU_OK;
}

/* Unreadable window bytes as sectors of the evidence. */
static int job_record_errors(struct acq_job *j, struct cu_error *err)
{
	uint64_t bps = j->res->bytes_per_sector;
	struct cu_ranges sectors = {0};
	int rc = CU_OK;

	for (size_t i = 0; i < j->bad.n && !rc; i++) {
		uint64_t first = j->bad.v[i].first / bps;
		uint64_t end = (j->bad.v[i].first + j->bad.v[i].count + bps - 1) / bps;
		struct cu_range *last = sectors.n ? &sectors.v[sectors.n - 1] : NULL;

		if (last && first < last->first + last->count) /* shared a sector */
			first = last->first + last->count;
		if (end > first)
			rc = cu_ranges_add(&sectors, first, end - first, err);
	}
	j->res->read_errors = sectors.v;
	j->res->n_read_errors = sectors.n;
	return rc;
}

int acq_job_load_map(struct acq_job *j, const char *map, bool grow, struct cu_error *err)
{
	struct ddrescue_window w = {.start = j->res->source.offset,
	                            .size = j->res->source.size,
	                            .image_end = j->res->source.offset + j->res->source.size,
	                            .grow = grow,
	                            .unit = j->read_unit};
	int rc;

	if ((rc = acq_ddrescue_map_load(map, &w, &j->known_bad, err)))
		return rc;
	acq_job_set_size(j, w.size); /* ddrescue leaves an unreadable tail out of the image */
	return CU_OK;
}

/* With --ddrescue-map: what the rescue did not recover, and the drive's size. */
/* Known unreadable areas: a ddrescue map's, or a converted set's read errors. */
static int job_load_ddrescue_map(struct acq_job *j, struct cu_error *err)
{
	const struct cu_ranges *k = j->o->known_unreadable;
	int rc;

	for (size_t i = 0; k && i < k->n; i++)
		if ((rc = cu_ranges_add(&j->known_bad, k->v[i].first, k->v[i].count, err)))
			return rc;
	return j->o->ddrescue_map ? acq_job_load_map(j, j->o->ddrescue_map, j->o->length == 0, err)
	                          : CU_OK;
}

static int job_open_mapfile(struct acq_job *j, struct cu_error *err)
{
	if (!j->o->mapfile || j->o->rescue) /* --rescue's map is GNU ddrescue's */
		return CU_OK;
	return acq_mapfile_open(&j->mapfile, j->o->mapfile, j->res->source.offset,
	                        j->res->source.size,
	                        j->o->command_line ? j->o->command_line : "custos acquire", err);
}

static int job_resume_slow_regions(struct acq_job *j, const struct acq_resume_file *rf,
                                   struct cu_error *err)
{
	struct source_slow *copy = rf->slow.n ? malloc(rf->slow.n * sizeof(*copy)) : NULL;

	if (rf->slow.n && !copy)
		return cu_error_set(err, CU_EFAIL, "out of memory");
	if (rf->slow.n)
		memcpy(copy, rf->slow.v, rf->slow.n * sizeof(*copy));
	j->res->slow = (struct source_slow_list){copy, rf->slow.n, rf->slow.n};
	return CU_OK;
}

/* A resumed run: the digests, errors and map of what the segments hold. */
static int job_resume_state(struct acq_job *j, struct cu_error *err)
{
	const struct acq_resume_file *rf = j->o->resume_file;
	int rc;

	if ((rc = acq_resume_rehash(ewf_writer_files(acq_job_first_writer(j)), rf, j->src,
	                            j->chunk_size, j->hash, j->windows, err)))
		return rc;
	for (size_t i = 0; i < rf->bad.n; i++)
		if ((rc = cu_ranges_add(&j->bad, rf->bad.v[i].first, rf->bad.v[i].count, err)))
			return rc;
	for (size_t d = 0; d < j->dests.n; d++) {
		struct ewf_writer *w = acq_dest_e01_writer(&j->dests.v[d]);

		for (size_t i = 0; w && i < rf->bad.n; i++)
			if ((rc = ewf_writer_add_error_bytes(w, rf->bad.v[i].first,
			                                     rf->bad.v[i].count, err)))
				return rc;
	}
	if ((rc = job_resume_slow_regions(j, rf, err)))
		return rc;
	j->start = rf->done;
	if (j->mapfile)
		return acq_mapfile_advance(j->mapfile, rf->done, rf->bad.v, rf->bad.n, err);
	return CU_OK;
}

/*
 * A resume that passed its checks names the files it goes on with, whatever
 * directory it was started from (they are absolute: cmd_acquire.c).
 */
static void job_notice_resume(const struct acq_job *j)
{
	char *line = NULL;
	int n;

	if (!j->o->notice)
		return;
	if (j->o->rescue)
		n = asprintf(&line,
		             "resuming %s: the rescue's map %s and spool %s, the evidence %s.E01",
		             j->resume_path, j->o->mapfile, j->spool, j->o->base);
	else
		n = asprintf(&line, "resuming %s: the segments of %s%s%s%s", j->resume_path,
		             j->o->base, j->n_targets > 1 ? " and of every other copy" : "",
		             j->o->mapfile ? ", the mapfile " : "",
		             j->o->mapfile ? j->o->mapfile : "");
	if (n >= 0)
		j->o->notice(j->o->notice_ctx, line);
	free(line);
}

/* A resumed run: the same medium, and segment files as the resume file says. */
static int job_check_resume(struct acq_job *j, struct cu_error *err)
{
	int rc;

	for (size_t i = 0; i < j->n_targets; i++)
		if ((rc = acq_target_check(j->targets[i].path, &j->res->source, j->o->sysfs, err)))
			return rc;
	if (j->o->rescue) { /* its map is its progress; the E01 is packed again */
		if ((rc = acq_rescue_check_files(j, err)) ||
		    (access(j->spool, F_OK) == 0 && (rc = acq_rescue_check_sample(j, err))))
			return rc;
		job_notice_resume(j);
		acq_resume_drop_later(j->o->base, 0);
		j->resumable = true;
		return CU_OK;
	}
	for (size_t i = 0; i < j->n_targets; i++)
		if ((rc = acq_resume_check_files(j->o->resume_file, j->targets[i].path, err)) ||
		    (i && (rc = acq_resume_check_copy(j->o->resume_file, j->targets[0].path,
		                                      j->targets[i].path, err))))
			return rc;
	for (size_t i = 0; i < j->n_targets; i++)
		acq_resume_drop_later(j->targets[i].path, j->o->resume_file->writer.segments);
	j->resumable = true;
	return CU_OK;
}

/*
 * The media digests, and with --hash-window each one's windows; a medium
 * of more windows than can be kept is refused before the first byte.
 */
static int job_open_digests(struct acq_job *j, struct cu_error *err)
{
	uint64_t window = j->o->hash_window;
	size_t n = cu_piecewise_count(window, j->res->media_size);
	int rc;

	if (window && n > CU_WINDOWS_MAX)
		return cu_error_set(err, CU_EUSAGE,
		                    "--hash-window %llu cuts the media into %zu windows, more than "
		                    "%u: give a larger window",
		                    (unsigned long long)window, n, CU_WINDOWS_MAX);
	for (int a = 0; a < CU_HASH_COUNT; a++)
		if (j->o->want[a] &&
		    ((rc = cu_hash_new(&j->hash[a], a, err)) ||
		     (window && (rc = cu_hash_windows_new(&j->windows[a], a, window, err)))))
			return rc;
	return CU_OK;
}

/* The windows' digests, into the result, over the whole media. */
static int job_finish_windows(struct acq_job *j, struct cu_error *err)
{
	int rc;

	if (!j->o->hash_window)
		return CU_OK;
	if ((rc = cu_piecewise_init(&j->res->windows, j->o->hash_window, j->res->media_size,
	                            j->o->want, err)))
		return rc;
	for (int a = 0; a < CU_HASH_COUNT; a++)
		if (j->windows[a] &&
		    (rc = cu_hash_windows_take(j->windows[a], &j->res->windows, err)))
			return rc;
	return CU_OK;
}

static int job_open(struct acq_job *j, struct cu_error *err)
{
	int rc;

	if ((rc = job_open_source(j, err)))
		return rc;
	j->chunk_size = (uint64_t)j->res->bytes_per_sector * j->o->chunk_sectors;
	if (j->targets[0].format == ACQ_FORMAT_AFF4) { /* every copy is AFF4: 32 KiB chunks */
		if (j->res->bytes_per_sector > AFF4_CHUNK_SIZE)
			return cu_error_set(
			    err, CU_EUSAGE,
			    "AFF4 chunks are 32 KiB: sectors of %u bytes do not fit",
			    (unsigned)j->res->bytes_per_sector);
		j->chunk_size = AFF4_CHUNK_SIZE;
		j->res->chunk_sectors = AFF4_CHUNK_SIZE / j->res->bytes_per_sector;
	}
	j->read_unit = j->res->bytes_per_sector > j->res->source.logical_sector
	                   ? j->res->bytes_per_sector
	                   : j->res->source.logical_sector;
	if (j->o->rescue && !(j->spool = cu_path_suffixed(j->o->base, CU_SPOOL_SUFFIX)))
		return cu_error_set(err, CU_EFAIL, "out of memory");
	if (j->o->resume)
		rc = job_check_resume(j, err);
	else if (!(rc = job_load_ddrescue_map(j, err)) && !(rc = acq_job_check_targets(j, err)) &&
	         !(rc = acq_job_check_room(j, err)) && j->o->rescue)
		rc = acq_rescue_check_files(j, err);
	if (!rc && j->o->rescue)
		rc = acq_rescue_run(j, err);
	if (rc || (rc = acq_job_open_dests(j, err)))
		return rc;
	if ((rc = job_open_digests(j, err)) || (rc = job_open_mapfile(j, err)))
		return rc;
	if (!j->o->resume || j->o->rescue)
		return CU_OK;
	if ((rc = job_resume_state(j, err)))
		return rc;
	job_notice_resume(j);
	return CU_OK;
}

static void job_pipeline_io(struct acq_job *j, struct source_pipeline_io *io)
{
	bool aff4 = acq_dests_pack(&j->dests) == ACQ_PACK_AFF4;

	acq_sink_init(&j->sink, &j->dests,
	              aff4 ? (int)acq_aff4_compression(j->o->compression) : j->o->compression,
	              j->chunk_size, j->mapfile);
	if (aff4)
		acq_sink_set_block(&j->sink, acq_aff4_block_hashes);
	*io = (struct source_pipeline_io){
	    .source = j->src,
	    .source_size = j->res->source.is_stream ? j->o->expect_size : j->res->source.size,
	    .stream = j->res->source.is_stream,
	    .streamed = &j->streamed,
	    .media_size = j->res->media_size,
	    .chunk_size = j->chunk_size,
	    .threads = j->o->threads,
	    .source_exact = &j->res->source_exact,
	    .sink = &j->sink.sink,
	    .progress = j->o->progress,
	    .progress_ctx = j->o->progress_ctx,
	    .cancel_fd = j->o->cancel_fd,
	    .bytes_per_sector = j->res->bytes_per_sector,
	    .retries = j->o->retries,
	    .read_unit = j->read_unit,
	    .known_bad = &j->known_bad,
	    .slow_seconds = j->o->slow_seconds,
	    .bad = &j->bad,
	    .failed_reads = &j->res->failed_reads,
	    .slow = &j->res->slow,
	    .start = j->start,
	    .interrupt_at = j->o->interrupt_at,
	    .stop_at_half = j->o->stop_at == ACQ_PHASE_READING,
	};
	memcpy(io->hash, j->hash, sizeof(io->hash));
	memcpy(io->windows, j->windows, sizeof(io->windows));
	if (acq_dests_resumable(&j->dests) && !j->o->ddrescue_map && !j->o->rescue && !io->stream) {
		/* E01 runs can be resumed from a checkpoint */
		io->checkpoint = acq_job_checkpoint;
		io->checkpoint_ctx = j;
		io->checkpoint_every =
		    j->o->checkpoint_every ? j->o->checkpoint_every : CHECKPOINT_DEFAULT;
	}
}

/* A stream has ended: its size is the source's, and the media's. */
static int job_stream_ended(struct acq_job *j, struct cu_error *err)
{
	acq_job_set_size(j, j->streamed);
	j->res->source.total_size = j->streamed;
	return acq_dests_stream_ended(&j->dests, j->res->sector_count, err);
}

static int job_copy(struct acq_job *j, struct cu_error *err)
{
	struct source_pipeline_io io;
	int rc;

	job_pipeline_io(j, &io);
	rc = source_pipeline_run(&io, err);
	if (!rc && io.stream)
		rc = job_stream_ended(j, err);
	if (!rc)
		rc = job_record_errors(j, err);
	if (j->mapfile) {
		struct cu_error map_err;
		int map_rc = acq_mapfile_close(j->mapfile, rc == CU_OK, rc ? &map_err : err);

		if (!rc)
			rc = map_rc;
	}
	return rc;
}

static int job_finish(struct acq_job *j, struct cu_error *err)
{
	int rc;

	for (int a = 0; a < CU_HASH_COUNT; a++)
		if (j->hash[a] && (rc = cu_hash_final(j->hash[a], &j->res->media, err)))
			return rc;
	if (j->res->media_size == j->res->source.size)
		j->res->source_exact = j->res->media;
	if ((rc = job_finish_windows(j, err)))
		return rc;
	if (acq_job_first_writer(j))
		j->res->errors_beyond_e01 = ewf_writer_errors_unrecorded(acq_job_first_writer(j));
	if ((rc = acq_dests_finish(&j->dests, &j->res->media, err)))
		return rc;
	return acq_job_collect_copies(j, err);
}

/* Compares the digests a second read gave with those of the first. */
static enum acq_check job_compare(const struct acq_options *o, const struct cu_digests *first,
                                  const struct cu_digests *again)
{
	for (int a = 0; a < CU_HASH_COUNT; a++)
		if (o->want[a] &&
		    (!again->have[a] || memcmp(cu_digests_get(first, a), cu_digests_get(again, a),
		                               cu_hash_size(a)) != 0))
			return ACQ_CHECK_MISMATCH;
	return ACQ_CHECK_MATCH;
}

/* Reads copy `i` back and compares it with the digests of the acquisition. */
static int job_verify_copy(struct acq_job *j, size_t i, struct cu_error *err)
{
	struct acq_dest *d = &j->dests.v[i];
	struct acq_copy *c = &j->res->copies[i];
	struct acq_dest_reread r = {.want = j->o->want,
	                            .threads = j->o->threads,
	                            .cancel_fd = j->o->cancel_fd,
	                            .size = j->res->source.size,
	                            .sysfs = j->o->sysfs};
	const struct cu_digests *first =
	    d->kind == ACQ_DEST_E01 ? &j->res->media : &j->res->source_exact;
	int rc;

	if ((rc = d->ops->reread(d->impl, &r, &c->readback, err)))
		return rc;
	c->evidence_check = job_compare(j->o, first, &c->readback);
	if (j->res->evidence_check != ACQ_CHECK_MISMATCH)
		j->res->evidence_check = c->evidence_check;
	return CU_OK;
}

/* The copies that failed their read-back, named in the message. */
static int job_verify_failed(const struct acq_job *j, struct cu_error *err)
{
	cu_error_set(err, CU_EFAIL,
	             "verification failed: the evidence read back "
	             "does not give the digests of the acquisition");
	if (j->res->n_copies > 1)
		for (size_t i = 0; i < j->res->n_copies; i++)
			if (j->res->copies[i].evidence_check == ACQ_CHECK_MISMATCH)
				cu_error_suffix(err, " (%s)", j->res->copies[i].path);
	return CU_EFAIL;
}

/* --verify (and every clone): each complete copy read back; --verify-source. */
static int job_verify(struct acq_job *j, struct cu_error *err)
{
	struct cu_digests again;
	int rc;

	for (size_t i = 0; i < j->res->n_copies; i++)
		if (j->res->copies[i].complete &&
		    (j->o->verify || j->dests.v[i].kind == ACQ_DEST_CLONE || j->o->rescue) &&
		    (rc = job_verify_copy(j, i, err)))
			return rc;
	if (j->o->verify_source) {
		struct source_options so = {.path = j->o->source,
		                            .offset = j->res->source.offset,
		                            .length = j->res->source.size,
		                            .no_write_block = j->o->no_write_block,
		                            .sysfs = j->o->sysfs};

		struct source_rehash r = {.source = &so,
		                          .want = j->o->want,
		                          .threads = j->o->threads,
		                          .cancel_fd = j->o->cancel_fd};

		if ((rc = source_rehash(&r, &again, err)))
			return rc;
		j->res->source_check = job_compare(j->o, &j->res->source_exact, &again);
	}
	if (j->res->evidence_check == ACQ_CHECK_MISMATCH)
		return job_verify_failed(j, err);
	if (j->res->source_check == ACQ_CHECK_MISMATCH)
		return cu_error_set(err, CU_EFAIL,
		                    "verification failed: the source read again "
		                    "gives other digests: it is changing or failing");
	return CU_OK;
}

static void job_close(struct acq_job *j)
{
	acq_dests_free(&j->dests);
	free(j->resume_path);
	free(j->spool);
	acq_mapfile_free(j->mapfile);
	cu_ranges_free(&j->known_bad);
	cu_ranges_free(&j->bad);
	for (int a = 0; a < CU_HASH_COUNT; a++) {
		cu_hash_free(j->hash[a]);
		cu_hash_windows_free(j->windows[a]);
	}
	source_close(j->src);
}

static void job_say_how_to_resume(const struct acq_options *o, struct cu_error *err)
{
	size_t used = strlen(err->msg);

	snprintf(err->msg + used, sizeof(err->msg) - used,
	         "; %s so far are kept: go on with custos acquire %s -o %s --resume",
	         o->rescue ? "the spool and the map of the rescue" : "the segments", o->source,
	         o->base);
}

/* A failed run: resumable evidence stays and says so; anything else goes. */
static void job_fail(struct acq_job *j, int rc, struct cu_error *err)
{
	if (rc == CU_EFAIL && j->resumable)
		job_say_how_to_resume(j->o, err);
	/* --rescue packs its E01 again */
	acq_dests_abort(&j->dests, j->resumable && !j->o->rescue);
}

void acq_phase_enter(const struct acq_options *o, enum acq_phase phase)
{
	if (o->stop_at == (int)phase && phase != ACQ_PHASE_NONE)
		raise(SIGSTOP);
}

/* The evidence is complete: the command records it before anything else can fail. */
static int job_record(struct acq_job *j, struct cu_error *err)
{
	int rc;

	if (!j->o->on_complete)
		return CU_OK;
	acq_phase_enter(j->o, ACQ_PHASE_RECORDING);
	if ((rc = j->o->on_complete(j->o->complete_ctx, j->res, err)))
		return rc;
	j->res->recorded = true;
	return CU_OK;
}

int acq_run(const struct acq_options *o, struct acq_result *res, struct cu_error *err)
{
	struct acq_job j = {.o = o, .res = res};
	double t0 = cu_time_monotonic();
	int rc;

	memset(res, 0, sizeof(*res));
	res->outcome = ACQ_FAILED;
	res->started = o->resume ? o->meta.acquired : cu_time_now();
	if (!(j.resume_path = cu_path_resume_file(o->base)))
		return cu_error_set(err, CU_EFAIL, "out of memory");
	acq_job_targets(&j);
	j.dests.on_fail = acq_job_dest_failed;
	j.dests.fail_ctx = &j;
	rc = job_open(&j, err);
	if (!rc)
		rc = job_copy(&j, err);
	if (!rc) {
		acq_phase_enter(o, ACQ_PHASE_FINISHING);
		rc = job_finish(&j, err);
	}
	if (!rc)
		acq_job_drop_resume_files(&j); /* complete: nothing left to resume */
	else
		job_fail(&j, rc, err);
	res->finished = cu_time_now();
	res->seconds = cu_time_monotonic() - t0;
	if (!rc) {
		res->outcome = res->n_read_errors ? ACQ_COMPLETE_WITH_ERRORS : ACQ_COMPLETE;
		rc = job_record(&j, err);
	}
	if (!rc) { /* a failed verification leaves the evidence for examination */
		acq_phase_enter(o, ACQ_PHASE_VERIFYING);
		rc = job_verify(&j, err);
	}
	if (!rc && o->rescue) /* complete and verified: the spool goes */
		acq_rescue_done(&j);
	if (!rc && res->n_failed && o->require_all)
		rc = cu_error_set(err, CU_EFAIL,
		                  "%zu of %zu copies failed, and --require-all was given; the "
		                  "complete copies are kept and recorded",
		                  res->n_failed, res->n_copies);
	if (rc)
		res->outcome = ACQ_FAILED;
	job_close(&j);
	return rc;
}

const struct acq_copy *acq_result_first_complete(const struct acq_result *res)
{
	for (size_t i = 0; i < res->n_copies; i++)
		if (res->copies[i].complete)
			return &res->copies[i];
	return NULL;
}

void acq_result_free(struct acq_result *res)
{
	for (size_t c = 0; c < res->n_copies; c++) {
		for (size_t i = 0; i < res->copies[c].n_segments; i++)
			free(res->copies[c].segments[i].name);
		free(res->copies[c].segments);
	}
	free(res->read_errors);
	free(res->rescue.command_line);
	source_slow_list_free(&res->slow);
	cu_piecewise_free(&res->windows);
	memset(res, 0, sizeof(*res));
}
