/*
 * esc: how repeated cancelling signals escalate.
 *
 * The first signal cancels, the second abandons the cleanup, the third
 * ends the wait (the one-shot command and a terminating shell exit at
 * once; the shell's foreground stops waiting).  One counter per thing
 * being cancelled; the rules are the same for every caller, only what
 * the final step does differs.
 *
 * When two different signals arrive, the exit status reports the
 * higher-ranked one: SIGTERM and SIGHUP (someone wants axl gone) rank
 * above SIGINT (a user at the terminal); between equals, the latest.  So
 * a supervisor that sends SIGTERM during a Ctrl-C's cleanup sees 143.
 */
#ifndef AXL_ESC_H
#define AXL_ESC_H

#include <signal.h>

enum esc_step {
    ESC_NONE,
    ESC_CANCEL,     /* first signal: cancel */
    ESC_ABANDON,    /* second: abandon the cleanup */
    ESC_FINAL,      /* third and later: exit at once, or stop waiting */
};

struct esc {
    volatile sig_atomic_t count;
    volatile sig_atomic_t last;     /* the latest signal */
    volatile sig_atomic_t prev;     /* the one before it */
    volatile sig_atomic_t status;   /* the signal the status reports */
};

/* Start counting afresh. */
void esc_reset(struct esc *e);

/* Count signo; returns the step it takes the escalation to. */
enum esc_step esc_count(struct esc *e, int signo);

/*
 * The signal the exit status reports (see the ranking above); 0 if none
 * was counted.
 */
int esc_status_signal(const struct esc *e);

/*
 * The start of a message about the latest signal counted: "Interrupt",
 * or "Interrupt again" when the one before it was the same.  Returns a
 * static string.
 */
const char *esc_words(const struct esc *e);

/* A short fixed name for the signals axl catches ("Interrupt", ...). */
const char *esc_signame(int signo);

#endif
