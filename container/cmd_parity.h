/*
 * cmd_parity.h - what protect, repair, verify and acquire share of a set's
 * parity (not a public interface): the set, its custody log and the files
 * the log records, checked as hostile input, and par2 run on them.
 *
 * The custody log says which files are the set's (the record's segments,
 * with their SHA-256) and which are its parity (the "protected" event's
 * files, with theirs).  Nothing else beside the set is ever handed to par2:
 * it is run in a private directory of links to exactly the recorded parity
 * files, each checked first (a regular file, not a link or a FIFO, of the
 * size and SHA-256 recorded), so that a parity file of another set, or one
 * damaged or planted, is refused with a line naming it.
 */
#ifndef CUSTOS_CONTAINER_CMD_PARITY_H
#define CUSTOS_CONTAINER_CMD_PARITY_H

#include <stdbool.h>
#include <stddef.h>

#include "container/parity/parity.h"
#include "lib/error.h"
#include "report/custody.h"

struct parity_set {
	char first[4096]; /* the set's first file */
	char dir[4096];   /* the directory of its files */
	char *log_path;   /* its custody log */
	struct custody_log *log;
	struct custody_segment *segments; /* the record's */
	size_t n_segments;
	struct custody_parity parity; /* the newest "protected" event's; n 0: none */
	enum parity_format format;    /* the parity's, as the event records it */
};

/*
 * Opens the set any of whose names is `evidence`, its custody log checked
 * whole (chain, signatures) and, when `bound`, bound to the set as it
 * reads now (a repair's set may not read: its log is checked by chain,
 * and the repaired set by a full verify).
 */
int parity_set_open(struct parity_set *ps, const char *evidence, bool bound, struct cu_error *err);
void parity_set_close(struct parity_set *ps);

/* The path of file `name` beside the set. */
int parity_set_path(const struct parity_set *ps, const char *name, char *out, size_t cap,
                    struct cu_error *err);

/* Which recorded segments are missing or differ from their record (sizes, SHA-256). */
int parity_set_damaged(const struct parity_set *ps, bool *damaged, size_t *n_damaged,
                       struct cu_error *err);

/* Every recorded parity file present, regular, of its recorded size and SHA-256. */
int parity_set_check_parity(const struct parity_set *ps, struct cu_error *err);

/*
 * A private directory beside the set (DIR/.BASE.parity.XXXXXX) holding
 * links to the recorded parity files and, with `segments`, to each segment
 * present; *index is the link to the parity's index in it (BASE.par2, BASE.rsp).
 */
int parity_stage_make(const struct parity_set *ps, bool segments, char *stage, size_t cap,
                      char *index, size_t index_cap, struct cu_error *err);
/* Removes the stage and everything in it (links, and what par2 wrote there). */
void parity_stage_remove(const char *stage);

/* The set judged by its parity (parity_verify): intact, repairable or not. */
int parity_set_assess(const struct parity_set *ps, struct parity_check *out, struct cu_error *err);

#endif
