/*
 * op_create: a domain built, from a configuration (create), from a save
 * file (restore: op_set_fd), or from a migration's stream (incoming:
 * op_set_migrate_in, whose handover is op_migrate.c's).
 *
 * Phases (op_create_int.h, the family's, which this file's row names):
 * [LOCK -> BALLOON (op_balloon.c)] -> MAIN, the build, which
 * leaves the domain paused -> [CONSOLE: create -c waits for its client]
 * -> UNPAUSE (unless -p).  An incoming migration waits for the sender's
 * go-ahead (MIG_GO) between MAIN and UNPAUSE.  A cancel during the build
 * aborts it; what libxl leaves is destroyed, or kept (--on-cancel=keep).
 * Its state is this file's (struct op_create_state, op->priv), but for
 * the autoballoon's (op_balloon.c) and what op_save.c and op_migrate.c
 * share (the stream, the handover).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxl_utils.h>

#include "dom.h"
#include "journal.h"
#include "loop.h"
#include "op.h"
#include "testpoint.h"

#include "op_create_int.h"
#include "op_worker.h"

/* How long a create waits for its console client before unpausing. */
#define OP_CONSOLE_WAIT_MS 5000

/* A create's own state (op->priv): the build's, and create -c's. */
struct op_create_state {
    uint32_t domid_out;           /* libxl writes the new domid here */
    /* A restore's and an incoming migration's (op->fd >= 0). */
    libxl_domain_restore_params restore_params;
    op_console_fn *console_fn;    /* create -c: the console is ready */
    void *console_user;
    libxl_asyncprogress_how console_how;
    bool console_waiting;         /* the client has not connected yet */
    struct loop_timer *console_timer;
    struct op_worker worker;      /* a create's build (op_worker.h) */
    bool clean_failed;            /* destroying what a dead worker left */
};

#define OP_CREATE_ST(op) ((struct op_create_state *)(op)->priv)

static int op_create_init(struct op *op)
{
    struct op_create_state *cs = OP_CREATE_ST(op);

    cs->domid_out = INVALID_DOMID;
    op_worker_init(&cs->worker);
    libxl_domain_restore_params_init(&cs->restore_params);
    cs->restore_params.stream_version = 2;
    return 0;
}

static void op_create_dispose(struct op *op)
{
    op_worker_dispose(op, &OP_CREATE_ST(op)->worker);
    libxl_domain_restore_params_dispose(&OP_CREATE_ST(op)->restore_params);
    op_balloon_dispose(op);
    op_mig_free(op);
    op_save_free(op);
}

static void op_create_console_ready(struct op *op, uint32_t domid);

/* The worker's build has ended: as the ao's callback would. */
static void op_create_worker_done(struct op *op, int rc, uint32_t domid)
{
    OP_CREATE_ST(op)->domid_out = domid;
    /*
     * The ao ended when the worker said so, not at its reap; if it said
     * so before a cancel came, the cancel found it ended (at once).
     */
    if (op->phase == OP_PHASE_MAIN && OP_CREATE_ST(op)->worker.t_end)
        op->t_ao_done = OP_CREATE_ST(op)->worker.t_end > op->t_abort
                            ? OP_CREATE_ST(op)->worker.t_end : op->t_abort;
    op_main_done(loop_ctx(op->lp), rc, op);
}

/* In the worker: the build (op_worker.c). */
static int op_create_child_work(struct op *op)
{
    return op_worker_child(op, &OP_CREATE_ST(op)->worker);
}

static int op_create_call(struct op *op, libxl_ctx *ctx,
                          libxl_asyncop_how *how)
{
    struct op_create_state *cs = OP_CREATE_ST(op);

    if (op->phase == OP_PHASE_UNPAUSE)
        return libxl_domain_unpause(ctx, op->domid, how);
    /* A new domain's build runs in a worker; a stream's stays here. */
    if (op_stream_fd(op) < 0 && !op_mig_in(op) && op_worker_wanted(op)) {
        cs->worker.console = cs->console_fn != NULL;
        cs->worker.console_ready = op_create_console_ready;
        cs->worker.done = op_create_worker_done;
        return op_worker_call(op, &cs->worker);
    }
    if (op_stream_fd(op) >= 0) {
        op_stream_mark(op);
        return libxl_domain_create_restore(ctx, &op->config, &cs->domid_out,
                                           op_stream_fd(op), -1,
                                           &cs->restore_params,
                                           how, cs->console_fn
                                           ? &cs->console_how : NULL);
    }
    return libxl_domain_create_new(ctx, &op->config, &cs->domid_out, how,
                                   cs->console_fn ? &cs->console_how : NULL);
}

static int op_create_start(struct op *op)
{
    op_note(op, OP_NOTE_PROGRESS, "creating domain '%s'", op->label);
    if (op->balloon)
        return op_balloon_start(op);
    return op_launch(op);
}

