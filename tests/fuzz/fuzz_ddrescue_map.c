/*
 * fuzz_ddrescue_map.c - the GNU ddrescue mapfile parser, for windows of
 * several starts, sizes and units.
 */
#include "acquire/rescue/ddrescue_map.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct ddrescue_window windows[] = {
	    {0, 1U << 20, 1U << 20, true, 512},
	    {4096, 65536, 8192, false, 4096},
	    {0, 1, 1, true, 512},
	};

	for (size_t i = 0; i < sizeof(windows) / sizeof(windows[0]); i++) {
		struct ddrescue_window w = windows[i];
		struct cu_ranges missing = {0};

		acq_ddrescue_map_parse((const char *)data, size, "fuzz.map", &w, &missing, NULL);
		cu_ranges_free(&missing);
	}
	return 0;
}
