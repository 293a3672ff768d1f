/*
 * fuzz_aff4_turtle.c - an AFF4 volume's information.turtle (aff4_rdf.h) on
 * arbitrary bytes: serd's parse, the expansion of names against the
 * volume's URN, the caps and the checks of literals; then the lookups the
 * image reader makes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "container/aff4/aff4_rdf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	struct aff4_rdf *g;
	uint64_t v;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (aff4_rdf_parse(&g, text, size, "aff4://685e15cc-d0fb-4dbc-ba47-48117fc77044", NULL) ==
	    CU_OK) {
		for (size_t i = 0; i < aff4_rdf_count(g); i++) {
			const struct aff4_triple *t = aff4_rdf_triple(g, i);

			(void)aff4_rdf_is_a(g, t->s, AFF4_NS "ImageStream");
			(void)aff4_rdf_u64(g, t->s, AFF4_NS "chunkSize", &v);
			(void)aff4_rdf_digest_size(t->datatype);
		}
		(void)aff4_rdf_object(g, NULL, AFF4_NS "dataStream");
		aff4_rdf_free(g);
	}
	free(text);
	return 0;
}