/* ---- create -c: the console ---- */

static void op_create_console_ready(struct op *op, uint32_t domid)
{
    struct op_create_state *cs = OP_CREATE_ST(op);

    if (op->state != OP_RUNNING || !cs->console_fn)
        return;
    cs->console_waiting = true;
    cs->console_fn(op, domid, cs->console_user);
}

static void op_console_event(libxl_ctx *ctx, libxl_event *ev,
                             void *for_callback)
{
    uint32_t domid = ev->domid;

    libxl_event_free(ctx, ev);
    op_create_console_ready(for_callback, domid);
}

int op_set_console(struct op *op, op_console_fn *fn, void *user)
{
    struct op_create_state *cs;

    if (op->k != &op_kind_create)
        return -1;
    cs = OP_CREATE_ST(op);
    cs->console_fn = fn;
    cs->console_user = user;
    cs->console_how.callback = op_console_event;
    cs->console_how.for_callback = op;
    return 0;
}

/* create -c's wait for its client ends: connected, cancelled, or done. */
static void op_console_stop_wait(struct op *op)
{
    struct op_create_state *cs = OP_CREATE_ST(op);

    cs->console_waiting = false;
    if (cs->console_timer) {
        loop_timer_cancel(op->lp, cs->console_timer);
        cs->console_timer = NULL;
    }
}

/* Unpause the new domain now: built, and handed over if migrated. */
void op_create_unpause(struct op *op)
{
    op_phase_to(op, OP_PHASE_UNPAUSE);
    op_launch(op);
}

/* Unpause the new domain now: the console is there, or will not be. */
static void op_console_go(struct op *op)
{
    op_console_stop_wait(op);
    op_create_unpause(op);
}

static void op_console_timeout(struct loop *lp, void *user)
{
    struct op *op = user;

    (void)lp;
    OP_CREATE_ST(op)->console_timer = NULL;
    op_note(op, OP_NOTE_INFO, "the console client did not connect within "
            "%d s; starting the domain anyway", OP_CONSOLE_WAIT_MS / 1000);
    op_console_go(op);
}

/* The build is done: wait (bounded) for the console before unpausing. */
static void op_console_wait(struct op *op)
{
    struct op_create_state *cs = OP_CREATE_ST(op);

    op_phase_to(op, OP_PHASE_CONSOLE);
    cs->console_timer = loop_timer_add(op->lp, OP_CONSOLE_WAIT_MS,
                                       op_console_timeout, op);
    if (!cs->console_timer)
        op_console_go(op);
}

void op_console_connected(struct op *op)
{
    /* Another kind's op->priv is no create's: it waits for no client. */
    if (op->k != &op_kind_create || !OP_CREATE_ST(op)->console_waiting)
        return;
    if (op->state == OP_RUNNING && op->phase == OP_PHASE_CONSOLE)
        op_console_go(op);
    else
        op_console_stop_wait(op);
}

/*
 * After a cancel: an HVM guest's device model that libxl lost track of
 * (the abort ended its spawn before it wrote down the pid) would outlive
 * the domain, even a kept one's destroy: it is ended, and said.  With
 * gone (the domain destroyed), any still there goes.
 */
static void op_create_lost_dm(struct op *op, bool gone)
{
    struct op_create_state *cs = OP_CREATE_ST(op);
    int n;

    if (op->k != &op_kind_create ||
        op->config.b_info.type != LIBXL_DOMAIN_TYPE_HVM)
        return;
    n = op_worker_end_lost_dm(op, &cs->worker, op->domid, gone);
    if (n && !gone)
        op_note(op, OP_NOTE_INFO, "its device model, which libxl had lost "
                "track of (the cancel came as libxl started it), was ended; "
                "the domain is kept without one");
}

