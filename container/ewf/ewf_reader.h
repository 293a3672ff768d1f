/*
 * ewf_reader.h - reading any EWF evidence set through libewf.
 *
 * custos writes E01 with its own writer but reads evidence, its own and
 * other tools', through libewf, so that what custos verifies is what the
 * rest of the forensic world reads.
 */
#ifndef CUSTOS_CONTAINER_EWF_READER_H
#define CUSTOS_CONTAINER_EWF_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "container/ewf/ewf_sections.h"
#include "lib/error.h"
#include "lib/hash.h"
#include "lib/ranges.h"

struct ewf_reader;

/* Opens the set that `path` (any of its segment files) belongs to. */
int ewf_reader_open(struct ewf_reader **out, const char *path, struct cu_error *err);
void ewf_reader_close(struct ewf_reader *r);

uint64_t ewf_reader_media_size(const struct ewf_reader *r);
uint32_t ewf_reader_bytes_per_sector(const struct ewf_reader *r);
uint32_t ewf_reader_chunk_size(const struct ewf_reader *r);

/* What the set says of itself beyond its media (as ewfinfo shows it). */
struct ewf_facts {
	const char *format; /* "EnCase 6", "FTK Imager", "SMART", ... */
	uint32_t sectors_per_chunk, error_granularity;
	const char *compression; /* "none", "fast", "best" */
	uint8_t guid[16];
	const char *media_type; /* "fixed disk", "removable disk", ... */
	bool physical;
	uint64_t sectors;
};

void ewf_reader_facts(const struct ewf_reader *r, struct ewf_facts *f);

/* The digests the set stores (MD5, SHA-1, SHA-256 where present). */
void ewf_reader_stored_digests(const struct ewf_reader *r, struct cu_digests *d);

/*
 * A header value by libewf identifier ("case_number", ...), whole, in UTF-8
 * (malloc'ed), or NULL when the set has none or it is empty.  CU_EFAIL,
 * naming it, when libewf cannot give it.  Dates are libewf's text in the
 * reader's local time: ewf_head_read_dates gives them as stored.
 */
int ewf_reader_header_value(const struct ewf_reader *r, const char *id, char **out,
                            struct cu_error *err);

/*
 * A chunk as the set stores it: zlib-compressed, or raw followed by the
 * Adler-32 of its bytes.  `cap` is the room in `data`: a chunk's size and
 * some, so that damaged compressed data larger than a chunk still fits.
 */
struct ewf_stored_chunk {
	uint8_t *data;
	size_t cap, len;
	bool compressed;
};

/* The room a stored chunk of a set with chunks of `chunk_size` bytes may need. */
#define EWF_STORED_CHUNK_CAP(chunk_size) ((chunk_size) + (chunk_size) / 8 + 64)

/*
 * Reads chunk `index` as stored, without checking or inflating it (libewf's
 * own inflating runs on one thread; custos checks and inflates chunks on
 * its own threads, with libdeflate).  CU_EFAIL when it cannot be read.
 * Threads may call it at once on one reader: the reads take turns.
 */
int ewf_reader_read_chunk(struct ewf_reader *r, uint64_t index, struct ewf_stored_chunk *c,
                          struct cu_error *err);

/* The acquisition's own read errors (the error2 section), in sectors. */
int ewf_reader_read_errors(const struct ewf_reader *r, struct cu_ranges *out, struct cu_error *err);

size_t ewf_reader_segment_count(const struct ewf_reader *r);
const char *ewf_reader_segment_name(const struct ewf_reader *r, size_t i);

#endif
