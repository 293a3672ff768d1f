/*
 * job.h - one acquisition while it runs, as acquire.c and rescue_job.c
 * share it (not a public interface: acquire.h is).
 */
#ifndef CUSTOS_ACQUIRE_JOB_H
#define CUSTOS_ACQUIRE_JOB_H

#include "acquire/acquire.h"
#include "acquire/rescue/mapfile.h"
#include "acquire/dest/dest.h"
#include "container/ewf/ewf_writer.h"

struct acq_job {
	const struct acq_options *o;
	struct acq_result *res;
	struct source *src;
	struct acq_target targets[ACQ_DESTS_MAX]; /* every -o */
	size_t n_targets;
	bool any_e01;           /* an E01 among them: the media is whole sectors */
	struct acq_dests dests; /* one per target, once opened */
	struct acq_sink sink;   /* the pipeline's way to them */
	struct acq_mapfile *mapfile;
	struct cu_ranges known_bad; /* window bytes, from a ddrescue map */
	struct cu_ranges bad;       /* window bytes that could not be read */
	uint32_t read_unit;
	struct cu_hash *hash[CU_HASH_COUNT];
	struct cu_hash_windows *windows[CU_HASH_COUNT]; /* --hash-window; NULL: none */
	uint64_t chunk_size;
	char *resume_path; /* BASE.resume */
	bool resumable;    /* BASE.resume holds a point this run can go on from */
	uint64_t start;    /* where reading begins: past what a resumed run has */
	uint64_t streamed; /* the bytes a stream gave */
	char *spool;       /* --rescue: BASE.rescue.img */
};

/* job_dests.c: the -o's of the options (base alone when none is listed). */
void acq_job_targets(struct acq_job *j);

/* job_dests.c: every refusal, for every target, before anything is written. */
int acq_job_check_targets(struct acq_job *j, struct cu_error *err);

/* job_dests.c: refuses targets whose file systems cannot hold them (dest/room.c). */
int acq_job_check_room(struct acq_job *j, struct cu_error *err);

/* job_dests.c: opens a destination per target (the E01 copies as one set). */
int acq_job_open_dests(struct acq_job *j, struct cu_error *err);

/* job_dests.c: the first live E01 writer, or NULL. */
struct ewf_writer *acq_job_first_writer(const struct acq_job *j);

/* job_dests.c: a destination failed while others go on (acq_dests.on_fail). */
void acq_job_dest_failed(void *ctx, const struct acq_dest *d);

/* job_dests.c: the pipeline's checkpoint, and the resume files when done. */
int acq_job_checkpoint(void *ctx, uint64_t done, struct cu_error *err);
void acq_job_drop_resume_files(const struct acq_job *j);

/* job_dests.c: each copy as it ended, into the result. */
int acq_job_collect_copies(struct acq_job *j, struct cu_error *err);

/* The bytes to acquire, and the media they make. */
void acq_job_set_size(struct acq_job *j, uint64_t size);

/* Loads a ddrescue map's unrescued areas as known bad (window bytes). */
int acq_job_load_map(struct acq_job *j, const char *map, bool grow, struct cu_error *err);

/* rescue_job.c: --rescue's files are free (or, resuming, as it left them). */
int acq_rescue_check_files(struct acq_job *j, struct cu_error *err);

/*
 * rescue_job.c: phase 1 of --rescue: GNU ddrescue copies the source into the
 * spool; then the job reads the spool, with the map's unreadable areas
 * known bad, in place of the source.
 */
int acq_rescue_run(struct acq_job *j, struct cu_error *err);

/*
 * rescue_sample.c: resuming --rescue, the source is the medium the spool was
 * rescued from: the last rescued areas read again from both are equal.
 */
int acq_rescue_check_sample(struct acq_job *j, struct cu_error *err);

/* rescue_job.c: the E01 is complete and verified: the spool goes. */
void acq_rescue_done(struct acq_job *j);

#endif
