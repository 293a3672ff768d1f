/*
 * tsa.h - RFC 3161 trusted time: asking a time-stamping authority (TSA) to
 * sign a SHA-256 together with its time, and checking what it signed, then
 * or years later, with no network.
 *
 * A stamp is kept whole, as the TimeStampResp the TSA sent (DER), so that
 * `openssl ts -verify -data DATA -in STAMP.tsr -CAfile CA.pem` checks it
 * on its own.  A stamp holds for some data only when every point holds:
 * the TSA granted it; it is for exactly that SHA-256; it carries the nonce
 * the request carried (a token made for another request is a replay); its
 * signer's certificate is for time-stamping (the timeStamping extended key
 * usage, critical, as RFC 3161 requires); that certificate chains to the
 * CA the examiner trusts at the time the token states (so a token stays
 * checkable after the TSA's certificate has expired, and a token made
 * after it expired does not); and its signature verifies.  The first point
 * that fails is named in one line.
 *
 * Everything a stamp holds is hostile input: it is parsed by OpenSSL's
 * DER decoders, bounded (TSA_STAMP_MAX), and fuzzed (tests/fuzz).
 */
#ifndef CUSTOS_REPORT_TSA_H
#define CUSTOS_REPORT_TSA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "lib/error.h"

#define TSA_STAMP_MAX  (256U << 10) /* a TimeStampResp, DER */
#define TSA_DRIFT_MAX  60           /* seconds a stamp may differ from its event's clock */
#define TSA_NONCE_SIZE 17           /* 16 hex digits and a NUL */

/* The CA (a PEM file of one or more certificates) TSA certificates must chain to. */
struct tsa_trust;

int tsa_trust_load(struct tsa_trust **out, const char *pem_file, struct cu_error *err);
void tsa_trust_free(struct tsa_trust *t);

/* What a checked (or merely read) stamp says. */
struct tsa_stamp_info {
	time_t time;        /* genTime, UTC */
	char time_text[32]; /* as ISO 8601, for messages */
	char tsa[256];      /* the signer's subject, one line */
	char serial[80];    /* the token's serial number, hex */
	char policy[80];    /* the TSA policy OID */
};

/*
 * Checks a stamp (a DER TimeStampResp) for the SHA-256 `imprint`: every
 * point above, with the nonce `nonce` (16 hex digits; NULL: not checked,
 * for a stamp that keeps no nonce beside it) and the policy `policy`
 * (NULL: any).  CU_EFAIL names the point that failed.
 */
int tsa_check(const struct tsa_trust *trust, const uint8_t *der, size_t len,
              const uint8_t imprint[32], const char *nonce, const char *policy,
              struct tsa_stamp_info *info, struct cu_error *err);

/* Whether a stamp's time and a clock's agree, within TSA_DRIFT_MAX. */
bool tsa_time_agrees(time_t trusted, time_t clock);

/* Reads what a stamp says, checking nothing but its form (for custody show). */
int tsa_read(const uint8_t *der, size_t len, struct tsa_stamp_info *info, struct cu_error *err);

/* ---- asking for one ---- */

struct tsa_options {
	const char *url;    /* http:// or https:// */
	const char *ca;     /* PEM: the TSA's certificate must chain to it */
	const char *policy; /* an OID to ask for, or NULL */
	bool optional;      /* a stamp that cannot be had is recorded as missing */
};

struct tsa_client;

/*
 * Checks the options as given together: --tsa-ca, --tsa-policy and
 * --tsa-optional only with --tsa; --tsa an http:// or https:// URL, text
 * XML can hold, and with --tsa-ca; the policy an OID.  CU_EUSAGE names
 * what is wrong.
 */
int tsa_options_check(const struct tsa_options *o, struct cu_error *err);

/* Checks the options and loads the CA; *out is NULL (and CU_OK) when no --tsa was given. */
int tsa_client_new(struct tsa_client **out, const struct tsa_options *o, struct cu_error *err);
void tsa_client_free(struct tsa_client *c);
const char *tsa_client_url(const struct tsa_client *c);
const char *tsa_client_policy(const struct tsa_client *c);

/* A fresh random nonce: 16 hex digits, its first below 8 (a positive 64-bit integer). */
int tsa_nonce_new(char nonce[TSA_NONCE_SIZE], struct cu_error *err);

/*
 * Asks the TSA for a stamp of `imprint` with `nonce` (HTTP POST of a
 * TimeStampReq asking for the TSA's certificate, bounded in time and
 * size), and checks the answer as tsa_check does before accepting it.
 * *der (malloc'ed) is the TimeStampResp.
 */
int tsa_client_stamp(const struct tsa_client *c, const uint8_t imprint[32], const char *nonce,
                     uint8_t **der, size_t *len, struct tsa_stamp_info *info, struct cu_error *err);

/*
 * Asks for a stamp of nothing in particular, and holds its time to this
 * machine's clock (TSA_DRIFT_MAX): that the TSA answers, and answers
 * rightly, is known before anything is written.
 */
int tsa_client_probe(const struct tsa_client *c, struct cu_error *err);

/*
 * The HTTP client (tsa_http.c): libcurl, loaded when a TSA is first asked
 * for, its global state made while the program has one thread.
 */
struct tsa_http;
int tsa_http_open(struct tsa_http **out, struct cu_error *err);
void tsa_http_close(struct tsa_http *h);

/* The POST itself: the answer's body, at most TSA_STAMP_MAX bytes. */
int tsa_http_post(const struct tsa_http *h, const char *url, const uint8_t *req, size_t req_len,
                  uint8_t **resp, size_t *resp_len, struct cu_error *err);

#endif
