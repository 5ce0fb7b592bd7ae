/*
 * op_worker: a create's build in a process of its own (op_worker.h).
 *
 * The worker's words up its pipe are records of one size, each written
 * whole (far under a pipe's atomic size, on a blocking end), so a read
 * of one record's size gets one record.  Its end is known from its
 * exit, not from its last word: the records are read to the end first,
 * so a worker that said its end is never taken for one that died.
 *
 * libxl's children in the worker wait, as axl's own do (proc.h), until
 * the loop's journal names them: the worker says the child's pid and
 * start time, and lets it go when axl answers on the ack pipe (or has
 * gone).  A worker whose axl has gone (its parent is another) cancels
 * its build, as a cancel would.
 *
 * Before its build a worker takes one of the host's build slots (unless
 * --workers was given): while all are busy it says so ('W'), waits in
 * semtimedop, and says when it has one ('G').  A cancel then is the
 * cancel pipe's byte and SIGUSR2, which takes a waiting worker out of
 * its wait at once, nothing built; outside the wait it stays blocked.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/sem.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "journal.h"
#include "log.h"
#include "loop.h"
#include "op.h"
#include "proc.h"
#include "testpoint.h"
#include "vec.h"
#include "wait.h"

#include "op_int.h"
#include "op_worker.h"

/* What a worker says. */
enum {
    OPW_CHILD = 'P',    /* libxl forked a, started at c: ack it */
    OPW_BUILT = 'B',    /* the initiating call has returned */
    OPW_CONSOLE = 'C',  /* create -c: the console of domain b is ready */
    OPW_LATE = 'N',     /* the cancel came when the ao was finishing */
    OPW_END = 'R',      /* the ao ended with a, libxl gave domid b */
    OPW_SLOT_WAIT = 'W',    /* all a of the host's build slots are busy */
    OPW_SLOT = 'G',         /* it has one now */
    OPW_SLOT_FOREIGN = 'F', /* the slots are uid a's, mode b: none taken */
};

struct op_worker_msg {
    char type;
    int32_t a;
    uint32_t b;
    uint64_t c;
};

/*
 * A worker learns that axl has gone from its cancel pipe's end while it
 * polls, and from the kernel (SIGUSR1, its parent-death signal) while it
 * waits for a build slot or should another fork of axl's hold the pipe.
 * It also looks this often (ms), should neither come: a worker waiting
 * on a hotplug script wakes for nothing else.
 */
#define OPW_PARENT_MS 60000

/*
 * The host's build slots: a SysV semaphore set every axl shares (root's,
 * 0600), semaphore 0 the free slots, 1 how many there are (one per CPU
 * online when the set was made; never taken).  A worker takes a slot
 * with SEM_UNDO, so the kernel gives back a dead worker's.
 */
#define OPW_SLOT_KEY ((key_t)0x61786c62)

union op_worker_semun {
    int val;
    struct semid_ds *buf;
};

/* A loop's builds: how many may run, how many do, who waits. */
struct op_worker_pool {
    int max;            /* 0: unset (dom0's CPUs); -1: none (in-process) */
    int building;
    struct op_worker **queue;
    size_t n_queue, queue_alloc;
    struct loop_timer *next;    /* the queue's next look, armed */
    struct loop *lp;
};

static void op_worker_pool_free(void *state)
{
    struct op_worker_pool *p = state;

    if (p->next)
        loop_timer_cancel(p->lp, p->next);
    free(p->queue);
    free(p);
}

static struct op_worker_pool *op_worker_pool(struct loop *lp)
{
    return loop_slot(lp, LOOP_SLOT_WORKER, sizeof(struct op_worker_pool),
                     op_worker_pool_free);
}

/* The CPUs online: the builds at once a default allows. */
static int op_worker_cpus(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);

    return n < 1 ? 1 : n > 64 ? 64 : (int)n;
}

static int op_worker_max(struct op_worker_pool *p)
{
    if (p->max)
        return p->max < 0 ? 0 : p->max;
    return op_worker_cpus();
}

void op_set_workers(struct loop *lp, int n)
{
    struct op_worker_pool *p = op_worker_pool(lp);

    if (p)
        p->max = n < 0 ? 0 : n == 0 ? -1 : n;
}

