/*
 * aff4_chunk_hash.c - one chunk's block digests, with OpenSSL EVP: a
 * context per algorithm, made once, initialised again for each chunk.
 */
#include "container/aff4/aff4_chunk_hash.h"

#include <openssl/evp.h>
#include <stdlib.h>

#include "container/aff4/aff4_stream.h"

struct aff4_chunk_hasher {
	EVP_MD_CTX *ctx[CU_HASH_COUNT]; /* NULL where not asked */
	const EVP_MD *md[CU_HASH_COUNT];
};

static const EVP_MD *chunk_hash_md(enum cu_hash_alg a)
{
	return a == CU_HASH_MD5 ? EVP_md5() : a == CU_HASH_SHA1 ? EVP_sha1() : EVP_sha256();
}

int aff4_chunk_hasher_new(struct aff4_chunk_hasher **out, const bool *block, struct cu_error *err)
{
	struct aff4_chunk_hasher *h = calloc(1, sizeof(*h));

	if (!h)
		return cu_error_set(err, CU_EFAIL, "out of memory");
	for (int a = 0; a < CU_HASH_COUNT; a++) {
		if (!block || !block[a])
			continue;
		h->md[a] = chunk_hash_md((enum cu_hash_alg)a);
		if (!(h->ctx[a] = EVP_MD_CTX_new())) {
			aff4_chunk_hasher_free(h);
			return cu_error_set(err, CU_EFAIL, "out of memory for a digest");
		}
	}
	*out = h;
	return CU_OK;
}

int aff4_chunk_hasher_digest(struct aff4_chunk_hasher *h, const uint8_t *chunk,
                             struct cu_digests *out, struct cu_error *err)
{
	for (int a = 0; a < CU_HASH_COUNT; a++) {
		uint8_t *slot = (uint8_t *)cu_digests_get(out, (enum cu_hash_alg)a);

		out->have[a] = false;
		if (!h->ctx[a])
			continue;
		if (EVP_DigestInit_ex(h->ctx[a], h->md[a], NULL) != 1 ||
		    EVP_DigestUpdate(h->ctx[a], chunk, AFF4_CHUNK_SIZE) != 1 ||
		    EVP_DigestFinal_ex(h->ctx[a], slot, NULL) != 1)
			return cu_error_set(err, CU_EFAIL, "a block hash failed (%s)",
			                    cu_hash_name((enum cu_hash_alg)a));
		out->have[a] = true;
	}
	return CU_OK;
}

void aff4_chunk_hasher_free(struct aff4_chunk_hasher *h)
{
	if (!h)
		return;
	for (int a = 0; a < CU_HASH_COUNT; a++)
		EVP_MD_CTX_free(h->ctx[a]);
	free(h);
}
