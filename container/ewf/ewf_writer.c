/*
 * ewf_writer.c - the E01 segment writer.
 *
 * State machine: a segment is open or not; inside it a table group (one
 * sectors section and the table/table2 pair that indexes it) is open or not.
 * Adding a chunk first checks that the chunk, the tables it will need and
 * the worst-case closing sections still fit the segment; if not, the segment
 * is closed with a "next" section and the following one is opened.  Writes
 * go through one buffer; the sectors descriptor, whose size is known only
 * when its group closes, is patched in the buffer or with pwrite.
 */
#include "container/ewf/ewf_writer.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "container/ewf/ewf_header.h"
#include "container/ewf/ewf_naming.h"
#include "lib/file_set.h"
#include "lib/hash_files.h"
#include "lib/output.h"

#define XHASH_RESERVE 512U /* compressed xhash with all three digests */

struct ewf_writer {
	struct ewf_writer_options opt;
	char *base;
	uint64_t chunk_size;
	uint32_t chunk_count;
	uint32_t chunks_written;
	uint32_t table_entries_max;
	uint8_t volume[EWF_VOLUME_DATA_SIZE];
	uint64_t volume_offset; /* of the volume section's data, in the first segment */
	uint8_t guid[16];
	struct ewf_blob header2, header;
	bool header_transliterated;

	/* segment files, in order; the last is open when out is set */
	struct cu_file_set *files;
	size_t n_segments;     /* cu_file_set_count(files) */
	struct cu_output *out; /* the open segment, or NULL */
	uint64_t pos;          /* its size so far */
	uint32_t segment_chunks;

	/* the open table group */
	bool group_open;
	uint64_t group_start;
	uint32_t *entries;
	uint32_t n_entries;
	uint8_t *table; /* packed table data, sized for table_entries_max */

	struct cu_ranges errors;
};

static uint64_t table_section_size(uint32_t entries)
{
	return EWF_SECTION_DESC_SIZE + EWF_TABLE_HEADER_SIZE + 4ULL * entries +
	       EWF_TABLE_FOOTER_SIZE;
}

/* error2 numbers sectors 0 to 2^32 - 1, in runs of at most 2^32 - 1 sectors */
#define ERROR2_SECTOR_LIMIT (1ULL << 32)

/* The error2 entries that represent the ranges (as many as fit). */
static size_t error2_entries(const struct ewf_writer *w, struct cu_range *out)
{
	size_t n = 0;

	for (size_t i = 0; i < w->errors.n; i++) {
		uint64_t first = w->errors.v[i].first, end = first + w->errors.v[i].count;

		if (end > ERROR2_SECTOR_LIMIT)
			end = ERROR2_SECTOR_LIMIT;
		while (first < end) {
			uint64_t count = end - first > UINT32_MAX ? UINT32_MAX : end - first;

			if (out)
				out[n] = (struct cu_range){first, count};
			n++;
			first += count;
		}
	}
	return n;
}

uint64_t ewf_writer_errors_unrecorded(const struct ewf_writer *w)
{
	uint64_t lost = 0;

	for (size_t i = 0; i < w->errors.n; i++) {
		uint64_t first = w->errors.v[i].first, end = first + w->errors.v[i].count;

		if (end > ERROR2_SECTOR_LIMIT)
			lost += end - (first > ERROR2_SECTOR_LIMIT ? first : ERROR2_SECTOR_LIMIT);
	}
	return lost;
}

/* Bytes the closing sections of a last segment may need. */
static uint64_t tail_reserve(const struct ewf_writer *w)
{
	uint64_t n = 0;

	if (w->n_segments == 1)
		n += EWF_SECTION_DESC_SIZE + EWF_VOLUME_DATA_SIZE;
	if (w->errors.n)
		n += EWF_SECTION_DESC_SIZE + ewf_error2_size(error2_entries(w, NULL));
	n += EWF_SECTION_DESC_SIZE + EWF_DIGEST_DATA_SIZE;
	n += EWF_SECTION_DESC_SIZE + EWF_HASH_DATA_SIZE;
	n += EWF_SECTION_DESC_SIZE + XHASH_RESERVE;
	n += EWF_SECTION_DESC_SIZE; /* done */
	return n;
}

