/*
 * loop: poll(2) over libxl's fds, axl's fds, signals and timers.
 *
 * The cancelling signals (SIGINT, SIGTERM, SIGHUP) are never blocked: a
 * handler records them and wakes the loop through a pipe, so the loop
 * hands them over between two events.  Never blocking them is what lets
 * a signal end work that is stuck where the loop cannot turn: in a call
 * into libxl that waits on a wedged xenstored.  SIGCHLD and the extra
 * signals (SIGWINCH) stay blocked and are read from a signalfd.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "journal.h"
#include "log.h"
#include "loop.h"
#include "proc.h"
#include "vec.h"

#define LOOP_MAX_PENDING 8
/*
 * Signals pile up while a call into libxl runs.  A third one means the
 * call is stuck only once the first has waited this long: a burst (a
 * storm of signals during a short call) is not a stuck axl.
 */
#define LOOP_STUCK_NS 1000000000ull
/* Marks a signal that arrived during synchronous work. */
#define LOOP_SIG_SYNC 0x1000
/* ... and came once the work was done (see loop_end_signals()) */
#define LOOP_SIG_LATE 0x2000
#define LOOP_SIG_NO(v) ((v) & ~(LOOP_SIG_SYNC | LOOP_SIG_LATE))

struct loop_watch {
    int fd;                 /* -1: free slot */
    short events;
    /*
     * Which watching this is: each loop_watch_fd() takes a new one, so
     * that an iteration never hands a poll result to a watch that was
     * dropped and made again meanwhile (the fd number reused, the user
     * pointer another).
     */
    unsigned gen;
    loop_fd_fn *fn;
    void *user;
};

struct loop_timer {
    uint64_t deadline_ms;
    uint64_t seq;               /* the order they were added in */
    loop_timer_fn *fn;
    void *user;
    struct loop_timer *next;
};

/* A child of axl's own (not libxl's), reaped by the loop. */
struct loop_child {
    pid_t pid;              /* 0: free slot */
    loop_child_fn *fn;
    void *user;
};

struct loop {
    libxl_ctx *ctx;
    struct loop_child *children;      /* as many as are watched */
    size_t n_children, children_alloc;
    xentoollog_logger *lg;
    int sigfd;
    sigset_t caught;
    loop_signal_fn *on_signal;
    void *signal_user;
    struct loop_watch *watches;       /* as many as are watched */
    size_t n_watches, watches_alloc;
    unsigned watch_gen;
    struct loop_watch *snap;          /* an iteration's copy of them */
    int snap_alloc;
    struct loop_timer *timers;        /* sorted by deadline */
    struct pollfd *pfds;
    int pfds_alloc;
    volatile sig_atomic_t busy;       /* operations in flight */
    uint64_t busy_starts;             /* loop_busy_starts() */
    uint64_t timer_seq;               /* timers added so far */
    volatile sig_atomic_t die_idle;   /* see loop_sync_rules() */
    volatile sig_atomic_t worked;     /* an operation has ended */
    bool ended;             /* loop_end_signals(): cancels blocked since */
    /* Signals caught during synchronous work, for the next iteration. */
    volatile sig_atomic_t pending[LOOP_MAX_PENDING];
    volatile sig_atomic_t n_pending;
    volatile uint64_t pending_since;  /* when the first of them came (ns) */
    volatile sig_atomic_t in_poll;    /* the loop waits: all is well */
    volatile sig_atomic_t in_sync;    /* depth of loop_sync_begin() */
    int wake[2];                      /* the handler's pipe */
    /* The modules' state of this loop (loop_slot()), and its ends. */
    void *slot[LOOP_N_SLOTS];
    loop_slot_free_fn *slot_free[LOOP_N_SLOTS];
};

/*
 * The mask and dispositions axl started with.  Children libxl forks get
 * the mask back; loop_dispose() restores both.  Process-wide state by
 * nature, set once in loop_init().
 */
static sigset_t loop_orig_mask;
static struct sigaction loop_orig_act[3], loop_orig_pipe, loop_orig_usr[2];

/* The signals that cancel, then SIGCHLD. */
static const int loop_default_signals[] = { SIGINT, SIGTERM, SIGHUP,
                                            SIGCHLD };
