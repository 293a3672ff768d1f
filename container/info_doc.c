/*
 * info_doc.c - what `custos info` is, for --help, custos-info(1) and the
 * completion; its one option is parsed in cmd_info.c (key 'j').
 */
#include "builtin.h"

static const struct builtin_option info_options[] = {
    {"json", 'j', 0, NULL,
     "Print one JSON object: the header values (case_number, evidence_number, examiner, "
     "description, notes, model, serial, dates, operating_system, software_version), the "
     "format and geometry, the stored digests, the read errors and the segment files.",
     BUILTIN_COMPLETE_NOTHING, NULL},
};

const struct builtin_doc doc_info = {
    .name = "info",
    .run = cmd_info,
    .summary = "show what an evidence set says of itself",
    .synopsis = "custos info EVIDENCE.E01 [--json]",
    .description =
        "Prints what an EWF set (any segment of it named) says of itself, without reading the "
        "media: case number, evidence number, examiner, description, notes, model and serial "
        "number, acquisition and system dates, operating system and software, format, sectors "
        "per chunk, error granularity, compression, set identifier, media type, whether it is "
        "a physical disk, geometry and size, the stored digests, the acquisition's read errors "
        "and the segment files with their sizes: what ewfinfo shows.\n\n"
        "It checks nothing: custos verify proves the evidence.",
    .options = info_options,
    .n_options = sizeof(info_options) / sizeof(info_options[0]),
    .operands = BUILTIN_COMPLETE_EVIDENCE,
    .exit_status = "0: the set was read and described.\n\n"
                   "1: the set's read errors could not be read.\n\n"
                   "2: the file is not evidence, cannot be opened, or wrong options.",
    .examples = "custos info case1/disk.E01\n"
                "Describe the set.\n\n"
                "custos info --json case1/disk.E01 | jq -r .hashes.md5\n"
                "The MD5 the set stores.",
    .files = "BASE.E01, BASE.E02, ... (or .e01, .s01): the evidence set.",
};
