/*
 * resume.h - going on with an interrupted acquisition.
 *
 * A resumed run takes every setting from the journal, checks that the
 * source is the same medium and that the segment files are as the journal
 * left them, rebuilds the digests from the media already in the segments
 * (checking every chunk), cuts the last segment back to the checkpoint and
 * reads on from there.  It ends with the same media and digests as a run
 * that was never interrupted.
 */
#ifndef CUSTOS_ACQUIRE_RESUME_H
#define CUSTOS_ACQUIRE_RESUME_H

#include "acquire/acquire.h"
#include "acquire/resume_file.h"
#include "lib/file_set.h"

/* The settings of the interrupted acquisition (strings point into `jn`). */
void acq_resume_options(const struct acq_resume_file *jn, struct acq_options *o);

/* Refuses a source that is not the medium the journal describes. */
int acq_resume_check_source(const struct acq_resume_file *jn, const struct acq_source_info *si,
                            struct cu_error *err);

/* Removes segment files the interrupted run began after its checkpoint. */
void acq_resume_drop_later(const char *base, uint32_t segments);

/* Feeds `hash` the media the segments hold up to the checkpoint. */
int acq_resume_rehash(const struct cu_file_set *files, const struct acq_resume_file *jn,
                      uint64_t chunk_size, struct cu_hash *hash[CU_HASH_COUNT],
                      struct cu_error *err);

/* A journal of a running acquisition (borrowing its strings and lists). */
void acq_resume_describe(struct acq_resume_file *jn, const struct acq_options *o,
                         const struct acq_result *res, const struct cu_ranges *bad, uint64_t done);

#endif
