/*
 * fuzz_report_html.c - the report laid out for people (report/html.c) on
 * arbitrary bytes as the report: the XML parsed, every text and attribute
 * made visible (controls, bidirectional overrides), the case label escaped
 * for CSS, the stylesheet applied, and the map taken out alone.  The
 * report is custos' own, but everything in it came from a custody log and
 * another tool's headers.
 */
#include <stdint.h>
#include <stdlib.h>

#include "report/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *out = NULL;
	size_t len = 0;

	if (size > (1U << 20))
		return 0;
	if (report_html((const char *)data, size, &out, &len, NULL) == CU_OK)
		free(out);
	out = NULL;
	if (report_map((const char *)data, size, &out, &len, NULL) == CU_OK)
		free(out);
	return 0;
}
