/*
 * custos.c - the dispatcher: `custos COMMAND [ARGS]`.
 *
 * As in git, this file only finds the subcommand and hands it its argv;
 * each command's code lives in its module (acquire/, container/, report/).
 */
#include <stdio.h>
#include <string.h>

#include "builtin.h"
#include "lib/version.h"

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
    {"acquire", cmd_acquire, "image a drive or file into an E01 evidence set"},
    {"verify", cmd_verify, "re-read evidence and check its stored hashes"},
    {"info", cmd_info, "show what an evidence set says of itself"},
    {"export", cmd_export, "write the media back as a raw image or onto a drive"},
    {"custody", cmd_custody, "add to, show or check the custody log beside the evidence"},
    {"report", cmd_report, "write the XML evidence report for a court bundle"},
};

static void print_usage(FILE *out)
{
	fprintf(out, "usage: custos COMMAND [ARGS]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\n'custos COMMAND --help' describes a command; "
	             "exit status: 0 done, 1 failed, 2 usage or unusable input,\n"
	             "3 acquired with unreadable sectors.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		print_usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		print_usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("custos %s\n", CUSTOS_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "custos: '%s' is not a command (see custos --help)\n", argv[1]);
	return 2;
}
