/*
 * cmd_verify.c - `custos verify EVIDENCE|DIR ... [options]`: re-prove any
 * number of evidence sets (EWF, or raw images made by custos, checked
 * against their custody logs), named or found in directories.
 *
 * Each set is verified in full (cmd_verify_set.c): every chunk read and
 * checked, every stored digest recomputed and compared; or, with
 * --segments, each segment file against the SHA-256 its custody log
 * recorded (cmd_verify_segments.c); or, with --enroll, verified in full and
 * taken into a new custody log (cmd_verify_enroll.c).  A directory is
 * searched, through its subdirectories, for every set of which any file
 * remains: a segment of any name (.E01, .E02, .EAA, .e01, .s01, ...), a
 * part of a raw image (.raw, .001, ...) or a custody log.  A set is
 * verified by its first file; one found without it is damaged, named with
 * what remains of it, and counted, so that a set that lost its first
 * segment is never passed over in silence.
 * --jobs N verifies N sets at once (with --segments: N segment files at
 * once); the workers take sets from a queue and hand their outcomes back
 * through another, and this thread prints each as it comes, so that no two
 * lines mix.  Exit status: 0 every set matches; 1 a set mismatches or is
 * damaged (or could not be enrolled); 2 a path is not evidence, a set is
 * not enrolled for --segments, or usage.
 */
#include <dirent.h>
#include <pthread.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/builtin.h"
#include "container/cmd_verify.h"
#include "lib/grow.h"
#include "lib/parse.h"
#include "lib/interrupt.h"
#include "lib/meta.h"
#include "lib/path.h"
#include "lib/queue.h"
#include "lib/text.h"
#include "report/custody.h"

#define VERIFY_JOBS_MAX 64U

struct verify_sets {
	struct verify_set *v;
	size_t n, cap;
};

/* ---- the sets named, and found in directories ---- */

static int sets_add(struct verify_sets *s, const char *path)
{
	if (cu_grow(&s->v, &s->cap, s->n, sizeof(*s->v)))
		return CU_EFAIL;
	memset(&s->v[s->n], 0, sizeof(s->v[s->n]));
	if (!(s->v[s->n].evidence = strdup(path)))
		return CU_EFAIL;
	s->n++;
	return CU_OK;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * What a directory holds of one set: its name (the file name without the
 * extension), the family of its file names ('E' .E01 .E02 .. .EAA ..; 'e'
 * .e01 ..; 's' .s01 ..; 'r' .raw; 'a' .aff4; 'n' .001 .002 ..; 'L' its custody
 * log),
 * whether the family's first file is there, and the others that are.
 */
struct found {
	char *stem;
	char family;
	bool first;
	size_t others;
	char *other; /* the first of the others, by name */
};

struct found_list {
	struct found *v;
	size_t n, cap;
};

static const char *found_first_extension(char family)
{
	return family == 'E'   ? "E01"
	       : family == 'e' ? "e01"
	       : family == 's' ? "s01"
	       : family == 'r' ? "raw"
	       : family == 'a' ? "aff4"
	                       : "001";
}

/* The family of `name` (0: no file of a set), the length of its stem, and whether it is first. */
static char found_family(const char *name, size_t *stem, bool *first)
{
	size_t len = strlen(name), log = strlen(CU_CUSTODY_SUFFIX);
	const char *dot = strrchr(name, '.'), *ext = dot ? dot + 1 : "";
	char family;

	*first = false;
	if (len > log && !strcmp(name + len - log, CU_CUSTODY_SUFFIX)) {
		*stem = len - log;
		return 'L';
	}
	if (!dot || dot == name || !cu_path_member_extension(ext))
		return 0;
	family = ext[0] >= '0' && ext[0] <= '9'   ? 'n'
	         : !strcmp(ext, "raw")            ? 'r'
	         : !strcmp(ext, "aff4")           ? 'a'
	         : ext[0] >= 'A' && ext[0] <= 'Z' ? 'E'
	                                          : ext[0];
	*stem = (size_t)(dot - name);
	*first = !strcmp(ext, found_first_extension(family));
	return family;
}

static struct found *found_of(struct found_list *l, const char *name, size_t stem, char family)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].family == family && strlen(l->v[i].stem) == stem &&
		    !strncmp(l->v[i].stem, name, stem))
			return &l->v[i];
	if (cu_grow(&l->v, &l->cap, l->n, sizeof(*l->v)))
		return NULL;
	l->v[l->n] = (struct found){.family = family};
	if (!(l->v[l->n].stem = strndup(name, stem)))
		return NULL;
	return &l->v[l->n++];
}

