/*
 * check_run.c - running one test case and turning its result into an exit
 * status (Check prints the "100%: Checks: N, Failures: 0" line CI reads).
 */
#include "tests/check_run.h"

#include <stdio.h>
#include <stdlib.h>

void check_tempdir(char *out, size_t cap, const char *name)
{
	/* mkdtemp's template ends in six Xs */
	snprintf(out, cap, "/tmp/custos-%s.%s", name,
	         "XX"
	         "XX"
	         "XX");
	ck_assert_ptr_nonnull(mkdtemp(out));
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
