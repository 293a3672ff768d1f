/*
 * hash.h - the media digests (MD5, SHA-1, SHA-256) over OpenSSL EVP.
 *
 * A cu_hash is one running digest of one algorithm.  The acquisition keeps
 * one per algorithm so that each can run on its own thread, fed the same
 * bytes in the same order.  cu_hash_fork copies a running state: the
 * acquisition uses it to finish the digest of the exact source bytes before
 * it feeds the zero padding that completes the last sector.
 */
#ifndef CUSTOS_LIB_HASH_H
#define CUSTOS_LIB_HASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/error.h"

enum cu_hash_alg { CU_HASH_MD5 = 0, CU_HASH_SHA1 = 1, CU_HASH_SHA256 = 2, CU_HASH_COUNT = 3 };

#define CU_HASH_MAX_SIZE 32

/* A set of finished digests; `have[alg]` says which were computed. */
struct cu_digests {
	bool have[CU_HASH_COUNT];
	uint8_t md5[16];
	uint8_t sha1[20];
	uint8_t sha256[32];
};

struct cu_hash;

const char *cu_hash_name(enum cu_hash_alg alg);
size_t cu_hash_size(enum cu_hash_alg alg);

int cu_hash_new(struct cu_hash **out, enum cu_hash_alg alg, struct cu_error *err);
int cu_hash_update(struct cu_hash *h, const void *data, size_t len, struct cu_error *err);
int cu_hash_fork(struct cu_hash **out, const struct cu_hash *h, struct cu_error *err);
/* Finishes the digest into its slot of `d` and marks it present. */
int cu_hash_final(struct cu_hash *h, struct cu_digests *d, struct cu_error *err);
void cu_hash_free(struct cu_hash *h);

/* The digest bytes of one algorithm inside a set. */
const uint8_t *cu_digests_get(const struct cu_digests *d, enum cu_hash_alg alg);

/* Lower-case hex of `len` bytes into `out`, which holds 2 * len + 1. */
void cu_hex(char *out, const uint8_t *bytes, size_t len);

/* Parses exactly 2 * len hex digits; returns false on anything else. */
bool cu_unhex(uint8_t *out, size_t len, const char *hex);

/*
 * Parses a list such as "md5,sha256" into `want`; MD5 is always included.
 * Returns CU_EUSAGE with a message naming `opt` for an unknown name.
 */
int cu_hash_parse_list(bool want[CU_HASH_COUNT], const char *opt, const char *list,
                       struct cu_error *err);

#endif