#define LOOP_N_CANCEL 3

/* The cancelling signals, as a set. */
static void loop_cancel_set(sigset_t *set)
{
    size_t i;

    sigemptyset(set);
    for (i = 0; i < LOOP_N_CANCEL; i++)
        sigaddset(set, loop_default_signals[i]);
}

/*
 * The loop the signal handler records for; one per process, as the
 * handler is: the last loop_init() made.  A second loop takes the
 * signals over, and its loop_init() keeps as "started with" (above) the
 * mask and dispositions the first loop set.
 */
static struct loop *loop_sig_lp;

uint64_t loop_now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t loop_now_ms(void)
{
    return loop_now_ns() / 1000000u;
}

/*
 * libxl's fork: its children (hotplug scripts, the bootloader, the save
 * helper, the device model) as proc.h makes a session's, named in the
 * journal.
 */
static pid_t loop_fork(void *user)
{
    struct proc_spec spec = PROC_SPEC(PROC_SESSION);

    spec.journal = user;
    spec.keep_files = true;
    return proc_fork(&spec);
}

static const libxl_childproc_hooks loop_child_hooks = {
    .chldowner = libxl_sigchld_owner_mainloop,
    .fork_replacement = loop_fork,
};

/* libxl's events (a domain's death...) reach whoever asked for them. */
static void loop_event_occurs(void *user, libxl_event *ev)
{
    struct loop *lp = user;
    struct loop_event_sink *sink =
        (struct loop_event_sink *)(uintptr_t)ev->for_user;

    if (sink && sink->fn)
        sink->fn(lp, ev, sink->user);
    else
        libxl_event_free(lp->ctx, ev);
}

static void loop_event_disaster(void *user, libxl_event_type type,
                                const char *msg, int errnoval)
{
    struct loop *lp = user;

    (void)type;
    if (lp->lg)
        xtl_log(lp->lg, XTL_CRITICAL, errnoval, "axl",
                "libxl cannot deliver events: %s", msg);
}

static const libxl_event_hooks loop_event_hooks = {
    .event_occurs_mask = LIBXL_EVENTMASK_ALL,
    .event_occurs = loop_event_occurs,
    .disaster = loop_event_disaster,
};

static void loop_on_cancel_signal(int signo);

static int loop_iterate_now(struct loop *lp, int timeout_ms);

int loop_init(struct loop **lp_r)
{
    struct sigaction sa;
    struct loop *lp = NULL;
    sigset_t cancel;
    size_t i;
    int rc = -1;

    lp = calloc(1, sizeof(*lp));
    if (!lp)
        goto out;
    lp->sigfd = -1;
    lp->wake[0] = lp->wake[1] = -1;
    lp->die_idle = 1;
    if (pipe2(lp->wake, O_NONBLOCK | O_CLOEXEC) < 0)
        goto out;

    /* SIGCHLD is read from the signalfd; it must stay blocked. */
    sigemptyset(&lp->caught);
    sigaddset(&lp->caught, SIGCHLD);
    if (sigprocmask(SIG_BLOCK, &lp->caught, &loop_orig_mask) < 0)
        goto out;
    lp->sigfd = signalfd(-1, &lp->caught, SFD_NONBLOCK | SFD_CLOEXEC);
    if (lp->sigfd < 0)
        goto out;

    loop_cancel_set(&cancel);
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = loop_on_cancel_signal;
    sa.sa_mask = cancel;
    sa.sa_flags = SA_RESTART;
    loop_sig_lp = lp;
    for (i = 0; i < LOOP_N_CANCEL; i++) {
        sigaction(loop_default_signals[i], NULL, &loop_orig_act[i]);
        /*
         * nohup's ignored SIGHUP stays ignored.  An ignored SIGINT is
         * taken: a shell without job control ignores it in the commands
         * it puts in the background, and a kill -INT (or the terminal's
         * Ctrl-C) then still cancels cleanly rather than not at all.
         */
        if (loop_default_signals[i] != SIGHUP ||
            loop_orig_act[i].sa_handler != SIG_IGN)
            sigaction(loop_default_signals[i], &sa, NULL);
    }
    sigaction(SIGPIPE, NULL, &loop_orig_pipe);
    sigaction(SIGUSR1, NULL, &loop_orig_usr[0]);    /* for the children */
    sigaction(SIGUSR2, NULL, &loop_orig_usr[1]);
    signal(SIGPIPE, SIG_IGN);
    /* A cancelling signal blocked by whoever started us is ours now. */
    sigprocmask(SIG_UNBLOCK, &cancel, NULL);
    *lp_r = lp;
    lp = NULL;
    rc = 0;
out:
    if (lp) {
        int e = errno;

        sigprocmask(SIG_SETMASK, &loop_orig_mask, NULL);
        if (lp->sigfd >= 0)
            close(lp->sigfd);
        if (lp->wake[0] >= 0) {
            close(lp->wake[0]);
            close(lp->wake[1]);
        }
        free(lp);
        errno = e;
    }
    return rc;
}

