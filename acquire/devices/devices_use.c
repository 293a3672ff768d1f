/*
 * devices_use.c - mounts, swap and holders of block devices.
 *
 * /proc/self/mountinfo gives each mount's device number and its source;
 * both are kept, since a btrfs mount shows an anonymous device number and
 * only its source names the partition.  Mount points are unescaped (the
 * kernel writes a space as \040).  /proc/swaps lists swap partitions and
 * swap files; a swap file counts for the device its file system is on.
 * Holders are followed through sysfs (class/block/NAME/holders), at most
 * a few levels deep, so that a partition under LVM under dm-crypt that
 * holds the root file system is known to hold it.
 */
#include "acquire/devices/devices_use.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "lib/path.h"

#define HOLDER_DEPTH_MAX 8
#define LINE_MAX_BYTES   8192

/* Undoes the kernel's octal escapes (\040 for a space) in place. */
static void unescape(char *s)
{
	char *out = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*out++ = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 | (s[3] - '0'));
			s += 3;
		} else {
			*out++ = *s;
		}
	}
	*out = '\0';
}

static dev_t block_device_of(const char *path)
{
	struct stat st;

	return path[0] == '/' && stat(path, &st) == 0 && S_ISBLK(st.st_mode) ? st.st_rdev : 0;
}

/* One mountinfo line: ID PARENT MAJ:MIN ROOT POINT OPTIONS [FIELDS...] - TYPE SOURCE ... */
static int parse_mount(char *line, struct devices_mount *m)
{
	char *field[6], *save = NULL, *sep = strstr(line, " - "), *source;
	unsigned maj, min;

	if (!sep)
		return -1;
	*sep = '\0';
	for (int i = 0; i < 6; i++)
		if (!(field[i] = strtok_r(i ? NULL : line, " ", &save)))
			return -1;
	if (sscanf(field[2], "%u:%u", &maj, &min) != 2)
		return -1;
	strtok_r(sep + 3, " ", &save); /* the file system type */
	source = strtok_r(NULL, " ", &save);
	unescape(field[4]);
	m->dev = makedev(maj, min);
	m->source = 0;
	if (source) {
		unescape(source);
		m->source = block_device_of(source);
	}
	m->point = strdup(field[4]);
	return m->point ? 0 : -1;
}

static int add_dev(dev_t **v, size_t *n, dev_t dev)
{
	dev_t *grown;

	if (!dev)
		return 0;
	if (!(grown = realloc(*v, (*n + 1) * sizeof(**v))))
		return -1;
	*v = grown;
	(*v)[(*n)++] = dev;
	return 0;
}

static int load_mounts(struct devices_use *u, const char *path, struct cu_error *err)
{
	FILE *f = fopen(path, "re");
	char line[LINE_MAX_BYTES];
	int rc = CU_OK;

	if (!f)
		return cu_error_errno(err, CU_EFAIL, errno, "cannot read %s", path);
	while (!rc && fgets(line, sizeof(line), f)) {
		struct devices_mount m, *grown;

		line[strcspn(line, "\n")] = '\0';
		if (parse_mount(line, &m))
			continue;
		if (!(grown = realloc(u->mounts, (u->n_mounts + 1) * sizeof(*grown)))) {
			free(m.point);
			rc = cu_error_set(err, CU_EFAIL, "out of memory");
			break;
		}
		u->mounts = grown;
		u->mounts[u->n_mounts++] = m;
		if (!strcmp(m.point, "/") && (add_dev(&u->root, &u->n_root, m.dev) ||
		                              add_dev(&u->root, &u->n_root, m.source)))
			rc = cu_error_set(err, CU_EFAIL, "out of memory");
	}
	fclose(f);
	return rc;
}

/* /proc/swaps: a heading, then "FILENAME TYPE SIZE USED PRIORITY". */
static int load_swaps(struct devices_use *u, const char *path, struct cu_error *err)
{
	FILE *f = fopen(path, "re");
	char line[LINE_MAX_BYTES], name[LINE_MAX_BYTES], type[32];
	struct stat st;

	if (!f)
		return CU_OK; /* no swap accounting (a kernel without it): none in use */
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%8191s %31s", name, type) != 2 || name[0] != '/')
			continue;
		unescape(name);
		if (stat(name, &st) != 0)
			continue;
		if (add_dev(&u->swap, &u->n_swap, S_ISBLK(st.st_mode) ? st.st_rdev : st.st_dev)) {
			fclose(f);
			return cu_error_set(err, CU_EFAIL, "out of memory");
		}
	}
	fclose(f);
	return CU_OK;
}

int devices_use_load(struct devices_use *u, const struct acq_devices_source *src,
                     struct cu_error *err)
{
	int rc;

	memset(u, 0, sizeof(*u));
	u->sysfs = src->sysfs ? src->sysfs : "/sys";
	rc = load_mounts(u, src->mountinfo ? src->mountinfo : "/proc/self/mountinfo", err);
	if (!rc)
		rc = load_swaps(u, src->swaps ? src->swaps : "/proc/swaps", err);
	return rc;
}

