/*
 * evidence.h - reading any evidence set, whatever its format, through one
 * interface: what verify, info, export, report and the custody binding use.
 *
 *   evidence_open(any file of the set)
 *     -> the first bytes of that file choose the backend: the EWF signature
 *        gives EWF (ewf/ewf_evidence.c, libewf and ewf_scan); a ZIP local
 *        header an AFF4 volume (aff4/aff4_evidence.c); anything else a raw
 *        set (raw/raw_evidence.c: BASE.raw, or BASE.001 BASE.002 ..., whose
 *        bytes are the media).  The file's name never chooses: an EWF
 *        segment named .001 is EWF, a raw image named .E01 is raw.
 *     -> geometry, stored digests, read errors, the files of the set, what
 *        the set says of itself, and the whole media read in order with
 *        each chunk's own check (evidence_scan), all through the backend's
 *        table of functions (struct evidence_ops).
 *
 * A set that does not store its own digests (raw) takes them, and the read
 * errors and geometry of its acquisition, from a record kept beside it: the
 * custody log.  The log belongs to the report module, above this one, so
 * the caller hands in how to look a record up (struct evidence_records);
 * without one, such a set has no stored digests.  A backend added later is
 * one more entry in evidence.c's list, and every command reads it at once.
 */
#ifndef CUSTOS_CONTAINER_EVIDENCE_H
#define CUSTOS_CONTAINER_EVIDENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/error.h"
#include "lib/hash.h"
#include "lib/ranges.h"

struct evidence;

/* What a record kept outside the set (its custody log) says of it. */
struct evidence_record {
	char where[4096];             /* the record's path, for people */
	struct cu_digests digests;    /* the media digests recorded */
	struct cu_ranges read_errors; /* sectors; the record's owner frees them */
	uint32_t bytes_per_sector;    /* 0: not recorded */
	uint32_t chunk_sectors;       /* 0: not recorded */
};

/*
 * How to find the record of the set whose first file is `first`: CU_OK
 * with *found false when there is none.  Given by the command layer.
 */
struct evidence_records {
	int (*lookup)(void *ctx, const char *first, struct evidence_record *out, bool *found,
	              struct cu_error *err);
	void *ctx;
};

/* What the set says of itself (NULL or 0 where the format holds nothing). */
struct evidence_facts {
	const char *container; /* "ewf", "raw": the backend */
	const char *format;    /* "EnCase 6", "SMART", ...; "raw", "split raw" */
	uint32_t sectors_per_chunk, error_granularity;
	const char *compression; /* "none", "fast", "best" */
	bool has_guid;
	uint8_t guid[16];
	const char *media_type; /* "fixed disk", ...; NULL when not stored */
	bool physical;
	uint64_t sectors;
	bool digests_inside;       /* the set stores its digests itself (EWF) */
	const char *digests_where; /* else the record they came from, or NULL: none */
};

/* The acquisition and system dates the set stores, as ISO 8601 text ("" when none). */
struct evidence_dates {
	char *acquired, *system;
};

typedef int (*evidence_media_sink)(void *ctx, const uint8_t *media, size_t len,
                                   struct cu_error *err);

struct evidence_scan_result {
	struct cu_digests computed;
	struct cu_ranges damaged;       /* sectors, ordered; the caller frees */
	char failure[CU_ERROR_MSG_MAX]; /* what the first damage was */
	/*
	 * The set's own hashes cover every byte of the media and all of them
	 * recomputed equal (AFF4: block hashes, BlockHashes hashes, map hashes,
	 * blockMapHash), so that it proves itself without a linear digest;
	 * self_proof says what proved it.  false for EWF and raw.
	 */
	bool self_proved;
	char self_proof[CU_ERROR_MSG_MAX];
};

/*
 * One chunk of the media read at random (evidence_cursor_read): the caller
 * sets index and media (room for evidence_chunk_size bytes); the read sets
 * the rest.  Damaged sectors (a chunk that does not read, unpack or match
 * its check) are zeros in `media` and listed in `damaged`, absolute sector
 * numbers; `why` says what the first was.
 */
struct evidence_chunk {
	uint64_t index;
	uint8_t *media;
	uint64_t media_off; /* index * chunk size */
	size_t len;         /* the chunk's media bytes: the last may be short */
	struct cu_ranges damaged;
	char why[CU_ERROR_MSG_MAX];
};

