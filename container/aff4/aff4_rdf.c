/*
 * aff4_rdf.c - Turtle through serd into an array of triples.
 *
 * serd reads the text and hands each statement over with its terms as
 * written (IRIs, prefixed names, blank labels, literals with a datatype);
 * the environment, fed the document's @prefix and @base, expands them into
 * whole IRIs.  Each triple is copied (a blank node as "_:label"), and each
 * literal of a known type checked: xsd integers by their range, aff4
 * digests as hex of exactly their size.  The first failure (serd's own
 * message with its line, a cap, a bad literal) ends the parse; serd never
 * prints.  Lookups are linear: a volume's metadata is a few hundred
 * triples.
 */
#include "container/aff4/aff4_rdf.h"

#include <errno.h>
#include <inttypes.h>
#include <serd/serd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/hash.h"

struct aff4_rdf {
	struct aff4_triple *v;
	size_t n, cap;
};

struct rdf_parse {
	struct aff4_rdf *g;
	SerdEnv *env;
	int rc;
	struct cu_error err;
};

static void rdf_fail(struct rdf_parse *p, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void rdf_fail(struct rdf_parse *p, int rc, const char *fmt, ...)
{
	char msg[CU_ERROR_MSG_MAX];
	va_list ap;

	if (p->rc)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	p->rc = cu_error_set(&p->err, rc, "information.turtle: %s", msg);
}

static SerdStatus rdf_on_error(void *handle, const SerdError *e)
{
	struct rdf_parse *p = handle;
	char msg[256];
	va_list args;
	size_t n;

	va_copy(args, *e->args);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral" /* serd's own format, with its arguments */
	vsnprintf(msg, sizeof(msg), e->fmt, args);
#pragma GCC diagnostic pop
	va_end(args);
	n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
		msg[--n] = '\0';
	rdf_fail(p, CU_EUSAGE, "line %u, column %u: %s", e->line, e->col, msg);
	return SERD_SUCCESS;
}

static SerdStatus rdf_on_base(void *handle, const SerdNode *uri)
{
	struct rdf_parse *p = handle;

	return serd_env_set_base_uri(p->env, uri);
}

static SerdStatus rdf_on_prefix(void *handle, const SerdNode *name, const SerdNode *uri)
{
	struct rdf_parse *p = handle;

	return serd_env_set_prefix(p->env, name, uri);
}

/* A term as a whole string (malloc'ed): an IRI expanded, a blank as "_:label", a literal. */
static char *rdf_term(struct rdf_parse *p, const SerdNode *n)
{
	SerdNode e;
	char *s = NULL;

	if (!n || !n->buf || n->n_bytes > AFF4_RDF_TERM_MAX ||
	    strlen((const char *)n->buf) != n->n_bytes) {
		rdf_fail(p, CU_EUSAGE, "a term longer than 65536 bytes, or holding NUL");
		return NULL;
	}
	switch (n->type) {
	case SERD_URI:
	case SERD_CURIE:
		e = serd_env_expand_node(p->env, n);
		if (!e.buf || e.n_bytes > AFF4_RDF_TERM_MAX)
			rdf_fail(p, CU_EUSAGE, "the name %s cannot be expanded", n->buf);
		else
			s = strndup((const char *)e.buf, e.n_bytes);
		serd_node_free(&e);
		break;
	case SERD_BLANK:
		if (asprintf(&s, "_:%s", n->buf) < 0)
			s = NULL;
		break;
	default:
		s = strndup((const char *)n->buf, n->n_bytes);
	}
	if (!s && !p->rc)
		rdf_fail(p, CU_EFAIL, "out of memory");
	return s;
}

static bool rdf_integer(const char *text, int64_t lo, int64_t hi)
{
	const char *d = text + (text[0] == '+' || text[0] == '-');
	char *end;
	long long v;

	if (!*d || strspn(d, "0123456789") != strlen(d))
		return false;
	errno = 0;
	v = strtoll(text, &end, 10);
	return errno == 0 && *end == '\0' && v >= lo && v <= hi;
}

size_t aff4_rdf_digest_size(const char *dt)
{
	static const struct {
		const char *name;
		size_t size;
	} kinds[] = {{"MD5", 16},
	             {"SHA1", 20},
	             {"SHA256", 32},
	             {"SHA512", 64},
	             {"blake2b", 64},
	             {"Blake2b", 64},
	             {"blockMapHashSHA512", 64},
	             {"blockMapHashSHA256", 32}};
	size_t ns = strlen(AFF4_NS);

	if (!dt || strncmp(dt, AFF4_NS, ns))
		return 0;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(dt + ns, kinds[i].name))
			return kinds[i].size;
	return 0;
}

