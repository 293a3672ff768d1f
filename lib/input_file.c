/*
 * input_file.c - non-blocking opens of regular files only.
 */
#include "lib/input_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

const char *cu_file_kind(mode_t mode)
{
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISSOCK(mode))
		return "a socket";
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	if (S_ISLNK(mode))
		return "a symbolic link";
	return "a regular file";
}

static int not_regular(const char *path, const char *what, mode_t mode, struct cu_error *err)
{
	return cu_error_set(err, CU_EUSAGE, "%s %s is %s, not a regular file", what, path,
	                    cu_file_kind(mode));
}

int cu_input_open(const char *path, const char *what, int *fd, struct cu_error *err)
{
	struct stat st;
	int f = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY), rc;

	if (f < 0)
		return cu_error_errno(err,
		                      errno == ENOENT || errno == EACCES ? CU_EUSAGE : CU_EFAIL,
		                      errno, "cannot open %s %s", what, path);
	if (fstat(f, &st) != 0) {
		rc = cu_error_errno(err, CU_EFAIL, errno, "cannot examine %s %s", what, path);
		close(f);
		return rc;
	}
	if (!S_ISREG(st.st_mode)) {
		close(f);
		return not_regular(path, what, st.st_mode, err);
	}
	fcntl(f, F_SETFL, fcntl(f, F_GETFL) & ~O_NONBLOCK);
	*fd = f;
	return CU_OK;
}

int cu_input_read(const char *path, const char *what, size_t max, char **data, size_t *len,
                  struct cu_error *err)
{
	struct stat st;
	size_t got = 0;
	char *buf;
	int fd, rc = cu_input_open(path, what, &fd, err);

	if (rc)
		return rc;
	if (fstat(fd, &st) != 0 || (uint64_t)st.st_size > max) {
		close(fd);
		return cu_error_set(err, CU_EUSAGE,
		                    "%s %s is larger than the %zu bytes custos reads", what, path,
		                    max);
	}
	buf = malloc((size_t)st.st_size + 1);
	while (buf && got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	if (!buf)
		return cu_error_set(err, CU_EFAIL, "out of memory");
	if (got != (size_t)st.st_size) {
		free(buf);
		return cu_error_set(err, CU_EFAIL, "cannot read %s %s", what, path);
	}
	buf[got] = '\0';
	*data = buf;
	*len = got;
	return CU_OK;
}

int cu_input_check_regular(const char *path, const char *what, struct cu_error *err)
{
	struct stat st;

	if (stat(path, &st) != 0)
		return errno == ENOENT ? CU_OK
		                       : cu_error_errno(err, CU_EUSAGE, errno,
		                                        "cannot examine %s %s", what, path);
	return S_ISREG(st.st_mode) ? CU_OK : not_regular(path, what, st.st_mode, err);
}
