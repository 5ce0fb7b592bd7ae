/*
 * op_int: the op's state, the row each kind fills in, and the calls the
 * op files share.  core/op.c is the state machine every kind shares;
 * each kind is a row (struct op_kind_row) in a file of its own:
 *
 *   op_create.c    create, restore, incoming migration (and create -c)
 *   op_balloon.c   create's autoballoon: xl's lock, Domain-0's memory
 *   op_device.c    attach, detach, cd-insert, cd-eject
 *   op_save.c      save, resume, and the stream and file a save writes
 *   op_migrate.c   a migration's two ends
 *   op_coredump.c  dump-core, whose call runs in a child
 *   op_request.c   shutdown and reboot: -F, -w, --then-destroy
 *   op_simple.c    the kinds that are one ao and nothing else
 *
 * Not for anything outside core/op*.c.
 */
#ifndef AXL_OP_INT_H
#define AXL_OP_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <libxl.h>

#include "journal.h"
#include "op.h"
#include "op_device.h"

/*
 * How often an op looks at what it waits on (ms): four times a second
 * while someone looks (op_hooks.watched) or its words have just
 * changed; else ever less often, down to once in OP_TICK_IDLE_MS (a
 * look costs a few system calls, which a hundred ops waiting on their
 * scripts would pay four times a second for no one).
 */
#define OP_TICK_MS 250
#define OP_TICK_IDLE_MS 4000

/*
 * An op's phase: which libxl call (or wait) it is in.  MAIN, the call the
 * op is named after, is the one every kind has; the others are a kind's
 * own, numbered from OP_PHASE_OWN in an enum private to the kind's file,
 * or to its family's header where files share one op (op_create_int.h:
 * create, restore, incoming migration; op_stream.h: save, resume,
 * migration's sending end).  Below OP_PHASE_MAX, which sizes
 * op->phase_ms; each family's enum asserts that it fits.
 */
#define OP_PHASE_MAIN 0   /* the libxl call the op is named after */
#define OP_PHASE_OWN  1   /* the first a kind may use for its own */
#define OP_PHASE_MAX  12  /* above every kind's own */

/* ---- a kind's row ---- */

#define OPK_BUILD  0x1u   /* builds a domain: a cancel may leave it */
#define OPK_DEV    0x2u   /* acts on one device of the domain */
#define OPK_ADD    0x4u   /* attaches it: a cancel may leave it */
#define OPK_CD     0x8u   /* changes the medium of a drive (a disk) */
#define OPK_READ   0x10u  /* reads only: a domain that is gone is no error */
#define OPK_REQ    0x20u  /* asks the guest (shutdown, reboot): may wait */
#define OPK_STREAM 0x40u  /* writes a stream of the guest (save, migrate) */
#define OPK_MIGRATE 0x80u /* to another host: a migration's sending end */

typedef int op_call_fn(struct op *op, libxl_ctx *ctx,
                       libxl_asyncop_how *how);

/* Private to op_save.c and op_migrate.c (struct op: save, mig). */
struct op_save_state;
struct op_mig_state;

/*
 * What a kind does at each step of the state machine (see op.c).  Every
 * hook but call may be NULL: op.c then does what a one-ao kind does.
 */
