/*
 * op_int: the op's state and the calls its files share (core/op.c, the
 * state machine; core/op_migrate.c, a migration's two ends).  Not for
 * anything outside core/op*.c.
 */
#ifndef AXL_OP_INT_H
#define AXL_OP_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <libxl.h>

#include "journal.h"
#include "migrate.h"
#include "op.h"
#include "op_device.h"

/* How often an op looks at what it waits on (ms). */
#define OP_TICK_MS 250

enum op_phase {
    OP_PHASE_MAIN,      /* the libxl call the op is named after */
    OP_PHASE_UNPAUSE,   /* create: unpausing the new domain */
    OP_PHASE_TRIGGER,   /* shutdown/reboot -F: the ACPI button instead */
    OP_PHASE_WAIT,      /* shutdown/reboot -w: until the domain is down */
    OP_PHASE_CONSOLE,   /* create -c: the console client connects */
    OP_PHASE_LOCK,      /* create, autoballoon: waiting for xl's lock */
    OP_PHASE_BALLOON,   /* create, autoballoon: Domain-0 gives memory */
    OP_PHASE_SAVE_CONFIG, /* save: reading the configuration to store */
    OP_PHASE_SAVE_PAUSE,  /* save -p: pausing before the resume */
    OP_PHASE_SAVE_RESUME, /* save -c/-p, or after a cancel: resuming */
    OP_PHASE_SAVE_DESTROY,/* save: the saved domain goes */
    OP_PHASE_MIG_BANNER,  /* migrate: waiting for the target's banner */
    OP_PHASE_MIG_READY,   /* migrate: the stream is sent; target builds */
    OP_PHASE_MIG_REPORT,  /* migrate: told to go; its report to come */
    OP_PHASE_MIG_BACK,    /* migrate: it failed; its leave to resume */
    OP_PHASE_MIG_END,     /* migrate: the target's command ends */
    OP_PHASE_MIG_GO,      /* incoming: built, paused; the go-ahead */
    OP_PHASE_MIG_DRAIN,   /* incoming: failed; the sender's last words */
};

/* How long a migration waits for the target's command to end. */
#define OP_SUSPEND_SETTLE_MS 10000  /* a guest asked to suspend, at most */
#define OP_MIG_END_TERM_MS 5000   /* then SIGTERM */
#define OP_MIG_END_KILL_MS 10000  /* then SIGKILL */
#define OP_MIG_DRAIN_MS    10000

/* Autoballoon: how often to look, how long without progress, in all. */
#define OP_BALLOON_POLL_MS   100
#define OP_BALLOON_STALL_MS  10000
#define OP_BALLOON_TOTAL_MS  30000

/* How long a create waits for its console client before unpausing. */
#define OP_CONSOLE_WAIT_MS 5000

