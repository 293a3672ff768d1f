/*
 * cmd_mount.c - `custos mount EVIDENCE MOUNTPOINT`: the media of an evidence
 * set served through FUSE as a read-only file, every chunk checked as it is
 * read (container/mount/: the cache, the notes, the tree, the file system).
 *
 * Everything that can be refused is refused before anything is mounted:
 * the options, a mount point that is not an empty directory (or is a link),
 * text the custody log cannot hold, evidence that does not open or whose
 * chain of files is not whole.  Once mounted, and before going to the
 * background, the mount is recorded in the custody log beside the set (a
 * "mounted" event); a log that cannot be extended is said once, and the
 * media is served all the same: a mount changes nothing of the evidence.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/builtin.h"
#include "container/cmd_evidence.h"
#include "container/mount/mount_cache.h"
#include "container/mount/mount_fs.h"
#include "container/mount/mount_notes.h"
#include "container/mount/mount_tree.h"
#include "lib/meta.h"
#include "lib/parse.h"
#include "lib/path.h"
#include "lib/text.h"
#include "report/custody.h"

#define MOUNT_JOBS_MAX      64U
#define MOUNT_CACHE_DEFAULT (128ULL << 20)
#define MOUNT_AHEAD         (8U << 20)

struct mount_args {
	const char *evidence, *mountpoint, *by;
	bool foreground, partitions, allow_other, damaged_zero, direct_io;
	uint64_t cache;
	unsigned jobs;
};

struct mount_job {
	const struct mount_args *a;
	char *evidence;            /* absolute: the daemon serves from "/" */
	char mountpoint[PATH_MAX]; /* resolved */
	struct evidence *e;
	struct mount_notes *notes;
	struct mount_fs_config fs;
	char partition_note[CU_ERROR_MSG_MAX];
};

/* ---- the options ---- */

static int mount_take(void *ctx, int key, const char *name, const char *value, struct cu_error *err)
{
	static const char *const damaged[] = {"eio", "zero", NULL};
	struct mount_args *a = ctx;
	uint64_t n;
	int choice;

	(void)name;
	switch (key) {
	case 'f':
		a->foreground = true;
		return CU_OK;
	case 'p':
		a->partitions = true;
		return CU_OK;
	case 'a':
		a->allow_other = true;
		return CU_OK;
	case 'D':
		a->direct_io = true;
		return CU_OK;
	case 'b':
		a->by = value;
		return CU_OK;
	case 'd':
		if (cu_parse_choice(&choice, "--damaged", value, damaged, err))
			return CU_EUSAGE;
		a->damaged_zero = choice == 1;
		return CU_OK;
	case 'c':
		return cu_parse_size(&a->cache, "--cache", value, err) ? CU_EUSAGE : CU_OK;
	case 'J':
		if (cu_parse_u64(&n, "--jobs", value, 1, MOUNT_JOBS_MAX, err))
			return CU_EUSAGE;
		a->jobs = (unsigned)n;
		return CU_OK;
	default:
		return cu_error_set(err, CU_EUSAGE, "unknown option (see custos mount --help)");
	}
}

static int mount_parse(struct mount_args *a, int argc, char **argv, struct cu_error *err)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int rc = builtin_parse(&command_mount, argc, argv, 1, mount_take, a, err);

	if (rc)
		return rc;
	if (optind != argc - 2)
		return cu_error_set(err, CU_EUSAGE, "give one evidence file and one mount point");
	a->evidence = argv[optind];
	a->mountpoint = argv[optind + 1];
	if (!a->by)
		a->by = cu_meta_user();
	if (!a->jobs)
		a->jobs = cpus > 0 ? (unsigned)(cpus < MOUNT_JOBS_MAX ? cpus : MOUNT_JOBS_MAX) : 1;
	if (!a->cache)
		a->cache = MOUNT_CACHE_DEFAULT;
	return cu_text_check_xml("--by", a->by, false, err) ? CU_EUSAGE : CU_OK;
}

/* ---- the checks ---- */

