/*
 * tsa.c - RFC 3161 stamps checked (tsa.h), and the client that asks for
 * them.
 *
 * The checks run in the order tsa.h gives, so that the line names the
 * first point that fails: the response's form and status, the imprint, the
 * nonce, the policy, the signer's extended key usage, its chain to the CA
 * at the token's own time (a store made for each check, with that time
 * set), and last the signature with OpenSSL's TS verifier, which also holds
 * the ESS signing-certificate attribute to the signer.
 */
#include "report/tsa.h"

#include <errno.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <openssl/ts.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/text.h"
#include "lib/timeutil.h"

#define TSA_CA_MAX 64 /* certificates in one CA file */

struct tsa_trust {
	STACK_OF(X509) * certs;
	char path[256];
};

struct tsa_client {
	struct tsa_options o;
	struct tsa_trust *trust;
	struct tsa_http *http;
};

/* ---- the CA ---- */

int tsa_trust_load(struct tsa_trust **out, const char *pem_file, struct cu_error *err)
{
	struct tsa_trust *t = calloc(1, sizeof(*t));
	FILE *f = NULL;
	X509 *x;

	*out = NULL;
	if (!t || !(t->certs = sk_X509_new_null())) {
		free(t);
		return cu_error_set(err, CU_EFAIL, "out of memory");
	}
	snprintf(t->path, sizeof(t->path), "%s", pem_file);
	if (!(f = fopen(pem_file, "re"))) {
		tsa_trust_free(t);
		return cu_error_errno(err, CU_EUSAGE, errno, "cannot read the TSA CA %s", pem_file);
	}
	while (sk_X509_num(t->certs) < TSA_CA_MAX && (x = PEM_read_X509(f, NULL, NULL, NULL)))
		sk_X509_push(t->certs, x);
	fclose(f);
	ERR_clear_error();
	if (sk_X509_num(t->certs) == 0) {
		tsa_trust_free(t);
		return cu_error_set(err, CU_EUSAGE, "the TSA CA %s holds no PEM certificate",
		                    pem_file);
	}
	*out = t;
	return CU_OK;
}

void tsa_trust_free(struct tsa_trust *t)
{
	if (!t)
		return;
	sk_X509_pop_free(t->certs, X509_free);
	free(t);
}

/* A store of the CA's certificates whose checks happen at `when`. */
static X509_STORE *trust_store_at(const struct tsa_trust *t, time_t when)
{
	X509_STORE *s = X509_STORE_new();

	if (!s)
		return NULL;
	for (int i = 0; i < sk_X509_num(t->certs); i++)
		X509_STORE_add_cert(s, sk_X509_value(t->certs, i));
	X509_VERIFY_PARAM_set_time(X509_STORE_get0_param(s), when);
	return s;
}

/* ---- reading a stamp ---- */

static void one_line_name(const X509_NAME *name, char *out, size_t cap)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *text = NULL;
	long n = 0;

	out[0] = '\0';
	if (b && X509_NAME_print_ex(b, name, 0, XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB) >= 0)
		n = BIO_get_mem_data(b, &text);
	if (n > 0)
		snprintf(out, cap, "%.*s", (int)(n < (long)cap ? n : (long)cap - 1), text);
	for (char *c = out; *c; c++)
		if ((unsigned char)*c < 0x20 || (unsigned char)*c == 0x7f)
			*c = '?';
	BIO_free(b);
}

/* The token's genTime, serial and policy into `info`. */
static int read_tst_info(TS_TST_INFO *tst, struct tsa_stamp_info *info, struct cu_error *err)
{
	const ASN1_GENERALIZEDTIME *gt = TS_TST_INFO_get_time(tst);
	const ASN1_INTEGER *serial = TS_TST_INFO_get_serial(tst);
	ASN1_OBJECT *policy = TS_TST_INFO_get_policy_id(tst);
	BIGNUM *bn = serial ? ASN1_INTEGER_to_BN(serial, NULL) : NULL;
	char *hex = bn ? BN_bn2hex(bn) : NULL;
	struct tm tm;

	if (!gt || !ASN1_TIME_to_tm(gt, &tm)) {
		BN_free(bn);
		OPENSSL_free(hex);
		return cu_error_set(err, CU_EFAIL, "the time-stamp is malformed: %s",
		                    "no time in its token");
	}
	info->time = timegm(&tm);
	cu_time_iso8601(info->time_text, info->time);
	snprintf(info->serial, sizeof(info->serial), "%s", hex ? hex : "?");
	if (!policy || OBJ_obj2txt(info->policy, sizeof(info->policy), policy, 1) <= 0)
		snprintf(info->policy, sizeof(info->policy), "?");
	BN_free(bn);
	OPENSSL_free(hex);
	return CU_OK;
}

