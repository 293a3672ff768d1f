/*
 * raw_evidence.c - the raw backend of the evidence interface (evidence.h):
 * a set whose first bytes are no container's, whose files (raw_set.h) hold
 * the media byte for byte.
 *
 * A raw image stores nothing but the media, so its digests, the read errors
 * of its acquisition and its sector and chunk sizes come from its record
 * (the custody log, looked up through the caller's struct evidence_records);
 * without one it has no stored digest, 512-byte sectors and 64-sector
 * chunks.  Its files are its segments; there is no per-chunk check.
 *
 * A file named BASE.raw or BASE.NNN is a raw image whatever it holds (but
 * nothing: an empty file holds no media).  A file named like an EWF segment
 * (.E01, .s01, ...) that lacks the signature is a raw image renamed when it
 * holds at least one sector; anything shorter is not evidence at all, and
 * neither is a file of any other name.
 *
 * The scan: this thread reads the files in order into blocks of 1 MiB,
 * gives each to the sink and to one thread per digest (lib/digest_fan.h:
 * MD5 first in line, the others give way to it); a block returns to the
 * free queue when every digest thread is done with it.  A range that does not read is zero-filled
 * and listed as damaged; a file that is shorter than when the set was
 * opened fails the scan.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "container/evidence.h"
#include "container/raw/raw_set.h"
#include "lib/input_file.h"
#include "lib/digest_fan.h"
#include "lib/interrupt.h"
#include "lib/path.h"
#include "lib/queue.h"

#define RAW_BLOCK         (1U << 20)
#define RAW_BLOCKS        6U
#define RAW_SECTOR        512U /* without a record: the sector and chunk sizes acquire uses */
#define RAW_CHUNK_SECTORS 64U

struct raw_state {
	struct raw_set set;
	struct evidence_record rec;
	bool recorded;
};

static bool raw_claims(const uint8_t *head, size_t n)
{
	(void)head, (void)n;
	return true; /* the last resort: whatever no container claims */
}

/* Whether `path` is named as a raw image: BASE.raw, BASE.NNN. */
static bool raw_named(const char *path)
{
	const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
	const char *ext = dot && (!slash || dot > slash) ? dot + 1 : "";

	return !strcmp(ext, "raw") ||
	       (strlen(ext) >= 3 && strspn(ext, "0123456789") == strlen(ext));
}

/* Whether the set is evidence at all: see the top of this file. */
static int raw_accept(const struct raw_set *s, const char *path, struct cu_error *err)
{
	const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
	bool member = dot && (!slash || dot > slash) && cu_path_member_extension(dot + 1);

	if (!member)
		return cu_error_set(
		    err, CU_EUSAGE,
		    "%s: not evidence: no container's signature, and not named as a "
		    "raw image (BASE.raw, BASE.001)",
		    path);
	if (s->size == 0)
		return cu_error_set(err, CU_EUSAGE, "%s: not evidence: it holds no media (empty)",
		                    path);
	if (!raw_named(path) && s->size < RAW_SECTOR)
		return cu_error_set(
		    err, CU_EUSAGE,
		    "%s: not an EWF evidence file (no EWF signature), and too short "
		    "(%llu bytes) to be a raw image",
		    path, (unsigned long long)s->size);
	return CU_OK;
}

static void raw_close(void *state)
{
	struct raw_state *r = state;

	if (!r)
		return;
	raw_set_free(&r->set);
	cu_ranges_free(&r->rec.read_errors);
	free(r);
}

static int raw_open(void **state, const char *path, const struct evidence_records *records,
                    struct cu_error *err)
{
	struct raw_state *r = calloc(1, sizeof(*r));
	int rc =
	    r ? raw_set_find(&r->set, path, err) : cu_error_set(err, CU_EFAIL, "out of memory");

	if (!rc)
		rc = raw_accept(&r->set, path, err);
	if (!rc && records && records->lookup)
		rc = records->lookup(records->ctx, r->set.names[0], &r->rec, &r->recorded, err);
	if (!rc && r->rec.bytes_per_sector &&
	    (r->rec.bytes_per_sector & (r->rec.bytes_per_sector - 1)))
		r->rec.bytes_per_sector = 0; /* not a power of two: not used */
	if (rc) {
		raw_close(r);
		return rc;
	}
	*state = r;
	return CU_OK;
}

static uint64_t raw_media_size(const void *state)
{
	return ((const struct raw_state *)state)->set.size;
}

