/*
 * op_balloon: a create that frees memory first, as xl's autoballoon
 * does.  Two phases come before the build (MAIN): LOCK, waiting for
 * xl's lock (shared with xl, so that the two never count the same free
 * memory twice), then BALLOON, Domain-0 asked to give back what the new
 * domain needs.  A cancel in either leaves nothing built.  Its state
 * (struct op_balloon_state, op->balloon) is this file's alone.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxl_utils.h>

#include "balloon.h"
#include "loop.h"
#include "op.h"

#include "op_create_int.h"

/* Autoballoon: how often to look, how long without progress, in all. */
#define OP_BALLOON_POLL_MS   100
#define OP_BALLOON_STALL_MS  10000
#define OP_BALLOON_TOTAL_MS  30000

/*
 * A create's autoballoon (op->balloon), made by op_set_balloon(): only
 * a create that asked for it has one, and it goes with the op.
 */
struct op_balloon_state {
    char lockfile[256];           /* xl's lock */
    bool locked;                  /* this op holds it */
    pid_t lock_holder;            /* who else does */
    uint64_t need_kb;             /* what the new domain needs */
    uint64_t reserved_kb;         /* what it counts on, building */
    struct op *next;              /* on its loop's ledger while it does */
    uint64_t asked_kb;            /* what Domain-0 was asked to give */
    uint64_t best_free_kb;        /* the most free memory seen */
    uint64_t t_balloon_ms;        /* when the BALLOON phase began */
    uint64_t t_progress_ms;       /* when free memory last grew */
    struct loop_timer *timer;     /* the next look */
};

int op_set_balloon(struct op *op, const char *lockfile)
{
    if (op->k != &op_kind_create)
        return -1;
    if (!op->balloon && !(op->balloon = calloc(1, sizeof(*op->balloon))))
        return -1;
    snprintf(op->balloon->lockfile, sizeof(op->balloon->lockfile), "%s",
             lockfile);
    return 0;
}

void op_balloon_dispose(struct op *op)
{
    /*
     * op_free() frees only an op done or never started: a done one went
     * through op_balloon_release() (off the ledger, unlocked, no timer).
     */
    free(op->balloon);
    op->balloon = NULL;
}

/*
 * The ledger: the creates of a loop that count on memory while they
 * build (its slot, LOOP_SLOT_BALLOON).  They hold xl's lock meanwhile,
 * which keeps out every other owner's creates (balloon_lock()), so no
 * memory is counted on twice.
 */
struct op_balloon_ledger {
    struct op *list;
};

static void op_balloon_ledger_free(void *state)
{
    free(state);    /* its ops are their owners' */
}

/* op's loop's ledger; NULL if it cannot be made. */
static struct op_balloon_ledger *op_balloon_ledger(struct op *op)
{
    return loop_slot(op->lp, LOOP_SLOT_BALLOON,
                     sizeof(struct op_balloon_ledger),
                     op_balloon_ledger_free);
}

void op_balloon_release(struct op *op)
{
    struct op_balloon_state *b = op->balloon;
    struct op_balloon_ledger *led;
    struct op **pp;

    /* Every create ends here: one that did not balloon holds nothing. */
    if (!b)
        return;
    /* Size 0: a loop without a ledger is not given one. */
    led = loop_slot(op->lp, LOOP_SLOT_BALLOON, 0, NULL);
    if (b->timer) {
        loop_timer_cancel(op->lp, b->timer);
        b->timer = NULL;
    }
    for (pp = led ? &led->list : NULL; pp && *pp; pp = &(*pp)->balloon->next)
        if (*pp == op) {
            *pp = b->next;
            break;
        }
    b->reserved_kb = 0;
    if (b->locked) {
        balloon_unlock();
        b->locked = false;
    }
}

