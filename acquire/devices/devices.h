/*
 * devices.h - the drives on this machine, as an examiner must see them
 * before touching any: which is which, what it holds, and what is in use.
 *
 * Every whole disk the kernel lists in /sys/block (those with a device
 * behind them: SATA, SAS, USB, NVMe, MMC, virtio, optical), and every loop
 * device with a backing file, each with its partitions.  Identity, sizes,
 * transport and state come from sysfs, so listing needs no root; mounts
 * come from /proc/self/mountinfo and swap from /proc/swaps.  A device
 * "holds the system" when the root file system or a swap area is on it,
 * directly or through the device-mapper or md devices that hold it.  A
 * drive that answers ATA is also asked for its HPA and DCO, read-only, as
 * acquire does, when it can be opened (as root).
 */
#ifndef CUSTOS_ACQUIRE_DEVICES_H
#define CUSTOS_ACQUIRE_DEVICES_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "source/ata.h"
#include "source/device_info.h"
#include "lib/error.h"

/* A device that holds this one: LVM, md, dm-crypt, another device-mapper target. */
struct acq_holder {
	char name[64];   /* "dm-0", "md127" */
	char kind[16];   /* "lvm", "dm-crypt", "md", "dm", or "" when unknown */
	char label[128]; /* the device-mapper name ("vg-root"), or "" */
	char **mounts;   /* where it is mounted */
	size_t n_mounts;
};

/* A disk or a partition. */
struct acq_blockdev {
	char name[64];  /* "sda", "sda1" */
	char path[300]; /* "/dev/sda" */
	dev_t dev;
	uint64_t size;  /* bytes; 0 when there is no medium */
	uint64_t start; /* a partition's first 512-byte sector */
	int read_only;  /* the kernel's flag: 1, 0, or -1 when unknown */
	char **mounts;  /* where it is mounted */
	size_t n_mounts;
	struct acq_holder *holders;
	size_t n_holders;
	bool holds_root, holds_swap; /* directly or through its holders */
};

struct acq_disk {
	struct acq_blockdev self;
	uint32_t logical_sector, physical_sector; /* 0 when unknown */
	struct source_device_info identity;       /* vendor, model, serial, firmware, removable */
	char transport[16]; /* "sata", "sas", "usb", "nvme", "mmc", "virtio", "loop", "scsi", "" */
	char backing_file[4096]; /* a loop device's */
	bool ata_asked;          /* the drive could be opened and was asked */
	struct ata_hidden ata;   /* its answer (ata.answered: it is ATA) */
	struct acq_blockdev *parts;
	size_t n_parts;
};

struct acq_devices {
	struct acq_disk *disks;
	size_t n;
};

/* Where the lists come from; NULL fields are the running system's. Tests use recorded trees. */
struct acq_devices_source {
	const char *sysfs;     /* "/sys" */
	const char *mountinfo; /* "/proc/self/mountinfo" */
	const char *swaps;     /* "/proc/swaps" */
	const char *dev;       /* "/dev": where device nodes are opened for ATA */
	bool ask_ata;          /* open ATA drives and ask for HPA and DCO */
};

/* Lists the drives; `out` is freed with acq_devices_free, also on failure. */
int acq_devices_list(struct acq_devices *out, const struct acq_devices_source *src,
                     struct cu_error *err);

void acq_devices_free(struct acq_devices *d);

#endif
