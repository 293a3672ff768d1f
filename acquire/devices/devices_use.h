/*
 * devices_use.h - what uses a block device: file systems mounted on it,
 * swap areas, and the device-mapper and md devices that hold it.  Part of
 * the device listing (devices.c); not a public interface.
 */
#ifndef CUSTOS_ACQUIRE_DEVICES_USE_H
#define CUSTOS_ACQUIRE_DEVICES_USE_H

#include "acquire/devices/devices.h"

struct devices_mount {
	dev_t dev;    /* as mountinfo gives it (btrfs gives an anonymous one) */
	dev_t source; /* the device its source names, or 0 */
	char *point;
};

struct devices_use {
	const char *sysfs;
	struct devices_mount *mounts;
	size_t n_mounts;
	dev_t *root, *swap; /* the devices the running system's root and swap are on */
	size_t n_root, n_swap;
};

/* Reads the mount table and the swap areas. */
int devices_use_load(struct devices_use *u, const struct acq_devices_source *src,
                     struct cu_error *err);
void devices_use_free(struct devices_use *u);

/* Where the device `dev` is mounted (malloc'ed strings); returns -1 when out of memory. */
int devices_use_mounts(const struct devices_use *u, dev_t dev, char ***out, size_t *n);

/* The devices that hold the block device `name` (its holders/ directory in sysfs). */
int devices_use_holders(const struct devices_use *u, const char *name, struct acq_holder **out,
                        size_t *n);

/* Whether root (or swap) is on `name`, or on a device that holds it. */
bool devices_use_holds(const struct devices_use *u, const char *name, dev_t dev, bool swap);

/* Frees what devices_use_mounts and devices_use_holders gave. */
void devices_use_free_mounts(char **mounts, size_t n);
void devices_use_free_holders(struct acq_holder *h, size_t n);

/* The device number in a sysfs "dev" file under DIR ("8:1"), or 0. */
dev_t devices_read_dev(const char *sysfs, const char *name);

#endif
