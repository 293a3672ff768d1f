/*
 * hash_files.c - reading files in 1 MiB blocks into running digests.
 */
#include "lib/hash_files.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/input_file.h"

#define HASH_FILES_BUFFER (1U << 20)

static int hash_one(const char *path, struct cu_hash *h[CU_HASH_COUNT], uint8_t *buf,
                    struct cu_error *err)
{
	int fd, rc = cu_input_open(path, "the file", &fd, err);
	ssize_t n;

	if (rc)
		return rc;
	posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	while (!rc && (n = read(fd, buf, HASH_FILES_BUFFER)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = cu_error_errno(err, CU_EFAIL, errno, "%s: read failed", path);
			break;
		}
		for (int a = 0; a < CU_HASH_COUNT && !rc; a++)
			if (h[a])
				rc = cu_hash_update(h[a], buf, (size_t)n, err);
	}
	close(fd);
	return rc;
}

int cu_hash_files(const char *const *paths, size_t n, const bool want[CU_HASH_COUNT],
                  struct cu_digests *out, struct cu_error *err)
{
	struct cu_hash *h[CU_HASH_COUNT] = {NULL};
	uint8_t *buf = malloc(HASH_FILES_BUFFER);
	int rc = buf ? CU_OK : cu_error_set(err, CU_EFAIL, "out of memory");

	memset(out, 0, sizeof(*out));
	for (int a = 0; a < CU_HASH_COUNT && !rc; a++)
		if (want[a])
			rc = cu_hash_new(&h[a], a, err);
	for (size_t i = 0; i < n && !rc; i++)
		rc = hash_one(paths[i], h, buf, err);
	for (int a = 0; a < CU_HASH_COUNT; a++) {
		if (h[a] && !rc)
			rc = cu_hash_final(h[a], out, err);
		cu_hash_free(h[a]);
	}
	free(buf);
	return rc;
}
