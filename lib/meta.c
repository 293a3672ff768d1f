/*
 * meta.c - filling and checking the case metadata.
 */
#include "lib/meta.h"

#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

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
	int rc;

	if (strpbrk(value, "\t\r\n"))
		return cu_error_set(err, CU_EUSAGE,
		                    "%s: tabs and line breaks cannot be stored in an E01 header",
		                    opt);
	if ((rc = cu_text_check_xml(opt, value, false, err)))
		return rc;
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

const char *cu_meta_user(void)
{
	struct passwd *pw = getpwuid(getuid());

	return pw && pw->pw_name ? pw->pw_name : "unknown";
}
