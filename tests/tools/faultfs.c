/*
 * faultfs.c - a medium that fails the way dying drives do, for tests.
 *
 * usage: faultfs BACKING MOUNTPOINT [--sector-size N] [--bad A[-B],...]
 *                [--flaky S[-T]:N,...] [--slow A[-B]:MS,...] [--dies-after N]
 *                [--log FILE] [FUSE options]
 *
 * Serves MOUNTPOINT/medium, the bytes of BACKING, through FUSE with direct
 * I/O (no kernel cache, so every read reaches this program).  A read that
 * touches a bad sector fails with EIO; one that touches a flaky sector
 * fails until that sector has failed N times, then reads; one that touches a
 * slow sector first sleeps MS milliseconds.  Sectors are numbered in units
 * of --sector-size (512).  Reads are served one at a time, so the counts
 * are exact.  As root, a loop device with --direct-io=on over the medium
 * turns it into a failing block device.
 *
 * --dies-after N: after N reads, every read fails, as a drive that stops
 * answering.  --log FILE: every read served is appended to FILE as one line,
 * "OFFSET SIZE ok" or "OFFSET SIZE EIO", written at once, so that a test
 * counts the failed reads (per unreadable sector) a tool spent.
 */
#define FUSE_USE_VERSION 31

#include <errno.h>
#include <fcntl.h>
#include <fuse.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define RULES_MAX 256

struct rule {
	uint64_t first, last; /* sectors, inclusive */
	long value;           /* flaky: failures left; slow: milliseconds */
};

struct faultfs {
	int fd;
	uint64_t size;
	uint32_t sector;
	struct rule bad[RULES_MAX], flaky[RULES_MAX], slow[RULES_MAX];
	int n_bad, n_flaky, n_slow;
	uint64_t reads, dies_after; /* reads served; 0: never dies */
	FILE *log;
};

static struct faultfs *fs_state(void)
{
	return fuse_get_context()->private_data;
}

/* Parses "A[-B][:V],..." into rules; returns -1 on a syntax error. */
static int parse_rules(const char *text, struct rule *rules, int *n, int want_value)
{
	const char *p = text;

	while (*p) {
		struct rule r;
		char *end;

		r.first = strtoull(p, &end, 10);
		if (end == p)
			return -1;
		r.last = r.first;
		p = end;
		if (*p == '-') {
			r.last = strtoull(p + 1, &end, 10);
			if (end == p + 1 || r.last < r.first)
				return -1;
			p = end;
		}
		r.value = 0;
		if (want_value) {
			if (*p != ':')
				return -1;
			r.value = strtol(p + 1, &end, 10);
			if (end == p + 1 || r.value < 0)
				return -1;
			p = end;
		}
		if (*n == RULES_MAX)
			return -1;
		rules[(*n)++] = r;
		if (*p == ',')
			p++;
		else if (*p)
			return -1;
	}
	return 0;
}

static int overlaps(const struct rule *r, uint64_t first, uint64_t last)
{
	return r->first <= last && first <= r->last;
}

static int fs_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
{
	(void)fi;
	memset(st, 0, sizeof(*st));
	if (strcmp(path, "/") == 0) {
		st->st_mode = S_IFDIR | 0755;
		st->st_nlink = 2;
		return 0;
	}
	if (strcmp(path, "/medium") == 0) {
		st->st_mode = S_IFREG | 0444;
		st->st_nlink = 1;
		st->st_size = (off_t)fs_state()->size;
		return 0;
	}
	return -ENOENT;
}

static int fs_readdir(const char *path, void *buf, fuse_fill_dir_t fill, off_t off,
                      struct fuse_file_info *fi, enum fuse_readdir_flags flags)
{
	(void)off, (void)fi, (void)flags;
	if (strcmp(path, "/") != 0)
		return -ENOENT;
	fill(buf, ".", NULL, 0, 0);
	fill(buf, "..", NULL, 0, 0);
	fill(buf, "medium", NULL, 0, 0);
	return 0;
}

static int fs_open(const char *path, struct fuse_file_info *fi)
{
	if (strcmp(path, "/medium") != 0)
		return -ENOENT;
	if ((fi->flags & O_ACCMODE) != O_RDONLY)
		return -EROFS;
	fi->direct_io = 1;
	return 0;
}