/* The response decoded whole (nothing after it), granted, with a token. */
static int decode_response(const uint8_t *der, size_t len, TS_RESP **out, struct cu_error *err)
{
	const unsigned char *p = der;
	TS_RESP *resp;
	long status;

	*out = NULL;
	if (len == 0 || len > TSA_STAMP_MAX)
		return cu_error_set(err, CU_EFAIL, "the time-stamp is malformed: %s",
		                    len ? "larger than any TSA answer" : "empty");
	resp = d2i_TS_RESP(NULL, &p, (long)len);
	if (!resp || p != der + len) {
		TS_RESP_free(resp);
		ERR_clear_error();
		return cu_error_set(err, CU_EFAIL, "the time-stamp is malformed: %s",
		                    "not a DER TimeStampResp, or something after it");
	}
	status = ASN1_INTEGER_get(TS_STATUS_INFO_get0_status(TS_RESP_get_status_info(resp)));
	if (status != TS_STATUS_GRANTED && status != TS_STATUS_GRANTED_WITH_MODS) {
		TS_RESP_free(resp);
		return cu_error_set(err, CU_EFAIL,
		                    "the TSA refused the request (PKIStatus %ld): no time-stamp",
		                    status);
	}
	if (!TS_RESP_get_token(resp) || !TS_RESP_get_tst_info(resp)) {
		TS_RESP_free(resp);
		return cu_error_set(err, CU_EFAIL, "the time-stamp is malformed: %s",
		                    "granted, but no token");
	}
	*out = resp;
	return CU_OK;
}

static X509 *token_signer(PKCS7 *token, struct tsa_stamp_info *info);

bool tsa_time_agrees(time_t trusted, time_t clock)
{
	return trusted <= clock + TSA_DRIFT_MAX && trusted >= clock - TSA_DRIFT_MAX;
}

int tsa_read(const uint8_t *der, size_t len, struct tsa_stamp_info *info, struct cu_error *err)
{
	TS_RESP *resp = NULL;
	int rc = decode_response(der, len, &resp, err);

	memset(info, 0, sizeof(*info));
	if (!rc)
		rc = read_tst_info(TS_RESP_get_tst_info(resp), info, err);
	if (!rc && PKCS7_type_is_signed(TS_RESP_get_token(resp)))
		token_signer(TS_RESP_get_token(resp), info);
	TS_RESP_free(resp);
	return rc;
}

/* ---- checking one ---- */

static int check_imprint(TS_TST_INFO *tst, const uint8_t imprint[32], struct cu_error *err)
{
	TS_MSG_IMPRINT *mi = TS_TST_INFO_get_msg_imprint(tst);
	X509_ALGOR *alg = mi ? TS_MSG_IMPRINT_get_algo(mi) : NULL;
	ASN1_OCTET_STRING *d = mi ? TS_MSG_IMPRINT_get_msg(mi) : NULL;
	const ASN1_OBJECT *oid = NULL;

	if (alg)
		X509_ALGOR_get0(&oid, NULL, NULL, alg);
	if (!oid || OBJ_obj2nid(oid) != NID_sha256)
		return cu_error_set(err, CU_EFAIL, "the time-stamp is for other data: %s",
		                    "its imprint is not a SHA-256");
	if (!d || ASN1_STRING_length(d) != 32 || memcmp(ASN1_STRING_get0_data(d), imprint, 32))
		return cu_error_set(err, CU_EFAIL, "the time-stamp is for other data: %s",
		                    "its imprint is not the SHA-256 of what it stamps");
	return CU_OK;
}

