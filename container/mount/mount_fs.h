/*
 * mount_fs.h - the file system custos mount serves through FUSE 3: the
 * media as one read-only file, each partition as another, and what the
 * examiner must know beside them in .custos/.
 *
 *   MOUNTPOINT/BASE.raw          the media (mount_cache: every chunk checked)
 *   MOUNTPOINT/BASE.p1.raw ...   each partition (--partitions)
 *   MOUNTPOINT/.custos/damaged     chunks found damaged so far (mount_notes)
 *   MOUNTPOINT/.custos/read_errors sectors the acquisition could not read
 *
 * Read-only by construction: the operations are lookup, getattr, readdir,
 * open (for reading only), read and statfs; nothing writes, truncates,
 * changes modes or creates.  It is mounted "ro" with default_permissions (the
 * kernel refuses writes with EROFS before they reach custos), and
 * allow_other only when asked.
 */
#ifndef CUSTOS_CONTAINER_MOUNT_MOUNT_FS_H
#define CUSTOS_CONTAINER_MOUNT_MOUNT_FS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "container/mount/mount_cache.h"
#include "container/mount/mount_notes.h"
#include "lib/error.h"

#define MOUNT_FS_FILES_MAX 130 /* the media and PARTITIONS_MAX partitions */

/* A window of the media served as a file. */
struct mount_fs_file {
	char name[256];
	uint64_t offset, size;
};

struct mount_fs_config {
	const char *mountpoint;
	const char *source; /* the evidence, shown as the file system's name */
	bool foreground, allow_other;
	bool direct_io; /* the media files bypass the kernel's page cache */
	struct mount_cache *cache;
	struct mount_notes *notes;
	struct mount_fs_file files[MOUNT_FS_FILES_MAX];
	size_t n_files;
	time_t mtime; /* of the files served: the evidence's */
	/*
	 * Called once the file system is mounted, before custos goes to the
	 * background: what must be said or recorded while the terminal is
	 * there.  A failure unmounts at once.
	 */
	int (*mounted)(void *ctx, struct cu_error *err);
	void *ctx;
};

/*
 * Mounts, serves until unmounted (fusermount3 -u, umount) or told to stop
 * (SIGINT, SIGTERM, SIGHUP), unmounts.  Without `foreground`, the calling
 * process returns 0 at once once mounted and a child serves (fuse_daemonize).
 */
int mount_fs_run(struct mount_fs_config *cfg, struct cu_error *err);

#endif
