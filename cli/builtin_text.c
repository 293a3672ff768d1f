/*
 * builtin_text.c - reading a command's description from its text.
 *
 * The text is copied once; sections are cut out of the copy in place (a
 * section's body ends where the next "== " line begins, with the blank
 * lines around it trimmed), so every string of the description points into
 * it and one free releases them all.  The texts are custos' own, built in,
 * but are read as strictly as anything else: an unknown section or
 * attribute, an option without a key, or a missing section is an error
 * naming the line, which the unit tests turn into a failed build of trust.
 */
#include "cli/builtin.h"

#include <stdlib.h>
#include <string.h>

static const struct builtin_option help_option = {"help",
                                                  'h',
                                                  BUILTIN_OPT_SHORT,
                                                  NULL,
                                                  "Print the options of the command and exit.",
                                                  BUILTIN_COMPLETE_NOTHING,
                                                  NULL};

struct text_reader {
	struct builtin_doc *d;
	const char *name;
	size_t n_choices;
	struct cu_error *err;
};

static int text_fail(struct text_reader *r, const char *what, const char *line)
{
	return cu_error_set(r->err, CU_EFAIL, "the description of %s: %s: '%.40s'", r->name, what,
	                    line);
}

/* Trims blank lines from both ends of [body, end) in place; returns the body. */
static char *trim_body(char *body, char *end)
{
	while (end > body && (end[-1] == '\n' || end[-1] == ' '))
		end--;
	*end = '\0';
	while (*body == '\n')
		body++;
	return body;
}

static enum builtin_complete complete_of(const char *word, bool *ok)
{
	static const char *const names[] = {"nothing", "file", "evidence", "source", "choice"};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(word, names[i])) {
			*ok = true;
			return (enum builtin_complete)i;
		}
	*ok = false;
	return BUILTIN_COMPLETE_NOTHING;
}

/* Space-separated words into the doc's choices, NULL after them; returns the first. */
static const char *const *add_words(struct text_reader *r, char *words)
{
	const char **first = &r->d->choices[r->n_choices];
	char *save = NULL;

	for (char *w = strtok_r(words, " ", &save); w; w = strtok_r(NULL, " ", &save))
		if (r->n_choices + 2 < BUILTIN_CHOICES_MAX)
			r->d->choices[r->n_choices++] = w;
	r->d->choices[r->n_choices++] = NULL;
	return first;
}

/* "== command": summary, operands, words. */
static int read_command(struct text_reader *r, char *body)
{
	struct builtin_doc *d = r->d;

	for (char *line = body, *next; line && *line; line = next) {
		char *value = strchr(line, ' ');
		bool ok = true;

		if ((next = strchr(line, '\n')))
			*next++ = '\0';
		if (!value)
			return text_fail(r, "a command line without a value", line);
		*value++ = '\0';
		if (!strcmp(line, "summary"))
			d->summary = value;
		else if (!strcmp(line, "operands"))
			d->operands = complete_of(value, &ok);
		else if (!strcmp(line, "words")) {
			const char *const *w = add_words(r, value);

			for (size_t i = 0; w[i] && i < BUILTIN_WORDS_MAX; i++)
				d->words[i] = w[i];
		} else
			ok = false;
		if (!ok)
			return text_fail(r, "not a command attribute", line);
	}
	return d->summary ? CU_OK : text_fail(r, "no summary", "command");
}

/* An option's attribute line; false when the line is its help instead. */
static int option_attribute(struct text_reader *r, struct builtin_option *o, char *line, bool *was)
{
	char *value = strchr(line, ' ');
	bool ok = true;

	*was = true;
	if (value)
		*value++ = '\0';
	if (!strcmp(line, "key") && value && strlen(value) == 1)
		o->key = (unsigned char)value[0];
	else if (!strcmp(line, "short") && !value)
		o->flags |= BUILTIN_OPT_SHORT;
	else if (!strcmp(line, "hidden") && !value)
		o->flags |= BUILTIN_OPT_HIDDEN;
	else if (!strcmp(line, "complete") && value)
		o->complete = complete_of(value, &ok);
	else if (!strcmp(line, "choices") && value) {
		o->choices = add_words(r, value);
		o->complete = BUILTIN_COMPLETE_CHOICE;
	} else {
		if (value)
			value[-1] = ' ';
		*was = false;
	}
	return ok ? CU_OK : text_fail(r, "not a way to complete", value);
}

