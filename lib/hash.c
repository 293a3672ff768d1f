/*
 * hash.c - one running digest over OpenSSL's EVP interface.
 *
 * OpenSSL 3 picks the fastest implementation the CPU offers (SHA-NI for
 * SHA-256, for one), so custos never hashes by hand.
 */
#include "lib/hash.h"

#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct cu_hash {
	enum cu_hash_alg alg;
	EVP_MD_CTX *ctx;
};

static const char *const hash_names[CU_HASH_COUNT] = {"md5", "sha1", "sha256"};
static const size_t hash_sizes[CU_HASH_COUNT] = {16, 20, 32};

const char *cu_hash_name(enum cu_hash_alg alg)
{
	return hash_names[alg];
}

size_t cu_hash_size(enum cu_hash_alg alg)
{
	return hash_sizes[alg];
}

static const EVP_MD *hash_md(enum cu_hash_alg alg)
{
	switch (alg) {
	case CU_HASH_MD5:
		return EVP_md5();
	case CU_HASH_SHA1:
		return EVP_sha1();
	default:
		return EVP_sha256();
	}
}

int cu_hash_new(struct cu_hash **out, enum cu_hash_alg alg, struct cu_error *err)
{
	struct cu_hash *h = calloc(1, sizeof(*h));

	if (!h)
		return cu_error_set(err, CU_EFAIL, "out of memory for a %s digest",
		                    hash_names[alg]);
	h->alg = alg;
	h->ctx = EVP_MD_CTX_new();
	if (!h->ctx || EVP_DigestInit_ex(h->ctx, hash_md(alg), NULL) != 1) {
		cu_hash_free(h);
		return cu_error_set(err, CU_EFAIL, "OpenSSL cannot start a %s digest",
		                    hash_names[alg]);
	}
	*out = h;
	return CU_OK;
}

int cu_hash_update(struct cu_hash *h, const void *data, size_t len, struct cu_error *err)
{
	if (EVP_DigestUpdate(h->ctx, data, len) != 1)
		return cu_error_set(err, CU_EFAIL, "OpenSSL %s digest update failed",
		                    hash_names[h->alg]);
	return CU_OK;
}

int cu_hash_fork(struct cu_hash **out, const struct cu_hash *h, struct cu_error *err)
{
	struct cu_hash *copy = calloc(1, sizeof(*copy));

	if (!copy)
		return cu_error_set(err, CU_EFAIL, "out of memory for a %s digest",
		                    hash_names[h->alg]);
	copy->alg = h->alg;
	copy->ctx = EVP_MD_CTX_new();
	if (!copy->ctx || EVP_MD_CTX_copy_ex(copy->ctx, h->ctx) != 1) {
		cu_hash_free(copy);
		return cu_error_set(err, CU_EFAIL, "OpenSSL cannot copy a %s digest",
		                    hash_names[h->alg]);
	}
	*out = copy;
	return CU_OK;
}

static uint8_t *digests_slot(struct cu_digests *d, enum cu_hash_alg alg)
{
	switch (alg) {
	case CU_HASH_MD5:
		return d->md5;
	case CU_HASH_SHA1:
		return d->sha1;
	default:
		return d->sha256;
	}
}

const uint8_t *cu_digests_get(const struct cu_digests *d, enum cu_hash_alg alg)
{
	return digests_slot((struct cu_digests *)d, alg);
}

int cu_hash_final(struct cu_hash *h, struct cu_digests *d, struct cu_error *err)
{
	unsigned int len = 0;

	if (EVP_DigestFinal_ex(h->ctx, digests_slot(d, h->alg), &len) != 1 ||
	    len != hash_sizes[h->alg])
		return cu_error_set(err, CU_EFAIL, "OpenSSL cannot finish a %s digest",
		                    hash_names[h->alg]);
	d->have[h->alg] = true;
	return CU_OK;
}

void cu_hash_free(struct cu_hash *h)
{
	if (!h)
		return;
	EVP_MD_CTX_free(h->ctx);
	free(h);
}

void cu_hex(char *out, const uint8_t *bytes, size_t len)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < len; i++) {
		out[2 * i] = digits[bytes[i] >> 4];
		out[2 * i + 1] = digits[bytes[i] & 15];
	}
	out[2 * len] = '\0';
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool cu_unhex(uint8_t *out, size_t len, const char *hex)
{
	if (strlen(hex) != 2 * len)
		return false;
	for (size_t i = 0; i < len; i++) {
		int hi = hex_value(hex[2 * i]), lo = hex_value(hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return false;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return true;
}

int cu_hash_parse_list(bool want[CU_HASH_COUNT], const char *opt, const char *list,
                       struct cu_error *err)
{
	const char *p = list;

	memset(want, 0, sizeof(bool) * CU_HASH_COUNT);
	want[CU_HASH_MD5] = true;
	if (!*list)
		return cu_error_set(err, CU_EUSAGE, "%s: an empty list (md5 at least)", opt);
	while (*p) {
		size_t n = strcspn(p, ",");
		int found = -1;

		for (int a = 0; a < CU_HASH_COUNT; a++)
			if (n == strlen(hash_names[a]) && strncasecmp(p, hash_names[a], n) == 0)
				found = a;
		if (n > 0 && found < 0)
			return cu_error_set(err, CU_EUSAGE,
			                    "%s: unknown digest '%.*s' (use md5, sha1, sha256)",
			                    opt, (int)n, p);
		if (found >= 0)
			want[found] = true;
		p += n;
		if (*p == ',')
			p++;
	}
	return CU_OK;
}
