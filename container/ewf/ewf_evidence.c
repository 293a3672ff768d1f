/*
 * ewf_evidence.c - the EWF backend of the evidence interface (evidence.h):
 * a set whose first bytes are the EWF signature.
 *
 * Everything comes from the code that read EWF before the interface
 * existed: geometry, stored digests, header values and read errors from
 * libewf (ewf_reader), the chain of segments from their descriptors
 * (ewf_chain), the dates as stored (ewf_head), and the media, each chunk
 * inflated or checked against its Adler-32 on a pool of threads (ewf_scan).
 * An EWF set stores its own digests: a record beside it is not consulted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "container/evidence.h"
#include "container/ewf/ewf_chain.h"
#include "container/ewf/ewf_chunk.h"
#include "container/ewf/ewf_format.h"
#include "container/ewf/ewf_head.h"
#include "container/ewf/ewf_reader.h"
#include "container/ewf/ewf_scan.h"

static bool ewfe_claims(const uint8_t *head, size_t n)
{
	/* EWF (E01, s01) and its logical sibling (L01), which libewf names as EWF */
	return n >= 8 &&
	       (!memcmp(head, ewf_signature, 8) || !memcmp(head, "LVF\x09\x0d\x0a\xff", 8));
}

static int ewfe_open(void **state, const char *path, const struct evidence_records *records,
                     struct cu_error *err)
{
	(void)records;
	return ewf_reader_open((struct ewf_reader **)state, path, err);
}

static void ewfe_close(void *state)
{
	ewf_reader_close(state);
}

static uint64_t ewfe_media_size(const void *state)
{
	return ewf_reader_media_size(state);
}

static uint32_t ewfe_bytes_per_sector(const void *state)
{
	return ewf_reader_bytes_per_sector(state);
}

static uint32_t ewfe_chunk_size(const void *state)
{
	return ewf_reader_chunk_size(state);
}

static void ewfe_facts(const void *state, struct evidence_facts *f)
{
	struct ewf_facts e;

	ewf_reader_facts(state, &e);
	f->container = "ewf";
	f->format = e.format;
	f->sectors_per_chunk = e.sectors_per_chunk;
	f->error_granularity = e.error_granularity;
	f->compression = e.compression;
	f->has_guid = true;
	memcpy(f->guid, e.guid, sizeof(f->guid));
	f->media_type = e.media_type;
	f->physical = e.physical;
	f->sectors = e.sectors;
	f->digests_inside = true;
}

static void ewfe_stored_digests(const void *state, struct cu_digests *d)
{
	ewf_reader_stored_digests(state, d);
}

static int ewfe_read_errors(const void *state, struct cu_ranges *out, struct cu_error *err)
{
	return ewf_reader_read_errors(state, out, err);
}

static size_t ewfe_file_count(const void *state)
{
	return ewf_reader_segment_count(state);
}

static const char *ewfe_file_name(const void *state, size_t i)
{
	return ewf_reader_segment_name(state, i);
}

static int ewfe_chain_check(const void *state, char *problem, size_t cap)
{
	size_t n = ewf_reader_segment_count(state);
	const char **names = calloc(n ? n : 1, sizeof(*names));
	int rc;

	if (!names) {
		snprintf(problem, cap, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		names[i] = ewf_reader_segment_name(state, i);
	rc = ewf_chain_check(names, n, problem, cap);
	free(names);
	return rc;
}

static int ewfe_header_value(const void *state, const char *id, char **out, struct cu_error *err)
{
	return ewf_reader_header_value(state, id, out, err);
}

static int ewfe_dates(const void *state, struct evidence_dates *out, struct cu_error *err)
{
	struct ewf_head_dates d;
	int rc = ewf_head_read_dates(ewf_reader_segment_name(state, 0), &d, err);

	out->acquired = rc ? NULL : d.acquired;
	out->system = rc ? NULL : d.system;
	return rc;
}

static int ewfe_scan(void *state, unsigned threads, const bool want[CU_HASH_COUNT],
                     evidence_media_sink sink, void *ctx, struct evidence_scan_result *out,
                     struct cu_error *err)
{
	struct ewf_scan_result scan;
	int rc = ewf_scan(ewf_reader_segment_name(state, 0), threads, want, sink, ctx, &scan, err);

	out->computed = scan.computed;
	out->damaged = scan.damaged;
	memcpy(out->failure, scan.failure, sizeof(out->failure));
	return rc;
}

/* ---- random reads: a chunk as libewf stores it, checked here (ewf_unpacker_unpack) ---- */

struct ewfe_cursor {
	struct ewf_reader *r;
	struct ewf_unpacker *u;
	struct ewf_stored_chunk stored;
};

static void ewfe_cursor_close(void *cursor)
{
	struct ewfe_cursor *c = cursor;

	if (!c)
		return;
	ewf_unpacker_free(c->u);
	free(c->stored.data);
	free(c);
}

static int ewfe_cursor_open(void *state, void **cursor, struct cu_error *err)
{
	struct ewfe_cursor *c = calloc(1, sizeof(*c));

	if (c) {
		c->r = state;
		c->stored.cap = EWF_STORED_CHUNK_CAP((size_t)ewf_reader_chunk_size(state));
		c->stored.data = malloc(c->stored.cap);
		ewf_unpacker_new(&c->u, ewf_reader_chunk_size(state), NULL);
	}
	if (!c || !c->stored.data || !c->u) {
		ewfe_cursor_close(c);
		return cu_error_set(err, CU_EFAIL, "out of memory for an EWF cursor");
	}
	*cursor = c;
	return CU_OK;
}

static int ewfe_cursor_read(void *cursor, struct evidence_chunk *ch, struct cu_error *err)
{
	struct ewfe_cursor *c = cursor;
	uint64_t bps = ewf_reader_bytes_per_sector(c->r);
	const char *why = NULL;
	struct cu_error read_err;

	c->stored.len = 0;
	if (ewf_reader_read_chunk(c->r, ch->index, &c->stored, &read_err)) {
		snprintf(ch->why, sizeof(ch->why), "%s", read_err.msg);
	} else if (ewf_unpacker_unpack(c->u, c->stored.data, c->stored.len, c->stored.compressed,
	                               ch->media, ch->len, &why)) {
		return CU_OK;
	} else {
		snprintf(ch->why, sizeof(ch->why), "chunk %llu %s", (unsigned long long)ch->index,
		         why);
	}
	memset(ch->media, 0, ch->len);
	return cu_ranges_add(&ch->damaged, ch->media_off / bps, (ch->len + bps - 1) / bps, err);
}

const struct evidence_ops evidence_ewf_ops = {
    .name = "ewf",
    .claims = ewfe_claims,
    .open = ewfe_open,
    .close = ewfe_close,
    .media_size = ewfe_media_size,
    .bytes_per_sector = ewfe_bytes_per_sector,
    .chunk_size = ewfe_chunk_size,
    .facts = ewfe_facts,
    .stored_digests = ewfe_stored_digests,
    .read_errors = ewfe_read_errors,
    .file_count = ewfe_file_count,
    .file_name = ewfe_file_name,
    .chain_check = ewfe_chain_check,
    .header_value = ewfe_header_value,
    .dates = ewfe_dates,
    .scan = ewfe_scan,
    .cursor_open = ewfe_cursor_open,
    .cursor_read = ewfe_cursor_read,
    .cursor_close = ewfe_cursor_close,
};
