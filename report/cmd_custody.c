/*
 * cmd_custody.c - `custos custody add|show|verify EVIDENCE`.
 *
 *   add EVIDENCE --action ACTION --by NAME [--to NAME] [--location PLACE]
 *                [--note TEXT] [--sign-key KEY.pem --sign-cert CERT.pem]
 *   show EVIDENCE      lists the events, who signed each, and the head
 *   verify EVIDENCE [--ca CA.pem] [--require-signed] [--against REPORT.xml]
 *                   [--head [N:]HASH]
 *
 * EVIDENCE is BASE, BASE.E01 or any segment; the log is BASE.custody.xml.
 * verify always holds the log to the evidence beside it: the evidence must
 * be there, and the log bound to its set identifier and digests.  Exit
 * status: 0 done, and everything checked holds; 1 the log is broken, a
 * signature or a certificate fails, the log no longer extends its anchor,
 * the evidence is missing or another, or a write failed; 2 usage, or no log.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "lib/input_file.h"
#include "lib/path.h"
#include "report/custody.h"
#include "report/report.h"

static const char custody_usage[] =
    "usage: custos custody add EVIDENCE --action ACTION --by NAME [--to NAME]\n"
    "                          [--location PLACE] [--note TEXT]\n"
    "                          [--sign-key KEY.pem --sign-cert CERT.pem]\n"
    "       custos custody show EVIDENCE\n"
    "       custos custody verify EVIDENCE [--ca CA.pem] [--require-signed]\n"
    "                          [--against REPORT.xml] [--head [N:]HASH]\n";

struct custody_args {
	const char *evidence, *log;
	struct custody_event ev;
	const char *sign_key, *sign_cert, *ca, *against, *head;
	bool require_signed;
	unsigned lock_seconds;
};

/* ---- add ---- */

static int custody_add(const struct custody_args *a, struct cu_error *err)
{
	struct sign_signer *signer = NULL;
	int rc = CU_OK;

	if (!a->ev.action || !a->ev.action[0] || !a->ev.by || !a->ev.by[0])
		return cu_error_set(err, CU_EUSAGE, "custody add needs --action and --by");
	if (!a->sign_key != !a->sign_cert)
		return cu_error_set(err, CU_EUSAGE,
		                    "signing takes --sign-key and --sign-cert together");
	if (a->sign_key)
		rc = sign_signer_load(&signer, a->sign_key, a->sign_cert, err);
	if (!rc)
		rc = custody_append(a->log, &a->ev, signer, a->lock_seconds, err);
	sign_signer_free(signer);
	return rc;
}

/* ---- show and verify ---- */

static void list_event(const struct custody_entry *e)
{
	printf("%3u  %s  %-12s by %s%s%s%s%s%s%s\n", e->seq, e->time ? e->time : "?",
	       e->action ? e->action : "?", e->by ? e->by : "", e->to ? " to " : "",
	       e->to ? e->to : "", e->location ? " at " : "", e->location ? e->location : "",
	       e->note ? ": " : "", e->note ? e->note : "");
	if (e->is_signed && e->signature_ok)
		printf("     signed by %s, certificate sha256 %s (%s)\n", e->signer.subject,
		       e->signer.fingerprint, e->algorithm);
	else if (e->is_signed)
		printf("     signed, but the signature was not checked\n");
	else
		printf("     unsigned\n");
}

