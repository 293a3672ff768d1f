/*
 * ewf_chain.h - checking that an EWF set is whole, before reading it.
 *
 * Walks only the section descriptors of every segment file: each must
 * carry the next segment number, every section must lie inside its file,
 * every segment but the last must end with "next", and the last with
 * "done".  A missing or truncated segment is then named exactly, where a
 * reader would only fail somewhere later.
 */
#ifndef CUSTOS_CONTAINER_EWF_CHAIN_H
#define CUSTOS_CONTAINER_EWF_CHAIN_H

#include <stddef.h>

/*
 * Checks the segment files `paths` (in order; `first` names the set).
 * Returns 0 when the chain is whole, or -1 with one line in `problem`.
 */
int ewf_chain_check(const char *const *paths, size_t n, char *problem, size_t cap);

#endif