static uint64_t segment_head_size(const struct ewf_writer *w, bool first)
{
	if (!first)
		return EWF_FILE_HEADER_SIZE + EWF_SECTION_DESC_SIZE + EWF_VOLUME_DATA_SIZE;
	return EWF_FILE_HEADER_SIZE + 2 * (EWF_SECTION_DESC_SIZE + w->header2.len) +
	       EWF_SECTION_DESC_SIZE + w->header.len + EWF_SECTION_DESC_SIZE + EWF_VOLUME_DATA_SIZE;
}

/* ---- output ---- */

static int out_write(struct ewf_writer *w, const void *data, size_t len, struct cu_error *err)
{
	int rc = cu_output_write(w->out, data, len, err);

	w->pos = cu_output_offset(w->out);
	return rc;
}

static int write_section(struct ewf_writer *w, const char *type, const void *data, size_t len,
                         struct cu_error *err)
{
	uint8_t desc[EWF_SECTION_DESC_SIZE];
	uint64_t size = EWF_SECTION_DESC_SIZE + len;
	int rc;

	ewf_section_desc_pack(desc, type, w->pos + size, size);
	if ((rc = out_write(w, desc, sizeof(desc), err)))
		return rc;
	return len ? out_write(w, data, len, err) : CU_OK;
}

/* "next" and "done" point at themselves and have size 0, as EnCase writes. */
static int write_terminal_section(struct ewf_writer *w, const char *type, struct cu_error *err)
{
	uint8_t desc[EWF_SECTION_DESC_SIZE];

	ewf_section_desc_pack(desc, type, w->pos, 0);
	return out_write(w, desc, sizeof(desc), err);
}

/* ---- table groups ---- */

static int group_open(struct ewf_writer *w, struct cu_error *err)
{
	static const uint8_t placeholder[EWF_SECTION_DESC_SIZE];

	w->group_start = w->pos;
	w->n_entries = 0;
	w->group_open = true;
	/* its descriptor is patched when the group closes: keep it in the buffer */
	cu_output_hold(w->out, w->group_start);
	return out_write(w, placeholder, sizeof(placeholder), err);
}

static int group_close(struct ewf_writer *w, struct cu_error *err)
{
	uint8_t desc[EWF_SECTION_DESC_SIZE];
	size_t len = EWF_TABLE_HEADER_SIZE + 4ULL * w->n_entries + EWF_TABLE_FOOTER_SIZE;
	uint8_t *entries = w->table + EWF_TABLE_HEADER_SIZE;
	int rc;

	if (!w->group_open)
		return CU_OK;
	w->group_open = false;
	ewf_section_desc_pack(desc, "sectors", w->pos, w->pos - w->group_start);
	if ((rc = cu_output_patch(w->out, w->group_start, desc, sizeof(desc), err)))
		return rc;
	cu_output_release(w->out);
	ewf_table_header_pack(w->table, w->n_entries, w->group_start);
	for (uint32_t i = 0; i < w->n_entries; i++)
		cu_le32_put(entries + 4 * i, w->entries[i]);
	cu_le32_put(entries + 4ULL * w->n_entries, ewf_adler32(entries, 4ULL * w->n_entries));
	if ((rc = write_section(w, "table", w->table, len, err)))
		return rc;
	return write_section(w, "table2", w->table, len, err);
}

/* Whether a chunk of `len` stored bytes may join the open group. */
/*
 * Whether a chunk of `len` stored bytes may join the open group.  A group
 * stays within the output's hold window, so that its descriptor is patched
 * in the buffer and each segment's SHA-256 is computed as it is written; a
 * single chunk larger than the window makes a group of its own.
 */
