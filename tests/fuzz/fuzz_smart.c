/*
 * fuzz_smart.c - the reader of smartctl's JSON (source/smart.h) on
 * arbitrary bytes, and the advice it leads to, the input read as the
 * reading before and the reading after.
 */
#include <stdint.h>
#include <string.h>

#include "source/smart.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct smart_reading before = {.asked = true}, after = {.asked = true};
	char advice[256];

	if (smart_parse((const char *)data, size, &before.state, NULL) == CU_OK) {
		after.state = before.state;
		after.state.pending.value++;
		(void)smart_advice(&before, NULL, advice, sizeof(advice));
		(void)smart_advice(&before, &after, advice, sizeof(advice));
	}
	return 0;
}