static uint32_t raw_bytes_per_sector(const void *state)
{
	const struct raw_state *r = state;

	return r->rec.bytes_per_sector ? r->rec.bytes_per_sector : RAW_SECTOR;
}

static uint32_t raw_chunk_sectors(const struct raw_state *r)
{
	return r->rec.chunk_sectors ? r->rec.chunk_sectors : RAW_CHUNK_SECTORS;
}

static uint32_t raw_chunk_size(const void *state)
{
	return raw_bytes_per_sector(state) * raw_chunk_sectors(state);
}

static void raw_facts(const void *state, struct evidence_facts *f)
{
	const struct raw_state *r = state;
	uint64_t bps = raw_bytes_per_sector(r);

	f->container = "raw";
	f->format = r->set.numbered ? "split raw" : "raw";
	f->sectors_per_chunk = raw_chunk_sectors(r);
	f->compression = "none";
	f->sectors = (r->set.size + bps - 1) / bps;
	f->digests_where = r->recorded ? r->rec.where : NULL;
}

static void raw_stored_digests(const void *state, struct cu_digests *d)
{
	const struct raw_state *r = state;

	if (r->recorded)
		*d = r->rec.digests;
	else
		memset(d, 0, sizeof(*d));
}

static int raw_read_errors(const void *state, struct cu_ranges *out, struct cu_error *err)
{
	const struct raw_state *r = state;
	int rc = CU_OK;

	for (size_t i = 0; i < r->rec.read_errors.n && !rc; i++)
		rc = cu_ranges_add(out, r->rec.read_errors.v[i].first,
		                   r->rec.read_errors.v[i].count, err);
	return rc;
}

static size_t raw_file_count(const void *state)
{
	return ((const struct raw_state *)state)->set.n;
}

static const char *raw_file_name(const void *state, size_t i)
{
	const struct raw_state *r = state;

	return i < r->set.n ? r->set.names[i] : NULL;
}

static int raw_chain_check(const void *state, char *problem, size_t cap)
{
	const struct raw_state *r = state;

	if (!r->set.gap[0])
		return 0;
	snprintf(problem, cap, "%s", r->set.gap);
	return -1;
}

static int raw_header_value(const void *state, const char *id, char **out, struct cu_error *err)
{
	(void)state, (void)id, (void)err;
	*out = NULL; /* a raw image holds no header */
	return CU_OK;
}

static int raw_dates(const void *state, struct evidence_dates *out, struct cu_error *err)
{
	(void)state;
	out->acquired = strdup("");
	out->system = strdup("");
	if (out->acquired && out->system)
		return CU_OK;
	free(out->acquired);
	free(out->system);
	out->acquired = out->system = NULL;
	return cu_error_set(err, CU_EFAIL, "out of memory");
}

/* ---- the scan ---- */

struct raw_block {
	uint8_t *data;
	size_t len;
	struct cu_digest_item item;
};

struct raw_scan {
	struct raw_state *r;
	struct raw_block pool[RAW_BLOCKS];
	struct cu_queue *free_q;
	struct cu_digest_fan *fan; /* the digests, each on its own thread, in order */
	size_t file;               /* the file being read */
	uint64_t at;               /* its offset */
	uint64_t offset;           /* the media's */
	int fd;
};

/* The digests are done with a block: back to the reader. */
static void raw_block_release(void *ctx, void *block)
{
	struct raw_scan *s = ctx;

	cu_queue_push(s->free_q, block);
}

/* A range that does not read: zeros in the media, damaged sectors in the result. */
static int raw_damage(struct raw_scan *s, uint8_t *to, size_t len, int errnum,
                      struct evidence_scan_result *out, struct cu_error *err)
{
	uint64_t bps = raw_bytes_per_sector(s->r), first = s->offset / bps;
	uint64_t last = (s->offset + len + bps - 1) / bps;

	memset(to, 0, len);
	if (!out->failure[0])
		snprintf(out->failure, sizeof(out->failure),
		         "%s: bytes %llu to %llu do not read (%s)", s->r->set.names[s->file],
		         (unsigned long long)s->at, (unsigned long long)(s->at + len - 1),
		         strerror(errnum));
	return cu_ranges_extend(&out->damaged, first, last - first, err);
}