struct op_kind_row {
    const char *verb;       /* NULL: the device kind's */
    unsigned flags;         /* OPK_* */
    /* The libxl call of the op's phase, OP_PHASE_MAIN or its own. */
    op_call_fn *call;
    /*
     * The short names of the kind's own phases, indexed by phase, for
     * the record of a finished op (op_phase_times(); MAIN is "main"),
     * and how many entries: a phase must be named to be entered.
     */
    const char *const *phase_keys;
    int n_phase_keys;
    /* After op_start()'s common steps: launch; -1 if it ended at once. */
    int (*start)(struct op *op);
    /* The ao of the op's phase has completed with rc. */
    void (*done)(struct op *op, int rc);
    /*
     * A cancel the kind answers itself, before op.c aborts the running
     * ao: true when answered.
     */
    bool (*abort)(struct op *op, int why);
    /* op_finish()'s first step: true if the op is not finished yet. */
    bool (*finish)(struct op *op, enum op_result *result);
    /* The phase in words, if the kind has its own: true when said. */
    bool (*phase_words)(struct op *op, char *buf, size_t len);
    /* The on-cancel cleanup's call (NULL: destroy the domain). */
    op_call_fn *clean;
    /* The on-cancel cleanup's ao has completed with rc. */
    void (*clean_done)(struct op *op, int rc);
    /* In the child hooks->child made for the op: its work, its rc. */
    int (*child_work)(struct op *op);
    /*
     * Whether the op is recorded in the journal (journal.h) while it
     * runs, and the record's fields of the kind's own; NULL: never.
     */
    bool (*journal)(struct op *op, struct journal_rec *jr);
    /*
     * The size of the kind's own state (op->priv, zeroed), what it
     * starts as (op_new: -1 if it cannot be made), and its end: op_free()
     * calls dispose for every op of the kind, also for the state it
     * keeps in other files (op->save, op->mig), made or not.
     */
    size_t priv_size;
    int (*init)(struct op *op);
    void (*dispose)(struct op *op);
    /* What axl leaves if it exits before the ao ends (%u: the domid), */
    const char *left;
    /* or, in words of the kind's own, into buf. */
    const char *(*left_words)(struct op *op, char *buf, size_t len);
};

extern const struct op_kind_row op_kind_create, op_kind_destroy, op_kind_pause,
    op_kind_unpause, op_kind_shutdown, op_kind_reboot, op_kind_dev_add,
    op_kind_dev_remove, op_kind_cd_insert, op_kind_cd_eject,
    op_kind_retrieve, op_kind_vcpu_set, op_kind_trigger,
    op_kind_qemu_monitor, op_kind_core_dump, op_kind_soft_reset,
    op_kind_save, op_kind_migrate, op_kind_resume;

/* A create's autoballoon: what it is, op_balloon.c alone knows. */
struct op_balloon_state;

struct op {
    struct loop *lp;
    const struct op_kind_row *k;  /* the kind's row */
    enum op_state state;
    int phase;                /* OP_PHASE_MAIN or the kind's own */
    enum op_result result;
    enum op_on_cancel on_cancel;
    bool start_paused;
    bool abandon_cleanup;     /* second cancel: leave the domain be */
    bool cancelled;           /* a cancel was asked for */
    bool gone;                /* OPK_READ: the domain had vanished */
    struct journal_rec jr;    /* OPK_BUILD, OPK_ADD: while it runs */
    char phase_text[160];     /* op_phase() */
    uint64_t tick_ms;         /* the next tick's interval */
    uint64_t starts;          /* loop_busy_starts() when it started: its
                                 number, and its log_owner() */
    uint64_t log_from;        /* its cause is among libxl's errors since */
    bool alone;               /* no other op ran when it started */
    bool words_stale;         /* the backends were not read: op_phase() will */
    bool words_backend;       /* the words being worked out are a backend's */
    bool words_were_backend;  /* phase_text's are */
    uint64_t t_phase;         /* when it began (ms) */
    int tick_phase;           /* op->phase at the last tick */
    uint64_t t_phase_in;      /* when op->phase was entered (ms) */
    uint32_t phase_ms[OP_PHASE_MAX];  /* time spent in each, so far */
    char cancel_phase[200];   /* "during X (after N s)", at the cancel */
    uint32_t seen_domid;      /* a create's domain, once seen (uuid, name) */
    struct loop_timer *tick;
    int why;
    char *label;
    uint32_t domid;
    libxl_domain_config config;
    void *priv;               /* the kind's own state (priv_size bytes) */
    /*
     * The state of a file that ops of several kinds need, private to
     * that file (an incomplete type here): made there on first need,
     * freed by the rows' dispose; NULL until then.
     */
    struct op_save_state *save;  /* op_save.c: the stream, the file */
    struct op_mig_state *mig;    /* op_migrate.c: a migration's end */
    libxl_evgen_domain_death *deathw;
    struct loop_event_sink sink;  /* where the death watch reports */
    /* create: free memory first (op_set_balloon); op_balloon.c's own. */
    struct op_balloon_state *balloon;
    libxl_asyncop_how how;    /* the main ao (and the unpause phase) */
    libxl_asyncop_how clean_how;
    uint64_t t_start, t_abort, t_ao_done, t_done;
    const struct op_hooks *hooks;
    void *user;
};

