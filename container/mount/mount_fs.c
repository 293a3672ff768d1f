/*
 * mount_fs.c - the FUSE 3 operations of custos mount (mount_fs.h), through
 * libfuse's high-level, path-based interface: the tree is a handful of
 * files fixed at mount time, looked up by name.
 *
 * A media file's reads go to the chunk cache, clipped to the file's end;
 * the kernel keeps its pages between opens (they never change).  The notes
 * under .custos/ are made afresh at each read and opened with direct I/O,
 * so that a reader always sees the damage found so far.  Requests are
 * served on libfuse's threads (fuse_loop_mt), several at once.
 */
#define FUSE_USE_VERSION 31

#include "container/mount/mount_fs.h"

#include <errno.h>
#include <fcntl.h>
#include <fuse.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NOTES_DIR "/.custos"

enum node { NODE_NONE, NODE_ROOT, NODE_NOTES, NODE_MEDIA, NODE_DAMAGED, NODE_ERRORS };

static struct mount_fs_config *fs_config(void)
{
	return fuse_get_context()->private_data;
}

/* What `path` names; *file is the media file's index. */
static enum node fs_lookup(const struct mount_fs_config *c, const char *path, size_t *file)
{
	if (!strcmp(path, "/"))
		return NODE_ROOT;
	if (!strcmp(path, NOTES_DIR))
		return NODE_NOTES;
	if (!strcmp(path, NOTES_DIR "/damaged"))
		return NODE_DAMAGED;
	if (!strcmp(path, NOTES_DIR "/read_errors"))
		return NODE_ERRORS;
	for (size_t i = 0; path[0] == '/' && i < c->n_files; i++)
		if (!strcmp(path + 1, c->files[i].name)) {
			*file = i;
			return NODE_MEDIA;
		}
	return NODE_NONE;
}

/* The text of a note file, as it stands (malloc'ed). */
static char *fs_note(const struct mount_fs_config *c, enum node n, size_t *len)
{
	return n == NODE_DAMAGED ? mount_notes_damaged_text(c->notes, len)
	                         : mount_notes_errors_text(c->notes, len);
}

static int fs_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
{
	const struct mount_fs_config *c = fs_config();
	size_t file = 0, len = 0;
	enum node n = fs_lookup(c, path, &file);
	char *text;

	(void)fi;
	memset(st, 0, sizeof(*st));
	st->st_uid = getuid();
	st->st_gid = getgid();
	st->st_mtime = st->st_ctime = st->st_atime = c->mtime;
	switch (n) {
	case NODE_ROOT:
	case NODE_NOTES:
		st->st_mode = S_IFDIR | 0555;
		st->st_nlink = n == NODE_ROOT ? 3 : 2;
		return 0;
	case NODE_MEDIA:
		st->st_mode = S_IFREG | 0444;
		st->st_nlink = 1;
		st->st_size = (off_t)c->files[file].size;
		st->st_blocks = (blkcnt_t)((c->files[file].size + 511) / 512);
		return 0;
	case NODE_DAMAGED:
	case NODE_ERRORS:
		if (!(text = fs_note(c, n, &len)))
			return -ENOMEM;
		free(text);
		st->st_mode = S_IFREG | 0444;
		st->st_nlink = 1;
		st->st_size = (off_t)len;
		return 0;
	default:
		return -ENOENT;
	}
}

static int fs_readdir(const char *path, void *buf, fuse_fill_dir_t fill, off_t off,
                      struct fuse_file_info *fi, enum fuse_readdir_flags flags)
{
	const struct mount_fs_config *c = fs_config();
	size_t file;
	enum node n = fs_lookup(c, path, &file);

	(void)off, (void)fi, (void)flags;
	if (n != NODE_ROOT && n != NODE_NOTES)
		return n == NODE_NONE ? -ENOENT : -ENOTDIR;
	fill(buf, ".", NULL, 0, 0);
	fill(buf, "..", NULL, 0, 0);
	if (n == NODE_NOTES) {
		fill(buf, "damaged", NULL, 0, 0);
		fill(buf, "read_errors", NULL, 0, 0);
		return 0;
	}
	for (size_t i = 0; i < c->n_files; i++)
		fill(buf, c->files[i].name, NULL, 0, 0);
	fill(buf, ".custos", NULL, 0, 0);
	return 0;
}

