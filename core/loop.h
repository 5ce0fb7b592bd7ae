/*
 * loop: axl's single-threaded event loop.
 *
 * One poll(2) drives libxl (libxl_osevent_beforepoll/afterpoll), axl's own
 * file descriptors and timers, and signals.  A signal handler only
 * records a signal and wakes the loop (or, when axl is stuck where the
 * loop cannot turn, ends it); everything else runs from the loop.  SIGCHLD belongs to the loop
 * (libxl_sigchld_owner_mainloop), and every child libxl forks gets the
 * original signal mask back and a session of its own, so a terminal's
 * Ctrl-C reaches axl alone and axl decides what to cancel.
 */
#ifndef AXL_LOOP_H
#define AXL_LOOP_H

#include <stdbool.h>
#include <stdint.h>
#include <libxl.h>

#include "esc.h"

struct loop;
struct loop_timer;

typedef void loop_fd_fn(struct loop *lp, int fd, short revents, void *user);
typedef void loop_timer_fn(struct loop *lp, void *user);
typedef void loop_signal_fn(struct loop *lp, int signo, void *user);
/* A child of axl's own has ended; status as waitpid() gives it. */
typedef void loop_child_fn(struct loop *lp, pid_t pid, int status,
                           void *user);
/* A libxl event; the callee owns ev (libxl_event_free()). */
typedef void loop_event_fn(struct loop *lp, libxl_event *ev, void *user);

/*
 * Take the signals the loop handles (SIGINT, SIGTERM and SIGHUP through
 * a handler, SIGCHLD through a signalfd) and create the loop, without a
 * libxl context yet.  Call first thing in main(), before any thread or
 * child exists.  Returns 0 or -1 with errno set.
 */
int loop_init(struct loop **lp_r);

/*
 * Allocate the libxl context, with the loop's child-process hooks.
 * Returns 0 or a libxl error code (e.g. no Xen here).  lg must outlive
 * the loop.
 */
int loop_open_libxl(struct loop *lp, xentoollog_logger *lg);

/*
 * Reap a child axl forked itself (a console client) when it ends, and
 * call fn then, from the loop.  As many as memory allows; -1 (ENOMEM)
 * if it does not.
 */
int loop_watch_child(struct loop *lp, pid_t pid, loop_child_fn *fn,
                     void *user);
/* Forget the watch of pid: fn is not called; the caller reaps it. */
void loop_unwatch_child(struct loop *lp, pid_t pid);
/*
 * In a child axl forked, before exec: the signal mask and dispositions
 * axl started with.
 */
void loop_child_reset(void);

/*
 * Where a libxl event goes: everyone who enables one (libxl_evenable_*)
 * passes a sink that outlives the watch, as its for_user:
 * (libxl_ev_user)(uintptr_t)&sink.  The loop hands each event to its
 * sink's fn, which owns (and frees) it.  An event without a sink is
 * dropped.
 */
struct loop_event_sink {
    loop_event_fn *fn;
    void *user;
};
#define LOOP_EV_USER(sinkp) ((libxl_ev_user)(uintptr_t)(sinkp))

/*
 * Free the libxl context, if any, the modules' state (loop_slot()) and
 * the loop; restores the signal mask and dispositions axl started with.
 * A signal still pending then acts as it would have without axl; one the
 * loop's handler kept and never handed over is returned (0: none), for
 * the caller to raise once it has said and flushed what it must.
 */
int loop_dispose(struct loop *lp);

/*
 * Synchronous work: calls into libxl outside the loop (opening libxl,
 * listing, a command's preparation), which no ao_abort can interrupt.
 * Between loop_sync_begin() and loop_sync_end(), with nothing in flight
 * (see loop_busy()), none ended yet and die_idle, a cancelling signal
 * ends axl at once with 128+N: there is nothing to clean up.  Once an
 * operation has ended, its outcome is not to be lost to a silent death:
 * see loop_end_signals().  Otherwise it is kept for the
 * loop, as always (a SIGINT is dropped if nothing is in flight by then),
 * and the user is told the call cannot be interrupted.  Wherever axl is
 * stuck, a third signal the loop has not taken exits at once.  Sections
 * nest.
 */
void loop_sync_begin(struct loop *lp);
void loop_sync_end(struct loop *lp);

/*
 * The rule for signals during synchronous work: die_idle (the one-shot
 * command: true, the default; the shell, which must survive a Ctrl-C:
 * false).
 */
void loop_sync_rules(struct loop *lp, bool die_idle);

