/*
 * acquire.h - one acquisition: a source read once, hashed, and written into
 * an E01 set, with everything the summary and the report need recorded.
 */
#ifndef CUSTOS_ACQUIRE_ACQUIRE_H
#define CUSTOS_ACQUIRE_ACQUIRE_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "acquire/dest/dest.h"
#include "container/ewf/ewf_chunk.h"
#include "container/ewf/ewf_sections.h"
#include "lib/error.h"
#include "lib/hash.h"
#include "lib/hash_windows.h"
#include "lib/meta.h"
#include "source/pipeline.h"
#include "source/source.h"

/* --hash-window where the machine has cores to spare for it (4 CPUs or more) */
#define ACQ_HASH_WINDOW_DEFAULT (64ULL << 20)

struct acq_resume_file;

enum acq_format { ACQ_FORMAT_E01 = 0, ACQ_FORMAT_RAW = 1, ACQ_FORMAT_AFF4 = 2 };

/* --compression: E01's (enum ewf_compression, 0 to 3), then AFF4's. */
enum acq_compression {
	ACQ_COMPRESSION_NONE = 0,
	ACQ_COMPRESSION_LZ4 = 4,
	ACQ_COMPRESSION_SNAPPY,
	ACQ_COMPRESSION_DEFLATE
};
extern const char *const acq_compression_names[]; /* NULL-terminated */

/* The volume section's media type and flags, as the settings name them. */
enum acq_media_type { ACQ_MEDIA_FIXED, ACQ_MEDIA_REMOVABLE, ACQ_MEDIA_OPTICAL, ACQ_MEDIA_MEMORY };
enum acq_media_flags { ACQ_MEDIA_LOGICAL, ACQ_MEDIA_PHYSICAL };

enum acq_check { ACQ_CHECK_NONE = 0, ACQ_CHECK_MATCH, ACQ_CHECK_MISMATCH };

/* The phases of an acquisition a signal may come in (tests stop in one: --x-stop-at). */
enum acq_phase {
	ACQ_PHASE_NONE,
	ACQ_PHASE_READING, /* half of the source read */
	ACQ_PHASE_FINISHING,
	ACQ_PHASE_RECORDING,
	ACQ_PHASE_PRINTING,
	ACQ_PHASE_VERIFYING
};

struct acq_options;

/* Tests: the process stops (SIGSTOP) here when `o` asks it to, so that a signal lands here. */
void acq_phase_enter(const struct acq_options *o, enum acq_phase phase);

/*
 * What an acquisition is asked to do.  The settings an examiner gives are
 * described, each once, by the table in settings.h, which parses them into
 * these fields; enumerations are kept as int so that the table can fill them.
 */
struct acq_result;

/*
 * custos convert: the set a conversion read (its record names it), and
 * where its own source is shown (the old set, not "-").
 */
struct acq_converted {
	const char *evidence;      /* the old set's first file */
	const char *container;     /* "ewf", "aff4", "raw" */
	struct cu_digests digests; /* it stored, and the conversion matched */
	const char *custody_head;  /* its custody log's head, or NULL: no log */
};

/* One -o: where a copy goes, and its format. */
struct acq_target {
	const char *path; /* BASE, or a drive for a clone */
	int format;       /* enum acq_format */
};

