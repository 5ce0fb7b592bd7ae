/*
 * op_worker: a create's build in a process of its own.  libxl builds a
 * domain inside the call that starts its ao (loading the kernel, making
 * the domain: about half a second of CPU each), and one loop that makes
 * every build itself makes them one after another, deaf to signals and
 * to every other op meanwhile.  So a create's MAIN call runs in a
 * worker: a child of axl's (hooks->child, as the core dump's) with a
 * libxl context and a poll loop of its own, which runs the ao to its
 * end and says what it sees up a pipe: the children libxl forks (the
 * loop's journal names them, and wait.c sees them as its own), that
 * the initiating call has returned, create -c's console, and the end.
 * A cancel goes down another pipe and becomes libxl_ao_abort there.
 *
 * At most a loop's number of builds run at once (op_set_workers(): by
 * default dom0's CPUs), counted from the fork to the initiating call's
 * return; a create past them waits its turn, in MAIN, and a cancel then
 * ends it with nothing built.  After its call has returned a worker
 * only waits (hotplug scripts, backends), so any number may.
 *
 * Unless --workers was given, a worker also takes one of the host's
 * build slots (one per CPU online, shared by every axl on the host)
 * before it builds, so a hundred axl processes started at once build
 * as one would, a CPU's worth at a time.
 *
 * For op_create.c only: the state is embedded in a create's.
 */
#ifndef AXL_OP_WORKER_H
#define AXL_OP_WORKER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct op;

struct op_worker {
    struct op *op;      /* whose build it is */
    pid_t pid;          /* the worker; 0 if none */
    pid_t axl;          /* its parent, axl, as it was at the fork */
    int up;             /* what it says (struct op_worker_msg); -1 */
    int down;           /* a cancel for it; -1 */
    int cause;          /* its first error (log_pass()); -1 */
    int ack;            /* axl has named its child; -1 */
    bool queued;        /* waiting for a build to end */
    bool building;      /* inside libxl's initiating call */
    bool ended;         /* it said its end: rc, domid */
    bool console;       /* create -c: it says when the console is ready */
    bool died;          /* it ended without saying its end */
    bool cut;           /* ended by axl, for a cancel inside the build */
    bool host;          /* it takes one of the host's build slots */
    bool host_wait;     /* it said it waits for one */
    int host_slots;     /* how many the host has (it said) */
    /* The children it said libxl forked (a dead worker's are ended). */
    struct op_worker_kid {
        pid_t pid;
        unsigned long long start;
    } *kids;
    size_t n_kids, kids_alloc;
    int rc;
    uint32_t domid;
    /*
     * When axl read its end (loop_now_ns()), 0 before: libxl's ao ended
     * then, in the worker; the worker's exit and reap come after.
     */
    uint64_t t_end;
    /* What the creator is told; set by op_create.c. */
    void (*console_ready)(struct op *op, uint32_t domid);
    void (*done)(struct op *op, int rc, uint32_t domid);
};

/* A create's worker state, before anything (no worker). */
void op_worker_init(struct op_worker *w);

/*
 * Whether op's build goes to a worker: its loop has workers, and cli/
 * can make a child.
 */
bool op_worker_wanted(struct op *op);

/*
 * Start op's build in a worker, or queue it for one: 0, w->done is then
 * called once (maybe from inside this call), with the ao's rc and the
 * domid libxl gave; a libxl error code if it could not start.
 */
int op_worker_call(struct op *op, struct op_worker *w);

/*
 * A cancel: sent to the worker, or a queued build dropped (w->done
 * with ERROR_ABORTED, from inside this call); a worker inside libxl's
 * initiating call, deaf until the build is done, is killed, and what
 * it made is found when it is reaped (w->done with ERROR_ABORTED and
 * that domain).  False if there is no build to cancel.
 */
bool op_worker_abort(struct op *op, struct op_worker *w);

/* A waiting build's words (for its turn or a host slot); false if none. */
bool op_worker_phase(struct op *op, struct op_worker *w, char *buf,
                     size_t len);

/* In the worker (hooks->child's): the build; returns when it ended. */
int op_worker_child(struct op *op, struct op_worker *w);

/*
 * After a cancel: domid's device model among the children the worker
 * said libxl forked, if libxl has lost track of it (its spawn ended by
 * the abort before it wrote down the pid), is ended: nothing else could
 * end it later.  With gone (domid destroyed) any still there is ended,
 * whatever libxl knew.  Returns how many were.
 */
int op_worker_end_lost_dm(struct op *op, struct op_worker *w,
                          uint32_t domid, bool gone);

/* op_free(): a worker still running is killed, its pipes closed. */
void op_worker_dispose(struct op *op, struct op_worker *w);

#endif
