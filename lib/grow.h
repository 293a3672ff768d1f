/*
 * grow.h - room for one more element in an array that doubles as it fills.
 *
 * The lists custos builds as it goes (ranges of sectors, slow regions, the
 * files of a set, the sets of a directory) share one way to grow: from 16
 * elements, doubling, so that appending is amortised O(1) and never more
 * than twice the memory used.
 */
#ifndef CUSTOS_LIB_GROW_H
#define CUSTOS_LIB_GROW_H

#include <stddef.h>

/*
 * `array` is the address of an array's pointer (&list->v), of *cap elements
 * of `size` bytes, `n` of them used: makes it hold at least n + 1.  Returns
 * 0, or -1 when memory runs out (the array and *cap as they were).
 */
int cu_grow(void *array, size_t *cap, size_t n, size_t size);

#endif
