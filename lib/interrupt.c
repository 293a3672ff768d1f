/*
 * interrupt.c - SIGINT, SIGTERM and SIGHUP blocked, and asked for.
 */
#include "lib/interrupt.h"

#include <pthread.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>

static void interrupt_set(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGHUP);
}

int cu_interrupt_block(sigset_t *old)
{
	sigset_t set;

	interrupt_set(&set);
	return pthread_sigmask(SIG_BLOCK, &set, old) == 0 ? CU_OK : CU_EFAIL;
}

int cu_interrupt_fd(void)
{
	sigset_t set;

	interrupt_set(&set);
	return signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}

int cu_interrupt_pending(void)
{
	static const int order[] = {SIGINT, SIGTERM, SIGHUP};
	sigset_t pending;

	if (sigpending(&pending) != 0)
		return 0;
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (sigismember(&pending, order[i]) == 1)
			return order[i];
	return 0;
}

int cu_interrupt_take(void)
{
	struct timespec now = {0, 0};
	sigset_t set;
	int first = cu_interrupt_pending(), sig;

	interrupt_set(&set);
	do
		sig = sigtimedwait(&set, NULL, &now);
	while (sig > 0);
	return first;
}

int cu_interrupt_check(const char *what, struct cu_error *err)
{
	int sig = cu_interrupt_pending();

	if (!sig)
		return CU_OK;
	return cu_error_set(err, CU_EFAIL, "interrupted by SIG%s%s%s", sigabbrev_np(sig),
	                    what ? ": " : "", what ? what : "");
}
