/*
 * sign.h - detached CMS signatures over a report, through OpenSSL.
 *
 * FILE.p7s holds, in PEM, a CMS SignedData over the exact bytes of FILE
 * (binary mode: no line-ending conversion), signed with the lab's key and
 * carrying its certificate, so that `openssl cms -verify -binary -content
 * FILE -in FILE.p7s -inform PEM -CAfile CA.pem` accepts it.
 */
#ifndef CUSTOS_REPORT_SIGN_H
#define CUSTOS_REPORT_SIGN_H

#include <stddef.h>

#include "lib/error.h"

/* Writes `sig_path` (must not exist): the signature of `data`. */
int sign_detached(const char *key_pem, const char *cert_pem, const void *data, size_t len,
                  const char *sig_path, struct cu_error *err);

/* Checks `sig_path` over the contents of `path` against the CA in `ca_pem`. */
int sign_check(const char *path, const char *sig_path, const char *ca_pem, struct cu_error *err);

#endif
