/*
 * builtin.c - what every subcommand shares: its one line of failure.
 *
 * A message is printed as one line whatever it holds: a line break or
 * another control character (C0, DEL, C1, a bidirectional control) that
 * reached it from a library, a header or a file name is shown as a visible
 * escape (cu_text_fput: \x0a, \u202e), so that stderr always carries
 * exactly one line per failure, and nothing in it controls the terminal.
 * After a command, standard output is closed with its errors checked, so
 * that output that did not reach its file is never a silent success.
 */
#include "cli/builtin.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "lib/text.h"

int builtin_fail(const char *name, int code, const char *message)
{
	fprintf(stderr, "custos %s: ", name);
	cu_text_fput(message, stderr);
	fputc('\n', stderr);
	return code;
}

int builtin_output_close(const char *name, int rc)
{
	bool earlier = ferror(stdout); /* a flush inside the command failed: its errno is gone */
	bool failed = earlier || fflush(stdout) != 0;
	int errnum = errno;

	if (fclose(stdout) != 0 && !failed) {
		failed = true;
		errnum = errno;
	}
	if (!failed)
		return rc;
	if (rc != 0 && rc != CU_EPARTIAL)
		return rc; /* the command failed already, and said why in its line */
	if (earlier)
		return builtin_fail(
		    name, CU_EFAIL,
		    "cannot write standard output (a full disk, a closed pipe or an "
		    "I/O error): what it printed is incomplete");
	fprintf(stderr, "custos %s: cannot write standard output: %s\n", name, strerror(errnum));
	return CU_EFAIL;
}