/* A backend: the functions every format gives. */
struct evidence_ops {
	const char *name;
	/* whether the first bytes of a file (n of them, at most 16) are this format's */
	bool (*claims)(const uint8_t *head, size_t n);
	int (*open)(void **state, const char *path, const struct evidence_records *records,
	            struct cu_error *err);
	void (*close)(void *state);
	uint64_t (*media_size)(const void *state);
	uint32_t (*bytes_per_sector)(const void *state);
	uint32_t (*chunk_size)(const void *state);
	void (*facts)(const void *state, struct evidence_facts *f);
	void (*stored_digests)(const void *state, struct cu_digests *d);
	int (*read_errors)(const void *state, struct cu_ranges *out, struct cu_error *err);
	size_t (*file_count)(const void *state);
	const char *(*file_name)(const void *state, size_t i);
	/* 0 when the set's files are whole as a chain; else what is wrong, in `problem` */
	int (*chain_check)(const void *state, char *problem, size_t cap);
	int (*header_value)(const void *state, const char *id, char **out, struct cu_error *err);
	int (*dates)(const void *state, struct evidence_dates *out, struct cu_error *err);
	int (*scan)(void *state, unsigned threads, const bool want[CU_HASH_COUNT],
	            evidence_media_sink sink, void *ctx, struct evidence_scan_result *out,
	            struct cu_error *err);
	/* a cursor: one thread's random reads, any number at once on one set */
	int (*cursor_open)(void *state, void **cursor, struct cu_error *err);
	int (*cursor_read)(void *cursor, struct evidence_chunk *c, struct cu_error *err);
	void (*cursor_close)(void *cursor);
};

/*
 * Opens the set `path` (any of its files) belongs to, with the backend its
 * content calls for; `records` may be NULL.  CU_EUSAGE when it is not
 * evidence, CU_EFAIL when it is but cannot be read (damaged).
 */
int evidence_open(struct evidence **out, const char *path, const struct evidence_records *records,
                  struct cu_error *err);
void evidence_close(struct evidence *e);

uint64_t evidence_media_size(const struct evidence *e);
uint32_t evidence_bytes_per_sector(const struct evidence *e);
uint32_t evidence_chunk_size(const struct evidence *e);
void evidence_facts(const struct evidence *e, struct evidence_facts *f);

/* The digests the set stores, or its record holds (MD5, SHA-1, SHA-256 where present). */
void evidence_stored_digests(const struct evidence *e, struct cu_digests *d);

/* The acquisition's own read errors, in sectors, added to `out`. */
int evidence_read_errors(const struct evidence *e, struct cu_ranges *out, struct cu_error *err);

/* The files of the set, in order (the first is the one the set is named by). */
size_t evidence_file_count(const struct evidence *e);
const char *evidence_file_name(const struct evidence *e, size_t i);

/* 0 when the chain of the set's files is whole; else what is wrong, in `problem`. */
int evidence_chain_check(const struct evidence *e, char *problem, size_t cap);

/*
 * A header value by libewf identifier ("case_number", ...), whole, UTF-8
 * (malloc'ed), or NULL when the set has none (a raw set has none).
 */
int evidence_header_value(const struct evidence *e, const char *id, char **out,
                          struct cu_error *err);

/* The dates the set stores (malloc'ed, "" when none); evidence_dates_free frees them. */
int evidence_dates(const struct evidence *e, struct evidence_dates *out, struct cu_error *err);
void evidence_dates_free(struct evidence_dates *d);

/*
 * The whole media in order, each chunk checked as the format allows, the
 * digests in `want` computed on their own threads, given to `sink` (may be
 * NULL), with `threads` checkers (0: one per CPU).  Damage is collected in
 * out->damaged (zero-filled in the media), not fatal.  `out` is cleared
 * first.
 */
int evidence_scan(struct evidence *e, unsigned threads, const bool want[CU_HASH_COUNT],
                  evidence_media_sink sink, void *ctx, struct evidence_scan_result *out,
                  struct cu_error *err);

/*
 * Reading the media at random, a chunk at a time, each chunk checked as
 * evidence_scan checks it (the same code): what custos mount serves.  A
 * cursor belongs to one thread; any number may be open on one set, each
 * with its own buffers, and read at once.  The set outlives its cursors.
 */
struct evidence_cursor;

int evidence_cursor_open(struct evidence *e, struct evidence_cursor **out, struct cu_error *err);
/*
 * Chunk c->index (below evidence_chunk_count) into c->media.  Damage is not
 * an error: it is in c->damaged.  CU_EFAIL only when the read cannot be
 * made at all (out of memory).
 */
int evidence_cursor_read(struct evidence_cursor *cur, struct evidence_chunk *c,
                         struct cu_error *err);
void evidence_cursor_close(struct evidence_cursor *cur);

/* The number of chunks of evidence_chunk_size bytes the media is cut into. */
uint64_t evidence_chunk_count(const struct evidence *e);

/* The backends (evidence.c tries them in this order; raw takes what no other claims). */
extern const struct evidence_ops evidence_ewf_ops;
extern const struct evidence_ops evidence_aff4_ops;
extern const struct evidence_ops evidence_raw_ops;

#endif
