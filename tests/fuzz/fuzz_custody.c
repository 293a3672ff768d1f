/*
 * fuzz_custody.c - the custody log parser and verifier: the chain, its
 * binding, the listing, and an append to a copy.
 */
#include <stdio.h>
#include <unistd.h>

#include "report/custody.h"
#include "tests/fuzz/fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cu_digests d = {.have = {true, false, true}};
	char path[64];
	FILE *devnull = fopen("/dev/null", "w");
	int fd = fuzz_memfd(data, size, path);

	if (fd >= 0) {
		custody_verify(path, NULL, devnull, NULL);
		custody_verify(path, &d, NULL, NULL);
		close(fd);
	}
	if (devnull)
		fclose(devnull);
	return 0;
}
