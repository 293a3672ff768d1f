/*
 * rescue_engine.c - running GNU ddrescue and watching it.
 *
 * The child (lib/child.h) gets standard input and output on /dev/null and
 * its standard error on a pipe, whose last line becomes the message should
 * ddrescue fail.  The parent waits in steps of half a second: a signal on the cancel
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
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/child.h"

#define ENGINE       "ddrescue"
#define ARGS_MAX     16
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

int acq_rescue_engine_version(char *out, size_t cap, struct cu_error *err)
{
	char *argv[] = {ENGINE, "--version", NULL}, *tail;
	struct cu_child_tail said = {.len = 0};
	int fd, status = 0, rc;
	pid_t pid;

	if ((rc = cu_child_start(argv, true, &pid, &fd, err)))
		return rc;
	cu_child_drain(fd, &said);
	close(fd);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	tail = said.text;
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

static int engine_verdict(int status, const char *stopped_by, struct cu_child_tail *said,
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
		                    WEXITSTATUS(status), cu_child_last_line(said));
	return CU_OK;
}

int acq_rescue_engine_run(const struct acq_rescue_engine *e, struct cu_error *err)
{
	struct engine_args a;
	struct cu_child_tail said = {.len = 0};
	const char *stopped_by = NULL;
	int fd, status = 0, rc;
	bool open = true;
	pid_t pid;

	engine_args(e, &a);
	if ((rc = cu_child_start(a.v, false, &pid, &fd, err)))
		return rc;
	fcntl(fd, F_SETFL, O_NONBLOCK);
	for (;;) {
		struct pollfd p[2] = {{.fd = open ? fd : -1, .events = POLLIN},
		                      {.fd = e->cancel_fd ? *e->cancel_fd : -1, .events = POLLIN}};

		poll(p, 2, WAIT_STEP_MS);
		if (open)
			open = cu_child_drain(fd, &said);
		if (!stopped_by && (p[1].revents & POLLIN))
			stopped_by = engine_cancel(e->cancel_fd, pid);
		if (waitpid(pid, &status, WNOHANG) == pid)
			break;
		engine_progress(e);
	}
	cu_child_drain(fd, &said);
	close(fd);
	engine_progress(e);
	return engine_verdict(status, stopped_by, &said, err);
}
