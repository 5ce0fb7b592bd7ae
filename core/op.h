/*
 * op: one domain operation, run as a callback-mode libxl ao, that can be
 * cancelled at any moment.
 *
 * The op owns every parameter libxl reads while the ao runs (the domain
 * configuration above all), its state, its result and its timings.
 *
 * The ops in flight are counted on the loop (loop_busy()); the jobs of
 * cli/ are the one list through which a signal, a timeout or the
 * shell's `abort` reaches them.
 *
 * Cancellation, for a create: libxl_ao_abort; when the ao completes with
 * ERROR_ABORTED libxl has kept the half-built domain, and the op applies
 * its on-cancel policy: destroy it as a fresh ao (the cleanup), or keep
 * it.  A device attach is the same with the half-attached device: libxl
 * leaves its xenstore entries behind, and the cleanup is a forced
 * removal (libxl_device_<kind>_destroy; see core/op_device.c for each
 * kind).  A second abort during the
 * cleanup aborts the cleanup too.  Every step is reported through the
 * note hook; the last note says what exists.
 *
 * Re-entrancy: the done hook may run inside op_start() and inside
 * op_abort(), because libxl may complete an ao within the initiating
 * call or within libxl_ao_abort.  Callers must not touch an op after its
 * done hook has run except to read it and op_free() it.
 */
#ifndef AXL_OP_H
#define AXL_OP_H

#include <stdbool.h>
#include <stdint.h>
#include <libxl.h>

#include "loop.h"

enum op_kind {
    OP_CREATE,
    OP_DESTROY,
    OP_PAUSE,
    OP_UNPAUSE,
    OP_SHUTDOWN,
    OP_REBOOT,
    OP_DEV_ADD,         /* block-attach, vtpm-attach, ... (op_set_dev) */
    OP_DEV_REMOVE,      /* block-detach, vtpm-detach, ... */
    OP_CD_INSERT,       /* cd-insert: a medium into a drive (a disk) */
    OP_CD_EJECT,        /* cd-eject: the drive left empty */
    OP_RETRIEVE,        /* read a domain's stored configuration */
    OP_VCPU_SET,        /* set how many vCPUs are online */
    OP_TRIGGER,         /* send a trigger (nmi, power, ...) */
    OP_QEMU_MONITOR,    /* one command to the device model's monitor */
    OP_CORE_DUMP,       /* write the domain's memory to a file */
    OP_SOFT_RESET,      /* reset a domain in place with op_config() */
    OP_SAVE,            /* save a domain to a file (op_set_fd) */
    OP_MIGRATE,         /* send a domain to another host (op_set_migrate) */
    OP_RESUME,          /* resume a suspended domain (a cleanup's) */
};

/* What an OP_DEV_* op attaches or detaches: one row each in op_device.c. */
enum op_dev_kind {
    OP_DEV_DISK,
    OP_DEV_NIC,
    OP_DEV_VTPM,
    OP_DEV_VKB,
    OP_DEV_VDISPL,
    OP_DEV_VSND,
    OP_DEV_USBCTRL,
    OP_DEV_USBDEV,
    OP_DEV_PCI,
};

enum op_state {
    OP_IDLE,        /* made, not started */
    OP_RUNNING,
    OP_ABORTING,    /* libxl_ao_abort called; waiting for the ao */
    OP_CLEANING,    /* the on-cancel cleanup (destroy) is running */
    OP_DONE,
};

enum op_result {
    OP_RESULT_NONE,       /* not finished */
    OP_RESULT_OK,
    OP_RESULT_FAILED,
    OP_RESULT_CANCELLED,
};

enum op_on_cancel {
    OP_ON_CANCEL_DESTROY,
    OP_ON_CANCEL_KEEP,
};

/* Why an op was cancelled: a signal number, or this for --timeout. */
#define OP_WHY_TIMEOUT  (-1)
/* ... or this for an explicit request (the shell's abort). */
#define OP_WHY_REQUEST  (-2)

