/*
 * custos.c - the dispatcher: `custos COMMAND [ARGS]`.
 *
 * As in git, this file only finds the subcommand (builtin_commands.c) and
 * hands it its argv; each command's code lives in its module (acquire/,
 * container/, report/).  It also answers --version and help, and, for the
 * build, prints the man pages and the bash completion (x-man NAME,
 * x-completion), which are made from the same descriptions as --help.
 *
 * Before anything else it makes the process safe to run however it was
 * started: a standard descriptor that is closed is opened on /dev/null, so
 * that no file custos opens later becomes descriptor 0, 1 or 2 (a signalfd
 * read as the stream of `acquire -`, evidence written as stdout); SIGPIPE
 * is ignored, so that a reader that goes away (`custos acquire --json |
 * jq TYPO`) is a write error custos handles, not death mid-record.  After
 * the command, standard output is flushed and closed with its errors
 * checked: output that did not reach its file (a full disk, /dev/full) is
 * exit 1 with one line, never a silent 0.  SIGINT, SIGTERM and SIGHUP are
 * blocked for every command (lib/interrupt.h): a long one stops between
 * blocks through its own path, and one that comes when the work is done is
 * said once, exit 1; no signal's default action ends custos half-way.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/builtin.h"
#include "lib/interrupt.h"
#include "lib/version.h"

static int print_usage(FILE *out)
{
	struct cu_error err;

	fputs("usage: custos COMMAND [ARGS]\n       custos --version\n\ncommands:\n", out);
	for (size_t i = 0; i < builtin_commands_count; i++) {
		struct builtin_doc d;

		if (builtin_doc_load(&d, builtin_commands[i], &err))
			return builtin_fail("help", CU_EFAIL, err.msg);
		fprintf(out, "  %-10s %s\n", d.name, d.summary);
		builtin_doc_free(&d);
	}
	fputs("\n'custos COMMAND --help' lists a command's options, 'man custos-COMMAND' "
	      "describes it.\nExit status: 0 done, 1 failed, 2 usage or unusable input, 3 "
	      "acquired with unreadable sectors.\n",
	      out);
	return 0;
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

static const struct builtin_command *find_command(const char *name)
{
	if (!strcmp(name, "custos"))
		return &builtin_program;
	for (size_t i = 0; i < builtin_commands_count; i++)
		if (!strcmp(name, builtin_commands[i]->name))
			return builtin_commands[i];
	return NULL;
}

/* `custos help [COMMAND]`: the command's --help. */
static int help(int argc, char **argv)
{
	const struct builtin_command *c = argc > 2 ? find_command(argv[2]) : NULL;
	struct builtin_doc d;
	struct cu_error err;

	if (argc > 2 && !c) {
		fprintf(stderr, "custos: '%s' is not a command (see custos --help)\n", argv[2]);
		return 2;
	}
	if (!c || c == &builtin_program)
		return print_usage(stdout);
	if (builtin_doc_load(&d, c, &err))
		return builtin_fail("help", CU_EFAIL, err.msg);
	builtin_usage(&d, stdout);
	builtin_doc_free(&d);
	return 0;
}

/* For the build: `custos x-man NAME` and `custos x-completion`. */
static int print_generated(int argc, char **argv)
{
	const struct builtin_command *c = argc == 3 ? find_command(argv[2]) : NULL;
	struct cu_error err;
	int rc;

	if (!strcmp(argv[1], "x-completion") && argc == 2)
		rc = builtin_completion(stdout, &err);
	else if (c)
		rc = builtin_man(c, stdout, &err);
	else
		return builtin_fail(argv[1], CU_EUSAGE, "takes one of custos and its commands");
	return rc ? builtin_fail(argv[1], rc, err.msg) : 0;
}

/* Descriptors 0, 1 and 2 open, on /dev/null where they were closed; -1 when impossible. */
static int standard_fds_open(void)
{
	for (int fd = 0; fd <= 2; fd++) {
		int null;

		if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
			continue;
		null = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
		if (null != fd) /* the lowest free descriptor is this one */
			return -1;
	}
	return 0;
}

static int dispatch(int argc, char **argv)
{
	const struct builtin_command *c;

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
	c = find_command(argv[1]);
	if (c && c->run)
		return c->run(argc - 1, argv + 1);
	fprintf(stderr, "custos: '%s' is not a command (see custos --help)\n", argv[1]);
	return 2;
}

/*
 * A signal that came while the command ran, and that it did not stop for
 * (it had finished its work, or its work is short): said, exit 1.
 */
static int interrupt_after(const char *name, int rc)
{
	int sig = cu_interrupt_take();

	if (!sig || (rc != 0 && rc != CU_EPARTIAL))
		return rc;
	fprintf(
	    stderr,
	    "custos %s: interrupted by SIG%s after its work was done: what it wrote is complete\n",
	    name, sigabbrev_np(sig));
	return CU_EFAIL;
}

int main(int argc, char **argv)
{
	const char *name = argc > 1 ? argv[1] : "custos";
	sigset_t old;
	int rc;

	if (standard_fds_open() != 0)
		return 2; /* nowhere to say it: stderr itself may be what could not open */
	signal(SIGPIPE, SIG_IGN);
	if (cu_interrupt_block(&old) != CU_OK)
		return 1;
	rc = builtin_output_close(name, dispatch(argc, argv));
	return interrupt_after(name, rc);
}