struct acq_options {
	const char *source;
	const char *base; /* the first -o: its BASE.resume, its lock */
	/*
	 * Every -o, in order (the first is base and format); none: base alone.
	 * Every E01 copy has the same settings, and so the same segment files.
	 */
	struct acq_target targets[ACQ_DESTS_MAX];
	size_t n_targets;
	bool require_all;        /* a copy that fails fails the acquisition */
	uint64_t offset, length; /* a window of the source; length 0: to the end */
	uint64_t expect_size;    /* a stream: the size it must have; 0: unknown */
	bool no_write_block;
	const char *sysfs;        /* NULL: "/sys" (tests use recorded trees) */
	int format;               /* enum acq_format */
	bool split;               /* raw: --segment-size was given */
	bool verify;              /* re-read the evidence written */
	bool verify_source;       /* re-read the source */
	uint32_t retries;         /* further attempts at an unreadable sector */
	double slow_seconds;      /* a megabyte slower than this is a slow region */
	const char *mapfile;      /* a ddrescue mapfile to keep; NULL: none */
	const char *ddrescue_map; /* the map of a ddrescue-rescued source; NULL: none */
	const char *command_line; /* for the mapfile's heading */
	bool resume;              /* go on from BASE.resume */
	bool rescue;              /* GNU ddrescue into a spool first, then E01 */
	const struct acq_resume_file *resume_file; /* its contents, when resuming */
	uint64_t checkpoint_every;                 /* bytes between resume points; 0: default */
	uint64_t interrupt_at; /* tests: stop as if interrupted once this much is read */
	int stop_at;           /* tests: enum acq_phase to SIGSTOP in; ACQ_PHASE_NONE */
	const char *test_guid; /* tests: the E01 set identifier, 32 hex digits; NULL: random */
	/* custos convert: the stream comes from this descriptor (0: standard input) */
	int stream_fd;
	const struct cu_ranges *known_unreadable; /* bytes of the stream that are not data */
	const struct acq_converted *converted;    /* what the evidence was converted from */
	const char *custody_by; /* who the first custody event is by; NULL: the examiner */
	struct cu_meta meta;
	int compression; /* enum ewf_compression or acq_compression */
	uint64_t segment_size;
	bool want[CU_HASH_COUNT];
	uint64_t hash_window; /* bytes a window of piecewise digests; 0: none */
	uint32_t parity;      /* parity beside each copy, percent; 0: none */
	int parity_format;    /* enum parity_format (PAR2 0, RS 1) */
	uint32_t sector_size; /* 0: the device's logical size, 512 for files */
	uint32_t chunk_sectors;
	int media_type;                   /* enum acq_media_type; -1: as the device says */
	int media_flags;                  /* enum acq_media_flags; -1: physical for a whole disk */
	uint32_t table_entries_max;       /* 0: the format default (tests lower it) */
	uint32_t threads;                 /* compression threads */
	bool quiet, json;                 /* what the command prints */
	const char *sign_key, *sign_cert; /* the custody log's first event is signed */
	const char *tsa_url, *tsa_ca, *tsa_policy; /* and time-stamped (RFC 3161) */
	bool tsa_optional;
	void (*progress)(void *ctx, uint64_t done, uint64_t total, uint64_t bad_sectors);
	void *progress_ctx;
	const int *cancel_fd; /* signalfd of SIGINT, SIGTERM, SIGHUP; NULL: none */
	/* --rescue's first phase: what the map says */
	void (*rescue_progress)(void *ctx, const char *phase, uint64_t rescued, uint64_t untried,
	                        uint64_t unreadable);
	/*
	 * Called once the evidence is complete, before anything that can still
	 * fail (the read-back of --verify): the command records the acquisition
	 * there, so that no later failure or signal leaves evidence without its
	 * record.  A non-zero return fails the run (the evidence stays).
	 */
	int (*on_complete)(void *ctx, const struct acq_result *res, struct cu_error *err);
	void *complete_ctx;
	/* A line for the examiner (which files a resume goes on with); NULL: none. */
	void (*notice)(void *ctx, const char *line);
	void *notice_ctx;
};

/* What --rescue ran, for the summary and the acquisition record. */
struct acq_rescue_info {
	bool used;
	char engine[64];    /* "GNU ddrescue 1.27" */
	char *command_line; /* as run */
	const char *mapfile;
	uint64_t rescued, unreadable; /* bytes, as the map says at the end */
};

enum acq_outcome { ACQ_COMPLETE, ACQ_COMPLETE_WITH_ERRORS, ACQ_FAILED };

struct acq_segment {
	char *name;
	uint64_t size;
	bool have_sha256; /* computed as it was written */
	uint8_t sha256[32];
};

/* One destination of the acquisition, as it ended. */
struct acq_copy {
	const char *path;             /* as -o gave it, made absolute */
	const char *kind;             /* "E01", "raw", "clone" */
	int format;                   /* enum acq_format */
	bool complete;                /* its files are complete evidence */
	char error[CU_ERROR_MSG_MAX]; /* why not, when it failed */
	struct acq_segment *segments; /* its files, by final name */
	size_t n_segments;
	enum acq_check evidence_check; /* read back (--verify, a clone) */
	struct cu_digests readback;    /* what that read gave */
};

struct acq_result {
	enum acq_outcome outcome;
	struct source_info source; /* path points into acq_options */
	uint32_t bytes_per_sector;
	uint32_t chunk_sectors;
	int media_type, media_flags; /* as resolved: enum acq_media_type, acq_media_flags */
	uint64_t sector_count;
	uint64_t media_size;            /* sector_count * bytes_per_sector */
	struct cu_digests media;        /* of the media as stored (padded) */
	struct cu_digests source_exact; /* of the exact source bytes */
	struct cu_piecewise windows;    /* of the media, window by window; window 0: none */
	struct cu_range *read_errors;   /* sectors of bytes_per_sector */
	size_t n_read_errors;
	struct source_slow_list slow;          /* window bytes */
	uint64_t errors_beyond_e01;            /* unreadable sectors past what error2 can number */
	uint64_t failed_reads;                 /* reads the medium failed with a media error */
	bool header_transliterated;            /* a metadata value code page 1252 cannot hold */
	uint8_t guid[16];                      /* the set identifier (E01) */
	struct acq_copy copies[ACQ_DESTS_MAX]; /* one per -o, in order */
	size_t n_copies;
	size_t n_failed; /* copies that did not complete */
	time_t started, finished;
	double seconds;
	struct acq_rescue_info rescue;
	enum acq_check evidence_check; /* every copy read again: match only if all match */
	bool recorded;                 /* on_complete ran and succeeded */
	enum acq_check source_check;   /* the source read again */
};

/* "fixed", "removable", "optical", "memory". */
const char *acq_media_type_name(int media_type);

/* The volume section's codes for a media type and media flags. */
uint8_t acq_media_type_code(int media_type);
uint8_t acq_media_flags_code(int media_flags);

/* The copy of `res` that is first complete, or NULL. */
const struct acq_copy *acq_result_first_complete(const struct acq_result *res);

/* Runs the acquisition; fills `res` as far as it got, also on failure. */
int acq_run(const struct acq_options *o, struct acq_result *res, struct cu_error *err);

void acq_result_free(struct acq_result *res);

#endif
