/*
 * ewf_replay.c - walking custos's own segments: descriptors, tables, chunks.
 */
#include "container/ewf/ewf_replay.h"

#include <errno.h>
#include <fcntl.h>
#include <libdeflate.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "container/ewf/ewf_format.h"
#include "container/ewf/ewf_sections.h"

struct replay {
	int fd;
	const char *path;
	uint64_t chunk_size, chunks_left;
	uint64_t limit;  /* the bytes of the segment being read */
	bool count_only; /* tables are counted (counted), their chunks not read */
	uint64_t counted;
	uint8_t *stored, *media;
	struct libdeflate_decompressor *inflate;
	ewf_replay_fn fn;
	void *ctx;
};

static int damaged(struct replay *r, uint64_t at, const char *what, struct cu_error *err)
{
	return cu_error_set(err, CU_EUSAGE, "cannot resume: %s is damaged at byte %llu (%s)",
	                    r->path, (unsigned long long)at, what);
}

static int read_at(struct replay *r, void *buf, size_t len, uint64_t at, struct cu_error *err)
{
	ssize_t n = pread(r->fd, buf, len, (off_t)at);

	if (n != (ssize_t)len)
		return n < 0 ? cu_error_errno(err, CU_EFAIL, errno, "%s: read failed", r->path)
		             : damaged(r, at, "it ends early", err);
	return CU_OK;
}

/* Checks and unpacks one stored chunk, and hands its media on. */
static int replay_chunk(struct replay *r, uint64_t at, size_t len, bool compressed,
                        struct cu_error *err)
{
	size_t media_len = 0;
	int rc;

	if (len > r->chunk_size + EWF_CHECKSUM_SIZE || len < (compressed ? 2 : 5))
		return damaged(r, at, "a chunk of impossible size", err);
	if ((rc = read_at(r, r->stored, len, at, err)))
		return rc;
	if (compressed) {
		if (libdeflate_zlib_decompress(r->inflate, r->stored, len, r->media, r->chunk_size,
		                               &media_len) != LIBDEFLATE_SUCCESS)
			return damaged(r, at, "a compressed chunk does not inflate", err);
		return r->fn(r->ctx, r->media, media_len, err);
	}
	media_len = len - EWF_CHECKSUM_SIZE;
	if (ewf_adler32(r->stored, media_len) != cu_le32_get(r->stored + media_len))
		return damaged(r, at, "a chunk's checksum", err);
	return r->fn(r->ctx, r->stored, media_len, err);
}

/* Replays the chunks a table section at `at` indexes. */
static int replay_table(struct replay *r, uint64_t at, uint64_t size, struct cu_error *err)
{
	uint8_t head[EWF_TABLE_HEADER_SIZE];
	uint32_t n;
	uint64_t base;
	uint8_t *entries;
	int rc;

	if ((rc = read_at(r, head, sizeof(head), at + EWF_SECTION_DESC_SIZE, err)))
		return rc;
	if (ewf_adler32(head, 20) != cu_le32_get(head + 20))
		return damaged(r, at, "a table header's checksum", err);
	n = cu_le32_get(head);
	base = cu_le64_get(head + 8);
	if (size < EWF_SECTION_DESC_SIZE + EWF_TABLE_HEADER_SIZE + 4ULL * n + EWF_TABLE_FOOTER_SIZE)
		return damaged(r, at, "a table larger than its section", err);
	if (at + EWF_SECTION_DESC_SIZE + EWF_TABLE_HEADER_SIZE + 4ULL * n + 4 > r->limit)
		return damaged(r, at, "a table larger than its segment", err);
	if (r->count_only) {
		r->counted += n;
		return CU_OK;
	}
	entries = malloc(4ULL * n + 4);
	if (!entries)
		return cu_error_set(err, CU_EFAIL, "out of memory");
	rc = read_at(r, entries, 4ULL * n + 4, at + EWF_SECTION_DESC_SIZE + EWF_TABLE_HEADER_SIZE,
	             err);
	if (!rc && ewf_adler32(entries, 4ULL * n) != cu_le32_get(entries + 4ULL * n))
		rc = damaged(r, at, "a table's checksum", err);
	for (uint32_t i = 0; !rc && i < n && r->chunks_left; i++) {
		uint64_t start = base + (cu_le32_get(entries + 4ULL * i) & 0x7fffffffU);
		uint64_t end =
		    i + 1 < n ? base + (cu_le32_get(entries + 4ULL * (i + 1)) & 0x7fffffffU) : at;

		if (end <= start || end > at)
			rc = damaged(r, start, "a table entry", err);
		else
			rc = replay_chunk(r, start, (size_t)(end - start),
			                  cu_le32_get(entries + 4ULL * i) & EWF_TABLE_COMPRESSED,
			                  err);
		r->chunks_left--;
	}
	free(entries);
	return rc;
}

