/*
 * cmd_verify.h - what the parts of `custos verify` share (not a public
 * interface): the arguments, and the outcome of one set.  Every set is
 * read through the evidence interface (cmd_evidence.h): EWF, or a raw
 * image whose digests its custody log holds.
 *
 *   cmd_verify.c          options, the sets named or found in directories,
 *                         the jobs, the closing count and the exit status
 *   cmd_verify_set.c      one set: the full verify (every chunk, every
 *                         digest, --source) and its custody event
 *   cmd_verify_segments.c one set: --segments, and the segment hashes
 *                         --enroll records, on every core
 *   cmd_verify_enroll.c   one set: --enroll, a new custody log
 *   cmd_verify_print.c    a set's outcome as text, as a line, as JSON
 */
#ifndef CUSTOS_CONTAINER_CMD_VERIFY_H
#define CUSTOS_CONTAINER_CMD_VERIFY_H

#include <stdbool.h>
#include <stdint.h>

#include "cli/builtin.h"
#include "lib/error.h"
#include "lib/hash.h"
#include "lib/hash_windows.h"
#include "lib/json.h"
#include "lib/ranges.h"
#include "report/sign.h"

enum verify_mode { VERIFY_FULL, VERIFY_SEGMENTS, VERIFY_ENROLL };

struct verify_args {
	enum verify_mode mode;
	const char *source, *by; /* by: signing.by, once settled */
	struct builtin_signing signing;
	bool json, many; /* many: one line per set and a count */
	unsigned jobs;   /* sets at once; with --segments, segment files at once */
	unsigned scan_threads;
	const struct custody_seal *seal; /* signing.seal: how its custody events are sealed */
};

enum verify_verdict {
	VERDICT_MATCH,
	VERDICT_MISMATCH,
	VERDICT_DAMAGED,
	VERDICT_NOT_EVIDENCE,
	VERDICT_NOT_ENROLLED /* --segments: no segment hashes recorded */
};

enum segment_state { SEGMENT_MATCH, SEGMENT_CHANGED, SEGMENT_MISSING, SEGMENT_ADDED };

struct verify_segment {
	char *path; /* on disk; for a missing one, where it should be */
	char *name; /* the file name */
	enum segment_state state;
	uint64_t size, recorded_size;
	bool exists, hashed, recorded;
	uint8_t sha256[32], recorded_sha256[32];
};

/*
 * The piecewise digests the custody log records (lib/hash_windows.h),
 * compared window by window with the evidence (and with --source, the
 * source): so that damage to one part leaves the rest proven.
 */
struct verify_windows {
	struct cu_piecewise recorded;  /* window 0: none recorded, or not compared */
	char recorded_on[32];          /* the record's date, YYYY-MM-DD */
	bool compared;                 /* the evidence's windows were computed */
	size_t match, differ, damaged; /* of recorded.n */
	struct cu_ranges bad;          /* the windows that do not match: runs of indices */
	bool source_compared;          /* --source: the source's windows were computed */
	size_t source_differ;
	struct cu_ranges source_bad; /* the source's windows that differ from the record */
	char note[CU_ERROR_MSG_MAX]; /* why the windows were not compared; "" */
	bool bound_by_guid;          /* the log is bound by the set identifier alone */
	size_t tail_proved;          /* windows proved from the segments after a lost one */
};

/* What the set's parity can do for it (cmd_verify_parity.c). */
struct verify_parity {
	int format; /* enum parity_format */
	bool recorded, checked;
	unsigned percent;
	int state; /* enum parity_state */
	uint64_t blocks_needed;
	char note[CU_ERROR_MSG_MAX]; /* why it was not checked; "" */
};

struct verify_set {
	char *evidence; /* the path of the set's first segment, as named or found */
	enum verify_verdict verdict;
	int rc;                     /* the exit status this set alone would give */
	bool interrupted;           /* SIGINT, SIGTERM or SIGHUP came first: no verdict */
	char msg[CU_ERROR_MSG_MAX]; /* why, when not a match */
	uint64_t media_size;
	uint32_t bytes_per_sector;
	struct cu_digests stored, computed;
	struct cu_ranges damaged, read_errors;
	int mismatches;
	bool stored_any;
	bool digests_outside;                /* the set stores none (raw): its record holds them */
	char digests_from[CU_ERROR_MSG_MAX]; /* that record (its custody log), "" when none */
	char failure[CU_ERROR_MSG_MAX];      /* the first damaged chunk */
	bool self_proved;                    /* its own hashes proved every byte (AFF4) */
	bool aff4;                           /* an AFF4 volume: no record, a fill for unread */
	char self_proof[CU_ERROR_MSG_MAX];   /* what proved it */
	char chain[CU_ERROR_MSG_MAX];        /* what is wrong with the chain of segments */
	struct verify_segment *segments;
	size_t n_segments;
	const char *source; /* --source */
	struct cu_digests source_computed;
	uint64_t source_size;
	bool source_size_differs;
	int source_mismatches;
	int custody; /* -1: no log; 0: not extended; 1: extended (or written, --enroll) */
	char custody_note[CU_ERROR_MSG_MAX];
	bool custody_refused; /* the log does not hold or is another set's: left as it is */
	bool first_missing;   /* found in a directory without its first segment: msg says so */
	struct verify_windows windows;
	struct verify_parity parity;
};

/* cmd_verify_set.c */
void verify_set_run(struct verify_set *v, const struct verify_args *a);
int verify_set_full(struct verify_set *v, const struct verify_args *a, struct cu_error *err);
void verify_set_free(struct verify_set *v);
const char *verify_verdict_name(enum verify_verdict d);
/* The set's files, as its backend finds them, and what is wrong with their chain. */
struct evidence;
int verify_set_take_segments(struct verify_set *v, struct evidence *e, struct cu_error *err);
void verify_set_fail(struct verify_set *v, int rc, const struct cu_error *err);

/* cmd_verify_windows.c */
/*
 * The windows the set's custody log records, when the log holds whole and
 * is bound to the set (`binding`); else none, and the note says why.
 */
struct custody_binding;
void verify_windows_load(struct verify_set *v, const struct custody_binding *binding);
/* The evidence's windows computed and compared: a second read, only of a set that did not match. */
int verify_windows_check(struct verify_set *v, const struct verify_args *a, struct cu_error *err);
/* The windows --source computed (source_rehash) compared with the record's. */
void verify_windows_compare_source(struct verify_set *v, const struct cu_piecewise *source);
void verify_windows_free(struct verify_windows *w);
/* cmd_verify_tail.c: the windows wholly after the last lost segment, proved[i] when they match. */
int verify_windows_tail(const struct verify_set *v, bool *proved, struct cu_error *err);
void verify_windows_print(const struct verify_set *v);
void verify_windows_json(struct cu_json *j, const struct verify_set *v);

/* cmd_verify_parity.c: asked of a set that is not a match */
void verify_parity_assess(struct verify_set *v);
void verify_parity_print(const struct verify_set *v);
void verify_parity_json(struct cu_json *j, const struct verify_set *v);

/* cmd_verify_segments.c */
void verify_segments_run(struct verify_set *v, const struct verify_args *a);
int verify_hash_segments(struct verify_set *v, unsigned jobs, struct cu_error *err);

/* cmd_verify_enroll.c */
void verify_enroll_run(struct verify_set *v, const struct verify_args *a);

/* cmd_verify_print.c */
void verify_print_detail(const struct verify_set *v, const struct verify_args *a);
void verify_print_line(const struct verify_set *v);
void verify_print_json(const struct verify_set *v, const struct verify_args *a);

#endif
