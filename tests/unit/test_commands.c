/*
 * test_commands.c - the commands' descriptions and what is made of them:
 * every option documented is one its command parses, --help and the man
 * page list every option but the hidden ones, the completion offers them,
 * bad options get one line naming them, and --version names the libraries
 * custos runs with.
 */
#include <libewf.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/builtin.h"
#include "tests/check_run.h"
#include "lib/version.h"

/* Runs `fn` with stdout and stderr into files; returns its result and what they held. */
struct captured {
	int rc;
	char out[65536], err[4096];
};

static void slurp(FILE *f, char *buf, size_t cap)
{
	size_t n;

	fflush(f);
	rewind(f);
	n = fread(buf, 1, cap - 1, f);
	buf[n] = '\0';
}

static void capture_command(struct captured *c, const struct builtin_command *d, int argc,
                            char **argv)
{
	FILE *out = tmpfile(), *err = tmpfile();
	int saved_out = dup(STDOUT_FILENO), saved_err = dup(STDERR_FILENO);

	ck_assert_ptr_nonnull(out);
	ck_assert_ptr_nonnull(err);
	fflush(stdout);
	fflush(stderr);
	dup2(fileno(out), STDOUT_FILENO);
	dup2(fileno(err), STDERR_FILENO);
	c->rc = d->run(argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(saved_out, STDOUT_FILENO);
	dup2(saved_err, STDERR_FILENO);
	close(saved_out);
	close(saved_err);
	slurp(out, c->out, sizeof(c->out));
	slurp(err, c->err, sizeof(c->err));
	fclose(out);
	fclose(err);
}

static void capture_text(char *buf, size_t cap, const struct builtin_command *c, int man)
{
	FILE *f = tmpfile();
	struct builtin_doc d;
	struct cu_error err;

	ck_assert_ptr_nonnull(f);
	if (man) {
		ck_assert_int_eq(builtin_man(c, f, &err), CU_OK);
	} else {
		ck_assert_int_eq(builtin_doc_load(&d, c, &err), CU_OK);
		builtin_usage(&d, f);
		builtin_doc_free(&d);
	}
	slurp(f, buf, cap);
	fclose(f);
}

static void load(struct builtin_doc *d, const struct builtin_command *c)
{
	struct cu_error err;

	ck_assert_msg(builtin_doc_load(d, c, &err) == CU_OK, "%s: %s", c->name, err.msg);
}

/* Every documented option reaches its command's parser: none is "unknown". */
START_TEST(test_every_option_is_parsed)
{
	for (size_t i = 0; i < builtin_commands_count; i++) {
		const struct builtin_command *c = builtin_commands[i];
		struct builtin_doc d;

		load(&d, c);
		for (size_t k = 0; k + 1 < d.n_options; k++) { /* the last is --help */
			static struct captured out;
			const struct builtin_option *o = &d.options[k];
			char opt[80], *argv[5];
			int argc = 0;

			snprintf(opt, sizeof(opt), "--%s", o->name);
			argv[argc++] = (char *)c->name;
			argv[argc++] = opt;
			if (o->arg)
				argv[argc++] = (char *)(o->choices ? o->choices[0] : "1");
			argv[argc++] = "--help";
			argv[argc] = NULL;
			capture_command(&out, c, argc, argv);
			ck_assert_msg(!strstr(out.err, "unknown option") &&
			                  !strstr(out.err, "not an option"),
			              "custos %s %s: %s", c->name, opt, out.err);
		}
		builtin_doc_free(&d);
	}
}
END_TEST

/* --help and the man page list the options, but not the hidden ones; the page has every section. */
START_TEST(test_help_and_man_list_options)
{
	static char help[65536], man[131072];

	for (size_t i = 0; i < builtin_commands_count; i++) {
		const struct builtin_command *c = builtin_commands[i];
		struct builtin_doc d;

		load(&d, c);
		capture_text(help, sizeof(help), c, 0);
		capture_text(man, sizeof(man), c, 1);
		for (size_t k = 0; k < d.n_options; k++) {
			char in_help[80], in_man[160];
			size_t n = 0;

			snprintf(in_help, sizeof(in_help), "--%s", d.options[k].name);
			n += (size_t)snprintf(in_man, sizeof(in_man), "\\fB\\-\\-");
			for (const char *p = d.options[k].name; *p && n + 3 < sizeof(in_man); p++)
				n += (size_t)snprintf(in_man + n, sizeof(in_man) - n,
				                      *p == '-' ? "\\-" : "%c", *p);
			snprintf(in_man + n, sizeof(in_man) - n, "\\fR");
			if (d.options[k].flags & BUILTIN_OPT_HIDDEN) {
				ck_assert_msg(!strstr(help, in_help), "%s: %s shown", c->name,
				              in_help);
				continue;
			}
			ck_assert_msg(strstr(help, in_help), "%s --help lacks %s", c->name,
			              in_help);
			ck_assert_msg(strstr(man, in_man), "custos-%s(1) lacks %s", c->name,
			              in_man);
		}
		ck_assert_ptr_nonnull(strstr(man, ".TH CUSTOS\\-"));
		ck_assert_ptr_nonnull(strstr(man, ".SH SYNOPSIS"));
		ck_assert_ptr_nonnull(strstr(man, ".SH OPTIONS"));
		ck_assert_ptr_nonnull(strstr(man, ".SH \"EXIT STATUS\"\n.PP\n0"));
		ck_assert_ptr_nonnull(strstr(man, ".SH EXAMPLES\n.PP\n.nf\ncustos"));
		ck_assert_ptr_nonnull(strstr(man, ".SH FILES\n.PP\n"));
		ck_assert_ptr_null(strstr(man, "\n.\n")); /* no empty request */
		builtin_doc_free(&d);
	}
}
END_TEST

/* custos(1) lists every command, and each page refers to the others. */
START_TEST(test_man_pages_refer_to_each_other)
{
	static char man[131072];

	capture_text(man, sizeof(man), &builtin_program, 1);
	ck_assert_ptr_nonnull(strstr(man, ".TH CUSTOS 1"));
	for (size_t i = 0; i < builtin_commands_count; i++) {
		char ref[60];

		snprintf(ref, sizeof(ref), "\\fBcustos\\-%s\\fR(1)\n", builtin_commands[i]->name);
		ck_assert_msg(strstr(man, ref), "custos(1) lacks %s", ref);
	}
	capture_text(man, sizeof(man), &command_verify, 1);
	ck_assert_ptr_nonnull(strstr(man, "\\fBcustos\\fR(1)"));
	ck_assert_ptr_nonnull(strstr(man, "\\fBcustos\\-acquire\\fR(1)"));
	ck_assert_ptr_null(strstr(man, "\\fBcustos\\-verify\\fR(1)"));
}
END_TEST

#define TEXT(s) (const unsigned char *)(s), sizeof(s) - 1

/* Roff: a backslash, a leading dot and option hyphens are escaped. */
START_TEST(test_man_escapes)
{
	static const char text[] = "# a test\n"
	                           "== command\nsummary a test\n"
	                           "== synopsis\ncustos t [--x]\n"
	                           "== description\nA back\\slash.\n.A dot, 'a quote, and -o or "
	                           "--long; read-only.\n"
	                           "== option --x-y N\nkey x\ncomplete file\nThe --x-y option.\n"
	                           "== exit status\n0\n"
	                           "== examples\ncustos t --x \\\n    --y\nboth\n\ncustos t\nnone\n"
	                           "== files\nnone\n";
	const struct builtin_command c = {"t", NULL, TEXT(text), NULL};
	static char man[8192];

	capture_text(man, sizeof(man), &c, 1);
	ck_assert_ptr_nonnull(strstr(man, "A back\\eslash.\n\\&.A dot, 'a quote, and \\-o or "
	                                  "\\-\\-long; read-only."));
	ck_assert_ptr_nonnull(
	    strstr(man, ".TP\n\\fB\\-\\-x\\-y\\fR \\fIN\\fR\nThe \\-\\-x\\-y option.\n"));
	ck_assert_ptr_nonnull(
	    strstr(man, ".nf\ncustos t \\-\\-x \\e\n    \\-\\-y\n.fi\n.RS\nboth\n"));
	ck_assert_ptr_nonnull(strstr(man, ".nf\ncustos t\n.fi\n.RS\nnone\n.RE\n"));
}
END_TEST

/* A description that does not hold to its form is refused, naming what is wrong. */
START_TEST(test_description_form)
{
	static const char *const bad[][2] = {
	    {"== command\nsummary s\n== nonsense\nx\n", "not a section"},
	    {"== command\nsummary s\n== option --x\nThe x.\n", "without a key"},
	    {"== command\nsummary s\n== option --x\nkey x\n", "without help"},
	    {"== command\nsummary s\n== option --x\nkey x\ncomplete sometimes\nThe x.\n",
	     "not a way to complete"},
	    {"== command\nbogus 1\n", "not a command attribute"},
	    {"== command\nsummary s\n== synopsis\nx\n", "lacks a section"},
	    {"prose before any section\n", "no section first"},
	};
	struct builtin_doc d;
	struct cu_error err;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const struct builtin_command c = {"t", NULL, (const unsigned char *)bad[i][0],
		                                  strlen(bad[i][0]), NULL};

		ck_assert_int_eq(builtin_doc_load(&d, &c, &err), CU_EFAIL);
		ck_assert_msg(strstr(err.msg, bad[i][1]), "%s: %s", bad[i][0], err.msg);
	}
	/* every built-in description loads, with --help last */
	for (size_t i = 0; i < builtin_commands_count; i++) {
		load(&d, builtin_commands[i]);
		ck_assert_str_eq(d.options[d.n_options - 1].name, "help");
		builtin_doc_free(&d);
	}
	load(&d, &builtin_program);
	ck_assert_str_eq(d.options[0].name, "version");
	builtin_doc_free(&d);
}
END_TEST

