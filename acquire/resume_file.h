/*
 * journal.h - what an interrupted acquisition needs to go on: BASE.resume.
 *
 * Written atomically (temporary file, fsync, rename) at every checkpoint,
 * the journal holds the source's identity, every setting, the case
 * metadata with the acquisition time, where the acquisition stands (the
 * writer's state at the checkpoint), and the unreadable and slow areas met
 * so far.  It is a text of "key value" lines, strings percent-encoded, so
 * that an examiner can read it.
 */
#ifndef CUSTOS_ACQUIRE_JOURNAL_H
#define CUSTOS_ACQUIRE_JOURNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "acquire/pipeline.h"
#include "container/ewf_writer.h"
#include "lib/error.h"
#include "lib/path.h"
#include "lib/hash.h"
#include "lib/ranges.h"

struct acq_resume_file {
	/* the source */
	char *source_path;
	uint64_t source_total, offset, size;
	uint64_t device, inode;
	char *model, *serial;
	/* the settings and the case */
	uint32_t bytes_per_sector, chunk_sectors, table_entries_max, retries;
	int compression;
	uint64_t segment_size;
	bool want[CU_HASH_COUNT];
	double slow_seconds;
	bool no_write_block;
	char *case_number, *evidence_number, *examiner, *description, *notes, *mapfile;
	int64_t acquired;
	/* where it stands */
	uint64_t done; /* window bytes read and written */
	struct ewf_writer_state writer;
	struct cu_ranges bad; /* window bytes */
	struct acq_slow_list slow;
};

int acq_resume_file_save(const char *path, const struct acq_resume_file *j, struct cu_error *err);
int acq_resume_file_load(const char *path, struct acq_resume_file *j, struct cu_error *err);
void acq_resume_file_free(struct acq_resume_file *j);

#endif