int loop_open_libxl(struct loop *lp, xentoollog_logger *lg)
{
    int rc;

    rc = libxl_ctx_alloc(&lp->ctx, LIBXL_VERSION, 0, lg);
    if (rc) {
        lp->ctx = NULL;
        return rc;
    }
    lp->lg = lg;
    libxl_childproc_setmode(lp->ctx, &loop_child_hooks, lp);
    libxl_event_register_callbacks(lp->ctx, &loop_event_hooks, lp);
    return 0;
}

static void loop_sig_say(const char *a, const char *b, const char *c);

/* One cancelling signal blocked and pending, taken; 0 if none. */
static int loop_take_blocked(void)
{
    static const struct timespec now = { 0, 0 };
    sigset_t cancel;
    int signo;

    loop_cancel_set(&cancel);
    signo = sigtimedwait(&cancel, NULL, &now);
    return signo > 0 ? signo : 0;
}

int loop_dispose(struct loop *lp)
{
    struct loop_timer *t, *next;
    int kept = 0;
    size_t i;

    if (!lp)
        return 0;
    if (lp->ctx)
        libxl_ctx_free(lp->ctx);
    /* libxl is gone: nothing calls into the modules' state any more. */
    for (i = LOOP_N_SLOTS; i-- > 0;)
        if (lp->slot[i])
            lp->slot_free[i](lp->slot[i]);
    for (t = lp->timers; t; t = next) {
        next = t->next;
        free(t);
    }
    /*
     * Blocked since loop_end_signals(), a cancel that came meanwhile
     * (while libxl's context was freed, say) came after the work too:
     * taken here and said, it must not kill axl once the mask is back.
     */
    if (lp->ended) {
        int signo;

        while ((signo = loop_take_blocked()) > 0)
            loop_sig_say(esc_signame(signo), " after the work was done: ",
                         "nothing was cancelled");
    }
    /*
     * Dispositions first: a signal still pending then acts as usual, and
     * one the handler kept that the loop never took is the caller's to
     * raise (but a SIGINT meant for synchronous work that is over).
     */
    for (i = 0; i < LOOP_N_CANCEL; i++)
        sigaction(loop_default_signals[i], &loop_orig_act[i], NULL);
    sigaction(SIGPIPE, &loop_orig_pipe, NULL);
    if (loop_sig_lp == lp)
        loop_sig_lp = NULL;
    sigprocmask(SIG_SETMASK, &loop_orig_mask, NULL);
    for (i = 0; i < (size_t)lp->n_pending; i++) {
        int signo = LOOP_SIG_NO(lp->pending[i]);

        if (!kept && !((lp->pending[i] & LOOP_SIG_SYNC) && signo == SIGINT))
            kept = signo;
    }
    if (lp->sigfd >= 0)
        close(lp->sigfd);
    close(lp->wake[0]);
    close(lp->wake[1]);
    free(lp->pfds);
    free(lp->watches);
    free(lp->snap);
    free(lp->children);
    free(lp);
    return kept;
}

/* ---- signals ---- */

