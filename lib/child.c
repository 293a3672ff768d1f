/*
 * child.c - a tool run as a child process, and the end of what it says
 * (child.h).
 */
#include "lib/child.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

/* In the child: a clean signal state, its own process group, death with custos. */
static void child_exec(char *const argv[], pid_t parent, int in_fd, int out_fd, int err_fd)
{
	sigset_t none;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL); /* custos ignores it; the tool gets the default */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != parent)
		_exit(127);
	setpgid(0, 0);
	if (dup2(in_fd, STDIN_FILENO) < 0 || dup2(out_fd, STDOUT_FILENO) < 0 ||
	    dup2(err_fd, STDERR_FILENO) < 0)
		_exit(127);
	execvp(argv[0], argv);
	_exit(127);
}

int cu_child_start(char *const argv[], bool capture_out, pid_t *pid, int *read_fd,
                   struct cu_error *err)
{
	int pipefd[2], null = open("/dev/null", O_RDWR | O_CLOEXEC);
	pid_t parent = getpid();

	if (null < 0 || pipe2(pipefd, O_CLOEXEC) != 0) {
		if (null >= 0)
			close(null);
		return cu_error_errno(err, CU_EFAIL, errno, "cannot start %s", argv[0]);
	}
	*pid = fork();
	if (*pid == 0)
		child_exec(argv, parent, null, capture_out ? pipefd[1] : null, pipefd[1]);
	close(pipefd[1]);
	close(null);
	if (*pid < 0) {
		close(pipefd[0]);
		return cu_error_errno(err, CU_EFAIL, errno, "cannot start %s", argv[0]);
	}
	*read_fd = pipefd[0];
	return CU_OK;
}

bool cu_child_drain(int fd, struct cu_child_tail *t)
{
	char buf[4096];
	ssize_t n;

	for (;;) {
		size_t take;

		n = read(fd, buf, sizeof(buf));
		if (n == 0)
			return false;
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno == EAGAIN;
		take = (size_t)n > CU_CHILD_TAIL ? CU_CHILD_TAIL : (size_t)n;
		if (t->len + take > CU_CHILD_TAIL) {
			size_t drop = t->len + take - CU_CHILD_TAIL;

			memmove(t->text, t->text + drop, t->len - drop);
			t->len -= drop;
		}
		memcpy(t->text + t->len, buf + n - take, take);
		t->len += take;
		t->text[t->len] = '\0';
	}
}

const char *cu_child_last_line(struct cu_child_tail *t)
{
	char *line;

	t->text[t->len] = '\0';
	while (t->len && strchr("\r\n ", t->text[t->len - 1]))
		t->text[--t->len] = '\0';
	line = strrchr(t->text, '\n');
	line = line ? line + 1 : t->text;
	return strrchr(line, '\r') ? strrchr(line, '\r') + 1 : line;
}
