/*
 * path.c - evidence set names, checked path building, lossless escaping.
 */
#include "lib/path.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/text.h"

int cu_path_build(char *out, size_t cap, struct cu_error *err, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(out, cap, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= cap)
		return cu_error_set(err, CU_EUSAGE,
		                    "a path is longer than the %zu bytes allowed: %.80s...",
		                    cap - 1, out);
	return CU_OK;
}

char *cu_path_suffixed(const char *base, const char *suffix)
{
	size_t a = strlen(base), b = strlen(suffix);
	char *p = malloc(a + b + 1);

	if (p) {
		memcpy(p, base, a);
		memcpy(p + a, suffix, b + 1);
	}
	return p;
}

char *cu_path_absolute(const char *path)
{
	char *cwd, *out;
	size_t a, b;

	if (path[0] == '/')
		return strdup(path);
	while (path[0] == '.' && path[1] == '/')
		for (path += 2; *path == '/';)
			path++;
	if (!(cwd = getcwd(NULL, 0)))
		return NULL;
	a = strlen(cwd);
	b = strlen(path);
	out = malloc(a + 1 + b + 1);
	if (out) {
		memcpy(out, cwd, a);
		out[a] = '/';
		memcpy(out + a + 1, path, b + 1);
		if (b == 0 || (b == 1 && path[0] == '.'))
			out[a + (a > 1)] = '\0'; /* the directory itself */
	}
	free(cwd);
	return out;
}

int cu_path_member_extension(const char *ext)
{
	size_t len = strlen(ext);
	bool digits = len >= 2 && strspn(ext + 1, "0123456789") == len - 1;

	if (!strcmp(ext, "raw") || !strcmp(ext, "aff4") ||
	    (len >= 3 && strspn(ext, "0123456789") == len))
		return 1;
	if (len != 3)
		return 0;
	if (digits)
		return ext[0] == 'E' || ext[0] == 'e' || ext[0] == 's';
	if (ext[0] >= 'E' && ext[0] <= 'Z' && ext[1] >= 'A' && ext[1] <= 'Z' && ext[2] >= 'A' &&
	    ext[2] <= 'Z')
		return 1;
	return (ext[0] == 'e' || ext[0] == 's') && ext[1] >= 'a' && ext[1] <= 'z' &&
	       ext[2] >= 'a' && ext[2] <= 'z';
}

char *cu_path_set_base(const char *evidence_or_base)
{
	const char *dot = strrchr(evidence_or_base, '.'), *slash = strrchr(evidence_or_base, '/');
	size_t len = strlen(evidence_or_base);
	char *base;

	if (dot && (!slash || dot > slash) && cu_path_member_extension(dot + 1))
		len = (size_t)(dot - evidence_or_base);
	base = malloc(len + 1);
	if (base) {
		memcpy(base, evidence_or_base, len);
		base[len] = '\0';
	}
	return base;
}

char *cu_path_custody_log(const char *evidence_or_base)
{
	char *base = cu_path_set_base(evidence_or_base);
	char *log = base ? cu_path_suffixed(base, CU_CUSTODY_SUFFIX) : NULL;

	free(base);
	return log;
}

char *cu_path_resume_file(const char *base)
{
	return cu_path_suffixed(base, CU_RESUME_SUFFIX);
}

/* Whether `name` is PREFIX.EXT or PREFIX.EXT.partial with a member EXT. */
static int is_member_name(const char *name, const char *prefix, int (*is_member)(const char *))
{
	size_t n = strlen(prefix), len;
	char ext[256];

	if (strncmp(name, prefix, n) != 0 || name[n] != '.')
		return 0;
	len = strlen(name + n + 1);
	if (len > strlen(CU_PARTIAL_SUFFIX) &&
	    !strcmp(name + n + 1 + len - strlen(CU_PARTIAL_SUFFIX), CU_PARTIAL_SUFFIX))
		len -= strlen(CU_PARTIAL_SUFFIX);
	if (len >= sizeof(ext))
		return 0;
	memcpy(ext, name + n + 1, len);
	ext[len] = '\0';
	return is_member(ext);
}

int cu_path_find_member(const char *base, int (*is_member)(const char *ext), char *found,
                        size_t cap, struct cu_error *err)
{
	const char *slash = strrchr(base, '/');
	char *dir = slash ? strndup(base, slash == base ? 1 : (size_t)(slash - base)) : strdup(".");
	struct dirent *de;
	DIR *d = dir ? opendir(dir) : NULL;
	int hit = 0;

	if (!d) {
		cu_error_errno(err, CU_EUSAGE, dir ? errno : ENOMEM,
		               "cannot read the directory of the target %s", base);
		free(dir);
		return -CU_EUSAGE;
	}
	while (!hit && (de = readdir(d)) != NULL)
		if (is_member_name(de->d_name, slash ? slash + 1 : base, is_member))
			hit = cu_path_build(found, cap, err, "%s%s%s", slash ? dir : "",
			                    slash && slash != base ? "/" : "", de->d_name)
			          ? -CU_EUSAGE
			          : 1;
	closedir(d);
	free(dir);
	return hit;
}

int cu_path_refuse_member(const char *base, int (*is_member)(const char *ext), struct cu_error *err)
{
	char found[4096];
	int hit = cu_path_find_member(base, is_member, found, sizeof(found), err);

	if (hit < 0)
		return -hit;
	if (hit)
		return cu_error_set(err, CU_EUSAGE,
		                    "%s already exists: custos never overwrites evidence", found);
	return CU_OK;
}

char *cu_path_escape(const char *path)
{
	const unsigned char *p = (const unsigned char *)path;
	char *out = malloc(4 * strlen(path) + 1), *o = out;

	if (!out)
		return NULL;
	while (*p) {
		size_t n = cu_text_xml_char_length((const char *)p);

		if (*p == '\\') {
			*o++ = '\\';
			*o++ = '\\';
			p++;
		} else if (n == 0) {
			o += sprintf(o, "\\x%02x", *p);
			p++;
		} else {
			memcpy(o, p, n);
			o += n;
			p += n;
		}
	}
	*o = '\0';
	return out;
}
