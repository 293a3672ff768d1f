/*
 * mount_notes.h - what custos mount tells of the media it serves: the
 * chunks found damaged while serving it (MOUNTPOINT/.custos/damaged, and
 * one line each on standard error), and the sectors the acquisition could
 * not read (MOUNTPOINT/.custos/read_errors).
 *
 * Damage is found by the readers, at random and on several threads; each
 * damaged range is noted once, however often its chunk is read again, and
 * the file lists the ranges in sector order, with what was wrong.
 */
#ifndef CUSTOS_CONTAINER_MOUNT_MOUNT_NOTES_H
#define CUSTOS_CONTAINER_MOUNT_MOUNT_NOTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "container/evidence.h"
#include "lib/error.h"

struct mount_notes;

/*
 * Notes on `e`, named `name` for people: its read errors taken now;
 * damage as found, said on `say` (NULL: not said), which reads fail with
 * EIO unless `damaged_zero`.
 */
int mount_notes_new(struct mount_notes **out, const struct evidence *e, const char *name,
                    bool damaged_zero, FILE *say, struct cu_error *err);
void mount_notes_free(struct mount_notes *n);

/* A chunk found damaged (a mount_damage_fn: any thread). */
void mount_notes_damaged(void *notes, const struct evidence_chunk *c);

/* The text of .custos/damaged and of .custos/read_errors, as they stand (malloc'ed). */
char *mount_notes_damaged_text(struct mount_notes *n, size_t *len);
char *mount_notes_errors_text(const struct mount_notes *n, size_t *len);

#endif