/* Notes the file `name` (of a directory listed in name order) under its set. */
static int found_note(struct found_list *l, const char *name)
{
	size_t stem;
	bool first;
	char family = found_family(name, &stem, &first);
	struct found *f = family ? found_of(l, name, stem, family) : NULL;

	if (!family)
		return CU_OK;
	if (!f)
		return CU_EFAIL;
	if (first)
		f->first = true;
	else if (f->others++ == 0 && !(f->other = strdup(name)))
		return CU_EFAIL;
	return CU_OK;
}

static void found_free(struct found_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].stem);
		free(l->v[i].other);
	}
	free(l->v);
}

/* A set named without its first segment: damaged, and why, without opening anything. */
static int sets_add_missing(struct verify_sets *s, const char *first, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int sets_add_missing(struct verify_sets *s, const char *first, const char *fmt, ...)
{
	struct verify_set *v;
	va_list ap;

	if (sets_add(s, first))
		return CU_EFAIL;
	v = &s->v[s->n - 1];
	v->first_missing = true;
	v->verdict = VERDICT_DAMAGED;
	v->rc = CU_EFAIL;
	v->custody = -1;
	va_start(ap, fmt);
	vsnprintf(v->msg, sizeof(v->msg), fmt, ap);
	va_end(ap);
	return CU_OK;
}

/*
 * The first file of the set whose custody log is `log`: BASE with the
 * extension of the first file the log records, or BASE.E01.
 */
static int recorded_first(const char *dir, const char *stem, const char *log, char *out, size_t cap)
{
	struct custody_log *l = NULL;
	struct custody_segment *rec = NULL;
	size_t n = 0;
	const char *dot;
	int rc;

	if (custody_load(log, &l, NULL) == CU_OK)
		custody_segments(l, &rec, &n, NULL);
	dot = n ? strrchr(rec[0].name, '.') : NULL;
	rc = cu_path_build(out, cap, NULL, "%s/%s.%s", dir, stem,
	                   dot && cu_path_member_extension(dot + 1) ? dot + 1 : "E01");
	custody_segments_free(rec, n);
	custody_free(l);
	return rc;
}

/* Whether the set `stem` has files of any family but its log. */
static bool found_has_files(const struct found_list *l, const char *stem)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].family != 'L' && !strcmp(l->v[i].stem, stem))
			return true;
	return false;
}

static bool found_has_log(const struct found_list *l, const char *stem)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].family == 'L' && !strcmp(l->v[i].stem, stem))
			return true;
	return false;
}

/* One set found in `dir`: by its first file, or named as lacking it. */
static int sets_add_found(struct verify_sets *s, const char *dir, const struct found_list *l,
                          const struct found *f)
{
	char first[4096], log[4096];

	if (f->family == 'L') {
		if (found_has_files(l, f->stem))
			return CU_OK; /* named by its segments */
		if (cu_path_build(log, sizeof(log), NULL, "%s/%s%s", dir, f->stem,
		                  CU_CUSTODY_SUFFIX) ||
		    recorded_first(dir, f->stem, log, first, sizeof(first)))
			return CU_OK;
		return sets_add_missing(s, first,
		                        "%s is missing, and every other file of its set: only the "
		                        "custody log %s remains",
		                        first, log);
	}
	if (cu_path_build(first, sizeof(first), NULL, "%s/%s.%s", dir, f->stem,
	                  found_first_extension(f->family)))
		return CU_OK;
	if (f->first)
		return sets_add(s, first);
	return sets_add_missing(s, first,
	                        "%s, the set's first segment, is missing: %zu other file(s) of "
	                        "the set remain (%s%s)%s",
	                        first, f->others, f->other, f->others > 1 ? ", ..." : "",
	                        found_has_log(l, f->stem) ? ", and its custody log" : "");
}

/*
 * Every set under `dir` of which any file remains (a segment, a part of a
 * raw image, a custody log), in name order: the sets of its files, then
 * its subdirectories'; directories are not followed through links.
 */