static int replay_segment(struct replay *r, uint64_t limit, struct cu_error *err)
{
	uint8_t desc[EWF_SECTION_DESC_SIZE];
	uint64_t at = EWF_FILE_HEADER_SIZE;
	int rc;

	r->limit = limit;
	if ((rc = read_at(r, desc, EWF_FILE_HEADER_SIZE, 0, err)))
		return rc;
	if (memcmp(desc, ewf_signature, sizeof(ewf_signature)) != 0)
		return damaged(r, 0, "not an E01 segment", err);
	while (at + EWF_SECTION_DESC_SIZE <= limit && r->chunks_left) {
		uint64_t next, size;

		if ((rc = read_at(r, desc, sizeof(desc), at, err)))
			return rc;
		if (ewf_adler32(desc, 72) != cu_le32_get(desc + 72))
			return damaged(r, at, "a section descriptor's checksum", err);
		next = cu_le64_get(desc + 16);
		size = cu_le64_get(desc + 24);
		if (!memcmp(desc, "table\0", 6) && (rc = replay_table(r, at, size, err)))
			return rc;
		if (next == at) /* next or done: the end of this segment */
			break;
		if (next < at + EWF_SECTION_DESC_SIZE)
			return damaged(r, at, "a section points backwards", err);
		at = next;
	}
	return CU_OK;
}

static int replay_files(struct replay *r, const char *const *paths, const uint64_t *limits,
                        size_t n, struct cu_error *err)
{
	int rc = CU_OK;

	for (size_t i = 0; i < n && !rc && r->chunks_left; i++) {
		r->path = paths[i];
		r->fd = open(paths[i], O_RDONLY | O_CLOEXEC);
		if (r->fd < 0)
			return cu_error_errno(err, CU_EUSAGE, errno, "cannot read %s", paths[i]);
		posix_fadvise(r->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
		rc = replay_segment(r, limits[i], err);
		close(r->fd);
	}
	return rc;
}

int ewf_replay_count(const char *const *paths, const uint64_t *limits, size_t n, uint64_t *chunks,
                     struct cu_error *err)
{
	struct replay r = {.chunks_left = EWF_REPLAY_ALL, .count_only = true};
	int rc = replay_files(&r, paths, limits, n, err);

	*chunks = r.counted;
	return rc;
}

int ewf_replay(const char *const *paths, const uint64_t *limits, size_t n, uint64_t chunk_size,
               uint64_t chunks, ewf_replay_fn fn, void *ctx, struct cu_error *err)
{
	struct replay r = {.chunk_size = chunk_size, .chunks_left = chunks, .fn = fn, .ctx = ctx};
	int rc = CU_OK;

	r.stored = malloc(chunk_size + EWF_CHECKSUM_SIZE);
	r.media = malloc(chunk_size);
	r.inflate = libdeflate_alloc_decompressor();
	if (!r.stored || !r.media || !r.inflate)
		rc = cu_error_set(err, CU_EFAIL, "out of memory");
	if (!rc)
		rc = replay_files(&r, paths, limits, n, err);
	if (!rc && r.chunks_left && chunks != EWF_REPLAY_ALL)
		rc =
		    cu_error_set(err, CU_EUSAGE,
		                 "cannot resume: the segments hold %llu chunks fewer than recorded",
		                 (unsigned long long)r.chunks_left);
	free(r.stored);
	free(r.media);
	libdeflate_free_decompressor(r.inflate);
	return rc;
}
