/*
 * verify_doc.c - what `custos verify` is, for --help, custos-verify(1) and
 * the completion; its options are the ones cmd_verify.c parses.
 */
#include "builtin.h"
#include "container/cmd_verify.h"

static const struct builtin_option verify_options[] = {
    {"json", VERIFY_OPT_JSON, 0, NULL,
     "Print one JSON object per set, a line each: evidence, mode, result, message, "
     "media_size, bytes_per_sector, stored and computed digests, damaged_sectors, "
     "read_errors, source, segments and custody_appended. With several sets the closing "
     "count goes to standard error.",
     BUILTIN_COMPLETE_NOTHING, NULL},
    {"jobs", VERIFY_OPT_JOBS, 0, "N",
     "Verify N sets at once, from 1 to 64 (default 1; each gets its share of the CPUs). "
     "With --segments, hash N segment files at once (default: the number of CPUs).",
     BUILTIN_COMPLETE_NOTHING, NULL},
    {"segments", VERIFY_OPT_SEGMENTS, 0, NULL,
     "Instead of reading the media, check every segment file against the size and SHA-256 "
     "the custody log recorded for it, and the chain of segments, and the custody log "
     "itself. It names each segment that changed, is missing or was added. It does not "
     "re-derive the media digests: a full verify remains the full verification.",
     BUILTIN_COMPLETE_NOTHING, NULL},
    {"enroll", VERIFY_OPT_ENROLL, 0, NULL,
     "Verify in full and, only when the set matches, start its custody log: a first event, "
     "\"enrolled\", with what the headers say, the digests, the read errors and every "
     "segment file's size and SHA-256. For evidence from other tools; a set that has a log "
     "is refused.",
     BUILTIN_COMPLETE_NOTHING, NULL},
    {"source", VERIFY_OPT_SOURCE, 0, "PATH",
     "Read the original medium (a drive, write-blocked while read, or a file) again and "
     "compare it with the evidence. A source of another size is a mismatch. With one set, "
     "verified in full.",
     BUILTIN_COMPLETE_SOURCE, NULL},
    {"by", VERIFY_OPT_BY, 0, "NAME",
     "Who verifies, for the custody log's event (default: the login name).",
     BUILTIN_COMPLETE_NOTHING, NULL},
    {"sign-key", VERIFY_OPT_SIGN_KEY, 0, "KEY.pem",
     "Sign the custody log's event with this private key (PEM). Goes with --sign-cert.",
     BUILTIN_COMPLETE_FILE, NULL},
    {"sign-cert", VERIFY_OPT_SIGN_CERT, 0, "CERT.pem",
     "The signer's certificate (PEM), carried in the signed event.", BUILTIN_COMPLETE_FILE, NULL},
};

const struct builtin_doc doc_verify = {
    .name = "verify",
    .run = cmd_verify,
    .summary = "re-read evidence and check its stored hashes",
    .synopsis = "custos verify EVIDENCE.E01|DIR ... [--json] [--jobs N]\n"
                "custos verify EVIDENCE.E01 --source DEVICE|FILE\n"
                "custos verify EVIDENCE.E01|DIR ... --segments | --enroll",
    .description =
        "Re-proves EWF evidence: custos' own, and that of EnCase 1 to 7, FTK Imager, linen, "
        "ewfacquire (EWF-X .e01), Guymager and SMART (.s01). Each EVIDENCE is any segment of "
        "a set; a directory is searched, through its subdirectories, for the first segment of "
        "every set in it.\n\n"
        "A full verify first walks the chain of segment files, so that a missing or truncated "
        "segment is named exactly. Then it reads the whole media through libewf, checks every "
        "chunk (its checksum, or that it inflates), and recomputes every digest the set stores "
        "(MD5, SHA-1, SHA-256) to compare them. Damaged chunks are reported as sector ranges, "
        "apart from the acquisition's own read errors.\n\n"
        "Each verification is appended to the custody log beside the evidence as a "
        "\"verified\" event; when the log cannot be extended (a read-only archive), verify "
        "still verifies, and says once that the log was not extended.\n\n"
        "With one set named, the outcome is printed in detail, and a failure is one line on "
        "standard error. With several, or a directory, each set gets one line (match, "
        "mismatch, damaged, not_evidence) and a closing count follows.",
    .options = verify_options,
    .n_options = sizeof(verify_options) / sizeof(verify_options[0]),
    .operands = BUILTIN_COMPLETE_EVIDENCE,
    .exit_status = "0: every set matches.\n\n"
                   "1: a set mismatches, is damaged (a chunk that does not check, a segment "
                   "missing or cut short), differs from --source, or could not be "
                   "enrolled.\n\n"
                   "2: otherwise, a path that is not evidence, a set not enrolled for "
                   "--segments, or wrong options.",
    .examples = "custos verify case1/disk.E01\n"
                "Verify one set in full and log it in its custody log.\n\n"
                "custos verify --json --jobs 2 /archive >results.jsonl\n"
                "Verify every set under /archive, two at once, a JSON line each.\n\n"
                "custos verify case1/disk.E01 --source /dev/sdb\n"
                "Check that the drive still holds what was imaged.\n\n"
                "custos verify --segments case1/disk.E01\n"
                "Check each segment file against its recorded SHA-256.\n\n"
                "custos verify --enroll --by 'A. Smith' old/ftk-image.E01\n"
                "Take evidence from another tool into custody.",
    .files = "BASE.E01, BASE.E02, ... (or .e01, .s01): the evidence set.\n\n"
             "BASE.custody.xml: the custody log, extended by every verify; "
             "BASE.custody.xml.lock serialises its appends.",
};
