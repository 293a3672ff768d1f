/*
 * grow.c - the doubling array growth every list in custos shares.
 */
#include "lib/grow.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int cu_grow(void *array, size_t *cap, size_t n, size_t size)
{
	size_t want;
	void *v, *grown;

	if (n < *cap)
		return 0;
	want = *cap ? 2 * *cap : 16;
	if (want > SIZE_MAX / size)
		return -1;
	memcpy(&v, array, sizeof(v)); /* the pointer, whatever its element type */
	if (!(grown = realloc(v, want * size)))
		return -1;
	memcpy(array, &grown, sizeof(grown));
	*cap = want;
	return 0;
}
