/*
 * sign.c - loading a signer, CMS_sign and CMS_verify, one error line each.
 *
 * PEM files are read as hostile input like any other (lib/input_file.h:
 * regular files only, never blocking) and handed to OpenSSL from memory.
 */
#include "report/sign.h"

#include <openssl/pem.h> /* before cms.h, whose PEM functions its macros declare */
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdlib.h>
#include <string.h>

#include "lib/hash.h"
#include "lib/input_file.h"

#define PEM_MAX (1U << 20)

struct sign_signer {
	EVP_PKEY *key;
	X509 *cert;
};

void sign_openssl_reason(char *out, size_t cap)
{
	unsigned long e = ERR_get_error();

	out[0] = '\0';
	if (e)
		ERR_error_string_n(e, out, cap);
	ERR_clear_error();
}

static int openssl_fail(struct cu_error *err, int code, const char *what)
{
	char reason[256];

	sign_openssl_reason(reason, sizeof(reason));
	return cu_error_set(err, code, "%s%s%s", what, reason[0] ? ": " : "", reason);
}

/* A PEM private key (key) or certificate (!key) from a regular file. */
static void *read_pem(const char *path, int key, struct cu_error *err)
{
	char *text;
	size_t len;
	BIO *bio;
	void *v = NULL;

	if (cu_input_read(path, key ? "the key" : "the certificate", PEM_MAX, &text, &len, err))
		return NULL;
	bio = BIO_new_mem_buf(text, (int)len);
	if (bio)
		v = key ? (void *)PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL)
		        : (void *)PEM_read_bio_X509(bio, NULL, NULL, NULL);
	BIO_free(bio);
	free(text);
	if (!v) {
		char what[300];

		snprintf(what, sizeof(what), "%s is not a PEM %s", path,
		         key ? "private key (without a passphrase)" : "certificate");
		openssl_fail(err, CU_EUSAGE, what);
	}
	return v;
}

/* Valid now, and meant for signing. */
static int check_certificate(X509 *cert, const char *path, struct cu_error *err)
{
	uint32_t usage;

	if (X509_cmp_current_time(X509_get0_notBefore(cert)) >= 0)
		return cu_error_set(err, CU_EUSAGE, "the certificate %s is not valid yet", path);
	if (X509_cmp_current_time(X509_get0_notAfter(cert)) <= 0)
		return cu_error_set(err, CU_EUSAGE, "the certificate %s has expired", path);
	usage = X509_get_key_usage(cert); /* UINT32_MAX when it states none */
	if (!(usage & (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION)))
		return cu_error_set(err, CU_EUSAGE,
		                    "the certificate %s is not meant for signing (its key usage "
		                    "allows neither digitalSignature nor nonRepudiation)",
		                    path);
	return CU_OK;
}

int sign_signer_load(struct sign_signer **out, const char *key_pem, const char *cert_pem,
                     struct cu_error *err)
{
	struct sign_signer *s = calloc(1, sizeof(*s));
	int rc = s ? CU_OK : cu_error_set(err, CU_EFAIL, "out of memory");

	if (!rc && !(s->key = read_pem(key_pem, 1, err)))
		rc = CU_EUSAGE;
	if (!rc && !(s->cert = read_pem(cert_pem, 0, err)))
		rc = CU_EUSAGE;
	if (!rc)
		rc = check_certificate(s->cert, cert_pem, err);
	if (!rc && X509_check_private_key(s->cert, s->key) != 1)
		rc = openssl_fail(err, CU_EUSAGE, "the key does not belong to the certificate");
	if (rc) {
		sign_signer_free(s);
		return rc;
	}
	*out = s;
	return CU_OK;
}

void sign_signer_free(struct sign_signer *s)
{
	if (!s)
		return;
	EVP_PKEY_free(s->key);
	X509_free(s->cert);
	free(s);
}

/*
 * Why CMS_sign refused.  Whether an Ed25519 or Ed448 key makes a CMS
 * signature (RFC 8419) depends on the OpenSSL custos runs with: 3.0
 * (Debian 12) has no default digest for them, later ones (Debian 13's 3.5)
 * sign.  So the capability is tried, not a version assumed, and the
 * refusal names the version that refused.
 */
static int sign_refusal(const struct sign_signer *s, struct cu_error *err)
{
	int id = EVP_PKEY_get_id(s->key);

	if (id == EVP_PKEY_ED25519 || id == EVP_PKEY_ED448) {
		ERR_clear_error();
		return cu_error_set(err, CU_EUSAGE,
		                    "%s makes no CMS signature with an %s key (its successors do): "
		                    "sign reports with an RSA or EC key here",
		                    OpenSSL_version(OPENSSL_VERSION),
		                    id == EVP_PKEY_ED25519 ? "Ed25519" : "Ed448");
	}
	return openssl_fail(err, CU_EUSAGE, "cannot sign with this key and certificate");
}

