/*
 * rescue_engine.c - running GNU ddrescue and watching it.
 *
 * The child gets standard input and output on /dev/null and its standard
 * error on a pipe, whose last line becomes the message should ddrescue
 * fail.  The parent waits in steps of half a second: a signal on the cancel
 * descriptor is passed on as SIGTERM, the mapfile is tallied for the
 * progress line, and the child is reaped when it exits.
 */
#include "acquire/rescue/rescue_engine.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#define ENGINE       "ddrescue"
#define ARGS_MAX     16
#define STDERR_TAIL  1024
#define WAIT_STEP_MS 500

struct engine_args {
	char *v[ARGS_MAX];
	char sector[16], retries[16];
	int n;
};

static void engine_args(const struct acq_rescue_engine *e, struct engine_args *a)
{
	a->n = 0;
	snprintf(a->sector, sizeof(a->sector), "%u", e->sector_size);
	snprintf(a->retries, sizeof(a->retries), "%u", e->retries);
	a->v[a->n++] = ENGINE;
	if (e->direct)
		a->v[a->n++] = "-d";
	a->v[a->n++] = "-b";
	a->v[a->n++] = a->sector;
	a->v[a->n++] = "-r";
	a->v[a->n++] = a->retries;
	a->v[a->n++] = "-S";                     /* the spool is sparse */
	a->v[a->n++] = "--mapfile-interval=1,5"; /* saved every second, synced every 5 */
	a->v[a->n++] = (char *)e->source;
	a->v[a->n++] = (char *)e->spool;
	a->v[a->n++] = (char *)e->mapfile;
	a->v[a->n] = NULL;
}

char *acq_rescue_engine_command(const struct acq_rescue_engine *e)
{
	struct engine_args a;
	size_t len = 1;
	char *out;

	engine_args(e, &a);
	for (int i = 0; i < a.n; i++)
		len += strlen(a.v[i]) + 1;
	if (!(out = malloc(len)))
		return NULL;
	out[0] = '\0';
	for (int i = 0; i < a.n; i++) {
		strcat(out, a.v[i]);
		if (i + 1 < a.n)
			strcat(out, " ");
	}
	return out;
}

/* In the child: a clean signal state, its own process group, death with custos. */
static void engine_exec(char *const argv[], pid_t parent, int err_fd, int out_fd)
{
	sigset_t none;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL); /* custos ignores it; ddrescue gets the default */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != parent)
		_exit(127);
	setpgid(0, 0);
	if (dup2(out_fd, STDIN_FILENO) < 0 || dup2(out_fd, STDOUT_FILENO) < 0 ||
	    dup2(err_fd, STDERR_FILENO) < 0)
		_exit(127);
	execvp(argv[0], argv);
	_exit(127);
}

static int engine_spawn(char *const argv[], pid_t *pid, int *err_read, bool capture_out,
                        struct cu_error *err)
{
	int pipefd[2], null = open("/dev/null", O_RDWR | O_CLOEXEC);
	pid_t parent = getpid();

	if (null < 0 || pipe2(pipefd, O_CLOEXEC) != 0) {
		if (null >= 0)
			close(null);
		return cu_error_errno(err, CU_EFAIL, errno, "cannot start " ENGINE);
	}
	*pid = fork();
	if (*pid == 0)
		engine_exec(argv, parent, pipefd[1], capture_out ? pipefd[1] : null);
	close(pipefd[1]);
	close(null);
	if (*pid < 0) {
		close(pipefd[0]);
		return cu_error_errno(err, CU_EFAIL, errno, "cannot start " ENGINE);
	}
	*err_read = pipefd[0];
	return CU_OK;
}

/* Keeps the last STDERR_TAIL bytes the child wrote; false at the end of them. */
static bool drain(int fd, char *tail, size_t *len)
{
	char buf[4096];
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		size_t take = (size_t)n > STDERR_TAIL ? STDERR_TAIL : (size_t)n;

		if (*len + take > STDERR_TAIL) {
			size_t drop = *len + take - STDERR_TAIL;

			memmove(tail, tail + drop, *len - drop);
			*len -= drop;
		}
		memcpy(tail + *len, buf + n - take, take);
		*len += take;
	}
	return n != 0;
}