static int fs_open(const char *path, struct fuse_file_info *fi)
{
	const struct mount_fs_config *c = fs_config();
	size_t file = 0;
	enum node n = fs_lookup(c, path, &file);

	if (n == NODE_NONE)
		return -ENOENT;
	if (n == NODE_ROOT || n == NODE_NOTES)
		return -EISDIR;
	if ((fi->flags & O_ACCMODE) != O_RDONLY || (fi->flags & (O_TRUNC | O_CREAT)))
		return -EROFS;
	fi->fh = n == NODE_MEDIA ? file : SIZE_MAX;
	fi->keep_cache = n == NODE_MEDIA;
	fi->direct_io = n != NODE_MEDIA || c->direct_io;
	return 0;
}

static int fs_read_note(const struct mount_fs_config *c, enum node n, char *buf, size_t size,
                        off_t off)
{
	size_t len = 0;
	char *text = fs_note(c, n, &len);

	if (!text)
		return -ENOMEM;
	if ((uint64_t)off >= len) {
		size = 0;
	} else {
		size = size < len - (size_t)off ? size : len - (size_t)off;
		memcpy(buf, text + off, size);
	}
	free(text);
	return (int)size;
}

static int fs_read(const char *path, char *buf, size_t size, off_t off, struct fuse_file_info *fi)
{
	const struct mount_fs_config *c = fs_config();
	const struct mount_fs_file *f;
	size_t file = 0;
	enum node n = fs_lookup(c, path, &file);
	int rc;

	(void)fi;
	if (n == NODE_DAMAGED || n == NODE_ERRORS)
		return fs_read_note(c, n, buf, size, off);
	if (n != NODE_MEDIA)
		return -EISDIR;
	f = &c->files[file];
	if (off < 0 || (uint64_t)off >= f->size)
		return 0;
	size = size < f->size - (uint64_t)off ? size : (size_t)(f->size - (uint64_t)off);
	rc = mount_cache_read(c->cache, (uint8_t *)buf, size, f->offset + (uint64_t)off);
	return rc ? rc : (int)size;
}

static int fs_statfs(const char *path, struct statvfs *st)
{
	(void)path;
	memset(st, 0, sizeof(*st));
	st->f_bsize = st->f_frsize = 4096;
	st->f_namemax = 255;
	st->f_flag = ST_RDONLY;
	return 0;
}

static void *fs_init(struct fuse_conn_info *conn, struct fuse_config *cfg)
{
	cfg->kernel_cache = 1; /* the media never changes */
	cfg->use_ino = 0;
	conn->max_readahead = 1U << 20;
	return fuse_get_context()->private_data;
}

static const struct fuse_operations fs_ops = {
    .getattr = fs_getattr,
    .readdir = fs_readdir,
    .open = fs_open,
    .read = fs_read,
    .statfs = fs_statfs,
    .init = fs_init,
};

/* The file system's name in the mount table: the evidence, with what would cut its option. */
static void fs_name(char *out, size_t cap, const char *source)
{
	size_t i = 0;

	for (; source[i] && i + 1 < cap; i++)
		out[i] = strchr(",\\ \t\n=", source[i]) || (unsigned char)source[i] < 0x20
		             ? '_'
		             : source[i];
	out[i] = '\0';
}

/*
 * The mount's device number, from /proc/self/mountinfo (a stat of the
 * mount point would wait for this process, which does not serve yet).
 */
static bool fs_device(const char *mountpoint, unsigned *major, unsigned *minor)
{
	FILE *f = fopen("/proc/self/mountinfo", "r");
	char line[8192], point[4096], escaped[4096];
	bool found = false;
	size_t o = 0;

	for (const char *p = mountpoint; *p && o + 5 < sizeof(escaped); p++)
		o += (size_t)(strchr(" \t\n\\", *p)
		                  ? snprintf(escaped + o, 5, "\\%03o", (unsigned char)*p)
		                  : snprintf(escaped + o, 2, "%c", *p));
	while (f && !found && fgets(line, sizeof(line), f))
		found = sscanf(line, "%*u %*u %u:%u %*s %4095s", major, minor, point) == 3 &&
		        !strcmp(point, escaped);
	if (f)
		fclose(f);
	return found;
}

