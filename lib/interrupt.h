/*
 * interrupt.h - SIGINT, SIGTERM and SIGHUP as requests, never as deaths.
 *
 * The dispatcher blocks the three for the whole process before a command
 * runs (threads created later inherit the mask), so that no signal's
 * default action ends custos half-way.  A command that works for long
 * asks cu_interrupt_pending() at its natural stopping points (between
 * blocks of media) and leaves through its own door: partial output
 * removed, one line, exit 1.  The question is the kernel's pending set
 * (sigpending), so no state is kept here; acquire reads the same signals
 * from a signalfd instead, which takes them from that set.
 */
#ifndef CUSTOS_LIB_INTERRUPT_H
#define CUSTOS_LIB_INTERRUPT_H

#include <signal.h>

#include "lib/error.h"

/* Blocks SIGINT, SIGTERM and SIGHUP in the calling thread; the previous mask into `old`. */
int cu_interrupt_block(sigset_t *old);

/* A signalfd of the three (non-blocking), for a command that waits in poll(); -1 on failure. */
int cu_interrupt_fd(void);

/* The first of SIGINT, SIGTERM, SIGHUP that is pending, or 0; it stays pending. */
int cu_interrupt_pending(void);

/* As cu_interrupt_pending, taking every pending one (so none acts once unblocked). */
int cu_interrupt_take(void);

/* CU_EFAIL, "interrupted by SIGTERM" (and `what`, when given), when one is pending; else CU_OK. */
int cu_interrupt_check(const char *what, struct cu_error *err);

#endif
