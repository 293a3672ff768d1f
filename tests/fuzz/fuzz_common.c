/*
 * fuzz_common.c - a memfd per input, or a named file where a reader needs
 * one; and the TSA CA the time-stamp targets check against.
 */
#include "tests/fuzz/fuzz_common.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report/tsa.h"

int fuzz_memfd(const uint8_t *data, size_t size, char path[64])
{
	int fd = memfd_create("custos-fuzz", MFD_CLOEXEC);
	size_t done = 0;

	if (fd < 0)
		return -1;
	while (done < size) {
		ssize_t n = write(fd, data + done, size - done);

		if (n <= 0) {
			close(fd);
			return -1;
		}
		done += (size_t)n;
	}
	snprintf(path, 64, "/proc/self/fd/%d", fd);
	return fd;
}

/* Makes (or finds) this process's directory under `top`; 0 when usable. */
static int fuzz_dir_make(const char *top, char *dir, size_t cap)
{
	int n = snprintf(dir, cap, "%s/custos-fuzz-%d", top, (int)getpid());

	if (n < 0 || (size_t)n >= cap)
		return -1;
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return -1;
	return access(dir, W_OK);
}

static void fuzz_die(const char *what, const char *path)
{
	fprintf(stderr, "fuzz: cannot %s %s: %s\n", what, path, strerror(errno));
	abort();
}

void fuzz_named_file(const uint8_t *data, size_t size, const char *name, char *path, size_t cap)
{
	const char *tmp = getenv("TMPDIR");
	char dir[512];
	FILE *f;
	int n;

	if (fuzz_dir_make("/dev/shm", dir, sizeof(dir)) != 0 &&
	    fuzz_dir_make(tmp && *tmp ? tmp : "/tmp", dir, sizeof(dir)) != 0)
		fuzz_die("make a directory for the input in", "/dev/shm, TMPDIR or /tmp");
	n = snprintf(path, cap, "%s/%s", dir, name);
	if (n < 0 || (size_t)n >= cap)
		fuzz_die("name a file in", dir);
	f = fopen(path, "wb");
	if (!f)
		fuzz_die("create", path);
	if (fwrite(data, 1, size, f) != size || fclose(f) != 0)
		fuzz_die("write", path);
}

struct tsa_trust *fuzz_tsa_trust(void)
{
	static struct tsa_trust *trust;
	static int tried;
	const char *ca = getenv("CUSTOS_FUZZ_TSA_CA");

	if (!tried++ && ca && tsa_trust_load(&trust, ca, NULL))
		abort(); /* a CA that cannot be loaded tests nothing: say so */
	return trust;
}