static bool group_accepts(const struct ewf_writer *w, size_t len)
{
	uint64_t grown = w->pos + len - w->group_start;

	return w->group_open && w->n_entries < w->table_entries_max &&
	       grown < EWF_TABLE_OFFSET_LIMIT &&
	       (w->n_entries == 0 ||
	        grown + 2 * table_section_size(w->n_entries + 1) <= CU_OUTPUT_HOLD_MAX);
}

/* ---- segments ---- */

static int segment_register(struct ewf_writer *w, struct cu_error *err)
{
	size_t cap = strlen(w->base) + 8;
	char *path = malloc(cap);
	int rc;

	if (!path)
		return cu_error_set(err, CU_EFAIL, "out of memory");
	if (ewf_segment_path(path, cap, w->base, (uint32_t)w->n_segments + 1) != 0) {
		free(path);
		return cu_error_set(err, CU_EUSAGE,
		                    "more than %u segment files would be needed (the E01 names "
		                    "end at .ZZZ); use a larger --segment-size",
		                    EWF_SEGMENT_MAX);
	}
	rc = cu_file_set_add(w->files, path, false, err);
	free(path);
	if (!rc)
		w->n_segments++;
	return rc;
}

static int segment_create_file(struct ewf_writer *w, struct cu_error *err)
{
	int rc =
	    cu_output_create(&w->out, cu_file_set_write_path(w->files, w->n_segments - 1), err);

	if (rc) { /* the file is not ours: forget it so that abort leaves it alone */
		cu_file_set_drop_last(w->files);
		w->n_segments--;
	}
	return rc;
}

static int segment_open(struct ewf_writer *w, struct cu_error *err)
{
	uint8_t fh[EWF_FILE_HEADER_SIZE];
	int rc;

	if ((rc = segment_register(w, err)) || (rc = segment_create_file(w, err)))
		return rc;
	w->pos = 0;
	w->segment_chunks = 0;
	ewf_file_header_pack(fh, (uint16_t)w->n_segments);
	if ((rc = out_write(w, fh, sizeof(fh), err)))
		return rc;
	if (w->n_segments > 1)
		return write_section(w, "data", w->volume, sizeof(w->volume), err);
	if ((rc = write_section(w, "header2", w->header2.data, w->header2.len, err)) ||
	    (rc = write_section(w, "header2", w->header2.data, w->header2.len, err)) ||
	    (rc = write_section(w, "header", w->header.data, w->header.len, err)))
		return rc;
	w->volume_offset = w->pos + EWF_SECTION_DESC_SIZE;
	return write_section(w, "volume", w->volume, sizeof(w->volume), err);
}

/* Writes out, syncs, makes read-only and closes the open segment. */
static int segment_seal(struct ewf_writer *w, struct cu_error *err)
{
	uint8_t sha256[32];
	bool have = false;
	int rc = cu_output_seal(w->out, sha256, &have, err);

	w->out = NULL;
	cu_file_set_set_size(w->files, w->n_segments - 1, w->pos);
	if (have)
		cu_file_set_set_sha256(w->files, w->n_segments - 1, sha256);
	return rc;
}

static int segment_close_next(struct ewf_writer *w, struct cu_error *err)
{
	int rc;

	if ((rc = group_close(w, err)) || (rc = write_terminal_section(w, "next", err)))
		return rc;
	return segment_seal(w, err);
}

/* Whether a chunk of `len` stored bytes, and all it entails, fits the segment. */
static bool segment_accepts(const struct ewf_writer *w, size_t len)
{
	uint64_t end = w->pos;

	if (group_accepts(w, len))
		end += len + table_section_size(w->n_entries + 1) * 2;
	else
		end += (w->group_open ? table_section_size(w->n_entries) * 2 : 0) +
		       EWF_SECTION_DESC_SIZE + len + table_section_size(1) * 2;
	return end + tail_reserve(w) <= w->opt.segment_size;
}

/* ---- public ---- */