static int check_nonce(TS_TST_INFO *tst, const char *nonce, struct cu_error *err)
{
	const ASN1_INTEGER *n = TS_TST_INFO_get_nonce(tst);
	uint64_t got = 0, want;
	char *end;

	if (!nonce)
		return CU_OK;
	want = strtoull(nonce, &end, 16);
	if (strlen(nonce) != 16 || *end)
		return cu_error_set(err, CU_EFAIL, "the time-stamp's nonce '%s' is malformed",
		                    nonce);
	if (!n || !ASN1_INTEGER_get_uint64(&got, n) || got != want) {
		ERR_clear_error();
		return cu_error_set(err, CU_EFAIL, "the time-stamp is a replay: %s",
		                    "its nonce is not the one its request carried");
	}
	return CU_OK;
}

static int check_policy(TS_TST_INFO *tst, const char *policy, struct cu_error *err)
{
	ASN1_OBJECT *want;
	int same;

	if (!policy)
		return CU_OK;
	if (!(want = OBJ_txt2obj(policy, 1)))
		return cu_error_set(err, CU_EFAIL, "the TSA policy '%s' is not an OID", policy);
	same = TS_TST_INFO_get_policy_id(tst) && !OBJ_cmp(want, TS_TST_INFO_get_policy_id(tst));
	ASN1_OBJECT_free(want);
	return same ? CU_OK
	            : cu_error_set(err, CU_EFAIL,
	                           "the time-stamp was made under another policy than %s", policy);
}

/* The certificate that signed the token (which must carry it: certReq). */
static X509 *token_signer(PKCS7 *token, struct tsa_stamp_info *info)
{
	STACK_OF(X509) *signers = PKCS7_get0_signers(token, NULL, 0);
	X509 *x = signers && sk_X509_num(signers) == 1 ? sk_X509_value(signers, 0) : NULL;

	sk_X509_free(signers);
	ERR_clear_error();
	if (x)
		one_line_name(X509_get_subject_name(x), info->tsa, sizeof(info->tsa));
	return x;
}

static bool for_time_stamping(X509 *x)
{
	int crit = -1;
	EXTENDED_KEY_USAGE *eku = X509_get_ext_d2i(x, NID_ext_key_usage, &crit, NULL);
	bool ok = false;

	for (int i = 0; eku && i < sk_ASN1_OBJECT_num(eku); i++)
		ok |= OBJ_obj2nid(sk_ASN1_OBJECT_value(eku, i)) == NID_time_stamp;
	EXTENDED_KEY_USAGE_free(eku);
	return ok && crit == 1;
}

/* The signer's chain to the CA at the token's time. */
static int check_chain(const struct tsa_trust *t, PKCS7 *token, X509 *signer,
                       const struct tsa_stamp_info *info, struct cu_error *err)
{
	X509_STORE *s = trust_store_at(t, info->time);
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	int ok = 0, why = X509_V_OK;

	if (s && ctx && X509_STORE_CTX_init(ctx, s, signer, token->d.sign->cert)) {
		X509_STORE_CTX_set_purpose(ctx, X509_PURPOSE_TIMESTAMP_SIGN);
		ok = X509_verify_cert(ctx) == 1;
		why = X509_STORE_CTX_get_error(ctx);
	}
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(s);
	ERR_clear_error();
	if (ok)
		return CU_OK;
	if (why == X509_V_ERR_CERT_HAS_EXPIRED || why == X509_V_ERR_CERT_NOT_YET_VALID)
		return cu_error_set(err, CU_EFAIL,
		                    "the TSA's certificate (%s) was not valid at the time-stamp's "
		                    "time, %s: %s",
		                    info->tsa, info->time_text, X509_verify_cert_error_string(why));
	return cu_error_set(err, CU_EFAIL,
	                    "the TSA (%s) is not trusted: its certificate does not chain to the CA "
	                    "%s at %s: %s",
	                    info->tsa, t->path, info->time_text,
	                    X509_verify_cert_error_string(why));
}

static int check_signature(const struct tsa_trust *t, PKCS7 *token,
                           const struct tsa_stamp_info *info, struct cu_error *err)
{
	TS_VERIFY_CTX *v = TS_VERIFY_CTX_new();
	X509_STORE *s = trust_store_at(t, info->time);
	int ok = 0;

	if (v && s) {
		TS_VERIFY_CTX_set_flags(v, TS_VFY_VERSION | TS_VFY_SIGNATURE);
#if OPENSSL_VERSION_NUMBER >= 0x30400000L
		TS_VERIFY_CTX_set0_store(v, s); /* the context frees it */
#else
		TS_VERIFY_CTX_set_store(v, s); /* deprecated since 3.4; the context frees it */
#endif
		s = NULL;
		ok = TS_RESP_verify_token(v, token) == 1;
	}
	X509_STORE_free(s);
	TS_VERIFY_CTX_free(v);
	ERR_clear_error();
	return ok ? CU_OK
	          : cu_error_set(
	                err, CU_EFAIL,
	                "the time-stamp's signature does not verify: the token was altered "
	                "(%s)",
	                info->tsa);
}