enum op_note_level {
    OP_NOTE_PROGRESS,   /* what is happening; shown on a terminal */
    OP_NOTE_INFO,       /* always shown: cancellation and its outcome */
    OP_NOTE_ERROR,
};

struct op;

struct op_hooks {
    /* A message for the user: one line, no prefix, no newline. */
    void (*note)(struct op *op, enum op_note_level level, const char *msg,
                 void *user);
    /* The op is finished: state OP_DONE, result set.  Called once. */
    void (*done)(struct op *op, void *user);
    /*
     * Four times a second while the op runs: its phase (op_phase()),
     * changed says whether the words differ from the last call's.  May
     * be NULL.
     */
    void (*tick)(struct op *op, bool changed, void *user);
    /*
     * Whether someone looks at the op's words now (a status line, -v,
     * a subscriber to its events): only then does each tick read what
     * costs xenstore round trips.  May be NULL: always.
     */
    bool (*watched)(struct op *op, void *user);
    /*
     * Why the op's libxl call failed, in words, if the caller knows
     * better than libxl's error code (the first error libxl logged);
     * NULL if not.  Asked only for an error line.  May be NULL.
     */
    const char *(*cause)(struct op *op, void *user);
    /*
     * The core dump's libxl call blocks where no abort reaches, and a
     * create's build holds up the loop (op_worker.h): each runs in a
     * process of its own, which only cli/ ends (it decides how a
     * process exits): fork with proc_fork() (PROC_SESSION, named in the
     * journal), call op_child_work() in the child and end it by that
     * result (0: the call worked); return the child's pid, or -1.  May
     * be NULL: a dump then fails at once, a create builds here.
     */
    pid_t (*child)(struct op *op, void *user);
};

/* In the child hooks->child made: the op's libxl call; its libxl result. */
int op_child_work(struct op *op);

/*
 * How many domain builds lp's creates run at once, each in a process of
 * its own (op_worker.c): n > 0; 0 builds them in this process, one after
 * another; -1 (the default) as many as there are CPUs online.
 */
void op_set_workers(struct loop *lp, int n);

/*
 * Make an op of the given kind.  label names the domain for messages
 * (for a create, the config's name is used if label is NULL).  hooks
 * must outlive the op.  Returns NULL on allocation failure.
 */
struct op *op_new(struct loop *lp, enum op_kind kind, const char *label,
                  const struct op_hooks *hooks, void *user);

/*
 * Free a finished or never-started op.  A running one is left alone
 * (libxl still holds it): it is leaked rather than freed under libxl.
 */
void op_free(struct op *op);

/*
 * For OP_CREATE and OP_SOFT_RESET: the configuration the op owns and
 * hands to libxl.  It is initialised; fill it before op_start().  For OP_RETRIEVE: where
 * libxl puts the domain's configuration, valid once the op is done.
 */
libxl_domain_config *op_config(struct op *op);

/* For every kind but OP_CREATE: the domain to act on. */
void op_set_domid(struct op *op, uint32_t domid);

/*
 * For OP_DEV_*: the kind of device (a disk until set); the op then owns
 * one, initialised, replacing any it had.  -1 if out of memory.  The
 * verb is the kind's ("vtpm-attach").  OP_CD_* act on a disk.
 */
int op_set_dev(struct op *op, enum op_dev_kind kind);
/*
 * The device the op owns and hands to libxl: a libxl_device_<kind> *
 * (libxl_device_disk * for OP_CD_*); fill it before op_start().
 * Messages name a disk by its vdev, a PCI device by its address, a USB
 * device by controller and port, the others by their index (which
 * libxl picks when it is -1).  NULL for other op kinds.
 */
void *op_dev(struct op *op);
/* For OP_DEV_REMOVE: remove at once, without the guest's cooperation. */
int op_set_force(struct op *op, bool force);

/*
 * For OP_VCPU_SET: vCPUs 0 to n-1 online, the others offline.  -1 if the
 * map cannot be allocated.
 */
