/*
 * wait: what an operation is waiting on, from facts only - the children
 * libxl forked (their command line and the xenstore path a hotplug
 * script is given), and the state of a domain's backends in xenstore.
 * op.c turns these into the phase it shows; nothing here guesses.
 *
 * The xenstore connections and the suspend watches are a loop's (loop.h),
 * opened on first use and closed with the loop: every call takes the
 * loop of the op that asks.  None is for a signal handler.
 */
#ifndef AXL_WAIT_H
#define AXL_WAIT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct loop;

struct wait_child {
    pid_t pid;
    char prog[64];          /* argv[0]'s last component: "block" */
    char path[128];         /* argv[0] as run */
    char arg[32];           /* argv[1]: "add", "online", "" */
    /* A hotplug script's XENBUS_PATH: backend/<type>/<domid>/<devid>. */
    char type[16];
    uint32_t domid;         /* INVALID_DOMID without XENBUS_PATH */
    int devid;
    char dev[48];           /* its device's name: "xvda", "vif 0" */
    /*
     * The script libxl started for the device (the last component of
     * its backend's script node: "vif-bridge"), and the argument it was
     * started with ("online"), if it was seen running it; prog and arg
     * are what the child runs now, which differ once it has exec'd a
     * helper of its own.  Empty if unknown.
     */
    char script[64];
    char script_arg[32];
    unsigned long long start;   /* its start time: a pid used again is
                                   another child */
    /*
     * A device model's domain (XEN_DOMAIN_ID, which libxl puts in a device
     * model's environment alone); INVALID_DOMID for any other child.
     */
    uint32_t dm_domid;
};

/*
 * The children forked for lp (proc_fork()) that have exec'd (a child
 * still between fork and exec is left out: it has no command yet), and
 * of those with a XENBUS_PATH only domid's.  Returns how many were put
 * in v.  One look at /proc serves every caller for 100 ms; what a child
 * was started for is read once in its life.
 */
int wait_children(struct loop *lp, uint32_t domid, struct wait_child *v,
                  int max);

/*
 * The next wait_children() looks at /proc again, however fresh the last
 * look: a cancel's words must name a child that exec'd since.
 */
void wait_children_stale(struct loop *lp);

/*
 * A device's name for messages: "xvda" (a disk, from its backend's dev
 * node), "vif 0", "vtpm 0".
 */
const char *wait_dev_name(struct loop *lp, const char *type, uint32_t domid,
                          int devid, char *buf, size_t len);

/*
 * The first backend of domid that has not reached InitWait (libxl waits
 * for that while it adds a device): its words, "waiting for vtpm 0
 * backend to connect (state Initialising)", in buf; false if none.
 */
bool wait_backend(struct loop *lp, uint32_t domid, char *buf, size_t len);

/*
 * Whether libxl still waits for the device model c to start (up to 60 s,
 * for its "running" in xenstore or, with dm_restrict, its answer on QMP):
 * its parent is still libxl's spawn process, a copy of axl that libxl
 * ends the moment it stops waiting.
 */
bool wait_dm_starting(struct loop *lp, const struct wait_child *c);

/*
 * Whether libxl has written down how to end domid's device model (its
 * /local/domain/ID/image/device-model-pid, or -kill-uid), by which its
 * destroy of the domain ends it; true too if xenstore cannot tell.
 */
bool wait_dm_recorded(struct loop *lp, uint32_t domid);

/*
 * How many bytes libxl's save helper for domid (a child forked for lp,
 * saving or migrating it) has written so far; -1 if none runs.  *pid_r
 * caches the helper's pid between calls (0 at first).
 */
int64_t wait_save_helper_written(struct loop *lp, uint32_t domid,
                                 pid_t *pid_r);
/* The same for the restore helper of domid: the bytes it has read. */
int64_t wait_save_helper_read(struct loop *lp, uint32_t domid, pid_t *pid_r);

/*
 * The pid of domid's device model (QEMU), if the save helper of domid
 * waits for libxl's answer (it reads its stdin, where libxl answers its
 * calls) and a device model is recorded; 0 otherwise.  For an HVM guest
 * suspended, libxl then talks to QEMU: for its state (the suspend call)
 * or to end its log-dirty mode (the save's end).  *pid_r caches the
 * helper's pid, as above.
 */
pid_t wait_save_on_dm(struct loop *lp, uint32_t domid, pid_t *pid_r);

/*
 * Whether domid has been asked to suspend and has not yet acted on it:
 * libxl's request through xenstore (control/shutdown = "suspend") is
 * still there.
 */
bool wait_suspend_asked(struct loop *lp, uint32_t domid);

/*
 * A guest that has taken the request empties the node, then takes a
 * while (its devices, its processes) before it is suspended: watch the
 * node from before the request (0, or -1 if it cannot be watched) to
 * learn, once libxl is stopped, whether the guest took it
 * (wait_suspend_acked()): it is then suspending, asked or not.  A watch
 * is lp's: acked and unwatch find it on the same loop.
 */
int wait_suspend_watch(struct loop *lp, uint32_t domid);
bool wait_suspend_acked(struct loop *lp, uint32_t domid);
void wait_suspend_unwatch(struct loop *lp, uint32_t domid);

#endif