/* The last line that holds something, in place. */
static const char *last_line(char *tail, size_t len)
{
	char *line;

	tail[len] = '\0';
	while (len && (tail[len - 1] == '\n' || tail[len - 1] == ' '))
		tail[--len] = '\0';
	line = strrchr(tail, '\n');
	return line ? line + 1 : tail;
}

int acq_rescue_engine_version(char *out, size_t cap, struct cu_error *err)
{
	char *argv[] = {ENGINE, "--version", NULL}, tail[STDERR_TAIL + 1];
	size_t len = 0;
	int fd, status = 0, rc;
	pid_t pid;

	if ((rc = engine_spawn(argv, &pid, &fd, true, err)))
		return rc;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	drain(fd, tail, &len);
	close(fd);
	tail[len] = '\0';
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || strncmp(tail, "GNU ddrescue", 12))
		return cu_error_set(err, CU_EUSAGE,
		                    "--rescue runs GNU ddrescue, which is not installed here "
		                    "(Debian: apt install gddrescue)");
	tail[strcspn(tail, "\n")] = '\0';
	snprintf(out, cap, "%s", tail);
	return CU_OK;
}

/* A signal for custos: ddrescue is told to stop; returns the signal's name. */
static const char *engine_cancel(const int *cancel_fd, pid_t pid)
{
	struct signalfd_siginfo si;

	if (!cancel_fd || read(*cancel_fd, &si, sizeof(si)) != sizeof(si))
		return NULL;
	kill(pid, SIGTERM);
	return sigabbrev_np((int)si.ssi_signo);
}

static void engine_progress(const struct acq_rescue_engine *e)
{
	struct ddrescue_tally t;
	struct cu_error ignored;

	if (e->progress && acq_ddrescue_map_tally(e->mapfile, &t, &ignored) == CU_OK)
		e->progress(e->progress_ctx, &t);
}

static int engine_verdict(int status, const char *stopped_by, char *tail, size_t len,
                          struct cu_error *err)
{
	if (stopped_by)
		return cu_error_set(err, CU_EFAIL, "interrupted by SIG%s", stopped_by);
	if (WIFSIGNALED(status))
		return cu_error_set(err, CU_EFAIL, ENGINE " was killed by SIG%s",
		                    sigabbrev_np(WTERMSIG(status)));
	if (WEXITSTATUS(status) == 127)
		return cu_error_set(err, CU_EUSAGE, "cannot run " ENGINE " (GNU ddrescue)");
	if (WEXITSTATUS(status) != 0)
		return cu_error_set(err, CU_EFAIL, ENGINE " failed (exit %d): %s",
		                    WEXITSTATUS(status), last_line(tail, len));
	return CU_OK;
}

int acq_rescue_engine_run(const struct acq_rescue_engine *e, struct cu_error *err)
{
	struct engine_args a;
	char tail[STDERR_TAIL + 1];
	const char *stopped_by = NULL;
	size_t len = 0;
	int fd, status = 0, rc;
	bool open = true;
	pid_t pid;

	engine_args(e, &a);
	if ((rc = engine_spawn(a.v, &pid, &fd, false, err)))
		return rc;
	fcntl(fd, F_SETFL, O_NONBLOCK);
	for (;;) {
		struct pollfd p[2] = {{.fd = open ? fd : -1, .events = POLLIN},
		                      {.fd = e->cancel_fd ? *e->cancel_fd : -1, .events = POLLIN}};

		poll(p, 2, WAIT_STEP_MS);
		if (open)
			open = drain(fd, tail, &len);
		if (!stopped_by && (p[1].revents & POLLIN))
			stopped_by = engine_cancel(e->cancel_fd, pid);
		if (waitpid(pid, &status, WNOHANG) == pid)
			break;
		engine_progress(e);
	}
	drain(fd, tail, &len);
	close(fd);
	engine_progress(e);
	return engine_verdict(status, stopped_by, tail, len, err);
}
