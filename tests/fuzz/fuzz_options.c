/*
 * fuzz_options.c - option values and text checks: every acquisition
 * setting's parser (and its formatter, which must parse back), sizes,
 * numbers, seconds, digest lists, the XML text check, path escaping, and
 * header2 text.  The first byte picks the setting.
 */
#include <stdlib.h>
#include <string.h>

#include "acquire/settings.h"
#include "container/ewf/ewf_head.h"
#include "lib/parse.h"
#include "lib/path.h"
#include "lib/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_setting(const struct acq_setting *s, const char *text)
{
	struct acq_options o, again;
	char *formatted;

	acq_settings_defaults(&o);
	if (acq_setting_parse(s, &o, text, "--fuzz", NULL) != CU_OK)
		return;
	formatted = acq_setting_format(s, &o);
	acq_settings_defaults(&again);
	if (formatted && s->kind != ACQ_KIND_FLAG &&
	    (acq_setting_parse(s, &again, formatted, "--fuzz", NULL) != CU_OK ||
	     !acq_setting_equal(s, &o, &again)))
		abort(); /* a value custos writes into BASE.resume must read back the same */
	free(formatted);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text;
	uint64_t v;
	double d;
	bool want[CU_HASH_COUNT];
	struct ewf_head head;

	if (size < 1)
		return 0;
	text = strndup((const char *)data + 1, size - 1);
	if (!text)
		return 0;
	fuzz_setting(&acq_settings[data[0] % acq_settings_count], text);
	cu_parse_size(&v, "--size", text, NULL);
	cu_parse_u64(&v, "--n", text, 0, UINT64_MAX, NULL);
	cu_parse_seconds(&d, "--s", text, NULL);
	cu_hash_parse_list(want, "--hash", text, NULL);
	cu_text_check_xml("--text", text, data[0] & 1, NULL);
	free(cu_path_escape(text));
	memset(&head, 0, sizeof(head));
	ewf_head_parse_header2(data, size, &head, NULL);
	ewf_head_free(&head);
	free(text);
	return 0;
}
