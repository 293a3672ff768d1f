/*
 * par2.c - par2cmdline as a subprocess (par2.h).
 *
 * The child gets a clean signal mask, its own process group and death with
 * custos; its output (both streams) is kept to the last few kilobytes,
 * which are read for the one number par2 gives nowhere else: how many more
 * recovery blocks a repair would need.  Everything else comes from its
 * exit status.
 */
#include "container/parity/par2.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/grow.h"

#define OUTPUT_TAIL 8192
#define ARGS_MAX    (16 + 4096)

struct par2_run {
	int status;                 /* the exit status; -1: killed */
	char tail[OUTPUT_TAIL + 1]; /* the end of what it printed */
	size_t len;
};

static void child(char *const argv[], pid_t parent, int out)
{
	sigset_t none;
	int null = open("/dev/null", O_RDONLY);

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != parent || null < 0)
		_exit(127);
	setpgid(0, 0);
	if (dup2(null, STDIN_FILENO) < 0 || dup2(out, STDOUT_FILENO) < 0 ||
	    dup2(out, STDERR_FILENO) < 0)
		_exit(127);
	execvp(argv[0], argv);
	_exit(127);
}

/* Keeps the last OUTPUT_TAIL bytes of `fd` until its end. */
static void drain(int fd, struct par2_run *r)
{
	char buf[4096];
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		size_t take;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		take = (size_t)n > OUTPUT_TAIL ? OUTPUT_TAIL : (size_t)n;
		if (r->len + take > OUTPUT_TAIL) {
			size_t drop = r->len + take - OUTPUT_TAIL;

			memmove(r->tail, r->tail + drop, r->len - drop);
			r->len -= drop;
		}
		memcpy(r->tail + r->len, buf + n - take, take);
		r->len += take;
	}
	r->tail[r->len] = '\0';
}

static int run(char *const argv[], struct par2_run *r, struct cu_error *err)
{
	int fds[2], status = 0;
	pid_t parent = getpid(), pid;

	memset(r, 0, sizeof(*r));
	if (pipe2(fds, O_CLOEXEC) != 0)
		return cu_error_errno(err, CU_EFAIL, errno, "cannot start " PAR2_TOOL);
	pid = fork();
	if (pid == 0)
		child(argv, parent, fds[1]);
	close(fds[1]);
	if (pid < 0) {
		close(fds[0]);
		return cu_error_errno(err, CU_EFAIL, errno, "cannot start " PAR2_TOOL);
	}
	drain(fds[0], r);
	close(fds[0]);
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

/* The last line of par2's output that says something, for a message. */
static const char *last_line(struct par2_run *r)
{
	char *line;

	while (r->len && strchr("\r\n ", r->tail[r->len - 1]))
		r->tail[--r->len] = '\0';
	line = strrchr(r->tail, '\n');
	line = line ? line + 1 : r->tail;
	return strrchr(line, '\r') ? strrchr(line, '\r') + 1 : line;
}

int par2_version(char *out, size_t cap, struct cu_error *err)
{
	char *argv[] = {PAR2_TOOL, "-V", NULL};
	struct par2_run r;
	int rc = run(argv, &r, err);

	if (rc)
		return rc;
	if (r.status != 0 || strncmp(r.tail, "par2cmdline", 11))
		return cu_error_set(err, CU_EUSAGE, "%s -V does not say it is par2cmdline",
		                    PAR2_TOOL);
	r.tail[strcspn(r.tail, "\r\n")] = '\0';
	snprintf(out, cap, "%s", r.tail);
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
		                    last_line(&r));
	return CU_OK;
}

/* "You need 12 more recovery blocks to be able to repair." */
static uint64_t blocks_needed(const char *text)
{
	const char *p = strstr(text, "You need ");
	unsigned long long n;

	return p && sscanf(p, "You need %llu more recovery block", &n) == 1 ? n : 0;
}

int par2_verify(const char *index, const char *base_dir, struct par2_check *out,
                struct cu_error *err)
{
	struct argv_build a;
	struct par2_run r;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = argv_start(&a, "verify", base_dir, err)) || (rc = argv_add(&a, index, err)) ||
	    (rc = run(a.v, &r, err)))
		return rc;
	if (r.status < 0 || r.status > PAR2_NOT_REPAIRABLE)
		return cu_error_set(err, CU_EFAIL, "par2 verify failed (exit %d): %s", r.status,
		                    last_line(&r));
	out->state = (enum par2_state)r.status;
	out->blocks_needed = blocks_needed(r.tail);
	return CU_OK;
}

int par2_repair(const char *index, const char *base_dir, struct par2_check *out,
                struct cu_error *err)
{
	struct argv_build a;
	struct par2_run r;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = argv_start(&a, "repair", base_dir, err)) || (rc = argv_add(&a, index, err)) ||
	    (rc = run(a.v, &r, err)))
		return rc;
	if (r.status == PAR2_NOT_REPAIRABLE) {
		out->state = PAR2_NOT_REPAIRABLE;
		out->blocks_needed = blocks_needed(r.tail);
		return CU_OK;
	}
	if (r.status != 0)
		return cu_error_set(err, CU_EFAIL, "par2 repair failed (exit %d): %s", r.status,
		                    last_line(&r));
	return CU_OK;
}