/* ---- op.c, for the kinds ---- */

/* op_new() for a row of one's own (the host tests' kind). */
struct op *op_new_row(struct loop *lp, const struct op_kind_row *row,
                      const char *label, const struct op_hooks *hooks,
                      void *user);

/* Whether the op's kind has one of flags (OPK_*). */
bool op_has(const struct op *op, unsigned flags);
/*
 * The op enters phase ph (OP_PHASE_MAIN, or one its row names); the time
 * spent in the one it leaves counts.  Another ph is a programming error:
 * an assertion fails.
 */
void op_phase_to(struct op *op, int ph);
/* The ao of the op's phase has completed (a libxl ao callback). */
void op_main_done(libxl_ctx *ctx, int rc, void *for_callback);
/* What the op acts on, its device joined by prep ("to", "from"). */
const char *op_desc(struct op *op, const char *prep, char *buf,
                    size_t len);
/* "failed", or "cancelled during X (after N s)". */
const char *op_how(struct op *op, enum op_result result, char *buf,
                   size_t len);
/* After a cancelled or failed create: say what is left and finish. */
void op_report_left(struct op *op, enum op_result result);
/* The on-cancel destroy failed (rc): say so and what is left; finish. */
void op_destroy_failed(struct op *op, int rc);
/* libxl's rc in words. */
const char *op_rc_text(int rc);
/* The common answer to a one-ao kind's end (rc). */
void op_simple_done(struct op *op, int rc);
/*
 * A kind's call that resets the domain (dom_reset(), where libxl's reset
 * trigger fails): one hypercall, whose end goes to the kind's done at
 * once, as an ao's would; a failure is said, and the op finished.  0.
 */
int op_call_reset(struct op *op, libxl_ctx *ctx);
/* Run the kind's cleanup call (a destroy by default) as an ao. */
void op_cleanup_ao(struct op *op);

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

/* Why a cancel of a migration's end would be refused now, or NULL. */
const char *op_mig_no_cancel(const struct op *op);

/* ---- the kinds' files, for each other ---- */

/* op_device.c: "xvdb", "vif 1", or "a vif" while libxl has not chosen. */
const char *op_dev_name(struct op *op, char *buf, size_t len);
/* op_device.c: the verb of a device op ("block-attach", ...). */
const char *op_dev_verb(const struct op *op);
/* op_device.c: the command that removes the op's device, in buf. */
const char *op_dev_remove_hint(struct op *op, char *buf, size_t len);

/* op_balloon.c: start a create that frees memory first. */
int op_balloon_start(struct op *op);
/* op_balloon.c: its lock and reservation go (built, or not). */
void op_balloon_release(struct op *op);
/* op_balloon.c: a cancel while no ao runs yet; true when answered. */
bool op_balloon_abort(struct op *op);
/* op_balloon.c: the lock or memory waited for, in words. */
bool op_balloon_phase(struct op *op, char *buf, size_t len);
/* op_balloon.c: the op is freed (done, or never started): its state goes. */
void op_balloon_dispose(struct op *op);