int op_set_vcpus(struct op *op, unsigned n);
/* For OP_TRIGGER: the trigger and the vCPU it is sent to (-1: not one). */
int op_set_trigger(struct op *op, libxl_trigger trigger, uint32_t vcpu);
/*
 * For OP_CORE_DUMP: the file to write (copied; -1 if it cannot be, or
 * for another kind).
 */
int op_set_path(struct op *op, const char *path);
/*
 * For OP_SAVE and OP_CORE_DUMP: the file the op writes, under the name
 * path.axl-tmp until it is whole (for a save: -1 with errno EEXIST if
 * that name is taken; made when the op starts).  Whole, it is synced
 * and renamed to path before the save's domain is destroyed; otherwise
 * it is removed when the op ends.  The op's journal record names it,
 * so that a cleanup after a killed axl removes it, or names it if it
 * was whole.  -1 with errno EINVAL for an op of another kind.
 */
int op_set_out_file(struct op *op, const char *path);
/* The name the file is written under (NULL without op_set_out_file). */
const char *op_out_tmp(const struct op *op);
/* Why the file cannot be made (errno e), in buf: one line, no prefix. */
const char *op_out_cannot(const struct op *op, int e, char *buf,
                          size_t len);
/*
 * For OP_QEMU_MONITOR: the command (copied; -1 if it cannot be); once
 * the op is done, its output, or NULL if the device model gave none.
 */
int op_set_monitor_command(struct op *op, const char *command);
const char *op_monitor_output(const struct op *op);
/*
 * A journal record (core/journal.h) of a device attach names its kind by
 * the verb and the device by vdev or devid.  op_dev_recorded: whether
 * that device is still attached to domid (1, 0, or -1 if libxl cannot
 * say or the verb is no device kind).  op_set_dev_recorded: make op (an
 * OP_DEV_REMOVE, its domid set) remove it: 0, or -1 for no such kind.
 */
struct journal_rec;
int op_dev_recorded(libxl_ctx *ctx, uint32_t domid,
                    const struct journal_rec *jr);
int op_set_dev_recorded(struct op *op, libxl_ctx *ctx,
                        const struct journal_rec *jr);
/*
 * For OP_DEV_REMOVE (its domid set): make the op's device, of the given
 * kind, the domain's device that word (a disk's vdev, a PCI address, a
 * USB device's "CONTROLLER PORT") or devid (the others' index) names.
 * 0 if found; 1 if the domain has no such device, -1 if libxl cannot
 * say or the name does not fit the kind (the device is then only named,
 * for messages).
 */
int op_find_dev(struct op *op, libxl_ctx *ctx, enum op_dev_kind kind,
                const char *word, int devid);

/*
 * For OP_CREATE (xl create -c): libxl says the console is ready (a
 * bootloader's first, then the guest's): fn gets the domain whose
 * console to attach to.  The create then waits (at most a few seconds)
 * for op_console_connected() before it unpauses the domain, so that
 * the client sees the guest from its first line.  op_set_console
 * returns -1 (and sets nothing) for an op of another kind, which
 * op_console_connected leaves alone.
 */
typedef void op_console_fn(struct op *op, uint32_t domid, void *user);
int op_set_console(struct op *op, op_console_fn *fn, void *user);
void op_console_connected(struct op *op);

/*
 * For OP_CREATE (xl.conf's autoballoon): before the build, take xl's
 * lock (lockfile) and, if the host lacks free memory, ask Domain-0 to
 * give back what is missing, waiting (bounded, cancellable) until it
 * has; the lock is held until the build is done, as xl holds it.  -1
 * (and nothing set) for an op of another kind, or if out of memory.
 */
int op_set_balloon(struct op *op, const char *lockfile);

/*
 * OP_SAVE: write xl's save file to fd (the header with the domain's
 * configuration, read by the op, or op_config() filled by the caller
 * and op_set_save_config()), then libxl's stream; after it, destroy
 * the domain (xl save), resume it (save -c) or leave it paused (-p).
 * A cancel or failure once the guest is suspended resumes it.  The file
 * is the caller's: the op neither closes nor removes it.
 * OP_CREATE with op_set_fd(): a restore from fd, positioned at libxl's
 * stream (core/savefile.h reads the header).
 * These setters return -1 (and set nothing) for an op of another kind,
 * or if out of memory: op_set_fd() and op_own_fd() take OP_SAVE,
 * OP_MIGRATE and OP_CREATE; op_set_save_after() OP_SAVE; the others
 * OP_SAVE and OP_MIGRATE.
 */
