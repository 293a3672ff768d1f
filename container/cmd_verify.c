/*
 * cmd_verify.c - `custos verify EVIDENCE|DIR ... [options]`: re-prove any
 * number of EWF sets, named or found in directories.
 *
 * Each set is verified in full (cmd_verify_set.c): every chunk read and
 * checked, every stored digest recomputed and compared; or, with
 * --segments, each segment file against the SHA-256 its custody log
 * recorded (cmd_verify_segments.c); or, with --enroll, verified in full and
 * taken into a new custody log (cmd_verify_enroll.c).  A directory is
 * searched for the first segment of every set in it (.E01, .e01, .s01).
 * --jobs N verifies N sets at once (with --segments: N segment files at
 * once); the workers take sets from a queue and hand their outcomes back
 * through another, and this thread prints each as it comes, so that no two
 * lines mix.  Exit status: 0 every set matches; 1 a set mismatches or is
 * damaged (or could not be enrolled); 2 a path is not evidence, a set is
 * not enrolled for --segments, or usage.
 */
#include <dirent.h>
#include <pthread.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "builtin.h"
#include "container/cmd_verify.h"
#include "lib/parse.h"
#include "lib/path.h"
#include "lib/queue.h"
#include "lib/text.h"

#define VERIFY_JOBS_MAX 64U

struct verify_sets {
	struct verify_set *v;
	size_t n, cap;
};

/* ---- the sets named, and found in directories ---- */

static int sets_add(struct verify_sets *s, const char *path)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 16;
		struct verify_set *grown = realloc(s->v, cap * sizeof(*grown));

		if (!grown)
			return CU_EFAIL;
		s->v = grown;
		s->cap = cap;
	}
	memset(&s->v[s->n], 0, sizeof(s->v[s->n]));
	if (!(s->v[s->n].evidence = strdup(path)))
		return CU_EFAIL;
	s->n++;
	return CU_OK;
}

static int is_first_segment(const char *name)
{
	size_t len = strlen(name);

	return len > 4 && (!strcmp(name + len - 4, ".E01") || !strcmp(name + len - 4, ".e01") ||
	                   !strcmp(name + len - 4, ".s01"));
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every first segment under `dir`, in name order; directories are not followed through links. */
static int sets_search(struct verify_sets *s, const char *dir, unsigned depth)
{
	struct dirent **entries = NULL;
	int n = depth < 64 ? scandir(dir, &entries, NULL, NULL) : -1, rc = CU_OK;

	if (n < 0)
		return CU_OK;
	qsort(entries, (size_t)n, sizeof(*entries), compare_names);
	for (int i = 0; i < n; i++) {
		char path[4096];
		struct stat st;

		if (!rc && entries[i]->d_name[0] != '.' &&
		    !cu_path_build(path, sizeof(path), NULL, "%s/%s", dir, entries[i]->d_name) &&
		    lstat(path, &st) == 0) {
			if (S_ISDIR(st.st_mode))
				rc = sets_search(s, path, depth + 1);
			else if (S_ISREG(st.st_mode) && is_first_segment(entries[i]->d_name))
				rc = sets_add(s, path);
		}
		free(entries[i]);
	}
	free(entries);
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
		verify_set_run(v, p->a);
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
	if (v->custody_note[0])
		fprintf(stderr, "custos verify: %s\n", v->custody_note);
	fflush(stdout);
}

/* Runs every set, `jobs` at once; reports each as it is done. */
static int verify_all(struct verify_sets *s, const struct verify_args *a, unsigned jobs,
                      struct cu_error *err)
{
	struct verify_pool p = {.a = a};
	pthread_t threads[VERIFY_JOBS_MAX];
	unsigned n = 0;
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
	for (size_t i = 0; i < s->n; i++)
		verify_report(cu_queue_pop(p.done), a);
	for (unsigned i = 0; i < n; i++)
		pthread_join(threads[i], NULL);
	cu_queue_free(p.pending);
	cu_queue_free(p.done);
	return CU_OK;
}

/* 1 when a set failed to verify; else 2 when one was not evidence; else 0. */
static int verify_status(const struct verify_sets *s, bool count, bool json)
{
	size_t tally[5] = {0};
	int worst = 0;

	for (size_t i = 0; i < s->n; i++) {
		tally[s->v[i].verdict]++;
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
	fputc('\n', json ? stderr : stdout);
	return worst;
}

/* ---- options ---- */

static const char *verify_user(void)
{
	struct passwd *pw = getpwuid(getuid());

	return pw && pw->pw_name ? pw->pw_name : "unknown";
}

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
	case 'b':
		a->by = value;
		return CU_OK;
	case 'k':
		a->sign_key = value;
		return CU_OK;
	case 'c':
		a->sign_cert = value;
		return CU_OK;
	default:
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
	if (a->by && cu_text_check_xml("--by", a->by, false, err))
		return CU_EUSAGE;
	if (!a->sign_key != !a->sign_cert)
		return cu_error_set(err, CU_EUSAGE,
		                    "signing takes --sign-key and --sign-cert together");
	if (!a->by)
		a->by = verify_user();
	return a->sign_key ? sign_signer_load(&a->signer, a->sign_key, a->sign_cert, err) : CU_OK;
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
		rc = cu_error_set(&err, CU_EUSAGE,
		                  "no EWF set (.E01, .e01, .s01) in what was given");
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
	sign_signer_free(a.signer);
	return rc < 0 ? 0 : rc;
}
