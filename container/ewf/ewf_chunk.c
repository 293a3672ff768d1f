/*
 * ewf_chunk.c - chunk compression with libdeflate.
 *
 * libdeflate produces standard zlib streams several times faster than zlib
 * itself; fast is its level 1, best its level 9 (level 12 shrinks media by
 * another percent or two at a fifth of the speed, a poor trade for imaging).
 *
 * fast first compresses a 4 KiB probe of the chunk: encrypted or already
 * compressed data (a large share of real drives) gains nothing, and storing
 * it raw at once saves the full attempt that would fail anyway.  best always
 * makes the full attempt.
 */
#include "container/ewf/ewf_chunk.h"

#include <libdeflate.h>
#include <stdlib.h>
#include <string.h>

#include "container/ewf/ewf_format.h"
#include "container/ewf/ewf_sections.h"
#include "lib/le.h"

const char *const ewf_compression_names[] = {"none", "empty", "fast", "best", NULL};

#define PROBE_SIZE     4096U
#define PROBE_MIN_GAIN 64U /* bytes the probe must save to try the chunk */

#define UNIFORM_MEMO_MAX 1024U

struct uniform_memo {
	uint8_t *data;
	size_t len, raw_len;
};

struct ewf_packer {
	enum ewf_compression mode;
	struct libdeflate_compressor *deflate;
	uint8_t probe[PROBE_SIZE];
	struct uniform_memo uniform[256];
};

uint8_t ewf_compression_level(enum ewf_compression c)
{
	switch (c) {
	case EWF_COMPRESSION_FAST:
		return 1;
	case EWF_COMPRESSION_BEST:
		return 2;
	default:
		return 0;
	}
}

int ewf_packer_new(struct ewf_packer **out, enum ewf_compression c, struct cu_error *err)
{
	struct ewf_packer *p = calloc(1, sizeof(*p));

	if (!p)
		return cu_error_set(err, CU_EFAIL, "out of memory for a chunk compressor");
	p->mode = c;
	if (c != EWF_COMPRESSION_NONE) {
		p->deflate = libdeflate_alloc_compressor(c == EWF_COMPRESSION_BEST ? 9 : 1);
		if (!p->deflate) {
			free(p);
			return cu_error_set(err, CU_EFAIL, "out of memory for a chunk compressor");
		}
	}
	*out = p;
	return CU_OK;
}

void ewf_packer_free(struct ewf_packer *p)
{
	if (!p)
		return;
	libdeflate_free_compressor(p->deflate);
	for (int i = 0; i < 256; i++)
		free(p->uniform[i].data);
	free(p);
}

size_t ewf_packed_bound(size_t len)
{
	return len + EWF_CHECKSUM_SIZE;
}

static bool chunk_is_uniform(const uint8_t *raw, size_t len)
{
	return len == 0 || (raw[0] == raw[len - 1] && memcmp(raw, raw + 1, len - 1) == 0);
}

static size_t pack_raw(const uint8_t *raw, size_t len, uint8_t *out, bool *compressed)
{
	memcpy(out, raw, len);
	cu_le32_put(out + len, ewf_adler32(raw, len));
	*compressed = false;
	return len + EWF_CHECKSUM_SIZE;
}

/* Whether a 4 KiB sample of the chunk compresses at all. */
static bool probe_compresses(struct ewf_packer *p, const uint8_t *raw, size_t len)
{
	if (len < 4 * PROBE_SIZE)
		return true;
	return libdeflate_zlib_compress(p->deflate, raw, PROBE_SIZE, p->probe,
	                                PROBE_SIZE - PROBE_MIN_GAIN) != 0;
}

/*
 * A chunk of one repeated byte (zeroed or wiped space: most of many drives)
 * always compresses to the same stream; each packer remembers it per byte
 * value and chunk length instead of compressing it again.
 */
static size_t pack_uniform(struct ewf_packer *p, const uint8_t *raw, size_t len, uint8_t *out,
                           bool *compressed)
{
	struct uniform_memo *m = &p->uniform[raw[0]];
	size_t n;

	if (m->data && m->raw_len == len) {
		memcpy(out, m->data, m->len);
		*compressed = true;
		return m->len;
	}
	n = libdeflate_zlib_compress(p->deflate, raw, len, out, len - 1);
	if (n == 0)
		return pack_raw(raw, len, out, compressed);
	if (n <= UNIFORM_MEMO_MAX && (m->data || (m->data = malloc(UNIFORM_MEMO_MAX)))) {
		memcpy(m->data, out, n);
		m->len = n;
		m->raw_len = len;
	}
	*compressed = true;
	return n;
}

