/*
 * custos_doc.c - what custos itself is, for custos(1), and the list of its
 * commands: the dispatcher's table, the man pages' SEE ALSO and the
 * completion's first word all come from builtin_docs.
 */
#include "builtin.h"

const struct builtin_doc *const builtin_docs[] = {
    &doc_acquire, &doc_verify, &doc_info, &doc_export, &doc_custody, &doc_report, &doc_devices};
const size_t builtin_docs_count = sizeof(builtin_docs) / sizeof(builtin_docs[0]);

static const struct builtin_option custos_options[] = {
    {"version", 'V', 0, NULL,
     "Print the versions of custos and of the libraries it runs with (libewf, OpenSSL, "
     "libxml2, libxslt, libdeflate), and exit.",
     BUILTIN_COMPLETE_NOTHING, NULL},
};

const struct builtin_doc doc_custos = {
    .name = "custos",
    .summary = "forensic acquisition into EWF-E01 evidence, and its chain of custody",
    .synopsis = "custos COMMAND [ARGS]\n"
                "custos COMMAND --help\n"
                "custos --version",
    .description =
        "custos images a drive, a file or a stream into an EWF-E01 evidence set, the EnCase "
        "6 layout that EnCase, FTK, X-Ways, Autopsy, The Sleuth Kit and libewf read: segment "
        "files of compressed, checksummed chunks, with the case metadata and the MD5 and "
        "SHA-256 of the media, computed in the same pass as the read. It survives bad and "
        "unstable sectors, accounting for each exactly. It re-proves evidence years later, "
        "its own and that of EnCase, FTK Imager, ewfacquire or Guymager; keeps a "
        "tamper-evident custody log beside the evidence; and writes the XML report a court "
        "bundle needs.\n\n"
        "It never writes to the source, never overwrites evidence, and never leaves a partial "
        "set that looks complete. Every failure is one line on standard error and a "
        "documented exit status.\n\n"
        "Each command is described in its own page, custos-COMMAND(1), and by custos COMMAND "
        "--help.",
    .options = custos_options,
    .n_options = sizeof(custos_options) / sizeof(custos_options[0]),
    .operands = BUILTIN_COMPLETE_NOTHING,
    .exit_status = "Every command: 0 done; 1 failed (an I/O error, a full target disk, damaged "
                   "or mismatching evidence, an interruption by SIGINT, SIGTERM or SIGHUP); 2 "
                   "wrong options or unusable input (a missing source, existing evidence, a "
                   "file that is not evidence, a FIFO or a link where a file must be); 3 "
                   "(acquire) done, but some sectors could not be read: they are zero-filled "
                   "and listed.",
    .examples = "custos devices\n"
                "Which drive is which, and which holds the running system.\n\n"
                "custos acquire /dev/sdb -o case1/disk --case-number 2026-17\n"
                "Image a drive.\n\n"
                "custos verify case1/disk.E01\n"
                "Prove it.\n\n"
                "custos report case1/disk.E01 -o case1/disk-report.xml\n"
                "Write the report for the court bundle.",
    .files = "BASE.E01, BASE.E02, ...: an evidence set.\n\n"
             "BASE.custody.xml: its custody log.\n\n"
             "BASE.resume: where an interrupted acquisition stands.",
};
