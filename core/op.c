/*
 * op: the operation state machine every kind shares, around libxl's ao.
 * A kind (struct op_kind_row, op_int.h) is a row in a file of its own; this
 * file knows no kind by name.
 *
 *              op_start()                 the kind's done hook
 *   OP_IDLE ---------------> OP_RUNNING --------------------------+
 *                             |   ^  |                            |
 *              op_abort()     |   |  | phases: MAIN, then the     |
 *      (the kind's hook, or   |   +--+ kind's own (each a libxl   |
 *       libxl_ao_abort)       v          ao or a wait)            |
 *                         OP_ABORTING -- the ao ends ------------>+
 *                             |                                   |
 *     on-cancel=destroy,      v                                   v
 *     something was left  OP_CLEANING -- the cleanup's ao ends -> OP_DONE
 *                          (a second op_abort() abandons it)  (op_finish:
 *                                                              the hooks'
 *                                                              done)
 *
 * Phases: an op starts in OP_PHASE_MAIN, the libxl call it is named
 * after; op_phase_to() moves it to another.  The phases past MAIN are
 * its kind's own, numbered from OP_PHASE_OWN (op_int.h) in an enum this
 * file never sees: in the kind's file (op_request.c, op_migrate.c's
 * sending end) or its family's header (op_create_int.h: create, restore,
 * incoming migration; op_stream.h: save, resume, migration).  The row
 * names them (phase_keys), and op_phase_times() reports the time in
 * each under those names.
 *
 * Every step that differs between kinds is a hook of the row: start,
 * call (the libxl call of each phase), done (a phase's ao completed),
 * abort (a cancel the kind answers itself: a phase with no ao running,
 * a stream not yet safe to abort, a handover past its go-ahead), finish
 * (its last steps; a migration may keep the op open), phase_words,
 * journal (whether it is recorded, and its fields), clean and
 * clean_done (the on-cancel cleanup), left (what a kill leaves).
 * op.c keeps the common answers: the cancel's wording and timing, the
 * tick that follows the phase (hotplug scripts, backends, children),
 * the record, and what a one-ao kind says when it ends.
 */
#define _GNU_SOURCE
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxl_utils.h>

#include "dom.h"
#include "journal.h"
#include "log.h"
#include "op.h"
#include "op_device.h"
#include "wait.h"

#include "op_int.h"

static void op_clean_done(libxl_ctx *ctx, int rc, void *for_callback);

/* The rows, by the kind's number in op.h. */
static const struct op_kind_row *const op_kinds[] = {
    [OP_CREATE] = &op_kind_create,
    [OP_DESTROY] = &op_kind_destroy,
    [OP_PAUSE] = &op_kind_pause,
    [OP_UNPAUSE] = &op_kind_unpause,
    [OP_SHUTDOWN] = &op_kind_shutdown,
    [OP_REBOOT] = &op_kind_reboot,
    [OP_DEV_ADD] = &op_kind_dev_add,
    [OP_DEV_REMOVE] = &op_kind_dev_remove,
    [OP_CD_INSERT] = &op_kind_cd_insert,
    [OP_CD_EJECT] = &op_kind_cd_eject,
    [OP_RETRIEVE] = &op_kind_retrieve,
    [OP_VCPU_SET] = &op_kind_vcpu_set,
    [OP_TRIGGER] = &op_kind_trigger,
    [OP_QEMU_MONITOR] = &op_kind_qemu_monitor,
    [OP_CORE_DUMP] = &op_kind_core_dump,
    [OP_SOFT_RESET] = &op_kind_soft_reset,
    [OP_SAVE] = &op_kind_save,
    [OP_MIGRATE] = &op_kind_migrate,
    [OP_RESUME] = &op_kind_resume,
};

bool op_has(const struct op *op, unsigned flags)
{
    return (op->k->flags & flags) != 0;
}