enum op_save_after {
    OP_SAVE_THEN_DESTROY,
    OP_SAVE_THEN_RESUME,
    OP_SAVE_THEN_PAUSE,
};
int op_set_fd(struct op *op, int fd);
/* The op closes its fd when it is done (a restore's file). */
int op_own_fd(struct op *op);
int op_set_save_after(struct op *op, enum op_save_after after);
int op_set_save_config(struct op *op);
/* save -D: the file's configuration keeps the domain's id. */
int op_set_save_keep_domid(struct op *op);

/*
 * OP_MIGRATE: a save, live, into the stream to a target speaking xl's
 * protocol (core/migrate.h), whose command (ssh HOST xl migrate-receive)
 * is child (the leader of its own process group), writing to send_fd
 * and reading from recv_fd; the op owns both fds and reaps child.
 * name: the guest's name, renamed to NAME--migratedaway here before the
 * target may start it.  Before the go-ahead, a cancel or failure leaves
 * the guest running here and the target drops its copy; after it, only
 * the target's report ends the op.  The op ends once the target's
 * command has: after a success it gets 5 s before SIGTERM; after a
 * failure or cancel, SIGTERM at once (a receiver then drops its copy);
 * SIGKILL 10 s later.  Both setters return -1 for an op of another kind
 * (nothing set), and op_set_migrate_name() if out of memory (no name:
 * nothing is renamed).
 */
int op_set_migrate(struct op *op, int send_fd, int recv_fd, pid_t child);
int op_set_migrate_name(struct op *op, const char *name);
/*
 * OP_CREATE with op_set_fd(): the receiving end of a migration.  Once the
 * domain is built (paused, under its config's name NAME--incoming) the
 * op tells the sender on reply_fd and waits for its go-ahead on the
 * stream; then renames it to name and unpauses it (unless paused).  A
 * failure or cancel destroys the copy and tells the sender to resume
 * its own.  -1 if out of memory, or for an op of another kind.
 */
int op_set_migrate_in(struct op *op, int reply_fd, const char *name);

void op_set_on_cancel(struct op *op, enum op_on_cancel policy);
/* For OP_CREATE: leave the domain paused (xl create -p). */
void op_set_start_paused(struct op *op, bool paused);
/*
 * For OP_SHUTDOWN and OP_REBOOT: press the guest's ACPI power or reset
 * button when it has no PV drivers (xl -F); then wait (xl -w) until it
 * has shut down (wait 1) or is gone (wait 2), as libxl's domain death
 * event says.  A cancel during the wait ends only the wait.  These
 * setters return -1 (and set nothing) for an op of another kind.
 */
int op_set_fallback(struct op *op, bool fallback);
/*
 * For OP_SHUTDOWN with a wait: when --timeout ends the wait, destroy the
 * domain instead of leaving it (the op then succeeds once it is gone).
 */
int op_set_then_destroy(struct op *op, bool then_destroy);
int op_set_wait(struct op *op, int wait);

/*
 * Give the op its label now, as op_start() does: a create's domain name
 * from its configuration, else "?" if it has none.  Idempotent.
 */
void op_name_it(struct op *op);
/*
 * Start the op.  Returns 0 when the op is running or already done (the
 * done hook has then run); -1 if libxl refused a call at once (the op
 * may then be done, failed, or have gone on to a fallback: look at
 * op_state()).  Either way the done hook runs exactly once.
 */
int op_start(struct op *op);

/*
 * Cancel the op; why is a signal number, OP_WHY_TIMEOUT or
 * OP_WHY_REQUEST.  What a call does depends on where the op is, not on
 * how many calls came before: a running ao is aborted; while libxl
 * stops, the cleanup to come is abandoned; a running cleanup is aborted
 * and the domain (or device) left as it is.  A finished op is left
 * alone.  May run the done hook before returning.
 */
