/*
 * device_info.h - what the kernel tells of a block device through sysfs:
 * vendor, model, serial number, firmware revision, removable or not, and
 * whether it is a partition of a larger disk.
 */
#ifndef CUSTOS_SOURCE_DEVICE_INFO_H
#define CUSTOS_SOURCE_DEVICE_INFO_H

#include <stdbool.h>
#include <sys/types.h>

struct source_device_info {
	char vendor[64];
	char model[128];
	char serial[128];
	char firmware[64];
	int removable; /* 1, 0, or -1 when unknown */
	dev_t disk;    /* the whole disk this device is or belongs to */
};

/*
 * Fills `info` for the block device `dev` from the sysfs tree at `sysfs`
 * (normally "/sys"; tests point it at a recorded tree).  Unknown fields stay
 * empty.  Returns 0, or -1 when sysfs knows no such device.
 */
int source_device_info_read(struct source_device_info *info, dev_t dev, const char *sysfs);

#endif