int tsa_check(const struct tsa_trust *trust, const uint8_t *der, size_t len,
              const uint8_t imprint[32], const char *nonce, const char *policy,
              struct tsa_stamp_info *info, struct cu_error *err)
{
	TS_RESP *resp = NULL;
	TS_TST_INFO *tst;
	PKCS7 *token;
	X509 *signer;
	int rc = decode_response(der, len, &resp, err);

	memset(info, 0, sizeof(*info));
	if (rc)
		return rc;
	tst = TS_RESP_get_tst_info(resp);
	token = TS_RESP_get_token(resp);
	if (!(rc = read_tst_info(tst, info, err)) && !(rc = check_imprint(tst, imprint, err)) &&
	    !(rc = check_nonce(tst, nonce, err)) && !(rc = check_policy(tst, policy, err))) {
		if (!PKCS7_type_is_signed(token) || !(signer = token_signer(token, info)))
			rc = cu_error_set(err, CU_EFAIL, "the time-stamp is malformed: %s",
			                  "its token carries no TSA certificate");
		else if (!for_time_stamping(signer))
			rc = cu_error_set(err, CU_EFAIL,
			                  "the TSA's certificate (%s) is not for time-stamping: it "
			                  "lacks the critical timeStamping extended key usage",
			                  info->tsa);
		else if (!(rc = check_chain(trust, token, signer, info, err)))
			rc = check_signature(trust, token, info, err);
	}
	TS_RESP_free(resp);
	return rc;
}

/* ---- the client ---- */

int tsa_options_check(const struct tsa_options *o, struct cu_error *err)
{
	ASN1_OBJECT *oid;

	if (!o->url)
		return o->ca || o->policy || o->optional
		           ? cu_error_set(
		                 err, CU_EUSAGE,
		                 "--tsa-ca, --tsa-policy and --tsa-optional go with --tsa URL")
		           : CU_OK;
	if (cu_text_check_xml("--tsa", o->url, false, err))
		return CU_EUSAGE;
	if (strncmp(o->url, "http://", 7) && strncmp(o->url, "https://", 8))
		return cu_error_set(err, CU_EUSAGE, "--tsa: '%s' is not an http:// or https:// URL",
		                    o->url);
	if (!o->ca)
		return cu_error_set(
		    err, CU_EUSAGE,
		    "--tsa needs --tsa-ca: the CA the TSA's certificate must chain to");
	if (o->policy) {
		if (!(oid = OBJ_txt2obj(o->policy, 1)))
			return cu_error_set(err, CU_EUSAGE, "--tsa-policy: '%s' is not an OID",
			                    o->policy);
		ASN1_OBJECT_free(oid);
	}
	return CU_OK;
}

int tsa_client_new(struct tsa_client **out, const struct tsa_options *o, struct cu_error *err)
{
	struct tsa_client *c;
	int rc = tsa_options_check(o, err);

	*out = NULL;
	if (rc || !o->url)
		return rc;
	if (!(c = calloc(1, sizeof(*c))))
		return cu_error_set(err, CU_EFAIL, "out of memory");
	c->o = *o;
	if ((rc = tsa_trust_load(&c->trust, o->ca, err)) || (rc = tsa_http_open(&c->http, err))) {
		tsa_client_free(c);
		return rc;
	}
	*out = c;
	return CU_OK;
}

void tsa_client_free(struct tsa_client *c)
{
	if (!c)
		return;
	tsa_trust_free(c->trust);
	tsa_http_close(c->http);
	free(c);
}

const char *tsa_client_url(const struct tsa_client *c)
{
	return c->o.url;
}

const char *tsa_client_policy(const struct tsa_client *c)
{
	return c->o.policy;
}

