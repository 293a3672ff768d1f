/*
 * builtin.h - the contract between the dispatcher and each subcommand.
 *
 * As with git's builtins, every subcommand is a function taking its own
 * argv (argv[0] is the subcommand's name) and returning the process exit
 * status: 0 done, 1 failed, 2 usage or unusable input, 3 (acquire) done
 * with unreadable sectors.  Each lives in its module; custos.c only
 * dispatches, so that tests can call any command in-process.
 */
#ifndef CUSTOS_BUILTIN_H
#define CUSTOS_BUILTIN_H

int cmd_acquire(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_custody(int argc, char **argv);
int cmd_report(int argc, char **argv);

/* Prints "custos NAME: MESSAGE" on stderr, one line; returns `code`. */
int builtin_fail(const char *name, int code, const char *message);

#endif
