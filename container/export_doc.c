/*
 * export_doc.c - what `custos export` is, for --help, custos-export(1) and
 * the completion; its options are parsed in cmd_export.c (keys 'o', 'r').
 */
#include "builtin.h"

static const struct builtin_option export_options[] = {
    {"output", 'o', BUILTIN_OPT_SHORT, "FILE|DEVICE",
     "Where the media goes: a raw image file, or a drive, written in place. Required.",
     BUILTIN_COMPLETE_FILE, NULL},
    {"replace", 'r', 0, NULL,
     "Replace an existing FILE. A file of the evidence set, or its custody log, is refused "
     "even so.",
     BUILTIN_COMPLETE_NOTHING, NULL},
};

const struct builtin_doc doc_export = {
    .name = "export",
    .run = cmd_export,
    .summary = "write the media back as a raw image or onto a drive",
    .synopsis = "custos export EVIDENCE.E01 -o FILE|DEVICE [--replace]",
    .description =
        "Writes the media an EWF set holds back, byte for byte, as a raw image, or onto a "
        "drive, checking the stored digests in the same pass.\n\n"
        "Before anything is written, the set must be whole (its chain of segment files, as "
        "verify walks it) and its media size known; otherwise nothing is written. A file is "
        "written as FILE.partial and renamed to FILE only when every byte of the media is in "
        "it and synced; a failed export removes FILE.partial. An existing FILE is refused "
        "unless --replace. A drive is opened exclusively (a mounted one is refused), and "
        "refused when smaller than the media.\n\n"
        "Damage within chunks, or a digest that does not match, still writes the data, but "
        "exits 1 with a line saying why.",
    .options = export_options,
    .n_options = sizeof(export_options) / sizeof(export_options[0]),
    .operands = BUILTIN_COMPLETE_EVIDENCE,
    .exit_status = "0: written, and every stored digest matches.\n\n"
                   "1: the set is damaged or does not match its digests (a whole image is "
                   "kept, and the message says what is wrong), its chain of segments is not "
                   "whole (nothing is written), or a write failed.\n\n"
                   "2: the evidence cannot be opened, the target is refused, or wrong "
                   "options.",
    .examples = "custos export case1/disk.E01 -o disk.raw\n"
                "Write the media as a raw image, for a tool that reads no E01.\n\n"
                "custos export case1/disk.E01 -o /dev/sdc\n"
                "Restore the media onto a drive at least as large.",
    .files = "BASE.E01, BASE.E02, ...: the evidence set, read.\n\n"
             "FILE.partial: the image while it is written.",
};