void op_worker_init(struct op_worker *w)
{
    memset(w, 0, sizeof(*w));
    w->up = w->down = w->cause = w->ack = -1;
    w->domid = INVALID_DOMID;
}

bool op_worker_wanted(struct op *op)
{
    struct op_worker_pool *p = op_worker_pool(op->lp);

    return p && op_worker_max(p) > 0 && op->hooks->child;
}

static void op_worker_close(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

/* ---- in axl's loop ---- */

static void op_worker_start_next(struct loop *lp, void *user);

/*
 * A build has returned from its call (or never will): the next may go,
 * from the loop (it may finish another op, which its caller must not
 * see happen under it).
 */
static void op_worker_unbuild(struct op *op, struct op_worker *w)
{
    struct op_worker_pool *p = op_worker_pool(op->lp);

    if (!w->building)
        return;
    w->building = false;
    if (!p)
        return;
    if (p->building > 0)
        p->building--;
    if (p->n_queue && !p->next) {
        p->lp = op->lp;
        p->next = loop_timer_add(op->lp, 0, op_worker_start_next, p);
    }
}

static void op_worker_read(struct op *op, struct op_worker *w)
{
    struct op_worker_msg m;
    ssize_t n;

    while (w->up >= 0) {
        n = read(w->up, &m, sizeof(m));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            return;
        if (n != (ssize_t)sizeof(m)) {
            /* Its end (or a record cut short: it said nothing more). */
            loop_unwatch_fd(op->lp, w->up);
            op_worker_close(&w->up);
            return;
        }
        switch (m.type) {
        case OPW_CHILD: {
            char c = 1;

            /* libxl's child, named as if forked here (wait.c sees it). */
            journal_child_of(op->lp, &op->jr, (pid_t)m.a, m.c);
            if (vec_room(&w->kids, w->n_kids, &w->kids_alloc,
                         sizeof(*w->kids)) == 0) {
                w->kids[w->n_kids].pid = (pid_t)m.a;
                w->kids[w->n_kids++].start = m.c;
            }
            /*
             * No look now: the child has not exec'd yet, and wait.c's
             * look, kept for 100 ms, would leave it out of the words a
             * cancel just after reads (t0260).
             */
            if (w->ack >= 0 && write(w->ack, &c, 1) < 0)
                op_worker_close(&w->ack);   /* it goes on without */
            break;
        }
        case OPW_BUILT:
            op_worker_unbuild(op, w);
            break;
        case OPW_CONSOLE:
            /*
             * Read on after it: its end may follow in the same read, the
             * last one there is (create -c of a PV guest, whose console
             * comes just before the build's end).
             */
            if (w->console_ready && op->state == OP_RUNNING)
                w->console_ready(op, m.b);
            break;
        case OPW_LATE:
            if (op->state == OP_ABORTING)
                op_note(op, OP_NOTE_INFO, "%s of '%s' is finishing; it "
                        "cannot be cancelled now", op_verb(op), op->label);
            break;
        case OPW_SLOT_WAIT:
            w->host_wait = true;
            w->host_slots = m.a;
            /* A cancel that came first is taken in its wait now. */
            if (op->state == OP_ABORTING && w->pid > 0)
                kill(w->pid, SIGUSR2);
            op_look_now(op);
            break;
        case OPW_SLOT:
            w->host_wait = false;
            op_look_now(op);
            break;
        case OPW_SLOT_FOREIGN:
            op_note(op, OP_NOTE_INFO, "the host's build slots (semaphore "
                    "key 0x%x) are uid %d's, mode %03o, not root's alone: "
                    "building '%s' without one", (unsigned)OPW_SLOT_KEY,
                    (int)m.a, (unsigned)m.b, op->label);
            break;
        case OPW_END:
            w->ended = true;
            w->rc = m.a;
            w->domid = m.b;
            w->t_end = loop_now_ns();
            break;
        }
    }
}

static void op_worker_readable(struct loop *lp, int fd, short revents,
                               void *user)
{
    struct op_worker *w = user;

    (void)lp;
    (void)fd;
    (void)revents;
    op_worker_read(w->op, w);
}

/*
 * A worker that died left libxl's children as they were (a hotplug
 * script waits on): each still the process it said, and leading the
 * session it was given, is ended with its session's group.
 */
static void op_worker_end_kids(struct op_worker *w)
{
    size_t i;

    for (i = 0; i < w->n_kids; i++)
        journal_kill_child(w->kids[i].pid, w->kids[i].start, true);
    w->n_kids = 0;
}

/* The worker has ended: its ao's end is the op's. */
static void op_worker_exited(struct loop *lp, pid_t pid, int status,
                             void *user)
{
    struct op_worker *w = user;
    struct op *op = w->op;
    struct log_sink *ls = log_sink_of(loop_logger(lp));
    uint64_t was;
    int rc;

    (void)pid;
    w->pid = 0;
    op_worker_read(op, w);      /* every word it said before it went */
    op_worker_unbuild(op, w);
    if (w->up >= 0) {
        loop_unwatch_fd(lp, w->up);
        op_worker_close(&w->up);
    }
    op_worker_close(&w->down);
    op_worker_close(&w->ack);
    was = log_owner(ls, op->starts);
    log_take(ls, w->cause);
    if (!w->ended && w->cut) {
        /* Ended by its cancel: what it started goes, what it made is found. */
        op_worker_end_kids(w);
    } else if (!w->ended) {
        /* Its death is the op's cause, found as any error of its own. */
        if (WIFSIGNALED(status))
            xtl_log(loop_logger(lp), XTL_ERROR, -1, "axl",
                    "the process building it died of signal %d",
                    WTERMSIG(status));
        else
            xtl_log(loop_logger(lp), XTL_ERROR, -1, "axl",
                    "the process building it ended (status %d) without "
                    "a result", WIFEXITED(status) ? WEXITSTATUS(status)
                                                  : -1);
        w->died = true;
        op_worker_end_kids(w);
    }
    log_owner(ls, was);
    op_worker_close(&w->cause);
    /* One that died (not by its cancel) may have left anything: failed. */
    rc = w->ended ? w->rc : w->cut ? ERROR_ABORTED : ERROR_FAIL;
    /*
     * libxl says the domain only when its ao completes; a build that
     * failed or died may have made one: found as a cancel finds it.
     */
    if (rc && w->domid == (uint32_t)INVALID_DOMID)
        w->domid = op_phase_domid(op);
    w->done(op, rc, w->domid);
}

/* Fork the worker for op: 0, or a libxl error code. */
static int op_worker_fork(struct op *op, struct op_worker *w)
{
    struct op_worker_pool *p = op_worker_pool(op->lp);
    int up[2] = { -1, -1 }, down[2] = { -1, -1 }, cause[2] = { -1, -1 };
    int ack[2] = { -1, -1 }, err;
    pid_t pid;

    /* Blocking, as made: the worker's ends must never drop a record. */
    if (pipe2(up, O_CLOEXEC) < 0 || pipe2(down, O_CLOEXEC) < 0 ||
        pipe2(cause, O_CLOEXEC) < 0 || pipe2(ack, O_CLOEXEC) < 0)
        goto fail;
    /* The worker's ends, as it knows them after the fork. */
    w->up = up[1];
    w->down = down[0];
    w->cause = cause[1];
    w->ack = ack[0];
    w->axl = getpid();  /* read in the worker: axl may go before it runs */
    pid = op->hooks->child(op, op->user);
    err = errno;
    /* axl's ends; only its reads may not block. */
    op_worker_close(&up[1]);
    op_worker_close(&down[0]);
    op_worker_close(&cause[1]);
    op_worker_close(&ack[0]);
    w->up = up[0];
    w->down = down[1];
    w->cause = cause[0];
    w->ack = ack[1];
    up[0] = down[1] = cause[0] = ack[1] = -1;
    errno = err;
    if (pid < 0)
        goto fail;
    fcntl(w->up, F_SETFL, O_NONBLOCK);
    fcntl(w->cause, F_SETFL, O_NONBLOCK);
    fcntl(w->down, F_SETFL, O_NONBLOCK);
    fcntl(w->ack, F_SETFL, O_NONBLOCK);
    w->pid = pid;
    w->building = true;
    p->building++;
    if (loop_watch_fd(op->lp, w->up, POLLIN, op_worker_readable, w) < 0 ||
        loop_watch_child(op->lp, pid, op_worker_exited, w) < 0) {
        err = errno;
        loop_unwatch_fd(op->lp, w->up);
        kill(pid, SIGKILL);
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
            ;
        w->pid = 0;
        op_worker_unbuild(op, w);
        errno = err;
        goto fail;
    }
    return 0;
fail:
    err = errno;
    op_worker_close(&up[0]);
    op_worker_close(&up[1]);
    op_worker_close(&down[0]);
    op_worker_close(&down[1]);
    op_worker_close(&cause[0]);
    op_worker_close(&cause[1]);
    op_worker_close(&ack[0]);
    op_worker_close(&ack[1]);
    op_worker_close(&w->up);
    op_worker_close(&w->down);
    op_worker_close(&w->cause);
    op_worker_close(&w->ack);
    op_note(op, OP_NOTE_ERROR, "cannot start a process to build domain "
            "'%s': %s", op->label, strerror(err));
    return ERROR_FAIL;
}

/* The first queued builds, while there is room for them. */
static void op_worker_start_next(struct loop *lp, void *user)
{
    struct op_worker_pool *p = user;

    (void)lp;
    p->next = NULL;
    while (p->n_queue && p->building < op_worker_max(p)) {
        struct op_worker *w = p->queue[0];
        struct op *op = w->op;
        int rc;

        memmove(p->queue, p->queue + 1, --p->n_queue * sizeof(*p->queue));
        w->queued = false;
        op_look_now(op);
        rc = op_worker_fork(op, w);
        if (rc)
            w->done(op, rc, INVALID_DOMID);
    }
}

int op_worker_call(struct op *op, struct op_worker *w)
{
    struct op_worker_pool *p = op_worker_pool(op->lp);

    if (!p)
        return ERROR_NOMEM;
    w->op = op;
    w->ended = false;
    w->t_end = 0;
    /* The host's slots are for a default only: --workers=N is N. */
    w->host = p->max == 0;
    w->host_wait = false;
    /* Not ahead of those queued, whose turn the loop's timer brings. */
    if (!p->n_queue && p->building < op_worker_max(p))
        return op_worker_fork(op, w);
    if (vec_room(&p->queue, p->n_queue, &p->queue_alloc,
                 sizeof(*p->queue)) < 0)
        return ERROR_NOMEM;
    p->queue[p->n_queue++] = w;
    w->queued = true;
    return 0;
}

static void op_worker_unqueue(struct op *op, struct op_worker *w)
{
    struct op_worker_pool *p = op_worker_pool(op->lp);
    size_t i;

    if (!w->queued || !p)
        return;
    for (i = 0; i < p->n_queue; i++)
        if (p->queue[i] == w) {
            memmove(p->queue + i, p->queue + i + 1,
                    (p->n_queue - i - 1) * sizeof(*p->queue));
            p->n_queue--;
            break;
        }
    w->queued = false;
}

bool op_worker_abort(struct op *op, struct op_worker *w)
{
    char d[160];
    char c = 'a';

    if (op->state != OP_RUNNING || w->op != op)
        return false;
    if (w->queued) {
        op_worker_unqueue(op, w);
        op->state = OP_ABORTING;
        w->done(op, ERROR_ABORTED, INVALID_DOMID);
        return true;
    }
    if (!w->pid)
        return false;
    if (op->domid == (uint32_t)INVALID_DOMID)
        op->domid = op_phase_domid(op);
    op->state = OP_ABORTING;
    op_note(op, OP_NOTE_INFO, "cancelling %s of %s", op_verb(op),
            op_desc(op, NULL, d, sizeof(d)));
    /* What it has said, first: a build that has returned hears a cancel. */
    op_worker_read(op, w);
    if (!w->pid || w->ended)
        return true;            /* its end is read: the reap completes it */
    if (w->host_wait) {
        kill(w->pid, SIGUSR2);  /* it waits for a slot, not on the pipe */
        return true;
    }
    /*
     * Inside libxl's initiating call (the domain's build) the worker
     * hears nothing until the build is done, up to its CPU's worth (half
     * a second, seconds in a storm).  To destroy what it made, it is
     * ended here, and what it made is found and destroyed.  To keep it,
     * the build is let finish, and the cancel waits in the pipe: ended
     * midway, the domain kept would be half-written (in Xen before
     * xenstore names it, or its memory half loaded), which no one could
     * inspect or start; after the build, libxl's abort keeps it as it
     * keeps any.  One that cannot hear is ended either way.
     */
    if ((w->building && op->on_cancel != OP_ON_CANCEL_KEEP) ||
        (w->down >= 0 && write(w->down, &c, 1) < 0 && errno != EAGAIN)) {
        w->cut = true;
        kill(w->pid, SIGKILL);
    }
    return true;
}

bool op_worker_phase(struct op *op, struct op_worker *w, char *buf,
                     size_t len)
{
    struct op_worker_pool *p = op_worker_pool(op->lp);
    size_t i, ahead = 0;

    if (w->host_wait && w->pid > 0) {
        snprintf(buf, len, "waiting to build (all %d of the host's build "
                 "slots are busy)", w->host_slots);
        return true;
    }
    if (!w->queued || !p)
        return false;
    for (i = 0; i < p->n_queue && p->queue[i] != w; i++)
        ahead++;
    snprintf(buf, len, "waiting to build (%d building, %zu ahead)",
             p->building, ahead);
    return true;
}

int op_worker_end_lost_dm(struct op *op, struct op_worker *w,
                          uint32_t domid, bool gone)
{
    size_t i;
    int n = 0;

    if (domid == (uint32_t)INVALID_DOMID ||
        (!gone && wait_dm_recorded(op->lp, domid)))
        return 0;
    for (i = 0; i < w->n_kids; i++)
        if (journal_kill_device_model(w->kids[i].pid, w->kids[i].start,
                                      domid))
            n++;
    return n;
}

void op_worker_dispose(struct op *op, struct op_worker *w)
{
    op_worker_unqueue(op, w);
    if (w->pid > 0) {
        loop_unwatch_child(op->lp, w->pid);
        kill(w->pid, SIGKILL);
        while (waitpid(w->pid, NULL, 0) < 0 && errno == EINTR)
            ;
        w->pid = 0;
        op_worker_unbuild(op, w);
    }
    if (w->up >= 0)
        loop_unwatch_fd(op->lp, w->up);
    op_worker_close(&w->up);
    op_worker_close(&w->down);
    op_worker_close(&w->cause);
    op_worker_close(&w->ack);
    free(w->kids);
    w->kids = NULL;
    w->n_kids = w->kids_alloc = 0;
}

/* ---- in the worker ---- */

/* The worker's own: its pipes, its parent, its ao's end. */
struct op_worker_run {
    int up, down, cause, ack;
    pid_t parent;           /* axl; another parent means it has gone */
    bool done;
    int rc;
    uint32_t domid;
};

static void op_worker_say(int fd, char type, int32_t a, uint32_t b,
                          uint64_t c)
{
    struct op_worker_msg m;

    memset(&m, 0, sizeof(m));
    m.type = type;
    m.a = a;
    m.b = b;
    m.c = c;
    while (write(fd, &m, sizeof(m)) < 0 && errno == EINTR)
        ;
}

/*
 * A child of libxl's is named in axl's journal before it is let go
 * (proc_fork() waits for this): its pid and start time go up, and axl's
 * answer comes back; an axl that has gone answers with the pipe's end.
 */
static void op_worker_name(pid_t pid, void *user)
{
    struct op_worker_run *run = user;
    char c;

    op_worker_say(run->up, OPW_CHILD, pid, 0, journal_proc_start(pid));
    while (read(run->ack, &c, 1) < 0 && errno == EINTR)
        ;
}

/* libxl's fork: a session of its own, as axl's loop makes them. */
static pid_t op_worker_fork_hook(void *user)
{
    struct proc_spec spec = PROC_SPEC(PROC_SESSION);

    spec.name = op_worker_name;
    spec.name_user = user;
    spec.keep_files = true;
    return proc_fork(&spec);
}

static void op_worker_ao_done(libxl_ctx *ctx, int rc, void *for_callback)
{
    struct op_worker_run *run = for_callback;

    (void)ctx;
    run->done = true;
    run->rc = rc;
}

static void op_worker_console(libxl_ctx *ctx, libxl_event *ev,
                              void *for_callback)
{
    struct op_worker_run *run = for_callback;

    op_worker_say(run->up, OPW_CONSOLE, 0, ev->domid, 0);
    libxl_event_free(ctx, ev);
}

/*
 * libxl cannot deliver its events: without this hook libxl would end
 * the worker itself, running the exit handlers of axl's it inherited.
 * The build ends here as failed; what it made is found by axl.
 */
static void op_worker_disaster(void *user, libxl_event_type type,
                               const char *msg, int errnoval)
{
    struct op_worker_run *run = user;

    (void)type;
    (void)msg;
    (void)errnoval;
    run->done = true;
    run->rc = ERROR_FAIL;
}

static void op_worker_event(void *user, libxl_event *ev)
{
    (void)user;
    libxl_event_free(NULL, ev);
}

/* Whether the cancel pipe has something (a cancel, or its end) now. */
static bool op_worker_told(int down)
{
    struct pollfd p = { .fd = down, .events = POLLIN };

    return poll(&p, 1, 0) > 0 && p.revents;
}

/* The build stops: a cancel, axl's end, or a poll that cannot go on. */
static void op_worker_stop(libxl_ctx *ctx, struct op_worker_run *run,
                           libxl_asyncop_how *how, bool *aborted)
{
    if (*aborted)
        return;
    *aborted = true;
    if (libxl_ao_abort(ctx, how) == ERROR_NOTFOUND && !run->done)
        op_worker_say(run->up, OPW_LATE, 0, 0, 0);
}

/* Poll libxl's descriptors and the cancel pipe until the ao has ended. */
static void op_worker_poll(libxl_ctx *ctx, struct op_worker_run *run,
                           libxl_asyncop_how *how)
{
    struct pollfd *fds = NULL;
    int alloc = 0, nfds, timeout, rc;
    bool aborted = false;
    struct timeval now;
    sigset_t woken;

    /* The poll, and only the poll, takes axl's end (SIGUSR1). */
    sigprocmask(SIG_SETMASK, NULL, &woken);
    sigdelset(&woken, SIGUSR1);
    while (!run->done) {
        struct timespec ts;

        for (;;) {
            struct pollfd *more;

            nfds = alloc > 1 ? alloc - 1 : 0;
            timeout = OPW_PARENT_MS;
            gettimeofday(&now, NULL);
            rc = libxl_osevent_beforepoll(ctx, &nfds,
                                          alloc > 1 ? fds + 1 : NULL,
                                          &timeout, now);
            if (rc != ERROR_BUFFERFULL && alloc)
                break;
            more = realloc(fds, (nfds + 1) * sizeof(*fds));
            if (!more) {
                /* Without room to poll, libxl can only be stopped. */
                op_worker_stop(ctx, run, how, &aborted);
                if (!alloc) {
                    run->done = true;
                    run->rc = ERROR_NOMEM;
                    return;
                }
                continue;
            }
            fds = more;
            alloc = nfds + 1;
        }
        fds[0].fd = aborted ? -1 : run->down;
        fds[0].events = POLLIN;
        fds[0].revents = 0;
        ts.tv_sec = timeout / 1000;
        ts.tv_nsec = (long)(timeout % 1000) * 1000000;
        if (ppoll(fds, (nfds_t)nfds + 1, timeout < 0 ? NULL : &ts,
                  &woken) < 0) {
            if (errno != EINTR && aborted) {
                /* It cannot poll even to see its cancel end: it ends. */
                run->done = true;
                run->rc = ERROR_FAIL;
                break;
            }
            if (errno != EINTR || getppid() != run->parent)
                op_worker_stop(ctx, run, how, &aborted);
            continue;
        }
        /*
         * A cancel, or axl has gone: the build stops either way.  Before
         * libxl hears of the events of the same wake, which may complete
         * its ao: the cancel came first (with keep, it waited in the pipe
         * for the build's end, and the ao's next event would otherwise
         * finish the create it asked to stop).  Those events are not
         * lost: the next poll, after the abort, sees them again.
         */
        if ((fds[0].revents || getppid() != run->parent) && !aborted) {
            op_worker_stop(ctx, run, how, &aborted);
            continue;       /* the next poll sees this wake's events again */
        }
        gettimeofday(&now, NULL);
        libxl_osevent_afterpoll(ctx, nfds, fds + 1, now);
    }
    free(fds);
}

/*
 * A worker waiting for a slot is in semtimedop, not at its cancel pipe:
 * axl's SIGUSR2 (a cancel) or SIGUSR1 (its parent-death signal) then
 * takes it out of the wait, with nothing built.  Both are blocked but in
 * the wait (and SIGUSR1 in the poll), so they interrupt nothing else.
 */
static sigjmp_buf opw_slot_jmp;
static volatile sig_atomic_t opw_slot_waiting;
static volatile sig_atomic_t opw_parent;    /* axl, as the worker knew it */

/*
 * Out of the wait from here, not after it: a signal that comes just
 * before semtimedop would otherwise be lost to it.  Elsewhere, SIGUSR1
 * only interrupts the poll.
 */
static void op_worker_signalled(int sig)
{
    if (opw_slot_waiting && (sig == SIGUSR2 || getppid() != opw_parent))
        siglongjmp(opw_slot_jmp, 1);
}

/*
 * The host's slot set (made, with a slot per CPU, by the first to come),
 * or -1: then the build goes without one, as --workers=N's does.  A set
 * someone else made is not trusted: they could hold its slots forever.
 */
static int op_worker_slot_set(struct op_worker_run *run)
{
    union op_worker_semun arg;
    struct semid_ds ds;
    int id = semget(OPW_SLOT_KEY, 2, IPC_CREAT | 0600);

    if (id < 0)
        return -1;
    arg.buf = &ds;
    if (semctl(id, 0, IPC_STAT, arg) < 0)
        return -1;
    if (ds.sem_perm.uid != geteuid() || ds.sem_perm.cuid != geteuid() ||
        (ds.sem_perm.mode & 022)) {
        op_worker_say(run->up, OPW_SLOT_FOREIGN, (int32_t)ds.sem_perm.uid,
                      ds.sem_perm.mode & 0777, 0);
        return -1;
    }
    /*
     * Newly made, both semaphores 0: one all-or-nothing semop, without
     * undo, gives it its slots; the others that come at once find
     * semaphore 1 no longer 0 and change nothing.
     */
    if (semctl(id, 1, GETVAL) == 0) {
        int n = op_worker_cpus();
        struct sembuf init[3] = {
            { .sem_num = 1, .sem_op = 0, .sem_flg = IPC_NOWAIT },
            { .sem_num = 0, .sem_op = (short)n },
            { .sem_num = 1, .sem_op = (short)n },
        };

        if (semop(id, init, 3) < 0 && errno != EAGAIN)
            return -1;
    }
    return id;
}

/*
 * Take one of the host's build slots, waiting (and saying so) while all
 * are busy: false if the build was cancelled (or axl has gone) first.
 * *id is -1 after if the build goes without a slot.
 */
static bool op_worker_slot_take(struct op_worker_run *run, int *id)
{
    struct sembuf take = { .sem_num = 0, .sem_op = -1,
                           .sem_flg = SEM_UNDO | IPC_NOWAIT };
    sigset_t both;
    volatile bool took = true;  /* set after sigsetjmp */

    if (semop(*id, &take, 1) == 0)
        return true;
    if (errno != EAGAIN) {
        *id = -1;
        return true;
    }
    op_worker_say(run->up, OPW_SLOT_WAIT, semctl(*id, 1, GETVAL), 0, 0);
    take.sem_flg = SEM_UNDO;
    sigemptyset(&both);
    sigaddset(&both, SIGUSR1);
    sigaddset(&both, SIGUSR2);
    /*
     * Taken out by a signal (the mask is as here again): a slot it had
     * just taken is the kernel's to give back when the worker ends.
     */
    if (sigsetjmp(opw_slot_jmp, 1)) {
        opw_slot_waiting = 0;
        return false;
    }
    opw_slot_waiting = 1;
    sigprocmask(SIG_UNBLOCK, &both, NULL);
    for (;;) {
        struct timespec ts = { .tv_sec = OPW_PARENT_MS / 1000 };

        /* A cancel before the wait; during it, a signal ends it. */
        if (op_worker_told(run->down) || getppid() != run->parent) {
            took = false;
            break;
        }
        if (semtimedop(*id, &take, 1, &ts) == 0)
            break;
        if (errno != EAGAIN && errno != EINTR) {
            *id = -1;           /* the set has gone: build without */
            break;
        }
    }
    sigprocmask(SIG_BLOCK, &both, NULL);
    opw_slot_waiting = 0;
    if (took)
        op_worker_say(run->up, OPW_SLOT, 0, 0, 0);
    return took;
}

/* The initiating call has returned: the slot is the next build's. */
static void op_worker_slot_give(int id)
{
    struct sembuf give = { .sem_num = 0, .sem_op = 1, .sem_flg = SEM_UNDO };

    if (id >= 0)
        semop(id, &give, 1);
}

/*
 * The kernel tells the worker when axl ends (SIGUSR1); axl's cancel of a
 * worker waiting for a slot is SIGUSR2.  Both blocked from here on but
 * in the waits they interrupt; an axl gone already is seen by the next
 * look at the parent.
 */
static void op_worker_watch_parent(void)
{
    struct sigaction sa;
    sigset_t both;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = op_worker_signalled;    /* no SA_RESTART: EINTR */
    sigemptyset(&sa.sa_mask);
    sigemptyset(&both);
    sigaddset(&both, SIGUSR1);
    sigaddset(&both, SIGUSR2);
    sigprocmask(SIG_BLOCK, &both, NULL);
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGUSR2, &sa, NULL);
    prctl(PR_SET_PDEATHSIG, SIGUSR1);
}

