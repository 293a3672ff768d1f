/*
 * builtin.h - the contract between the dispatcher and each subcommand.
 *
 * As with git's builtins, every subcommand is a function taking its own
 * argv (argv[0] is the subcommand's name) and returning the process exit
 * status: 0 done, 1 failed, 2 usage or unusable input, 3 (acquire) done
 * with unreadable sectors.  Each lives in its module; custos.c only
 * dispatches, so that tests can call any command in-process.
 *
 * Each command also describes itself once, in a text beside its code
 * (cmd_verify.txt ...): its synopsis, what it does, every option, its exit
 * status, examples and files.  Its getopt table, its --help, its man page
 * and the bash completion are all made from that one description
 * (builtin_doc.c, builtin_man.c, builtin_completion.c), so they cannot
 * disagree.
 */
#ifndef CUSTOS_BUILTIN_H
#define CUSTOS_BUILTIN_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "lib/error.h"
#include "report/custody.h"

int cmd_acquire(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_convert(int argc, char **argv);
int cmd_custody(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_devices(int argc, char **argv);
int cmd_mount(int argc, char **argv);
int cmd_protect(int argc, char **argv);
int cmd_repair(int argc, char **argv);

/* Prints "custos NAME: MESSAGE" on stderr, one line; returns `code`. */
int builtin_fail(const char *name, int code, const char *message);

/*
 * After a command: flushes and closes standard output, errors checked.
 * Output that did not reach its file (a full disk, a closed pipe) turns a
 * success `rc` into 1, with one line; a failure stays as it was.
 */
int builtin_output_close(const char *name, int rc);

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

/* acquire's options are its table of settings (acquire/settings.h), made into these. */
size_t cmd_acquire_options(struct builtin_option *out, size_t cap);

/*
 * A command as the dispatcher knows it: its name, its function, and its
 * description, a text kept beside its code (cmd_verify.txt ...) and built
 * into custos.  acquire's options are its settings table (options_of).
 */
struct builtin_command {
	const char *name;
	int (*run)(int argc, char **argv); /* NULL for custos itself */
	const unsigned char *text;
	size_t len;
	size_t (*options_of)(struct builtin_option *out, size_t cap);
};

/* custos itself (custos.txt), and its commands, in the order custos(1) lists them. */
extern const struct builtin_command builtin_program;
extern const struct builtin_command *const builtin_commands[];
extern const size_t builtin_commands_count;
extern const struct builtin_command command_acquire, command_verify, command_info, command_export,
    command_convert, command_custody, command_report, command_devices, command_mount,
    command_protect, command_repair;

#define BUILTIN_OPTIONS_MAX 80
#define BUILTIN_WORDS_MAX   8
#define BUILTIN_CHOICES_MAX 64

/* A command's description, read from its text: what --help, the page and the completion show. */
struct builtin_doc {
	const char *name;
	const char *summary;     /* one line, no final stop */
	const char *synopsis;    /* lines, each a way to call it */
	const char *description; /* paragraphs, a blank line between them */
	const char *exit_status, *examples, *files;
	struct builtin_option options[BUILTIN_OPTIONS_MAX]; /* --help last */
	size_t n_options;
	const char *words[BUILTIN_WORDS_MAX + 1]; /* the first operand's words ("add", ...) */
	enum builtin_complete operands;           /* what the other operands are */
	const char *choices[BUILTIN_CHOICES_MAX]; /* the options' choices, NULL after each list */
	char *text;                               /* the copy every string points into */
};

/*
 * Reads a command's description.  The text holds sections, each begun by a
 * line "== NAME": "command" (summary, operands, words: "key value" lines),
 * "synopsis", "description", "exit status", "examples", "files", and one
 * "option --NAME [ARG]" per option, whose first lines are its attributes
 * (key C, short, hidden, complete file|evidence|source|nothing, choices
 * A B C) and the rest its help.  Lines before the first section that start
 * with '#' are comments.  A text that does not hold to this is CU_EFAIL.
 */
int builtin_doc_load(struct builtin_doc *d, const struct builtin_command *c, struct cu_error *err);
void builtin_doc_free(struct builtin_doc *d);

/*
 * getopt_long's table and short-option string for a command's options
 * (--help included, as 'h').  `out` holds BUILTIN_OPTIONS_MAX + 1.
 */
void builtin_getopt(const struct builtin_doc *d, struct option *out, char *shorts, size_t cap);

/*
 * Runs getopt_long over argv with the command's options, from argv[first],
 * calling `take` for each (with its key, its name and its value); --help
 * prints the usage on stdout.  Returns 0 when the options are read (optind
 * then points at the operands), -1 when --help was printed, or what `take`
 * returned; an unknown option, or one without its value, is CU_EUSAGE with
 * a message naming it.
 */
int builtin_parse(const struct builtin_command *c, int argc, char **argv, int first,
                  int (*take)(void *ctx, int key, const char *name, const char *value,
                              struct cu_error *err),
                  void *ctx, struct cu_error *err);

/*
 * --by NAME, --sign-key KEY.pem, --sign-cert CERT.pem (keys 'b', 'k', 'c'):
 * who a custody event is by, and who signs it; --tsa URL, --tsa-ca CA.pem,
 * --tsa-policy OID, --tsa-optional (keys 'U', 'Q', 'P', 'O'): who stamps it
 * with the time (builtin_signing.c).
 */
struct sign_signer;
struct tsa_client;
struct builtin_signing {
	const char *by, *sign_key, *sign_cert;
	const char *tsa_url, *tsa_ca, *tsa_policy;
	bool tsa_optional;
	struct sign_signer *signer; /* loaded by settle; NULL: unsigned */
	struct tsa_client *tsa;     /* made by settle; NULL: not stamped */
	struct custody_seal seal;   /* both, as the custody log takes them */
};

/* Takes `key`'s value into `s`; false when the key is none of the seven. */
bool builtin_signing_take(struct builtin_signing *s, int key, const char *value);
/*
 * Once every option is read: --by checked (default: the user), the signer
 * loaded, the TSA's options checked and its CA loaded (the TSA is not yet
 * asked anything: builtin_signing_probe).
 */
int builtin_signing_settle(struct builtin_signing *s, struct cu_error *err);
/* With --tsa: one stamp asked for and checked now, before anything is written. */
int builtin_signing_probe(const struct builtin_signing *s, struct cu_error *err);
void builtin_signing_free(struct builtin_signing *s);

/* The --help text. */
void builtin_usage(const struct builtin_doc *d, FILE *out);

/* The man page of `c`, in roff. */
int builtin_man(const struct builtin_command *c, FILE *out, struct cu_error *err);

/* The bash completion of every command. */
int builtin_completion(FILE *out, struct cu_error *err);

#endif
