/*
 * raw_set.h - the files of a raw image: BASE.raw, or BASE.001, BASE.002,
 * ... (BASE.1000 after BASE.999, as acquire names them), whose bytes one
 * after the other are the media; or a single file of another name.
 *
 * The set is found from any of its files: a numbered part leads back to
 * BASE.001 and runs as far as the parts go without a gap.  A part beyond a
 * gap is not taken in, but the gap is named (the set is damaged: its media
 * would end early).  Every file must be a regular file.
 */
#ifndef CUSTOS_CONTAINER_RAW_SET_H
#define CUSTOS_CONTAINER_RAW_SET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/error.h"

struct raw_set {
	char **names; /* in media order */
	uint64_t *sizes;
	size_t n;
	uint64_t size;              /* the media: every file's bytes */
	bool numbered;              /* BASE.001 ...: a split image */
	char gap[CU_ERROR_MSG_MAX]; /* "" or the part missing inside the run */
};

/*
 * The set `path` belongs to.  CU_EFAIL naming it when a numbered part is
 * given but BASE.001 is missing; CU_EUSAGE when a file is not a regular one.
 */
int raw_set_find(struct raw_set *s, const char *path, struct cu_error *err);
void raw_set_free(struct raw_set *s);

#endif
