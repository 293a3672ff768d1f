/*
 * cmd_report.c - `custos report EVIDENCE [-o FILE] [--html FILE] [--dfxml
 * FILE] [--sign-key KEY --sign-cert CERT]` and `custos report
 * --check-signature FILE --ca CA`.
 *
 * The evidence report is an XML document validated against
 * report/custos-report.xsd; without -o it goes to stdout.  Signing is
 * checked first (the key, the certificate's validity and key usage), and
 * the signature is made before anything is written, so that a signing that
 * fails leaves no unsigned report behind; so are the HTML and the DFXML, so
 * that a record one of them cannot hold whole gives nothing at all.
 * Existing files are refused.
 * Exit status: 0 written (or the signature verifies); 1 the custody log is
 * broken, a signature does not verify, or a write failed; 2 usage, or no
 * evidence.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/builtin.h"
#include "lib/atomic_file.h"
#include "lib/path.h"
#include "lib/text.h"
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

	if (!rc) { /* file names, escaped */
		fputs("custos report: the signature ", stdout);
		cu_text_fput(sig, stdout);
		fputs(" over ", stdout);
		cu_text_fput(a->check, stdout);
		fputs(" verifies\n", stdout);
	}
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

/* Everything the command writes, made before any of it is written. */
struct report_texts {
	char *xml, *pem, *html, *dfxml;
	size_t len, pem_len, html_len, dfxml_len;
};

static int report_texts_make(const struct report_args *a, struct sign_signer *signer,
                             struct report_texts *t, struct cu_error *err)
{
	int rc = report_build(a->evidence, REPORT_XML, &t->xml, &t->len, err);

	if (!rc && signer)
		rc = sign_detached(signer, t->xml, t->len, &t->pem, &t->pem_len, err);
	if (!rc && a->html)
		rc = report_html(t->xml, t->len, &t->html, &t->html_len, err);
	if (!rc && a->dfxml)
		rc = report_build(a->evidence, REPORT_DFXML, &t->dfxml, &t->dfxml_len, err);
	return rc;
}

static int report_texts_write(const struct report_args *a, bool signed_report,
                              const struct report_texts *t, struct cu_error *err)
{
	int rc = CU_OK;

	if (!a->out && fwrite(t->xml, 1, t->len, stdout) != t->len)
		rc = cu_error_set(err, CU_EFAIL, "cannot write the report");
	else if (a->out)
		rc = signed_report
		         ? report_write_signed(a->out, t->xml, t->len, t->pem, t->pem_len, err)
		         : cu_file_create(a->out, t->xml, t->len, 0444, err);
	if (!rc && a->html)
		rc = cu_file_create(a->html, t->html, t->html_len, 0444, err);
	if (!rc && a->dfxml)
		rc = cu_file_create(a->dfxml, t->dfxml, t->dfxml_len, 0444, err);
	return rc;
}

static int report_make(const struct report_args *a, struct cu_error *err)
{
	struct sign_signer *signer = NULL;
	struct report_texts t = {0};
	int rc = a->key ? sign_signer_load(&signer, a->key, a->cert, err) : CU_OK;

	if (!rc)
		rc = report_texts_make(a, signer, &t, err);
	if (!rc)
		rc = report_texts_write(a, signer != NULL, &t, err);
	sign_signer_free(signer);
	free(t.xml);
	free(t.pem);
	free(t.html);
	free(t.dfxml);
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
