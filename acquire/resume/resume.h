/*
 * resume.h - going on with an interrupted acquisition.
 *
 * A resumed run takes every kept setting from BASE.resume (the command line
 * may repeat them, but not change them), checks that the source is the same
 * medium and that the segment files are what the resume file says (their
 * number, names and sizes, and the volume and case metadata of the first),
 * rebuilds the digests from the media already in the segments (checking
 * every chunk), cuts the last segment back to the checkpoint and reads on
 * from there.  It ends with the same media and digests as a run that was
 * never interrupted.  Every refusal is CU_EUSAGE, before anything is
 * written.
 */
#ifndef CUSTOS_ACQUIRE_RESUME_H
#define CUSTOS_ACQUIRE_RESUME_H

#include <stdbool.h>

#include "acquire/acquire.h"
#include "acquire/resume/resume_file.h"
#include "lib/file_set.h"

/*
 * The options of the resumed run: the kept settings of `rf`, the others of
 * `cli`.  A kept setting the command line gave (`given`, indexed like the
 * settings table) with another value is refused, naming both values.
 */
int acq_resume_merge(const struct acq_resume_file *rf, const struct acq_options *cli,
                     const bool *given, const char *rf_path, struct acq_options *out,
                     struct cu_error *err);

/*
 * Refuses a source that is not the medium the resume file describes: a
 * drive by its size, model and serial number; a file by its size here (its
 * device number changes when its file system is mounted again), and by its
 * content where the resume reads it again (the last chunk written, or
 * acq_rescue_check_sample for --rescue).
 */
int acq_resume_check_source(const struct acq_resume_file *rf, const struct source_info *si,
                            struct cu_error *err);

/* Refuses segment files (and a mapfile) that are not what the resume file says. */
int acq_resume_check_files(const struct acq_resume_file *rf, const char *base,
                           struct cu_error *err);

/*
 * resume_copies.c: the segment files of E01 copy `copy` are, up to the
 * checkpoint, byte for byte those of the first copy `first`.
 */
int acq_resume_check_copy(const struct acq_resume_file *rf, const char *first, const char *copy,
                          struct cu_error *err);

/* Removes segment files the interrupted run began after its checkpoint. */
void acq_resume_drop_later(const char *base, uint32_t segments);

/*
 * Feeds `hash` the media the segments hold up to the checkpoint, checking
 * every chunk, and that the source still holds the last one where reading
 * stopped.
 */
int acq_resume_rehash(const struct cu_file_set *files, const struct acq_resume_file *rf,
                      struct source *src, uint64_t chunk_size, struct cu_hash *hash[CU_HASH_COUNT],
                      struct cu_hash_windows *windows[CU_HASH_COUNT], struct cu_error *err);

/* The resume file of a running acquisition (borrowing its strings and lists). */
void acq_resume_describe(struct acq_resume_file *rf, const struct acq_options *o,
                         const struct acq_result *res, const struct cu_ranges *bad, uint64_t done);

#endif
