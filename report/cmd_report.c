/*
 * cmd_report.c - `custos report EVIDENCE [-o FILE] [--html FILE] [--dfxml
 * FILE] [--sign-key KEY --sign-cert CERT] [--tsa URL --tsa-ca CA]` and
 * `custos report --check-signature FILE [--ca CA] [--tsa-ca CA]`.
 *
 * The evidence report is an XML document validated against
 * report/custos-report.xsd; without -o it goes to stdout.  Signing is
 * checked first (the key, the certificate's validity and key usage), and
 * the signature is made before anything is written, so that a signing that
 * fails leaves no unsigned report behind; so are the HTML and the DFXML, so
 * that a record one of them cannot hold whole gives nothing at all.
 * With --tsa, the report's bytes are time-stamped (RFC 3161, report/tsa.h)
 * before anything is written, and the TSA's answer goes beside the report
 * as FILE.tsr, which `openssl ts -verify -data FILE -in FILE.tsr -CAfile
 * CA` checks on its own, and --check-signature FILE --tsa-ca CA offline.
 * Existing files are refused.
 * Exit status: 0 written (or the signature verifies); 1 the custody log is
 * broken, a signature does not verify, or a write failed; 2 usage, or no
 * evidence.
 */
#include <openssl/sha.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/builtin.h"
#include "lib/atomic_file.h"
#include "lib/input_file.h"
#include "lib/path.h"
#include "lib/text.h"
#include "report/report.h"
#include "report/sign.h"
#include "report/tsa.h"

#define REPORT_CHECK_MAX (1U << 30) /* the largest report --check-signature reads */

struct report_args {
	const char *evidence, *out, *check, *ca, *dfxml, *html, *map;
	struct builtin_signing signing; /* --sign-key, --sign-cert, --tsa and its options */
};

static void report_say(const char *what, const char *file, const char *tail)
{
	fputs("custos report: ", stdout);
	fputs(what, stdout);
	cu_text_fput(file, stdout); /* file names, escaped */
	fputs(tail, stdout);
}

static int report_check_p7s(const struct report_args *a, struct cu_error *err)
{
	char *sig = cu_path_suffixed(a->check, ".p7s");
	int rc = sig ? sign_check(a->check, sig, a->ca, err)
	             : cu_error_set(err, CU_EFAIL, "out of memory");

	if (!rc) {
		report_say("the signature ", sig, " over ");
		cu_text_fput(a->check, stdout);
		fputs(" verifies\n", stdout);
	}
	free(sig);
	return rc;
}

/* FILE.tsr: a time-stamp of exactly FILE's bytes, checked against --tsa-ca. */
static int report_check_tsr(const struct report_args *a, struct cu_error *err)
{
	char *tsr = cu_path_suffixed(a->check, ".tsr"), *der = NULL, *text = NULL;
	struct tsa_trust *trust = NULL;
	struct tsa_stamp_info info;
	uint8_t imprint[32];
	size_t len = 0, text_len = 0;
	int rc = tsr ? cu_input_read(tsr, "the time-stamp", TSA_STAMP_MAX, &der, &len, err)
	             : cu_error_set(err, CU_EFAIL, "out of memory");

	if (!rc)
		rc = cu_input_read(a->check, "the report", REPORT_CHECK_MAX, &text, &text_len, err);
	if (!rc)
		rc = tsa_trust_load(&trust, a->signing.tsa_ca, err);
	if (!rc) {
		SHA256((const unsigned char *)text, text_len, imprint);
		rc = tsa_check(trust, (const uint8_t *)der, len, imprint, NULL, NULL, &info, err);
	}
	if (!rc) {
		report_say("the time-stamp ", tsr, " over ");
		cu_text_fput(a->check, stdout);
		printf(" verifies: %s, by ", info.time_text);
		cu_text_fput(info.tsa, stdout);
		fputs("\n", stdout);
	} else if (tsr) {
		cu_error_prefix(err, "%s: ", tsr);
	}
	tsa_trust_free(trust);
	free(tsr);
	free(der);
	free(text);
	return rc;
}

static int report_check_signature(const struct report_args *a, struct cu_error *err)
{
	int rc = a->ca ? report_check_p7s(a, err) : CU_OK;

	return !rc && a->signing.tsa_ca ? report_check_tsr(a, err) : rc;
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
	char *xml, *pem, *html, *dfxml, *map;
	uint8_t *tsr; /* the TSA's answer, --tsa */
	size_t len, pem_len, html_len, dfxml_len, map_len, tsr_len;
};

/* --tsa: the report's bytes stamped, before anything is written. */
static int report_stamp(const struct report_args *a, struct report_texts *t, struct cu_error *err)
{
	struct tsa_stamp_info info;
	char nonce[TSA_NONCE_SIZE];
	uint8_t imprint[32];
	int rc = tsa_nonce_new(nonce, err);

	SHA256((const unsigned char *)t->xml, t->len, imprint);
	if (!rc)
		rc = tsa_client_stamp(a->signing.tsa, imprint, nonce, &t->tsr, &t->tsr_len, &info,
		                      err);
	if (rc && a->signing.tsa_optional) {
		fprintf(stderr, "custos report: note: the report is not time-stamped: %s\n",
		        err->msg);
		return CU_OK;
	}
	return rc;
}