void op_abort(struct op *op, int why);

/*
 * What is left if axl exits now, while the op runs, in one sentence for
 * the user: "xvdb may be left half-attached to domain 5; remove it with
 * 'axl block-detach -f 5 xvdb'", "a pause leaves nothing to clean up".
 * A device's line comes from its kind's row.
 */
const char *op_left(struct op *op, char *buf, size_t len);

enum op_state op_state(const struct op *op);
enum op_result op_result(const struct op *op);
/*
 * The op's domain, or for a create the domain it is making once libxl
 * has made it (found by its uuid and name, then kept); INVALID_DOMID
 * if none yet.
 */
uint32_t op_phase_domid(struct op *op);
/*
 * What the stream of a finished save, migration or restore carried, in
 * bytes; 0 for another op.
 */
uint64_t op_stream_total(const struct op *op);
/*
 * A migration's downtime as its sender measures it: from the guest's
 * suspend here to the target's word that it runs there, in ms (the
 * report's trip back included); -1 if it did not get that far, or for
 * another op.
 */
int64_t op_mig_downtime_ms(const struct op *op);
/*
 * The time a finished op spent in each of its phases, in ms, each phase
 * it was in once, by a short name ("main", "balloon", "resume", ...),
 * into keys and ms (room for max).  Returns how many.
 */
int op_phase_times(const struct op *op, const char **keys, uint32_t *ms,
                   int max);
/*
 * Why a cancel of the op would be refused now, in words (past a
 * migration's go-ahead: the target may run the guest), or NULL if it
 * would be taken.
 */
const char *op_no_cancel(const struct op *op);
/* The signal or OP_WHY_* that cancelled the op; 0 if none. */
int op_why(const struct op *op);
/* The domain, or INVALID_DOMID while it is not known. */
uint32_t op_domid(const struct op *op);
const char *op_label(const struct op *op);
/*
 * The op's journal record (for a child forked for the op alone: proc.h's
 * journal_rec); its file may not be written yet, or at all.
 */
struct journal_rec *op_journal_rec(struct op *op);
/* "create", "destroy", ... */
const char *op_verb(const struct op *op);
/*
 * What the op is waiting on now, in words, from facts (core/wait.h):
 * "hotplug script block add for xvda (pid 812)", "bootloader
 * /usr/lib/xen/bin/pygrub", "waiting for vtpm 0 backend to connect
 * (state Initialising)", or "waiting on libxl" when no fact says more.
 * Empty before the op starts and after it is done.  Words the op's last
 * look left unfinished, because no one looked, are worked out now: this
 * may read xenstore and write the op's journal record.
 */
const char *op_phase(struct op *op);
/*
 * Someone has begun to look (op_hooks.watched says so from now on):
 * the op looks four times a second again from now, not after the rest
 * of an idle interval.
 */
void op_look_now(struct op *op);
/*
 * Whether no other op ran from the op's start until now: every error
 * libxl logged meanwhile is then its own (log_cause_of()).
 */
bool op_ran_alone(const struct op *op);
/*
 * Why the op failed, from the errors libxl logged since it started (or
 * since op_log_said()): those logged inside its own libxl calls, or
 * naming its domain, before any other (log_cause_of()); where: as
 * libxl wrote it, with its source location.  NULL if none is its own.
 */
const char *op_log_cause(struct op *op, bool where);
/* Its cause has been said: its next failure's is another. */
void op_log_said(struct op *op);
/* Seconds since the phase began. */
double op_phase_secs(const struct op *op);

/* For OP_RETRIEVE: the domain had vanished; there is no configuration. */
bool op_gone(const struct op *op);
/* A cancel of this op may run a cleanup (a create or attach, destroy). */
bool op_may_clean_up(const struct op *op);
/* Milliseconds: started to done; abort requested to ao done; to done. */
double op_ms_total(const struct op *op);
double op_ms_abort_to_ao(const struct op *op);
double op_ms_abort_to_done(const struct op *op);

#endif
