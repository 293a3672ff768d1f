/*
 * aff4_stream.c - packing chunks, and laying them out in bevies.
 *
 * Snappy and LZ4 chunks are raw blocks (no framing, no size prefix),
 * deflate chunks raw RFC 1951 (libdeflate), as FORMAT.md section 2.5
 * recommends; each compressor is asked for at most the chunk size less 17
 * bytes, so that what it cannot bring under the standard's threshold is
 * stored raw.  A bevy member is begun with its first chunk and ended after
 * its 2048th (or the last); its block hashes and its index, 12 bytes a
 * chunk (offset in the bevy as u64, stored length as u32, little-endian),
 * are held until then and written as the next members, as the reference
 * images order them.
 */
#include "container/aff4/aff4_stream.h"

#include <libdeflate.h>
#include <lz4.h>
#include <openssl/evp.h>
#include <snappy-c.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/le.h"

#define PACK_LIMIT  (AFF4_CHUNK_SIZE - 17) /* packed only when shorter than chunk size - 16 */
#define INDEX_ENTRY 12

const char *aff4_compression_uri(enum aff4_compression c)
{
	switch (c) {
	case AFF4_COMPRESSION_SNAPPY:
		return "http://code.google.com/p/snappy/";
	case AFF4_COMPRESSION_LZ4:
		return "https://code.google.com/p/lz4/";
	case AFF4_COMPRESSION_DEFLATE:
		return "https://tools.ietf.org/html/rfc1951";
	default:
		return NULL;
	}
}

struct aff4_packer {
	enum aff4_compression c;
	struct libdeflate_compressor *deflate;
	char *scratch; /* snappy writes its whole bound */
	size_t scratch_len;
};

int aff4_packer_new(struct aff4_packer **out, enum aff4_compression c, struct cu_error *err)
{
	struct aff4_packer *p = calloc(1, sizeof(*p));

	if (!p)
		return cu_error_set(err, CU_EFAIL, "out of memory");
	p->c = c;
	if (c == AFF4_COMPRESSION_DEFLATE && !(p->deflate = libdeflate_alloc_compressor(1)))
		goto fail;
	if (c == AFF4_COMPRESSION_SNAPPY) {
		p->scratch_len = snappy_max_compressed_length(AFF4_CHUNK_SIZE);
		if (!(p->scratch = malloc(p->scratch_len)))
			goto fail;
	}
	*out = p;
	return CU_OK;
fail:
	aff4_packer_free(p);
	return cu_error_set(err, CU_EFAIL, "out of memory for a compressor");
}

/* The packed length, or 0 when it would not pass the threshold. */
static size_t packer_try(struct aff4_packer *p, const uint8_t *chunk, uint8_t *out)
{
	size_t len;

	switch (p->c) {
	case AFF4_COMPRESSION_SNAPPY:
		len = p->scratch_len;
		if (snappy_compress((const char *)chunk, AFF4_CHUNK_SIZE, p->scratch, &len) !=
		        SNAPPY_OK ||
		    len > PACK_LIMIT)
			return 0;
		memcpy(out, p->scratch, len);
		return len;
	case AFF4_COMPRESSION_LZ4: {
		int n = LZ4_compress_default((const char *)chunk, (char *)out, AFF4_CHUNK_SIZE,
		                             PACK_LIMIT);

		return n > 0 ? (size_t)n : 0;
	}
	case AFF4_COMPRESSION_DEFLATE:
		return libdeflate_deflate_compress(p->deflate, chunk, AFF4_CHUNK_SIZE, out,
		                                   PACK_LIMIT);
	default:
		return 0;
	}
}

size_t aff4_packer_pack(struct aff4_packer *p, const uint8_t *chunk, uint8_t *out)
{
	size_t len = packer_try(p, chunk, out);

	if (len)
		return len;
	memcpy(out, chunk, AFF4_CHUNK_SIZE);
	return AFF4_CHUNK_SIZE;
}

void aff4_packer_free(struct aff4_packer *p)
{
	if (!p)
		return;
	libdeflate_free_compressor(p->deflate);
	free(p->scratch);
	free(p);
}

struct aff4_stream {
	struct aff4_zip *zip;
	char *name;
	uint64_t chunks;
	uint8_t index[AFF4_CHUNKS_IN_SEGMENT * INDEX_ENTRY];
	unsigned in_bevy; /* chunks in the bevy being written */
	uint64_t bevy_bytes;
	/* block hashes: the bevy's digests, and the SHA-512 of every member so far */
	uint8_t *digests[CU_HASH_COUNT];
	EVP_MD_CTX *sha512[CU_HASH_COUNT];
	uint8_t hash_of[CU_HASH_COUNT][64];
	bool finished;
};

int aff4_stream_new(struct aff4_stream **out, struct aff4_zip *zip, const char *name,
                    const bool block[CU_HASH_COUNT], struct cu_error *err)
{
	struct aff4_stream *s = calloc(1, sizeof(*s));
	bool ok = s && (s->name = strdup(name));

	for (int a = 0; ok && block && a < CU_HASH_COUNT; a++)
		if (block[a])
			ok = (s->digests[a] = malloc(AFF4_CHUNKS_IN_SEGMENT * cu_hash_size(a))) &&
			     (s->sha512[a] = EVP_MD_CTX_new()) &&
			     EVP_DigestInit_ex(s->sha512[a], EVP_sha512(), NULL) == 1;
	if (!ok) {
		aff4_stream_free(s);
		return cu_error_set(err, CU_EFAIL, "out of memory");
	}
	s->zip = zip;
	*out = s;
	return CU_OK;
}

