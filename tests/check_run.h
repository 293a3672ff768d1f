/*
 * check_run.h - the one way every Check test program runs its case.
 */
#ifndef CUSTOS_TESTS_CHECK_RUN_H
#define CUSTOS_TESTS_CHECK_RUN_H

#include <check.h>

/* Runs `tc` in a suite called `name`; returns the process exit status. */
int check_run(const char *name, TCase *tc);

#endif
