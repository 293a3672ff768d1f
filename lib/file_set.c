/*
 * file_set.c - creating, committing and removing a set of output files.
 */
#include "lib/file_set.h"

#include "lib/atomic_file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/grow.h"

struct set_file {
	char *path;    /* final name */
	char *partial; /* name while written; NULL for a device */
	uint64_t size;
	bool renamed;
	bool have_sha256;
	uint8_t sha256[32];
};

struct cu_file_set {
	struct set_file *files;
	size_t n, cap;
};

int cu_file_set_new(struct cu_file_set **out, struct cu_error *err)
{
	*out = calloc(1, sizeof(**out));
	return *out ? CU_OK : cu_error_set(err, CU_EFAIL, "out of memory");
}

void cu_file_set_free(struct cu_file_set *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++) {
		free(s->files[i].path);
		free(s->files[i].partial);
	}
	free(s->files);
	free(s);
}

int cu_file_set_add(struct cu_file_set *s, const char *path, bool device, struct cu_error *err)
{
	struct set_file *f;
	size_t len = strlen(path) + sizeof(CU_PARTIAL_SUFFIX);

	if (cu_grow(&s->files, &s->cap, s->n, sizeof(*s->files)))
		return cu_error_set(err, CU_EFAIL, "out of memory");
	f = &s->files[s->n];
	memset(f, 0, sizeof(*f));
	f->path = strdup(path);
	if (!device && (f->partial = malloc(len)))
		snprintf(f->partial, len, "%s%s", path, CU_PARTIAL_SUFFIX);
	if (!f->path || (!device && !f->partial)) {
		free(f->path);
		free(f->partial);
		return cu_error_set(err, CU_EFAIL, "out of memory");
	}
	s->n++;
	return CU_OK;
}

void cu_file_set_drop_last(struct cu_file_set *s)
{
	if (s->n == 0)
		return;
	s->n--;
	free(s->files[s->n].path);
	free(s->files[s->n].partial);
}

const char *cu_file_set_write_path(const struct cu_file_set *s, size_t i)
{
	return s->files[i].partial ? s->files[i].partial : s->files[i].path;
}

size_t cu_file_set_count(const struct cu_file_set *s)
{
	return s->n;
}

const char *cu_file_set_path(const struct cu_file_set *s, size_t i)
{
	return i < s->n ? s->files[i].path : NULL;
}

uint64_t cu_file_set_size(const struct cu_file_set *s, size_t i)
{
	return s->files[i].size;
}

void cu_file_set_set_size(struct cu_file_set *s, size_t i, uint64_t size)
{
	s->files[i].size = size;
}

void cu_file_set_set_sha256(struct cu_file_set *s, size_t i, const uint8_t sha256[32])
{
	memcpy(s->files[i].sha256, sha256, 32);
	s->files[i].have_sha256 = true;
}

const uint8_t *cu_file_set_sha256(const struct cu_file_set *s, size_t i)
{
	return s->files[i].have_sha256 ? s->files[i].sha256 : NULL;
}

int cu_file_set_commit(struct cu_file_set *s, bool replace, struct cu_error *err)
{
	const char *last = NULL;
	int rc;

	for (size_t i = 0; i < s->n; i++) {
		struct set_file *f = &s->files[i];

		if (!f->partial)
			continue;
		if (replace && rename(f->partial, f->path) != 0)
			return cu_error_errno(err, CU_EFAIL, errno, "cannot rename %s", f->partial);
		if (!replace && (rc = cu_rename_new(f->partial, f->path, err)))
			return rc;
		f->renamed = true;
		last = f->path;
	}
	return last ? cu_fsync_parent(last, err) : CU_OK;
}

void cu_file_set_abort(struct cu_file_set *s)
{
	const char *last = NULL;

	for (size_t i = 0; i < s->n; i++) {
		struct set_file *f = &s->files[i];

		if (!f->partial)
			continue;
		unlink(f->renamed ? f->path : f->partial);
		last = f->path;
	}
	if (last)
		cu_fsync_parent(last, NULL);
}