int op_worker_child(struct op *op, struct op_worker *w)
{
    static const libxl_childproc_hooks child_hooks = {
        .chldowner = libxl_sigchld_owner_libxl,
        .fork_replacement = op_worker_fork_hook,
    };
    static const libxl_event_hooks event_hooks = {
        .event_occurs_mask = LIBXL_EVENTMASK_ALL,
        .event_occurs = op_worker_event,
        .disaster = op_worker_disaster,
    };
    struct log_sink *ls = log_sink_of(loop_logger(op->lp));
    uint64_t from = ls ? log_mark(ls) : 0;
    struct op_worker_run run = {
        .up = w->up, .down = w->down, .cause = w->cause, .ack = w->ack,
        .parent = w->axl, .rc = ERROR_FAIL, .domid = INVALID_DOMID,
    };
    libxl_asyncop_how how = {
        .callback = op_worker_ao_done, .u.for_callback = &run,
    };
    libxl_asyncprogress_how console = {
        .callback = op_worker_console, .for_callback = &run,
    };
    libxl_ctx *ctx = NULL;
    sigset_t chld;
    int rc, slots = -1;

    opw_parent = w->axl;
    libxl_postfork_child_noexec(loop_ctx(op->lp));
    proc_close_all_but((const int[]){ run.up, run.down, run.cause, run.ack },
                       4);
    /*
     * A record to an axl that has gone is an error, not its death; and
     * libxl, owning SIGCHLD here, must get it whatever mask axl had.
     */
    signal(SIGPIPE, SIG_IGN);
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_UNBLOCK, &chld, NULL);
    op_worker_watch_parent();
    if (w->host && (slots = op_worker_slot_set(&run)) >= 0 &&
        !op_worker_slot_take(&run, &slots)) {
        op_worker_say(run.up, OPW_BUILT, 0, 0, 0);
        run.rc = ERROR_ABORTED;
    } else if (libxl_ctx_alloc(&ctx, LIBXL_VERSION, 0, loop_logger(op->lp))) {
        op_worker_say(run.up, OPW_BUILT, 0, 0, 0);
        run.done = true;
    } else {
        libxl_childproc_setmode(ctx, &child_hooks, &run);
        libxl_event_register_callbacks(ctx, &event_hooks, &run);
        testpoint("worker-build");
        /* A cancel (or axl's end) before the build: nothing is made. */
        if (op_worker_told(run.down) || getppid() != run.parent)
            rc = ERROR_ABORTED;
        else
            rc = libxl_domain_create_new(ctx, &op->config, &run.domid,
                                         &how, w->console ? &console
                                                          : NULL);
        op_worker_slot_give(slots);
        op_worker_say(run.up, OPW_BUILT, 0, 0, 0);
        if (rc) {
            run.done = true;
            run.rc = rc;
        }
        op_worker_poll(ctx, &run, &how);
    }
    if (run.rc && ls)
        log_pass(ls, from, run.cause);
    op_worker_say(run.up, OPW_END, run.rc, run.domid, 0);
    return run.rc;
}
