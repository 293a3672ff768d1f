/*
 * fuzz_tsa.c - an RFC 3161 time-stamp (report/tsa.h), as custody verify
 * and report --check-signature read one: the input's first 32 bytes are
 * the SHA-256 it claims to stamp, the rest the TSA's answer.  It is read
 * (tsa_read), and checked (tsa_check) against the CA named by
 * CUSTOS_FUZZ_TSA_CA (tools/fuzz makes one, and its seeds are stamps that
 * chain to it, so the checks past the imprint are reached), with and
 * without a nonce and a policy.
 */
#include <stdint.h>
#include <stdlib.h>

#include "report/tsa.h"
#include "tests/fuzz/fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tsa_trust *trust = fuzz_tsa_trust();
	struct tsa_stamp_info info;

	if (size < 32)
		return 0;
	(void)tsa_read(data + 32, size - 32, &info, NULL);
	if (!trust)
		return 0;
	(void)tsa_check(trust, data + 32, size - 32, data, NULL, NULL, &info, NULL);
	(void)tsa_check(trust, data + 32, size - 32, data, "0123456789abcdef", "1.2.3.4", &info,
	                NULL);
	return 0;
}
