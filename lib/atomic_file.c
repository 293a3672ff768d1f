/*
 * atomic_file.c - unique temporary, fsync, rename, directory sync.
 *
 * The temporary file is PATH.XXXXXX.tmp, made by mkostemps with O_EXCL, so
 * it never follows a link and never shares a name with another process's.
 * Creating without replacing uses renameat2(RENAME_NOREPLACE), and where
 * the file system lacks it, link(2), which also refuses an existing name.
 */
#include "lib/atomic_file.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/path.h"

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

int cu_file_check_absent(const char *path, const char *what, struct cu_error *err)
{
	struct stat st;

	if (lstat(path, &st) == 0)
		return cu_error_set(err, CU_EUSAGE,
		                    "%s%s%s already exists: custos never overwrites it", what,
		                    what[0] ? " " : "", path);
	if (errno != ENOENT)
		return cu_error_errno(err, CU_EUSAGE, errno, "cannot examine %s", path);
	return CU_OK;
}

/* A target to replace must be absent or a regular file, not a link. */
int cu_file_check_replaceable(const char *path, struct cu_error *err)
{
	struct stat st;

	if (lstat(path, &st) != 0)
		return errno == ENOENT
		           ? CU_OK
		           : cu_error_errno(err, CU_EUSAGE, errno, "cannot examine %s", path);
	if (S_ISLNK(st.st_mode))
		return cu_error_set(err, CU_EUSAGE,
		                    "%s is a symbolic link: custos never writes through a link",
		                    path);
	if (!S_ISREG(st.st_mode))
		return cu_error_set(err, CU_EUSAGE, "%s is not a regular file", path);
	return CU_OK;
}

static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Writes the data into a new unique temporary beside `path`; its name into *tmp. */
static int write_temporary(const char *path, const void *data, size_t len, mode_t mode, char **tmp,
                           struct cu_error *err)
{
	int fd, rc = CU_OK;

	*tmp = cu_path_suffixed(path, ".XXXXXX.tmp");
	if (!*tmp)
		return cu_error_set(err, CU_EFAIL, "out of memory");
	fd = mkostemps(*tmp, 4, O_CLOEXEC);
	if (fd < 0) {
		rc = cu_error_errno(err, CU_EFAIL, errno,
		                    "cannot create a temporary file beside %s", path);
		free(*tmp);
		*tmp = NULL;
		return rc;
	}
	if (write_all(fd, data, len) != 0 || fchmod(fd, mode) != 0 || fsync(fd) != 0)
		rc = cu_error_errno(err, CU_EFAIL, errno == 0 ? EIO : errno, "cannot write %s",
		                    *tmp);
	if (close(fd) != 0 && !rc)
		rc = cu_error_errno(err, CU_EFAIL, errno, "cannot write %s", *tmp);
	if (rc) {
		unlink(*tmp);
		free(*tmp);
		*tmp = NULL;
	}
	return rc;
}

int cu_rename_new(const char *from, const char *to, struct cu_error *err)
{
	if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
		return CU_OK;
	if (errno == EINVAL || errno == ENOSYS) { /* no RENAME_NOREPLACE here */
		if (link(from, to) == 0) {
			unlink(from);
			return CU_OK;
		}
	}
	if (errno == EEXIST)
		return cu_error_set(err, CU_EUSAGE, "%s already exists: custos never overwrites it",
		                    to);
	return cu_error_errno(err, CU_EFAIL, errno, "cannot rename %s to %s", from, to);
}

static int install(const char *path, const void *data, size_t len, mode_t mode, int replace,
                   struct cu_error *err)
{
	char *tmp = NULL;
	int rc =
	    replace ? cu_file_check_replaceable(path, err) : cu_file_check_absent(path, "", err);

	if (!rc)
		rc = write_temporary(path, data, len, mode, &tmp, err);
	if (rc)
		return rc;
	if (replace && rename(tmp, path) != 0)
		rc = cu_error_errno(err, CU_EFAIL, errno, "cannot replace %s", path);
	else if (!replace)
		rc = cu_rename_new(tmp, path, err);
	if (rc)
		unlink(tmp);
	free(tmp);
	return rc ? rc : cu_fsync_parent(path, err);
}

int cu_file_replace(const char *path, const void *data, size_t len, mode_t mode,
                    struct cu_error *err)
{
	return install(path, data, len, mode, 1, err);
}

int cu_file_create(const char *path, const void *data, size_t len, mode_t mode,
                   struct cu_error *err)
{
	return install(path, data, len, mode, 0, err);
}

int cu_file_replace_printed(const char *path, mode_t mode, void (*print)(FILE *f, const void *ctx),
                            const void *ctx, struct cu_error *err)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int rc;

	if (!f)
		return cu_error_set(err, CU_EFAIL, "out of memory");
	print(f, ctx);
	if (fclose(f) != 0) {
		free(text);
		return cu_error_set(err, CU_EFAIL, "out of memory");
	}
	rc = cu_file_replace(path, text, len, mode, err);
	free(text);
	return rc;
}
