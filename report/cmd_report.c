/*
 * cmd_report.c - `custos report EVIDENCE [-o FILE] [--html FILE] [--dfxml
 * FILE] [--sign-key KEY --sign-cert CERT]` and `custos report
 * --check-signature FILE --ca CA`.
 *
 * The evidence report is an XML document validated against
 * report/custos-report.xsd; without -o it goes to stdout.  Signing is
 * checked first (the key, the certificate's validity and key usage), and
 * the signature is made before anything is written, so that a signing that
 * fails leaves no unsigned report behind.  Existing files are refused.
 * Exit status: 0 written (or the signature verifies); 1 the custody log is
 * broken, a signature does not verify, or a write failed; 2 usage, or no
 * evidence.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "builtin.h"
#include "lib/atomic_file.h"
#include "lib/path.h"
#include "report/report.h"
#include "report/sign.h"

struct report_args {
	const char *evidence, *out, *key, *cert, *check, *ca, *dfxml, *html;
};

static int report_check_signature(const struct report_args *a, struct cu_error *err)
{
	char *sig = cu_path_suffixed(a->check, ".p7s");
	int rc = sig ? sign_check(a->check, sig, a->ca, err)
	             : cu_error_set(err, CU_EFAIL, "out of memory");

	if (!rc)
		printf("custos report: the signature %s over %s verifies\n", sig, a->check);
	free(sig);
	return rc;
}

/* FILE and FILE.p7s, both or neither. */
static int report_write_signed(const char *path, const char *xml, size_t len, const char *pem,
                               size_t pem_len, struct cu_error *err)
{
	char *sig = cu_path_suffixed(path, ".p7s");
	int rc = sig ? cu_file_check_absent(sig, "the signature", err)
	             : cu_error_set(err, CU_EFAIL, "out of memory");

	if (!rc)
		rc = cu_file_create(path, xml, len, 0444, err);
	if (!rc && (rc = cu_file_create(sig, pem, pem_len, 0444, err)))
		unlink(path);
	free(sig);
	return rc;
}

static int report_write_extras(const struct report_args *a, const char *xml, size_t len,
                               struct cu_error *err)
{
	char *text = NULL;
	size_t text_len = 0;
	int rc = CU_OK;

	if (a->html) {
		rc = report_html(xml, len, &text, &text_len, err);
		if (!rc)
			rc = cu_file_create(a->html, text, text_len, 0444, err);
		free(text);
		text = NULL;
	}
	if (!rc && a->dfxml) {
		rc = report_build(a->evidence, REPORT_DFXML, &text, &text_len, err);
		if (!rc)
			rc = cu_file_create(a->dfxml, text, text_len, 0444, err);
		free(text);
	}
	return rc;
}

static int report_make(const struct report_args *a, struct cu_error *err)
{
	struct sign_signer *signer = NULL;
	char *xml = NULL, *pem = NULL;
	size_t len = 0, pem_len = 0;
	int rc = a->key ? sign_signer_load(&signer, a->key, a->cert, err) : CU_OK;

	if (!rc)
		rc = report_build(a->evidence, REPORT_XML, &xml, &len, err);
	if (!rc && signer)
		rc = sign_detached(signer, xml, len, &pem, &pem_len, err);
	if (!rc && !a->out && fwrite(xml, 1, len, stdout) != len)
		rc = cu_error_set(err, CU_EFAIL, "cannot write the report");
	else if (!rc && a->out)
		rc = signer ? report_write_signed(a->out, xml, len, pem, pem_len, err)
		            : cu_file_create(a->out, xml, len, 0444, err);
	if (!rc)
		rc = report_write_extras(a, xml, len, err);
	sign_signer_free(signer);
	free(pem);
	free(xml);
	return rc;
}

static int report_take(void *ctx, int key, const char *name, const char *value,
                       struct cu_error *err)
{
	struct report_args *a = ctx;
	const char **slots[128] = {
	    ['o'] = &a->out, ['k'] = &a->key,   ['c'] = &a->cert, ['s'] = &a->check,
	    ['a'] = &a->ca,  ['d'] = &a->dfxml, ['H'] = &a->html};

	(void)name;
	if (key <= 0 || key >= 128 || !slots[key])
		return cu_error_set(err, CU_EUSAGE, "unknown option (see custos report --help)");
	*slots[key] = value;
	return CU_OK;
}

static int report_parse(struct report_args *a, int argc, char **argv, struct cu_error *err)
{
	int rc = builtin_parse(&command_report, argc, argv, 1, report_take, a, err);

	if (rc)
		return rc;
	if (a->check)
		return !a->ca || optind != argc || a->out || a->key || a->cert || a->html ||
		               a->dfxml
		           ? cu_error_set(
		                 err, CU_EUSAGE,
		                 "--check-signature FILE takes --ca CA.pem, and nothing else")
		           : CU_OK;
	if (!a->key != !a->cert || (a->key && !a->out))
		return cu_error_set(err, CU_EUSAGE,
		                    "signing takes --sign-key, --sign-cert and -o FILE together");
	if (optind != argc - 1)
		return cu_error_set(err, CU_EUSAGE, "give exactly one evidence file");
	a->evidence = argv[optind];
	return CU_OK;
}

int cmd_report(int argc, char **argv)
{
	struct report_args a = {0};
	struct cu_error err = {0};
	int rc = report_parse(&a, argc, argv, &err);

	if (rc)
		return rc < 0 ? 0 : builtin_fail("report", rc, err.msg);
	rc = a.check ? report_check_signature(&a, &err) : report_make(&a, &err);
	return rc ? builtin_fail("report", rc, err.msg) : 0;
}
