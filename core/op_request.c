/*
 * op_request: shutdown and reboot.  The guest is asked through its PV
 * drivers; without them, -F presses its ACPI power button instead, or
 * for a reboot resets it (dom_reset(): Xen on x86 has no ACPI reset
 * button); only an HVM guest can lack them (libxl's word);
 * the trigger phase.  -w then waits until the domain has shut down (1) or
 * is gone (2), and shutdown --then-destroy destroys a domain that did
 * not shut down before --timeout.
 */
#include <stdio.h>

#include <libxl_utils.h>

#include "dom.h"
#include "loop.h"
#include "op.h"

#include "op_int.h"

/* A request's own phases, after MAIN (the request itself). */
enum {
    OP_PHASE_TRIGGER = OP_PHASE_OWN, /* -F: the ACPI button instead */
    OP_PHASE_WAIT,      /* -w: until the domain is down */
    OP_PHASE_REQ_N
};
_Static_assert(OP_PHASE_REQ_N <= OP_PHASE_MAX,
               "a request's phases fit in op->phase_ms");

static const char *const op_req_phase_keys[OP_PHASE_REQ_N] = {
    [OP_PHASE_TRIGGER] = "trigger", [OP_PHASE_WAIT] = "wait",
};

/* What the request was asked to do besides asking. */
struct op_req {
    bool fallback;          /* -F: the ACPI button, or a reset, without PV
                               drivers */
    int wait;               /* -w: 1 until shut down, 2 until gone */
    bool then_destroy;      /* --then-destroy: destroy on --timeout */
};

#define OP_REQ(op) ((struct op_req *)(op)->priv)

static bool op_req_reboot(const struct op *op)
{
    return op->k == &op_kind_reboot;
}

static int op_req_call(struct op *op, libxl_ctx *ctx,
                       libxl_asyncop_how *how)
{
    if (op->phase == OP_PHASE_TRIGGER && op_req_reboot(op))
        return op_call_reset(op, ctx);
    if (op->phase == OP_PHASE_TRIGGER)
        return libxl_send_trigger(ctx, op->domid, LIBXL_TRIGGER_POWER, 0,
                                  how);
    if (op_req_reboot(op))
        return libxl_domain_reboot(ctx, op->domid, how);
    return libxl_domain_shutdown(ctx, op->domid, how);
}

/* A domain's death or shutdown, for an op waiting on it. */
static void op_req_event(struct loop *lp, libxl_event *ev, void *user)
{
    struct op *op = user;
    int wait = OP_REQ(op)->wait;
    char d[160];

    if (op->phase == OP_PHASE_WAIT && op->state == OP_RUNNING &&
        (ev->type == LIBXL_EVENT_TYPE_DOMAIN_DEATH ||
         (ev->type == LIBXL_EVENT_TYPE_DOMAIN_SHUTDOWN && wait == 1))) {
        op_note(op, OP_NOTE_PROGRESS, "%s %s",
                op_dom_desc(op, d, sizeof(d)),
                ev->type == LIBXL_EVENT_TYPE_DOMAIN_DEATH
                    ? "is gone" : op_req_reboot(op)
                    ? "has shut down to reboot" : "has shut down");
        op_finish(op, OP_RESULT_OK);
    }
    libxl_event_free(loop_ctx(lp), ev);
}

/* The request is made: wait (-w) for the domain to go down. */
static void op_req_wait(struct op *op)
{
    libxl_ctx *ctx = loop_ctx(op->lp);
    enum dom_state st;
    char d[160];
    int rc;

    op_dom_desc(op, d, sizeof(d));
    op->sink.fn = op_req_event;
    op->sink.user = op;
    rc = libxl_evenable_domain_death(ctx, op->domid, LOOP_EV_USER(&op->sink),
                                     &op->deathw);
    if (rc) {
        op_note(op, OP_NOTE_ERROR, "cannot wait for %s: %s", d,
                op_failure(op, rc));
        op_finish(op, OP_RESULT_FAILED);
        return;
    }
    op_phase_to(op, OP_PHASE_WAIT);
    /*
     * libxl checks a new watcher only when @releaseDomain fires next: a
     * domain already down would never be reported.  Look once now.
     */
    st = dom_state_of(ctx, op->domid);
    if (st == DOM_GONE || (OP_REQ(op)->wait == 1 && (st == DOM_SHUTDOWN ||
                                              st == DOM_DYING))) {
        op_note(op, OP_NOTE_PROGRESS, "%s %s", d,
                st == DOM_GONE ? "is gone" : op_req_reboot(op)
                ? "has shut down to reboot" : "has shut down");
        op_finish(op, OP_RESULT_OK);
        return;
    }
    op_note(op, OP_NOTE_PROGRESS, "waiting for %s to %s", d,
            OP_REQ(op)->wait == 2 ? "be gone" : op_req_reboot(op)
            ? "shut down to reboot" : "shut down");
}

