/*
 * cmd_verify.c - `custos verify BASE.E01`: re-read the evidence through
 * libewf, checking every chunk's checksum, recompute every digest the set
 * stores, and compare.
 *
 * Exit status: 0 every stored digest matches; 1 a mismatch, damage, or no
 * stored digest at all; 2 the evidence cannot be opened, or usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "container/ewf_reader.h"
#include "lib/command.h"
#include "lib/hash.h"

static const char verify_usage[] = "usage: custos verify EVIDENCE.E01\n";

/* Prints each digest; returns how many stored digests differ. */
static int verify_report(const struct cu_digests *stored, const struct cu_digests *computed)
{
	char s[2 * CU_HASH_MAX_SIZE + 1], c[2 * CU_HASH_MAX_SIZE + 1];
	int mismatches = 0;

	for (int a = 0; a < CU_HASH_COUNT; a++) {
		size_t len = cu_hash_size(a);

		if (!stored->have[a])
			continue;
		cu_hex(s, cu_digests_get(stored, a), len);
		cu_hex(c, cu_digests_get(computed, a), len);
		if (memcmp(cu_digests_get(stored, a), cu_digests_get(computed, a), len) != 0) {
			mismatches++;
			printf("  %-7s MISMATCH stored %s computed %s\n", cu_hash_name(a), s, c);
		} else {
			printf("  %-7s match    %s\n", cu_hash_name(a), s);
		}
	}
	return mismatches;
}

int cmd_verify(int argc, char **argv)
{
	struct cu_digests stored, computed;
	bool want[CU_HASH_COUNT];
	struct cu_error err = {0};
	struct ewf_reader *r;
	int rc, bad;

	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs(verify_usage, stdout);
		return 0;
	}
	if (argc != 2)
		return cu_command_fail("verify", CU_EUSAGE, "give exactly one evidence file");
	if ((rc = ewf_reader_open(&r, argv[1], &err)))
		return cu_command_fail("verify", rc, err.msg);
	ewf_reader_stored_digests(r, &stored);
	for (int a = 0; a < CU_HASH_COUNT; a++)
		want[a] = stored.have[a] || a == CU_HASH_MD5;
	rc = ewf_reader_hash_media(r, want, &computed, &err);
	ewf_reader_close(r);
	if (rc)
		return cu_command_fail("verify", CU_EFAIL, err.msg);
	printf("custos verify: %s\n", argv[1]);
	bad = verify_report(&stored, &computed);
	if (!stored.have[CU_HASH_MD5] && !stored.have[CU_HASH_SHA1] && !stored.have[CU_HASH_SHA256])
		return cu_command_fail("verify", CU_EFAIL,
		                       "the evidence stores no digest to check");
	printf("custos verify: %s\n", bad ? "MISMATCH" : "all stored digests match");
	return bad ? CU_EFAIL : CU_OK;
}
