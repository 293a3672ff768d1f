/*
 * builtin.c - what every subcommand shares: its one line of failure.
 *
 * A message is printed as one line whatever it holds: a line break or
 * another control character (C0, DEL, C1, a bidirectional control) that
 * reached it from a library, a header or a file name is shown as a visible
 * escape (cu_text_fput: \x0a, \u202e), so that stderr always carries
 * exactly one line per failure, and nothing in it controls the terminal.
 */
#include "builtin.h"

#include <stdio.h>

#include "lib/text.h"

int builtin_fail(const char *name, int code, const char *message)
{
	fprintf(stderr, "custos %s: ", name);
	cu_text_fput(message, stderr);
	fputc('\n', stderr);
	return code;
}
