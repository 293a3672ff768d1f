/*
 * target.c - where the target lies, compared with where the source lies.
 *
 * The target's device is the block device itself for a device target, or
 * the device of the file system holding the target's directory.  Both it
 * and the source are reduced to their whole disks through sysfs, so that a
 * partition of the source disk is refused as much as the disk itself.
 */
#include "acquire/target.h"

#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static dev_t whole_disk(dev_t dev, const char *sysfs)
{
	struct source_device_info info;

	if (source_device_info_read(&info, dev, sysfs) != 0 || info.disk == 0)
		return dev;
	return info.disk;
}

/* The device the target writes to: itself, or its directory's file system. */
static int target_device(const char *target, dev_t *dev, struct stat *self, struct cu_error *err)
{
	char *copy;
	struct stat st;
	int rc = CU_OK;

	memset(self, 0, sizeof(*self));
	if (stat(target, self) == 0 && S_ISBLK(self->st_mode)) {
		*dev = self->st_rdev;
		return CU_OK;
	}
	copy = strdup(target);
	if (!copy)
		return cu_error_set(err, CU_EFAIL, "out of memory");
	if (stat(dirname(copy), &st) != 0)
		rc = cu_error_errno(err, CU_EUSAGE, errno, "the target directory of %s", target);
	else
		*dev = st.st_dev;
	free(copy);
	return rc;
}

int acq_target_check(const char *target, const struct source_info *src, const char *sysfs,
                     struct cu_error *err)
{
	struct stat self;
	dev_t tdev = 0;
	int rc = target_device(target, &tdev, &self, err);

	if (rc)
		return rc;
	if (!sysfs)
		sysfs = "/sys";
	if (!src->is_device) {
		if (S_ISREG(self.st_mode) && self.st_dev == src->device &&
		    self.st_ino == src->inode)
			return cu_error_set(err, CU_EUSAGE, "the target %s is the source itself",
			                    target);
		return CU_OK;
	}
	if (tdev == src->device || whole_disk(tdev, sysfs) == whole_disk(src->device, sysfs))
		return cu_error_set(err, CU_EUSAGE,
		                    "the target %s lies on the source %s: evidence is never "
		                    "written to the medium it comes from",
		                    target, src->path);
	return CU_OK;
}