/*
 * The kernel reads ahead of a sequential reader 128 KiB at a time, FUSE's
 * default; 1 MiB lets the readers inflate a whole megabyte of chunks at
 * once.  Only root may raise it: otherwise the default stays.
 */
static void fs_read_ahead(const char *mountpoint)
{
	unsigned major, minor;
	char path[128];
	FILE *f;

	if (!fs_device(mountpoint, &major, &minor))
		return;
	snprintf(path, sizeof(path), "/sys/class/bdi/%u:%u/read_ahead_kb", major, minor);
	if ((f = fopen(path, "w"))) {
		fputs("1024\n", f);
		fclose(f);
	}
}

static int fs_serve(struct fuse *f, struct mount_fs_config *cfg, struct cu_error *err)
{
	struct fuse_session *se = fuse_get_session(f);
	int rc;

	fflush(stdout); /* the parent leaves with _exit once the child serves */
	fflush(stderr);
	if (fuse_daemonize(cfg->foreground) != 0)
		return cu_error_set(err, CU_EFAIL, "cannot go to the background");
	if (fuse_set_signal_handlers(se) != 0)
		return cu_error_set(err, CU_EFAIL, "cannot catch SIGINT and SIGTERM");
	rc = mount_cache_start(cfg->cache, err); /* its threads keep the signals blocked */
	if (!rc) {
		/*
		 * custos blocks SIGINT, SIGTERM and SIGHUP in every thread
		 * (lib/interrupt.h); libfuse's handlers end the session, so
		 * this thread alone takes them while it serves (libfuse's own
		 * threads block every signal).
		 */
		sigset_t stop, old;

		sigemptyset(&stop);
		sigaddset(&stop, SIGINT);
		sigaddset(&stop, SIGTERM);
		sigaddset(&stop, SIGHUP);
		pthread_sigmask(SIG_UNBLOCK, &stop, &old);
		if (fuse_loop_mt(f, 0) < 0)
			rc = cu_error_set(err, CU_EFAIL, "the FUSE session failed");
		pthread_sigmask(SIG_SETMASK, &old, NULL);
	}
	fuse_remove_signal_handlers(se);
	return rc;
}

int mount_fs_run(struct mount_fs_config *cfg, struct cu_error *err)
{
	char name[1024], opts[1200];
	char *argv[] = {"custos", "-o", opts, NULL};
	struct fuse_args args = FUSE_ARGS_INIT(3, argv);
	struct fuse *f;
	int rc;

	fs_name(name, sizeof(name), cfg->source);
	snprintf(opts, sizeof(opts), "ro,default_permissions,fsname=%s,subtype=custos%s", name,
	         cfg->allow_other ? ",allow_other" : "");
	if (!(f = fuse_new(&args, &fs_ops, sizeof(fs_ops), cfg))) {
		fuse_opt_free_args(&args);
		return cu_error_set(err, CU_EFAIL,
		                    "cannot set up FUSE (libfuse3 refused the options)");
	}
	if (fuse_mount(f, cfg->mountpoint) != 0) {
		fuse_destroy(f);
		fuse_opt_free_args(&args);
		return cu_error_set(err, CU_EFAIL,
		                    "cannot mount on %s: FUSE refused it (is /dev/fuse there, "
		                    "and fusermount3 installed?)",
		                    cfg->mountpoint);
	}
	fs_read_ahead(cfg->mountpoint);
	rc = cfg->mounted ? cfg->mounted(cfg->ctx, err) : CU_OK;
	if (!rc)
		rc = fs_serve(f, cfg, err);
	fuse_unmount(f);
	fuse_destroy(f);
	fuse_opt_free_args(&args);
	return rc;
}
