/*
 * cmd_parity.c - a set's parity files, checked, and par2 run on them
 * (cmd_parity.h).
 */
#include "container/cmd_parity.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/hash_files.h"
#include "lib/path.h"

/* DIR of `path` (".", when it names none). */
static int dir_of(const char *path, char *out, size_t cap, struct cu_error *err)
{
	const char *slash = strrchr(path, '/');
	int n =
	    slash ? snprintf(out, cap, "%.*s", (int)(slash - path), path) : snprintf(out, cap, ".");

	if (n < 0 || (size_t)n >= cap)
		return cu_error_set(err, CU_EUSAGE, "the path %s is too long", path);
	if (!out[0])
		snprintf(out, cap, "/");
	return CU_OK;
}

/*
 * The log beside the set any of whose names is `evidence` (BASE, or any
 * file of it, even one that is missing), by an absolute path.
 */
static int find_log(struct parity_set *ps, const char *evidence, struct cu_error *err)
{
	char *log = cu_path_custody_log(evidence), *abs = log ? cu_path_absolute(log) : NULL;
	struct stat st;
	int rc = CU_OK;

	free(log);
	if (!abs)
		return cu_error_errno(err, CU_EFAIL, errno, "cannot name the custody log of %s",
		                      evidence);
	ps->log_path = abs; /* par2 is given absolute paths only */
	if (lstat(abs, &st) != 0 || !S_ISREG(st.st_mode))
		rc = cu_error_set(err, CU_EUSAGE,
		                  "%s has no custody log (%s): take it into custody first with "
		                  "custos verify --enroll",
		                  evidence, abs);
	return rc ? rc : dir_of(abs, ps->dir, sizeof(ps->dir), err);
}

int parity_set_open(struct parity_set *ps, const char *evidence, bool bound, struct cu_error *err)
{
	struct custody_binding binding;
	struct custody_checks checks = {0};
	int rc;

	memset(ps, 0, sizeof(*ps));
	if ((rc = find_log(ps, evidence, err)) ||
	    (rc = custody_load(ps->log_path, &ps->log, err)) ||
	    (rc = custody_segments(ps->log, &ps->segments, &ps->n_segments, err)) ||
	    (rc = custody_parity(ps->log, &ps->parity, err)))
		return rc;
	if (ps->parity.n)
		parity_format_parse(ps->parity.format, &ps->format); /* custody_parity checked it */
	if (!ps->n_segments)
		return cu_error_set(
		    err, CU_EUSAGE,
		    "the custody log %s records no files of the set: enroll it again "
		    "with custos verify --enroll",
		    ps->log_path);
	/* the set's first file, as the record names it, even when it is missing */
	if ((rc = parity_set_path(ps, ps->segments[0].name, ps->first, sizeof(ps->first), err)))
		return rc;
	if (bound && (rc = custody_binding_of(ps->first, ps->log, &binding, err)))
		return rc;
	checks.binding = bound ? &binding : NULL;
	return custody_check(ps->log, &checks, err);
}

void parity_set_close(struct parity_set *ps)
{
	custody_parity_free(&ps->parity);
	custody_segments_free(ps->segments, ps->n_segments);
	custody_free(ps->log);
	free(ps->log_path);
	memset(ps, 0, sizeof(*ps));
}

int parity_set_path(const struct parity_set *ps, const char *name, char *out, size_t cap,
                    struct cu_error *err)
{
	if (!name[0] || !strcmp(name, ".") || !strcmp(name, "..") || strchr(name, '/'))
		return cu_error_set(err, CU_EFAIL,
		                    "the custody log names a file %s: not a file name", name);
	return cu_path_build(out, cap, err, "%s/%s", ps->dir, name);
}