/* Opens the next file when the one being read is done. */
static int raw_next_file(struct raw_scan *s, struct cu_error *err)
{
	const struct raw_set *set = &s->r->set;
	int rc;

	while (s->fd < 0 || s->at >= set->sizes[s->file]) {
		if (s->fd >= 0) {
			close(s->fd);
			s->fd = -1;
			s->file++;
			s->at = 0;
		}
		if (s->file >= set->n)
			return CU_OK;
		if ((rc = cu_input_open(set->names[s->file], "the raw image", &s->fd, err)))
			return rc;
		posix_fadvise(s->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	}
	return CU_OK;
}

/* Fills `b` with the next RAW_BLOCK bytes of media (fewer at its end). */
static int raw_fill(struct raw_scan *s, struct raw_block *b, struct evidence_scan_result *out,
                    struct cu_error *err)
{
	const struct raw_set *set = &s->r->set;
	int rc = CU_OK;

	b->len = 0;
	while (!rc && b->len < RAW_BLOCK && !(rc = raw_next_file(s, err)) && s->file < set->n) {
		uint64_t left = set->sizes[s->file] - s->at;
		size_t want = RAW_BLOCK - b->len < left ? RAW_BLOCK - b->len : (size_t)left;
		ssize_t n = pread(s->fd, b->data + b->len, want, (off_t)s->at);

		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0)
			return cu_error_set(
			    err, CU_EFAIL,
			    "%s ends at byte %llu, short of the %llu it held when the "
			    "set was opened: it changed while it was read",
			    set->names[s->file], (unsigned long long)s->at,
			    (unsigned long long)set->sizes[s->file]);
		if (n < 0) { /* skip what does not read, to the next sector */
			n = (ssize_t)(want < RAW_SECTOR ? want : RAW_SECTOR);
			rc = raw_damage(s, b->data + b->len, (size_t)n, errno, out, err);
		}
		b->len += (size_t)n;
		s->at += (uint64_t)n;
		s->offset += (uint64_t)n;
	}
	return rc;
}

/* This thread: every block read, handed to the sink and the digest threads, in order. */
static int raw_scan_run(struct raw_scan *s, evidence_media_sink sink, void *ctx,
                        struct evidence_scan_result *out, struct cu_error *err)
{
	int rc = CU_OK;

	while (!rc && s->offset < s->r->set.size) {
		struct raw_block *b = cu_queue_pop(s->free_q);

		if (!b)
			return cu_error_set(err, CU_EFAIL, "the scan stopped");
		rc = raw_fill(s, b, out, err);
		if (!rc && sink && b->len)
			rc = sink(ctx, b->data, b->len, err);
		if (!rc) /* SIGINT, SIGTERM, SIGHUP: the caller leaves through its own door */
			rc = cu_interrupt_check(NULL, err);
		b->item.data = b->data;
		b->item.len = b->len;
		b->item.block = b;
		cu_digest_fan_push(s->fan, &b->item);
	}
	return rc;
}

static int raw_scan_start(struct raw_scan *s, const bool want[CU_HASH_COUNT], struct cu_error *err)
{
	int rc;

	if ((rc = cu_queue_new(&s->free_q, RAW_BLOCKS, err)))
		return rc;
	for (unsigned i = 0; i < RAW_BLOCKS; i++) {
		if (!(s->pool[i].data = malloc(RAW_BLOCK)))
			return cu_error_set(err, CU_EFAIL, "out of memory for scan blocks");
		cu_queue_push(s->free_q, &s->pool[i]);
	}
	return cu_digest_fan_new(&s->fan, want, RAW_BLOCKS, raw_block_release, s, err);
}

static int raw_scan_finish(struct raw_scan *s, int rc, struct evidence_scan_result *out,
                           struct cu_error *err)
{
	struct cu_error fan_err;
	int fan_rc = cu_digest_fan_end(s->fan, !rc, &out->computed, &fan_err);

	if (!rc && fan_rc) {
		rc = fan_rc;
		*err = fan_err;
	}
	for (unsigned i = 0; i < RAW_BLOCKS; i++)
		free(s->pool[i].data);
	cu_queue_free(s->free_q);
	if (s->fd >= 0)
		close(s->fd);
	return rc;
}

static int raw_scan(void *state, unsigned threads, const bool want[CU_HASH_COUNT],
                    evidence_media_sink sink, void *ctx, struct evidence_scan_result *out,
                    struct cu_error *err)
{
	struct raw_scan s = {.r = state, .fd = -1};
	int rc;

	(void)threads; /* no chunk to check: one thread a digest is all there is to share */
	memset(out, 0, sizeof(*out));
	rc = raw_scan_start(&s, want, err);
	if (!rc)
		rc = raw_scan_run(&s, sink, ctx, out, err);
	return raw_scan_finish(&s, rc, out, err);
}

