/*
 * builtin_signing.c - the options every command that appends a custody
 * event shares: --by (who the event is by) and --sign-key with --sign-cert
 * (who signs it), checked as one: --by as text XML can hold, the key and
 * the certificate together, the signer loaded before anything is done.
 */
#include "cli/builtin.h"

#include "lib/meta.h"
#include "lib/text.h"
#include "report/sign.h"

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
	default:
		return false;
	}
}

int builtin_signing_settle(struct builtin_signing *s, struct cu_error *err)
{
	if (s->by && cu_text_check_xml("--by", s->by, false, err))
		return CU_EUSAGE;
	if (!s->sign_key != !s->sign_cert)
		return cu_error_set(err, CU_EUSAGE,
		                    "signing takes --sign-key and --sign-cert together");
	if (!s->by)
		s->by = cu_meta_user();
	return s->sign_key ? sign_signer_load(&s->signer, s->sign_key, s->sign_cert, err) : CU_OK;
}

void builtin_signing_free(struct builtin_signing *s)
{
	sign_signer_free(s->signer);
	s->signer = NULL;
}
