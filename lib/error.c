/*
 * error.c - filling a struct cu_error.
 *
 * Messages are truncated, never overflowed; a NULL error pointer is allowed so
 * that callers which only want the code need not provide one.
 */
#include "lib/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void error_vformat(struct cu_error *err, const char *fmt, va_list ap)
{
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
}

int cu_error_set(struct cu_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	va_start(ap, fmt);
	error_vformat(err, fmt, ap);
	va_end(ap);
	return code;
}

int cu_error_errno(struct cu_error *err, int code, int errnum, const char *fmt, ...)
{
	va_list ap;
	size_t used;

	if (!err)
		return code;
	err->code = code;
	va_start(ap, fmt);
	error_vformat(err, fmt, ap);
	va_end(ap);
	used = strlen(err->msg);
	snprintf(err->msg + used, sizeof(err->msg) - used, ": %s", strerror(errnum));
	return code;
}

int cu_error_prefix(struct cu_error *err, const char *fmt, ...)
{
	char prefix[CU_ERROR_MSG_MAX], old[CU_ERROR_MSG_MAX];
	va_list ap;

	if (!err)
		return CU_EFAIL;
	memcpy(old, err->msg, sizeof(old));
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	snprintf(err->msg, sizeof(err->msg), "%s%s", prefix, old);
	return err->code;
}
