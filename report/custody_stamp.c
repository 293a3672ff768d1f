/*
 * custody_stamp.c - time-stamped custody events (RFC 3161, report/tsa.h).
 *
 * A stamped event holds, last (after any signature):
 *
 *   <timestamp tsa="URL" nonce="16 hex digits" [policy="OID"]>
 *     <token>the TSA's TimeStampResp, DER in base64</token>
 *   </timestamp>
 *
 * The stamp is of the SHA-256 of the event's canonical form without the
 * <token> (custody_canon.h): its attributes, record, signature, and the
 * <timestamp> element's own attributes, the nonce among them.  So a token
 * holds for one event only, and only for the request that carried that
 * nonce: a token made for the same event under another request is a
 * replay.  Its time must not run behind the trusted time of any event
 * before it, and must agree with the event's own time within
 * TSA_DRIFT_MAX: a history rewritten later and stamped again carries the
 * time of the rewrite, which gives it away.
 *
 * A stamp that could not be had, when the examiner allowed that
 * (--tsa-optional), is recorded as <timestamp tsa="URL" missing="why"/>.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/atomic_file.h"
#include "lib/path.h"
#include "lib/timeutil.h"
#include "report/custody_canon.h"

#define TOKEN_B64_MAX (4 * ((TSA_STAMP_MAX + 2) / 3))

/* The SHA-256 a stamp of `ev` is of. */
static int stamp_imprint(xmlNodePtr ev, uint8_t imprint[32], struct cu_error *err)
{
	struct cu_digests d = {0};
	struct cu_hash *h = NULL;
	xmlChar *form = NULL;
	size_t len = 0;
	int rc = custody_canon_form(ev, CUSTODY_CANON_STAMPED, &form, &len, err);

	if (!rc && !(rc = cu_hash_new(&h, CU_HASH_SHA256, err)) &&
	    !(rc = cu_hash_update(h, form, len, err)) && !(rc = cu_hash_final(h, &d, err)))
		memcpy(imprint, d.sha256, 32);
	cu_hash_free(h);
	xmlFree(form);
	return rc;
}

/* A stamp's time against the trusted time before it and the event's own. */
static int stamp_times(const struct tsa_stamp_info *info, time_t now, time_t after,
                       struct cu_error *err)
{
	char when[CU_ISO8601_SIZE];

	if (after && info->time < after) {
		cu_time_iso8601(when, after);
		return cu_error_set(err, CU_EFAIL,
		                    "the TSA says it is %s, before the trusted time of an earlier "
		                    "event (%s): its clock runs behind",
		                    info->time_text, when);
	}
	if (!tsa_time_agrees(info->time, now)) {
		cu_time_iso8601(when, now);
		return cu_error_set(
		    err, CU_EFAIL,
		    "the TSA says it is %s, %+lld s from this machine's clock (%s): "
		    "set the clock",
		    info->time_text, (long long)(info->time - now), when);
	}
	return CU_OK;
}

/* Asks for the stamp of `ev`, whose <timestamp> `ts` holds its nonce, and adds the token. */
static int stamp_fetch(xmlNodePtr ev, xmlNodePtr ts, const struct tsa_client *tsa,
                       const char *nonce, time_t now, time_t after, struct cu_error *err)
{
	struct tsa_stamp_info info;
	uint8_t imprint[32], *der = NULL;
	size_t len = 0;
	char *b64 = NULL;
	int rc = stamp_imprint(ev, imprint, err);

	if (!rc)
		rc = tsa_client_stamp(tsa, imprint, nonce, &der, &len, &info, err);
	if (!rc && (rc = stamp_times(&info, now, after, err)))
		cu_error_prefix(err, "the TSA %s: ", tsa_client_url(tsa));
	if (!rc && !(b64 = custody_canon_base64(der, len)))
		rc = cu_error_set(err, CU_EFAIL, "out of memory");
	if (!rc)
		xmlNewChild(ts, ev->ns, BAD_CAST "token", BAD_CAST b64);
	free(der);
	free(b64);
	return rc;
}

int custody_stamp_event(xmlNodePtr ev, struct custody_seal *seal, time_t now, time_t after,
                        struct cu_error *err)
{
	char nonce[TSA_NONCE_SIZE];
	const char *policy;
	xmlNodePtr ts;
	int rc;