static int writer_check_options(const struct ewf_writer_options *o, struct cu_error *err)
{
	uint64_t chunks;

	if (o->bytes_per_sector < 512 || o->bytes_per_sector > 65536 ||
	    (o->bytes_per_sector & (o->bytes_per_sector - 1)))
		return cu_error_set(err, CU_EUSAGE,
		                    "--sector-size: %u is not a power of two from 512 to 65536",
		                    o->bytes_per_sector);
	if (o->sectors_per_chunk == 0 ||
	    (uint64_t)o->sectors_per_chunk * o->bytes_per_sector > (64U << 20))
		return cu_error_set(err, CU_EUSAGE,
		                    "--chunk-sectors: %u sectors of %u bytes is not a chunk size "
		                    "from one sector to 64 MiB",
		                    o->sectors_per_chunk, o->bytes_per_sector);
	if (o->stream)
		return o->table_entries_max > EWF_TABLE_ENTRIES_MAX
		           ? cu_error_set(err, CU_EUSAGE, "at most %u entries fit in a table",
		                          EWF_TABLE_ENTRIES_MAX)
		           : CU_OK;
	if (o->sector_count == 0)
		return cu_error_set(err, CU_EUSAGE, "the medium is empty: nothing to acquire");
	chunks = (o->sector_count + o->sectors_per_chunk - 1) / o->sectors_per_chunk;
	if (chunks > UINT32_MAX)
		return cu_error_set(err, CU_EUSAGE,
		                    "the medium needs %llu chunks, more than E01 can count; use "
		                    "a larger --chunk-sectors",
		                    (unsigned long long)chunks);
	if (o->table_entries_max > EWF_TABLE_ENTRIES_MAX)
		return cu_error_set(err, CU_EUSAGE, "at most %u entries fit in a table",
		                    EWF_TABLE_ENTRIES_MAX);
	return CU_OK;
}

static int writer_prepare_volume(struct ewf_writer *w, struct cu_error *err)
{
	struct ewf_volume_info v = {
	    .media_type = w->opt.media_type,
	    .media_flags = w->opt.media_flags,
	    .compression_level = ewf_compression_level(w->opt.compression),
	    .chunk_count = w->chunk_count,
	    .sectors_per_chunk = w->opt.sectors_per_chunk,
	    .bytes_per_sector = w->opt.bytes_per_sector,
	    .error_granularity = w->opt.sectors_per_chunk,
	    .sector_count = w->opt.sector_count,
	};

	if (w->opt.guid) {
		memcpy(v.guid, w->opt.guid, sizeof(v.guid));
	} else {
		if (RAND_bytes(v.guid, sizeof(v.guid)) != 1)
			return cu_error_set(err, CU_EFAIL,
			                    "OpenSSL cannot make a random set identifier");
		/* a version 4 GUID in the little-endian layout EnCase uses */
		v.guid[7] = (uint8_t)((v.guid[7] & 0x0f) | 0x40);
		v.guid[8] = (uint8_t)((v.guid[8] & 0x3f) | 0x80);
	}
	memcpy(w->guid, v.guid, sizeof(v.guid));
	ewf_volume_pack(w->volume, &v);
	return CU_OK;
}

static int writer_check_segment_size(const struct ewf_writer *w, struct cu_error *err)
{
	uint64_t need = segment_head_size(w, true) + EWF_SECTION_DESC_SIZE +
	                ewf_packed_bound(w->chunk_size) + 2 * table_section_size(1) +
	                tail_reserve(w);

	if (w->opt.segment_size < need)
		return cu_error_set(err, CU_EUSAGE,
		                    "--segment-size: %llu bytes cannot hold one chunk with its "
		                    "sections; at least %llu are needed",
		                    (unsigned long long)w->opt.segment_size,
		                    (unsigned long long)need);
	return CU_OK;
}

int ewf_writer_open(struct ewf_writer **out, const struct ewf_writer_options *o,
                    struct cu_error *err)
{
	struct ewf_writer *w;
	int rc;

