/*
 * cmd_custody.c - `custos custody add|show|verify EVIDENCE`.
 *
 *   add EVIDENCE --action ACTION --by NAME [--to NAME] [--location PLACE] [--note TEXT]
 *   show EVIDENCE      lists the events (and checks the chain)
 *   verify EVIDENCE    checks the chain and its binding to the evidence's digests
 *
 * EVIDENCE is BASE.E01 (or BASE); the log is BASE.custody.xml.  Exit status:
 * 0 done and the chain is whole; 1 the chain is broken, or a write failed;
 * 2 usage, or no log.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "container/ewf_reader.h"
#include "builtin.h"
#include "report/custody.h"
#include "lib/path.h"

static const char custody_usage[] =
    "usage: custos custody add EVIDENCE --action ACTION --by NAME [--to NAME]\n"
    "                          [--location PLACE] [--note TEXT]\n"
    "       custos custody show EVIDENCE\n"
    "       custos custody verify EVIDENCE\n";

/* The digests the evidence stores, to check the log's binding; NULL if not EWF. */
static const struct cu_digests *custody_binding(const char *evidence, struct cu_digests *d)
{
	struct ewf_reader *r;

	if (ewf_reader_open(&r, evidence, NULL) != CU_OK)
		return NULL;
	ewf_reader_stored_digests(r, d);
	ewf_reader_close(r);
	return d;
}

static int custody_add(int argc, char **argv, const char *path, struct cu_error *err)
{
	static const struct option options[] = {
	    {"action", required_argument, NULL, 'a'}, {"by", required_argument, NULL, 'b'},
	    {"to", required_argument, NULL, 't'},     {"location", required_argument, NULL, 'l'},
	    {"note", required_argument, NULL, 'n'},   {NULL, 0, NULL, 0}};
	struct custody_event ev = {0};
	int ch;

	while ((ch = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (ch) {
		case 'a':
			ev.action = optarg;
			break;
		case 'b':
			ev.by = optarg;
			break;
		case 't':
			ev.to = optarg;
			break;
		case 'l':
			ev.location = optarg;
			break;
		case 'n':
			ev.note = optarg;
			break;
		default:
			return cu_error_set(err, CU_EUSAGE,
			                    "unknown option (see custos custody --help)");
		}
	}
	if (!ev.action || !ev.action[0] || !ev.by || !ev.by[0])
		return cu_error_set(err, CU_EUSAGE, "custody add needs --action and --by");
	if (optind != argc)
		return cu_error_set(err, CU_EUSAGE, "custody add: unexpected '%s'", argv[optind]);
	return custody_append(path, &ev, err);
}

int cmd_custody(int argc, char **argv)
{
	struct cu_error err = {0};
	struct cu_digests stored;
	const struct cu_digests *binding;
	char *path;
	int rc;

	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs(custody_usage, stdout);
		return 0;
	}
	if (argc < 3)
		return builtin_fail("custody", CU_EUSAGE, "give add, show or verify, and EVIDENCE");
	if (!(path = cu_path_custody_log(argv[2])))
		return builtin_fail("custody", CU_EFAIL, "out of memory");
	opterr = 0;
	optind = 3;
	if (!strcmp(argv[1], "add")) {
		rc = custody_add(argc, argv, path, &err);
	} else if (!strcmp(argv[1], "show") || !strcmp(argv[1], "verify")) {
		binding = custody_binding(argv[2], &stored);
		rc = argc != 3
		         ? cu_error_set(&err, CU_EUSAGE, "custody %s takes only EVIDENCE", argv[1])
		         : custody_verify(path, binding, !strcmp(argv[1], "show") ? stdout : NULL,
		                          &err);
		if (!rc && !strcmp(argv[1], "verify"))
			printf("custos custody: %s is whole%s\n", path,
			       binding ? " and bound to the evidence's digests" : "");
	} else {
		rc = cu_error_set(&err, CU_EUSAGE, "'%s' is not add, show or verify", argv[1]);
	}
	free(path);
	return rc ? builtin_fail("custody", rc, err.msg) : 0;
}
