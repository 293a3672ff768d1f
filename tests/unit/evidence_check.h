/*
 * evidence_check.h - checks the unit tests of every evidence backend share.
 */
#ifndef CUSTOS_TESTS_UNIT_EVIDENCE_CHECK_H
#define CUSTOS_TESTS_UNIT_EVIDENCE_CHECK_H

#include <stdint.h>

#include "container/evidence.h"

/* Opens `path`, reads it whole into *media (malloc'ed); the scan's result in *res. */
struct evidence *read_all(const char *path, uint8_t **media, struct evidence_scan_result *res);

/*
 * Every chunk of `e` read at random (last to first, two cursors in turn)
 * gives the media `want`, and exactly the damage `damaged` (sectors,
 * ordered; NULL: none).
 */
void expect_cursor(struct evidence *e, const uint8_t *want, const struct cu_ranges *damaged);

#endif