/* Domain-0's memory target, in MiB, for messages; 0 if unknown. */
static unsigned long op_dom0_target_mib(struct op *op)
{
    uint64_t kb = 0;

    if (libxl_get_memory_target(loop_ctx(op->lp), 0, &kb))
        return 0;
    return (unsigned long)(kb / 1024);
}

static void op_balloon_step(struct op *op);

/*
 * What the other creates of this process still count on: each one's
 * need less what its domain has been given so far (free memory already
 * shows that part).
 */
static uint64_t op_balloon_others(struct op *op,
                                  const struct op_balloon_ledger *led)
{
    libxl_ctx *ctx = loop_ctx(op->lp);
    uint64_t sum = 0;
    struct op *o;

    /* Only a create with a balloon is on the ledger. */
    for (o = led->list; o; o = o->balloon->next) {
        uint64_t have = 0;
        uint32_t id;
        libxl_dominfo info;

        if (o == op)
            continue;
        id = op_phase_domid(o);
        libxl_dominfo_init(&info);
        if (id != (uint32_t)INVALID_DOMID &&
            libxl_domain_info(ctx, &info, id) == 0)
            have = info.current_memkb;
        libxl_dominfo_dispose(&info);
        sum += o->balloon->reserved_kb > have
                   ? o->balloon->reserved_kb - have : 0;
    }
    return sum;
}

static void op_balloon_timer(struct loop *lp, void *user)
{
    struct op *op = user;

    (void)lp;
    op->balloon->timer = NULL;
    op_balloon_step(op);
}

