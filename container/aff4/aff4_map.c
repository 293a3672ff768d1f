/*
 * aff4_map.c - the map's entries, merged as they come, its two members,
 * and the hashes of both, computed as they are written (SHA-512, as the
 * reference images have them).
 */
#include "container/aff4/aff4_map.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/grow.h"
#include "lib/le.h"

#define ENTRY 28

enum { TARGET_STREAM = 0, TARGET_UNREADABLE = 1 };

struct map_entry {
	uint64_t offset, length, target_offset;
	uint32_t target;
};

struct aff4_map {
	char *stream_uri;
	struct map_entry *v;
	size_t n, cap;
};

int aff4_map_new(struct aff4_map **out, const char *stream_uri, struct cu_error *err)
{
	struct aff4_map *m = calloc(1, sizeof(*m));

	if (!m || !(m->stream_uri = strdup(stream_uri))) {
		free(m);
		return cu_error_set(err, CU_EFAIL, "out of memory");
	}
	*out = m;
	return CU_OK;
}

/* Appends a run in media order, merging it into the run before when it continues it. */
static int map_add(struct aff4_map *m, const struct map_entry *e, struct cu_error *err)
{
	struct map_entry *last = m->n ? &m->v[m->n - 1] : NULL;
	uint64_t end = last ? last->offset + last->length : 0;

	if (e->length == 0)
		return CU_OK;
	if (e->offset < end || e->length > UINT64_MAX - e->offset)
		return cu_error_set(err, CU_EFAIL, "an AFF4 map run out of order");
	if (last && end == e->offset && last->target == e->target &&
	    last->target_offset + last->length == e->target_offset) {
		last->length += e->length;
		return CU_OK;
	}
	if (cu_grow(&m->v, &m->cap, m->n, sizeof(*m->v)))
		return cu_error_set(err, CU_EFAIL, "out of memory");
	m->v[m->n++] = *e;
	return CU_OK;
}

int aff4_map_add_data(struct aff4_map *m, uint64_t offset, uint64_t length, uint64_t stream_offset,
                      struct cu_error *err)
{
	struct map_entry e = {offset, length, stream_offset, TARGET_STREAM};

	return map_add(m, &e, err);
}

int aff4_map_add_unreadable(struct aff4_map *m, uint64_t offset, uint64_t length,
                            struct cu_error *err)
{
	struct map_entry e = {offset, length, offset, TARGET_UNREADABLE};

	return map_add(m, &e, err);
}

/* The entries, into the member begun and into the SHA-512s of `map` and of `map` || `idx`. */
static int map_write_entries(const struct aff4_map *m, struct aff4_zip *zip, EVP_MD_CTX *point,
                             EVP_MD_CTX *both, struct cu_error *err)
{
	uint8_t e[ENTRY];
	int rc = CU_OK;

	for (size_t i = 0; i < m->n && !rc; i++) {
		cu_le64_put(e, m->v[i].offset);
		cu_le64_put(e + 8, m->v[i].length);
		cu_le64_put(e + 16, m->v[i].target_offset);
		cu_le32_put(e + 24, m->v[i].target);
		if (EVP_DigestUpdate(point, e, sizeof(e)) != 1 ||
		    EVP_DigestUpdate(both, e, sizeof(e)) != 1)
			return cu_error_set(err, CU_EFAIL, "SHA-512 failed");
		rc = aff4_zip_member_write(zip, e, sizeof(e), err);
	}
	return rc;
}

static int map_sha512(const void *data, size_t len, uint8_t out[64])
{
	return EVP_Digest(data, len, out, NULL, EVP_sha512(), NULL) == 1 ? CU_OK : CU_EFAIL;
}

static int map_write_idx(const struct aff4_map *m, struct aff4_zip *zip, const char *name,
                         EVP_MD_CTX *both, struct aff4_map_hashes *h, struct cu_error *err)
{
	char member[4200], *idx = NULL;
	int n, rc;

	snprintf(member, sizeof(member), "%s/idx", name);
	if ((n = asprintf(&idx, "%s\n%s\n", m->stream_uri, AFF4_UNREADABLE_URI)) < 0)
		return cu_error_set(err, CU_EFAIL, "out of memory");
	rc = aff4_zip_member(zip, member, idx, (size_t)n, err);
	if (!rc &&
	    (map_sha512(idx, (size_t)n, h->idx) || EVP_DigestUpdate(both, idx, (size_t)n) != 1 ||
	     EVP_DigestFinal_ex(both, h->map, NULL) != 1))
		rc = cu_error_set(err, CU_EFAIL, "SHA-512 failed");
	free(idx);
	return rc;
}

int aff4_map_write(const struct aff4_map *m, struct aff4_zip *zip, const char *name,
                   struct aff4_map_hashes *hashes, struct cu_error *err)
{
	EVP_MD_CTX *point = EVP_MD_CTX_new(), *both = EVP_MD_CTX_new();
	char member[4200];
	int rc;

	if (!point || !both || EVP_DigestInit_ex(point, EVP_sha512(), NULL) != 1 ||
	    EVP_DigestInit_ex(both, EVP_sha512(), NULL) != 1)
		rc = cu_error_set(err, CU_EFAIL, "SHA-512 failed");
	else if (snprintf(member, sizeof(member), "%s/map", name) >= (int)sizeof(member))
		rc = cu_error_set(err, CU_EFAIL, "an AFF4 member name too long");
	else if (!(rc = aff4_zip_member_begin(zip, member, err)) &&
	         !(rc = map_write_entries(m, zip, point, both, err)) &&
	         !(rc = aff4_zip_member_end(zip, err))) {
		if (EVP_DigestFinal_ex(point, hashes->point, NULL) != 1)
			rc = cu_error_set(err, CU_EFAIL, "SHA-512 failed");
		else
			rc = map_write_idx(m, zip, name, both, hashes, err);
	}
	EVP_MD_CTX_free(point);
	EVP_MD_CTX_free(both);
	return rc;
}

int aff4_map_block_map_hash(const uint8_t *const block[CU_HASH_COUNT],
                            const struct aff4_map_hashes *hashes, uint8_t out[64],
                            struct cu_error *err)
{
	uint8_t all[(CU_HASH_COUNT + 2) * 64];
	size_t n = 0;

	for (int a = 0; a < CU_HASH_COUNT; a++)
		if (block[a]) {
			memcpy(all + n, block[a], 64);
			n += 64;
		}
	memcpy(all + n, hashes->point, 64);
	memcpy(all + n + 64, hashes->idx, 64);
	return map_sha512(all, n + 128, out) ? cu_error_set(err, CU_EFAIL, "SHA-512 failed")
	                                     : CU_OK;
}

void aff4_map_free(struct aff4_map *m)
{
	if (!m)
		return;
	free(m->stream_uri);
	free(m->v);
	free(m);
}

void aff4_unreadable_fill(uint8_t *buf, uint64_t offset, size_t len)
{
	static const char text[] = "UNREADABLEDATA";
	const size_t n = sizeof(text) - 1;

	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t)text[((offset + i) % (1U << 20)) % n];
}