/* A literal of a type custos reads must have that type's shape. */
static void rdf_check_literal(struct rdf_parse *p, const char *value, const char *dt)
{
	static const struct {
		const char *name;
		int64_t lo, hi;
	} ints[] = {{"int", INT32_MIN, INT32_MAX},     {"long", INT64_MIN, INT64_MAX},
	            {"integer", INT64_MIN, INT64_MAX}, {"short", INT16_MIN, INT16_MAX},
	            {"unsignedInt", 0, UINT32_MAX},    {"nonNegativeInteger", 0, INT64_MAX},
	            {"positiveInteger", 1, INT64_MAX}, {"unsignedLong", 0, INT64_MAX}};
	size_t nx = strlen(AFF4_XSD), size = aff4_rdf_digest_size(dt);
	uint8_t bytes[64];

	if (size && (strlen(value) != 2 * size || !cu_unhex(bytes, size, value)))
		rdf_fail(p, CU_EUSAGE, "a digest typed %s that is not %zu hex digits: \"%.80s\"",
		         dt + strlen(AFF4_NS), 2 * size, value);
	if (strncmp(dt, AFF4_XSD, nx))
		return;
	for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++)
		if (!strcmp(dt + nx, ints[i].name) && !rdf_integer(value, ints[i].lo, ints[i].hi))
			rdf_fail(p, CU_EUSAGE, "an xsd:%s out of range or not a number: \"%.40s\"",
			         ints[i].name, value);
}

static SerdStatus rdf_on_statement(void *handle, SerdStatementFlags flags, const SerdNode *graph,
                                   const SerdNode *s, const SerdNode *pr, const SerdNode *o,
                                   const SerdNode *dt, const SerdNode *lang)
{
	struct rdf_parse *p = handle;
	struct aff4_rdf *g = p->g;
	struct aff4_triple t = {0};

	(void)flags, (void)graph, (void)lang;
	if (p->rc)
		return SERD_ERR_BAD_ARG;
	if (g->n >= AFF4_RDF_TRIPLES_MAX) {
		rdf_fail(p, CU_EUSAGE, "more than %u triples", AFF4_RDF_TRIPLES_MAX);
		return SERD_ERR_BAD_ARG;
	}
	if (g->n == g->cap) {
		size_t cap = g->cap ? 2 * g->cap : 64;
		struct aff4_triple *v = realloc(g->v, cap * sizeof(*v));

		if (!v) {
			rdf_fail(p, CU_EFAIL, "out of memory");
			return SERD_ERR_BAD_ARG;
		}
		g->v = v;
		g->cap = cap;
	}
	t.s = rdf_term(p, s);
	t.p = rdf_term(p, pr);
	t.o = rdf_term(p, o);
	if (o->type == SERD_LITERAL)
		t.datatype = dt && dt->buf ? rdf_term(p, dt) : strdup("");
	g->v[g->n++] = t; /* freed with the graph, whole or not */
	if (!p->rc && (!t.s || !t.p || !t.o || (o->type == SERD_LITERAL && !t.datatype)))
		rdf_fail(p, CU_EFAIL, "out of memory");
	if (!p->rc && t.datatype)
		rdf_check_literal(p, t.o, t.datatype);
	return p->rc ? SERD_ERR_BAD_ARG : SERD_SUCCESS;
}

