/*
 * cmd_custody.c - `custos custody add|show|verify EVIDENCE`.
 *
 *   add EVIDENCE --action ACTION --by NAME [--to NAME] [--location PLACE]
 *                [--note TEXT] [--sign-key KEY.pem --sign-cert CERT.pem]
 *                [--tsa URL --tsa-ca CA.pem [--tsa-policy OID] [--tsa-optional]]
 *   show EVIDENCE [--tsa-ca CA.pem] [--export-stamps DIR]
 *                      lists the events, who signed each, its trusted time,
 *                      and the head
 *   verify EVIDENCE [--ca CA.pem] [--require-signed] [--against REPORT.xml]
 *                   [--head [N:]HASH] [--tsa-ca CA.pem]
 *
 * EVIDENCE is BASE, BASE.E01 or any segment; the log is BASE.custody.xml.
 * verify always holds the log to the evidence beside it: the evidence must
 * be there, and the log bound to its set identifier and digests.  Exit
 * status: 0 done, and everything checked holds; 1 the log is broken, a
 * signature or a certificate fails, the log no longer extends its anchor,
 * the evidence is missing or another, or a write failed; 2 usage, or no log.
 * What show prints from the log (names, notes, places, signers) is escaped
 * (cu_text_fput): a log is data, never terminal control.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/builtin.h"
#include "lib/input_file.h"
#include "lib/parse.h"
#include "lib/path.h"
#include "lib/text.h"
#include "lib/timeutil.h"
#include "report/custody.h"
#include "report/report.h"
#include "report/tsa.h"

#define CUSTODY_GIVEN_MAX 32

struct custody_args {
	const char *verb, *evidence, *log;
	char given[CUSTODY_GIVEN_MAX];          /* the keys of the options given */
	char given_name[CUSTODY_GIVEN_MAX][24]; /* and their names */
	size_t n_given;
	struct custody_event ev;
	const char *ca, *against, *head, *stamps_dir;
	struct builtin_signing
	    signing; /* add: --sign-key, --sign-cert, --tsa...; verify: --tsa-ca */
	bool require_signed;
	unsigned lock_seconds;
};

/* ---- add ---- */

static int custody_add(struct custody_args *a, struct cu_error *err)
{
	struct builtin_signing *s = &a->signing;
	struct custody_binding binding; /* what is appended to must be this set's */
	int rc;

	if (!a->ev.action || !a->ev.action[0] || !a->ev.by || !a->ev.by[0])
		return cu_error_set(err, CU_EUSAGE, "custody add needs --action and --by");
	if (!(rc = builtin_signing_settle(s, err)))
		rc = custody_binding_beside(a->log, a->evidence, &binding, err);
	if (!rc)
		rc = custody_append(a->log, &a->ev, &binding, &s->seal, a->lock_seconds, err);
	if (!rc && s->seal.missing[0])
		fprintf(stderr, "custos custody: note: the event is not time-stamped: %s\n",
		        s->seal.missing);
	return rc;
}

/* ---- show and verify ---- */

/* `before`, then `text` escaped: what a log holds is data, never terminal control. */
static void show_text(const char *before, const char *text)
{
	fputs(before, stdout);
	cu_text_fput(text, stdout);
}

/* The event's trusted time beside its own, flagged when they differ by more than a minute. */
static void list_stamp(const struct custody_entry *e)
{
	char when[CU_ISO8601_SIZE];
	time_t recorded;

	if (e->stamp_missing) {
		show_text("     time-stamp missing: ", e->stamp_note ? e->stamp_note : "");
		putchar('\n');
		return;
	}
	if (!e->stamped)
		return;
	if (!e->trusted_time) {
		printf("     time-stamped, but the token cannot be read\n");
		return;
	}
	cu_time_iso8601(when, e->trusted_time);
	printf("     trusted time %s", when);
	show_text(" from ", e->stamp_note ? e->stamp_note : "?");
	printf("%s\n", e->stamp_checked ? " (checked)" : " (not checked: --tsa-ca)");
	if (e->time && cu_time_parse_iso8601(e->time, &recorded) &&
	    !tsa_time_agrees(e->trusted_time, recorded))
		printf("     ! the trusted time differs from the recorded time by %+lld s\n",
		       (long long)(e->trusted_time - recorded));
}