static int sets_search(struct verify_sets *s, const char *dir, unsigned depth)
{
	struct dirent **entries = NULL;
	struct found_list found = {0};
	int n = depth < 64 ? scandir(dir, &entries, NULL, NULL) : -1, rc = CU_OK;
	char path[4096];
	struct stat st;

	if (n < 0)
		return CU_OK;
	qsort(entries, (size_t)n, sizeof(*entries), compare_names);
	for (int i = 0; i < n && !rc; i++)
		if (entries[i]->d_name[0] != '.' &&
		    !cu_path_build(path, sizeof(path), NULL, "%s/%s", dir, entries[i]->d_name) &&
		    lstat(path, &st) == 0 && S_ISREG(st.st_mode))
			rc = found_note(&found, entries[i]->d_name);
	for (size_t i = 0; i < found.n && !rc; i++)
		rc = sets_add_found(s, dir, &found, &found.v[i]);
	for (int i = 0; i < n; i++) {
		if (!rc && entries[i]->d_name[0] != '.' &&
		    !cu_path_build(path, sizeof(path), NULL, "%s/%s", dir, entries[i]->d_name) &&
		    lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
			rc = sets_search(s, path, depth + 1);
		free(entries[i]);
	}
	free(entries);
	found_free(&found);
	return rc;
}

static int sets_collect(struct verify_sets *s, int argc, char **argv, bool *many)
{
	int rc = CU_OK;

	*many = argc > 1;
	for (int i = 0; i < argc && !rc; i++) {
		struct stat st;

		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			*many = true;
			rc = sets_search(s, argv[i], 0);
		} else {
			rc = sets_add(s, argv[i]);
		}
	}
	return rc;
}

/* ---- running, on a pool when asked ---- */

struct verify_pool {
	const struct verify_args *a;
	struct cu_queue *pending, *done;
};

static void *verify_worker(void *arg)
{
	struct verify_pool *p = arg;
	struct verify_set *v;

	while ((v = cu_queue_pop(p->pending))) {
		if (cu_interrupt_pending())
			v->interrupted = true; /* not begun: not judged */
		else if (!v->first_missing) /* else judged when found: there is nothing to open */
			verify_set_run(v, p->a);
		else if (p->a->mode != VERIFY_ENROLL) /* but its parity may rebuild it */
			verify_parity_assess(v);
		if (v->rc && cu_interrupt_pending())
			v->interrupted =
			    true; /* stopped by the signal: what it said is no verdict */
		cu_queue_push(p->done, v);
	}
	return NULL;
}

static void verify_report(const struct verify_set *v, const struct verify_args *a)
{
	if (a->json)
		verify_print_json(v, a);
	else if (a->many)
		verify_print_line(v);
	else
		verify_print_detail(v, a);
	if (v->custody_note[0]) { /* it names files: escaped */
		fputs("custos verify: ", stderr);
		cu_text_fput(v->custody_note, stderr);
		fputc('\n', stderr);
	}
	fflush(stdout);
}

/* Runs every set, `jobs` at once; reports each as it is done. */
static int verify_all(struct verify_sets *s, const struct verify_args *a, unsigned jobs,
                      struct cu_error *err)
{
	struct verify_pool p = {.a = a};
	pthread_t threads[VERIFY_JOBS_MAX];
	unsigned n = 0;
	size_t stopped = 0;
	int rc;

	if ((rc = cu_queue_new(&p.pending, s->n, err)) || (rc = cu_queue_new(&p.done, s->n, err))) {
		cu_queue_free(p.pending);
		return rc;
	}
	for (size_t i = 0; i < s->n; i++)
		cu_queue_push(p.pending, &s->v[i]);
	cu_queue_close(p.pending);
	for (; n < jobs && n < s->n; n++)
		if (pthread_create(&threads[n], NULL, verify_worker, &p))
			break;
	if (n == 0)
		verify_worker(&p);
	for (size_t i = 0; i < s->n; i++) {
		struct verify_set *v = cu_queue_pop(p.done);

		if (v->interrupted)
			stopped++;
		else
			verify_report(v, a);
	}
	for (unsigned i = 0; i < n; i++)
		pthread_join(threads[i], NULL);
	cu_queue_free(p.pending);
	cu_queue_free(p.done);
	if (stopped)
		return cu_error_set(err, CU_EFAIL,
		                    "interrupted by SIG%s: %zu of %zu set(s) verified and reported "
		                    "before it, the others not judged",
		                    sigabbrev_np(cu_interrupt_take()), s->n - stopped, s->n);
	return CU_OK;
}