int sign_detached(const struct sign_signer *s, const void *data, size_t len, char **pem,
                  size_t *pem_len, struct cu_error *err)
{
	BIO *in = BIO_new_mem_buf(data, (int)len), *out = BIO_new(BIO_s_mem());
	CMS_ContentInfo *cms = NULL;
	char *text;
	long n;
	int rc = CU_OK;

	if (!in || !out)
		rc = cu_error_set(err, CU_EFAIL, "out of memory");
	else if (!(cms = CMS_sign(s->cert, s->key, NULL, in, CMS_DETACHED | CMS_BINARY)))
		rc = sign_refusal(s, err);
	else if (!PEM_write_bio_CMS(out, cms) || (n = BIO_get_mem_data(out, &text)) <= 0)
		rc = openssl_fail(err, CU_EFAIL, "cannot write the signature");
	else if (!(*pem = malloc((size_t)n)))
		rc = cu_error_set(err, CU_EFAIL, "out of memory");
	else {
		memcpy(*pem, text, (size_t)n);
		*pem_len = (size_t)n;
	}
	CMS_ContentInfo_free(cms);
	BIO_free(in);
	BIO_free(out);
	return rc;
}

int sign_check(const char *path, const char *sig_path, const char *ca_pem, struct cu_error *err)
{
	X509 *ca = read_pem(ca_pem, 0, err);
	X509_STORE *store = ca ? X509_STORE_new() : NULL;
	char *sig = NULL, *content = NULL;
	size_t sig_len = 0, content_len = 0;
	BIO *sig_bio = NULL, *content_bio = NULL;
	CMS_ContentInfo *cms = NULL;
	int rc = ca ? CU_OK : CU_EUSAGE;

	if (!rc && (!store || !X509_STORE_add_cert(store, ca)))
		rc = openssl_fail(err, CU_EFAIL, "cannot use the CA certificate");
	if (!rc)
		rc = cu_input_read(sig_path, "the signature", PEM_MAX, &sig, &sig_len, err);
	if (!rc)
		rc = cu_input_read(path, "the signed file", 1U << 30, &content, &content_len, err);
	if (!rc && (!(sig_bio = BIO_new_mem_buf(sig, (int)sig_len)) ||
	            !(content_bio = BIO_new_mem_buf(content, (int)content_len))))
		rc = cu_error_set(err, CU_EFAIL, "out of memory");
	if (!rc && !(cms = PEM_read_bio_CMS(sig_bio, NULL, NULL, NULL)))
		rc = openssl_fail(err, CU_EUSAGE, "not a PEM CMS signature");
	if (!rc && CMS_verify(cms, NULL, store, content_bio, NULL, CMS_BINARY) != 1)
		rc = openssl_fail(err, CU_EFAIL, "the signature does NOT verify");
	CMS_ContentInfo_free(cms);
	BIO_free(content_bio);
	BIO_free(sig_bio);
	free(content);
	free(sig);
	X509_STORE_free(store);
	X509_free(ca);
	return rc;
}

/* The algorithm a key signs with, and its digest (NULL for Ed25519). */
static const char *key_algorithm(EVP_PKEY *key, const EVP_MD **md)
{
	int bits = EVP_PKEY_get_bits(key);

	switch (EVP_PKEY_get_base_id(key)) {
	case EVP_PKEY_RSA:
		*md = EVP_sha256();
		return "rsa-sha256";
	case EVP_PKEY_EC:
		*md = bits > 384 ? EVP_sha512() : bits > 256 ? EVP_sha384() : EVP_sha256();
		return bits > 384 ? "ecdsa-sha512" : bits > 256 ? "ecdsa-sha384" : "ecdsa-sha256";
	case EVP_PKEY_ED25519:
		*md = NULL;
		return "ed25519";
	default:
		return NULL;
	}
}

int sign_data(const struct sign_signer *s, const void *data, size_t len, uint8_t **sig,
              size_t *sig_len, const char **alg, struct cu_error *err)
{
	const EVP_MD *md = NULL;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int rc = CU_OK;

	*sig = NULL;
	if (!(*alg = key_algorithm(s->key, &md)))
		rc = cu_error_set(err, CU_EUSAGE, "the key is neither RSA, EC nor Ed25519");
	else if (!ctx || EVP_DigestSignInit(ctx, NULL, md, NULL, s->key) != 1 ||
	         EVP_DigestSign(ctx, NULL, sig_len, data, len) != 1 || !(*sig = malloc(*sig_len)) ||
	         EVP_DigestSign(ctx, *sig, sig_len, data, len) != 1)
		rc = openssl_fail(err, CU_EFAIL, "cannot sign the custody event");
	if (rc) {
		free(*sig);
		*sig = NULL;
	}
	EVP_MD_CTX_free(ctx);
	return rc;
}

int sign_signer_certificate(const struct sign_signer *s, uint8_t **der, size_t *len,
                            struct cu_error *err)
{
	unsigned char *out = NULL;
	int n = i2d_X509(s->cert, &out);

