/*
 * meta.c - filling and checking the case metadata.
 */
#include "lib/meta.h"

#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include "lib/text.h"
#include "lib/version.h"

void cu_meta_init(struct cu_meta *m)
{
	struct utsname u;

	memset(m, 0, sizeof(*m));
	if (uname(&u) == 0)
		snprintf(m->os, sizeof(m->os), "%.20s %.40s", u.sysname, u.release);
	else
		snprintf(m->os, sizeof(m->os), "Linux");
	snprintf(m->software, sizeof(m->software), "custos %s", CUSTOS_VERSION);
}

int cu_meta_check_field(const char *opt, const char *value, struct cu_error *err)
{
	if (!cu_text_is_utf8(value))
		return cu_error_set(err, CU_EUSAGE, "%s: the text is not valid UTF-8", opt);
	for (const unsigned char *p = (const unsigned char *)value; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return cu_error_set(err, CU_EUSAGE,
			                    "%s: tabs, line breaks and control characters cannot "
			                    "be stored in an E01 header",
			                    opt);
	if (cu_text_length(value) > CU_META_FIELD_MAX_CHARS)
		return cu_error_set(err, CU_EUSAGE,
		                    "%s: longer than the %d characters EnCase reads", opt,
		                    CU_META_FIELD_MAX_CHARS);
	return CU_OK;
}

const char *cu_meta_text(const char *field)
{
	return field ? field : "";
}
