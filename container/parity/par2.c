/*
 * par2.c - par2cmdline as a subprocess (par2.h).
 *
 * The child is run as lib/child.h runs tools; the end of its output (both
 * streams) is read for the one number par2 gives nowhere else: how many
 * more recovery blocks a repair would need.  Everything else comes from
 * its exit status.
 */
#include "container/parity/par2.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/child.h"

#define ARGS_MAX (16 + 4096)

struct par2_run {
	int status; /* the exit status; -1: killed */
	struct cu_child_tail out;
};

static int run(char *const argv[], struct par2_run *r, struct cu_error *err)
{
	int fd, status = 0, rc;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	if ((rc = cu_child_start(argv, true, &pid, &fd, err)))
		return rc;
	cu_child_drain(fd, &r->out);
	close(fd);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	r->status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	if (r->status == 127)
		return cu_error_set(
		    err, CU_EUSAGE,
		    "parity is made and read by par2cmdline, which is not installed "
		    "here (Debian: apt install par2)");
	return CU_OK;
}

int par2_version(char *out, size_t cap, struct cu_error *err)
{
	char *argv[] = {PAR2_TOOL, "-V", NULL};
	struct par2_run r;
	int rc = run(argv, &r, err);

	if (rc)
		return rc;
	if (r.status != 0 || strncmp(r.out.text, "par2cmdline", 11))
		return cu_error_set(err, CU_EUSAGE, "%s -V does not say it is par2cmdline",
		                    PAR2_TOOL);
	r.out.text[strcspn(r.out.text, "\r\n")] = '\0';
	snprintf(out, cap, "%s", r.out.text);
	return CU_OK;
}

/*
 * argv: par2 VERB -q -B DIR [options] INDEX [-- names]; the strings are the
 * caller's, and the paths absolute (none begins with '-').
 */
struct argv_build {
	char *v[ARGS_MAX];
	size_t n;
	char opt[3][32];
};

static int argv_add(struct argv_build *a, const char *s, struct cu_error *err)
{
	if (a->n + 1 >= ARGS_MAX)
		return cu_error_set(err, CU_EUSAGE, "too many files for one par2 run");
	a->v[a->n++] = (char *)s;
	a->v[a->n] = NULL;
	return CU_OK;
}

static int argv_start(struct argv_build *a, const char *verb, const char *base_dir,
                      struct cu_error *err)
{
	a->n = 0;
	return argv_add(a, PAR2_TOOL, err) || argv_add(a, verb, err) || argv_add(a, "-q", err) ||
	               argv_add(a, "-B", err) || argv_add(a, base_dir, err)
	           ? CU_EUSAGE
	           : CU_OK;
}

int par2_create(const char *index, const char *base_dir, const char *const *paths, size_t n,
                unsigned percent, unsigned blocks, struct cu_error *err)
{
	struct argv_build a;
	struct par2_run r;
	int rc;

	snprintf(a.opt[0], sizeof(a.opt[0]), "-r%u", percent);
	snprintf(a.opt[1], sizeof(a.opt[1]), "-b%u", blocks);
	if ((rc = argv_start(&a, "create", base_dir, err)) || (rc = argv_add(&a, a.opt[0], err)) ||
	    (rc = argv_add(&a, "-n1", err)) || (blocks && (rc = argv_add(&a, a.opt[1], err))) ||
	    (rc = argv_add(&a, index, err)) || (rc = argv_add(&a, "--", err)))
		return rc;
	for (size_t i = 0; i < n; i++)
		if ((rc = argv_add(&a, paths[i], err)))
			return rc;
	if ((rc = run(a.v, &r, err)))
		return rc;
	if (r.status != 0)
		return cu_error_set(err, CU_EFAIL, "par2 create failed (exit %d): %s", r.status,
		                    cu_child_last_line(&r.out));
	return CU_OK;
}

/* "You need 12 more recovery blocks to be able to repair." */
static uint64_t blocks_needed(const char *text)
{
	const char *p = strstr(text, "You need ");
	unsigned long long n;

	return p && sscanf(p, "You need %llu more recovery block", &n) == 1 ? n : 0;
}

/*
 * par2 VERB (verify or repair) of the set; its exit status judged: 0 intact
 * (or repaired), 2 not repairable with the blocks it lacks, and 1
 * (repairable) where `repairable` is a verdict rather than a failure.
 */
static int par2_judge(const char *verb, const char *index, const char *base_dir, bool repairable,
                      struct parity_check *out, struct cu_error *err)
{
	struct argv_build a;
	struct par2_run r;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = argv_start(&a, verb, base_dir, err)) || (rc = argv_add(&a, index, err)) ||
	    (rc = run(a.v, &r, err)))
		return rc;
	if (r.status != PARITY_INTACT && r.status != PARITY_NOT_REPAIRABLE &&
	    !(repairable && r.status == PARITY_REPAIRABLE))
		return cu_error_set(err, CU_EFAIL, "par2 %s failed (exit %d): %s", verb, r.status,
		                    cu_child_last_line(&r.out));
	out->state = (enum parity_state)r.status;
	out->blocks_needed = blocks_needed(r.out.text);
	return CU_OK;
}

int par2_verify(const char *index, const char *base_dir, struct parity_check *out,
                struct cu_error *err)
{
	return par2_judge("verify", index, base_dir, true, out, err);
}

int par2_repair(const char *index, const char *base_dir, struct parity_check *out,
                struct cu_error *err)
{
	return par2_judge("repair", index, base_dir, false, out, err);
}