/* ---- random reads: the files' bytes, a chunk at a time ---- */

struct raw_cursor {
	struct raw_state *r;
	int *fds; /* each file's, opened when first read; -1: not yet */
};

static void raw_cursor_close(void *cursor)
{
	struct raw_cursor *c = cursor;

	if (!c)
		return;
	for (size_t i = 0; c->fds && i < c->r->set.n; i++)
		if (c->fds[i] >= 0)
			close(c->fds[i]);
	free(c->fds);
	free(c);
}

static int raw_cursor_open(void *state, void **cursor, struct cu_error *err)
{
	struct raw_cursor *c = calloc(1, sizeof(*c));
	struct raw_state *r = state;

	if (!c || !(c->fds = malloc(r->set.n * sizeof(*c->fds)))) {
		free(c);
		return cu_error_set(err, CU_EFAIL, "out of memory for a raw cursor");
	}
	c->r = r;
	for (size_t i = 0; i < r->set.n; i++)
		c->fds[i] = -1;
	*cursor = c;
	return CU_OK;
}

/* Bytes [at, at + len) of file `f` into `to`; 0, or the errno of what failed. */
static int raw_cursor_pread(struct raw_cursor *c, size_t f, uint8_t *to, size_t len, uint64_t at)
{
	struct cu_error err;
	size_t done = 0;

	if (c->fds[f] < 0 && cu_input_open(c->r->set.names[f], "the raw image", &c->fds[f], &err))
		return EIO;
	while (done < len) {
		ssize_t n = pread(c->fds[f], to + done, len - done, (off_t)(at + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? errno : ESPIPE; /* ESPIPE: it is shorter than when opened */
		done += (size_t)n;
	}
	return 0;
}

/* Media bytes [off, off + len) that lie in file `f` from `at`: read, or zeros and damage. */
static int raw_cursor_piece(struct raw_cursor *c, struct evidence_chunk *ch, size_t f, uint64_t at,
                            size_t in_chunk, size_t len, struct cu_error *err)
{
	uint64_t bps = raw_bytes_per_sector(c->r), off = ch->media_off + in_chunk;
	int errnum = raw_cursor_pread(c, f, ch->media + in_chunk, len, at);

	if (!errnum)
		return CU_OK;
	memset(ch->media + in_chunk, 0, len);
	if (!ch->why[0])
		snprintf(ch->why, sizeof(ch->why), "%s: bytes %llu to %llu do not read (%s)",
		         c->r->set.names[f], (unsigned long long)at,
		         (unsigned long long)(at + len - 1),
		         errnum == ESPIPE ? "the file is shorter than when the set was opened"
		                          : strerror(errnum));
	return cu_ranges_add(&ch->damaged, off / bps, (off + len + bps - 1) / bps - off / bps, err);
}

static int raw_cursor_read(void *cursor, struct evidence_chunk *ch, struct cu_error *err)
{
	struct raw_cursor *c = cursor;
	const struct raw_set *set = &c->r->set;
	uint64_t start = 0, pos = ch->media_off;
	size_t f = 0, done = 0;
	int rc = CU_OK;

	while (f < set->n && start + set->sizes[f] <= pos)
		start += set->sizes[f++];
	while (!rc && done < ch->len && f < set->n) {
		uint64_t at = pos - start, left = set->sizes[f] - at;
		size_t n = ch->len - done < left ? ch->len - done : (size_t)left;

		rc = raw_cursor_piece(c, ch, f, at, done, n, err);
		done += n;
		pos += n;
		start += set->sizes[f++];
	}
	return rc;
}

const struct evidence_ops evidence_raw_ops = {
    .name = "raw",
    .claims = raw_claims,
    .open = raw_open,
    .close = raw_close,
    .media_size = raw_media_size,
    .bytes_per_sector = raw_bytes_per_sector,
    .chunk_size = raw_chunk_size,
    .facts = raw_facts,
    .stored_digests = raw_stored_digests,
    .read_errors = raw_read_errors,
    .file_count = raw_file_count,
    .file_name = raw_file_name,
    .chain_check = raw_chain_check,
    .header_value = raw_header_value,
    .dates = raw_dates,
    .scan = raw_scan,
    .cursor_open = raw_cursor_open,
    .cursor_read = raw_cursor_read,
    .cursor_close = raw_cursor_close,
};