/* Unknown options and missing values are one line naming them; --help exits 0. */
START_TEST(test_bad_options)
{
	static struct captured c;
	char *unknown[] = {"verify", "--bogus", "x.E01", NULL};
	char *missing[] = {"verify", "x.E01", "--jobs", NULL};
	char *short_unknown[] = {"export", "-z", "x.E01", NULL};
	char *other_verb[] = {"custody", "show", "x.E01", "--action", "sealed", NULL};
	char *help[] = {"info", "--help", NULL};

	capture_command(&c, &command_verify, 3, unknown);
	ck_assert_int_eq(c.rc, 2);
	ck_assert_str_eq(
	    c.err, "custos verify: '--bogus' is not an option of custos verify (see --help)\n");
	capture_command(&c, &command_verify, 3, missing);
	ck_assert_int_eq(c.rc, 2);
	ck_assert_str_eq(c.err, "custos verify: --jobs needs a value (see custos verify --help)\n");
	capture_command(&c, &command_export, 3, short_unknown);
	ck_assert_int_eq(c.rc, 2);
	ck_assert_str_eq(c.err,
	                 "custos export: '-z' is not an option of custos export (see --help)\n");
	capture_command(&c, &command_custody, 5, other_verb);
	ck_assert_int_eq(c.rc, 2);
	ck_assert_str_eq(c.err, "custos custody: custody show does not take --action\n");
	capture_command(&c, &command_info, 2, help);
	ck_assert_int_eq(c.rc, 0);
	ck_assert_ptr_nonnull(strstr(c.out, "usage: custos info EVIDENCE.E01 [--json]\n"));
	ck_assert_str_eq(c.err, "");
}
END_TEST