/* write(2) a message from the signal handler; nothing else is safe. */
static void loop_sig_say(const char *a, const char *b, const char *c)
{
    const char *parts[] = { "axl: ", a, b, c, "\n" };
    size_t i;

    for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
        if (write(STDERR_FILENO, parts[i], strlen(parts[i])) < 0)
            return;
}

static void loop_sig_die(int signo)
{
    sigset_t one;

    signal(signo, SIG_DFL);
    sigemptyset(&one);
    sigaddset(&one, signo);
    sigprocmask(SIG_UNBLOCK, &one, NULL);
    raise(signo);
}


/*
 * A cancelling signal.  Normally: record it and wake the loop, which
 * hands it to its handler.  Two cases cannot wait for the loop:
 *  - synchronous work (loop_sync_begin) with nothing in flight and
 *    die_idle: nothing needs cleaning up, so die of the signal now;
 *  - a third signal the loop has not taken, a second or more after the
 *    first: the loop is stuck (in libxl, on a wedged xenstored), so exit
 *    at once, as a third signal does.
 */
static void loop_on_cancel_signal(int signo)
{
    struct loop *lp = loop_sig_lp;
    int e = errno, n, idle, kind;
    uint64_t now;

    idle = lp && lp->in_sync && lp->busy == 0 && lp->die_idle;
    if (!lp || (idle && !lp->worked)) {
        loop_sig_die(signo);
        errno = e;
        return;
    }
    /* idle once an op has ended: late (see loop_end_signals()) */
    kind = (lp->in_sync ? LOOP_SIG_SYNC : 0) | (idle ? LOOP_SIG_LATE : 0);
    n = lp->n_pending;
    now = loop_now_ns();
    if (n == 0)
        lp->pending_since = now;
    if (n >= 2 && !lp->in_poll && now - lp->pending_since >= LOOP_STUCK_NS) {
        loop_sig_say(esc_signame(signo), ": exiting at once; ",
                     "check 'axl list' for what is left");
        loop_sig_die(signo);
        errno = e;
        return;
    }
    if (n >= LOOP_MAX_PENDING) {
        /* A storm: the loop takes these soon; keep the strongest kind. */
        if (signo != SIGINT)
            lp->pending[n - 1] = signo | kind;
        errno = e;
        return;
    }
    lp->pending[n] = signo | kind;
    lp->n_pending = n + 1;
    if (write(lp->wake[1], "", 1) < 0) {
        /* the pipe is full: the loop is woken already */
    }
    if (!lp->in_poll && !idle && (lp->in_sync || n == 1))
        loop_sig_say(esc_signame(signo), ": waiting for a call into libxl "
                     "that cannot be interrupted; ",
                     n == 0 ? "twice more to exit at once"
                            : "once more to exit at once");
    errno = e;
}

void loop_sync_begin(struct loop *lp)
{
    lp->in_sync = lp->in_sync + 1;
}

void loop_sync_end(struct loop *lp)
{
    if (lp->in_sync > 0)
        lp->in_sync = lp->in_sync - 1;
}

void loop_sync_rules(struct loop *lp, bool die_idle)
{
    lp->die_idle = die_idle;
}

void loop_busy(struct loop *lp, int delta)
{
    if (delta < 0 && lp->busy + delta == 0)
        lp->worked = 1;     /* first: never a moment of dying at once */
    lp->busy += delta;
    if (delta > 0)
        lp->busy_starts++;
}

uint64_t loop_busy_starts(const struct loop *lp)
{
    return lp->busy_starts;
}

int loop_end_signals(struct loop *lp)
{
    sigset_t cancel;
    int i, k, signo, first = 0;

    loop_cancel_set(&cancel);
    sigprocmask(SIG_BLOCK, &cancel, NULL);
    lp->ended = true;
    /* The late ones are taken; any other is for loop_dispose(). */
    for (i = k = 0; i < lp->n_pending; i++) {
        int v = lp->pending[i];

        if (!(v & LOOP_SIG_LATE))
            lp->pending[k++] = v;
        else if (!first)
            first = LOOP_SIG_NO(v);
    }
    lp->n_pending = k;
    while ((signo = loop_take_blocked()) > 0)
        if (!first)
            first = signo;
    return first;
}

