/*
 * job.h - one acquisition while it runs, as acquire.c and rescue_job.c
 * share it (not a public interface: acquire.h is).
 */
#ifndef CUSTOS_ACQUIRE_JOB_H
#define CUSTOS_ACQUIRE_JOB_H

#include "acquire/acquire.h"
#include "acquire/mapfile.h"
#include "acquire/raw_output.h"
#include "container/ewf_writer.h"

struct acq_job {
	const struct acq_options *o;
	struct acq_result *res;
	struct acq_source *src;
	struct ewf_writer *writer;
	struct acq_raw_output *raw;
	struct acq_mapfile *mapfile;
	struct cu_ranges known_bad; /* window bytes, from a ddrescue map */
	struct cu_ranges bad;       /* window bytes that could not be read */
	uint32_t read_unit;
	struct cu_hash *hash[CU_HASH_COUNT];
	uint64_t chunk_size;
	char *resume_path; /* BASE.resume */
	bool resumable;    /* BASE.resume holds a point this run can go on from */
	uint64_t start;    /* where reading begins: past what a resumed run has */
	uint64_t streamed; /* the bytes a stream gave */
	char *spool;       /* --rescue: BASE.rescue.img */
};

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
