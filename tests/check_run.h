/*
 * check_run.h - the one way every Check test program runs its case.
 */
#ifndef CUSTOS_TESTS_CHECK_RUN_H
#define CUSTOS_TESTS_CHECK_RUN_H

#include <check.h>
#include <stddef.h>

/* Runs `tc` in a suite called `name`; returns the process exit status. */
int check_run(const char *name, TCase *tc);

/* Makes a new directory /tmp/custos-NAME.?????? into `out` (cap >= 40); fails the test if not. */
void check_tempdir(char *out, size_t cap, const char *name);

#endif
