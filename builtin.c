/*
 * builtin.c - what every subcommand shares: its one line of failure.
 *
 * A message is printed as one line whatever it holds: a line break or
 * another control character that reached it from a library or a file name
 * is shown as a space, so that stderr always carries exactly one line per
 * failure.
 */
#include "builtin.h"

#include <stdio.h>

int builtin_fail(const char *name, int code, const char *message)
{
	fprintf(stderr, "custos %s: ", name);
	for (const unsigned char *p = (const unsigned char *)message; *p; p++)
		fputc(*p < 0x20 || *p == 0x7f ? ' ' : *p, stderr);
	fputc('\n', stderr);
	return code;
}
