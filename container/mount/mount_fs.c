/*
 * mount_fs.c - the FUSE 3 operations of custos mount (mount_fs.h), through
 * libfuse's low-level interface: the tree is a handful of files fixed at
 * mount time, each with an inode number of its own (the root, .custos, its
 * two notes, then one for each media file), so that no request builds or
 * compares a path.
 *
 * A media file's reads are answered from the chunk cache's own memory
 * (mount_cache_serve): the reply points at the chunks, and the kernel
 * copies them once, into the reader's pages; the kernel keeps its pages
 * between opens (they never change).  The notes under .custos/ are made
 * afresh at each read and opened with direct I/O, so that a reader always
 * sees the damage found so far.  Requests are served on libfuse's threads
 * (fuse_session_loop_mt), several at once.
 */
#define FUSE_USE_VERSION 31

#include "container/mount/mount_fs.h"

#include <errno.h>
#include <fcntl.h>
#include <fuse_lowlevel.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NOTES_NAME "custos" /* shown as .custos */

/* The inodes: fixed, FUSE_ROOT_ID first. */
enum { INO_ROOT = FUSE_ROOT_ID, INO_NOTES, INO_DAMAGED, INO_ERRORS, INO_MEDIA };

#define MEDIA_TIMEOUT 86400.0 /* the media files never change */

static const struct mount_fs_config *fs_config(fuse_req_t req)
{
	return fuse_req_userdata(req);
}

/* Whether `ino` is a media file; *file is its index. */
static bool fs_is_media(const struct mount_fs_config *c, fuse_ino_t ino, size_t *file)
{
	if (ino < INO_MEDIA || ino - INO_MEDIA >= c->n_files)
		return false;
	*file = (size_t)(ino - INO_MEDIA);
	return true;
}

/* The text of a note file, as it stands (malloc'ed). */
static char *fs_note(const struct mount_fs_config *c, fuse_ino_t ino, size_t *len)
{
	return ino == INO_DAMAGED ? mount_notes_damaged_text(c->notes, len)
	                          : mount_notes_errors_text(c->notes, len);
}

/* The attributes of `ino`: 0, -ENOENT or -ENOMEM. */
static int fs_stat(const struct mount_fs_config *c, fuse_ino_t ino, struct stat *st)
{
	size_t file = 0, len = 0;
	char *text;

	memset(st, 0, sizeof(*st));
	st->st_ino = ino;
	st->st_uid = getuid();
	st->st_gid = getgid();
	st->st_mtime = st->st_ctime = st->st_atime = c->mtime;
	if (ino == INO_ROOT || ino == INO_NOTES) {
		st->st_mode = S_IFDIR | 0555;
		st->st_nlink = ino == INO_ROOT ? 3 : 2;
		return 0;
	}
	st->st_mode = S_IFREG | 0444;
	st->st_nlink = 1;
	if (fs_is_media(c, ino, &file)) {
		st->st_size = (off_t)c->files[file].size;
		st->st_blocks = (blkcnt_t)((c->files[file].size + 511) / 512);
		return 0;
	}
	if (ino != INO_DAMAGED && ino != INO_ERRORS)
		return -ENOENT;
	if (!(text = fs_note(c, ino, &len)))
		return -ENOMEM;
	free(text);
	st->st_size = (off_t)len;
	return 0;
}

/* How long the kernel may keep what it learnt of `ino`: the notes grow. */
static double fs_timeout(fuse_ino_t ino)
{
	return ino == INO_DAMAGED || ino == INO_ERRORS ? 0.0 : MEDIA_TIMEOUT;
}

/* The inode `name` names in directory `parent`; 0: none. */
static fuse_ino_t fs_child(const struct mount_fs_config *c, fuse_ino_t parent, const char *name)
{
	if (parent == INO_NOTES)
		return !strcmp(name, "damaged")       ? INO_DAMAGED
		       : !strcmp(name, "read_errors") ? INO_ERRORS
		                                      : 0;
	if (parent != INO_ROOT)
		return 0;
	if (!strcmp(name, "." NOTES_NAME))
		return INO_NOTES;
	for (size_t i = 0; i < c->n_files; i++)
		if (!strcmp(name, c->files[i].name))
			return INO_MEDIA + i;
	return 0;
}

static void fs_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	const struct mount_fs_config *c = fs_config(req);
	struct fuse_entry_param e = {.ino = fs_child(c, parent, name)};
	int rc;

	if (!e.ino) {
		fuse_reply_err(req, parent == INO_ROOT || parent == INO_NOTES ? ENOENT : ENOTDIR);
		return;
	}
	if ((rc = fs_stat(c, e.ino, &e.attr))) {
		fuse_reply_err(req, -rc);
		return;
	}
	e.attr_timeout = e.entry_timeout = fs_timeout(e.ino);
	fuse_reply_entry(req, &e);
}

static void fs_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct stat st;
	int rc = fs_stat(fs_config(req), ino, &st);

	(void)fi;
	if (rc)
		fuse_reply_err(req, -rc);
	else
		fuse_reply_attr(req, &st, fs_timeout(ino));
}

/* Appends one entry to a directory listing; false: it did not fit. */
static bool fs_dirent(fuse_req_t req, char *buf, size_t cap, size_t *used, const char *name,
                      fuse_ino_t ino, off_t next)
{
	struct stat st = {.st_ino = ino,
	                  .st_mode = ino == INO_ROOT || ino == INO_NOTES ? S_IFDIR : S_IFREG};
	size_t need = fuse_add_direntry(req, buf + *used, cap - *used, name, &st, next);

	if (need > cap - *used)
		return false;
	*used += need;
	return true;
}