/* Whether `path` is a regular file of `size` bytes and the SHA-256 recorded; *why says not. */
static int file_matches(const char *path, const struct custody_segment *rec, bool *matches,
                        const char **why, struct cu_error *err)
{
	uint8_t sha[32];
	struct stat st;
	int rc;

	*matches = false;
	if (lstat(path, &st) != 0) {
		*why = "is missing";
		return CU_OK;
	}
	if (!S_ISREG(st.st_mode)) {
		*why = S_ISLNK(st.st_mode) ? "is a link" : "is not a regular file";
		return CU_EUSAGE;
	}
	if ((uint64_t)st.st_size != rec->size) {
		*why = "is not the size recorded";
		return CU_OK;
	}
	if (rec->have_sha256) {
		if ((rc = cu_hash_file_sha256(path, sha, err)))
			return rc;
		if (memcmp(sha, rec->sha256, 32)) {
			*why = "does not have the SHA-256 recorded";
			return CU_OK;
		}
	}
	*matches = true;
	return CU_OK;
}

/* Which files are there, regular, of their recorded size: the others damaged; a link refused. */
static int damaged_by_size(const struct parity_set *ps, bool *damaged, char **paths,
                           struct cu_error *err)
{
	struct stat st;
	int rc;

	for (size_t i = 0; i < ps->n_segments; i++) {
		if ((rc = parity_set_path(ps, ps->segments[i].name, paths[i], 4096, err)))
			return rc;
		if (lstat(paths[i], &st) == 0 && !S_ISREG(st.st_mode))
			return cu_error_set(err, CU_EUSAGE, "%s is %s: refused", paths[i],
			                    S_ISLNK(st.st_mode) ? "a link" : "not a regular file");
		damaged[i] =
		    lstat(paths[i], &st) != 0 || (uint64_t)st.st_size != ps->segments[i].size;
	}
	return CU_OK;
}

int parity_set_damaged(const struct parity_set *ps, bool *damaged, size_t *n_damaged,
                       struct cu_error *err)
{
	size_t n = ps->n_segments, k = 0;
	char **paths = calloc(n, sizeof(*paths));
	const char **to_hash = calloc(n, sizeof(*to_hash));
	uint8_t(*sha)[32] = calloc(n, sizeof(*sha));
	size_t *which = calloc(n, sizeof(*which));
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int rc =
	    paths && to_hash && sha && which ? CU_OK : cu_error_set(err, CU_EFAIL, "out of memory");

	for (size_t i = 0; !rc && i < n; i++)
		if (!(paths[i] = malloc(4096)))
			rc = cu_error_set(err, CU_EFAIL, "out of memory");
	if (!rc)
		rc = damaged_by_size(ps, damaged, paths, err);
	for (size_t i = 0; !rc && i < n; i++)
		if (!damaged[i] && ps->segments[i].have_sha256) {
			which[k] = i;
			to_hash[k++] = paths[i];
		}
	/* the SHA-256 of every file on every core: no media digest waits for it */
	if (!rc && k)
		rc = cu_hash_files_each_sha256(to_hash, k, cpus > 0 ? (unsigned)cpus : 1, sha, NULL,
		                               err);
	for (size_t j = 0; !rc && j < k; j++)
		damaged[which[j]] = memcmp(sha[j], ps->segments[which[j]].sha256, 32) != 0;
	*n_damaged = 0;
	for (size_t i = 0; !rc && i < n; i++)
		*n_damaged += damaged[i];
	for (size_t i = 0; paths && i < n; i++)
		free(paths[i]);
	free(paths);
	free(to_hash);
	free(sha);
	free(which);
	return rc;
}

int parity_set_check_parity(const struct parity_set *ps, struct cu_error *err)
{
	char path[4096];
	const char *why = "";
	int rc;

	for (size_t i = 0; i < ps->parity.n; i++) {
		bool ok;

		if ((rc = parity_set_path(ps, ps->parity.files[i].name, path, sizeof(path), err)))
			return rc;
		rc = file_matches(path, &ps->parity.files[i], &ok, &why, err);
		if (rc && rc != CU_EUSAGE)
			return rc;
		if (rc || !ok)
			return cu_error_set(
			    err, CU_EFAIL,
			    "the parity file %s %s: it is not the parity custos made "
			    "for this set; nothing was changed",
			    path, why);
	}
	return CU_OK;
}

/* A link in `stage` to `name` beside the set. */
static int stage_link(const struct parity_set *ps, const char *stage, const char *name,
                      struct cu_error *err)
{
	char target[4096], link[4096];
	char *abs;
	int rc;

