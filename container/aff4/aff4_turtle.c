/*
 * aff4_turtle.c - a growing buffer of Turtle.  The first error (out of
 * memory, an IRI Turtle cannot hold) is kept and reported by
 * aff4_turtle_text, so that the calls that build the text need no checks
 * of their own between them.
 */
#include "container/aff4/aff4_turtle.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct aff4_turtle {
	char *buf;
	size_t len, cap;
	bool in_subject;
	bool has_predicate; /* the subject has one: the next follows a ";" */
	int rc;
	struct cu_error err;
};

static void tt_fail(struct aff4_turtle *t, int rc, const char *what)
{
	if (!t->rc) {
		t->rc = rc;
		cu_error_set(&t->err, rc, "%s", what);
	}
}

static void tt_put(struct aff4_turtle *t, const char *s, size_t n)
{
	if (t->rc)
		return;
	if (t->len + n + 1 > t->cap) {
		size_t cap = t->cap ? t->cap : 4096;
		char *grown;

		while (cap < t->len + n + 1)
			cap *= 2;
		if (!(grown = realloc(t->buf, cap))) {
			tt_fail(t, CU_EFAIL, "out of memory");
			return;
		}
		t->buf = grown;
		t->cap = cap;
	}
	memcpy(t->buf + t->len, s, n);
	t->len += n;
	t->buf[t->len] = '\0';
}

static void tt_puts(struct aff4_turtle *t, const char *s)
{
	tt_put(t, s, strlen(s));
}

/* Whether Turtle can hold `iri` between <> (IRIREF: no controls, space or <>"{}|^`\). */
static bool tt_iri_ok(const char *iri)
{
	if (!iri[0])
		return false;
	for (const unsigned char *p = (const unsigned char *)iri; *p; p++)
		if (*p <= 0x20 || strchr("<>\"{}|^`\\", *p))
			return false;
	return true;
}

/* An IRI as an object or subject: a prefixed name as it is, anything else between <>. */
static void tt_iri(struct aff4_turtle *t, const char *iri)
{
	if (!strcmp(iri, ":") || (!strncmp(iri, "aff4:", 5) && !strchr(iri, '/'))) {
		tt_puts(t, iri);
		return;
	}
	if (!tt_iri_ok(iri)) {
		tt_fail(t, CU_EUSAGE, "an IRI Turtle cannot hold");
		return;
	}
	tt_puts(t, "<");
	tt_puts(t, iri);
	tt_puts(t, ">");
}

int aff4_turtle_new(struct aff4_turtle **out, const char *volume, struct cu_error *err)
{
	struct aff4_turtle *t = calloc(1, sizeof(*t));

	if (!t)
		return cu_error_set(err, CU_EFAIL, "out of memory");
	tt_puts(t, "@prefix : ");
	tt_iri(t, volume);
	tt_puts(t, " .\n@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n"
	           "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
	           "@prefix aff4: <http://aff4.org/Schema#> .\n");
	if (t->rc) {
		int rc = t->rc;

		if (err)
			*err = t->err;
		aff4_turtle_free(t);
		return rc;
	}
	*out = t;
	return CU_OK;
}

static void tt_end_subject(struct aff4_turtle *t)
{
	if (t->in_subject)
		tt_puts(t, " .\n");
	t->in_subject = false;
}

int aff4_turtle_subject(struct aff4_turtle *t, const char *iri, const char *const *types)
{
	tt_end_subject(t);
	tt_puts(t, "\n");
	tt_iri(t, iri);
	for (size_t i = 0; types && types[i]; i++) {
		tt_puts(t, i ? ", aff4:" : "\n    a aff4:");
		tt_puts(t, types[i]);
	}
	t->in_subject = true;
	t->has_predicate = types && types[0];
	return t->rc;
}

static void tt_property(struct aff4_turtle *t, const char *property)
{
	if (!t->in_subject)
		tt_fail(t, CU_EFAIL, "a Turtle property without its subject");
	tt_puts(t, t->has_predicate ? " ;\n    aff4:" : "\n    aff4:");
	t->has_predicate = true;
	tt_puts(t, property);
	tt_puts(t, " ");
}

int aff4_turtle_iri(struct aff4_turtle *t, const char *property, const char *iri)
{
	tt_property(t, property);
	tt_iri(t, iri);
	return t->rc;
}

/* `text` as a quoted Turtle string. */
static void tt_quoted(struct aff4_turtle *t, const char *text)
{
	tt_puts(t, "\"");
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		char esc[8];

		if (*p == '"' || *p == '\\')
			snprintf(esc, sizeof(esc), "\\%c", *p);
		else if (*p == '\n' || *p == '\r' || *p == '\t')
			snprintf(esc, sizeof(esc), "\\%c",
			         *p == '\n'   ? 'n'
			         : *p == '\r' ? 'r'
			                      : 't');
		else if (*p < 0x20 || *p == 0x7f)
			snprintf(esc, sizeof(esc), "\\u%04X", *p);
		else {
			tt_put(t, (const char *)p, 1);
			continue;
		}
		tt_puts(t, esc);
	}
	tt_puts(t, "\"");
}

int aff4_turtle_string(struct aff4_turtle *t, const char *property, const char *text)
{
	if (!text || !text[0])
		return t->rc;
	tt_property(t, property);
	tt_quoted(t, text);
	return t->rc;
}

int aff4_turtle_typed(struct aff4_turtle *t, const char *property, const char *lexical,
                      const char *datatype)
{
	tt_property(t, property);
	tt_quoted(t, lexical);
	tt_puts(t, "^^");
	tt_puts(t, datatype);
	return t->rc;
}

int aff4_turtle_text(struct aff4_turtle *t, const char **text, size_t *len, struct cu_error *err)
{
	tt_end_subject(t);
	if (t->rc) {
		if (err)
			*err = t->err;
		return t->rc;
	}
	*text = t->buf;
	*len = t->len;
	return CU_OK;
}

void aff4_turtle_free(struct aff4_turtle *t)
{
	if (!t)
		return;
	free(t->buf);
	free(t);
}