/* The completion: every command, its options, choices, and the function registered. */
START_TEST(test_completion)
{
	static char text[131072];
	FILE *f = tmpfile();
	struct cu_error err;

	ck_assert_int_eq(builtin_completion(f, &err), CU_OK);
	slurp(f, text, sizeof(text));
	fclose(f);
	ck_assert_ptr_nonnull(strstr(text, "\ncomplete -F _custos custos\n"));
	for (size_t i = 0; i < builtin_commands_count; i++) {
		char head[40];

		snprintf(head, sizeof(head), "\n\t%s)\n\t\topts=\"", builtin_commands[i]->name);
		ck_assert_msg(strstr(text, head), "no case for %s", builtin_commands[i]->name);
	}
	ck_assert_ptr_nonnull(strstr(text, "--compression)\n\t\t\tCOMPREPLY=($(compgen -W \"none "
	                                   "empty fast best lz4 snappy deflate\""));
	ck_assert_ptr_nonnull(strstr(text, "verbs=\"add show verify\""));
	ck_assert_ptr_null(strstr(text, "x-checkpoint"));
}
END_TEST

/* --version's libraries are the ones running, asked at run time. */
START_TEST(test_versions)
{
	struct cu_version v[CU_VERSIONS_MAX];
	size_t n = cu_versions(v, CU_VERSIONS_MAX);
	const char *names[] = {"custos", "libewf", "OpenSSL", "libxml2", "libxslt", "libdeflate"};

	ck_assert_uint_eq(n, 6);
	for (size_t i = 0; i < n; i++) {
		ck_assert_str_eq(v[i].name, names[i]);
		ck_assert_msg(strspn(v[i].version, "0123456789.") == strlen(v[i].version) &&
		                  v[i].version[0],
		              "%s version '%s'", v[i].name, v[i].version);
	}
	ck_assert_str_eq(v[0].version, CUSTOS_VERSION);
	ck_assert_str_eq(v[1].version, libewf_get_version());
	ck_assert_str_eq(v[2].version, OpenSSL_version(OPENSSL_VERSION_STRING));
	ck_assert_uint_eq(cu_versions(v, 3), 0); /* too small: nothing, not an overrun */
}
END_TEST

