/*
 * devices.c - listing the drives: /sys/block, each disk's partitions, its
 * identity and state, and what uses it (devices_use.c).
 *
 * A whole disk is an entry of /sys/block with a device behind it (a
 * "device" link); a loop device counts when it has a backing file; RAM
 * disks, zram and device-mapper devices are not drives.  The transport is
 * read from where the disk sits in the device tree (…/usb…/, …/ata…/,
 * …/end_device-…/ for SAS, …/virtio…/), or from its name (nvme, mmcblk).
 * Nothing here writes: ATA drives are opened read-only and non-blocking,
 * and asked only the read-only commands acquire asks (ata_probe.c).
 */
#include "acquire/devices/devices.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "source/ata_probe.h"
#include "acquire/devices/devices_use.h"
#include "lib/path.h"

/* The first line of SYSFS/block/NAME[/PART]/FILE, or "". */
static size_t read_attr(const char *sysfs, const char *dir, const char *file, char *buf, size_t cap)
{
	char path[PATH_MAX];
	FILE *f;

	buf[0] = '\0';
	if (cu_path_build(path, sizeof(path), NULL, "%s/block/%s/%s", sysfs, dir, file) ||
	    !(f = fopen(path, "re")))
		return 0;
	if (!fgets(buf, (int)cap, f))
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return strlen(buf);
}

static uint64_t read_number(const char *sysfs, const char *dir, const char *file)
{
	char buf[32], *end;
	unsigned long long v;

	if (!read_attr(sysfs, dir, file, buf, sizeof(buf)))
		return 0;
	v = strtoull(buf, &end, 10);
	return *end ? 0 : v;
}

static bool has_attr(const char *sysfs, const char *dir, const char *file)
{
	char path[PATH_MAX];

	return !cu_path_build(path, sizeof(path), NULL, "%s/block/%s/%s", sysfs, dir, file) &&
	       access(path, F_OK) == 0;
}

/* "/dev/" and the name udev gives it (uevent's DEVNAME), or the sysfs name. */
static void device_path(const char *sysfs, const char *dir, const char *name, char *out, size_t cap)
{
	char path[PATH_MAX], line[300];
	const char *devname = name;
	FILE *f;

	if (!cu_path_build(path, sizeof(path), NULL, "%s/block/%s/uevent", sysfs, dir) &&
	    (f = fopen(path, "re"))) {
		while (fgets(line, sizeof(line), f))
			if (!strncmp(line, "DEVNAME=", 8)) {
				line[strcspn(line, "\n")] = '\0';
				devname = line + 8;
				break;
			}
		fclose(f);
	}
	snprintf(out, cap, "/dev/%s", devname);
}

static void read_transport(const char *sysfs, struct acq_disk *d)
{
	static const struct {
		const char *in_path, *transport;
	} kinds[] = {{"/usb", "usb"},   {"/ata", "sata"},     {"/end_device-", "sas"},
	             {"/nvme", "nvme"}, {"/mmc_host", "mmc"}, {"/virtio", "virtio"},
	             {"/host", "scsi"}};
	char link[PATH_MAX], real[PATH_MAX];

	if (!strncmp(d->self.name, "loop", 4)) {
		snprintf(d->transport, sizeof(d->transport), "loop");
		return;
	}
	if (cu_path_build(link, sizeof(link), NULL, "%s/block/%s", sysfs, d->self.name) ||
	    !realpath(link, real))
		return;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strstr(real, kinds[i].in_path)) {
			snprintf(d->transport, sizeof(d->transport), "%s", kinds[i].transport);
			return;
		}
}

/* Name, path, number, size, read-only flag, mounts, holders and system use of one device. */
static int read_blockdev(const struct devices_use *u, const char *dir, const char *name,
                         struct acq_blockdev *b)
{
	char buf[16];

	snprintf(b->name, sizeof(b->name), "%s", name);
	device_path(u->sysfs, dir, name, b->path, sizeof(b->path));
	b->dev = devices_read_dev(u->sysfs, name);
	b->size = read_number(u->sysfs, dir, "size") * 512;
	b->start = read_number(u->sysfs, dir, "start");
	b->read_only = read_attr(u->sysfs, dir, "ro", buf, sizeof(buf)) ? buf[0] == '1' : -1;
	b->holds_root = devices_use_holds(u, name, b->dev, false);
	b->holds_swap = devices_use_holds(u, name, b->dev, true);
	if (devices_use_mounts(u, b->dev, &b->mounts, &b->n_mounts) ||
	    devices_use_holders(u, name, &b->holders, &b->n_holders))
		return -1;
	return 0;
}

static int partition_order(const void *a, const void *b)
{
	return strverscmp(((const struct acq_blockdev *)a)->name,
	                  ((const struct acq_blockdev *)b)->name);
}

