/*
 * fuzz_segment.c - the segment-chain and section scanner, the first
 * segment's head (volume and header2), and the replay of unfinished
 * segments (and the count and replay of every chunk, as verify reads the
 * segments after a lost one), on one segment file of arbitrary bytes.
 */
#include <stdint.h>
#include <unistd.h>

#include "container/ewf/ewf_chain.h"
#include "container/ewf/ewf_head.h"
#include "container/ewf/ewf_replay.h"
#include "tests/fuzz/fuzz_common.h"

static int count_media(void *ctx, const uint8_t *media, size_t len, struct cu_error *err)
{
	(void)media;
	(void)err;
	*(size_t *)ctx += len;
	return CU_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64], problem[512];
	const char *paths[1] = {path};
	uint64_t limit = size;
	struct ewf_head head;
	size_t media = 0;
	uint64_t chunks = 0;
	int fd = fuzz_memfd(data, size, path);

	if (fd < 0)
		return 0;
	ewf_chain_check(paths, 1, problem, sizeof(problem));
	if (ewf_head_read(path, &head, NULL) == CU_OK)
		ewf_head_free(&head);
	ewf_replay(paths, &limit, 1, 32768, 64, count_media, &media, NULL);
	/* as verify reads the segments after a lost one: counted, then every chunk */
	ewf_replay_count(paths, &limit, 1, &chunks, NULL);
	ewf_replay(paths, &limit, 1, 32768, EWF_REPLAY_ALL, count_media, &media, NULL);
	close(fd);
	return 0;
}