/*
 * Each command's output through a writer that fails (/dev/full): in a child
 * of its own, as the dispatcher runs it, it must end with exit 1 and one
 * line that says standard output could not be written.
 */
static void expect_output_failure(const struct builtin_command *c, int argc, char **argv)
{
	FILE *err = tmpfile();
	char text[4096];
	int status;
	pid_t pid;

	ck_assert_ptr_nonnull(err);
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		if (!freopen("/dev/full", "w", stdout) || dup2(fileno(err), STDERR_FILENO) < 0)
			_exit(99);
		_exit(builtin_output_close(c->name, c->run(argc, argv)));
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	slurp(err, text, sizeof(text));
	fclose(err);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 1, "%s %s: status %d", c->name,
	              argv[argc - 1], status);
	ck_assert_msg(strstr(text, "cannot write standard output") && strchr(text, '\n') &&
	                  !strchr(strchr(text, '\n') + 1, '\n'),
	              "%s: '%s'", c->name, text);
}

START_TEST(test_output_to_a_failing_writer)
{
	for (size_t i = 0; i < builtin_commands_count; i++) {
		const struct builtin_command *c = builtin_commands[i];
		char *help[] = {(char *)c->name, "--help", NULL};

		expect_output_failure(c, 2, help);
	}
	{
		char *devices[] = {"devices", "--json", NULL};

		expect_output_failure(&command_devices, 2, devices);
	}
}
END_TEST

int main(void)
{
	TCase *tc = tcase_create("commands");

	/* a bound that catches a hang, not a measure of speed (a loaded builder is slow) */
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_every_option_is_parsed);
	tcase_add_test(tc, test_help_and_man_list_options);
	tcase_add_test(tc, test_man_pages_refer_to_each_other);
	tcase_add_test(tc, test_man_escapes);
	tcase_add_test(tc, test_description_form);
	tcase_add_test(tc, test_bad_options);
	tcase_add_test(tc, test_completion);
	tcase_add_test(tc, test_versions);
	tcase_add_test(tc, test_output_to_a_failing_writer);
	return check_run("commands", tc);
}