static void list_event(const struct custody_entry *e)
{
	const char *action = e->action ? e->action : "?";

	printf("%3u  ", e->seq);
	show_text("", e->time ? e->time : "?");
	show_text("  ", action);
	printf("%*s", strlen(action) < 12 ? (int)(12 - strlen(action)) : 0, "");
	show_text(" by ", e->by ? e->by : "");
	if (e->to)
		show_text(" to ", e->to);
	if (e->location)
		show_text(" at ", e->location);
	if (e->note)
		show_text(": ", e->note);
	putchar('\n');
	if (e->is_signed && e->signature_ok) {
		show_text("     signed by ", e->signer.subject);
		show_text(", certificate sha256 ", e->signer.fingerprint);
		show_text(" (", e->algorithm);
		fputs(")\n", stdout);
	} else if (e->is_signed)
		printf("     signed, but the signature was not checked\n");
	else
		printf("     unsigned\n");
	list_stamp(e);
}

static void list_log(const struct custody_log *log)
{
	size_t n = custody_count(log);

	for (size_t i = 0; i < n; i++)
		list_event(custody_entry(log, i));
	printf("head %zu:", n);
	show_text("", custody_entry(log, n - 1)->hash);
	putchar('\n');
}

/* "N:HASH" or "HASH" into an anchor. */
static int parse_head(const char *text, struct custody_checks *c, struct cu_error *err)
{
	const char *colon = strchr(text, ':');
	char *end;

	c->anchor_seq = 0;
	if (colon) {
		unsigned long n = strtoul(text, &end, 10);

		if (end != colon || n == 0 || n > 1000000)
			return cu_error_set(err, CU_EUSAGE, "--head: '%s' is not N:HASH", text);
		c->anchor_seq = (unsigned)n;
		text = colon + 1;
	}
	if (strlen(text) != 64 || strspn(text, "0123456789abcdef") != 64)
		return cu_error_set(err, CU_EUSAGE, "--head: '%s' is not a SHA-256 in hex", text);
	c->anchor_hash = text;
	return CU_OK;
}

/* --against REPORT.xml: the head it recorded (and, with --ca, its signature). */
static int load_anchor(const struct custody_args *a, struct custody_checks *c, char *head,
                       struct cu_error *err)
{
	char anchor[128];
	unsigned events = 0;
	int rc = report_read_anchor(a->against, &events, head, err);

	if (rc)
		return rc;
	snprintf(anchor, sizeof(anchor), "%u:%s", events, head);
	if ((rc = parse_head(anchor, c, err)))
		return rc;
	c->anchor_hash = head;
	return a->ca ? report_check_signature_if_any(a->against, a->ca, err) : CU_OK;
}

/* The log checked, against the evidence `first` when there is one (NULL: none). */
static int custody_check_with(const struct custody_args *a, struct custody_log *log,
                              struct custody_checks *c, const char *first,
                              struct custody_binding *binding, struct cu_error *err)
{
	char head[65];
	int rc;

	if (first && (rc = custody_binding_of(first, log, binding, err)))
		return rc;
	c->binding = first ? binding : NULL;
	if (a->head && (rc = parse_head(a->head, c, err)))
		return rc;
	if (a->against && (rc = load_anchor(a, c, head, err)))
		return rc;
	return custody_check(log, c, err);
}

/* The log checked against the evidence (when required, the evidence must be there). */
static int custody_check_log(const struct custody_args *a, struct custody_log *log,
                             bool require_evidence, struct custody_binding *binding,
                             struct cu_error *err)
{
	struct custody_checks c = {.ca = a->ca, .require_signed = a->require_signed};
	struct tsa_trust *trust = NULL;
	char first[4096];
	int rc = custody_find_evidence(a->evidence, first, sizeof(first), err);
	bool have = !rc;

	if (rc && require_evidence)
		return rc;
	if (a->signing.tsa_ca && (rc = tsa_trust_load(&trust, a->signing.tsa_ca, err)))
		return rc;
	c.tsa_trust = trust;
	rc = custody_check_with(a, log, &c, have ? first : NULL, binding, err);
	tsa_trust_free(trust);
	return rc;
}

static void say_verified(const struct custody_args *a, const struct custody_log *log)
{
	size_t n = custody_count(log), signed_events = 0, stamped = 0;

	for (size_t i = 0; i < n; i++) {
		signed_events += custody_entry(log, i)->is_signed;
		stamped += custody_entry(log, i)->stamped;
	}
	show_text("custos custody: ", a->log);
	printf(" is whole and bound to its evidence (set identifier and digests); %zu events, %zu "
	       "signed, %zu time-stamped%s%s%s%s\n",
	       n, signed_events, stamped, a->ca ? ", every certificate chains to the CA" : "",
	       !stamped            ? ""
	       : a->signing.tsa_ca ? ", every time-stamp checked against the TSA CA, in order"
	                           : " (the time-stamps not checked: --tsa-ca)",
	       a->against ? ", and it extends what the report recorded" : "",
	       a->head ? ", and it extends the head given" : "");
}