size_t ewf_packer_pack(struct ewf_packer *p, const uint8_t *raw, size_t len, uint8_t *out,
                       bool *compressed)
{
	bool uniform;
	size_t n;

	if (p->mode == EWF_COMPRESSION_NONE || len < 2)
		return pack_raw(raw, len, out, compressed);
	uniform = chunk_is_uniform(raw, len);
	if (uniform)
		return pack_uniform(p, raw, len, out, compressed);
	if (p->mode == EWF_COMPRESSION_EMPTY ||
	    (p->mode == EWF_COMPRESSION_FAST && !probe_compresses(p, raw, len)))
		return pack_raw(raw, len, out, compressed);
	n = libdeflate_zlib_compress(p->deflate, raw, len, out, len - 1);
	if (n == 0)
		return pack_raw(raw, len, out, compressed);
	*compressed = true;
	return n;
}

#define UNPACK_SLOTS 4 /* zeros, 0xff fill, and a couple more */

/* A short compressed chunk remembered with the media it gave. */
struct unpack_memo {
	uint8_t stored[EWF_UNPACK_MEMO];
	size_t len, got; /* len 0: nothing remembered */
	uint8_t *media;
};

struct ewf_unpacker {
	struct libdeflate_decompressor *d;
	size_t chunk_size;
	struct unpack_memo memo[UNPACK_SLOTS];
	unsigned next; /* the slot the next chunk remembered takes */
};

int ewf_unpacker_new(struct ewf_unpacker **out, size_t chunk_size, struct cu_error *err)
{
	struct ewf_unpacker *u = calloc(1, sizeof(*u));
	bool ok = u != NULL;

	if (u) {
		u->chunk_size = chunk_size;
		ok = (u->d = libdeflate_alloc_decompressor()) != NULL;
		for (unsigned i = 0; ok && i < UNPACK_SLOTS; i++)
			ok = (u->memo[i].media = malloc(chunk_size ? chunk_size : 1)) != NULL;
	}
	if (!ok) {
		ewf_unpacker_free(u);
		return cu_error_set(err, CU_EFAIL, "out of memory for a decompressor");
	}
	*out = u;
	return CU_OK;
}

void ewf_unpacker_free(struct ewf_unpacker *u)
{
	if (!u)
		return;
	libdeflate_free_decompressor(u->d);
	for (unsigned i = 0; i < UNPACK_SLOTS; i++)
		free(u->memo[i].media);
	free(u);
}

/* Inflates a compressed chunk, or takes it from a memo whose stored bytes are its own. */
static bool unpacker_inflate(struct ewf_unpacker *u, const uint8_t *stored, size_t len,
                             uint8_t *media, size_t *got)
{
	struct unpack_memo *m;

	for (unsigned i = 0; len <= EWF_UNPACK_MEMO && i < UNPACK_SLOTS; i++)
		if (u->memo[i].len == len && !memcmp(stored, u->memo[i].stored, len)) {
			memcpy(media, u->memo[i].media, u->memo[i].got);
			*got = u->memo[i].got;
			return true;
		}
	if (libdeflate_zlib_decompress(u->d, stored, len, media, u->chunk_size, got) !=
	    LIBDEFLATE_SUCCESS)
		return false;
	if (len <= EWF_UNPACK_MEMO) {
		m = &u->memo[u->next++ % UNPACK_SLOTS];
		memcpy(m->stored, stored, len);
		memcpy(m->media, media, *got);
		m->len = len;
		m->got = *got;
	}
	return true;
}

bool ewf_unpacker_unpack(struct ewf_unpacker *u, const uint8_t *stored, size_t len, bool compressed,
                         uint8_t *media, size_t expect, const char **why)
{
	size_t got = 0;

	if (compressed) {
		*why = "does not inflate";
		return unpacker_inflate(u, stored, len, media, &got) && got >= expect;
	}
	*why = "does not match its checksum";
	if (len < expect + 4 || ewf_adler32(stored, len - 4) != cu_le32_get(stored + len - 4))
		return false;
	memcpy(media, stored, expect);
	return true;
}
