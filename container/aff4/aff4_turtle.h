/*
 * aff4_turtle.h - the Turtle text of an AFF4 volume's information.turtle.
 *
 * custos writes it (it is small and of a fixed shape) and will read it with
 * a real RDF parser, never by pattern.  This writer knows Turtle's syntax:
 * the prefixes (":" the volume, aff4:, xsd:, rdf:), a subject with its
 * types, and each property with an IRI, a plain string or a typed literal.
 * Strings are escaped as Turtle's quoted literals require (\" \\ \n \r \t,
 * other control characters as \uXXXX); an IRI that Turtle cannot hold
 * between <> is refused.  aff4_info.h says which triples a volume holds.
 */
#ifndef CUSTOS_CONTAINER_AFF4_TURTLE_H
#define CUSTOS_CONTAINER_AFF4_TURTLE_H

#include <stddef.h>

#include "lib/error.h"

struct aff4_turtle;

/* Starts the text with its prefixes; `volume` is the volume's URN. */
int aff4_turtle_new(struct aff4_turtle **out, const char *volume, struct cu_error *err);

/*
 * Starts a subject: `iri` (":" for the volume itself) with its types,
 * `types` a NULL-terminated list of aff4: class names ("DiskImage").
 */
int aff4_turtle_subject(struct aff4_turtle *t, const char *iri, const char *const *types);

/* A property (an aff4: name) of the subject with an IRI ("aff4:Zero" and ":" as they are). */
int aff4_turtle_iri(struct aff4_turtle *t, const char *property, const char *iri);

/* ... with a plain string; NULL or "" leaves the property out. */
int aff4_turtle_string(struct aff4_turtle *t, const char *property, const char *text);

/* ... with a typed literal: `lexical` of `datatype` ("xsd:long", "aff4:SHA256"). */
int aff4_turtle_typed(struct aff4_turtle *t, const char *property, const char *lexical,
                      const char *datatype);

/* The text, every subject ended (owned by `t`); the first failure of any call before. */
int aff4_turtle_text(struct aff4_turtle *t, const char **text, size_t *len, struct cu_error *err);

void aff4_turtle_free(struct aff4_turtle *t);

#endif