static void list_log(const struct custody_log *log)
{
	size_t n = custody_count(log);

	for (size_t i = 0; i < n; i++)
		list_event(custody_entry(log, i));
	printf("head %zu:%s\n", n, custody_entry(log, n - 1)->hash);
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

/* The log checked against the evidence (when required, the evidence must be there). */
static int custody_check_log(const struct custody_args *a, struct custody_log *log,
                             bool require_evidence, struct custody_binding *binding,
                             struct cu_error *err)
{
	struct custody_checks c = {.ca = a->ca, .require_signed = a->require_signed};
	char first[4096], head[65];
	int rc = custody_find_evidence(a->evidence, first, sizeof(first), err);

	if (rc && require_evidence)
		return rc;
	if (!rc && (rc = custody_binding_of(first, log, binding, err)))
		return rc;
	c.binding = require_evidence || !rc ? binding : NULL;
	if (a->head && (rc = parse_head(a->head, &c, err)))
		return rc;
	if (a->against && (rc = load_anchor(a, &c, head, err)))
		return rc;
	return custody_check(log, &c, err);
}

static void say_verified(const struct custody_args *a, const struct custody_log *log)
{
	size_t n = custody_count(log), signed_events = 0;

	for (size_t i = 0; i < n; i++)
		signed_events += custody_entry(log, i)->is_signed;
	printf("custos custody: %s is whole and bound to its evidence (set identifier and "
	       "digests); %zu events, %zu signed%s%s%s\n",
	       a->log, n, signed_events, a->ca ? ", every certificate chains to the CA" : "",
	       a->against ? ", and it extends what the report recorded" : "",
	       a->head ? ", and it extends the head given" : "");
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
	}
	custody_free(log);
	return rc;
}

/* ---- options ---- */

static int custody_parse(struct custody_args *a, int argc, char **argv, struct cu_error *err)
{
	static const struct option options[] = {{"action", required_argument, NULL, 'a'},
	                                        {"by", required_argument, NULL, 'b'},
	                                        {"to", required_argument, NULL, 't'},
	                                        {"location", required_argument, NULL, 'l'},
	                                        {"note", required_argument, NULL, 'n'},
	                                        {"sign-key", required_argument, NULL, 'k'},
	                                        {"sign-cert", required_argument, NULL, 'c'},
	                                        {"ca", required_argument, NULL, 'C'},
	                                        {"require-signed", no_argument, NULL, 'r'},
	                                        {"against", required_argument, NULL, 'A'},
	                                        {"head", required_argument, NULL, 'H'},
	                                        {"x-lock-seconds", required_argument, NULL, 'L'},
	                                        {NULL, 0, NULL, 0}};
	const char **slots[128] = {
	    ['a'] = &a->ev.action,   ['b'] = &a->ev.by,   ['t'] = &a->ev.to,
	    ['l'] = &a->ev.location, ['n'] = &a->ev.note, ['k'] = &a->sign_key,
	    ['c'] = &a->sign_cert,   ['C'] = &a->ca,      ['A'] = &a->against,
	    ['H'] = &a->head};
	int ch;

	opterr = 0;
	optind = 3;
	while ((ch = getopt_long(argc, argv, "", options, NULL)) != -1) {
		if (ch == 'r')
			a->require_signed = true;
		else if (ch == 'L')
			a->lock_seconds = (unsigned)strtoul(optarg, NULL, 10);
		else if (ch > 0 && ch < 128 && slots[ch])
			*slots[ch] = optarg;
		else
			return cu_error_set(err, CU_EUSAGE,
			                    "unknown option (see custos custody --help)");
	}
	if (optind != argc)
		return cu_error_set(err, CU_EUSAGE, "custody: unexpected '%s'", argv[optind]);
	return CU_OK;
}

int cmd_custody(int argc, char **argv)
{
	struct custody_args a = {.lock_seconds = CUSTODY_LOCK_SECONDS};
	struct cu_error err = {0};
	char *log = NULL;
	int rc;

	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs(custody_usage, stdout);
		return 0;
	}
	if (argc < 3)
		return builtin_fail("custody", CU_EUSAGE, "give add, show or verify, and EVIDENCE");
	a.evidence = argv[2];
	if (!(a.log = log = cu_path_custody_log(argv[2])))
		return builtin_fail("custody", CU_EFAIL, "out of memory");
	rc = custody_parse(&a, argc, argv, &err);
	if (!rc && !strcmp(argv[1], "add"))
		rc = custody_add(&a, &err);
	else if (!rc && (!strcmp(argv[1], "show") || !strcmp(argv[1], "verify")))
		rc = custody_show_or_verify(&a, !strcmp(argv[1], "verify"), &err);
	else if (!rc)
		rc = cu_error_set(&err, CU_EUSAGE, "'%s' is not add, show or verify", argv[1]);
	free(log);
	return rc ? builtin_fail("custody", rc, err.msg) : 0;
}