static int report_texts_make(const struct report_args *a, struct report_texts *t,
                             struct cu_error *err)
{
	const struct sign_signer *signer = a->signing.signer;
	int rc = report_build(a->evidence, REPORT_XML, &t->xml, &t->len, err);

	if (!rc && signer)
		rc = sign_detached(signer, t->xml, t->len, &t->pem, &t->pem_len, err);
	if (!rc && a->html)
		rc = report_html(t->xml, t->len, &t->html, &t->html_len, err);
	if (!rc && a->dfxml)
		rc = report_build(a->evidence, REPORT_DFXML, &t->dfxml, &t->dfxml_len, err);
	if (!rc && a->map)
		rc = report_map(t->xml, t->len, &t->map, &t->map_len, err);
	if (!rc && a->signing.tsa)
		rc = report_stamp(a, t, err);
	return rc;
}

/* The report (and its signature) taken back when its time-stamp cannot be written. */
static void report_unwrite(const char *path, bool signed_report)
{
	char *sig = signed_report ? cu_path_suffixed(path, ".p7s") : NULL;

	unlink(path);
	if (sig)
		unlink(sig);
	free(sig);
}

static int report_texts_write(const struct report_args *a, bool signed_report,
                              const struct report_texts *t, struct cu_error *err)
{
	int rc = CU_OK;

	char *tsr = t->tsr ? cu_path_suffixed(a->out, ".tsr") : NULL;

	if (t->tsr && (!tsr || (rc = cu_file_check_absent(tsr, "the time-stamp", err)))) {
		free(tsr);
		return rc ? rc : cu_error_set(err, CU_EFAIL, "out of memory");
	}
	if (!a->out && fwrite(t->xml, 1, t->len, stdout) != t->len)
		rc = cu_error_set(err, CU_EFAIL, "cannot write the report");
	else if (a->out)
		rc = signed_report
		         ? report_write_signed(a->out, t->xml, t->len, t->pem, t->pem_len, err)
		         : cu_file_create(a->out, t->xml, t->len, 0444, err);
	if (!rc && tsr && (rc = cu_file_create(tsr, t->tsr, t->tsr_len, 0444, err)))
		report_unwrite(a->out, signed_report);
	free(tsr);
	if (!rc && a->html)
		rc = cu_file_create(a->html, t->html, t->html_len, 0444, err);
	if (!rc && a->dfxml)
		rc = cu_file_create(a->dfxml, t->dfxml, t->dfxml_len, 0444, err);
	if (!rc && a->map)
		rc = cu_file_create(a->map, t->map, t->map_len, 0444, err);
	return rc;
}

static int report_make(const struct report_args *a, struct cu_error *err)
{
	struct report_texts t = {0};
	int rc = report_texts_make(a, &t, err);

	if (!rc)
		rc = report_texts_write(a, a->signing.signer != NULL, &t, err);
	free(t.xml);
	free(t.pem);
	free(t.html);
	free(t.dfxml);
	free(t.map);
	free(t.tsr);
	return rc;
}

static int report_take(void *ctx, int key, const char *name, const char *value,
                       struct cu_error *err)
{
	struct report_args *a = ctx;
	const char **slots[128] = {['o'] = &a->out,   ['s'] = &a->check, ['a'] = &a->ca,
	                           ['d'] = &a->dfxml, ['H'] = &a->html,  ['m'] = &a->map};

	(void)name;
	if (key != 'b' && builtin_signing_take(&a->signing, key, value))
		return CU_OK;
	if (key <= 0 || key >= 128 || !slots[key])
		return cu_error_set(err, CU_EUSAGE, "unknown option (see custos report --help)");
	*slots[key] = value;
	return CU_OK;
}

static int report_parse(struct report_args *a, int argc, char **argv, struct cu_error *err)
{
	struct builtin_signing *s = &a->signing;
	int rc = builtin_parse(&command_report, argc, argv, 1, report_take, a, err);

	if (rc)
		return rc;
	if (a->check)
		return (!a->ca && !s->tsa_ca) || optind != argc || a->out || s->sign_key ||
		               s->sign_cert || a->html || a->dfxml || a->map || s->tsa_url ||
		               s->tsa_policy || s->tsa_optional
		           ? cu_error_set(err, CU_EUSAGE,
		                          "--check-signature FILE takes --ca CA.pem, --tsa-ca "
		                          "CA.pem or both, and nothing else")
		           : CU_OK;
	if (s->tsa_url && !a->out)
		return cu_error_set(err, CU_EUSAGE,
		                    "--tsa writes FILE.tsr beside the report: give -o FILE");
	if (!s->sign_key != !s->sign_cert || (s->sign_key && !a->out))
		return cu_error_set(err, CU_EUSAGE,
		                    "signing takes --sign-key, --sign-cert and -o FILE together");
	if (optind != argc - 1)
		return cu_error_set(err, CU_EUSAGE, "give exactly one evidence file");
	a->evidence = argv[optind];
	return builtin_signing_settle(s, err); /* the signer and the TSA's CA, before anything */
}

int cmd_report(int argc, char **argv)
{
	struct report_args a = {0};
	struct cu_error err = {0};
	int rc = report_parse(&a, argc, argv, &err);

	if (!rc)
		rc = a.check ? report_check_signature(&a, &err) : report_make(&a, &err);
	builtin_signing_free(&a.signing);
	if (rc < 0)
		return 0;
	return rc ? builtin_fail("report", rc, err.msg) : 0;
}