void op_note(struct op *op, enum op_note_level level, const char *fmt, ...)
{
    char msg[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (op->hooks->note)
        op->hooks->note(op, level, msg, op->user);
}

/* "domain 5 ('g1')", or "'g1'" while the id is unknown. */
const char *op_dom_desc(struct op *op, char *buf, size_t len)
{
    if (op->domid == (uint32_t)INVALID_DOMID)
        snprintf(buf, len, "'%s'", op->label);
    else
        snprintf(buf, len, "domain %u ('%s')", op->domid, op->label);
    return buf;
}

/* libxl's error codes in words a user can act on. */
const char *op_rc_text(int rc)
{
    switch (rc) {
    case ERROR_FAIL: return "libxl reported a failure";
    case ERROR_INVAL: return "invalid parameters";
    case ERROR_NOMEM: return "out of memory";
    case ERROR_TIMEDOUT: return "timed out inside libxl";
    case ERROR_GUEST_TIMEDOUT: return "the guest did not respond in time";
    case ERROR_ABORTED: return "cancelled";
    case ERROR_DOMAIN_NOTFOUND: return "no such domain";
    case ERROR_DEVICE_EXISTS: return "a device already exists";
    case ERROR_LOCK_FAIL: return "cannot take libxl's lock";
    case ERROR_NOPARAVIRT: return "the guest has no PV drivers";
    default: {
        const char *s = libxl_error_to_string(rc);

        return s ? s : "unknown libxl error";
    }
    }
}

/* The sink of the logger libxl was given, if it is axl's. */
static struct log_sink *op_log(struct op *op)
{
    return log_sink_of(loop_logger(op->lp));
}

const char *op_log_cause(struct op *op, bool where)
{
    struct log_sink *ls = op_log(op);

    if (!ls)
        return NULL;
    return log_cause_of(ls, op->log_from, op_phase_domid(op), op->starts,
                        op_ran_alone(op), where);
}

void op_log_said(struct op *op)
{
    struct log_sink *ls = op_log(op);

    if (ls)
        op->log_from = log_mark(ls);
}

/*
 * Why the op failed, for its error line: the cause the caller's hook
 * knows (the first error libxl logged), else libxl's error code in
 * words.
 */
const char *op_failure(struct op *op, int rc)
{
    const char *why = op->hooks->cause ? op->hooks->cause(op, op->user)
                                       : NULL;

    return why ? why : op_rc_text(rc);
}

struct op *op_new(struct loop *lp, enum op_kind kind, const char *label,
                  const struct op_hooks *hooks, void *user)
{
    if ((unsigned)kind >= sizeof(op_kinds) / sizeof(op_kinds[0]) ||
        !op_kinds[kind])
        return NULL;
    return op_new_row(lp, op_kinds[kind], label, hooks, user);
}

struct op *op_new_row(struct loop *lp, const struct op_kind_row *row,
                      const char *label, const struct op_hooks *hooks,
                      void *user)
{
    struct op *op = calloc(1, sizeof(*op));

    if (!op)
        return NULL;
    if (row->priv_size && !(op->priv = calloc(1, row->priv_size))) {
        free(op);
        return NULL;
    }
    op->lp = lp;
    op->k = row;
    op->state = OP_IDLE;
    op->domid = INVALID_DOMID;
    op->seen_domid = INVALID_DOMID;
    op->hooks = hooks;
    op->user = user;
    if (label) {
        op->label = strdup(label);
        if (!op->label) {
            free(op->priv);
            free(op);
            return NULL;
        }
    }
    libxl_domain_config_init(&op->config);
    if (row->init && row->init(op) < 0) {
        if (row->dispose)
            row->dispose(op);
        free(op->label);
        free(op->priv);
        free(op);
        return NULL;
    }
    return op;
}

void op_free(struct op *op)
{
    if (!op)
        return;
    /*
     * libxl still holds a running op (its ao's callback, its death
     * watch): freeing it would hand libxl a dangling pointer.  Only
     * axl ending on a fatal loop error gets here with one; leave it be.
     */
    if (op->state != OP_DONE && op->state != OP_IDLE)
        return;
    libxl_domain_config_dispose(&op->config);
    /* Its own state (op->priv) and any it made of other files'. */
    if (op->k->dispose)
        op->k->dispose(op);
    free(op->priv);
    free(op->label);
    free(op);
}

int op_child_work(struct op *op)
{
    return op->k->child_work ? op->k->child_work(op) : ERROR_FAIL;
}

libxl_domain_config *op_config(struct op *op)
{
    return &op->config;
}

void op_set_domid(struct op *op, uint32_t domid)
{
    op->domid = domid;
}

void op_set_on_cancel(struct op *op, enum op_on_cancel policy)
{
    op->on_cancel = policy;
}

/* ---- the lifecycle ---- */

static void op_tick(struct loop *lp, void *user);

/*
 * Record an op that can leave something behind (see journal.h) before
 * its first libxl call.  Without a record (no /run) the op goes on.
 */
static void op_journal(struct op *op)
{
    struct journal_rec *jr = &op->jr;
    libxl_ctx *ctx = loop_ctx(op->lp);

    jr->devid = -1;
    if (!op->k->journal || !op->k->journal(op, jr))
        return;
    snprintf(jr->verb, sizeof(jr->verb), "%s", op_verb(op));
    snprintf(jr->name, sizeof(jr->name), "%s", op->label);
    if (libxl_uuid_is_nil(&jr->uuid) &&
        op->domid != (uint32_t)INVALID_DOMID) {
        /* The domain's uuid: a later domain may reuse its id. */
        libxl_dominfo info;

        libxl_dominfo_init(&info);
        if (libxl_domain_info(ctx, &info, op->domid) == 0)
            libxl_uuid_copy(ctx, &jr->uuid, &info.uuid);
        libxl_dominfo_dispose(&info);
    }
    jr->domid = op->domid;
    jr->keep = op->on_cancel == OP_ON_CANCEL_KEEP;
    journal_write(op->lp, jr);
}

/* The time since the op entered its phase counts toward that phase. */
static void op_phase_count(struct op *op)
{
    uint64_t now = loop_now_ms();

    /* In bounds even where op_phase_to()'s assertions are compiled out. */
    if (op->t_phase_in && now > op->t_phase_in &&
        op->phase >= OP_PHASE_MAIN && op->phase < OP_PHASE_MAX)
        op->phase_ms[op->phase] += (uint32_t)(now - op->t_phase_in);
    op->t_phase_in = now;
}

/* The short name of the op's phase ph: MAIN's, or its row's; NULL if none. */
static const char *op_phase_key(const struct op *op, int ph)
{
    if (ph == OP_PHASE_MAIN)
        return "main";
    if (ph > OP_PHASE_MAIN && ph < op->k->n_phase_keys)
        return op->k->phase_keys[ph];
    return NULL;
}

void op_phase_to(struct op *op, int ph)
{
    /* A phase the row does not name is a slip of its file's. */
    assert(ph >= OP_PHASE_MAIN && ph < OP_PHASE_MAX);
    assert(op_phase_key(op, ph) != NULL);
    op_phase_count(op);
    op->phase = ph;
}

int op_phase_times(const struct op *op, const char **keys, uint32_t *ms,
                   int max)
{
    int i, n = 0;

    for (i = 0; i < OP_PHASE_MAX && n < max; i++)
        if (op->phase_ms[i] && op_phase_key(op, i)) {
            keys[n] = op_phase_key(op, i);
            ms[n++] = op->phase_ms[i];
        }
    return n;
}

void op_name_it(struct op *op)
{
    if (!op->label && op_has(op, OPK_BUILD) && op->config.c_info.name)
        op->label = strdup(op->config.c_info.name);
    if (!op->label)
        op->label = strdup("?");
}

int op_start(struct op *op)
{
    op_name_it(op);
    op->state = OP_RUNNING;
    op->phase = OP_PHASE_MAIN;
    op->t_phase_in = loop_now_ms();
    op->t_start = loop_now_ns();
    op->t_ao_done = 0;
    loop_busy(op->lp, +1);
    op->starts = loop_busy_starts(op->lp);
    op->alone = loop_busy_count(op->lp) == 1;
    op_log_said(op);    /* its cause is among the errors from now on */
    snprintf(op->phase_text, sizeof(op->phase_text), "waiting on libxl");
    snprintf(op->jr.phase, sizeof(op->jr.phase), "%s", op->phase_text);
    op_journal(op);
    op->t_phase = loop_now_ms();
    op->tick_ms = OP_TICK_MS;
    op->tick = loop_timer_add(op->lp, OP_TICK_MS, op_tick, op);
    if (op->k->start) {
        uint64_t was = log_owner(op_log(op), op->starts);
        int rc = op->k->start(op);

        log_owner(op_log(op), was);
        return rc;
    }
    return op_launch(op);
}

/* Issue the libxl call for the op's current phase. */
static int op_call(struct op *op)
{
    uint64_t was;
    int rc;

    op->how.callback = op_main_done;
    op->how.u.for_callback = op;
    /*
     * What libxl logs inside the call is this op's: its build's, say.
     * A callback may run inside it and start another op's call: the
     * owner is put back, not cleared.
     */
    was = log_owner(op_log(op), op->starts);
    rc = op->k->call(op, loop_ctx(op->lp), &op->how);
    log_owner(op_log(op), was);
    return rc;
}

/* Start the current phase; on a synchronous failure, finish the op. */
int op_launch(struct op *op)
{
    int phase = op->phase, rc;

    rc = op_call(op);
    if (rc && op->state != OP_DONE && op->phase == phase) {
        /* libxl refused to start the ao: its callback will not run. */
        op_main_done(loop_ctx(op->lp), rc, op);
        return -1;
    }
    return 0;
}

void op_main_done(libxl_ctx *ctx, int rc, void *for_callback)
{
    struct op *op = for_callback;

    (void)ctx;
    if (op->phase == OP_PHASE_MAIN && !op->t_ao_done)
        op->t_ao_done = loop_now_ns();
    if (op->k->done)
        op->k->done(op, rc);
    else
        op_simple_done(op, rc);
}

/* A one-ao kind's end: nothing to clean up, whatever happened. */
void op_simple_done(struct op *op, int rc)
{
    if (rc == 0) {
        if (op->cancelled)
            op_note(op, OP_NOTE_INFO, "%s of '%s' had finished before the "
                    "cancel took effect; nothing was cancelled",
                    op_verb(op), op->label);
        op_finish(op, OP_RESULT_OK);
        return;
    }
    if (op->cancelled) {
        op_report_left(op, OP_RESULT_CANCELLED);
        return;
    }
    if (op_has(op, OPK_READ) &&
        dom_state_of(loop_ctx(op->lp), op->domid) == DOM_GONE) {
        op->gone = true;
        op_finish(op, OP_RESULT_OK);
        return;
    }
    op_note(op, OP_NOTE_ERROR, "cannot %s domain '%s': %s", op_verb(op),
            op->label, op_failure(op, rc));
    op_finish(op, OP_RESULT_FAILED);
}

void op_finish(struct op *op, enum op_result result)
{
    if (op->k->finish && op->k->finish(op, &result))
        return;     /* the kind's last step calls again */
    if (op->tick) {
        loop_timer_cancel(op->lp, op->tick);
        op->tick = NULL;
    }
    op_phase_count(op);     /* the last phase's time */
    op->phase_text[0] = '\0';
    journal_remove(op->lp, &op->jr);
    if (op->deathw) {
        libxl_evdisable_domain_death(loop_ctx(op->lp), op->deathw);
        op->deathw = NULL;
    }
    op->result = result;
    op->state = OP_DONE;
    op->t_done = loop_now_ns();
    loop_busy(op->lp, -1);
    if (op->hooks->done)
        op->hooks->done(op, op->user);
}

/* ---- the phase, in words ---- */

/* The domain a create is making, once libxl has made it. */
/*
 * The domains, listed once for every op's look within OP_TICK_MS: each
 * op making a domain looks for it on every look until the create ends,
 * and a storm's hundred ops each listing every domain four times a
 * second was most of what the loop did (a hypercall and its buffer's
 * mapping each, trips through Xen in a PV dom0).
 */
struct op_domains {
    libxl_dominfo *v;
    int n;
    uint64_t ms;
    bool listed;
};

static void op_domains_free(void *state)
{
    struct op_domains *d = state;

    libxl_dominfo_list_free(d->v, d->n);
    free(d);
}

/* The list, made anew if fresh or older than a look's interval. */
static const libxl_dominfo *op_domains(struct loop *lp, bool fresh, int *n_r)
{
    struct op_domains *d = loop_slot(lp, LOOP_SLOT_DOMAINS, sizeof(*d),
                                     op_domains_free);
    uint64_t now = loop_now_ms();

    *n_r = 0;
    if (!d)
        return NULL;
    /* One list a millisecond is fresh enough (a cancel of many jobs). */
    if ((fresh && now != d->ms) || !d->listed || now - d->ms >= OP_TICK_MS) {
        libxl_dominfo_list_free(d->v, d->n);
        d->n = 0;
        d->v = libxl_list_domain(loop_ctx(lp), &d->n);
        if (!d->v)
            d->n = 0;
        d->ms = now;
        d->listed = true;
    }
    *n_r = d->n;
    return d->v;
}

/* op_phase_domid(), from a list fresh or one a look made just before. */
static uint32_t op_phase_domid_at(struct op *op, bool fresh)
{
    uint32_t id;

    if (op->domid != (uint32_t)INVALID_DOMID || !op_has(op, OPK_BUILD))
        return op->domid;
    if (op->seen_domid != (uint32_t)INVALID_DOMID)
        return op->seen_domid;
    if (!libxl_uuid_is_nil(&op->config.c_info.uuid)) {
        /* By its uuid: one hypercall, no xenstore read per domain. */
        libxl_ctx *ctx = loop_ctx(op->lp);
        const char *want = op->config.c_info.name;
        const libxl_dominfo *v;
        uint32_t nameless = INVALID_DOMID;
        int i, n = 0, n_nameless = 0;

        /*
         * Its uuid and its name: two may share a uuid (a localhost
         * migration's two ends, a dying one of the same config).  libxl
         * makes the domain in Xen before the xenstore transaction that
         * names it: one with the uuid and no name yet is this create's
         * (a worker ended in between left it so), unless two are.
         */
        v = want ? op_domains(op->lp, fresh, &n) : NULL;
        for (i = 0; v && i < n; i++) {
            char *name;

            if (v[i].dying ||
                libxl_uuid_compare(&v[i].uuid, &op->config.c_info.uuid))
                continue;
            name = libxl_domid_to_name(ctx, v[i].domid);
            if (name && !strcmp(name, want)) {
                op->seen_domid = v[i].domid;
            } else if (!name || !name[0]) {
                nameless = v[i].domid;
                n_nameless++;
            }
            free(name);
        }
        if (op->seen_domid == (uint32_t)INVALID_DOMID && n_nameless == 1)
            return nameless;    /* not kept: named, it is found again */
        return op->seen_domid;
    }
    if (op->label && libxl_name_to_domid(loop_ctx(op->lp), op->label, &id) == 0)
        op->seen_domid = id;    /* looked up once: a scan of every domain */
    return op->seen_domid;
}

uint32_t op_phase_domid(struct op *op)
{
    return op_phase_domid_at(op, true);
}

/* A hotplug child's words: the script libxl started, and what runs now. */
static void op_hotplug_words(const struct wait_child *c, char *buf,
                             size_t len)
{
    const char *script = c->script[0] ? c->script : c->prog;
    const char *arg = c->script[0] ? c->script_arg : c->arg;

    if (!c->script[0] || !strcmp(c->prog, c->script))
        snprintf(buf, len, "hotplug script %s%s%s for %s (pid %d)", script,
                 arg[0] ? " " : "", arg, c->dev, (int)c->pid);
    else
        snprintf(buf, len, "hotplug script %s%s%s for %s (pid %d, running "
                 "%s%s%s)", script, arg[0] ? " " : "", arg, c->dev,
                 (int)c->pid, c->prog, c->arg[0] ? " " : "", c->arg);
}

/*
 * Work out the phase from what wait.c sees; see op_phase().  The
 * children are one look for every op (wait_children()); the backends'
 * states cost a few xenstore reads, so without full they are not read:
 * words that came from a backend then stand while the op is in the same
 * phase, until someone asks (op->words_stale).
 */
static void op_phase_now(struct op *op, char *buf, size_t len, bool full)
{
    struct wait_child kids[8];
    uint32_t domid;
    bool alone = loop_busy_count(op->lp) == 1;
    int i, n;

    op->words_backend = false;
    op->words_stale = false;
    if (op->k->phase_words && op->k->phase_words(op, buf, len))
        return;
    domid = op_phase_domid_at(op, false);
    n = wait_children(op->lp, domid, kids, 8);
    for (i = 0; i < n; i++) {
        struct wait_child *c = &kids[i];

        if (c->domid != (uint32_t)INVALID_DOMID) {
            op_hotplug_words(c, buf, len);
            return;
        }
        if (c->dm_domid != (uint32_t)INVALID_DOMID) {
            /* It runs on once started: words only while libxl waits. */
            if (!wait_dm_starting(op->lp, c))
                continue;
            snprintf(buf, len, "starting the device model %s (pid %d)",
                     c->prog, (int)c->pid);
            return;
        }
        if (!alone)
            continue;
        /* The child of a create with a bootloader is that bootloader. */
        if (op_has(op, OPK_BUILD) && op->config.b_info.bootloader)
            snprintf(buf, len, "bootloader %s",
                     op->config.b_info.bootloader);
        else
            snprintf(buf, len, "%s%s%s (pid %d)", c->prog,
                     c->arg[0] ? " " : "", c->arg, (int)c->pid);
        return;
    }
    if (!full) {
        op->words_stale = true;
        if (op->words_were_backend && op->phase == op->tick_phase) {
            op->words_backend = true;
            snprintf(buf, len, "%s", op->phase_text);
        } else {
            snprintf(buf, len, "waiting on libxl");
        }
        return;
    }
    if (domid != (uint32_t)INVALID_DOMID && op_has(op, OPK_BUILD | OPK_ADD) &&
        wait_backend(op->lp, domid, buf, len)) {
        op->words_backend = true;
        return;
    }
    snprintf(buf, len, "waiting on libxl");
}

/* Take new words; true if they changed (the journal then has them). */
static bool op_words(struct op *op, bool full)
{
    char now[sizeof(op->phase_text)];

    op_phase_now(op, now, sizeof(now), full);
    op->words_were_backend = op->words_backend;
    if (!strcmp(now, op->phase_text))
        return false;
    snprintf(op->phase_text, sizeof(op->phase_text), "%s", now);
    /* A stream's growing count is still the same phase. */
    if (op->phase != op->tick_phase ||
        !(op->phase == OP_PHASE_MAIN && op_has(op, OPK_STREAM)))
        op->t_phase = loop_now_ms();
    op->tick_phase = op->phase;
    if (op->jr.path[0]) {
        snprintf(op->jr.phase, sizeof(op->jr.phase), "%s", now);
        journal_write(op->lp, &op->jr);
    }
    return true;
}

/*
 * The op's look at what it waits on: four times a second while someone
 * looks (hooks->watched: a status line, -v, a subscriber), the words
 * then in full; otherwise from the children alone, ever less often
 * (OP_TICK_IDLE_MS).
 */
static void op_tick(struct loop *lp, void *user)
{
    struct op *op = user;
    bool changed, full;

    op->tick = NULL;
    if (op->state == OP_DONE)
        return;
    full = !op->hooks->watched || op->hooks->watched(op, op->user);
    changed = op_words(op, full);
    if (full || changed || op->tick_ms < OP_TICK_MS)
        op->tick_ms = OP_TICK_MS;
    else if (op->tick_ms < OP_TICK_IDLE_MS)
        op->tick_ms = 2 * op->tick_ms < OP_TICK_IDLE_MS ? 2 * op->tick_ms
                                                        : OP_TICK_IDLE_MS;
    op->tick = loop_timer_add(lp, op->tick_ms, op_tick, op);
    if (op->hooks->tick)
        op->hooks->tick(op, changed, op->user);
}

void op_look_now(struct op *op)
{
    if (!op->tick || op->tick_ms <= OP_TICK_MS)
        return;
    loop_timer_cancel(op->lp, op->tick);
    op->tick_ms = OP_TICK_MS;
    op->tick = loop_timer_add(op->lp, 0, op_tick, op);
}

bool op_ran_alone(const struct op *op)
{
    return op->alone && loop_busy_starts(op->lp) == op->starts;
}

const char *op_phase(struct op *op)
{
    /* Asked by someone who looks now: the words in full. */
    if (op->words_stale && op->state != OP_DONE && op->state != OP_IDLE)
        op_words(op, true);
    return op->phase_text;
}

double op_phase_secs(const struct op *op)
{
    return op->t_phase ? (double)(loop_now_ms() - op->t_phase) / 1000 : 0;
}


/* ---- what the op acts on, and what it leaves ---- */

/*
 * What the op acts on: its domain ("domain 5 ('g1')"), or its device and
 * domain joined by prep, "to" or "from" by default ("xvdb to domain 5
 * ('g1')", "vif 1 from domain 5 ('g1')").
 */
const char *op_desc(struct op *op, const char *prep, char *buf, size_t len)
{
    char n[64];

    if (!op_has(op, OPK_DEV))
        return op_dom_desc(op, buf, len);
    if (!prep)
        prep = op_has(op, OPK_CD) ? "of" : op_has(op, OPK_ADD) ? "to"
                                                               : "from";
    snprintf(buf, len, "%s %s domain %u ('%s')",
             op_dev_name(op, n, sizeof(n)), prep, op->domid, op->label);
    return buf;
}

/* "failed", or "cancelled during X (after N s)": how the op ended. */
const char *op_how(struct op *op, enum op_result result, char *buf,
                   size_t len)
{
    if (result != OP_RESULT_CANCELLED)
        return "failed";
    snprintf(buf, len, "cancelled%s", op->cancel_phase);
    return buf;
}

/* The on-cancel destroy failed: say so, and what is left. */
void op_destroy_failed(struct op *op, int rc)
{
    char d[160];

    op_note(op, OP_NOTE_ERROR, "cannot destroy %s: %s",
            op_dom_desc(op, d, sizeof(d)),
            rc == ERROR_ABORTED ? "cancelled" : op_failure(op, rc));
    op_report_left(op, OP_RESULT_CANCELLED);
}

/* After a cancelled or failed create: say what is left and finish. */
void op_report_left(struct op *op, enum op_result result)
{
    libxl_ctx *ctx = loop_ctx(op->lp);
    enum dom_state st = dom_state_of(ctx, op->domid);
    char d[160], how[220];

    const char *hw = op_how(op, result, how, sizeof(how));

    op_dom_desc(op, d, sizeof(d));
    if (op->domid == (uint32_t)INVALID_DOMID || st == DOM_GONE)
        op_note(op, OP_NOTE_INFO, "%s of '%s' %s; no domain is left",
                op_verb(op), op->label, hw);
    /*
     * Its cleanup abandoned (more signals), the half-built domain stays,
     * and so does its record, as if axl had exited at once: 'axl cleanup'
     * finishes what the user cut short.
     */
    else if (op->abandon_cleanup && op->jr.path[0] &&
             journal_leave(op->lp, &op->jr) == 0)
        op_note(op, OP_NOTE_INFO, "%s of '%s' %s; %s is kept, %s, for "
                "'axl cleanup' to remove once this axl has ended",
                op_verb(op), op->label, hw, d, dom_state_name(st));
    else
        op_note(op, OP_NOTE_INFO, "%s of '%s' %s; %s is left %s",
                op_verb(op), op->label, hw, d, dom_state_name(st));
    op_finish(op, result);
}

/* ---- the cancel and the on-cancel cleanup ---- */

void op_cleanup_ao(struct op *op)
{
    libxl_ctx *ctx = loop_ctx(op->lp);
    int rc;

    op->state = OP_CLEANING;
    op->clean_how.callback = op_clean_done;
    op->clean_how.u.for_callback = op;
    rc = op->k->clean ? op->k->clean(op, ctx, &op->clean_how)
                      : libxl_domain_destroy(ctx, op->domid, &op->clean_how);
    if (rc && op->state == OP_CLEANING)
        op_clean_done(ctx, rc, op);
}

/*
 * The on-cancel cleanup, as an ao of its own: destroy the half-built
 * domain, or remove the half-attached device by force.
 */
void op_start_cleanup(struct op *op)
{
    char d[200];

    op_note(op, OP_NOTE_INFO, "%s %s", op_has(op, OPK_DEV)
            ? "removing half-attached" : "destroying half-built",
            op_desc(op, "from", d, sizeof(d)));
    op_cleanup_ao(op);
}

static void op_clean_done(libxl_ctx *ctx, int rc, void *for_callback)
{
    struct op *op = for_callback;

    (void)ctx;
    op->k->clean_done(op, rc);
}

void op_abort(struct op *op, int why)
{
    libxl_ctx *ctx = loop_ctx(op->lp);
    char d[160];
    int rc;

    if (op->state == OP_DONE || op->state == OP_IDLE)
        return;
    if (!op->cancelled) {
        op->cancelled = true;
        op->t_abort = loop_now_ns();
        /*
         * What was interrupted, for the last line: the words in full,
         * from a look at the children now (the last one, up to 100 ms
         * old, may predate the exec of the child the user saw run) and
         * of the domains (a hotplug script is its domain's alone).
         */
        if (op->state == OP_RUNNING) {
            wait_children_stale(op->lp);
            (void)op_phase_domid(op);
            op_words(op, true);
            snprintf(op->cancel_phase, sizeof(op->cancel_phase),
                     " during %s (after %.0f s)", op->phase_text,
                     op_phase_secs(op));
        }
    }
    op->why = why;

    if (op->k->abort && op->k->abort(op, why))
        return;
    if (op->state == OP_RUNNING) {
        if (op->domid == (uint32_t)INVALID_DOMID)
            op->domid = op_phase_domid(op);
        op->state = OP_ABORTING;
        op_note(op, OP_NOTE_INFO, "cancelling %s of %s", op_verb(op),
                op_desc(op, NULL, d, sizeof(d)));
        rc = libxl_ao_abort(ctx, &op->how);
        if (rc == ERROR_NOTFOUND && op->state == OP_ABORTING)
            op_note(op, OP_NOTE_INFO, "%s of '%s' is finishing; it cannot "
                    "be cancelled now", op_verb(op), op->label);
        return;
    }
    if (op->state == OP_ABORTING) {
        /* Only a create or an attach has a cleanup to abandon. */
        if (!op_may_clean_up(op))
            return;             /* nothing to abandon: it is kept anyway */
        if (!op->abandon_cleanup)
            op_note(op, OP_NOTE_INFO, "cleanup abandoned: %s will be left "
                    "as it is", op_desc(op, "of", d, sizeof(d)));
        op->abandon_cleanup = true;
        return;
    }
    if (op->state == OP_CLEANING && !op->abandon_cleanup) {
        op->abandon_cleanup = true;
        op_note(op, OP_NOTE_INFO, "cancelling the %s of %s",
                op_has(op, OPK_DEV) ? "removal" : "destroy",
                op_desc(op, "from", d, sizeof(d)));
        libxl_ao_abort(ctx, &op->clean_how);
    }
}

const char *op_left(struct op *op, char *buf, size_t len)
{
    if (op->k->left_words)
        return op->k->left_words(op, buf, len);
    if (op->domid == (uint32_t)INVALID_DOMID && op_has(op, OPK_BUILD))
        snprintf(buf, len, "its domain may be left half-built; check "
                 "'axl list'");
    else
        snprintf(buf, len, op->k->left, op->domid, op->domid);
    return buf;
}

enum op_state op_state(const struct op *op) { return op->state; }
enum op_result op_result(const struct op *op) { return op->result; }
int op_why(const struct op *op) { return op->why; }
bool op_gone(const struct op *op) { return op->gone; }

bool op_may_clean_up(const struct op *op)
{
    return op_has(op, OPK_BUILD | OPK_ADD) &&
           op->on_cancel == OP_ON_CANCEL_DESTROY;
}

uint32_t op_domid(const struct op *op) { return op->domid; }
const char *op_label(const struct op *op) { return op->label; }

struct journal_rec *op_journal_rec(struct op *op) { return &op->jr; }

const char *op_no_cancel(const struct op *op)
{
    if (op->state == OP_DONE || op->state == OP_IDLE)
        return "it has ended";
    return op->mig ? op_mig_no_cancel(op) : NULL;
}

const char *op_verb(const struct op *op)
{
    if (op_mig_in(op))
        return "incoming migration";
    if (op->k->verb)
        return op->k->verb;
    return op_dev_verb(op);
}

static double op_ms(uint64_t from, uint64_t to)
{
    if (!from || !to || to < from)
        return -1;
    return (double)(to - from) / 1e6;
}

double op_ms_total(const struct op *op)
{
    return op_ms(op->t_start, op->t_done);
}

double op_ms_abort_to_ao(const struct op *op)
{
    return op_ms(op->t_abort, op->t_ao_done);
}

double op_ms_abort_to_done(const struct op *op)
{
    return op_ms(op->t_abort, op->t_done);
}