	if (!seal || !seal->tsa)
		return CU_OK;
	if ((rc = tsa_nonce_new(nonce, err)))
		return rc;
	if (!(ts = xmlNewChild(ev, ev->ns, BAD_CAST "timestamp", NULL)))
		return cu_error_set(err, CU_EFAIL, "out of memory");
	xmlNewProp(ts, BAD_CAST "tsa", BAD_CAST tsa_client_url(seal->tsa));
	xmlNewProp(ts, BAD_CAST "nonce", BAD_CAST nonce);
	if ((policy = tsa_client_policy(seal->tsa)))
		xmlNewProp(ts, BAD_CAST "policy", BAD_CAST policy);
	if (!(rc = stamp_fetch(ev, ts, seal->tsa, nonce, now, after, err)))
		return CU_OK;
	xmlUnlinkNode(ts);
	xmlFreeNode(ts);
	if (!seal->stamp_optional)
		return cu_error_suffix(err, "; nothing was written (--tsa-optional records the "
		                            "stamp as missing instead)");
	snprintf(seal->missing, sizeof(seal->missing), "%s", err->msg);
	if (!(ts = xmlNewChild(ev, ev->ns, BAD_CAST "timestamp", NULL)))
		return cu_error_set(err, CU_EFAIL, "out of memory");
	xmlNewProp(ts, BAD_CAST "tsa", BAD_CAST tsa_client_url(seal->tsa));
	xmlNewProp(ts, BAD_CAST "missing", BAD_CAST seal->missing);
	return CU_OK;
}

/* The stamp's token, decoded; -1 when malformed. */
static long stamp_token(xmlNodePtr ts, uint8_t **der)
{
	xmlNodePtr t = custody_canon_child(ts, "token");
	xmlChar *text = t ? xmlNodeGetContent(t) : NULL;
	long len = text ? custody_canon_unbase64((const char *)text, TOKEN_B64_MAX, der) : -1;

	xmlFree(text);
	return len;
}

static int stamp_check(xmlNodePtr ev, xmlNodePtr ts, const struct tsa_trust *trust,
                       const uint8_t *der, size_t len, struct tsa_stamp_info *info,
                       struct cu_error *err)
{
	xmlChar *nonce = xmlGetProp(ts, BAD_CAST "nonce");
	xmlChar *policy = xmlGetProp(ts, BAD_CAST "policy");
	uint8_t imprint[32];
	int rc = nonce ? stamp_imprint(ev, imprint, err)
	               : cu_error_set(err, CU_EFAIL, "its time-stamp records no nonce");

	if (!rc)
		rc = tsa_check(trust, der, len, imprint, (const char *)nonce, (const char *)policy,
		               info, err);
	xmlFree(nonce);
	xmlFree(policy);
	return rc;
}

int custody_stamp_read(xmlNodePtr ev, const struct tsa_trust *trust, bool *has,
                       struct tsa_stamp_info *info, char *missing, size_t cap, struct cu_error *err)
{
	xmlNodePtr ts = custody_canon_child(ev, "timestamp");
	xmlChar *why = ts ? xmlGetProp(ts, BAD_CAST "missing") : NULL;
	uint8_t *der = NULL;
	long len;
	int rc;

	*has = false;
	if (cap)
		missing[0] = '\0';
	memset(info, 0, sizeof(*info));
	if (!ts || why) {
		if (why && cap)
			snprintf(missing, cap, "%s", (const char *)why);
		xmlFree(why);
		return CU_OK;
	}
	*has = true;
	if ((len = stamp_token(ts, &der)) <= 0)
		return cu_error_set(err, CU_EFAIL, "its time-stamp is malformed (no base64 token)");
	rc = trust ? stamp_check(ev, ts, trust, der, (size_t)len, info, err)
	           : tsa_read(der, (size_t)len, info, err);
	free(der);
	return rc;
}

/* Event `i`'s stamped bytes and its token into DIR/event-N.data and .tsr. */
static int export_one(const struct custody_log *log, size_t i, const char *dir,
                      struct cu_error *err)
{
	xmlNodePtr ev = custody_node(log, i);
	xmlNodePtr ts = custody_canon_child(ev, "timestamp");
	unsigned seq = custody_entry(log, i)->seq;
	char path[4096];
	xmlChar *form = NULL;
	size_t len = 0;
	uint8_t *der = NULL;
	long der_len = stamp_token(ts, &der);
	int rc = der_len > 0
	             ? custody_canon_form(ev, CUSTODY_CANON_STAMPED, &form, &len, err)
	             : cu_error_set(err, CU_EFAIL, "event %u: its time-stamp is malformed", seq);

	if (!rc && !(rc = cu_path_build(path, sizeof(path), err, "%s/event-%u.data", dir, seq)))
		rc = cu_file_create(path, form, len, 0444, err);
	if (!rc && !(rc = cu_path_build(path, sizeof(path), err, "%s/event-%u.tsr", dir, seq)))
		rc = cu_file_create(path, der, (size_t)der_len, 0444, err);
	xmlFree(form);
	free(der);
	return rc;
}

int custody_stamps_export(const struct custody_log *log, const char *dir, size_t *n,
                          struct cu_error *err)
{
	int rc;

	*n = 0;
	for (size_t i = 0; i < custody_count(log); i++) {
		if (!custody_entry(log, i)->stamped)
			continue;
		if ((rc = export_one(log, i, dir, err)))
			return rc;
		(*n)++;
	}
	return CU_OK;
}
