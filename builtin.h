/*
 * builtin.h - the contract between the dispatcher and each subcommand.
 *
 * As with git's builtins, every subcommand is a function taking its own
 * argv (argv[0] is the subcommand's name) and returning the process exit
 * status: 0 done, 1 failed, 2 usage or unusable input, 3 (acquire) done
 * with unreadable sectors.  Each lives in its module; custos.c only
 * dispatches, so that tests can call any command in-process.
 *
 * Each command also describes itself once, in a struct builtin_doc beside
 * its code: its synopsis, what it does, every option, its exit status,
 * examples and files.  Its getopt table, its --help, its man page and the
 * bash completion are all made from that one description (builtin_doc.c,
 * builtin_man.c, builtin_completion.c), so they cannot disagree.
 */
#ifndef CUSTOS_BUILTIN_H
#define CUSTOS_BUILTIN_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "lib/error.h"

int cmd_acquire(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_custody(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_devices(int argc, char **argv);

/* Prints "custos NAME: MESSAGE" on stderr, one line; returns `code`. */
int builtin_fail(const char *name, int code, const char *message);

/* What the completion offers for an option's value or a command's operands. */
enum builtin_complete {
	BUILTIN_COMPLETE_NOTHING,  /* free text, or a number */
	BUILTIN_COMPLETE_FILE,     /* any file */
	BUILTIN_COMPLETE_EVIDENCE, /* first segments (.E01, .e01, .s01) and directories */
	BUILTIN_COMPLETE_SOURCE,   /* block devices and files */
	BUILTIN_COMPLETE_CHOICE    /* one of the option's `choices` */
};

#define BUILTIN_OPT_SHORT  0x01 /* `key` is also its short option, -KEY */
#define BUILTIN_OPT_HIDDEN 0x02 /* for tests: accepted, but in no help, page or completion */

struct builtin_option {
	const char *name; /* the long option, without "--" */
	int key;          /* what getopt_long returns for it */
	unsigned flags;   /* BUILTIN_OPT_* */
	const char *arg;  /* the value's name ("FILE"); NULL for a flag */
	const char *help; /* what it does: sentences */
	enum builtin_complete complete;
	const char *const *choices; /* NULL-terminated, for BUILTIN_COMPLETE_CHOICE */
};

struct builtin_doc {
	const char *name;                  /* "verify"; "custos" for the program itself */
	int (*run)(int argc, char **argv); /* NULL for custos itself */
	const char *summary;               /* one line, no final stop */
	const char *synopsis;              /* lines, each a way to call it */
	const char *description;           /* paragraphs, a blank line between them */
	const struct builtin_option *options;
	size_t n_options;
	/* when the options live elsewhere (acquire's settings): fills `out` */
	size_t (*options_of)(struct builtin_option *out, size_t cap);
	const char *const *words;       /* the first operand's words ("add", ...), or NULL */
	enum builtin_complete operands; /* what the other operands are */
	const char *exit_status;        /* paragraphs */
	const char *examples;           /* "COMMAND LINE\nwhat it does\n\n" ... */
	const char *files;              /* paragraphs */
};

extern const struct builtin_doc doc_custos, doc_acquire, doc_verify, doc_info, doc_export,
    doc_custody, doc_report, doc_devices;

/* The commands, in the order custos(1) lists them: the dispatcher's table. */
extern const struct builtin_doc *const builtin_docs[];
extern const size_t builtin_docs_count;

#define BUILTIN_OPTIONS_MAX 80

/* The options of a command, --help last (hidden ones included); returns how many. */
size_t builtin_options(const struct builtin_doc *d, struct builtin_option *out, size_t cap);

/*
 * getopt_long's table and short-option string for a command's options
 * (--help included, as 'h').  `out` holds BUILTIN_OPTIONS_MAX + 1.
 */
void builtin_getopt(const struct builtin_doc *d, struct option *out, char *shorts, size_t cap);

/*
 * Runs getopt_long over argv with the command's options, from argv[first],
 * calling `take` for each; --help prints the usage on stdout.  Returns 0
 * when the options are read (optind then points at the operands), -1 when
 * --help was printed, or what `take` returned; an unknown option, or one
 * without its value, is CU_EUSAGE with a message naming it.
 */
int builtin_parse(const struct builtin_doc *d, int argc, char **argv, int first,
                  int (*take)(void *ctx, int key, const char *value, struct cu_error *err),
                  void *ctx, struct cu_error *err);

/* The --help text. */
void builtin_usage(const struct builtin_doc *d, FILE *out);

/* The man page of `d`, in roff. */
void builtin_man(const struct builtin_doc *d, FILE *out);

/* The bash completion of every command. */
void builtin_completion(FILE *out);

#endif
