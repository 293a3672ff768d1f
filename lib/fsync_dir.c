/*
 * fsync_dir.c - syncing the directory of a path.
 */
#include "lib/fsync_dir.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int cu_fsync_parent(const char *path, struct cu_error *err)
{
	char *copy = strdup(path);
	int fd, rc = CU_OK;

	if (!copy)
		return cu_error_set(err, CU_EFAIL, "out of memory");
	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fsync(fd) != 0)
		rc = cu_error_errno(err, CU_EFAIL, errno, "cannot sync the directory of %s", path);
	if (fd >= 0)
		close(fd);
	free(copy);
	return rc;
}
