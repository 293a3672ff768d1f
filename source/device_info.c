/*
 * device_info.c - reading a block device's identity from sysfs.
 *
 * /sys/dev/block/MAJ:MIN leads to the device's directory; a partition's
 * directory holds a "partition" file and sits inside its disk's.  The disk's
 * "device" directory holds what the driver knows: SCSI and SATA disks have
 * vendor, model and rev (and the serial in VPD page 0x80), NVMe disks model,
 * serial and firmware_rev.
 */
#include "source/device_info.h"

#include "lib/path.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* Copies `s` into out, without leading or trailing white space. */
static void copy_trimmed(char *out, size_t cap, const char *s, size_t len)
{
	while (len > 0 && isspace((unsigned char)*s))
		s++, len--;
	while (len > 0 && (isspace((unsigned char)s[len - 1]) || s[len - 1] == '\0'))
		len--;
	if (len >= cap)
		len = cap - 1;
	memcpy(out, s, len);
	out[len] = '\0';
	for (size_t i = 0; i < len; i++)
		if (!isprint((unsigned char)out[i]))
			out[i] = '?';
}

static size_t read_small_file(const char *dir, const char *name, char *buf, size_t cap)
{
	char path[PATH_MAX];
	FILE *f;
	size_t n;

	if (cu_path_build(path, sizeof(path), NULL, "%s/%s", dir, name))
		return 0;
	f = fopen(path, "rb");
	if (!f)
		return 0;
	n = fread(buf, 1, cap - 1, f);
	fclose(f);
	buf[n] = '\0';
	return n;
}

static void read_field(char *out, size_t cap, const char *dir, const char *name)
{
	char buf[512];
	size_t n = read_small_file(dir, name, buf, sizeof(buf));

	if (n)
		copy_trimmed(out, cap, buf, n);
}

/* VPD page 0x80: 4-byte header, then the unit serial number. */
static void read_vpd_serial(char *out, size_t cap, const char *dir)
{
	unsigned char buf[512];
	size_t n = read_small_file(dir, "vpd_pg80", (char *)buf, sizeof(buf));
	size_t len;

	if (n < 4 || buf[1] != 0x80)
		return;
	len = (size_t)buf[2] << 8 | buf[3];
	if (len > n - 4)
		len = n - 4;
	copy_trimmed(out, cap, (const char *)buf + 4, len);
}

static void read_disk_identity(struct source_device_info *info, const char *disk_dir)
{
	char dev_dir[PATH_MAX + 16], buf[16];

	if (cu_path_build(dev_dir, sizeof(dev_dir), NULL, "%s/device", disk_dir))
		return;
	read_field(info->vendor, sizeof(info->vendor), dev_dir, "vendor");
	read_field(info->model, sizeof(info->model), dev_dir, "model");
	read_field(info->firmware, sizeof(info->firmware), dev_dir, "rev");
	if (!info->firmware[0])
		read_field(info->firmware, sizeof(info->firmware), dev_dir, "firmware_rev");
	read_field(info->serial, sizeof(info->serial), dev_dir, "serial");
	if (!info->serial[0])
		read_vpd_serial(info->serial, sizeof(info->serial), dev_dir);
	if (!info->serial[0]) /* virtio disks keep it beside the disk */
		read_field(info->serial, sizeof(info->serial), disk_dir, "serial");
	if (read_small_file(disk_dir, "removable", buf, sizeof(buf)))
		info->removable = buf[0] == '1';
}

static dev_t read_dev_file(const char *dir)
{
	char buf[32];
	unsigned int maj, min;

	if (!read_small_file(dir, "dev", buf, sizeof(buf)) || sscanf(buf, "%u:%u", &maj, &min) != 2)
		return 0;
	return makedev(maj, min);
}

int source_device_info_read(struct source_device_info *info, dev_t dev, const char *sysfs)
{
	char link[PATH_MAX + 16], dir[PATH_MAX], disk_dir[PATH_MAX];
	struct stat st;

	memset(info, 0, sizeof(*info));
	info->removable = -1;
	info->disk = dev;
	if (cu_path_build(link, sizeof(link), NULL, "%s/dev/block/%u:%u", sysfs, major(dev),
	                  minor(dev)) ||
	    !realpath(link, dir) || cu_path_build(disk_dir, sizeof(disk_dir), NULL, "%s", dir) ||
	    cu_path_build(link, sizeof(link), NULL, "%s/partition", dir))
		return -1;
	if (stat(link, &st) == 0) { /* a partition: its disk is the parent directory */
		char *slash = strrchr(disk_dir, '/');

		if (slash)
			*slash = '\0';
		info->disk = read_dev_file(disk_dir);
	}
	read_disk_identity(info, disk_dir);
	return 0;
}
