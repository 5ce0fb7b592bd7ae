/*
 * esc: counting cancelling signals, and which one the status reports.
 */
#include <signal.h>

#include "esc.h"

void esc_reset(struct esc *e)
{
    e->count = 0;
    e->last = 0;
    e->prev = 0;
    e->status = 0;
}

/* SIGTERM and SIGHUP ask for axl to go; they outrank a SIGINT. */
static int esc_rank(int signo)
{
    return signo == SIGINT ? 1 : 2;
}

enum esc_step esc_count(struct esc *e, int signo)
{
    if (!e->status || esc_rank(signo) >= esc_rank(e->status))
        e->status = signo;
    e->prev = e->last;
    e->last = signo;
    if (e->count < ESC_FINAL)
        e->count++;
    return (enum esc_step)e->count;
}

int esc_status_signal(const struct esc *e)
{
    return e->status;
}

const char *esc_signame(int signo)
{
    switch (signo) {
    case SIGINT: return "Interrupt";
    case SIGTERM: return "Terminated";
    case SIGHUP: return "Hangup";
    default: return "Signal";
    }
}

const char *esc_words(const struct esc *e)
{
    int signo = e->last;
    static const char *const again[] = { "Interrupt again",
                                         "Terminated again",
                                         "Hangup again", "Signal again" };
    int i = signo == SIGINT ? 0 : signo == SIGTERM ? 1
            : signo == SIGHUP ? 2 : 3;

    return e->prev == signo ? again[i] : esc_signame(signo);
}
