/*
 * ewf_header.h - the text sections of an E01: header2, header and xhash.
 *
 * Each is built as text, then zlib-compressed as the format requires:
 * header2 as UTF-16LE with a byte-order mark (the case metadata EnCase 6
 * and libewf read first), header in code page 1252 for older readers, and
 * xhash as UTF-8 XML carrying MD5, SHA-1 and SHA-256, where libewf finds the
 * SHA-256 that no fixed E01 section can hold.
 */
#ifndef CUSTOS_CONTAINER_EWF_HEADER_H
#define CUSTOS_CONTAINER_EWF_HEADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/error.h"
#include "lib/hash.h"
#include "lib/meta.h"

struct ewf_blob {
	uint8_t *data;
	size_t len;
};

void ewf_blob_free(struct ewf_blob *b);

int ewf_header2_build(struct ewf_blob *out, const struct cu_meta *m, struct cu_error *err);
/* *transliterated: a value code page 1252 cannot hold was transliterated. */
int ewf_header_build(struct ewf_blob *out, const struct cu_meta *m, bool *transliterated,
                     struct cu_error *err);
int ewf_xhash_build(struct ewf_blob *out, const struct cu_digests *d, struct cu_error *err);

#endif