/* "<name>/NNNNNNNN" (bevy numbers in decimal) and the same with ".index". */
static int stream_member_name(const struct aff4_stream *s, uint64_t bevy, const char *suffix,
                              char *out, size_t cap, struct cu_error *err)
{
	int n = snprintf(out, cap, "%s/%08llu%s", s->name, (unsigned long long)bevy, suffix);

	return n > 0 && (size_t)n < cap
	           ? CU_OK
	           : cu_error_set(err, CU_EFAIL, "an AFF4 member name too long");
}

/* The bevy's block-hash members, one an algorithm, each also into its SHA-512. */
static int stream_block_hashes(struct aff4_stream *s, uint64_t bevy, struct cu_error *err)
{
	char name[4200], suffix[32];
	int rc;

	for (int a = 0; a < CU_HASH_COUNT; a++) {
		size_t len = (size_t)s->in_bevy * cu_hash_size(a);

		if (!s->digests[a])
			continue;
		snprintf(suffix, sizeof(suffix), ".blockHash.%s", cu_hash_name(a));
		if ((rc = stream_member_name(s, bevy, suffix, name, sizeof(name), err)) ||
		    (rc = aff4_zip_member(s->zip, name, s->digests[a], len, err)))
			return rc;
		if (EVP_DigestUpdate(s->sha512[a], s->digests[a], len) != 1)
			return cu_error_set(err, CU_EFAIL, "SHA-512 failed");
	}
	return CU_OK;
}

/* Ends the bevy being written: its data member, its block hashes, then its index. */
static int stream_end_bevy(struct aff4_stream *s, struct cu_error *err)
{
	uint64_t bevy = (s->chunks - 1) / AFF4_CHUNKS_IN_SEGMENT;
	char name[4200];
	int rc;

	if ((rc = aff4_zip_member_end(s->zip, err)) || (rc = stream_block_hashes(s, bevy, err)) ||
	    (rc = stream_member_name(s, bevy, ".index", name, sizeof(name), err)) ||
	    (rc = aff4_zip_member(s->zip, name, s->index, (size_t)s->in_bevy * INDEX_ENTRY, err)))
		return rc;
	s->in_bevy = 0;
	s->bevy_bytes = 0;
	return CU_OK;
}

int aff4_stream_add_chunk(struct aff4_stream *s, const uint8_t *stored, size_t len,
                          const struct cu_digests *block, struct cu_error *err)
{
	char name[4200];
	int rc;

	if (len == 0 || len > AFF4_CHUNK_SIZE)
		return cu_error_set(err, CU_EFAIL, "an AFF4 chunk of %zu bytes", len);
	for (int a = 0; a < CU_HASH_COUNT; a++) {
		if (!s->digests[a])
			continue;
		if (!block || !block->have[a])
			return cu_error_set(err, CU_EFAIL,
			                    "an AFF4 chunk without its %s block hash",
			                    cu_hash_name(a));
		memcpy(s->digests[a] + s->in_bevy * cu_hash_size(a), cu_digests_get(block, a),
		       cu_hash_size(a));
	}
	if (s->in_bevy == 0 && ((rc = stream_member_name(s, s->chunks / AFF4_CHUNKS_IN_SEGMENT, "",
	                                                 name, sizeof(name), err)) ||
	                        (rc = aff4_zip_member_begin(s->zip, name, err))))
		return rc;
	if ((rc = aff4_zip_member_write(s->zip, stored, len, err)))
		return rc;
	cu_le64_put(s->index + s->in_bevy * INDEX_ENTRY, s->bevy_bytes);
	cu_le32_put(s->index + s->in_bevy * INDEX_ENTRY + 8, (uint32_t)len);
	s->bevy_bytes += len;
	s->in_bevy++;
	s->chunks++;
	return s->in_bevy == AFF4_CHUNKS_IN_SEGMENT ? stream_end_bevy(s, err) : CU_OK;
}

int aff4_stream_finish(struct aff4_stream *s, struct cu_error *err)
{
	int rc = s->in_bevy ? stream_end_bevy(s, err) : CU_OK;

	for (int a = 0; !rc && a < CU_HASH_COUNT; a++)
		if (s->sha512[a] && EVP_DigestFinal_ex(s->sha512[a], s->hash_of[a], NULL) != 1)
			rc = cu_error_set(err, CU_EFAIL, "SHA-512 failed");
	s->finished = !rc;
	return rc;
}

const uint8_t *aff4_stream_block_hashes_hash(const struct aff4_stream *s, enum cu_hash_alg alg)
{
	return s->finished && s->sha512[alg] ? s->hash_of[alg] : NULL;
}

uint64_t aff4_stream_chunks(const struct aff4_stream *s)
{
	return s->chunks;
}

void aff4_stream_free(struct aff4_stream *s)
{
	if (!s)
		return;
	for (int a = 0; a < CU_HASH_COUNT; a++) {
		free(s->digests[a]);
		EVP_MD_CTX_free(s->sha512[a]);
	}
	free(s->name);
	free(s);
}
