/*
 * builtin_commands.c - the commands of custos: each one's name, function
 * and description.  The descriptions are the texts beside each command's
 * code (custos.txt, acquire/cmd_acquire.txt, ...), built into custos by
 * CMake (generated/doc_*.h); the dispatcher, --help, the man pages and the
 * completion all read them from here.
 */
#include "cli/builtin.h"

#include "doc_acquire.h"
#include "doc_convert.h"
#include "doc_custody.h"
#include "doc_custos.h"
#include "doc_devices.h"
#include "doc_export.h"
#include "doc_info.h"
#include "doc_mount.h"
#include "doc_protect.h"
#include "doc_repair.h"
#include "doc_report.h"
#include "doc_verify.h"

#define TEXT(name) doc_##name, doc_##name##_len

const struct builtin_command builtin_program = {"custos", NULL, TEXT(custos), NULL};
const struct builtin_command command_acquire = {"acquire", cmd_acquire, TEXT(acquire),
                                                cmd_acquire_options};
const struct builtin_command command_verify = {"verify", cmd_verify, TEXT(verify), NULL};
const struct builtin_command command_info = {"info", cmd_info, TEXT(info), NULL};
const struct builtin_command command_export = {"export", cmd_export, TEXT(export), NULL};
const struct builtin_command command_convert = {"convert", cmd_convert, TEXT(convert), NULL};
const struct builtin_command command_custody = {"custody", cmd_custody, TEXT(custody), NULL};
const struct builtin_command command_report = {"report", cmd_report, TEXT(report), NULL};
const struct builtin_command command_devices = {"devices", cmd_devices, TEXT(devices), NULL};
const struct builtin_command command_mount = {"mount", cmd_mount, TEXT(mount), NULL};
const struct builtin_command command_protect = {"protect", cmd_protect, TEXT(protect), NULL};
const struct builtin_command command_repair = {"repair", cmd_repair, TEXT(repair), NULL};

const struct builtin_command *const builtin_commands[] = {
    &command_acquire, &command_verify,  &command_info,   &command_export,
    &command_mount,   &command_protect, &command_repair, &command_convert,
    &command_custody, &command_report,  &command_devices};
const size_t builtin_commands_count = sizeof(builtin_commands) / sizeof(builtin_commands[0]);
