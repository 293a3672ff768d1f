/*
 * fuzz_aff4_zip.c - the AFF4 volume's ZIP reader (aff4_zip_read.h) on
 * arbitrary bytes: the end records, the ZIP64 locator and end record, the
 * central directory and every local header; then the members an AFF4
 * reader asks for, loaded (stored or deflated) or located.
 */
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "container/aff4/aff4_zip_read.h"
#include "tests/fuzz/fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = {"information.turtle", "container.description",
	                                    "version.txt", "a/00000000", "a/00000000.index"};
	struct aff4_zip_read *z;
	char path[64];
	int fd = fuzz_memfd(data, size, path);

	if (fd < 0)
		return 0;
	if (aff4_zip_read_open(&z, fd, size, NULL) == CU_OK) {
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			uint8_t *m = NULL, buf[16];
			uint64_t off, len;
			size_t n;

			if (aff4_zip_read_load(z, names[i], 1 << 20, &m, &n, NULL) == CU_OK)
				free(m);
			if (aff4_zip_read_stored(z, names[i], &off, &len, NULL) == CU_OK)
				aff4_zip_read_at(z, buf, len < 16 ? (size_t)len : 16, off, NULL);
		}
		(void)aff4_zip_read_comment(z);
		aff4_zip_read_free(z);
	}
	close(fd);
	return 0;
}
