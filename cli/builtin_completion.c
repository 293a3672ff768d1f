/*
 * builtin_completion.c - the bash completion of custos, made from the
 * commands' descriptions: the commands, each command's options, the values
 * of options that take one of a few (--compression fast), files where an
 * option takes a file, and evidence (first segments and directories),
 * sources (devices and files) or verbs where the operands go.
 *
 * The script is one function, _custos, with a case per command; custos
 * prints it (custos x-completion) when it is built, and it is installed as
 * share/bash-completion/completions/custos, where bash-completion finds it
 * when custos is first completed.
 */
#include "cli/builtin.h"

#include <string.h>

static const char completion_head[] =
    "# bash completion for custos(1), made by custos from its commands' descriptions.\n"
    "\n"
    "_custos_files()\n"
    "{\n"
    "\tcompopt -o filenames 2>/dev/null\n"
    "\tCOMPREPLY=($(compgen -f -- \"$1\"))\n"
    "}\n"
    "\n"
    "# first segments of EWF sets, and directories to search for them\n"
    "_custos_evidence()\n"
    "{\n"
    "\tlocal f\n"
    "\tcompopt -o filenames 2>/dev/null\n"
    "\tCOMPREPLY=()\n"
    "\twhile IFS= read -r f; do\n"
    "\t\tif [ -d \"$f\" ]; then\n"
    "\t\t\tCOMPREPLY+=(\"$f\")\n"
    "\t\telse\n"
    "\t\t\tcase $f in *.E01 | *.e01 | *.s01) COMPREPLY+=(\"$f\") ;; esac\n"
    "\t\tfi\n"
    "\tdone < <(compgen -f -- \"$1\")\n"
    "}\n"
    "\n"
    "# block devices and files; - is standard input\n"
    "_custos_source()\n"
    "{\n"
    "\tcompopt -o filenames 2>/dev/null\n"
    "\tCOMPREPLY=($(compgen -f -- \"$1\"))\n"
    "\t[ \"$1\" = - ] && COMPREPLY+=(-)\n"
    "}\n"
    "\n"
    "_custos()\n"
    "{\n"
    "\tlocal cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}\n"
    "\tlocal opts= verbs= operands= w\n"
    "\tCOMPREPLY=()\n"
    "\tif [ \"$COMP_CWORD\" -eq 1 ]; then\n";

static const char completion_tail[] = "\t*) return ;;\n\tesac\n"
                                      "\tif [[ $cur == -* ]]; then\n"
                                      "\t\tCOMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n"
                                      "\t\treturn\n"
                                      "\tfi\n"
                                      "\tif [ -n \"$verbs\" ]; then\n"
                                      "\t\tfor w in \"${COMP_WORDS[@]:2:COMP_CWORD-2}\"; do\n"
                                      "\t\t\t[[ \" $verbs \" == *\" $w \"* ]] && verbs=\n"
                                      "\t\tdone\n"
                                      "\t\tif [ -n \"$verbs\" ]; then\n"
                                      "\t\t\tCOMPREPLY=($(compgen -W \"$verbs\" -- \"$cur\"))\n"
                                      "\t\t\treturn\n"
                                      "\t\tfi\n"
                                      "\tfi\n"
                                      "\t[ -n \"$operands\" ] && $operands \"$cur\"\n"
                                      "}\n"
                                      "\n"
                                      "complete -F _custos custos\n";

/* The options' names, for compgen -W. */
static void option_words(FILE *out, const struct builtin_option *o, size_t n)
{
	const char *sep = "";

	for (size_t i = 0; i < n; i++) {
		if (o[i].flags & BUILTIN_OPT_HIDDEN)
			continue;
		fprintf(out, "%s--%s", sep, o[i].name);
		sep = " ";
		if ((o[i].flags & BUILTIN_OPT_SHORT) && o[i].key > 0 && o[i].key < 128)
			fprintf(out, " -%c", o[i].key);
	}
}

static const char *complete_function(enum builtin_complete c)
{
	switch (c) {
	case BUILTIN_COMPLETE_FILE:
		return "_custos_files";
	case BUILTIN_COMPLETE_EVIDENCE:
		return "_custos_evidence";
	case BUILTIN_COMPLETE_SOURCE:
		return "_custos_source";
	default:
		return NULL;
	}
}

/* What follows an option that takes a value: its choices, files, or nothing. */
static void option_values(FILE *out, const struct builtin_option *o, size_t n)
{
	fputs("\t\tcase $prev in\n", out);
	for (size_t i = 0; i < n; i++) {
		const char *fn = complete_function(o[i].complete);

		if (!o[i].arg || (o[i].flags & BUILTIN_OPT_HIDDEN))
			continue;
		fprintf(out, "\t\t--%s", o[i].name);
		if ((o[i].flags & BUILTIN_OPT_SHORT) && o[i].key > 0 && o[i].key < 128)
			fprintf(out, " | -%c", o[i].key);
		if (o[i].complete == BUILTIN_COMPLETE_CHOICE && o[i].choices) {
			fputs(")\n\t\t\tCOMPREPLY=($(compgen -W \"", out);
			for (const char *const *c = o[i].choices; *c; c++)
				fprintf(out, "%s%s", c == o[i].choices ? "" : " ", *c);
			fputs("\" -- \"$cur\"))\n\t\t\treturn\n\t\t\t;;\n", out);
		} else if (fn) {
			fprintf(out, ")\n\t\t\t%s \"$cur\"\n\t\t\treturn\n\t\t\t;;\n", fn);
		} else {
			fputs(") return ;;\n", out);
		}
	}
	fputs("\t\tesac\n", out);
}

static void command_case(FILE *out, const struct builtin_doc *d)
{
	const struct builtin_option *o = d->options;
	size_t n = d->n_options;
	const char *fn = complete_function(d->operands);

	fprintf(out, "\t%s)\n\t\topts=\"", d->name);
	option_words(out, o, n);
	fputs("\"\n", out);
	if (d->words[0]) {
		fputs("\t\tverbs=\"", out);
		for (const char *const *w = d->words; *w; w++)
			fprintf(out, "%s%s", w == d->words ? "" : " ", *w);
		fputs("\"\n", out);
	}
	if (fn)
		fprintf(out, "\t\toperands=%s\n", fn);
	option_values(out, o, n);
	fputs("\t\t;;\n", out);
}

int builtin_completion(FILE *out, struct cu_error *err)
{
	fputs(completion_head, out);
	fputs("\t\tCOMPREPLY=($(compgen -W \"", out);
	for (size_t i = 0; i < builtin_commands_count; i++)
		fprintf(out, "%s ", builtin_commands[i]->name);
	fputs("help --help --version\" -- \"$cur\"))\n\t\treturn\n\tfi\n", out);
	fputs("\tcase ${COMP_WORDS[1]} in\n", out);
	for (size_t i = 0; i < builtin_commands_count; i++) {
		struct builtin_doc d;
		int rc = builtin_doc_load(&d, builtin_commands[i], err);

		if (rc)
			return rc;
		command_case(out, &d);
		builtin_doc_free(&d);
	}
	fputs("\thelp)\n\t\tCOMPREPLY=($(compgen -W \"", out);
	for (size_t i = 0; i < builtin_commands_count; i++)
		fprintf(out, "%s%s", i ? " " : "", builtin_commands[i]->name);
	fputs("\" -- \"$cur\"))\n\t\treturn\n\t\t;;\n", out);
	fputs(completion_tail, out);
	return CU_OK;
}
