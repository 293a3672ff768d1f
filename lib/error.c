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

__attribute__((format(printf, 3, 0))) static int error_vset(struct cu_error *err, int code,
                                                            const char *fmt, va_list ap)
{
	if (err) {
		err->code = code;
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	}
	return code;
}

int cu_error_set(struct cu_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	error_vset(err, code, fmt, ap);
	va_end(ap);
	return code;
}

int cu_error_errno(struct cu_error *err, int code, int errnum, const char *fmt, ...)
{
	va_list ap;
	size_t used;

	va_start(ap, fmt);
	error_vset(err, code, fmt, ap);
	va_end(ap);
	if (err) {
		used = strlen(err->msg);
		snprintf(err->msg + used, sizeof(err->msg) - used, ": %s", strerror(errnum));
	}
	return code;
}

int cu_error_prefix(struct cu_error *err, const char *fmt, ...)
{
	char prefix[CU_ERROR_MSG_MAX];
	size_t plen, olen;
	va_list ap;

	if (!err)
		return CU_EFAIL;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	plen = strlen(prefix);
	olen = strnlen(err->msg, sizeof(err->msg) - 1);
	if (plen + olen > sizeof(err->msg) - 1)
		olen = sizeof(err->msg) - 1 - plen;
	memmove(err->msg + plen, err->msg, olen);
	memcpy(err->msg, prefix, plen);
	err->msg[plen + olen] = '\0';
	return err->code;
}

int cu_error_suffix(struct cu_error *err, const char *fmt, ...)
{
	size_t used;
	va_list ap;

	if (!err)
		return CU_EFAIL;
	used = strnlen(err->msg, sizeof(err->msg) - 1);
	va_start(ap, fmt);
	vsnprintf(err->msg + used, sizeof(err->msg) - used, fmt, ap);
	va_end(ap);
	return err->code;
}
