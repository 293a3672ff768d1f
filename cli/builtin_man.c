/*
 * builtin_man.c - a command's man page, in roff, made from its
 * description: the same text as --help and the completion.
 *
 * The page uses only the man(7) macros every man(1) renders (TH, SH, PP,
 * TP, RS/RE, nf/fi, fonts).  Text is escaped for roff: a backslash is \e,
 * a line that would start with a dot or a quote starts with \&, and a
 * hyphen that begins an option is a minus sign (\-), so that pages can be
 * searched and copied from.  Prose is filled by the formatter; synopses,
 * examples and paragraphs set as code are not filled.
 */
#include "cli/builtin.h"

#include <ctype.h>
#include <string.h>

#include "lib/version.h"

/* Whether the hyphen at text[i] is part of an option (a word that starts with one). */
static bool option_hyphen(const char *text, size_t i)
{
	size_t start = i;

	while (start > 0 && !strchr(" \n([|/\"'=,", text[start - 1]))
		start--;
	return text[start] == '-';
}

static void roff_text(FILE *out, const char *text, size_t len)
{
	bool line_start = true;

	for (size_t i = 0; i < len; i++) {
		char c = text[i];

		if (line_start && (c == '.' || c == '\''))
			fputs("\\&", out);
		if (c == '\\')
			fputs("\\e", out);
		else if (c == '-' && option_hyphen(text, i))
			fputs("\\-", out);
		else
			fputc(c, out);
		line_start = c == '\n';
	}
}

static void roff_string(FILE *out, const char *text)
{
	roff_text(out, text, strlen(text));
}

/* Paragraphs, a blank line between them; one whose lines start with two spaces is set as is. */
static void roff_paragraphs(FILE *out, const char *text)
{
	while (*text) {
		const char *end = strstr(text, "\n\n");
		size_t len = end ? (size_t)(end - text) : strlen(text);
		bool code = !strncmp(text, "  ", 2);

		fputs(code ? ".PP\n.nf\n" : ".PP\n", out);
		roff_text(out, text, len);
		fputs(code ? "\n.fi\n" : "\n", out);
		text += len;
		text += strspn(text, "\n");
	}
}

static void roff_title(FILE *out, const struct builtin_doc *d)
{
	bool program = !strcmp(d->name, "custos");

	fputs(".TH CUSTOS", out);
	if (!program) {
		fputs("\\-", out);
		for (const char *p = d->name; *p; p++)
			fputc(toupper((unsigned char)*p), out);
	}
	fprintf(out, " 1 %s \"custos %s\" \"custos manual\"\n", CUSTOS_DATE, CUSTOS_VERSION);
	fputs(".SH NAME\n", out);
	fprintf(out, "custos%s%s \\- ", program ? "" : "\\-", program ? "" : d->name);
	roff_string(out, d->summary);
	fputs("\n.SH SYNOPSIS\n.nf\n", out);
	roff_string(out, d->synopsis);
	fputs("\n.fi\n.SH DESCRIPTION\n", out);
	roff_paragraphs(out, d->description);
}

static int roff_commands(FILE *out, struct cu_error *err)
{
	fputs(".SH COMMANDS\n", out);
	for (size_t i = 0; i < builtin_commands_count; i++) {
		struct builtin_doc d;
		int rc = builtin_doc_load(&d, builtin_commands[i], err);

		if (rc)
			return rc;
		fprintf(out, ".TP\n\\fBcustos\\-%s\\fR(1)\n", d.name);
		roff_string(out, d.summary);
		fputs(".\n", out);
		builtin_doc_free(&d);
	}
	return CU_OK;
}

static void roff_option(FILE *out, const struct builtin_option *o)
{
	fputs(".TP\n", out);
	if ((o->flags & BUILTIN_OPT_SHORT) && o->key > 0 && o->key < 128)
		fprintf(out, "\\fB\\-%c\\fR, ", o->key);
	fputs("\\fB\\-\\-", out);
	for (const char *p = o->name; *p; p++) /* an option's every hyphen is a minus */
		fputs(*p == '-' ? "\\-" : (char[2]){*p, '\0'}, out);
	fputs("\\fR", out);
	if (o->arg) {
		fputs(" \\fI", out);
		roff_string(out, o->arg);
		fputs("\\fR", out);
	}
	fputc('\n', out);
	roff_string(out, o->help);
	fputc('\n', out);
}

static void roff_options(FILE *out, const struct builtin_doc *d)
{
	fputs(".SH OPTIONS\n", out);
	for (size_t i = 0; i < d->n_options; i++)
		if (!(d->options[i].flags & BUILTIN_OPT_HIDDEN))
			roff_option(out, &d->options[i]);
}

/*
 * "COMMAND\nwhat it does\n\n" pairs: the command as is (its lines ending in a
 * backslash continue it), its explanation indented.
 */
static void roff_examples(FILE *out, const char *text)
{
	fputs(".SH EXAMPLES\n", out);
	while (*text) {
		size_t cmd = strcspn(text, "\n"), words;
		const char *end;

		while (cmd && text[cmd - 1] == '\\' && text[cmd] == '\n') /* continued */
			cmd += 1 + strcspn(text + cmd + 1, "\n");

		fputs(".PP\n.nf\n", out);
		roff_text(out, text, cmd);
		fputs("\n.fi\n.RS\n", out);
		text += cmd + (text[cmd] == '\n');
		end = strstr(text, "\n\n");
		words = end ? (size_t)(end - text) : strlen(text);
		roff_text(out, text, words);
		fputs("\n.RE\n", out);
		text += words;
		text += strspn(text, "\n");
	}
}

static void roff_see_also(FILE *out, const struct builtin_doc *d)
{
	const char *sep = "";

	fputs(".SH \"SEE ALSO\"\n", out);
	if (strcmp(d->name, "custos")) {
		fputs("\\fBcustos\\fR(1)", out);
		sep = ",\n";
	}
	for (size_t i = 0; i < builtin_commands_count; i++)
		if (strcmp(builtin_commands[i]->name, d->name)) {
			fprintf(out, "%s\\fBcustos\\-%s\\fR(1)", sep, builtin_commands[i]->name);
			sep = ",\n";
		}
	fputs(",\n\\fBewfverify\\fR(1), \\fBewfinfo\\fR(1), \\fBddrescue\\fR(1)\n", out);
}

int builtin_man(const struct builtin_command *c, FILE *out, struct cu_error *err)
{
	struct builtin_doc d;
	int rc = builtin_doc_load(&d, c, err);

	if (rc)
		return rc;
	roff_title(out, &d);
	if (c == &builtin_program && (rc = roff_commands(out, err))) {
		builtin_doc_free(&d);
		return rc;
	}
	roff_options(out, &d);
	fputs(".SH \"EXIT STATUS\"\n", out);
	roff_paragraphs(out, d.exit_status);
	roff_examples(out, d.examples);
	fputs(".SH FILES\n", out);
	roff_paragraphs(out, d.files);
	roff_see_also(out, &d);
	builtin_doc_free(&d);
	return CU_OK;
}