static int rdf_run(struct rdf_parse *p, const char *text, const char *volume)
{
	SerdNode base = serd_node_from_string(SERD_URI, (const uint8_t *)volume);
	SerdReader *r;
	SerdStatus st;

	if (!(p->env = serd_env_new(&base)))
		return cu_error_set(&p->err, CU_EFAIL, "out of memory");
	serd_env_set_prefix_from_strings(p->env, (const uint8_t *)"", (const uint8_t *)volume);
	r = serd_reader_new(SERD_TURTLE, p, NULL, rdf_on_base, rdf_on_prefix, rdf_on_statement,
	                    NULL);
	if (!r)
		return cu_error_set(&p->err, CU_EFAIL, "out of memory");
	serd_reader_set_strict(r, true);
	serd_reader_set_error_sink(r, rdf_on_error, p);
	st = serd_reader_read_string(r, (const uint8_t *)text);
	serd_reader_free(r);
	if (st && !p->rc)
		rdf_fail(p, CU_EUSAGE, "not Turtle (%s)", (const char *)serd_strerror(st));
	return p->rc;
}

int aff4_rdf_parse(struct aff4_rdf **out, const char *text, size_t len, const char *volume,
                   struct cu_error *err)
{
	struct rdf_parse p = {0};
	int rc;

	if (len > AFF4_RDF_TEXT_MAX)
		return cu_error_set(err, CU_EUSAGE, "information.turtle: larger than 4 MiB");
	if (strlen(text) != len)
		return cu_error_set(err, CU_EUSAGE, "information.turtle: it holds a NUL byte");
	if (!(p.g = calloc(1, sizeof(*p.g))))
		return cu_error_set(err, CU_EFAIL, "out of memory");
	rc = rdf_run(&p, text, volume);
	if (p.env)
		serd_env_free(p.env);
	if (rc) {
		if (err)
			*err = p.err;
		aff4_rdf_free(p.g);
		return rc;
	}
	*out = p.g;
	return CU_OK;
}

size_t aff4_rdf_count(const struct aff4_rdf *g)
{
	return g->n;
}

const struct aff4_triple *aff4_rdf_triple(const struct aff4_rdf *g, size_t i)
{
	return i < g->n ? &g->v[i] : NULL;
}

size_t aff4_rdf_next(const struct aff4_rdf *g, const char *s, const char *p, size_t from)
{
	for (size_t i = from; i < g->n; i++)
		if ((!s || !strcmp(g->v[i].s, s)) && !strcmp(g->v[i].p, p))
			return i;
	return g->n;
}

const char *aff4_rdf_object(const struct aff4_rdf *g, const char *s, const char *p)
{
	size_t i = aff4_rdf_next(g, s, p, 0);

	return i < g->n ? g->v[i].o : NULL;
}

bool aff4_rdf_is_a(const struct aff4_rdf *g, const char *s, const char *type)
{
	for (size_t i = aff4_rdf_next(g, s, AFF4_RDF_TYPE, 0); i < g->n;
	     i = aff4_rdf_next(g, s, AFF4_RDF_TYPE, i + 1))
		if (!g->v[i].datatype && !strcmp(g->v[i].o, type))
			return true;
	return false;
}

bool aff4_rdf_u64(const struct aff4_rdf *g, const char *s, const char *p, uint64_t *v)
{
	size_t i = aff4_rdf_next(g, s, p, 0);
	const char *o = i < g->n && g->v[i].datatype ? g->v[i].o : "";
	char *end;

	if (!*o || strspn(o, "0123456789") != strlen(o))
		return false;
	errno = 0;
	*v = strtoull(o, &end, 10);
	return errno == 0 && *end == '\0';
}

void aff4_rdf_free(struct aff4_rdf *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->n; i++) {
		free((char *)g->v[i].s);
		free((char *)g->v[i].p);
		free((char *)g->v[i].o);
		free((char *)g->v[i].datatype);
	}
	free(g->v);
	free(g);
}
