/*
 * custody_sign.c - signed custody events.
 *
 * A signed event holds, last, <signature algorithm="..."> with
 * <certificate> (the signer's certificate, DER in base64) and <value> (the
 * signature in base64) over the canonical form of the event without that
 * element: its attributes ("prev" and "seq" among them), its note and its
 * record.  The algorithm must be the one the certificate's key signs with,
 * so that no signature can be read under another algorithm than its own.
 */
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#include "lib/timeutil.h"
#include "report/custody_canon.h"

#define SIG_B64_MAX (64U << 10)

int custody_sign_event(xmlNodePtr ev, const struct sign_signer *signer, struct cu_error *err)
{
	xmlChar *form = NULL;
	uint8_t *sig = NULL, *der = NULL;
	size_t len = 0, sig_len = 0, der_len = 0;
	char *sig64 = NULL, *der64 = NULL;
	const char *alg = NULL;
	xmlNodePtr s;
	int rc = custody_canon_form(ev, CUSTODY_CANON_SIGNED, &form, &len, err);

	if (!rc)
		rc = sign_data(signer, form, len, &sig, &sig_len, &alg, err);
	if (!rc)
		rc = sign_signer_certificate(signer, &der, &der_len, err);
	if (!rc && (!(sig64 = custody_canon_base64(sig, sig_len)) ||
	            !(der64 = custody_canon_base64(der, der_len))))
		rc = cu_error_set(err, CU_EFAIL, "out of memory");
	if (!rc) {
		s = xmlNewChild(ev, ev->ns, BAD_CAST "signature", NULL);
		xmlNewProp(s, BAD_CAST "algorithm", BAD_CAST alg);
		xmlNewChild(s, ev->ns, BAD_CAST "certificate", BAD_CAST der64);
		xmlNewChild(s, ev->ns, BAD_CAST "value", BAD_CAST sig64);
	}
	xmlFree(form);
	free(sig);
	free(der);
	free(sig64);
	free(der64);
	return rc;
}

/* The text of <name> under the signature, or NULL. */
static xmlChar *signature_part(xmlNodePtr sig, const char *name)
{
	xmlNodePtr n = custody_canon_child(sig, name);

	return n ? xmlNodeGetContent(n) : NULL;
}

static int event_fail(const struct custody_entry *e, const char *why, struct cu_error *err)
{
	return cu_error_set(err, CU_EFAIL, "event %u: %s", e->seq, why);
}

/*
 * A signature holds only at the time its event claims: that time must not
 * be earlier than the event's before it (a signer whose certificate has
 * expired cannot date an event back into its validity and keep its place
 * in the chain), and the certificate must have been valid then.
 */
static int signature_time(struct custody_entry *e, const struct custody_entry *before,
                          const uint8_t *der, long der_len, time_t *when, struct cu_error *err)
{
	time_t then;

	if (!e->time || !cu_time_parse_iso8601(e->time, when))
		return event_fail(e, "its time is not an ISO 8601 UTC time", err);
	if (before &&
	    (!before->time || !cu_time_parse_iso8601(before->time, &then) || *when < then))
		return cu_error_set(
		    err, CU_EFAIL,
		    "event %u (signed by %s): it is dated %s, before event %u (%s): "
		    "its signature is refused",
		    e->seq, e->signer.subject, e->time, before->seq,
		    before->time ? before->time : "undated");
	if (sign_check_validity(der, (size_t)der_len, *when, err))
		return cu_error_prefix(err, "event %u (signed by %s, dated %s): ", e->seq,
		                       e->signer.subject, e->time);
	return CU_OK;
}

static int verify_parts(xmlNodePtr ev, struct custody_entry *e, const struct custody_entry *before,
                        const uint8_t *der, long der_len, const uint8_t *sig, long sig_len,
                        const char *ca, struct cu_error *err)
{
	xmlChar *form = NULL;
	size_t len = 0;
	time_t when;
	int rc = custody_canon_form(ev, CUSTODY_CANON_SIGNED, &form, &len, err);

	if (!rc)
		rc = sign_verify_data(der, (size_t)der_len, e->algorithm, form, len, sig,
		                      (size_t)sig_len, &e->signer, err);
	xmlFree(form);
	if (rc)
		return cu_error_prefix(err, "event %u (signed by %s): ", e->seq,
		                       e->signer.subject[0] ? e->signer.subject : "?");
	if ((rc = signature_time(e, before, der, der_len, &when, err)))
		return rc;
	e->signature_ok = true;
	if (!ca)
		return CU_OK;
	if ((rc = sign_check_chain(der, (size_t)der_len, ca, when, err)))
		return cu_error_prefix(err, "event %u (signed by %s): ", e->seq, e->signer.subject);
	return CU_OK;
}

int custody_verify_event(xmlNodePtr ev, struct custody_entry *e, const struct custody_entry *before,
                         const char *ca, struct cu_error *err)
{
	xmlNodePtr sig = custody_canon_child(ev, "signature");
	xmlChar *alg = sig ? xmlGetProp(sig, BAD_CAST "algorithm") : NULL;
	xmlChar *cert = sig ? signature_part(sig, "certificate") : NULL;
	xmlChar *value = sig ? signature_part(sig, "value") : NULL;
	uint8_t *der = NULL, *raw = NULL;
	long der_len = cert ? custody_canon_unbase64((const char *)cert, SIG_B64_MAX, &der) : -1;
	long raw_len = value ? custody_canon_unbase64((const char *)value, SIG_B64_MAX, &raw) : -1;
	int rc;

	snprintf(e->algorithm, sizeof(e->algorithm), "%s", alg ? (const char *)alg : "");
	if (!alg || der_len <= 0 || raw_len <= 0)
		rc = event_fail(e, "its signature is malformed", err);
	else
		rc = verify_parts(ev, e, before, der, der_len, raw, raw_len, ca, err);
	xmlFree(alg);
	xmlFree(cert);
	xmlFree(value);
	free(der);
	free(raw);
	return rc;
}
