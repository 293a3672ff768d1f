/*
 * child.h - running a tool custos relies on (GNU ddrescue, par2cmdline) as a
 * child process, and keeping the end of what it says.
 *
 * The child gets a clean signal mask, its own process group and death with
 * custos (PR_SET_PDEATHSIG); standard input from /dev/null, standard error
 * (and, when asked, standard output) on a pipe whose last few kilobytes
 * are kept, for the one line that says why it failed.  Exit status 127 is
 * the child's "cannot run it" (not installed).
 */
#ifndef CUSTOS_LIB_CHILD_H
#define CUSTOS_LIB_CHILD_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "lib/error.h"

#define CU_CHILD_TAIL 8192

/* The end of what a child wrote. */
struct cu_child_tail {
	char text[CU_CHILD_TAIL + 1];
	size_t len;
};

/*
 * Starts argv[0] (searched in PATH) with argv; *read_fd is the pipe of its
 * standard error, and of its standard output too with `capture_out` (else
 * that goes to /dev/null).
 */
int cu_child_start(char *const argv[], bool capture_out, pid_t *pid, int *read_fd,
                   struct cu_error *err);

/*
 * Reads what is there of `fd` into `t`, keeping its last CU_CHILD_TAIL
 * bytes: to the end of it on a blocking descriptor, or what is waiting on a
 * non-blocking one.  Returns false once the child closed it.
 */
bool cu_child_drain(int fd, struct cu_child_tail *t);

/* The last line of `t` that holds something, without its line end (in place). */
const char *cu_child_last_line(struct cu_child_tail *t);

#endif
