/*
 * aff4_rdf.h - an AFF4 volume's information.turtle as a small set of
 * triples, parsed by a real RDF parser (serd), never by pattern.
 *
 * Prefixed names and relative IRIs are expanded to whole IRIs; ":" and the
 * base are the volume's URN unless the text says otherwise.  Everything is
 * hostile: the text, each term and the number of triples are capped, and
 * every literal of a type custos reads is checked as it is parsed (integers
 * in range for their XSD type, digests as hex of exactly their length),
 * so that a graph that parsed holds only values of the right shape.
 */
#ifndef CUSTOS_CONTAINER_AFF4_RDF_H
#define CUSTOS_CONTAINER_AFF4_RDF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/error.h"

#define AFF4_NS       "http://aff4.org/Schema#"
#define AFF4_XSD      "http://www.w3.org/2001/XMLSchema#"
#define AFF4_RDF_TYPE "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

#define AFF4_RDF_TEXT_MAX    (4U << 20)
#define AFF4_RDF_TRIPLES_MAX 65536U
#define AFF4_RDF_TERM_MAX    65536U

struct aff4_triple {
	const char *s, *p, *o;
	const char
	    *datatype; /* a literal's datatype IRI; "" for a plain one; NULL: not a literal */
};

struct aff4_rdf;

/* Parses `len` bytes of Turtle; `volume` is the volume's URN.  CU_EUSAGE with why on failure. */
int aff4_rdf_parse(struct aff4_rdf **out, const char *text, size_t len, const char *volume,
                   struct cu_error *err);

size_t aff4_rdf_count(const struct aff4_rdf *g);
const struct aff4_triple *aff4_rdf_triple(const struct aff4_rdf *g, size_t i);

/*
 * The index of the first triple at or after `from` with subject `s` (any
 * when NULL) and predicate `p`; aff4_rdf_count() when none.
 */
size_t aff4_rdf_next(const struct aff4_rdf *g, const char *s, const char *p, size_t from);

/* The first object of (s, p), or NULL. */
const char *aff4_rdf_object(const struct aff4_rdf *g, const char *s, const char *p);

/* Whether `s` has rdf:type `type`. */
bool aff4_rdf_is_a(const struct aff4_rdf *g, const char *s, const char *type);

/*
 * The first integer literal of (s, p) into *v: false when there is none;
 * a literal that is not a non-negative integer counts as none.
 */
bool aff4_rdf_u64(const struct aff4_rdf *g, const char *s, const char *p, uint64_t *v);

/* Bytes of the digest a datatype names (aff4:MD5 16, ..., aff4:SHA512 64); 0 when not one. */
size_t aff4_rdf_digest_size(const char *datatype);

void aff4_rdf_free(struct aff4_rdf *g);

#endif