/* --export-stamps DIR: each stamped event's bytes and token, for openssl ts -verify. */
static int custody_export(const struct custody_args *a, const struct custody_log *log,
                          struct cu_error *err)
{
	size_t n = 0;
	int rc = custody_stamps_export(log, a->stamps_dir, &n, err);

	if (!rc) {
		printf("%zu time-stamp(s) written to ", n);
		show_text("", a->stamps_dir);
		printf(" as event-N.data and event-N.tsr\n");
	}
	return rc;
}

static int custody_show_or_verify(const struct custody_args *a, bool verify, struct cu_error *err)
{
	struct custody_binding binding;
	struct custody_log *log = NULL;
	int rc = custody_load(a->log, &log, err);

	if (!rc) {
		rc = custody_check_log(a, log, verify, &binding, err);
		list_log(log);
		if (!rc && verify)
			say_verified(a, log);
		if (!rc && a->stamps_dir)
			rc = custody_export(a, log, err);
	}
	custody_free(log);
	return rc;
}

/* ---- options ---- */

static int custody_take(void *ctx, int key, const char *name, const char *value,
                        struct cu_error *err)
{
	struct custody_args *a = ctx;
	const char **slots[128] = {
	    ['a'] = &a->ev.action,   ['b'] = &a->ev.by,   ['t'] = &a->ev.to,
	    ['l'] = &a->ev.location, ['n'] = &a->ev.note, ['C'] = &a->ca,
	    ['A'] = &a->against,     ['H'] = &a->head,    ['D'] = &a->stamps_dir};
	uint64_t seconds;

	if (key == 'r') {
		a->require_signed = true;
	} else if (key != 'b' && builtin_signing_take(&a->signing, key, value)) {
		/* --sign-key, --sign-cert and the TSA's options: builtin_signing.c */
	} else if (key == 'L') {
		if (cu_parse_u64(&seconds, "--x-lock-seconds", value, 0, 3600, err))
			return CU_EUSAGE;
		a->lock_seconds = (unsigned)seconds;
	} else if (key > 0 && key < 128 && slots[key]) {
		*slots[key] = value;
	} else {
		return cu_error_set(err, CU_EUSAGE, "unknown option (see custos custody --help)");
	}
	if (a->n_given < CUSTODY_GIVEN_MAX) {
		a->given[a->n_given] = (char)key;
		snprintf(a->given_name[a->n_given++], sizeof(a->given_name[0]), "%s", name);
	}
	return CU_OK;
}

/* Each option belongs to one verb: another verb's is refused, not ignored. */
static int custody_check_verb(const struct custody_args *a, const char *verb, struct cu_error *err)
{
	const char *allowed = !strcmp(verb, "add")      ? "abtlnkcLUQPO"
	                      : !strcmp(verb, "verify") ? "CrAHQ"
	                                                : "QD";

	for (size_t i = 0; i < a->n_given && i < CUSTODY_GIVEN_MAX; i++)
		if (!strchr(allowed, a->given[i]))
			return cu_error_set(err, CU_EUSAGE, "custody %s does not take --%s", verb,
			                    a->given_name[i]);
	return CU_OK;
}

static int custody_parse(struct custody_args *a, int argc, char **argv, struct cu_error *err)
{
	int rc = builtin_parse(&command_custody, argc, argv, 1, custody_take, a, err);

	if (rc)
		return rc;
	if (argc - optind != 2)
		return cu_error_set(err, CU_EUSAGE,
		                    "give add, show or verify, and EVIDENCE (see --help)");
	a->verb = argv[optind];
	a->evidence = argv[optind + 1];
	if (strcmp(a->verb, "add") && strcmp(a->verb, "show") && strcmp(a->verb, "verify"))
		return cu_error_set(err, CU_EUSAGE, "'%s' is not add, show or verify", a->verb);
	return custody_check_verb(a, a->verb, err);
}

int cmd_custody(int argc, char **argv)
{
	struct custody_args a = {.lock_seconds = CUSTODY_LOCK_SECONDS};
	struct cu_error err = {0};
	char *log = NULL;
	int rc = custody_parse(&a, argc, argv, &err);

	if (rc)
		return rc < 0 ? 0 : builtin_fail("custody", rc, err.msg);
	if (!(a.log = log = cu_path_custody_log(a.evidence)))
		return builtin_fail("custody", CU_EFAIL, "out of memory");
	if (!strcmp(a.verb, "add"))
		rc = custody_add(&a, &err);
	else
		rc = custody_show_or_verify(&a, !strcmp(a.verb, "verify"), &err);
	builtin_signing_free(&a.signing);
	free(log);
	return rc ? builtin_fail("custody", rc, err.msg) : 0;
}