void devices_use_free(struct devices_use *u)
{
	for (size_t i = 0; i < u->n_mounts; i++)
		free(u->mounts[i].point);
	free(u->mounts);
	free(u->root);
	free(u->swap);
	memset(u, 0, sizeof(*u));
}

void devices_use_free_mounts(char **mounts, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(mounts[i]);
	free(mounts);
}

int devices_use_mounts(const struct devices_use *u, dev_t dev, char ***out, size_t *n)
{
	*out = NULL;
	*n = 0;
	for (size_t i = 0; i < u->n_mounts; i++) {
		char **grown;

		if (u->mounts[i].dev != dev && u->mounts[i].source != dev)
			continue;
		if (!(grown = realloc(*out, (*n + 1) * sizeof(*grown))) ||
		    !(grown[*n] = strdup(u->mounts[i].point))) {
			*out = grown ? grown : *out;
			devices_use_free_mounts(*out, *n);
			*out = NULL;
			*n = 0;
			return -1;
		}
		*out = grown;
		(*n)++;
	}
	return 0;
}

static size_t read_line(const char *sysfs, const char *name, const char *file, char *buf,
                        size_t cap)
{
	char path[PATH_MAX];
	FILE *f;
	size_t n = 0;

	buf[0] = '\0';
	if (cu_path_build(path, sizeof(path), NULL, "%s/class/block/%s/%s", sysfs, name, file) ||
	    !(f = fopen(path, "re")))
		return 0;
	if (fgets(buf, (int)cap, f)) {
		buf[strcspn(buf, "\n")] = '\0';
		n = strlen(buf);
	}
	fclose(f);
	return n;
}

dev_t devices_read_dev(const char *sysfs, const char *name)
{
	char buf[32];
	unsigned maj, min;

	if (!read_line(sysfs, name, "dev", buf, sizeof(buf)) ||
	    sscanf(buf, "%u:%u", &maj, &min) != 2)
		return 0;
	return makedev(maj, min);
}

/* What kind of device-mapper or md device `name` is, and its name. */
static void holder_describe(const struct devices_use *u, struct acq_holder *h)
{
	char uuid[256];

	if (!strncmp(h->name, "md", 2)) {
		snprintf(h->kind, sizeof(h->kind), "md");
		return;
	}
	read_line(u->sysfs, h->name, "dm/name", h->label, sizeof(h->label));
	read_line(u->sysfs, h->name, "dm/uuid", uuid, sizeof(uuid));
	snprintf(h->kind, sizeof(h->kind), "%s",
	         !strncmp(uuid, "LVM-", 4)     ? "lvm"
	         : !strncmp(uuid, "CRYPT-", 6) ? "dm-crypt"
	         : !strncmp(h->name, "dm-", 3) ? "dm"
	                                       : "");
}

void devices_use_free_holders(struct acq_holder *h, size_t n)
{
	for (size_t i = 0; i < n; i++)
		devices_use_free_mounts(h[i].mounts, h[i].n_mounts);
	free(h);
}

static DIR *open_holders(const char *sysfs, const char *name)
{
	char path[PATH_MAX];

	if (cu_path_build(path, sizeof(path), NULL, "%s/class/block/%s/holders", sysfs, name))
		return NULL;
	return opendir(path);
}

int devices_use_holders(const struct devices_use *u, const char *name, struct acq_holder **out,
                        size_t *n)
{
	DIR *d = open_holders(u->sysfs, name);
	struct dirent *e;
	int rc = 0;

	*out = NULL;
	*n = 0;
	while (d && !rc && (e = readdir(d))) {
		struct acq_holder *grown, *h = NULL;

		if (e->d_name[0] == '.' || strlen(e->d_name) >= sizeof(h->name))
			continue; /* the kernel's names are at most 32 bytes */
		if (!(grown = realloc(*out, (*n + 1) * sizeof(*grown)))) {
			rc = -1;
			break;
		}
		*out = grown;
		h = memset(&grown[(*n)++], 0, sizeof(*h));
		memcpy(h->name, e->d_name, strlen(e->d_name) + 1);
		holder_describe(u, h);
		rc = devices_use_mounts(u, devices_read_dev(u->sysfs, h->name), &h->mounts,
		                        &h->n_mounts);
	}
	if (d)
		closedir(d);
	if (rc) {
		devices_use_free_holders(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

static bool in_list(const dev_t *v, size_t n, dev_t dev)
{
	for (size_t i = 0; dev && i < n; i++)
		if (v[i] == dev)
			return true;
	return false;
}

static bool holds(const struct devices_use *u, const char *name, dev_t dev, bool swap, int depth)
{
	DIR *d;
	struct dirent *e;
	bool found = in_list(swap ? u->swap : u->root, swap ? u->n_swap : u->n_root, dev);

	if (found || depth >= HOLDER_DEPTH_MAX || !(d = open_holders(u->sysfs, name)))
		return found;
	while (!found && (e = readdir(d)))
		if (e->d_name[0] != '.')
			found = holds(u, e->d_name, devices_read_dev(u->sysfs, e->d_name), swap,
			              depth + 1);
	closedir(d);
	return found;
}

bool devices_use_holds(const struct devices_use *u, const char *name, dev_t dev, bool swap)
{
	return holds(u, name, dev, swap, 0);
}