int loop_busy_count(const struct loop *lp)
{
    return lp->busy;
}

void *loop_slot(struct loop *lp, enum loop_slot slot, size_t size,
                loop_slot_free_fn *free_fn)
{
    if (!lp->slot[slot] && size) {
        lp->slot[slot] = calloc(1, size);
        lp->slot_free[slot] = free_fn;
    }
    return lp->slot[slot];
}

libxl_ctx *loop_ctx(struct loop *lp)
{
    return lp->ctx;
}

xentoollog_logger *loop_logger(struct loop *lp)
{
    return lp->lg;
}

int loop_watch_fd(struct loop *lp, int fd, short events, loop_fd_fn *fn,
                  void *user)
{
    struct loop_watch *slot = NULL;
    int i;

    for (i = 0; i < (int)lp->n_watches; i++) {
        struct loop_watch *w = &lp->watches[i];

        if (w->fd == fd) {
            slot = w;
            break;
        }
        if (w->fd < 0 && !slot)
            slot = w;
    }
    if (!slot) {
        if (vec_room(&lp->watches, lp->n_watches, &lp->watches_alloc,
                     sizeof(*slot)) < 0)
            return -1;
        slot = &lp->watches[lp->n_watches++];
    }
    slot->fd = fd;
    slot->events = events;
    slot->gen = ++lp->watch_gen;
    slot->fn = fn;
    slot->user = user;
    return 0;
}

void loop_unwatch_fd(struct loop *lp, int fd)
{
    int i;

    for (i = 0; i < (int)lp->n_watches; i++)
        if (lp->watches[i].fd == fd)
            lp->watches[i].fd = -1;
}

struct loop_timer *loop_timer_add(struct loop *lp, uint64_t ms,
                                  loop_timer_fn *fn, void *user)
{
    struct loop_timer *t = calloc(1, sizeof(*t));
    struct loop_timer **pp;

    if (!t)
        return NULL;
    t->deadline_ms = loop_now_ms() + ms;
    t->seq = ++lp->timer_seq;
    t->fn = fn;
    t->user = user;
    for (pp = &lp->timers; *pp && (*pp)->deadline_ms <= t->deadline_ms;
         pp = &(*pp)->next)
        ;
    t->next = *pp;
    *pp = t;
    return t;
}

void loop_timer_cancel(struct loop *lp, struct loop_timer *t)
{
    struct loop_timer **pp;

    for (pp = &lp->timers; *pp; pp = &(*pp)->next) {
        if (*pp == t) {
            *pp = t->next;
            free(t);
            return;
        }
    }
}

void loop_on_signal(struct loop *lp, loop_signal_fn *fn, void *user)
{
    lp->on_signal = fn;
    lp->signal_user = user;
}

int loop_catch_signal(struct loop *lp, int signo)
{
    sigset_t one;

    sigemptyset(&one);
    sigaddset(&one, signo);
    if (sigprocmask(SIG_BLOCK, &one, NULL) < 0)
        return -1;
    sigaddset(&lp->caught, signo);
    return signalfd(lp->sigfd, &lp->caught, 0) < 0 ? -1 : 0;
}

/* Reap axl's own children (libxl reaps its own by their pids). */
static void loop_reap_children(struct loop *lp)
{
    int i, status;

    for (i = 0; i < (int)lp->n_children; i++) {
        struct loop_child c = lp->children[i];

        if (!c.pid || waitpid(c.pid, &status, WNOHANG) != c.pid)
            continue;
        lp->children[i].pid = 0;
        c.fn(lp, c.pid, status, c.user);
    }
}

int loop_watch_child(struct loop *lp, pid_t pid, loop_child_fn *fn,
                     void *user)
{
    struct loop_child *slot = NULL;
    int i;

    for (i = 0; i < (int)lp->n_children && !slot; i++)
        if (!lp->children[i].pid)
            slot = &lp->children[i];
    if (!slot) {
        if (vec_room(&lp->children, lp->n_children, &lp->children_alloc,
                     sizeof(*slot)) < 0)
            return -1;
        slot = &lp->children[lp->n_children++];
    }
    slot->pid = pid;
    slot->fn = fn;
    slot->user = user;
    /* It may have ended before it was watched. */
    loop_reap_children(lp);
    return 0;
}