/* The partitions: subdirectories of the disk's that hold a "partition" file. */
static int read_partitions(const struct devices_use *u, struct acq_disk *d)
{
	char path[PATH_MAX], sub[PATH_MAX];
	DIR *dir;
	struct dirent *e;
	int rc = 0;

	if (cu_path_build(path, sizeof(path), NULL, "%s/block/%s", u->sysfs, d->self.name) ||
	    !(dir = opendir(path)))
		return 0;
	while (!rc && (e = readdir(dir))) {
		struct acq_blockdev *grown;

		if (e->d_name[0] == '.' ||
		    cu_path_build(sub, sizeof(sub), NULL, "%s/%s", d->self.name, e->d_name) ||
		    !has_attr(u->sysfs, sub, "partition"))
			continue;
		if (!(grown = realloc(d->parts, (d->n_parts + 1) * sizeof(*grown)))) {
			rc = -1;
			break;
		}
		d->parts = grown;
		memset(&grown[d->n_parts], 0, sizeof(*grown));
		rc = read_blockdev(u, sub, e->d_name, &grown[d->n_parts++]);
	}
	closedir(dir);
	if (!rc && d->n_parts)
		qsort(d->parts, d->n_parts, sizeof(*d->parts), partition_order);
	return rc;
}

/* HPA and DCO, as acquire asks them: only of drives that may speak ATA, only when openable. */
static void ask_ata(const struct acq_devices_source *src, struct acq_disk *d)
{
	char path[PATH_MAX];
	int fd;

	if (!src->ask_ata || !d->self.size ||
	    (strcmp(d->transport, "sata") && strcmp(d->transport, "usb") &&
	     strcmp(d->transport, "sas") && strcmp(d->transport, "scsi")))
		return;
	if (cu_path_build(path, sizeof(path), NULL, "%s/%s", src->dev ? src->dev : "/dev",
	                  d->self.path + 5) ||
	    (fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) < 0)
		return;
	ata_probe(fd, &d->ata);
	d->ata_asked = true;
	close(fd);
}

static int read_disk(const struct devices_use *u, const struct acq_devices_source *src,
                     const char *name, struct acq_disk *d)
{
	memset(d, 0, sizeof(*d));
	if (read_blockdev(u, name, name, &d->self))
		return -1;
	d->self.start = 0;
	d->logical_sector = (uint32_t)read_number(u->sysfs, name, "queue/logical_block_size");
	d->physical_sector = (uint32_t)read_number(u->sysfs, name, "queue/physical_block_size");
	read_attr(u->sysfs, name, "loop/backing_file", d->backing_file, sizeof(d->backing_file));
	if (source_device_info_read(&d->identity, d->self.dev, u->sysfs) != 0)
		d->identity.removable = -1;
	read_transport(u->sysfs, d);
	ask_ata(src, d);
	if (read_partitions(u, d))
		return -1;
	for (size_t i = 0; i < d->n_parts; i++) { /* a disk holds what its partitions hold */
		d->self.holds_root |= d->parts[i].holds_root;
		d->self.holds_swap |= d->parts[i].holds_swap;
	}
	return 0;
}

/* A drive: a device behind it, or a loop device with a backing file. */
static bool is_drive(const char *sysfs, const char *name)
{
	char file[8];

	if (!strncmp(name, "loop", 4))
		return read_attr(sysfs, name, "loop/backing_file", file, sizeof(file)) > 0;
	return has_attr(sysfs, name, "device") && strncmp(name, "zram", 4) &&
	       strncmp(name, "ram", 3);
}

static int disk_order(const void *a, const void *b)
{
	const struct acq_disk *x = a, *y = b;
	bool xl = !strcmp(x->transport, "loop"), yl = !strcmp(y->transport, "loop");

	return xl != yl ? xl - yl : strverscmp(x->self.name, y->self.name);
}

static int list_disks(struct acq_devices *out, const struct devices_use *u,
                      const struct acq_devices_source *src, struct cu_error *err)
{
	char path[PATH_MAX];
	DIR *dir;
	struct dirent *e;
	int rc = CU_OK;

	if (cu_path_build(path, sizeof(path), err, "%s/block", u->sysfs))
		return CU_EFAIL;
	if (!(dir = opendir(path)))
		return cu_error_errno(err, CU_EFAIL, errno, "cannot list %s", path);
	while (!rc && (e = readdir(dir))) {
		struct acq_disk *grown;

		if (e->d_name[0] == '.' || !is_drive(u->sysfs, e->d_name))
			continue;
		if (!(grown = realloc(out->disks, (out->n + 1) * sizeof(*grown)))) {
			rc = cu_error_set(err, CU_EFAIL, "out of memory");
			break;
		}
		out->disks = grown;
		if (read_disk(u, src, e->d_name, &grown[out->n++]))
			rc = cu_error_set(err, CU_EFAIL, "out of memory");
	}
	closedir(dir);
	if (!rc && out->n)
		qsort(out->disks, out->n, sizeof(*out->disks), disk_order);
	return rc;
}

int acq_devices_list(struct acq_devices *out, const struct acq_devices_source *src,
                     struct cu_error *err)
{
	struct devices_use u;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = devices_use_load(&u, src, err);
	if (!rc)
		rc = list_disks(out, &u, src, err);
	devices_use_free(&u);
	return rc;
}

static void free_blockdev(struct acq_blockdev *b)
{
	devices_use_free_mounts(b->mounts, b->n_mounts);
	devices_use_free_holders(b->holders, b->n_holders);
}

void acq_devices_free(struct acq_devices *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free_blockdev(&d->disks[i].self);
		for (size_t k = 0; k < d->disks[i].n_parts; k++)
			free_blockdev(&d->disks[i].parts[k]);
		free(d->disks[i].parts);
	}
	free(d->disks);
	memset(d, 0, sizeof(*d));
}