/* An empty directory, not a link, whose path the custody log can hold. */
static int mount_check_point(struct mount_job *j, struct cu_error *err)
{
	const char *path = j->a->mountpoint;
	struct dirent *d;
	struct stat st;
	DIR *dir;
	bool empty = true;

	if (lstat(path, &st) != 0)
		return cu_error_errno(err, CU_EUSAGE, errno, "the mount point %s", path);
	if (S_ISLNK(st.st_mode) || !S_ISDIR(st.st_mode))
		return cu_error_set(err, CU_EUSAGE, "the mount point %s is not a directory%s", path,
		                    S_ISLNK(st.st_mode) ? " (a link is not followed)" : "");
	if (!(dir = opendir(path)))
		return cu_error_errno(err, CU_EUSAGE, errno, "the mount point %s", path);
	while (empty && (d = readdir(dir)))
		empty = !strcmp(d->d_name, ".") || !strcmp(d->d_name, "..");
	closedir(dir);
	if (!empty)
		return cu_error_set(err, CU_EUSAGE, "the mount point %s is not empty", path);
	if (!realpath(path, j->mountpoint))
		return cu_error_errno(err, CU_EUSAGE, errno, "the mount point %s", path);
	return cu_text_check_xml("the mount point", j->mountpoint, false, err) ? CU_EUSAGE : CU_OK;
}

/* The set opened from its absolute name, and whole. */
static int mount_open(struct mount_job *j, struct cu_error *err)
{
	char problem[CU_ERROR_MSG_MAX];
	int rc;

	if (!(j->evidence = cu_path_absolute(j->a->evidence)))
		return cu_error_errno(err, CU_EFAIL, errno, "%s", j->a->evidence);
	if ((rc = cmd_evidence_open(&j->e, j->evidence, err)))
		return rc;
	if (evidence_chain_check(j->e, problem, sizeof(problem)))
		return cu_error_set(err, CU_EFAIL, "%s is not whole: %s", j->evidence, problem);
	return CU_OK;
}

/* The set's name as files are named after it: the first file's, without its extension. */
static void mount_base(const struct mount_job *j, char *out, size_t cap)
{
	const char *first = evidence_file_name(j->e, 0), *slash = strrchr(first, '/');
	const char *name = slash ? slash + 1 : first, *dot = strrchr(name, '.');
	size_t len = dot && dot != name ? (size_t)(dot - name) : strlen(name);

	snprintf(out, cap, "%.*s", (int)len, name);
}

/* ---- the custody event ---- */

/* The log's binding: a set's stored digests; a raw image's, those its log records. */
static int mount_binding(const struct mount_job *j, struct custody_binding *b, struct cu_error *err)
{
	struct evidence_facts f;

	evidence_facts(j->e, &f);
	if (f.digests_inside)
		return custody_binding_of(evidence_file_name(j->e, 0), NULL, b, err);
	memset(b, 0, sizeof(*b));
	evidence_stored_digests(j->e, &b->digests);
	if (!b->digests.have[CU_HASH_MD5])
		return cu_error_set(err, CU_EFAIL,
		                    "it records no MD5 of the raw image to bind it by");
	return CU_OK;
}

static void mount_record(const struct mount_job *j)
{
	char *log = cu_path_custody_log(evidence_file_name(j->e, 0));
	char host[256] = "unknown", note[PATH_MAX + 256];
	struct custody_event ev = {.action = "mounted", .by = j->a->by, .note = note};
	struct custody_binding binding;
	struct cu_error err = {0};
	struct stat st;

	if (!log || lstat(log, &st) != 0) {
		printf(
		    "  custody: no custody log beside the evidence: the mount is not recorded\n");
		free(log);
		return;
	}
	if (gethostname(host, sizeof(host) - 1) != 0 ||
	    cu_text_check_xml("host", host, false, NULL))
		snprintf(host, sizeof(host), "unknown");
	ev.location = host;
	snprintf(note, sizeof(note), "mounted read-only on %s (%s): damaged chunks %s",
	         j->mountpoint, j->a->partitions ? "the media and its partitions" : "the media",
	         j->a->damaged_zero ? "read as zeros" : "fail with EIO");
	if (!mount_binding(j, &binding, &err) &&
	    !custody_append(log, &ev, &binding, NULL, CUSTODY_LOCK_SECONDS, &err)) {
		printf("  custody: a \"mounted\" event appended to %s\n", log);
	} else {
		fprintf(stderr, "custos mount: the custody log %s was not extended: ", log);
		cu_text_fput(err.msg, stderr);
		fputs("; the media is served all the same\n", stderr);
	}
	free(log);
}