struct op {
    struct loop *lp;
    enum op_kind kind;
    enum op_state state;
    enum op_phase phase;
    enum op_result result;
    enum op_on_cancel on_cancel;
    bool start_paused;
    bool abandon_cleanup;     /* second cancel: leave the domain be */
    bool cancelled;           /* a cancel was asked for */
    bool gone;                /* OPK_READ: the domain had vanished */
    struct journal_rec jr;    /* OPK_BUILD, OPK_ADD: while it runs */
    char phase_text[160];     /* op_phase() */
    uint64_t t_phase;         /* when it began (ms) */
    enum op_phase tick_phase; /* op->phase at the last tick */
    char cancel_phase[200];   /* "during X (after N s)", at the cancel */
    uint32_t seen_domid;      /* a create's domain, once seen by name */
    struct loop_timer *tick;
    int why;
    char *label;
    uint32_t domid;
    uint32_t domid_out;       /* libxl writes the new domid here */
    libxl_domain_config config;
    enum op_dev_kind dev_kind;          /* OPK_DEV: the device's kind */
    const struct op_dev_kind_info *dk;  /* and its row */
    void *dev;                /* OPK_DEV: a libxl_device_<kind> */
    bool force;               /* OP_DEV_REMOVE: destroy, not remove */
    bool fallback;            /* OPK_REQ: ACPI button without PV drivers */
    int wait;                 /* OPK_REQ: 1 until shut down, 2 until gone */
    bool then_destroy;        /* shutdown -w: destroy on --timeout */
    libxl_bitmap vcpus;       /* OP_VCPU_SET: the vCPUs to have online */
    libxl_trigger trigger;    /* OP_TRIGGER */
    uint32_t trigger_vcpu;
    char *monitor_cmd;        /* OP_QEMU_MONITOR: the command, */
    char *monitor_out;        /* and what the device model answered */
    char *path;               /* OP_CORE_DUMP: the file */
    char *out_path;           /* op_set_out_file(): the file's name, */
    char *out_tmp;            /* and its name while it is written */
    bool out_whole;           /* it is whole (synced) */
    void (*settled)(struct op *op);  /* op_save_settle(): then this */
    bool suspend_watched;     /* wait_suspend_watch() on domid */
    uint64_t t_settle;        /* when the settling began (ms) */
    pid_t child;              /* OPK_CHILD: the child making the call */
    int fd;                   /* save: the file written; restore: read */
    bool own_fd;              /* closed when the op is done */
    enum op_save_after save_after;
    bool save_have_config;    /* save: op->config given, not retrieved */
    bool save_undo;           /* save: resuming after a cancel/failure */
    bool save_keep_domid;     /* save -D: the domid goes in the file */
    off_t save_abort_at;      /* abort once the file has grown past */
    uint64_t t_save_abort;    /* when the abort was asked for (ms) */
    struct loop_timer *save_timer;
    uint64_t stream_bytes;    /* save, migrate: written so far */
    pid_t stream_pid;         /* and by which helper */
    uint64_t stream_bytes0;   /* what was there when the stream began */
    uint64_t t_stream_ms;     /* when the stream began */
    int mig_recv_fd;          /* migrate: the target's replies */
    pid_t mig_child;          /* migrate: the target's command */
    int mig_child_status;
    bool mig_go_sent;         /* migrate: past the point of no return */
    bool mig_ended;           /* migrate: the transport is closed */
    bool mig_termed;          /* migrate: its command was sent SIGTERM */
    uint8_t mig_target_rc;    /* migrate: the target's report */
    enum op_result mig_result;/* held while the target's command ends */
    struct migrate_wait *mig_wait;
    struct loop_timer *mig_timer;
    char *mig_name;           /* the guest's name on both ends */
    bool mig_in;              /* incoming: a create from a migration */
    int mig_reply_fd;         /* incoming: to the sender */
    bool mig_ready_sent, mig_go_seen, mig_failed, mig_reported;
    libxl_domain_restore_params restore_params;
    libxl_evgen_domain_death *deathw;
    struct loop_event_sink sink;  /* where the death watch reports */
    bool balloon;                 /* create: free memory first */
    char lockfile[256];           /* xl's lock */
    bool locked;                  /* this op holds it */
    pid_t lock_holder;            /* who else does */
    uint64_t need_kb;             /* what the new domain needs */
    uint64_t reserved_kb;         /* what it counts on, building */
    struct op *balloon_next;      /* on op_balloon_list while it does */
    uint64_t asked_kb;            /* what Domain-0 was asked to give */
    uint64_t best_free_kb;        /* the most free memory seen */
    uint64_t t_balloon_ms, t_progress_ms;
    struct loop_timer *balloon_timer;
    op_console_fn *console_fn;    /* create -c: the console is ready */
    void *console_user;
    libxl_asyncprogress_how console_how;
    bool console_waiting;         /* the client has not connected yet */
    struct loop_timer *console_timer;
    libxl_asyncop_how how;    /* the main ao (and the unpause phase) */
    libxl_asyncop_how clean_how;
    int rc;                   /* the main ao's rc */
    int clean_rc;
    uint64_t t_start, t_abort, t_ao_done, t_done;
    const struct op_hooks *hooks;
    void *user;
};

/* ---- op.c, for op_migrate.c ---- */

/* A message for the user through the op's hooks. */
void op_note(struct op *op, enum op_note_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* "domain 5 ('web')", in buf. */
const char *op_dom_desc(struct op *op, char *buf, size_t len);
/* Why libxl's call failed (rc), in words. */
const char *op_failure(struct op *op, int rc);
/* End the op with result: its last steps, then its done hook. */
void op_finish(struct op *op, enum op_result result);
/* Issue the libxl call of the op's phase; -1 if it failed at once. */
int op_launch(struct op *op);
/* The on-cancel cleanup of a half-built domain, as an ao. */
void op_start_cleanup(struct op *op);
/* A create's ao has completed after a cancel (rc its result). */
void op_create_cancelled(struct op *op, int rc);
/* A save or migration undone: the guest resumed here. */
void op_save_undo(struct op *op);
/* Whether the op's guest is suspended for its save or migration. */
bool op_save_suspended(struct op *op);
/* then(op) once the guest has either suspended or refused to. */
void op_save_settle(struct op *op, void (*then)(struct op *op));
/* The configuration to send or store is read (rc): go on. */
void op_save_config_done(struct op *op, int rc);
/* What the op's stream has carried so far, in bytes. */
uint64_t op_stream_bytes(struct op *op);

/* ---- op_migrate.c, for op.c ---- */

/* Sender: wait for the target's banner; -1 (said) if it cannot. */
int op_mig_start(struct op *op);
/* Sender: the stream is sent; wait for the target. */
void op_mig_ready(struct op *op);
/* Receiver: the domain is built, paused: tell the sender, await go. */
void op_mig_in_ready(struct op *op);
/* Receiver: the handover failed here; the copy is half-built again. */
void op_mig_in_uncommit(struct op *op);
/*
 * Called first by op_finish(): a migration's last steps.  True when the
 * op is not finished yet (op_finish() is called again later).
 */
bool op_mig_finish(struct op *op, enum op_result result);
/* A cancel where a migration has its own rules; true when handled. */
bool op_mig_abort(struct op *op);

#endif
