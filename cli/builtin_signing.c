/*
 * builtin_signing.c - the options every command that appends a custody
 * event shares: --by (who the event is by), --sign-key with --sign-cert
 * (who signs it) and --tsa with --tsa-ca, --tsa-policy and --tsa-optional
 * (who stamps it with a trusted time, RFC 3161), checked as one: --by as
 * text XML can hold, the key and the certificate together, the TSA's URL
 * and CA, and the signer loaded, before anything is done.
 */
#include "cli/builtin.h"

#include "lib/meta.h"
#include "lib/text.h"
#include "report/sign.h"
#include "report/tsa.h"

bool builtin_signing_take(struct builtin_signing *s, int key, const char *value)
{
	switch (key) {
	case 'b':
		s->by = value;
		return true;
	case 'k':
		s->sign_key = value;
		return true;
	case 'c':
		s->sign_cert = value;
		return true;
	case 'U':
		s->tsa_url = value;
		return true;
	case 'Q':
		s->tsa_ca = value;
		return true;
	case 'P':
		s->tsa_policy = value;
		return true;
	case 'O':
		s->tsa_optional = true;
		return true;
	default:
		return false;
	}
}

/* The TSA's options, checked together (tsa_options_check), and its CA loaded. */
static int signing_settle_tsa(struct builtin_signing *s, struct cu_error *err)
{
	struct tsa_options o = {.url = s->tsa_url,
	                        .ca = s->tsa_ca,
	                        .policy = s->tsa_policy,
	                        .optional = s->tsa_optional};

	return tsa_client_new(&s->tsa, &o, err);
}

int builtin_signing_settle(struct builtin_signing *s, struct cu_error *err)
{
	int rc;

	if (s->by && cu_text_check_xml("--by", s->by, false, err))
		return CU_EUSAGE;
	if (!s->sign_key != !s->sign_cert)
		return cu_error_set(err, CU_EUSAGE,
		                    "signing takes --sign-key and --sign-cert together");
	if (!s->by)
		s->by = cu_meta_user();
	if ((rc = signing_settle_tsa(s, err)))
		return rc;
	if (s->sign_key && (rc = sign_signer_load(&s->signer, s->sign_key, s->sign_cert, err)))
		return rc;
	s->seal.signer = s->signer;
	s->seal.tsa = s->tsa;
	s->seal.stamp_optional = s->tsa_optional;
	return CU_OK;
}

int builtin_signing_probe(const struct builtin_signing *s, struct cu_error *err)
{
	if (!s->tsa)
		return CU_OK;
	if (!tsa_client_probe(s->tsa, err))
		return CU_OK;
	if (!s->tsa_optional)
		return cu_error_suffix(err, "; nothing was read or written (--tsa-optional goes on "
		                            "without it)");
	fprintf(stderr, "custos: note: %s; the events will record their time-stamps as missing\n",
	        err->msg);
	return CU_OK;
}

void builtin_signing_free(struct builtin_signing *s)
{
	sign_signer_free(s->signer);
	tsa_client_free(s->tsa);
	s->signer = NULL;
	s->tsa = NULL;
}