/* Mounted, still in the foreground: what is served, said; the mount, recorded. */
static int mount_mounted(void *ctx, struct cu_error *err)
{
	const struct mount_job *j = ctx;

	(void)err;
	printf("custos mount: ");
	cu_text_fput(j->evidence, stdout);
	printf(" mounted read-only on ");
	cu_text_fput(j->mountpoint, stdout);
	putchar('\n');
	for (size_t i = 0; i < j->fs.n_files; i++) {
		printf("  %s/", j->mountpoint);
		cu_text_fput(j->fs.files[i].name, stdout);
		printf(": %llu bytes", (unsigned long long)j->fs.files[i].size);
		if (i)
			printf(" from byte %llu of the media",
			       (unsigned long long)j->fs.files[i].offset);
		putchar('\n');
	}
	printf("  %s/.custos/damaged: damaged chunks, as found (reads there %s)\n", j->mountpoint,
	       j->a->damaged_zero ? "give zeros" : "fail with EIO");
	printf("  %s/.custos/read_errors: the sectors the acquisition could not read\n",
	       j->mountpoint);
	if (j->partition_note[0]) {
		printf("  ");
		cu_text_fput(j->partition_note, stdout);
		putchar('\n');
	}
	mount_record(j);
	printf("  unmount: fusermount3 -u %s\n", j->mountpoint);
	return CU_OK;
}

/* ---- the run ---- */

static int mount_prepare(struct mount_job *j, struct mount_cache **cache, struct cu_error *err)
{
	const struct mount_args *a = j->a;
	struct mount_cache_config cc = {.cache_bytes = (size_t)a->cache,
	                                .ahead_bytes = MOUNT_AHEAD,
	                                .readers = a->jobs,
	                                .damaged_zero = a->damaged_zero,
	                                .on_damage = mount_notes_damaged};
	char base[256];
	struct stat st;
	int rc;

	mount_base(j, base, sizeof(base));
	if ((rc = mount_tree_build(j->e, base, a->partitions, &j->fs, j->partition_note,
	                           sizeof(j->partition_note), err)) ||
	    (rc = mount_notes_new(&j->notes, j->e, evidence_file_name(j->e, 0), a->damaged_zero,
	                          stderr, err)))
		return rc;
	cc.ctx = j->notes;
	if ((rc = mount_cache_new(cache, j->e, &cc, err)))
		return rc;
	j->fs.mountpoint = j->mountpoint;
	j->fs.source = j->evidence;
	j->fs.foreground = a->foreground;
	j->fs.allow_other = a->allow_other;
	j->fs.direct_io = a->direct_io;
	j->fs.cache = *cache;
	j->fs.notes = j->notes;
	j->fs.mtime = stat(evidence_file_name(j->e, 0), &st) == 0 ? st.st_mtime : 0;
	j->fs.mounted = mount_mounted;
	j->fs.ctx = j;
	return CU_OK;
}

int cmd_mount(int argc, char **argv)
{
	struct mount_args a = {0};
	struct mount_job j = {.a = &a};
	struct mount_cache *cache = NULL;
	struct cu_error err = {0};
	int rc = mount_parse(&a, argc, argv, &err);

	if (rc)
		return rc < 0 ? 0 : builtin_fail("mount", rc, err.msg);
	if (!(rc = mount_check_point(&j, &err)) && !(rc = mount_open(&j, &err)) &&
	    !(rc = mount_prepare(&j, &cache, &err)))
		rc = mount_fs_run(&j.fs, &err);
	mount_cache_free(cache);
	mount_notes_free(j.notes);
	evidence_close(j.e);
	free(j.evidence);
	return rc ? builtin_fail("mount", rc, err.msg) : 0;
}