/* The balloon phase failed: nothing was built. */
static void op_balloon_fail(struct op *op, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void op_balloon_fail(struct op *op, const char *fmt, ...)
{
    char msg[400];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    op_balloon_release(op);
    op_note(op, OP_NOTE_ERROR, "cannot create domain '%s': %s", op->label,
            msg);
    op_report_left(op, OP_RESULT_FAILED);
}

/*
 * One look: take xl's lock if it is free; then count the free memory
 * less what other creates of this process count on; enough, and the
 * build starts; short, and Domain-0 is asked for the rest, and asked
 * again if someone took memory meanwhile.  No progress for 10 s, or 30 s
 * in all, is a failure, as xl gives up.
 */
static void op_balloon_step(struct op *op)
{
    struct op_balloon_state *b = op->balloon;
    struct op_balloon_ledger *led = op_balloon_ledger(op);
    libxl_ctx *ctx = loop_ctx(op->lp);
    uint64_t now = loop_now_ms(), free_kb = 0, others, avail, missing;
    int r;

    /* Uncounted, a create would let others count on its memory. */
    if (!led) {
        op_balloon_fail(op, "cannot count the memory it needs: %s",
                        strerror(ENOMEM));
        return;
    }
    if (op->phase == OP_PHASE_LOCK) {
        r = balloon_lock(op->lp, b->lockfile, &b->lock_holder);
        if (r < 0) {
            op_balloon_fail(op, "cannot take xl's lock '%s': %s",
                            b->lockfile, strerror(errno));
            return;
        }
        if (r > 0) {
            b->timer = loop_timer_add(op->lp, 50, op_balloon_timer, op);
            return;
        }
        b->locked = true;
        op_phase_to(op, OP_PHASE_BALLOON);
        b->t_balloon_ms = b->t_progress_ms = now;
        r = libxl_domain_need_memory(ctx, &op->config, INVALID_DOMID,
                                     &b->need_kb);
        if (r) {
            op_balloon_fail(op, "cannot work out the memory it needs: %s",
                            op_failure(op, r));
            return;
        }
    }
    r = libxl_get_free_memory(ctx, &free_kb);
    if (r) {
        op_balloon_fail(op, "cannot read the host's free memory: %s",
                        op_failure(op, r));
        return;
    }
    others = op_balloon_others(op, led);
    avail = free_kb > others ? free_kb - others : 0;
    if (avail >= b->need_kb) {
        if (b->asked_kb)
            op_note(op, OP_NOTE_INFO, "Domain-0 gave back memory: its "
                    "target is now %lu MiB", op_dom0_target_mib(op));
        b->reserved_kb = b->need_kb;
        b->next = led->list;
        led->list = op;
        op_phase_to(op, OP_PHASE_MAIN);
        op_launch(op);
        return;
    }
    if (free_kb > b->best_free_kb) {
        b->best_free_kb = free_kb;
        b->t_progress_ms = now;
    }
    missing = b->need_kb - avail;
    if (missing > b->asked_kb) {
        r = libxl_set_memory_target(ctx, 0, -(int64_t)(missing -
                                                       b->asked_kb), 1, 0);
        if (r) {
            op_balloon_fail(op, "cannot ask Domain-0 for %llu MiB: %s",
                            (unsigned long long)(missing / 1024),
                            op_failure(op, r));
            return;
        }
        /* Domain-0 shrinks: the user always hears of it. */
        op_note(op, OP_NOTE_INFO, "asking Domain-0 for %llu MiB "
                "(%llu MiB free, %llu MiB needed%s)",
                (unsigned long long)((missing - b->asked_kb) / 1024),
                (unsigned long long)(free_kb / 1024),
                (unsigned long long)(b->need_kb / 1024),
                others ? ", the rest counted on by other creates" : "");
        b->asked_kb = missing;
        b->t_progress_ms = now;
    }
    if (now - b->t_progress_ms > OP_BALLOON_STALL_MS ||
        now - b->t_balloon_ms > OP_BALLOON_TOTAL_MS) {
        op_balloon_fail(op, "Domain-0 did not give back enough memory "
                        "(%llu MiB free, %llu MiB needed; its target is "
                        "now %lu MiB)", (unsigned long long)(free_kb / 1024),
                        (unsigned long long)(b->need_kb / 1024),
                        op_dom0_target_mib(op));
        return;
    }
    b->timer = loop_timer_add(op->lp, OP_BALLOON_POLL_MS, op_balloon_timer,
                              op);
}

int op_balloon_start(struct op *op)
{
    op_phase_to(op, OP_PHASE_LOCK);
    op_balloon_step(op);
    return op->state == OP_DONE && op->result != OP_RESULT_OK ? -1 : 0;
}

/* A cancel before the build: no ao runs yet, and nothing was built. */
bool op_balloon_abort(struct op *op)
{
    bool asked;

    /* Without a balloon, a create never waits in LOCK or BALLOON. */
    if (!op->balloon || op->state != OP_RUNNING ||
        (op->phase != OP_PHASE_LOCK && op->phase != OP_PHASE_BALLOON))
        return false;
    asked = op->balloon->asked_kb > 0;
    op_balloon_release(op);
    if (asked)
        op_note(op, OP_NOTE_INFO, "create of '%s' cancelled%s; nothing was "
                "built; Domain-0's memory target is now %lu MiB", op->label,
                op->cancel_phase, op_dom0_target_mib(op));
    else
        op_note(op, OP_NOTE_INFO, "create of '%s' cancelled%s; nothing was "
                "built", op->label, op->cancel_phase);
    op_finish(op, OP_RESULT_CANCELLED);
    return true;
}

bool op_balloon_phase(struct op *op, char *buf, size_t len)
{
    struct op_balloon_state *b = op->balloon;

    if (!b)
        return false;   /* never in LOCK or BALLOON */
    if (op->phase == OP_PHASE_LOCK) {
        if (b->lock_holder > 0)
            snprintf(buf, len, "waiting for xl's lock %.100s (held by pid "
                     "%d)", b->lockfile, (int)b->lock_holder);
        else
            snprintf(buf, len, "waiting for xl's lock %.100s", b->lockfile);
        return true;
    }
    if (op->phase == OP_PHASE_BALLOON) {
        snprintf(buf, len, "waiting for Domain-0 to give back %llu MiB",
                 (unsigned long long)(b->asked_kb / 1024));
        return true;
    }
    return false;
}
