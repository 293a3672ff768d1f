/*
 * custos.c - the dispatcher: `custos COMMAND [ARGS]`.
 *
 * As in git, this file only finds the subcommand (builtin_docs, in
 * custos_doc.c) and hands it its argv; each command's code lives in its
 * module (acquire/, container/, report/).  It also answers --version and
 * help, and, for the build, prints the man pages and the bash completion
 * (x-man NAME, x-completion), which are made from the same descriptions as
 * --help.
 */
#include <stdio.h>
#include <string.h>

#include "builtin.h"
#include "lib/version.h"

static void print_usage(FILE *out)
{
	fputs("usage: custos COMMAND [ARGS]\n       custos --version\n\ncommands:\n", out);
	for (size_t i = 0; i < builtin_docs_count; i++)
		fprintf(out, "  %-10s %s\n", builtin_docs[i]->name, builtin_docs[i]->summary);
	fputs("\n'custos COMMAND --help' lists a command's options, 'man custos-COMMAND' "
	      "describes it.\nExit status: 0 done, 1 failed, 2 usage or unusable input, 3 "
	      "acquired with unreadable sectors.\n",
	      out);
}

static int print_version(void)
{
	struct cu_version v[CU_VERSIONS_MAX];
	size_t n = cu_versions(v, CU_VERSIONS_MAX);

	printf("custos %s\n", v[0].version);
	for (size_t i = 1; i < n; i++)
		printf("%-11s %s\n", v[i].name, v[i].version);
	return 0;
}

static const struct builtin_doc *find_doc(const char *name)
{
	if (!strcmp(name, "custos"))
		return &doc_custos;
	for (size_t i = 0; i < builtin_docs_count; i++)
		if (!strcmp(name, builtin_docs[i]->name))
			return builtin_docs[i];
	return NULL;
}

/* `custos help [COMMAND]`: the command's --help. */
static int help(int argc, char **argv)
{
	const struct builtin_doc *d = argc > 2 ? find_doc(argv[2]) : NULL;

	if (argc > 2 && !d) {
		fprintf(stderr, "custos: '%s' is not a command (see custos --help)\n", argv[2]);
		return 2;
	}
	if (d && d != &doc_custos)
		builtin_usage(d, stdout);
	else
		print_usage(stdout);
	return 0;
}

/* For the build: `custos x-man NAME` and `custos x-completion`. */
static int print_generated(int argc, char **argv)
{
	const struct builtin_doc *d = argc == 3 ? find_doc(argv[2]) : NULL;

	if (!strcmp(argv[1], "x-completion") && argc == 2) {
		builtin_completion(stdout);
		return 0;
	}
	if (!d) {
		fprintf(stderr, "custos: x-man takes one of custos and its commands\n");
		return 2;
	}
	builtin_man(d, stdout);
	return 0;
}

int main(int argc, char **argv)
{
	const struct builtin_doc *d;

	if (argc < 2) {
		print_usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help"))
		return help(argc, argv);
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version"))
		return print_version();
	if (!strcmp(argv[1], "x-man") || !strcmp(argv[1], "x-completion"))
		return print_generated(argc, argv);
	d = find_doc(argv[1]);
	if (d && d->run)
		return d->run(argc - 1, argv + 1);
	fprintf(stderr, "custos: '%s' is not a command (see custos --help)\n", argv[1]);
	return 2;
}