/*
 * op_save.c: the op's stream and file (op->save), made if it has none
 * (a save's and a migration's init): 0, or -1 if out of memory.
 */
int op_save_make(struct op *op);
/* op_save.c: op->save goes (a row's dispose; NULL is nothing). */
void op_save_free(struct op *op);
/* op_save.c: the stream's descriptor (op_set_fd()); -1 if none. */
int op_stream_fd(const struct op *op);
/* op_save.c: close the stream's descriptor now; it is -1 after. */
void op_stream_close(struct op *op);
/*
 * op_save.c: the op ends: the descriptor it owns (op_own_fd(), a
 * file op_out_open() made) is closed.  The last step of the finish of
 * every kind that can own one.
 */
void op_stream_fd_end(struct op *op);
/* op_save.c: a restore's stream begins: the 1 MiB an abort waits for. */
void op_stream_mark(struct op *op);
/* op_save.c: when the stream began (loop_now_ms()); 0 if not yet. */
uint64_t op_stream_t0(const struct op *op);
/* op_save.c: what the op's stream has carried so far, in bytes. */
uint64_t op_stream_bytes(struct op *op);
/*
 * op_save.c: a save's or migration's first step: the configuration to
 * store or send is read (SAVE_CONFIG), or the one given is taken; then
 * the stream.  -1 if the op ended failed at once.
 */
int op_save_begin(struct op *op);
/* op_save.c: a save or migration undone: the guest resumed here. */
void op_save_undo(struct op *op);
/* op_save.c: whether the op's guest is suspended for its stream. */
bool op_save_suspended(struct op *op);
/* op_save.c: then(op) once the guest has either suspended or refused to. */
void op_save_settle(struct op *op, void (*then)(struct op *op));
/* op_save.c: open the save's or core dump's file; -1 if it failed. */
int op_out_open(struct op *op);
/* op_save.c: the file is whole: sync and name it; -1 (said) if not. */
int op_out_whole(struct op *op);
/* op_save.c: the op ends: a file not whole is removed. */
void op_out_end(struct op *op, enum op_result *result);
/* op_save.c: the libxl call that writes the stream. */
int op_call_save(struct op *op, libxl_ctx *ctx, libxl_asyncop_how *how);
/* op_save.c: a save's or migration's ao of a phase has completed. */
void op_save_done(struct op *op, int rc);
/* op_save.c: the stream's phase in words, with bytes and rate (true). */
bool op_stream_phase(struct op *op, char *buf, size_t len);
/* op_save.c: cancel a stream once it is safe to (libxl 4.17). */
void op_stream_abort(struct op *op);
/* op_save.c: a stream's record (the save's and migration's hook). */
bool op_save_journal(struct op *op, struct journal_rec *jr);
/* op_save.c: the file being written, in the record. */
void op_out_journal(struct op *op, struct journal_rec *jr);
/* op_save.c: watch whether the guest takes the suspend request. */
void op_save_watch(struct op *op);
/* op_save.c: "save" or "migration". */
const char *op_save_noun(const struct op *op);
/* op_save.c: a stream's ends: its timer, the suspend watch. */
void op_stream_end(struct op *op);

/* op_migrate.c: op->mig goes (a row's dispose; NULL is nothing). */
void op_mig_free(struct op *op);
/* op_migrate.c: whether the op is a migration's receiving end. */
bool op_mig_in(const struct op *op);
/*
 * op_migrate.c: the receiving end failed here: its copy is destroyed
 * (the on-cancel cleanup), and the op ends failed, not cancelled.
 */
void op_mig_in_fail(struct op *op);
/* op_migrate.c: whether op_mig_in_fail() was called. */
bool op_mig_in_failed(const struct op *op);
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
/* A PV domain on a Xen without shadow paging: no live migration. */
bool op_mig_no_shadow(struct op *op);
/* The handover's timer goes (the op ends). */
void op_mig_timer_stop(struct op *op);

#endif