/* Operations in flight: +1 when one starts, -1 when it is done. */
void loop_busy(struct loop *lp, int delta);
int loop_busy_count(const struct loop *lp);
/* How many times work began (loop_busy() up): a moment's mark. */
uint64_t loop_busy_starts(const struct loop *lp);

/*
 * The one-shot run is over, just before loop_dispose(): the cancelling
 * signals are held off from now on (loop_dispose() restores the mask),
 * and the first that came once the work was done (no operation in
 * flight, one ended) is taken and returned (0: none), for the caller to
 * say so rather than die of it with the work's outcome unsaid.
 */
int loop_end_signals(struct loop *lp);

/*
 * What a core module keeps for one loop (one libxl context) rather than
 * for the whole process: its tables, its xenstore connections.  Each
 * module's state is its own, private to its file; the loop only holds
 * it, by the module's slot, and frees it in loop_dispose() (after the
 * libxl context) with the function the module gave.
 */
enum loop_slot {
    LOOP_SLOT_JOURNAL,      /* journal.c: live records, children */
    LOOP_SLOT_WAIT,         /* wait.c: xenstore handles, suspend watches */
    LOOP_SLOT_BALLOON,      /* op_balloon.c: creates counting on memory */
    LOOP_SLOT_WORKER,       /* op_worker.c: builds running and waiting */
    LOOP_SLOT_DOMAINS,      /* op.c: the domains' list the looks share */
    LOOP_N_SLOTS
};

/* Frees a module's state: what it holds, then the state itself. */
typedef void loop_slot_free_fn(void *state);

/*
 * The state in slot, made on first use: size bytes, zeroed (a module's
 * state starts as all zeros), owned by the loop from then on and freed
 * by free_fn when the loop is, never by the module.  NULL if it cannot
 * be allocated: nothing is kept, and the next call tries again.  A
 * module passes the same size and free_fn every time, or size 0 to look
 * only: the state if there is one, else NULL, nothing made.  It may
 * allocate: not for a signal handler.
 */
void *loop_slot(struct loop *lp, enum loop_slot slot, size_t size,
                loop_slot_free_fn *free_fn);

/* The libxl context, or NULL before loop_open_libxl succeeded. */
libxl_ctx *loop_ctx(struct loop *lp);
/* The logger libxl was given (NULL before loop_open_libxl()). */
xentoollog_logger *loop_logger(struct loop *lp);

/*
 * Watch fd for events (POLLIN...); one watch per fd, as many as memory
 * allows.  Returns 0 or -1.  Watching an fd anew (after an unwatch, or
 * over a watch of it) starts a new watch: a poll result the loop holds
 * for the old one is never handed to the new one.
 */
int loop_watch_fd(struct loop *lp, int fd, short events, loop_fd_fn *fn,
                  void *user);
void loop_unwatch_fd(struct loop *lp, int fd);

/*
 * Call fn once, ms milliseconds from now.  The timer is freed after it
 * fires or when cancelled.  Returns NULL on allocation failure.  One
 * that a timer's fn adds runs on a later turn of the loop, after a
 * poll, even at 0 ms: a timer can yield to the loop.
 */
struct loop_timer *loop_timer_add(struct loop *lp, uint64_t ms,
                                  loop_timer_fn *fn, void *user);
void loop_timer_cancel(struct loop *lp, struct loop_timer *t);

/*
 * Deliver SIGINT, SIGTERM, SIGHUP (and any signal added with
 * loop_catch_signal) to fn, from the loop.  One handler per loop.
 */
void loop_on_signal(struct loop *lp, loop_signal_fn *fn, void *user);
int loop_catch_signal(struct loop *lp, int signo);

/*
 * Run one iteration: wait at most timeout_ms (-1: no limit) for
 * something to happen, then dispatch it.  Returns 0, or -1 on a fatal
 * poll error (errno set).  Callbacks run from inside this call.
 */
int loop_iterate(struct loop *lp, int timeout_ms);

/* Run until done(user) is true.  Returns 0 or -1 as loop_iterate(). */
int loop_run_until(struct loop *lp, bool (*done)(void *user), void *user);

/* Milliseconds on the monotonic clock; for measurements and timers. */
uint64_t loop_now_ms(void);

/* Nanoseconds on the monotonic clock. */
uint64_t loop_now_ns(void);

/*
 * Flush stdio, reset signo to its default action and raise it, so the
 * process dies of it (exit status 128+signo).  Returns only if the
 * signal did not kill us.
 */
void loop_die_of_signal(int signo);

#endif