	if ((rc = parity_set_path(ps, name, target, sizeof(target), err)) ||
	    (rc = cu_path_build(link, sizeof(link), err, "%s/%s", stage, name)))
		return rc;
	if (!(abs = cu_path_absolute(target)))
		return cu_error_errno(err, CU_EFAIL, errno, "cannot name %s", target);
	rc = symlink(abs, link) ? cu_error_errno(err, CU_EFAIL, errno, "cannot link %s", link)
	                        : CU_OK;
	free(abs);
	return rc;
}

/* Whether `name` ends in `suffix`. */
static bool ends_with(const char *name, const char *suffix)
{
	size_t n = strlen(name), k = strlen(suffix);

	return n >= k && !strcmp(name + n - k, suffix);
}

/* A PAR2 recovery volume: BASE.volN+M.par2 (BASE may hold ".vol" itself). */
static bool par2_volume(const char *name)
{
	const char *v = NULL, *p;
	size_t digits;

	for (p = strstr(name, ".vol"); p; p = strstr(p + 1, ".vol"))
		v = p;
	if (!v || !ends_with(name, ".par2"))
		return false;
	v += 4;
	digits = strspn(v, "0123456789");
	if (!digits || v[digits] != '+')
		return false;
	v += digits + 1;
	digits = strspn(v, "0123456789");
	return digits && !strcmp(v + digits, ".par2");
}

/* The recorded parity file that is the index: BASE.rsp, or BASE.par2 (not a volume). */
static const char *index_name(const struct parity_set *ps)
{
	for (size_t i = 0; i < ps->parity.n; i++) {
		const char *name = ps->parity.files[i].name;

		if (ps->format == PARITY_RS ? ends_with(name, parity_index_suffix(PARITY_RS))
		                            : ends_with(name, ".par2") && !par2_volume(name))
			return name;
	}
	return NULL;
}

int parity_stage_make(const struct parity_set *ps, bool segments, char *stage, size_t cap,
                      char *index, size_t index_cap, struct cu_error *err)
{
	const char *slash = strrchr(ps->first, '/'), *name = slash ? slash + 1 : ps->first;
	const char *idx = index_name(ps);
	char path[4096];
	int rc;

	if ((rc = cu_path_build(stage, cap, err, "%s/.%s.parity.XXXXXX", ps->dir, name)))
		return rc;
	if (!mkdtemp(stage))
		return cu_error_errno(err, CU_EFAIL, errno, "cannot make a directory beside %s",
		                      ps->first);
	for (size_t i = 0; !rc && i < ps->parity.n; i++)
		rc = stage_link(ps, stage, ps->parity.files[i].name, err);
	for (size_t i = 0; !rc && segments && i < ps->n_segments; i++) {
		struct stat st;

		if (!(rc = parity_set_path(ps, ps->segments[i].name, path, sizeof(path), err)) &&
		    lstat(path, &st) == 0)
			rc = stage_link(ps, stage, ps->segments[i].name, err);
	}
	if (!rc && idx)
		rc = cu_path_build(index, index_cap, err, "%s/%s", stage, idx);
	else if (!rc)
		rc = cu_error_set(err, CU_EFAIL, "the custody log records no parity index file");
	if (rc)
		parity_stage_remove(stage);
	return rc;
}

void parity_stage_remove(const char *stage)
{
	DIR *d = opendir(stage);
	struct dirent *e;
	char path[4096];

	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
		    !cu_path_build(path, sizeof(path), NULL, "%s/%s", stage, e->d_name))
			unlink(path); /* a link is removed, never what it names */
	if (d)
		closedir(d);
	rmdir(stage);
}

int parity_set_assess(const struct parity_set *ps, struct parity_check *out, struct cu_error *err)
{
	char stage[4096], index[4096];
	int rc;

	if ((rc = parity_set_check_parity(ps, err)) ||
	    (rc = parity_stage_make(ps, true, stage, sizeof(stage), index, sizeof(index), err)))
		return rc;
	rc = parity_verify(ps->format, index, stage, out, err);
	parity_stage_remove(stage);
	return rc;
}
