/*
 * sign.h - a signer (a private key and its certificate) and detached CMS
 * signatures over a report, through OpenSSL.
 *
 * A signer is loaded and checked before anything is written: the key must
 * belong to the certificate, and the certificate must be valid now and
 * meant for signing (its key usage, when it states one, must allow digital
 * signatures or non-repudiation).  FILE.p7s then holds, in PEM, a CMS
 * SignedData over the exact bytes of FILE (binary mode: no line-ending
 * conversion) carrying the certificate, so that `openssl cms -verify
 * -binary -content FILE -in FILE.p7s -inform PEM -CAfile CA.pem` accepts it.
 * Every OpenSSL failure becomes one line.
 */
#ifndef CUSTOS_REPORT_SIGN_H
#define CUSTOS_REPORT_SIGN_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "lib/error.h"

struct sign_signer;

/* Loads and checks a PEM private key and a PEM certificate. */
int sign_signer_load(struct sign_signer **out, const char *key_pem, const char *cert_pem,
                     struct cu_error *err);
void sign_signer_free(struct sign_signer *s);

/* The PEM text of a detached CMS signature over `data` (malloc'ed, *pem_len bytes). */
int sign_detached(const struct sign_signer *s, const void *data, size_t len, char **pem,
                  size_t *pem_len, struct cu_error *err);

/*
 * A raw signature over `data` with the signer's key (EVP_DigestSign): RSA
 * (PKCS #1 v1.5, SHA-256), ECDSA on P-256, P-384 or P-521 (SHA-256, -384,
 * -512) or Ed25519.  *alg names it ("rsa-sha256", "ecdsa-sha256", ...,
 * "ed25519"); *sig is malloc'ed.
 */
int sign_data(const struct sign_signer *s, const void *data, size_t len, uint8_t **sig,
              size_t *sig_len, const char **alg, struct cu_error *err);

/* The signer's certificate, DER (malloc'ed). */
int sign_signer_certificate(const struct sign_signer *s, uint8_t **der, size_t *len,
                            struct cu_error *err);

/* Who a certificate names: its subject (one line) and the SHA-256 of its DER. */
struct sign_identity {
	char subject[256];
	char fingerprint[65];
};

/*
 * Checks a raw signature over `data` made with the key of the certificate
 * `der`: `alg` must be the algorithm that key signs with.  CU_EFAIL when it
 * does not verify; `who` gets the certificate's identity either way.
 */
int sign_verify_data(const uint8_t *der, size_t der_len, const char *alg, const void *data,
                     size_t len, const uint8_t *sig, size_t sig_len, struct sign_identity *who,
                     struct cu_error *err);

/* Whether the certificate `der` chains to the CA in `ca_pem` at time `at`. */
int sign_check_chain(const uint8_t *der, size_t der_len, const char *ca_pem, time_t at,
                     struct cu_error *err);

/*
 * Whether the certificate `der` was valid at time `at` (between its
 * notBefore and notAfter): a signature is judged at the time it claims.
 */
int sign_check_validity(const uint8_t *der, size_t der_len, time_t at, struct cu_error *err);

/* Checks `sig_path` over the contents of `path` against the CA in `ca_pem`. */
int sign_check(const char *path, const char *sig_path, const char *ca_pem, struct cu_error *err);

/* The message of OpenSSL's last error, or "" (and the error queue emptied). */
void sign_openssl_reason(char *out, size_t cap);

#endif