/* 1 when a set failed to verify; else 2 when one was not evidence; else 0. */
static int verify_status(const struct verify_sets *s, bool count, bool json)
{
	size_t tally[5] = {0}, refused = 0;
	int worst = 0;

	for (size_t i = 0; i < s->n; i++) {
		tally[s->v[i].verdict]++;
		refused += s->v[i].custody_refused;
		if (s->v[i].rc == CU_EFAIL || (s->v[i].rc && worst != CU_EFAIL))
			worst = s->v[i].rc;
	}
	if (!count)
		return worst;
	fprintf(json ? stderr : stdout,
	        "custos verify: %zu set(s): %zu matched, %zu mismatched, %zu damaged, %zu not "
	        "evidence",
	        s->n, tally[VERDICT_MATCH], tally[VERDICT_MISMATCH], tally[VERDICT_DAMAGED],
	        tally[VERDICT_NOT_EVIDENCE]);
	if (tally[VERDICT_NOT_ENROLLED])
		fprintf(json ? stderr : stdout, ", %zu not enrolled", tally[VERDICT_NOT_ENROLLED]);
	if (refused)
		fprintf(json ? stderr : stdout, "; %zu custody log(s) refused", refused);
	fputc('\n', json ? stderr : stdout);
	return worst;
}

/* ---- options ---- */

static int verify_take(void *ctx, int key, const char *name, const char *value,
                       struct cu_error *err)
{
	struct verify_args *a = ctx;

	(void)name;
	uint64_t n;

	switch (key) {
	case 'j':
		a->json = true;
		return CU_OK;
	case 'J':
		if (cu_parse_u64(&n, "--jobs", value, 1, VERIFY_JOBS_MAX, err))
			return CU_EUSAGE;
		a->jobs = (unsigned)n;
		return CU_OK;
	case 'S':
	case 'E':
		if (a->mode != VERIFY_FULL)
			return cu_error_set(err, CU_EUSAGE,
			                    "give --segments or --enroll, not both");
		a->mode = key == 'S' ? VERIFY_SEGMENTS : VERIFY_ENROLL;
		return CU_OK;
	case 's':
		a->source = value;
		return CU_OK;
	default:
		if (builtin_signing_take(&a->signing, key, value))
			return CU_OK;
		return cu_error_set(err, CU_EUSAGE, "unknown option (see custos verify --help)");
	}
}

static int verify_parse(struct verify_args *a, int argc, char **argv, struct cu_error *err)
{
	int rc = builtin_parse(&command_verify, argc, argv, 1, verify_take, a, err);

	if (rc)
		return rc;
	if (optind >= argc)
		return cu_error_set(err, CU_EUSAGE, "give an evidence file or a directory");
	if ((rc = builtin_signing_settle(&a->signing, err)))
		return rc;
	a->by = a->signing.by;
	a->seal = &a->signing.seal;
	return builtin_signing_probe(&a->signing, err);
}

/* How many sets at once, and how many threads each gets. */
static unsigned verify_plan(struct verify_args *a, const struct verify_sets *s)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned ncpu = cpus > 0 ? (unsigned)cpus : 1, sets = a->jobs ? a->jobs : 1;

	if (a->mode == VERIFY_SEGMENTS) { /* the segment files of one set at once */
		a->jobs = a->jobs ? a->jobs : ncpu;
		sets = 1;
	}
	if (sets > s->n)
		sets = (unsigned)s->n;
	a->scan_threads = ncpu / (sets ? sets : 1) ? ncpu / (sets ? sets : 1) : 1;
	return sets;
}

int cmd_verify(int argc, char **argv)
{
	struct verify_args a = {0};
	struct verify_sets s = {0};
	struct cu_error err = {0};
	int rc = verify_parse(&a, argc, argv, &err);

	if (!rc && sets_collect(&s, argc - optind, argv + optind, &a.many))
		rc = cu_error_set(&err, CU_EFAIL, "out of memory");
	if (!rc && a.source && (a.many || a.mode != VERIFY_FULL))
		rc = cu_error_set(&err, CU_EUSAGE, "--source goes with one set, verified in full");
	if (!rc && s.n == 0)
		rc = cu_error_set(
		    &err, CU_EUSAGE,
		    "no evidence set (no segment, raw image or custody log) in what was given");
	if (!rc)
		rc = verify_all(&s, &a, verify_plan(&a, &s), &err);
	if (!rc) {
		rc = verify_status(&s, a.many, a.json);
		if (rc && !a.many)
			builtin_fail("verify", rc, s.v[0].msg);
	} else if (rc > 0) {
		builtin_fail("verify", rc, err.msg);
	}
	for (size_t i = 0; i < s.n; i++)
		verify_set_free(&s.v[i]);
	free(s.v);
	builtin_signing_free(&a.signing);
	return rc < 0 ? 0 : rc;
}
