/*
 * fuzz_partition.c - the MBR and GPT parser (container/partition.h) on
 * arbitrary bytes: the input is the start of a medium, read through the
 * parser's callback (zeros past it), on a medium of 16 to 271 MiB taken
 * from its first byte, in sectors of 512 bytes, and of 1 TiB in sectors of
 * 4096 bytes.
 */
#include <stdint.h>
#include <string.h>

#include "container/partition.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fuzz_medium {
	const uint8_t *data;
	size_t size;
};

static int fuzz_read(void *ctx, uint64_t offset, void *buf, size_t len, struct cu_error *err)
{
	const struct fuzz_medium *m = ctx;

	memset(buf, 0, len); /* past the input: zeros, as an empty medium */
	if (offset < m->size)
		memcpy(buf, m->data + offset, len < m->size - offset ? len : m->size - offset);
	(void)err;
	return CU_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_medium m = {data, size};
	struct partition_table t;
	uint64_t media = ((uint64_t)(size ? data[0] : 0) + 16) << 20;

	(void)partition_table_read(fuzz_read, &m, media, 512, &t, NULL);
	(void)partition_table_read(fuzz_read, &m, (uint64_t)1 << 40, 4096, &t, NULL);
	return 0;
}
