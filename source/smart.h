/*
 * smart.h - the drive's health as SMART reports it, asked of smartctl
 * (smartmontools) read-only, before an acquisition and after it.
 *
 * smartctl runs as `smartctl --json=o -x -n standby DEVICE`: everything it
 * can read (-x), as JSON with its text output inside (--json=o), and never
 * waking a drive that sleeps (-n standby).  Nothing that changes the
 * drive's settings is ever passed (no -s, -o, -S, -t).  What it prints is
 * hostile input: bounded, parsed by json-c (never by hand), every value
 * checked for its type and range, every string for text XML can hold.  A
 * drive that does not answer SMART (a USB bridge that does not pass it, a
 * virtual disk, a loop device) is recorded as such, with smartctl's reason.
 */
#ifndef CUSTOS_SOURCE_SMART_H
#define CUSTOS_SOURCE_SMART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "lib/error.h"

#define SMART_JSON_MAX (4U << 20) /* what smartctl may print */
#define SMART_SECONDS  60         /* how long it may take */

/* One counter: whether the drive reports it, and its value. */
struct smart_count {
	bool have;
	int64_t value;
};

struct smart_state {
	bool available;    /* the drive answered SMART: health is known */
	char reason[256];  /* when not: why (smartctl's first error), one line */
	char health[8];    /* "PASSED" or "FAILED" */
	char protocol[16]; /* "ATA", "NVMe", "SCSI", as smartctl names it */
	char model[128], serial[128];
	int exit_status; /* smartctl's, a bit mask (smartctl(8)) */
	struct smart_count power_on_hours, reallocated, pending, offline_uncorrectable,
	    media_errors, temperature;
};

/*
 * Reads smartctl's JSON (len bytes, not NUL-terminated) into `out`.
 * CU_EFAIL when it is not JSON smartctl wrote (not an object, nested too
 * deeply, something after it, no smartctl block); a drive without SMART is
 * CU_OK with out->available false.
 */
int smart_parse(const char *json, size_t len, struct smart_state *out, struct cu_error *err);

/* One reading of a drive: when, what smartctl printed (malloc'ed) and its SHA-256. */
struct smart_reading {
	bool asked; /* smartctl was run (a block device) */
	time_t when;
	char *json; /* NULL when smartctl could not be run */
	size_t json_len;
	uint8_t sha256[32];
	struct smart_state state;
};

/*
 * Runs smartctl on `device` (the tool searched in PATH as `tool`, normally
 * "smartctl") and reads what it says.  A missing smartctl, one that fails,
 * hangs past SMART_SECONDS or prints what is not its JSON is a reading
 * with state.available false and the reason: never an error of the
 * acquisition.
 */
void smart_read(const char *tool, const char *device, struct smart_reading *out);
void smart_reading_free(struct smart_reading *r);

/*
 * The line recommending --rescue, or NULL: a failing verdict, or sectors
 * pending reallocation (before), or more of them than before (after).
 */
const char *smart_advice(const struct smart_reading *before, const struct smart_reading *after,
                         char *buf, size_t cap);

#endif