static void fs_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
                       struct fuse_file_info *fi)
{
	const struct mount_fs_config *c = fs_config(req);
	const char *names[MOUNT_FS_FILES_MAX + 3] = {".", ".."};
	fuse_ino_t inos[MOUNT_FS_FILES_MAX + 3] = {ino, INO_ROOT};
	size_t n = 2, used = 0;
	char *buf;

	(void)fi;
	if (ino != INO_ROOT && ino != INO_NOTES) {
		fuse_reply_err(req, fs_stat(c, ino, &(struct stat){0}) ? ENOENT : ENOTDIR);
		return;
	}
	if (ino == INO_NOTES) {
		names[n] = "damaged", inos[n++] = INO_DAMAGED;
		names[n] = "read_errors", inos[n++] = INO_ERRORS;
	} else {
		for (size_t i = 0; i < c->n_files; i++)
			names[n] = c->files[i].name, inos[n++] = INO_MEDIA + i;
		names[n] = "." NOTES_NAME, inos[n++] = INO_NOTES;
	}
	if (!(buf = malloc(size ? size : 1))) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	for (size_t i = off > 0 ? (size_t)off : 0; i < n; i++)
		if (!fs_dirent(req, buf, size, &used, names[i], inos[i], (off_t)(i + 1)))
			break;
	fuse_reply_buf(req, buf, used);
	free(buf);
}

static void fs_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	const struct mount_fs_config *c = fs_config(req);
	size_t file = 0;
	bool media = fs_is_media(c, ino, &file);

	if (ino == INO_ROOT || ino == INO_NOTES) {
		fuse_reply_err(req, EISDIR);
		return;
	}
	if (!media && ino != INO_DAMAGED && ino != INO_ERRORS) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	if ((fi->flags & O_ACCMODE) != O_RDONLY || (fi->flags & (O_TRUNC | O_CREAT))) {
		fuse_reply_err(req, EROFS);
		return;
	}
	fi->keep_cache = media;
	fi->direct_io = !media || c->direct_io;
	fuse_reply_open(req, fi);
}

static void fs_read_note(fuse_req_t req, const struct mount_fs_config *c, fuse_ino_t ino,
                         size_t size, off_t off)
{
	size_t len = 0;
	char *text = fs_note(c, ino, &len);

	if (!text) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	if (off < 0 || (uint64_t)off >= len)
		fuse_reply_buf(req, NULL, 0);
	else
		fuse_reply_buf(req, text + off,
		               size < len - (size_t)off ? size : len - (size_t)off);
	free(text);
}

/* The cache's chunks, as they stand, to the kernel. */
static int fs_reply_chunks(void *req, const struct iovec *iov, int n)
{
	return fuse_reply_iov(req, iov, n);
}

static void fs_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
                    struct fuse_file_info *fi)
{
	const struct mount_fs_config *c = fs_config(req);
	const struct mount_fs_file *f;
	size_t file = 0;
	int rc;

	(void)fi;
	if (ino == INO_DAMAGED || ino == INO_ERRORS) {
		fs_read_note(req, c, ino, size, off);
		return;
	}
	if (!fs_is_media(c, ino, &file)) {
		fuse_reply_err(req, EISDIR);
		return;
	}
	f = &c->files[file];
	if (off < 0 || (uint64_t)off >= f->size || size == 0) {
		fuse_reply_buf(req, NULL, 0);
		return;
	}
	size = size < f->size - (uint64_t)off ? size : (size_t)(f->size - (uint64_t)off);
	rc = mount_cache_serve(c->cache, size, f->offset + (uint64_t)off, fs_reply_chunks, req);
	if (rc)
		fuse_reply_err(req, -rc);
}

static void fs_statfs(fuse_req_t req, fuse_ino_t ino)
{
	struct statvfs st = {
	    .f_bsize = 4096, .f_frsize = 4096, .f_namemax = 255, .f_flag = ST_RDONLY};

	(void)ino;
	fuse_reply_statfs(req, &st);
}

static void fs_init(void *userdata, struct fuse_conn_info *conn)
{
	(void)userdata;
	conn->max_readahead = 1U << 20;
}

static const struct fuse_lowlevel_ops fs_ops = {
    .init = fs_init,
    .lookup = fs_lookup,
    .getattr = fs_getattr,
    .open = fs_open,
    .read = fs_read,
    .readdir = fs_readdir,
    .statfs = fs_statfs,
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

static int fs_serve(struct fuse_session *se, struct mount_fs_config *cfg, struct cu_error *err)
{
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
		if (fuse_session_loop_mt(se, 0) < 0)
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
	struct fuse_session *se;
	int rc;

	fs_name(name, sizeof(name), cfg->source);
	snprintf(opts, sizeof(opts), "ro,default_permissions,fsname=%s,subtype=custos%s", name,
	         cfg->allow_other ? ",allow_other" : "");
	if (!(se = fuse_session_new(&args, &fs_ops, sizeof(fs_ops), cfg))) {
		fuse_opt_free_args(&args);
		return cu_error_set(err, CU_EFAIL,
		                    "cannot set up FUSE (libfuse3 refused the options)");
	}
	if (fuse_session_mount(se, cfg->mountpoint) != 0) {
		fuse_session_destroy(se);
		fuse_opt_free_args(&args);
		return cu_error_set(err, CU_EFAIL,
		                    "cannot mount on %s: FUSE refused it (is /dev/fuse there, "
		                    "and fusermount3 installed?)",
		                    cfg->mountpoint);
	}
	fs_read_ahead(cfg->mountpoint);
	rc = cfg->mounted ? cfg->mounted(cfg->ctx, err) : CU_OK;
	if (!rc)
		rc = fs_serve(se, cfg, err);
	fuse_session_unmount(se);
	fuse_session_destroy(se);
	fuse_opt_free_args(&args);
	return rc;
}
