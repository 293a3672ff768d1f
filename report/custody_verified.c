/*
 * custody_verified.c - the "verified" event: what a read-back of the
 * evidence gave, appended to its custody log.
 *
 * `custos verify` appends one after every full verification, and
 * `custos acquire --verify` after its read-back, as a second event after
 * the acquisition record (which is written before the read-back starts, so
 * that an interruption there cannot leave evidence without its record).
 * The event's note says the result and the digests computed; its fragment
 * holds them as the report reads them (event[@action='verified']/
 * verification).
 */
#include "report/custody_verified.h"

#include <stdio.h>

/* The digest of `alg` in hex, or "-" when it was not computed. */
static void verified_hex(char *out, const struct cu_digests *d, enum cu_hash_alg alg)
{
	if (d->have[alg])
		cu_hex(out, cu_digests_get(d, alg), cu_hash_size(alg));
	else
		snprintf(out, 2, "-");
}

int custody_append_verified(const char *log, const struct custody_binding *binding, const char *by,
                            const char *result, const struct cu_digests *computed,
                            struct custody_seal *seal, struct cu_error *err)
{
	char note[512], xml[1024], md5[33], sha1[41], sha256[65];
	struct custody_event ev = {.action = "verified", .by = by, .note = note, .xml = xml};

	verified_hex(md5, computed, CU_HASH_MD5);
	verified_hex(sha1, computed, CU_HASH_SHA1);
	verified_hex(sha256, computed, CU_HASH_SHA256);
	snprintf(note, sizeof(note), "result: %s; computed md5 %s, sha256 %s", result, md5, sha256);
	snprintf(xml, sizeof(xml),
	         "<verification xmlns=\"%s\" result=\"%s\"><hash type=\"md5\">%s</hash>"
	         "<hash type=\"sha1\">%s</hash><hash type=\"sha256\">%s</hash></verification>",
	         CU_CUSTODY_NS, result, md5, sha1, sha256);
	return custody_append(log, &ev, binding, seal, CUSTODY_LOCK_SECONDS, err);
}
