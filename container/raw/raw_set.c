/*
 * raw_set.c - finding the files of a raw image from any one of them.
 *
 * A name whose extension is a part number (three digits or more, written
 * as acquire writes it: %03u) is a part of a split image: the parts are
 * taken from BASE.001 for as long as the next one exists.  The directory is
 * then read once for a part with a higher number, which would mean a part
 * is missing from the middle.  Any other name is a set of one file.
 */
#include "container/raw/raw_set.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/grow.h"
#include "lib/input_file.h"

/* The part number of `path` (0: not a part, or not written as acquire writes it). */
static unsigned long raw_part_number(const char *path, size_t *stem)
{
	const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
	char again[32];
	unsigned long n;

	if (!dot || (slash && dot < slash) || strlen(dot + 1) < 3 || strlen(dot + 1) > 9 ||
	    strspn(dot + 1, "0123456789") != strlen(dot + 1))
		return 0;
	n = strtoul(dot + 1, NULL, 10);
	snprintf(again, sizeof(again), "%03lu", n);
	*stem = (size_t)(dot - path);
	return strcmp(again, dot + 1) ? 0 : n;
}

static int raw_set_add(struct raw_set *s, size_t *cap, char *name, struct cu_error *err)
{
	uint64_t *sizes;

	if (cu_grow(&s->names, cap, s->n, sizeof(*s->names)) ||
	    !(sizes = realloc(s->sizes, *cap * sizeof(*sizes)))) {
		free(name);
		return cu_error_set(err, CU_EFAIL, "out of memory");
	}
	s->sizes = sizes;
	s->names[s->n++] = name;
	return CU_OK;
}

/* The highest part number beside the stem `base` (the directory read once). */
static unsigned long raw_highest_part(const char *base)
{
	const char *slash = strrchr(base, '/');
	char *dir = slash ? strndup(base, (size_t)(slash - base + 1)) : strdup(".");
	const char *prefix = slash ? slash + 1 : base;
	DIR *d = dir ? opendir(dir) : NULL;
	struct dirent *e;
	unsigned long high = 0, n;
	size_t stem;

	while (d && (e = readdir(d)))
		if (!strncmp(e->d_name, prefix, strlen(prefix)) &&
		    (n = raw_part_number(e->d_name, &stem)) && stem == strlen(prefix) && n > high)
			high = n;
	if (d)
		closedir(d);
	free(dir);
	return high;
}

/* BASE.001, BASE.002, ... as far as they go; a later part beyond a gap is named. */
static int raw_set_parts(struct raw_set *s, const char *path, size_t stem, struct cu_error *err)
{
	char *base = strndup(path, stem), *name;
	unsigned long high;
	size_t cap = 0;
	struct stat st;
	int rc = base ? CU_OK : cu_error_set(err, CU_EFAIL, "out of memory");

	s->numbered = true;
	for (unsigned long i = 1; !rc; i++) {
		if (!(name = malloc(stem + 16))) {
			rc = cu_error_set(err, CU_EFAIL, "out of memory");
			break;
		}
		snprintf(name, stem + 16, "%s.%03lu", base, i);
		if (lstat(name, &st) != 0) {
			if (i == 1)
				rc = cu_error_set(err, CU_EFAIL,
				                  "%s: damaged: the first file of its set, %s, is "
				                  "missing",
				                  path, name);
			free(name);
			break;
		}
		rc = raw_set_add(s, &cap, name, err);
	}
	if (!rc && (high = raw_highest_part(base)) > s->n)
		snprintf(s->gap, sizeof(s->gap),
		         "%s.%03zu is missing: the set's files stop at %s, but %s.%03lu follows",
		         base, s->n + 1, s->names[s->n - 1], base, high);
	free(base);
	return rc;
}

int raw_set_find(struct raw_set *s, const char *path, struct cu_error *err)
{
	size_t stem = 0, cap = 0;
	char *one;
	int rc;

	memset(s, 0, sizeof(*s));
	if (raw_part_number(path, &stem))
		rc = raw_set_parts(s, path, stem, err);
	else
		rc = (one = strdup(path)) ? raw_set_add(s, &cap, one, err)
		                          : cu_error_set(err, CU_EFAIL, "out of memory");
	for (size_t i = 0; !rc && i < s->n; i++) {
		struct stat st;
		int fd;

		if ((rc = cu_input_open(s->names[i], "the raw image", &fd, err)))
			break;
		if (fstat(fd, &st) != 0)
			rc = cu_error_errno(err, CU_EFAIL, errno, "cannot examine %s", s->names[i]);
		close(fd);
		s->sizes[i] = rc ? 0 : (uint64_t)st.st_size;
		s->size += s->sizes[i];
	}
	if (rc)
		raw_set_free(s);
	return rc;
}

void raw_set_free(struct raw_set *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->names[i]);
	free(s->names);
	free(s->sizes);
	memset(s, 0, sizeof(*s));
}
