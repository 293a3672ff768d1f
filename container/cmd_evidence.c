/*
 * cmd_evidence.c - the custody log as the record of a set: what evidence
 * that stores no digests of its own (a raw image) is checked against.
 *
 * The log beside the set's first file (BASE.custody.xml) is read, not
 * judged: its first event's record gives the media digests, the read
 * errors and the sector and chunk sizes of the acquisition (or the
 * enrollment).  Whether the log is whole and bound to the set is for the
 * commands that extend it or report from it (custody_check); a verify
 * that matches a log that does not hold is refused there.
 */
#include "container/cmd_evidence.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/path.h"
#include "report/custody.h"

static uint32_t record_number(const struct custody_log *log, const char *group, const char *name)
{
	char text[32], *end;
	unsigned long long n;

	if (!custody_record_field(log, group, name, text, sizeof(text)))
		return 0;
	n = strtoull(text, &end, 10);
	return *end || n > UINT32_MAX ? 0 : (uint32_t)n;
}

static int custody_record_lookup(void *ctx, const char *first, struct evidence_record *out,
                                 bool *found, struct cu_error *err)
{
	char *path = cu_path_custody_log(first);
	struct custody_log *log = NULL;
	struct stat st;
	int rc = path ? CU_OK : cu_error_set(err, CU_EFAIL, "out of memory");

	(void)ctx;
	*found = false;
	memset(out, 0, sizeof(*out));
	if (rc || lstat(path, &st) != 0) {
		free(path);
		return rc;
	}
	if (!(rc = custody_load(path, &log, err))) {
		snprintf(out->where, sizeof(out->where), "%s", path);
		custody_record_digests(log, "hashes", &out->digests);
		out->bytes_per_sector = record_number(log, "settings", "bytes_per_sector");
		out->chunk_sectors = record_number(log, "settings", "chunk_sectors");
		rc = custody_record_ranges(log, "read_errors", &out->read_errors, err);
		*found = !rc;
	}
	if (rc)
		cu_ranges_free(&out->read_errors);
	custody_free(log);
	free(path);
	return rc;
}

int cmd_evidence_open(struct evidence **out, const char *path, struct cu_error *err)
{
	const struct evidence_records records = {.lookup = custody_record_lookup};

	return evidence_open(out, path, &records, err);
}
