/*
 * raw_output.c - writing plain images and clones.
 */
#include "acquire/dest/raw_output.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/output.h"
#include "lib/path.h"

struct acq_raw_output {
	char *target;
	bool device;
	uint64_t split; /* 0: one file */
	struct cu_file_set *files;
	struct cu_output *out; /* the file being written */
	uint64_t in_file;      /* bytes in it so far */
};

bool acq_raw_target_is_device(const char *target)
{
	struct stat st;

	return stat(target, &st) == 0 && S_ISBLK(st.st_mode);
}

/* BASE.raw, or BASE.001, BASE.002, ... when split; the device itself for a clone. */
static int raw_name(char *out, size_t cap, const struct acq_raw_output *o, size_t n,
                    struct cu_error *err)
{
	if (o->device)
		return cu_path_build(out, cap, err, "%s", o->target);
	if (o->split)
		return cu_path_build(out, cap, err, "%s.%03zu", o->target, n);
	return cu_path_build(out, cap, err, "%s.raw", o->target);
}

/* BASE.raw, BASE.001, BASE.002, ... (three or more digits) */
static int is_raw_extension(const char *ext)
{
	return !strcmp(ext, "raw") ||
	       (strlen(ext) >= 3 && strspn(ext, "0123456789") == strlen(ext));
}

int acq_raw_check_free(const char *base, struct cu_error *err)
{
	return cu_path_refuse_member(base, is_raw_extension, err);
}

static int raw_check_device(const char *target, uint64_t size, struct cu_error *err)
{
	int fd = open(target, O_RDONLY | O_CLOEXEC);
	uint64_t capacity = 0;

	if (fd < 0)
		return cu_error_errno(err, CU_EUSAGE, errno, "cannot open the target %s", target);
	if (ioctl(fd, BLKGETSIZE64, &capacity) != 0) {
		close(fd);
		return cu_error_errno(err, CU_EFAIL, errno, "%s: cannot read the device size",
		                      target);
	}
	close(fd);
	if (capacity < size)
		return cu_error_set(err, CU_EUSAGE,
		                    "the target %s holds %llu bytes, fewer than the source's %llu",
		                    target, (unsigned long long)capacity, (unsigned long long)size);
	return CU_OK;
}

/* Starts the next file of the set (or opens the device). */
static int raw_next_file(struct acq_raw_output *o, struct cu_error *err)
{
	char path[4096];
	size_t i = cu_file_set_count(o->files);
	int rc;

	if ((rc = raw_name(path, sizeof(path), o, i + 1, err)) ||
	    (rc = cu_file_set_add(o->files, path, o->device, err)))
		return rc;
	rc = o->device ? cu_output_open_device(&o->out, path, err)
	               : cu_output_create(&o->out, cu_file_set_write_path(o->files, i), err);
	if (rc)
		cu_file_set_drop_last(o->files);
	o->in_file = 0;
	return rc;
}

static int raw_seal(struct acq_raw_output *o, struct cu_error *err)
{
	uint8_t sha256[32];
	bool have = false;
	int rc;

	cu_file_set_set_size(o->files, cu_file_set_count(o->files) - 1, o->in_file);
	rc = cu_output_seal(o->out, sha256, &have, err);
	if (have)
		cu_file_set_set_sha256(o->files, cu_file_set_count(o->files) - 1, sha256);
	o->out = NULL;
	return rc;
}

int acq_raw_output_open(struct acq_raw_output **out, const char *target, uint64_t split,
                        uint64_t size, struct cu_error *err)
{
	struct acq_raw_output *o = calloc(1, sizeof(*o));
	int rc;

	if (!o || !(o->target = strdup(target)) || cu_file_set_new(&o->files, err)) {
		if (o)
			free(o->target);
		free(o);
		return cu_error_set(err, CU_EFAIL, "out of memory");
	}
	o->device = acq_raw_target_is_device(target);
	o->split = o->device ? 0 : split;
	rc = o->device ? raw_check_device(target, size, err) : acq_raw_check_free(target, err);
	if (!rc)
		rc = raw_next_file(o, err);
	if (rc) {
		acq_raw_output_free(o);
		return rc;
	}
	*out = o;
	return CU_OK;
}

int acq_raw_output_write(struct acq_raw_output *o, const uint8_t *data, size_t len,
                         struct cu_error *err)
{
	int rc;

	while (len > 0) {
		size_t take = len;

		if (o->split && o->in_file == o->split &&
		    ((rc = raw_seal(o, err)) || (rc = raw_next_file(o, err))))
			return rc;
		if (o->split && take > o->split - o->in_file)
			take = (size_t)(o->split - o->in_file);
		if ((rc = cu_output_write(o->out, data, take, err)))
			return rc;
		o->in_file += take;
		data += take;
		len -= take;
	}
	return CU_OK;
}

int acq_raw_output_finish(struct acq_raw_output *o, struct cu_error *err)
{
	int rc = raw_seal(o, err);

	return rc ? rc : cu_file_set_commit(o->files, false, err);
}

void acq_raw_output_abort(struct acq_raw_output *o)
{
	cu_output_discard(o->out);
	o->out = NULL;
	cu_file_set_abort(o->files);
}

const struct cu_file_set *acq_raw_output_files(const struct acq_raw_output *o)
{
	return o->files;
}

void acq_raw_output_free(struct acq_raw_output *o)
{
	if (!o)
		return;
	cu_output_discard(o->out);
	cu_file_set_free(o->files);
	free(o->target);
	free(o);
}
