/*
 * cmd_report.c - `custos report EVIDENCE [-o FILE]`: the evidence report, an
 * XML document validated against report/custos-report.xsd.  Without -o it
 * goes to stdout.  An existing FILE is refused.  Exit status: 0 written; 1
 * the custody log is broken, or a write failed; 2 usage, or no evidence.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "builtin.h"
#include "lib/atomic_file.h"
#include "report/report.h"
#include "report/sign.h"

static const char report_usage[] =
    "usage: custos report EVIDENCE.E01 [-o FILE] [--sign-key KEY.pem --sign-cert CERT.pem]\n"
    "       custos report --check-signature FILE.xml --ca CA.pem\n"
    "  --sign-key, --sign-cert  also write FILE.p7s, a detached CMS signature (PEM)\n"
    "  --check-signature FILE   check FILE.p7s over FILE against the CA certificate\n"
    "  --dfxml FILE             also write the acquisition as Digital Forensics XML\n"
    "  --html FILE              also write the report for people (printable HTML)\n";

/* FILE.p7s (malloc'ed). */
static char *signature_path(const char *file)
{
	size_t len = strlen(file) + 5;
	char *p = malloc(len);

	if (p)
		snprintf(p, len, "%s.p7s", file);
	return p;
}

static int report_check(const char *file, const char *ca, struct cu_error *err)
{
	char *sig = signature_path(file);
	int rc =
	    sig ? sign_check(file, sig, ca, err) : cu_error_set(err, CU_EFAIL, "out of memory");

	if (!rc)
		printf("custos report: the signature %s over %s verifies\n", sig, file);
	free(sig);
	return rc;
}

static int report_write(const char *path, const char *xml, size_t len, struct cu_error *err)
{
	return cu_file_create(path, xml, len, 0444, err);
}

int cmd_report(int argc, char **argv)
{
	static const struct option options[] = {{"output", required_argument, NULL, 'o'},
	                                        {"sign-key", required_argument, NULL, 'k'},
	                                        {"sign-cert", required_argument, NULL, 'c'},
	                                        {"check-signature", required_argument, NULL, 's'},
	                                        {"ca", required_argument, NULL, 'a'},
	                                        {"dfxml", required_argument, NULL, 'd'},
	                                        {"html", required_argument, NULL, 'H'},
	                                        {"help", no_argument, NULL, 'h'},
	                                        {NULL, 0, NULL, 0}};
	struct cu_error err = {0};
	const char *out = NULL, *key = NULL, *cert = NULL, *check = NULL, *ca = NULL, *dfxml = NULL,
	           *html = NULL;
	char *sig;
	char *xml = NULL;
	size_t len = 0;
	int ch, rc;

	opterr = 0;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "o:h", options, NULL)) != -1) {
		if (ch == 'h') {
			fputs(report_usage, stdout);
			return 0;
		}
		switch (ch) {
		case 'o':
			out = optarg;
			break;
		case 'k':
			key = optarg;
			break;
		case 'c':
			cert = optarg;
			break;
		case 's':
			check = optarg;
			break;
		case 'a':
			ca = optarg;
			break;
		case 'd':
			dfxml = optarg;
			break;
		case 'H':
			html = optarg;
			break;
		default:
			return builtin_fail("report", CU_EUSAGE,
			                    "unknown option (see custos report --help)");
		}
	}
	if (check) {
		if (!ca || optind != argc)
			return builtin_fail(
			    "report", CU_EUSAGE,
			    "--check-signature FILE takes --ca CA.pem, and nothing else");
		rc = report_check(check, ca, &err);
		return rc ? builtin_fail("report", rc, err.msg) : 0;
	}
	if (!key != !cert || (key && !out))
		return builtin_fail("report", CU_EUSAGE,
		                    "signing takes --sign-key, --sign-cert and -o FILE together");
	if (optind != argc - 1)
		return builtin_fail("report", CU_EUSAGE, "give exactly one evidence file");
	rc = report_build(argv[optind], REPORT_XML, &xml, &len, &err);
	if (!rc && !out && fwrite(xml, 1, len, stdout) != len)
		rc = cu_error_set(&err, CU_EFAIL, "cannot write the report");
	if (!rc && out)
		rc = report_write(out, xml, len, &err);
	if (!rc && html) {
		char *page = NULL;
		size_t page_len = 0;

		rc = report_html(xml, len, &page, &page_len, &err);
		if (!rc)
			rc = report_write(html, page, page_len, &err);
		free(page);
	}
	if (!rc && dfxml) {
		char *dx = NULL;
		size_t dx_len = 0;

		rc = report_build(argv[optind], REPORT_DFXML, &dx, &dx_len, &err);
		if (!rc)
			rc = report_write(dfxml, dx, dx_len, &err);
		free(dx);
	}
	if (!rc && key) {
		sig = signature_path(out);
		rc = sig ? sign_detached(key, cert, xml, len, sig, &err)
		         : cu_error_set(&err, CU_EFAIL, "out of memory");
		free(sig);
	}
	free(xml);
	return rc ? builtin_fail("report", rc, err.msg) : 0;
}
