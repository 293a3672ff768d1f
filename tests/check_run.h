/*
 * check_run.h - the one way every Check test program runs its case.
 */
#ifndef CUSTOS_TESTS_CHECK_RUN_H
#define CUSTOS_TESTS_CHECK_RUN_H

#include <check.h>
#include <stddef.h>

/* Runs `tc` in a suite called `name`; returns the process exit status. */
int check_run(const char *name, TCase *tc);

/* The directory for temporary files: $TMPDIR when set, else /tmp. */
const char *check_tmpdir(void);

/* Makes a new directory TMPDIR/custos-NAME.?????? into `out`; fails the test if not (or if
   the name does not fit in `cap`). */
void check_tempdir(char *out, size_t cap, const char *name);

#endif