	if ((rc = writer_check_options(o, err)))
		return rc;
	w = calloc(1, sizeof(*w));
	if (!w)
		return cu_error_set(err, CU_EFAIL, "out of memory");
	w->opt = *o;
	w->base = strdup(o->base);
	w->chunk_size = (uint64_t)o->sectors_per_chunk * o->bytes_per_sector;
	w->chunk_count =
	    (uint32_t)((o->sector_count + o->sectors_per_chunk - 1) / o->sectors_per_chunk);
	w->table_entries_max =
	    o->table_entries_max ? o->table_entries_max : EWF_TABLE_ENTRIES_DEFAULT;
	w->entries = malloc(sizeof(uint32_t) * w->table_entries_max);
	w->table = malloc(table_section_size(w->table_entries_max));
	if (!w->base || !w->entries || !w->table || cu_file_set_new(&w->files, NULL)) {
		ewf_writer_free(w);
		return cu_error_set(err, CU_EFAIL, "out of memory");
	}
	if ((rc = ewf_header2_build(&w->header2, o->meta, err)) ||
	    (rc = ewf_header_build(&w->header, o->meta, &w->header_transliterated, err)) ||
	    (rc = writer_prepare_volume(w, err)) || (rc = writer_check_segment_size(w, err))) {
		ewf_writer_free(w);
		return rc;
	}
	*out = w;
	return CU_OK;
}

int ewf_writer_checkpoint(struct ewf_writer *w, struct ewf_writer_state *st, struct cu_error *err)
{
	int rc;

	memset(st, 0, sizeof(*st));
	memcpy(st->guid, w->guid, sizeof(st->guid));
	if (w->out && ((rc = group_close(w, err)) || (rc = cu_output_sync(w->out, err))))
		return rc;
	st->segments = (uint32_t)w->n_segments;
	st->last_size = w->pos;
	st->segment_chunks = w->segment_chunks;
	st->chunks_written = w->chunks_written;
	return CU_OK;
}

/* Opens the segment files of a checkpoint again. */
static int writer_reopen_segments(struct ewf_writer *w, const struct ewf_writer_state *st,
                                  struct cu_error *err)
{
	int rc;

	for (uint32_t i = 0; i < st->segments; i++) {
		struct stat sb;

		if ((rc = segment_register(w, err)))
			return rc;
		if (lstat(cu_file_set_write_path(w->files, i), &sb) != 0)
			return cu_error_errno(err, CU_EUSAGE, errno, "cannot resume: %s",
			                      cu_file_set_write_path(w->files, i));
		if (!S_ISREG(sb.st_mode))
			return cu_error_set(err, CU_EUSAGE,
			                    "cannot resume: %s is not a regular file",
			                    cu_file_set_write_path(w->files, i));
		cu_file_set_set_size(w->files, i, (uint64_t)sb.st_size);
		if (i + 1 == st->segments && (uint64_t)sb.st_size < st->last_size)
			return cu_error_set(err, CU_EUSAGE,
			                    "cannot resume: %s is shorter than at the checkpoint",
			                    cu_file_set_write_path(w->files, i));
	}
	if (st->segments &&
	    (rc = cu_output_reopen(&w->out, cu_file_set_write_path(w->files, st->segments - 1),
	                           st->last_size, err)))
		return rc;
	w->pos = st->last_size;
	w->segment_chunks = st->segment_chunks;
	w->chunks_written = st->chunks_written;
	return CU_OK;
}

int ewf_writer_resume(struct ewf_writer **out, const struct ewf_writer_options *o,
                      const struct ewf_writer_state *st, struct cu_error *err)
{
	struct ewf_writer_options with_guid = *o;
	int rc;

	with_guid.guid = st->guid;
	if ((rc = ewf_writer_open(out, &with_guid, err)))
		return rc;
	if ((rc = writer_reopen_segments(*out, st, err))) {
		ewf_writer_free(*out);
		*out = NULL;
	}
	return rc;
}

int ewf_writer_add_chunk(struct ewf_writer *w, const uint8_t *stored, size_t len, bool compressed,
                         struct cu_error *err)
{
	int rc;

