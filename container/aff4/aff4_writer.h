/*
 * aff4_writer.h - one AFF4 volume written as an acquisition goes:
 * BASE.aff4, an AFF4 Standard v1.0 ZipVolume holding one aff4:DiskImage
 * (container/aff4/FORMAT.md).
 *
 * The volume is written strictly forward, in the order the reference
 * images show: container.description (the volume URN), version.txt, the
 * image stream's bevies with their block hashes and indexes as chunks
 * arrive, then at the end the map, information.turtle last, and the ZIP
 * central directory with the volume URN as its comment.
 *
 * The stream mirrors the media: chunk i holds media bytes [i * 32 KiB,
 * (i + 1) * 32 KiB), the last padded with zeros.  The map lays the media
 * onto it, except the runs that could not be read, which it lays onto
 * aff4:UnreadableData, exactly as recorded.  What the stream holds there
 * (the acquisition's fill) is never mapped, so a reader sees the standard's
 * fill and the digests given at the end must be of that view.
 *
 * The file is BASE.aff4.partial until aff4_writer_finish has written and
 * synced everything (lib/file_set.h): an interrupted run never leaves a
 * volume that looks complete.
 */
#ifndef CUSTOS_CONTAINER_AFF4_WRITER_H
#define CUSTOS_CONTAINER_AFF4_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "container/aff4/aff4_stream.h"
#include "lib/error.h"
#include "lib/file_set.h"
#include "lib/hash.h"
#include "lib/meta.h"

struct aff4_writer_options {
	const char *path; /* the volume: BASE.aff4 */
	enum aff4_compression compression;
	const bool *block; /* CU_HASH_COUNT: the block-hash algorithms */
	time_t started;    /* the acquisition's start */
	const char *tool;  /* version.txt's tool=, e.g. "custos 0.3" */
};

/* What the end of the acquisition knows. */
struct aff4_writer_summary {
	uint64_t media_size; /* bytes */
	uint32_t sector_size;
	struct cu_digests media; /* as an AFF4 reader reads the media */
	bool complete;           /* every sector read */
	time_t finished;
	const char *make, *model, *serial, *firmware; /* the drive; NULL: unknown */
	const struct cu_meta *meta;                   /* the case */
};

struct aff4_writer;

/* Creates the volume (refused when it exists) and writes its first members. */
int aff4_writer_open(struct aff4_writer **out, const struct aff4_writer_options *o,
                     struct cu_error *err);

/*
 * Appends the stream's next chunk as aff4_packer_pack stored it, with the
 * digests of its AFF4_CHUNK_SIZE unpacked bytes for every block-hash
 * algorithm.
 */
int aff4_writer_add_chunk(struct aff4_writer *w, const uint8_t *stored, size_t len,
                          const struct cu_digests *block, struct cu_error *err);

/* Media bytes [offset, offset + length) could not be read; runs come in order. */
int aff4_writer_add_unreadable(struct aff4_writer *w, uint64_t offset, uint64_t length,
                               struct cu_error *err);

/* Writes the map and the metadata, closes the volume and gives it its final name. */
int aff4_writer_finish(struct aff4_writer *w, const struct aff4_writer_summary *s,
                       struct cu_error *err);

/* The volume's file: its name, and after finish its size and SHA-256. */
const struct cu_file_set *aff4_writer_files(const struct aff4_writer *w);

/* A failed run: the partial volume is removed. */
void aff4_writer_abort(struct aff4_writer *w);

void aff4_writer_free(struct aff4_writer *w);

#endif
