/*
 * builtin_doc.c - a command's getopt table, option parsing and --help, all
 * made from its description (builtin_text.c reads it).
 *
 * Every command reads its options through builtin_parse(), so that the
 * options getopt accepts are exactly those its --help, its man page and the
 * completion list, and an unknown option gets the same one line everywhere.
 */
#include "cli/builtin.h"

#include <string.h>

static bool has_short(const struct builtin_option *o)
{
	return (o->flags & BUILTIN_OPT_SHORT) && o->key > 0 && o->key < 128;
}

void builtin_getopt(const struct builtin_doc *d, struct option *out, char *shorts, size_t cap)
{
	const struct builtin_option *o = d->options;
	size_t n = d->n_options, used = 1;

	shorts[0] = ':'; /* a missing value is told apart from an unknown option */
	shorts[1] = '\0';
	for (size_t i = 0; i < n; i++) {
		out[i] = (struct option){o[i].name, o[i].arg ? required_argument : no_argument,
		                         NULL, o[i].key};
		if (has_short(&o[i]) && used + 3 < cap) {
			shorts[used++] = (char)o[i].key;
			if (o[i].arg)
				shorts[used++] = ':';
			shorts[used] = '\0';
		}
	}
	out[n] = (struct option){NULL, 0, NULL, 0};
}

/* The option getopt stopped at, as typed. */
static const char *typed_option(char **argv, char *buf, size_t len)
{
	const char *arg = argv[optind - 1];

	if (optopt > 0 && optopt < 128 && (arg[0] != '-' || arg[1] != '-')) {
		snprintf(buf, len, "-%c", optopt);
		return buf;
	}
	return arg;
}

/* The name of the option with `key`, for `take`. */
static const char *option_name(const struct builtin_doc *d, int key)
{
	for (size_t i = 0; i < d->n_options; i++)
		if (d->options[i].key == key)
			return d->options[i].name;
	return "?";
}

static int parse_options(const struct builtin_doc *d, int argc, char **argv, int first,
                         int (*take)(void *ctx, int key, const char *name, const char *value,
                                     struct cu_error *err),
                         void *ctx, struct cu_error *err)
{
	struct option table[BUILTIN_OPTIONS_MAX + 1];
	char shorts[2 * BUILTIN_OPTIONS_MAX + 2], typed[8];
	int ch, rc;

	builtin_getopt(d, table, shorts, sizeof(shorts));
	opterr = 0;
	optind = 0; /* getopt starts afresh: commands may run more than once in a process */
	if (first > 1) {
		getopt_long(1, argv, shorts, table, NULL); /* initialises; returns -1 */
		optind = first;
	}
	while ((ch = getopt_long(argc, argv, shorts, table, NULL)) != -1) {
		if (ch == 'h') {
			builtin_usage(d, stdout);
			return -1;
		}
		if (ch == ':')
			return cu_error_set(err, CU_EUSAGE,
			                    "%s needs a value (see custos %s --help)",
			                    typed_option(argv, typed, sizeof(typed)), d->name);
		if (ch == '?')
			return cu_error_set(err, CU_EUSAGE,
			                    "'%s' is not an option of custos %s (see --help)",
			                    typed_option(argv, typed, sizeof(typed)), d->name);
		if ((rc = take(ctx, ch, option_name(d, ch), optarg, err)))
			return rc;
	}
	return CU_OK;
}

int builtin_parse(const struct builtin_command *c, int argc, char **argv, int first,
                  int (*take)(void *ctx, int key, const char *name, const char *value,
                              struct cu_error *err),
                  void *ctx, struct cu_error *err)
{
	struct builtin_doc d;
	int rc = builtin_doc_load(&d, c, err);

	if (rc)
		return rc;
	rc = parse_options(&d, argc, argv, first, take, ctx, err);
	builtin_doc_free(&d);
	return rc;
}

/* ---- --help ---- */

/* Prints `text` filled to `width` columns, lines after the first indented by `indent`. */
static void wrap(FILE *out, const char *text, size_t indent, size_t width, size_t col)
{
	while (*text) {
		size_t word = strcspn(text, " \n");

		if (col > indent && col + 1 + word > width) {
			fprintf(out, "\n%*s", (int)indent, "");
			col = indent;
		} else if (col > indent) {
			fputc(' ', out);
			col++;
		}
		fwrite(text, 1, word, out);
		col += word;
		text += word;
		text += strspn(text, " \n");
	}
	fputc('\n', out);
}

static void usage_option(FILE *out, const struct builtin_option *o)
{
	char left[64];
	bool s = has_short(o);
	int len = snprintf(left, sizeof(left), "%s%c%s--%s%s%s", s ? "-" : " ", s ? o->key : ' ',
	                   s ? ", " : "  ", o->name, o->arg ? " " : "", o->arg ? o->arg : "");

	if (len > 28) { /* a long option gets a line of its own */
		fprintf(out, "  %s\n%*s", left, 32, "");
		wrap(out, o->help, 32, 96, 32);
		return;
	}
	fprintf(out, "  %-30s", left);
	wrap(out, o->help, 32, 96, 32);
}

void builtin_usage(const struct builtin_doc *d, FILE *out)
{
	const struct builtin_option *o = d->options;
	size_t n = d->n_options;
	const char *line = d->synopsis;
	bool program = !strcmp(d->name, "custos");

	for (int first = 1; *line; first = 0) {
		size_t len = strcspn(line, "\n");

		fprintf(out, "%s%.*s\n", first ? "usage: " : "       ", (int)len, line);
		line += len + (line[len] == '\n');
	}
	fprintf(out, "\n%c%s.\n\noptions:\n", d->summary[0] & ~0x20, d->summary + 1);
	for (size_t i = 0; i < n; i++)
		if (!(o[i].flags & BUILTIN_OPT_HIDDEN))
			usage_option(out, &o[i]);
	fprintf(out, "\n'man custos%s%s' describes it in full.\n", program ? "" : "-",
	        program ? "" : d->name);
}