void loop_unwatch_child(struct loop *lp, pid_t pid)
{
    size_t i;

    for (i = 0; i < lp->n_children; i++)
        if (lp->children[i].pid == pid)
            lp->children[i].pid = 0;
}

void loop_child_reset(void)
{
    size_t i;

    for (i = 0; i < sizeof(loop_default_signals) / sizeof(int); i++)
        signal(loop_default_signals[i], SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
    /* A build's worker takes them (op_worker); its children may not. */
    sigaction(SIGUSR1, &loop_orig_usr[0], NULL);
    sigaction(SIGUSR2, &loop_orig_usr[1], NULL);
    sigprocmask(SIG_SETMASK, &loop_orig_mask, NULL);
}

static void loop_read_signals(struct loop *lp)
{
    struct signalfd_siginfo si;

    while (read(lp->sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
        if (si.ssi_signo == SIGCHLD) {
            loop_reap_children(lp);
            if (lp->ctx)
                libxl_childproc_sigchld_occurred(lp->ctx);
            continue;
        }
        if (lp->on_signal)
            lp->on_signal(lp, (int)si.ssi_signo, lp->signal_user);
    }
}

/*
 * The timers due, those a timer's callback adds excepted: a timer of
 * 0 ms armed from a timer runs on the next turn, after a poll, so that
 * a callback can yield to the loop.
 */
static void loop_run_timers(struct loop *lp)
{
    uint64_t now = loop_now_ms(), last = lp->timer_seq;

    for (;;) {
        struct loop_timer **pp, *t;

        for (pp = &lp->timers; *pp && (*pp)->deadline_ms <= now;
             pp = &(*pp)->next)
            if ((*pp)->seq <= last)
                break;
        t = *pp;
        if (!t || t->deadline_ms > now)
            break;
        *pp = t->next;
        t->fn(lp, t->user);
        free(t);
    }
}

static int loop_grow(struct loop *lp, int want)
{
    struct pollfd *p;

    if (want <= lp->pfds_alloc)
        return 0;
    p = realloc(lp->pfds, sizeof(*p) * want);
    if (!p)
        return -1;
    lp->pfds = p;
    lp->pfds_alloc = want;
    return 0;
}

/*
 * Hand the recorded signals to the loop's handler.  A SIGINT that came
 * during synchronous work, with nothing in flight now, is dropped: the
 * command it was meant for is over.  Returns how many were handed over.
 */
static int loop_deliver_pending(struct loop *lp)
{
    int sigs[LOOP_MAX_PENDING], n, i, k = 0;
    char buf[64];
    sigset_t cancel, old;

    /* Take the queue with the handler held off, then empty the pipe. */
    loop_cancel_set(&cancel);
    sigprocmask(SIG_BLOCK, &cancel, &old);
    n = lp->n_pending;
    for (i = 0; i < n; i++)
        sigs[i] = lp->pending[i];
    lp->n_pending = 0;
    while (read(lp->wake[0], buf, sizeof(buf)) > 0)
        ;
    sigprocmask(SIG_SETMASK, &old, NULL);
    for (i = 0; i < n; i++) {
        int signo = LOOP_SIG_NO(sigs[i]);

        if ((sigs[i] & LOOP_SIG_SYNC) && signo == SIGINT && lp->busy == 0)
            continue;
        if (lp->on_signal) {
            lp->on_signal(lp, signo, lp->signal_user);
            k++;
        }
    }
    return k;
}

int loop_iterate(struct loop *lp, int timeout_ms)
{
    /* The loop runs inside a synchronous section (the shell does): it
     * is not synchronous work itself. */
    sig_atomic_t sync = lp->in_sync;
    /* Nor are libxl's errors in its callbacks the command's own. */
    uint64_t owner = log_owner(log_sink_of(lp->lg), 0);
    int r;

    lp->in_sync = 0;
    r = loop_iterate_now(lp, timeout_ms);
    lp->in_sync = sync;
    log_owner(log_sink_of(lp->lg), owner);
    return r;
}

static int loop_iterate_now(struct loop *lp, int timeout_ms)
{
    struct loop_watch *snap;
    int nown = 0, nxl = 0, timeout = timeout_ms, r, i, nsnap;
    struct timeval now;

    if (loop_grow(lp, (int)lp->n_watches + 2 + 16) < 0)
        return -1;
    if ((int)lp->n_watches > lp->snap_alloc) {
        snap = realloc(lp->snap, sizeof(*snap) * lp->n_watches);
        if (!snap)
            return -1;
        lp->snap = snap;
        lp->snap_alloc = (int)lp->n_watches;
    }
    snap = lp->snap;
    nsnap = (int)lp->n_watches;
    if (lp->n_pending && loop_deliver_pending(lp))
        timeout = 0;        /* the handler may have finished the work */

    /* Our own fds first: the signalfd, the handler's pipe, the watches. */
    lp->pfds[nown].fd = lp->sigfd;
    lp->pfds[nown].events = POLLIN;
    lp->pfds[nown].revents = 0;
    nown++;
    lp->pfds[nown].fd = lp->wake[0];
    lp->pfds[nown].events = POLLIN;
    lp->pfds[nown].revents = 0;
    nown++;
    for (i = 0; i < nsnap; i++) {
        snap[i] = lp->watches[i];
        if (snap[i].fd < 0)
            continue;
        lp->pfds[nown].fd = snap[i].fd;
        lp->pfds[nown].events = snap[i].events;
        lp->pfds[nown].revents = 0;
        nown++;
    }
    if (lp->timers) {
        uint64_t n = loop_now_ms(), d = lp->timers->deadline_ms;
        int left = d > n ? (int)(d - n) : 0;

        if (timeout < 0 || left < timeout)
            timeout = left;
    }

    if (lp->ctx) {
        for (;;) {
            nxl = lp->pfds_alloc - nown;
            gettimeofday(&now, NULL);
            r = libxl_osevent_beforepoll(lp->ctx, &nxl, lp->pfds + nown,
                                         &timeout, now);
            if (r != ERROR_BUFFERFULL)
                break;
            if (loop_grow(lp, nown + nxl + 8) < 0)
                return -1;
        }
        if (r)
            nxl = 0;
    }

    lp->in_poll = 1;
    if (lp->n_pending)
        timeout = 0;        /* one came since: do not sleep on it */
    r = poll(lp->pfds, nown + nxl, timeout);
    lp->in_poll = 0;
    if (r < 0 && errno != EINTR)
        return -1;
    if (r < 0) {
        for (i = 0; i < nown + nxl; i++)
            lp->pfds[i].revents = 0;
    }

    if (lp->ctx) {
        gettimeofday(&now, NULL);
        libxl_osevent_afterpoll(lp->ctx, nxl, lp->pfds + nown, now);
    }
    if (lp->pfds[0].revents & POLLIN)
        loop_read_signals(lp);
    if (lp->n_pending || (lp->pfds[1].revents & POLLIN))
        loop_deliver_pending(lp);

    /*
     * Dispatch watches from the snapshot, skipping any that a callback
     * removed or made anew in the meantime (a callback may also add
     * watches, which moves lp->watches but not the snapshot).
     */
    for (i = 0, r = 2; i < nsnap; i++) {
        struct loop_watch w = snap[i];
        short rev;

        if (w.fd < 0)
            continue;
        rev = lp->pfds[r++].revents;
        if (!rev || lp->watches[i].fd != w.fd || lp->watches[i].gen != w.gen)
            continue;
        w.fn(lp, w.fd, rev, w.user);
    }
    loop_run_timers(lp);
    return 0;
}

int loop_run_until(struct loop *lp, bool (*done)(void *user), void *user)
{
    while (!done(user))
        if (loop_iterate(lp, -1) < 0)
            return -1;
    return 0;
}

void loop_die_of_signal(int signo)
{
    sigset_t one;

    fflush(NULL);
    signal(signo, SIG_DFL);
    sigemptyset(&one);
    sigaddset(&one, signo);
    raise(signo);
    sigprocmask(SIG_UNBLOCK, &one, NULL);
}
