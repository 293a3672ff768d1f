/*
 * ewf_writer.h - writing an EWF-E01 evidence set, one packed chunk at a time.
 *
 * The caller packs chunks (ewf_chunk.h, on as many threads as it likes) and
 * hands them to ewf_writer_add_chunk strictly in media order.  The writer
 * lays out segments, sectors sections and tables, starts a new segment file
 * before one would pass --segment-size, and keeps every table within the 31
 * bits of offset a table entry holds.  Until ewf_writer_finish has written
 * the hash sections and synced every file, segments exist only as
 * "BASE.E01.partial" and so on: nothing that looks like complete evidence.
 * ewf_writer_abort removes them.
 *
 * A stream's size is known only at its end: its volume section (and the
 * copy, "data", that opens every later segment) is written with no size,
 * and completed in every segment once ewf_writer_set_sector_count has said
 * it; each segment's SHA-256 is then read back, on every core.
 *
 * The writer holds all its state in the opaque struct; nothing is global.
 */
#ifndef CUSTOS_CONTAINER_EWF_WRITER_H
#define CUSTOS_CONTAINER_EWF_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "container/ewf/ewf_chunk.h"
#include "container/ewf/ewf_sections.h"
#include "lib/file_set.h"
#include "lib/error.h"
#include "lib/hash.h"
#include "lib/meta.h"

struct ewf_writer_options {
	const char *base;           /* segments are BASE.E01, BASE.E02, ... */
	uint32_t bytes_per_sector;  /* 512 or 4096 (any power of two >= 512) */
	uint32_t sectors_per_chunk; /* 64 by default */
	uint64_t sector_count;      /* the media, in sectors; 0 for a stream */
	bool stream;                /* the size is told at the end (ewf_writer_set_sector_count) */
	uint64_t segment_size;      /* upper bound of each segment file */
	enum ewf_compression compression;
	uint8_t media_type;         /* EWF_MEDIA_FIXED or EWF_MEDIA_REMOVABLE */
	uint8_t media_flags;        /* EWF_FLAG_IMAGE | EWF_FLAG_PHYSICAL ... */
	uint32_t table_entries_max; /* 0: EWF_TABLE_ENTRIES_DEFAULT */
	const struct cu_meta *meta;
	const uint8_t *guid; /* the set's identifier; NULL: a new random one */
};

/*
 * Where a writer stands at a checkpoint: every chunk before it is indexed by
 * a table on disk and synced, so that an interrupted acquisition can go on
 * from there (ewf_writer_resume).
 */
struct ewf_writer_state {
	uint8_t guid[16];
	uint32_t segments;       /* files so far; the last one is being written */
	uint64_t last_size;      /* bytes of the last one */
	uint32_t segment_chunks; /* chunks in the last one */
	uint32_t chunks_written;
};

struct ewf_writer;

/*
 * ewf_size.c: the most bytes a set of these options can take (no chunk
 * compressing); 0 sectors (a stream of unknown size) gives the fixed part.
 */
uint64_t ewf_writer_worst_size(const struct ewf_writer_options *o);

/* Checks the options and prepares; creates no file yet. */
int ewf_writer_open(struct ewf_writer **out, const struct ewf_writer_options *o,
                    struct cu_error *err);

/* Appends the next chunk in media order, as packed by ewf_packer_pack. */
int ewf_writer_add_chunk(struct ewf_writer *w, const uint8_t *stored, size_t len, bool compressed,
                         struct cu_error *err);

/*
 * Records unreadable sectors for the error2 section; ranges arrive in
 * ascending order (adjacent ones are merged).
 */
int ewf_writer_add_error(struct ewf_writer *w, uint64_t first, uint64_t count,
                         struct cu_error *err);

/* Closes the open table group and syncs: a point to resume from. */
int ewf_writer_checkpoint(struct ewf_writer *w, struct ewf_writer_state *st, struct cu_error *err);

/*
 * Continues a set from a checkpoint: the segment files exist under their
 * .partial names, the last is cut back to its size at the checkpoint.  Read
 * errors recorded before it are given again with ewf_writer_add_error.
 */
int ewf_writer_resume(struct ewf_writer **out, const struct ewf_writer_options *o,
                      const struct ewf_writer_state *st, struct cu_error *err);

/* As ewf_writer_add_error, for bytes of the media: every sector they touch. */
int ewf_writer_add_error_bytes(struct ewf_writer *w, uint64_t first, uint64_t count,
                               struct cu_error *err);

/* Unreadable sectors numbered 2^32 or more, which error2 cannot hold. */
uint64_t ewf_writer_errors_unrecorded(const struct ewf_writer *w);

/* A stream has ended: the media has `sectors`, the chunks written exactly. */
int ewf_writer_set_sector_count(struct ewf_writer *w, uint64_t sectors, struct cu_error *err);

/*
 * Writes the closing sections with `digests` (MD5 required; SHA-1 and
 * SHA-256 when present), syncs, and renames every segment to its final name.
 */
int ewf_writer_finish(struct ewf_writer *w, const struct cu_digests *digests, struct cu_error *err);

/* Removes every file the writer created (for a failed acquisition). */
void ewf_writer_abort(struct ewf_writer *w);

/* The set identifier written in the volume section. */
const uint8_t *ewf_writer_guid(const struct ewf_writer *w);

/* Whether a metadata value had to be transliterated in the cp1252 header. */
bool ewf_writer_header_transliterated(const struct ewf_writer *w);

/* The segment files, by final name, with their sizes. */
const struct cu_file_set *ewf_writer_files(const struct ewf_writer *w);

void ewf_writer_free(struct ewf_writer *w);

#endif
