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

#include "lib/error.h"

struct sign_signer;

/* Loads and checks a PEM private key and a PEM certificate. */
int sign_signer_load(struct sign_signer **out, const char *key_pem, const char *cert_pem,
                     struct cu_error *err);
void sign_signer_free(struct sign_signer *s);

/* The PEM text of a detached CMS signature over `data` (malloc'ed, *pem_len bytes). */
int sign_detached(const struct sign_signer *s, const void *data, size_t len, char **pem,
                  size_t *pem_len, struct cu_error *err);

/* Checks `sig_path` over the contents of `path` against the CA in `ca_pem`. */
int sign_check(const char *path, const char *sig_path, const char *ca_pem, struct cu_error *err);

/* The message of OpenSSL's last error, or "" (and the error queue emptied). */
void sign_openssl_reason(char *out, size_t cap);

#endif
