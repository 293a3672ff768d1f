/*
 * claim.c - NAME.claim, locked while a custos writes under NAME.
 */
#include "lib/claim.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/path.h"

struct cu_claim {
	char *path;
	int fd;
};

/* The lock is held on the file the path still names: 1 yes, 0 removed meanwhile, -1 error. */
static int claim_is_current(const char *path, int fd)
{
	struct stat held, now;

	if (fstat(fd, &held) != 0)
		return -1;
	if (lstat(path, &now) != 0)
		return errno == ENOENT ? 0 : -1;
	return held.st_dev == now.st_dev && held.st_ino == now.st_ino;
}

static int claim_lock(struct cu_claim *c, const char *name, const char *what, struct cu_error *err)
{
	for (int tries = 0; tries < 100; tries++) {
		int current;

		c->fd = open(c->path, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0644);
		if (c->fd < 0)
			return cu_error_errno(err, CU_EUSAGE, errno,
			                      "cannot claim %s for %s (%s: a link, or no write "
			                      "permission?)",
			                      name, what, c->path);
		if (flock(c->fd, LOCK_EX | LOCK_NB) != 0) {
			int e = errno;

			close(c->fd);
			return e == EWOULDBLOCK
			           ? cu_error_set(err, CU_EUSAGE,
			                          "another custos is writing under %s now (%s is "
			                          "locked): refused before anything was written",
			                          name, c->path)
			           : cu_error_errno(err, CU_EFAIL, e, "cannot lock %s", c->path);
		}
		if ((current = claim_is_current(c->path, c->fd)) == 1)
			return CU_OK;
		close(c->fd);
		if (current < 0)
			return cu_error_errno(err, CU_EFAIL, errno, "cannot check the claim %s",
			                      c->path);
	}
	return cu_error_set(err, CU_EFAIL, "cannot hold the claim %s: it keeps being removed",
	                    c->path);
}

int cu_claim_take(struct cu_claim **out, const char *name, const char *what, struct cu_error *err)
{
	struct cu_claim *c = calloc(1, sizeof(*c));
	int rc;

	*out = NULL;
	if (!c || !(c->path = cu_path_suffixed(name, CU_CLAIM_SUFFIX))) {
		free(c);
		return cu_error_set(err, CU_EFAIL, "out of memory");
	}
	if ((rc = claim_lock(c, name, what, err))) {
		free(c->path);
		free(c);
		return rc;
	}
	*out = c;
	return CU_OK;
}

void cu_claim_release(struct cu_claim *c)
{
	if (!c)
		return;
	unlink(c->path); /* while still locked: a waiting claimant sees it gone and tries again */
	close(c->fd);
	free(c->path);
	free(c);
}