void op_create_cancelled(struct op *op, int rc)
{
    struct op_create_state *cs = OP_CREATE_ST(op);
    char d[160];

    op_dom_desc(op, d, sizeof(d));
    /*
     * libxl failed on its way out (a hotplug script that the abort killed
     * can read as the script's failure) and destroyed the domain itself.
     * Or began to: its destroy runs in the aborted ao and can be cut
     * short in turn, leaving the domain paused and half taken apart
     * (make check of 1691e0d: "libxl destroyed what it had built", then
     * domain 156 "left paused").  Only a domid libxl gave back is
     * trusted here; such a domain is destroyed now, whatever the policy.
     */
    if (rc != ERROR_ABORTED && cs->domid_out != (uint32_t)INVALID_DOMID &&
        cs->domid_out == op->domid) {
        enum dom_state st = dom_state_of(loop_ctx(op->lp), op->domid);

        if (st == DOM_RUNNING || st == DOM_PAUSED || st == DOM_SHUTDOWN) {
            op_note(op, OP_NOTE_INFO, "create of '%s' stopped (%s); "
                    "libxl's destroy of %s was cut short by the cancel, "
                    "and is finished now%s", op->label, op_rc_text(rc), d,
                    op->on_cancel == OP_ON_CANCEL_KEEP
                        ? ": --on-cancel=keep could not be honoured" : "");
            op_start_cleanup(op);
            return;
        }
    }
    if (rc != ERROR_ABORTED) {
        op_create_lost_dm(op, true);
        op_note(op, OP_NOTE_INFO, "create of '%s' stopped (%s); "
                "libxl destroyed what it had built%s", op->label,
                op_rc_text(rc),
                op->on_cancel == OP_ON_CANCEL_KEEP
                    ? ", so --on-cancel=keep could not be honoured" : "");
        op_report_left(op, OP_RESULT_CANCELLED);
        return;
    }
    if (op->domid == (uint32_t)INVALID_DOMID) {
        op_report_left(op, OP_RESULT_CANCELLED);
        return;
    }
    if (op->abandon_cleanup) {
        op_report_left(op, OP_RESULT_CANCELLED);
        return;
    }
    if (op->on_cancel == OP_ON_CANCEL_KEEP) {
        enum dom_state st = dom_state_of(loop_ctx(op->lp), op->domid);

        op_create_lost_dm(op, false);
        op_note(op, OP_NOTE_INFO, "create of '%s' cancelled%s; %s kept, %s",
                op->label, op->cancel_phase, d, dom_state_name(st));
        op_note(op, OP_NOTE_INFO, "inspect it with 'axl list %u', "
                "start it with 'axl unpause %u', remove it with "
                "'axl destroy %u'", op->domid, op->domid, op->domid);
        op_finish(op, OP_RESULT_CANCELLED);
        return;
    }
    op_start_cleanup(op);
}

/* The build's ao has completed (rc). */
static void op_create_built(struct op *op, int rc)
{
    struct op_create_state *cs = OP_CREATE_ST(op);
    char d[160];

    /* Built (or not): its memory is taken; xl's lock goes, as xl's. */
    op_balloon_release(op);
    if (cs->domid_out != (uint32_t)INVALID_DOMID)
        op->domid = cs->domid_out;
    if (op->cancelled && rc) {
        op_create_cancelled(op, rc);
        return;
    }
    if (rc) {
        op_note(op, OP_NOTE_ERROR, "cannot create domain '%s': %s",
                op->label, op_failure(op, rc));
        /*
         * libxl destroys what a failed build made; a worker that died
         * could not, so it is destroyed here, as libxl would have.
         */
        if (cs->worker.died && op->domid != (uint32_t)INVALID_DOMID &&
            dom_state_of(loop_ctx(op->lp), op->domid) != DOM_GONE) {
            cs->clean_failed = true;
            op_start_cleanup(op);
            return;
        }
        op_report_left(op, OP_RESULT_FAILED);
        return;
    }
    if (op->cancelled)
        op_note(op, OP_NOTE_INFO, "create of '%s' had finished before the "
                "cancel took effect; nothing was cancelled", op->label);
    if (op_mig_in(op)) {
        op_mig_in_ready(op);
        return;
    }
    if (!op->start_paused) {
        if (cs->console_waiting) {
            op_console_wait(op);
            return;
        }
        op_create_unpause(op);
        return;
    }
    op_note(op, OP_NOTE_PROGRESS, "created %s, paused",
            op_dom_desc(op, d, sizeof(d)));
    op_finish(op, OP_RESULT_OK);
}

static void op_create_done(struct op *op, int rc)
{
    char d[160];

    if (op->phase == OP_PHASE_MAIN) {
        op_create_built(op, rc);
        return;
    }
    /* OP_PHASE_UNPAUSE */
    if (rc && op_mig_in(op)) {
        /* The sender is told to resume its copy: this one goes. */
        op_note(op, OP_NOTE_ERROR, "cannot unpause received %s: %s",
                op_dom_desc(op, d, sizeof(d)), op_failure(op, rc));
        op_mig_in_uncommit(op);
        op_mig_in_fail(op);
        return;
    }
    if (rc) {
        op_note(op, OP_NOTE_ERROR, "cannot unpause new %s: %s",
                op_dom_desc(op, d, sizeof(d)), op_failure(op, rc));
        op_report_left(op, OP_RESULT_FAILED);
        return;
    }
    if (op_mig_in(op))
        testpoint("recv-unpaused");
    op_note(op, OP_NOTE_PROGRESS, "%s %s, running",
            op_mig_in(op) ? "received" : "created",
            op_dom_desc(op, d, sizeof(d)));
    op_finish(op, OP_RESULT_OK);
}

