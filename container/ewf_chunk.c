/*
 * ewf_chunk.c - chunk compression with libdeflate.
 *
 * libdeflate produces standard zlib streams several times faster than zlib
 * itself; fast is its level 1, best its level 9 (level 12 shrinks media by
 * another percent or two at a fifth of the speed, a poor trade for imaging).
 */
#include "container/ewf_chunk.h"

#include <libdeflate.h>
#include <stdlib.h>
#include <string.h>

#include "container/ewf_format.h"
#include "container/ewf_sections.h"

const char *const ewf_compression_names[] = {"none", "empty", "fast", "best", NULL};

struct ewf_packer {
	enum ewf_compression mode;
	struct libdeflate_compressor *deflate;
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
	ewf_put32(out + len, ewf_adler32(raw, len));
	*compressed = false;
	return len + EWF_CHECKSUM_SIZE;
}

size_t ewf_packer_pack(struct ewf_packer *p, const uint8_t *raw, size_t len, uint8_t *out,
                       bool *compressed)
{
	size_t n;

	if (p->mode == EWF_COMPRESSION_NONE || len < 2 ||
	    (p->mode == EWF_COMPRESSION_EMPTY && !chunk_is_uniform(raw, len)))
		return pack_raw(raw, len, out, compressed);
	n = libdeflate_zlib_compress(p->deflate, raw, len, out, len - 1);
	if (n == 0)
		return pack_raw(raw, len, out, compressed);
	*compressed = true;
	return n;
}
