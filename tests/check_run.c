/*
 * check_run.c - running one test case and turning its result into an exit
 * status (Check prints the "100%: Checks: N, Failures: 0" line CI reads).
 */
#include "tests/check_run.h"

#include <stdio.h>
#include <stdlib.h>

const char *check_tmpdir(void)
{
	/* TMPDIR, as mktemp(1) and the end-to-end tests take it: a user's own space */
	const char *dir = getenv("TMPDIR");

	return dir && *dir ? dir : "/tmp";
}

void check_tempdir(char *out, size_t cap, const char *name)
{
	/* mkdtemp's template ends in six Xs */
	int n = snprintf(out, cap, "%s/custos-%s.%s", check_tmpdir(), name,
	                 "XX"
	                 "XX"
	                 "XX");

	ck_assert_msg(n > 0 && (size_t)n < cap, "TMPDIR %s is too long a path for this test",
	              check_tmpdir());
	ck_assert_msg(mkdtemp(out) != NULL, "cannot make a directory %s", out);
}

int check_run(const char *name, TCase *tc)
{
	Suite *s = suite_create(name);
	SRunner *sr;
	int failed;

	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
