/*
 * resume_file.h - BASE.resume: what an interrupted acquisition needs to go on.
 *
 * Written whole (lib/atomic_file.h) at every checkpoint, it holds every
 * setting the table in settings.h keeps, as the command line would spell it
 * (with the sector size, media type and flags as they were resolved), the
 * source's identity, the acquisition time, where the writer stands, and the
 * unreadable and slow areas met so far.  It is text, one "key value" line
 * each, values percent-encoded, so that an examiner can read it.
 *
 * Read back, it is hostile input like any other: every value goes through
 * the parser of its setting or the bounds of its key, every key must be
 * known and given once, and the values must agree with each other.  Any
 * failure is CU_EUSAGE naming the file and the key.  Whether they agree with
 * the files on disk is resume.c's to check.
 */
#ifndef CUSTOS_ACQUIRE_RESUME_FILE_H
#define CUSTOS_ACQUIRE_RESUME_FILE_H

#include <stdbool.h>
#include <stdint.h>

#include "acquire/acquire.h"
#include "source/pipeline.h"
#include "container/ewf/ewf_writer.h"
#include "lib/error.h"
#include "lib/path.h"
#include "lib/ranges.h"

#define ACQ_RESUME_FILE_MAX (16U << 20)

struct acq_resume_file {
	struct acq_options settings; /* the kept settings; its strings are in `texts` */
	char **texts;
	size_t n_texts;
	/* the source */
	uint64_t source_size; /* the whole file or device */
	uint64_t device, inode;
	char *model, *serial;
	int64_t acquired;
	/* where it stands */
	uint64_t done; /* window bytes read and written */
	struct ewf_writer_state writer;
	struct cu_ranges bad; /* window bytes */
	struct source_slow_list slow;
	/* every E01 copy still being written (absolute BASEs, the first -o first) */
	const char *copies[ACQ_DESTS_MAX];
	size_t n_copies;
};

/* Writes `rf` to `path`, replacing the one before. */
int acq_resume_file_save(const char *path, const struct acq_resume_file *rf, struct cu_error *err);

/* Parses the text of a resume file (`name` names it in messages). */
int acq_resume_file_parse(const char *text, size_t len, const char *name,
                          struct acq_resume_file *rf, struct cu_error *err);

/* Reads and parses `path`, a regular file. */
int acq_resume_file_load(const char *path, struct acq_resume_file *rf, struct cu_error *err);

void acq_resume_file_free(struct acq_resume_file *rf);

#endif