/* "== option --NAME [ARG]": attributes, then help. */
static int read_option(struct text_reader *r, char *head, char *body)
{
	struct builtin_doc *d = r->d;
	struct builtin_option *o = &d->options[d->n_options];
	char *arg, *line = body, *next;
	bool was;
	int rc;

	if (strncmp(head, "--", 2) || d->n_options + 2 > BUILTIN_OPTIONS_MAX)
		return text_fail(r, "not an option", head);
	memset(o, 0, sizeof(*o));
	o->name = head + 2;
	if ((arg = strchr(o->name, ' '))) {
		*arg++ = '\0';
		o->arg = arg;
	}
	while (line && *line) {
		if ((next = strchr(line, '\n')))
			*next = '\0';
		if ((rc = option_attribute(r, o, line, &was)))
			return rc;
		if (!was) { /* the help begins here: give its line back */
			if (next)
				*next = '\n';
			break;
		}
		line = next ? next + 1 : NULL;
	}
	o->help = line && *line ? line : NULL;
	if (!o->key || !o->help)
		return text_fail(r, o->key ? "an option without help" : "an option without a key",
		                 o->name);
	d->n_options++;
	return CU_OK;
}

static int read_section(struct text_reader *r, char *head, char *body)
{
	static const char *const prose[] = {"synopsis", "description", "exit status", "examples",
	                                    "files"};
	struct builtin_doc *d = r->d;
	const char **slot[] = {&d->synopsis, &d->description, &d->exit_status, &d->examples,
	                       &d->files};

	if (!strcmp(head, "command"))
		return read_command(r, body);
	if (!strncmp(head, "option ", 7))
		return read_option(r, head + 7, body);
	for (size_t i = 0; i < sizeof(prose) / sizeof(prose[0]); i++)
		if (!strcmp(head, prose[i])) {
			if (*slot[i])
				return text_fail(r, "a section given twice", head);
			*slot[i] = body;
			return CU_OK;
		}
	return text_fail(r, "not a section", head);
}

#define SECTIONS_MAX 96

/* Cuts the copy into sections ("== " lines and what follows each) and reads each. */
static int read_sections(struct text_reader *r, char *text)
{
	char *starts[SECTIONS_MAX + 1], *p = text;
	size_t n = 0;
	int rc;

	while (*p == '#') /* the comment that opens the file */
		p = strchr(p, '\n') ? strchr(p, '\n') + 1 : p + strlen(p);
	if (strncmp(p, "== ", 3))
		return text_fail(r, "no section first", p);
	for (; p; p = strstr(p + 1, "\n== ") ? strstr(p + 1, "\n== ") + 1 : NULL)
		if (n < SECTIONS_MAX)
			starts[n++] = p;
		else
			return text_fail(r, "too many sections", p);
	starts[n] = p = text + strlen(text);
	for (size_t i = 0; i < n; i++) {
		char *head = starts[i] + 3, *nl = strchr(head, '\n');
		char *body = nl && nl < starts[i + 1] ? nl + 1 : starts[i + 1];

		if (nl && nl < starts[i + 1])
			*nl = '\0';
		if ((rc = read_section(r, head, trim_body(body, starts[i + 1]))))
			return rc;
	}
	return CU_OK;
}

static size_t options_from_c(struct builtin_doc *d, const struct builtin_command *c)
{
	size_t room = BUILTIN_OPTIONS_MAX - 1 - d->n_options;

	return c->options_of ? c->options_of(d->options + d->n_options, room) : 0;
}

int builtin_doc_load(struct builtin_doc *d, const struct builtin_command *c, struct cu_error *err)
{
	struct text_reader r = {.d = d, .name = c->name, .err = err};
	int rc;

	memset(d, 0, sizeof(*d));
	d->name = c->name;
	if (!(d->text = malloc(c->len + 1)))
		return cu_error_set(err, CU_EFAIL, "out of memory");
	memcpy(d->text, c->text, c->len);
	d->text[c->len] = '\0';
	if ((rc = read_sections(&r, d->text))) {
		builtin_doc_free(d);
		return rc;
	}
	if (!d->synopsis || !d->description || !d->exit_status || !d->examples || !d->files) {
		builtin_doc_free(d);
		return cu_error_set(err, CU_EFAIL, "the description of %s lacks a section",
		                    c->name);
	}
	d->n_options += options_from_c(d, c);
	d->options[d->n_options++] = help_option;
	return CU_OK;
}

void builtin_doc_free(struct builtin_doc *d)
{
	free(d->text);
	memset(d, 0, sizeof(*d));
}