	if (w->chunks_written >= (w->opt.stream ? UINT32_MAX : w->chunk_count))
		return cu_error_set(err, CU_EFAIL,
		                    w->opt.stream
		                        ? "the stream needs more chunks than E01 can count; "
		                          "use a larger --chunk-sectors"
		                        : "more chunks than the medium's");
	if (len > ewf_packed_bound(w->chunk_size))
		return cu_error_set(err, CU_EFAIL, "a packed chunk of %zu bytes is too large", len);
	if (!w->out && (rc = segment_open(w, err)))
		return rc;
	if (w->segment_chunks > 0 && !segment_accepts(w, len)) {
		if ((rc = segment_close_next(w, err)) || (rc = segment_open(w, err)))
			return rc;
	}
	if (!group_accepts(w, len) && ((rc = group_close(w, err)) || (rc = group_open(w, err))))
		return rc;
	w->entries[w->n_entries++] =
	    (uint32_t)(w->pos - w->group_start) | (compressed ? EWF_TABLE_COMPRESSED : 0);
	w->chunks_written++;
	w->segment_chunks++;
	return out_write(w, stored, len, err);
}

int ewf_writer_add_error(struct ewf_writer *w, uint64_t first, uint64_t count, struct cu_error *err)
{
	/* a stream's size is learnt at its end, which checks its errors then */
	if (!(w->opt.stream && !w->opt.sector_count) && first + count > w->opt.sector_count)
		return cu_error_set(err, CU_EFAIL, "read error range %llu+%llu is past the end",
		                    (unsigned long long)first, (unsigned long long)count);
	return cu_ranges_add(&w->errors, first, count, err);
}

int ewf_writer_add_error_bytes(struct ewf_writer *w, uint64_t first, uint64_t count,
                               struct cu_error *err)
{
	uint64_t bps = w->opt.bytes_per_sector, sector = first / bps;
	uint64_t end = (first + count + bps - 1) / bps;
	const struct cu_range *last = w->errors.n ? &w->errors.v[w->errors.n - 1] : NULL;

	if (last && sector < last->first + last->count) /* shares a sector with the last */
		sector = last->first + last->count;
	return end > sector ? ewf_writer_add_error(w, sector, end - sector, err) : CU_OK;
}

static int write_error2(struct ewf_writer *w, struct cu_error *err)
{
	size_t n = error2_entries(w, NULL);
	struct cu_range *entries = malloc((n ? n : 1) * sizeof(*entries));
	uint8_t *data = malloc(ewf_error2_size(n));
	int rc;

	if (!entries || !data) {
		free(entries);
		free(data);
		return cu_error_set(err, CU_EFAIL, "out of memory");
	}
	error2_entries(w, entries);
	ewf_error2_pack(data, entries, n);
	rc = write_section(w, "error2", data, ewf_error2_size(n), err);
	free(entries);
	free(data);
	return rc;
}

static int write_tail(struct ewf_writer *w, const struct cu_digests *d, struct cu_error *err)
{
	uint8_t hash[EWF_HASH_DATA_SIZE], digest[EWF_DIGEST_DATA_SIZE];
	struct ewf_blob xhash = {0};
	int rc;

	if (w->n_segments == 1 &&
	    (rc = write_section(w, "data", w->volume, sizeof(w->volume), err)))
		return rc;
	if (w->errors.n && (rc = write_error2(w, err)))
		return rc;
	if (d->have[CU_HASH_SHA1]) {
		ewf_digest_pack(digest, d->md5, d->sha1);
		if ((rc = write_section(w, "digest", digest, sizeof(digest), err)))
			return rc;
	}
	ewf_hash_pack(hash, d->md5);
	if ((rc = write_section(w, "hash", hash, sizeof(hash), err)))
		return rc;
	if ((rc = ewf_xhash_build(&xhash, d, err)))
		return rc;
	rc = write_section(w, "xhash", xhash.data, xhash.len, err);
	ewf_blob_free(&xhash);
	return rc ? rc : write_terminal_section(w, "done", err);
}