static int fs_read(const char *path, char *buf, size_t size, off_t off, struct fuse_file_info *fi)
{
	struct faultfs *fs = fs_state();
	uint64_t first, last;
	long delay = 0;
	int fail = 0;
	ssize_t n;

	(void)path, (void)fi;
	if ((uint64_t)off >= fs->size || size == 0)
		return 0;
	if ((uint64_t)off + size > fs->size)
		size = (size_t)(fs->size - (uint64_t)off);
	first = (uint64_t)off / fs->sector;
	last = ((uint64_t)off + size - 1) / fs->sector;
	for (int i = 0; i < fs->n_slow; i++)
		if (overlaps(&fs->slow[i], first, last) && fs->slow[i].value > delay)
			delay = fs->slow[i].value;
	for (int i = 0; i < fs->n_bad; i++)
		fail |= overlaps(&fs->bad[i], first, last);
	for (int i = 0; i < fs->n_flaky; i++)
		if (overlaps(&fs->flaky[i], first, last) && fs->flaky[i].value > 0) {
			fs->flaky[i].value--;
			fail = 1;
		}
	if (fs->dies_after && fs->reads >= fs->dies_after)
		fail = 1;
	fs->reads++;
	if (delay) {
		struct timespec ts = {delay / 1000, (delay % 1000) * 1000000L};

		nanosleep(&ts, NULL);
	}
	if (fs->log) {
		fprintf(fs->log, "%llu %zu %s\n", (unsigned long long)off, size,
		        fail ? "EIO" : "ok");
		fflush(fs->log);
	}
	if (fail)
		return -EIO;
	n = pread(fs->fd, buf, size, off);
	return n < 0 ? -errno : (int)n;
}

static const struct fuse_operations fs_ops = {
    .getattr = fs_getattr,
    .readdir = fs_readdir,
    .open = fs_open,
    .read = fs_read,
};

static int usage(void)
{
	fprintf(stderr, "usage: faultfs BACKING MOUNTPOINT [--sector-size N] [--bad A[-B],...] "
	                "[--flaky S[-T]:N,...] [--slow A[-B]:MS,...] [--dies-after N] "
	                "[--log FILE] [FUSE options]\n");
	return 2;
}

int main(int argc, char **argv)
{
	static struct faultfs fs = {.sector = 512};
	char *fuse_argv[16] = {argv[0]};
	int fuse_argc = 1, ok = 0;
	struct stat st;

	if (argc < 3)
		return usage();
	fs.fd = open(argv[1], O_RDONLY);
	if (fs.fd < 0 || fstat(fs.fd, &st) != 0) {
		perror(argv[1]);
		return 1;
	}
	fs.size = (uint64_t)st.st_size;
	fuse_argv[fuse_argc++] = argv[2];
	fuse_argv[fuse_argc++] = "-s"; /* one read at a time: exact counts */
	for (int i = 3; i < argc; i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : "";

		if (!strcmp(argv[i], "--sector-size"))
			ok = (fs.sector = (uint32_t)atoi(v)) > 0 ? 0 : -1, i++;
		else if (!strcmp(argv[i], "--bad"))
			ok = parse_rules(v, fs.bad, &fs.n_bad, 0), i++;
		else if (!strcmp(argv[i], "--flaky"))
			ok = parse_rules(v, fs.flaky, &fs.n_flaky, 1), i++;
		else if (!strcmp(argv[i], "--slow"))
			ok = parse_rules(v, fs.slow, &fs.n_slow, 1), i++;
		else if (!strcmp(argv[i], "--dies-after"))
			ok = (fs.dies_after = strtoull(v, NULL, 10)) > 0 ? 0 : -1, i++;
		else if (!strcmp(argv[i], "--log"))
			ok = (fs.log = fopen(v, "a")) ? 0 : -1, i++;
		else if (fuse_argc < 15)
			fuse_argv[fuse_argc++] = argv[i];
		if (ok)
			return usage();
	}
	return fuse_main(fuse_argc, fuse_argv, &fs_ops, &fs);
}
