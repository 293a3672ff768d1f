/*
 * custody_doc.c - what `custos custody` is, for --help, custos-custody(1)
 * and the completion; its options are parsed in cmd_custody.c, whose keys
 * are the letters below.
 */
#include "builtin.h"

static const char *const custody_verbs[] = {"add", "show", "verify", NULL};

static const struct builtin_option custody_options[] = {
    {"action", 'a', 0, "ACTION",
     "add: what happened, in a word or a few (\"transferred\", \"sealed\", "
     "\"received\"). Required for add.",
     BUILTIN_COMPLETE_NOTHING, NULL},
    {"by", 'b', 0, "NAME", "add: who did it. Required for add.", BUILTIN_COMPLETE_NOTHING, NULL},
    {"to", 't', 0, "NAME", "add: to whom the evidence went.", BUILTIN_COMPLETE_NOTHING, NULL},
    {"location", 'l', 0, "PLACE", "add: where it happened.", BUILTIN_COMPLETE_NOTHING, NULL},
    {"note", 'n', 0, "TEXT", "add: a note (a seal number, a receipt).", BUILTIN_COMPLETE_NOTHING,
     NULL},
    {"sign-key", 'k', 0, "KEY.pem",
     "add: sign the event with this private key (RSA, EC or Ed25519; PEM). Goes with "
     "--sign-cert.",
     BUILTIN_COMPLETE_FILE, NULL},
    {"sign-cert", 'c', 0, "CERT.pem",
     "add: the signer's certificate (PEM), carried in the event. It must be valid now, allow "
     "digital signatures, and match the key.",
     BUILTIN_COMPLETE_FILE, NULL},
    {"ca", 'C', 0, "CA.pem",
     "verify: every signer's certificate must chain to this CA at the time of its event (and "
     "a report named by --against must carry a signature that verifies, when it has one).",
     BUILTIN_COMPLETE_FILE, NULL},
    {"require-signed", 'r', 0, NULL, "verify: every event must be signed.",
     BUILTIN_COMPLETE_NOTHING, NULL},
    {"against", 'A', 0, "REPORT.xml",
     "verify: the log must still hold, at the same position, the last event the report "
     "recorded: nothing was cut away since.",
     BUILTIN_COMPLETE_FILE, NULL},
    {"head", 'H', 0, "[N:]HASH",
     "verify: the same, for a head noted elsewhere (custos custody show prints it): the log "
     "must hold this event hash, as its N-th event when N is given.",
     BUILTIN_COMPLETE_NOTHING, NULL},
    {"x-lock-seconds", 'L', BUILTIN_OPT_HIDDEN, "S", "How long add waits for the lock.",
     BUILTIN_COMPLETE_NOTHING, NULL},
};

const struct builtin_doc doc_custody = {
    .name = "custody",
    .run = cmd_custody,
    .summary = "add to, show or check the custody log beside the evidence",
    .synopsis = "custos custody add EVIDENCE --action ACTION --by NAME [--to NAME]\n"
                "        [--location PLACE] [--note TEXT]\n"
                "        [--sign-key KEY.pem --sign-cert CERT.pem]\n"
                "custos custody show EVIDENCE\n"
                "custos custody verify EVIDENCE [--ca CA.pem] [--require-signed]\n"
                "        [--against REPORT.xml] [--head [N:]HASH]",
    .description =
        "Every evidence set custos acquires or enrolls has a custody log beside it, "
        "BASE.custody.xml. Its first event, \"acquired\" (or \"enrolled\"), holds the whole "
        "acquisition record: tool and host, case, source identity and geometry, settings, "
        "start and end, digests, read errors, and every segment file with its size and "
        "SHA-256. Each custos verify appends a \"verified\" event. EVIDENCE may be named as "
        "BASE, BASE.E01 or any segment.\n\n"
        "add appends an event with its UTC time. show lists the events, who signed each (the "
        "certificate's subject and SHA-256 fingerprint) or that it is unsigned, and the head "
        "(head N:HASH, the number of events and the hash of the last), to note in the case "
        "file. verify checks the chain of events, the log's binding to the evidence beside it "
        "(which must be there), and every signature.\n\n"
        "Each event carries the SHA-256 of the canonical form (C14N 1.0) of the event before "
        "it; the first carries that of the binding, the set identifier and stored digests, "
        "so that a log belongs to one acquisition. A signed event holds the signer's "
        "certificate and a signature over its canonical form, which openssl checks on its "
        "own. Appends are serialised by a lock across processes; readers see the old log or "
        "the new, never part of one. The log is read with no network, no DTD and no entity "
        "expansion; a DOCTYPE in it is a break.\n\n"
        "The recommended practice: sign every event with a certificate of the lab's CA, check "
        "with custody verify --ca CA.pem --require-signed, and at each handover write a "
        "signed report (custos report --sign-key), whose recorded head later proves with "
        "--against that nothing was cut away since.",
    .options = custody_options,
    .n_options = sizeof(custody_options) / sizeof(custody_options[0]),
    .words = custody_verbs,
    .operands = BUILTIN_COMPLETE_EVIDENCE,
    .exit_status = "0: done, and everything checked holds.\n\n"
                   "1: the log is broken (an event edited, removed or reordered), a signature "
                   "or a certificate fails, an event is unsigned under --require-signed, the "
                   "log was cut back behind its anchor, the evidence is missing or another, "
                   "the lock could not be had within 60 seconds, or a write failed.\n\n"
                   "2: there is no log, or wrong options.",
    .examples = "custos custody add disk.E01 --action transferred --by 'A. Smith' \\\n"
                "        --to 'B. Jones' --location 'Lab 2' --note 'seal 0042'\n"
                "Record a handover.\n\n"
                "custos custody show disk.E01\n"
                "List the events and the head.\n\n"
                "custos custody verify disk.E01 --ca lab-ca.pem --require-signed\n"
                "Check the chain, the binding and every signature.\n\n"
                "custos custody verify disk.E01 --against report.xml --ca lab-ca.pem\n"
                "Check that nothing was cut away since the signed report.",
    .files = "BASE.custody.xml: the custody log.\n\n"
             "BASE.custody.xml.lock: an empty file whose lock serialises appends; it stays "
             "beside the log.",
};