int ewf_writer_set_sector_count(struct ewf_writer *w, uint64_t sectors, struct cu_error *err)
{
	uint64_t chunks = (sectors + w->opt.sectors_per_chunk - 1) / w->opt.sectors_per_chunk;

	if (!w->opt.stream || w->opt.sector_count)
		return cu_error_set(err, CU_EFAIL, "the media size was set already");
	if (sectors == 0 || chunks != w->chunks_written)
		return cu_error_set(err, CU_EFAIL, "%llu sectors do not make the %u chunks written",
		                    (unsigned long long)sectors, w->chunks_written);
	if (w->errors.n &&
	    w->errors.v[w->errors.n - 1].first + w->errors.v[w->errors.n - 1].count > sectors)
		return cu_error_set(err, CU_EFAIL, "a read error lies past the stream's end");
	w->opt.sector_count = sectors;
	w->chunk_count = (uint32_t)chunks;
	w->opt.guid = w->guid;
	return writer_prepare_volume(w, err);
}

/*
 * A stream's segments, sealed with no media size: the volume section of the
 * first and the "data" section that opens each later one now get it, and
 * every segment's SHA-256 is read back from disk, the files on every core.
 */
static int writer_complete_stream(struct ewf_writer *w, struct cu_error *err)
{
	const char **paths = calloc(w->n_segments, sizeof(*paths));
	uint8_t(*sha256)[32] = calloc(w->n_segments, sizeof(*sha256));
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int rc = paths && sha256 ? CU_OK : cu_error_set(err, CU_EFAIL, "out of memory");

	for (size_t i = 0; !rc && i < w->n_segments; i++) {
		paths[i] = cu_file_set_write_path(w->files, i);
		rc = cu_output_patch_sealed(
		    paths[i], i ? EWF_FILE_HEADER_SIZE + EWF_SECTION_DESC_SIZE : w->volume_offset,
		    w->volume, sizeof(w->volume), err);
	}
	if (!rc)
		rc = cu_hash_files_each_sha256(paths, w->n_segments, cpus > 0 ? (unsigned)cpus : 1,
		                               sha256, NULL, err);
	for (size_t i = 0; !rc && i < w->n_segments; i++)
		cu_file_set_set_sha256(w->files, i, sha256[i]);
	free(paths);
	free(sha256);
	return rc;
}

int ewf_writer_finish(struct ewf_writer *w, const struct cu_digests *digests, struct cu_error *err)
{
	int rc;

	if (w->chunks_written != w->chunk_count || !w->out)
		return cu_error_set(err, CU_EFAIL, "only %u of the medium's %u chunks were written",
		                    w->chunks_written, w->chunk_count);
	if (!digests->have[CU_HASH_MD5])
		return cu_error_set(err, CU_EFAIL, "no MD5 to store");
	if ((rc = group_close(w, err)) || (rc = write_tail(w, digests, err)) ||
	    (rc = segment_seal(w, err)))
		return rc;
	if (w->opt.stream && (rc = writer_complete_stream(w, err)))
		return rc;
	return cu_file_set_commit(w->files, false, err);
}

void ewf_writer_abort(struct ewf_writer *w)
{
	cu_output_discard(w->out);
	w->out = NULL;
	cu_file_set_abort(w->files);
}

const uint8_t *ewf_writer_guid(const struct ewf_writer *w)
{
	return w->guid;
}

bool ewf_writer_header_transliterated(const struct ewf_writer *w)
{
	return w->header_transliterated;
}

const struct cu_file_set *ewf_writer_files(const struct ewf_writer *w)
{
	return w->files;
}

void ewf_writer_free(struct ewf_writer *w)
{
	if (!w)
		return;
	cu_output_discard(w->out);
	cu_file_set_free(w->files);
	free(w->base);
	free(w->entries);
	free(w->table);
	cu_ranges_free(&w->errors);
	ewf_blob_free(&w->header2);
	ewf_blob_free(&w->header);
	free(w);
}
