/*
 * report_doc.c - what `custos report` is, for --help, custos-report(1) and
 * the completion; its options are parsed in cmd_report.c, whose keys are
 * the letters below.
 */
#include "builtin.h"

static const struct builtin_option report_options[] = {
    {"output", 'o', BUILTIN_OPT_SHORT, "FILE",
     "Write the report to FILE, which must not exist (default: standard output).",
     BUILTIN_COMPLETE_FILE, NULL},
    {"sign-key", 'k', 0, "KEY.pem",
     "Also write FILE.p7s, a detached CMS signature (PEM) over the exact bytes of the report, "
     "with this private key (RSA or EC). Goes with --sign-cert and -o.",
     BUILTIN_COMPLETE_FILE, NULL},
    {"sign-cert", 'c', 0, "CERT.pem",
     "The signer's certificate (PEM). It must be valid now, allow digitalSignature or "
     "nonRepudiation when it states a key usage, and match the key.",
     BUILTIN_COMPLETE_FILE, NULL},
    {"html", 'H', 0, "FILE",
     "Also write the report laid out for people and print, as HTML (libxslt, with file and "
     "network access forbidden).",
     BUILTIN_COMPLETE_FILE, NULL},
    {"dfxml", 'd', 0, "FILE",
     "Also write the acquisition as Digital Forensics XML 2.0: creator, libraries and "
     "execution environment, the image files, and a disk image object whose byte run "
     "carries the MD5 and SHA-256, with its sector size and read errors.",
     BUILTIN_COMPLETE_FILE, NULL},
    {"check-signature", 's', 0, "FILE",
     "Instead of writing a report, check FILE.p7s over FILE against the CA certificate given "
     "with --ca.",
     BUILTIN_COMPLETE_FILE, NULL},
    {"ca", 'a', 0, "CA.pem", "The CA certificate --check-signature checks against.",
     BUILTIN_COMPLETE_FILE, NULL},
};

const struct builtin_doc doc_report = {
    .name = "report",
    .run = cmd_report,
    .summary = "write the XML evidence report for a court bundle",
    .synopsis = "custos report EVIDENCE.E01 [-o FILE] [--html FILE] [--dfxml FILE]\n"
                "        [--sign-key KEY.pem --sign-cert CERT.pem]\n"
                "custos report --check-signature FILE --ca CA.pem",
    .description =
        "Writes the evidence report a court bundle needs, as XML in the namespace "
        "urn:custos:report:1: the case, the examiner, the tool, the libraries it ran with and "
        "the host, the source (path, vendor, model, serial, firmware, sizes, sector sizes), "
        "the acquisition (start, end, duration, settings, result), the digests at "
        "acquisition and at the last verification (when, by whom, and the result), the read "
        "errors, the container (format, compression, chunk size, each segment with its size "
        "and SHA-256), and every custody event with its hash and signer.\n\n"
        "The report is built from the custody log, whose chain, binding to the evidence and "
        "signatures are checked first: a broken log gives no report. It records the custody "
        "head (the number of events and the hash of the last), the anchor custos custody "
        "verify --against later holds the log to.\n\n"
        "Before anything is written, the report is validated against its schema, "
        "custos-report.xsd, built into custos (and installed beside it, see FILES): "
        "xmllint --schema agrees. Signing is checked before anything is written too, and the "
        "signature made "
        "first, so that a signing that fails leaves no unsigned report. openssl cms -verify "
        "-binary -content FILE -in FILE.p7s -inform PEM -CAfile CA.pem accepts the signature. "
        "Existing files are never overwritten.",
    .options = report_options,
    .n_options = sizeof(report_options) / sizeof(report_options[0]),
    .operands = BUILTIN_COMPLETE_EVIDENCE,
    .exit_status = "0: written (or, with --check-signature, the signature verifies).\n\n"
                   "1: the custody log is broken, a signature does not verify, or a write "
                   "failed.\n\n"
                   "2: there is no evidence or no custody log, a file exists already, or "
                   "wrong options.",
    .examples = "custos report case1/disk.E01 -o disk-report.xml --html disk-report.html\n"
                "Write the report, and a printable copy.\n\n"
                "custos report disk.E01 -o r.xml --sign-key me.key --sign-cert me.pem\n"
                "Write a signed report, r.xml and r.xml.p7s.\n\n"
                "custos report --check-signature r.xml --ca lab-ca.pem\n"
                "Check a signed report.\n\n"
                "custos report disk.E01 --dfxml disk.dfxml -o disk-report.xml\n"
                "Also describe the acquisition as DFXML, for other forensic tools.",
    .files = "BASE.custody.xml: the custody log the report is built from.\n\n"
             "FILE.p7s: the detached signature of FILE.\n\n"
             "/usr/share/custos/custos-report.xsd: the report's schema (under the "
             "installation prefix: share/custos).",
};