	if (n <= 0)
		return openssl_fail(err, CU_EFAIL, "cannot encode the certificate");
	*der = malloc((size_t)n);
	if (!*der) {
		OPENSSL_free(out);
		return cu_error_set(err, CU_EFAIL, "out of memory");
	}
	memcpy(*der, out, (size_t)n);
	*len = (size_t)n;
	OPENSSL_free(out);
	return CU_OK;
}

static void identity_of(X509 *cert, const uint8_t *der, size_t der_len, struct sign_identity *who)
{
	struct cu_digests d = {0};
	struct cu_hash *h = NULL;

	who->subject[0] = who->fingerprint[0] = '\0';
	X509_NAME_oneline(X509_get_subject_name(cert), who->subject, sizeof(who->subject));
	if (!cu_hash_new(&h, CU_HASH_SHA256, NULL) && !cu_hash_update(h, der, der_len, NULL) &&
	    !cu_hash_final(h, &d, NULL))
		cu_hex(who->fingerprint, d.sha256, 32);
	cu_hash_free(h);
}

static X509 *certificate_from_der(const uint8_t *der, size_t len, struct cu_error *err)
{
	const unsigned char *p = der;
	X509 *cert = len <= (size_t)__INT_MAX__ ? d2i_X509(NULL, &p, (long)len) : NULL;

	if (!cert || p != der + len) {
		X509_free(cert);
		openssl_fail(err, CU_EFAIL, "not a DER certificate");
		return NULL;
	}
	return cert;
}

int sign_verify_data(const uint8_t *der, size_t der_len, const char *alg, const void *data,
                     size_t len, const uint8_t *sig, size_t sig_len, struct sign_identity *who,
                     struct cu_error *err)
{
	X509 *cert = certificate_from_der(der, der_len, err);
	EVP_PKEY *key = cert ? X509_get0_pubkey(cert) : NULL;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	const EVP_MD *md = NULL;
	const char *expected;
	int rc = CU_OK;

	if (!cert || !key || !ctx) {
		EVP_MD_CTX_free(ctx);
		X509_free(cert);
		return cert ? cu_error_set(err, CU_EFAIL, "a certificate without a usable key")
		            : CU_EFAIL;
	}
	identity_of(cert, der, der_len, who);
	expected = key_algorithm(key, &md);
	if (!expected || strcmp(expected, alg))
		rc = cu_error_set(err, CU_EFAIL,
		                  "the signature says %s, the certificate's key signs %s", alg,
		                  expected ? expected : "nothing custos knows");
	else if (EVP_DigestVerifyInit(ctx, NULL, md, NULL, key) != 1 ||
	         EVP_DigestVerify(ctx, sig, sig_len, data, len) != 1)
		rc = openssl_fail(err, CU_EFAIL, "the signature does NOT verify");
	ERR_clear_error();
	EVP_MD_CTX_free(ctx);
	X509_free(cert);
	return rc;
}

int sign_check_chain(const uint8_t *der, size_t der_len, const char *ca_pem, time_t at,
                     struct cu_error *err)
{
	X509 *cert = certificate_from_der(der, der_len, err);
	X509 *ca = cert ? read_pem(ca_pem, 0, err) : NULL;
	X509_STORE *store = ca ? X509_STORE_new() : NULL;
	X509_STORE_CTX *ctx = store ? X509_STORE_CTX_new() : NULL;
	int rc = CU_OK;

	if (!cert || !ca)
		rc = cert ? CU_EUSAGE : CU_EFAIL;
	else if (!ctx || !X509_STORE_add_cert(store, ca) ||
	         X509_STORE_CTX_init(ctx, store, cert, NULL) != 1)
		rc = openssl_fail(err, CU_EFAIL, "cannot check the certificate chain");
	else {
		X509_STORE_CTX_set_time(ctx, 0, at);
		if (X509_verify_cert(ctx) != 1)
			rc = cu_error_set(
			    err, CU_EFAIL, "its certificate does not chain to the CA: %s",
			    X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx)));
	}
	ERR_clear_error();
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(store);
	X509_free(ca);
	X509_free(cert);
	return rc;
}

int sign_check_validity(const uint8_t *der, size_t der_len, time_t at, struct cu_error *err)
{
	X509 *cert = certificate_from_der(der, der_len, err);
	time_t t = at;
	int rc = CU_OK;

	if (!cert)
		return CU_EFAIL;
	if (X509_cmp_time(X509_get0_notBefore(cert), &t) >= 0)
		rc = cu_error_set(err, CU_EFAIL, "its certificate was not yet valid at that time");
	else if (X509_cmp_time(X509_get0_notAfter(cert), &t) <= 0)
		rc = cu_error_set(err, CU_EFAIL, "its certificate had expired by that time");
	ERR_clear_error();
	X509_free(cert);
	return rc;
}