int tsa_nonce_new(char nonce[TSA_NONCE_SIZE], struct cu_error *err)
{
	uint8_t raw[8];

	if (RAND_bytes(raw, sizeof(raw)) != 1)
		return cu_error_set(err, CU_EFAIL, "no random nonce for the time-stamp request");
	raw[0] &= 0x7f;
	for (int i = 0; i < 8; i++)
		snprintf(nonce + 2 * i, 3, "%02x", raw[i]);
	return CU_OK;
}

/* The DER TimeStampReq: version 1, a SHA-256 imprint, the policy, the nonce, certReq. */
static int build_request(const struct tsa_client *c, const uint8_t imprint[32], const char *nonce,
                         uint8_t **der, size_t *len, struct cu_error *err)
{
	TS_REQ *req = TS_REQ_new();
	TS_MSG_IMPRINT *mi = TS_MSG_IMPRINT_new();
	X509_ALGOR *alg = X509_ALGOR_new();
	ASN1_INTEGER *n = ASN1_INTEGER_new();
	ASN1_OBJECT *policy = c->o.policy ? OBJ_txt2obj(c->o.policy, 1) : NULL;
	unsigned char *p = NULL;
	int ok = req && mi && alg && n && (!c->o.policy || policy);
	int size = 0;

	ok = ok && X509_ALGOR_set0(alg, OBJ_nid2obj(NID_sha256), V_ASN1_NULL, NULL) &&
	     TS_MSG_IMPRINT_set_algo(mi, alg) &&
	     TS_MSG_IMPRINT_set_msg(mi, (unsigned char *)imprint, 32) &&
	     TS_REQ_set_version(req, 1) && TS_REQ_set_msg_imprint(req, mi) &&
	     ASN1_INTEGER_set_uint64(n, strtoull(nonce, NULL, 16)) && TS_REQ_set_nonce(req, n) &&
	     TS_REQ_set_cert_req(req, 1) && (!policy || TS_REQ_set_policy_id(req, policy));
	if (ok)
		size = i2d_TS_REQ(req, &p);
	TS_REQ_free(req);
	TS_MSG_IMPRINT_free(mi);
	X509_ALGOR_free(alg);
	ASN1_INTEGER_free(n);
	ASN1_OBJECT_free(policy);
	ERR_clear_error();
	if (size <= 0)
		return cu_error_set(err, CU_EFAIL, "cannot build the time-stamp request");
	*der = p;
	*len = (size_t)size;
	return CU_OK;
}

int tsa_client_stamp(const struct tsa_client *c, const uint8_t imprint[32], const char *nonce,
                     uint8_t **der, size_t *len, struct tsa_stamp_info *info, struct cu_error *err)
{
	uint8_t *req = NULL;
	size_t req_len = 0;
	int rc = build_request(c, imprint, nonce, &req, &req_len, err);

	*der = NULL;
	if (!rc)
		rc = tsa_http_post(c->http, c->o.url, req, req_len, der, len, err);
	OPENSSL_free(req);
	if (rc)
		return rc;
	if ((rc = tsa_check(c->trust, *der, *len, imprint, nonce, c->o.policy, info, err))) {
		free(*der);
		*der = NULL;
		return cu_error_prefix(err, "the TSA %s: ", c->o.url);
	}
	return CU_OK;
}

int tsa_client_probe(const struct tsa_client *c, struct cu_error *err)
{
	static const char what[] = "custos: is the time-stamping authority there?";
	struct tsa_stamp_info info;
	uint8_t imprint[32], *der = NULL;
	char nonce[TSA_NONCE_SIZE];
	size_t len = 0;
	time_t now;
	int rc = tsa_nonce_new(nonce, err);

	SHA256((const unsigned char *)what, sizeof(what) - 1, imprint);
	if (!rc)
		rc = tsa_client_stamp(c, imprint, nonce, &der, &len, &info, err);
	free(der);
	if (rc)
		return rc;
	now = cu_time_now();
	if (!tsa_time_agrees(info.time, now))
		return cu_error_set(err, CU_EFAIL,
		                    "the TSA %s says it is %s, %+lld s from this machine's clock: "
		                    "set the clock (events carry both times, and must agree within "
		                    "%d s)",
		                    c->o.url, info.time_text, (long long)(info.time - now),
		                    TSA_DRIFT_MAX);
	return CU_OK;
}