/*
 * The request's ao is done: fall back to the ACPI power button, or to a
 * reset, for a guest without PV drivers (-F), then wait (-w).
 */
static void op_req_done(struct op *op, int rc)
{
    const char *instead = op_req_reboot(op)
        ? "resets it" : "presses its ACPI power button";
    char d[160];

    op_dom_desc(op, d, sizeof(d));
    if (rc == ERROR_NOPARAVIRT && !op->cancelled &&
        op->phase == OP_PHASE_MAIN) {
        if (!OP_REQ(op)->fallback) {
            op_note(op, OP_NOTE_ERROR, "cannot %s %s: it has no PV drivers "
                    "(-F %s instead)", op_verb(op), d, instead);
            op_finish(op, OP_RESULT_FAILED);
            return;
        }
        op_note(op, OP_NOTE_PROGRESS, "%s has no PV drivers: %s", d,
                op_req_reboot(op) ? "resetting it (it shuts down to reboot, "
                "as when it resets itself)" : "pressing its ACPI power "
                "button");
        op_phase_to(op, OP_PHASE_TRIGGER);
        op_launch(op);
        return;
    }
    if (rc || op->cancelled || !OP_REQ(op)->wait) {
        op_simple_done(op, rc);
        return;
    }
    op_req_wait(op);
}

static bool op_req_abort(struct op *op, int why)
{
    char d[160];

    if (op->state != OP_RUNNING || op->phase != OP_PHASE_WAIT)
        return false;
    if (OP_REQ(op)->then_destroy && why == OP_WHY_TIMEOUT) {
        /* shutdown --then-destroy: the guest had its time. */
        op_note(op, OP_NOTE_INFO, "%s did not shut down in time: destroying "
                "it", op_dom_desc(op, d, sizeof(d)));
        op_cleanup_ao(op);
        return true;
    }
    /* No ao runs: the request was made; only the wait ends. */
    op_note(op, OP_NOTE_INFO, "%s of %s: no longer waiting; the guest was "
            "asked and may still %s", op_verb(op),
            op_desc(op, NULL, d, sizeof(d)),
            op_req_reboot(op) ? "reboot" : "shut down");
    op_finish(op, OP_RESULT_CANCELLED);
    return true;
}

static bool op_req_phase(struct op *op, char *buf, size_t len)
{
    if (op->phase != OP_PHASE_WAIT)
        return false;
    snprintf(buf, len, "waiting for domain %u to %s", op->domid,
             OP_REQ(op)->wait == 2 ? "be gone" : "shut down");
    return true;
}

/* shutdown --then-destroy: the destroy is the outcome asked for. */
static void op_req_clean_done(struct op *op, int rc)
{
    char d[160];

    op_dom_desc(op, d, sizeof(d));
    if (rc == 0 || dom_state_of(loop_ctx(op->lp), op->domid) == DOM_GONE) {
        op_note(op, OP_NOTE_INFO, "%s destroyed after it did not shut down "
                "in time", d);
        op_finish(op, OP_RESULT_OK);
        return;
    }
    op_destroy_failed(op, rc);
}

const struct op_kind_row op_kind_shutdown = {
    .verb = "shutdown", .flags = OPK_REQ, .call = op_req_call,
    .phase_keys = op_req_phase_keys, .n_phase_keys = OP_PHASE_REQ_N,
    .done = op_req_done, .abort = op_req_abort, .phase_words = op_req_phase,
    .clean_done = op_req_clean_done, .priv_size = sizeof(struct op_req),
    .left = "the shutdown request may have reached domain %u; nothing to "
            "clean up",
};

const struct op_kind_row op_kind_reboot = {
    .verb = "reboot", .flags = OPK_REQ, .call = op_req_call,
    .phase_keys = op_req_phase_keys, .n_phase_keys = OP_PHASE_REQ_N,
    .done = op_req_done, .abort = op_req_abort, .phase_words = op_req_phase,
    .clean_done = op_req_clean_done, .priv_size = sizeof(struct op_req),
    .left = "the reboot request may have reached domain %u; nothing to "
            "clean up",
};

int op_set_fallback(struct op *op, bool fallback)
{
    if (!op_has(op, OPK_REQ))
        return -1;
    OP_REQ(op)->fallback = fallback;
    return 0;
}

int op_set_then_destroy(struct op *op, bool then_destroy)
{
    if (!op_has(op, OPK_REQ))
        return -1;
    OP_REQ(op)->then_destroy = then_destroy;
    return 0;
}

int op_set_wait(struct op *op, int wait)
{
    if (!op_has(op, OPK_REQ))
        return -1;
    OP_REQ(op)->wait = wait;
    return 0;
}