static bool op_create_abort(struct op *op, int why)
{
    (void)why;
    if (op_balloon_abort(op))
        return true;
    if (op->phase == OP_PHASE_MAIN &&
        op_worker_abort(op, &OP_CREATE_ST(op)->worker))
        return true;
    if (op->state == OP_RUNNING && op->phase == OP_PHASE_CONSOLE) {
        /* Built, paused, waiting for the console: as a cancelled build. */
        op_console_stop_wait(op);
        op->state = OP_ABORTING;
        op_create_cancelled(op, ERROR_ABORTED);
        return true;
    }
    if (op_mig_in(op) && op_mig_abort(op))
        return true;
    if (op->state == OP_RUNNING && op->phase == OP_PHASE_MAIN &&
        op_stream_fd(op) >= 0) {
        op_stream_abort(op);    /* a restore's */
        return true;
    }
    return false;
}

static bool op_create_finish(struct op *op, enum op_result *result)
{
    if (op_mig_in(op) && op_mig_finish(op, *result))
        return true;    /* the handover's last step calls again */
    op_mig_timer_stop(op);
    op_stream_end(op);
    op_console_stop_wait(op);
    op_balloon_release(op);
    op_stream_fd_end(op);
    return false;
}

static bool op_create_phase(struct op *op, char *buf, size_t len)
{
    if (op->phase == OP_PHASE_MAIN &&
        op_worker_phase(op, &OP_CREATE_ST(op)->worker, buf, len))
        return true;
    if (op->phase == OP_PHASE_CONSOLE) {
        snprintf(buf, len, "waiting for the console client");
        return true;
    }
    /* An incoming migration's own steps; its others are a create's. */
    if (op_mig_in(op) && op->phase != OP_PHASE_MAIN &&
        op_mig_in_phase(op, buf, len))
        return true;
    return op_balloon_phase(op, buf, len);
}

/* The record names the domain by its uuid, known before it exists. */
static bool op_create_journal(struct op *op, struct journal_rec *jr)
{
    jr->kind = JOURNAL_CREATE;
    libxl_uuid_copy(loop_ctx(op->lp), &jr->uuid, &op->config.c_info.uuid);
    return true;
}

/* The on-cancel destroy of the half-built domain has completed. */
static void op_create_clean_done(struct op *op, int rc)
{
    char d[160];

    if (rc == 0)
        op_create_lost_dm(op, true);
    op_dom_desc(op, d, sizeof(d));
    if (rc && OP_CREATE_ST(op)->clean_failed) {
        op_note(op, OP_NOTE_ERROR, "cannot destroy %s: %s", d,
                op_failure(op, rc));
        op_report_left(op, OP_RESULT_FAILED);
        return;
    }
    if (rc == 0 && (op_mig_in_failed(op) || OP_CREATE_ST(op)->clean_failed)) {
        op_note(op, OP_NOTE_INFO, "%s of '%s' failed; %s destroyed; nothing "
                "is left", op_verb(op), op->label, d);
        op_finish(op, OP_RESULT_FAILED);
        return;
    }
    if (rc == 0) {
        op_note(op, OP_NOTE_INFO, "%s of '%s' cancelled%s; %s destroyed; "
                "nothing is left", op_verb(op), op->label, op->cancel_phase,
                d);
        op_finish(op, OP_RESULT_CANCELLED);
        return;
    }
    op_destroy_failed(op, rc);
}

/* The names of the create family's phases (op_create_int.h). */
static const char *const op_create_phase_keys[OP_PHASE_CREATE_N] = {
    [OP_PHASE_UNPAUSE] = "unpause", [OP_PHASE_CONSOLE] = "console",
    [OP_PHASE_LOCK] = "lock", [OP_PHASE_BALLOON] = "balloon",
    [OP_PHASE_MIG_GO] = "go-ahead", [OP_PHASE_MIG_DRAIN] = "drain",
};

/* A restore's stream (op_save.c's) and an incoming migration's end. */
const struct op_kind_row op_kind_create = {
    .verb = "create", .flags = OPK_BUILD, .call = op_create_call,
    .phase_keys = op_create_phase_keys, .n_phase_keys = OP_PHASE_CREATE_N,
    .start = op_create_start, .done = op_create_done,
    .abort = op_create_abort, .finish = op_create_finish,
    .phase_words = op_create_phase, .journal = op_create_journal,
    .clean_done = op_create_clean_done,
    .child_work = op_create_child_work,
    .priv_size = sizeof(struct op_create_state), .init = op_create_init,
    .dispose = op_create_dispose,
    .left = "domain %u may be left half-built; remove it with 'axl "
            "destroy %u'",
};

void op_set_start_paused(struct op *op, bool paused)
{
    op->start_paused = paused;
}
