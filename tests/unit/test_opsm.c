/*
 * Unit tests for the op state machine every kind shares (core/op.c),
 * without Xen: a test kind whose "ao" completes from a loop timer, as
 * libxl's callback would, or at once inside the call that starts or
 * aborts it.  Each case runs the real loop for a few milliseconds.
 * Then the phases: a kind with its own past MAIN, timed under the names
 * its row gives; a phase it does not name refused; and the names each
 * real kind's row gives its phases, which records of finished ops keep
 * (axl jobs --done).  Prints TAP.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"
#include "../../core/loop.h"
#include "../../core/op.h"
#include "../../core/op_int.h"

/* How the test kind's ao behaves in one case. */
static struct {
    int call_rc;          /* the call fails at once with this (0: no) */
    bool done_in_call;    /* the ao completes inside the call */
    bool done_in_abort;   /* it completes inside the abort */
    unsigned ao_ms;       /* else it completes after this long */
    int ao_rc;            /* with this */
    unsigned clean_ms;    /* the cleanup's ao takes this long */
    int clean_rc;
    struct loop_timer *ao, *clean;
    int calls, cleans, dones;
    char notes[2048];
} tk;

static void tk_ao_fire(struct loop *lp, void *user)
{
    (void)lp;
    tk.ao = NULL;
    op_main_done(NULL, tk.ao_rc, user);
}

static int tk_call(struct op *op, libxl_ctx *ctx, libxl_asyncop_how *how)
{
    (void)ctx;
    (void)how;
    tk.calls++;
    if (tk.call_rc)
        return tk.call_rc;
    if (tk.done_in_call) {
        op_main_done(NULL, tk.ao_rc, op);
        return 0;
    }
    tk.ao = loop_timer_add(op->lp, tk.ao_ms, tk_ao_fire, op);
    return tk.ao ? 0 : ERROR_NOMEM;
}

/* The ao is aborted: it ends with ERROR_ABORTED, soon or at once. */
static bool tk_abort(struct op *op, int why)
{
    (void)why;
    if (op->state != OP_RUNNING)
        return false;
    op->state = OP_ABORTING;
    if (tk.ao)
        loop_timer_cancel(op->lp, tk.ao);
    tk.ao = NULL;
    tk.ao_rc = ERROR_ABORTED;
    if (tk.done_in_abort)
        op_main_done(NULL, ERROR_ABORTED, op);
    else
        tk.ao = loop_timer_add(op->lp, 1, tk_ao_fire, op);
    return true;
}

static void tk_done(struct op *op, int rc)
{
    if (rc == 0) {
        op_finish(op, OP_RESULT_OK);
        return;
    }
    if (!op->cancelled) {
        op_finish(op, OP_RESULT_FAILED);
        return;
    }
    if (op->on_cancel == OP_ON_CANCEL_KEEP || op->abandon_cleanup) {
        op_finish(op, OP_RESULT_CANCELLED);
        return;
    }
    op_start_cleanup(op);
}

static void tk_clean_fire(struct loop *lp, void *user)
{
    struct op *op = user;

    (void)lp;
    tk.clean = NULL;
    op->clean_how.callback(NULL, tk.clean_rc, op->clean_how.u.for_callback);
}

static int tk_clean(struct op *op, libxl_ctx *ctx, libxl_asyncop_how *how)
{
    (void)ctx;
    (void)how;
    tk.cleans++;
    tk.clean = loop_timer_add(op->lp, tk.clean_ms, tk_clean_fire, op);
    return tk.clean ? 0 : ERROR_NOMEM;
}

static void tk_clean_done(struct op *op, int rc)
{
    op_finish(op, rc ? OP_RESULT_FAILED : OP_RESULT_CANCELLED);
}

static bool tk_phase(struct op *op, char *buf, size_t len)
{
    snprintf(buf, len, "testing (phase %d)", (int)op->phase);
    return true;
}

static const struct op_kind_row tk_row = {
    .verb = "test", .flags = OPK_BUILD, .call = tk_call, .done = tk_done,
    .abort = tk_abort, .phase_words = tk_phase, .clean = tk_clean,
    .clean_done = tk_clean_done, .left = "test %u %u",
};

/*
 * A kind with phases of its own past MAIN, named by its row: each
 * phase's ao (the test kind's call) ends well, and the next follows.
 */
enum { TP_PHASE_FIRST = OP_PHASE_OWN, TP_PHASE_SECOND, TP_PHASE_N };

static const char *const tp_keys[TP_PHASE_N] = {
    [TP_PHASE_FIRST] = "first", [TP_PHASE_SECOND] = "second",
};

static void tp_done(struct op *op, int rc)
{
    if (rc || op->phase == TP_PHASE_SECOND) {
        op_finish(op, rc ? OP_RESULT_FAILED : OP_RESULT_OK);
        return;
    }
    op_phase_to(op, op->phase + 1);
    op_launch(op);
}

static const struct op_kind_row tp_row = {
    .verb = "test-phases", .call = tk_call, .done = tp_done,
    .phase_keys = tp_keys, .n_phase_keys = TP_PHASE_N,
};

static void hk_note(struct op *op, enum op_note_level level,
                    const char *msg, void *user)
{
    size_t l = strlen(tk.notes);

    (void)op;
    (void)level;
    (void)user;
    snprintf(tk.notes + l, sizeof(tk.notes) - l, "%s\n", msg);
}

static void hk_done(struct op *op, void *user)
{
    (void)op;
    (void)user;
    tk.dones++;
}

static const struct op_hooks hooks = { .note = hk_note, .done = hk_done };


static bool op_over(void *user)
{
    return op_state(user) == OP_DONE;
}

/* Looked at or not: how often the op looks (op_hooks.watched). */
static bool wt_watched;
static int wt_ticks;
static void wt_tick(struct op *op, bool changed, void *user)
{
    (void)op;
    (void)changed;
    (void)user;
    wt_ticks++;
}

static bool wt_is_watched(struct op *op, void *user)
{
    (void)op;
    (void)user;
    return wt_watched;
}

static const struct op_hooks wt_hooks = {
    .note = hk_note, .done = hk_done, .tick = wt_tick,
    .watched = wt_is_watched,
};

/* Ticks in 1.3 s of an op whose ao takes that long. */
static int wt_count(struct loop *lp, bool watched)
{
    struct op *op;

    memset(&tk, 0, sizeof(tk));
    tk.ao_ms = 1300;
    wt_watched = watched;
    wt_ticks = 0;
    op = op_new_row(lp, &tk_row, "g1", &wt_hooks, NULL);
    if (!op)
        return -1;
    op_set_domid(op, 7);
    op_start(op);
    if (op_state(op) != OP_DONE)
        loop_run_until(lp, op_over, op);
    op_free(op);
    return wt_ticks;
}

/* A new op of the test kind, on domain 7, everything reset. */
static struct op *tk_new(struct loop *lp)
{
    struct op *op;

    memset(&tk, 0, sizeof(tk));
    tk.ao_ms = 5;
    tk.clean_ms = 5;
    op = op_new_row(lp, &tk_row, "g1", &hooks, NULL);
    if (op)
        op_set_domid(op, 7);
    return op;
}

/* A new op of the phased kind, on domain 7, everything reset. */
static struct op *tp_new(struct loop *lp)
{
    struct op *op;

    memset(&tk, 0, sizeof(tk));
    tk.ao_ms = 5;
    op = op_new_row(lp, &tp_row, "g1", &hooks, NULL);
    if (op)
        op_set_domid(op, 7);
    return op;
}

/* A row's names of its phases past MAIN, in order, in buf. */
static const char *row_keys(const struct op_kind_row *row, char *buf,
                            size_t len)
{
    size_t l = 0;
    int i;

    buf[0] = '\0';
    for (i = OP_PHASE_OWN; i < row->n_phase_keys && l < len; i++)
        l += snprintf(buf + l, len - l, "%s%s", l ? " " : "",
                      row->phase_keys[i] ? row->phase_keys[i] : "(none)");
    return buf;
}

/* Whether op_phase_to(op, ph) ends the process on a failed assertion. */
static bool phase_to_aborts(struct op *op, int ph)
{
    struct rlimit no_core = { 0, 0 };
    pid_t pid;
    int status, fd;

    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        setrlimit(RLIMIT_CORE, &no_core);
        fd = open("/dev/null", O_WRONLY);
        if (fd >= 0)
            dup2(fd, 2);    /* the assertion's message */
        op_phase_to(op, ph);
        _exit(0);
    }
    return pid > 0 && waitpid(pid, &status, 0) == pid &&
           WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

/* Run the loop until the op is done (at most 2 s: a timer bounds it). */
static void run(struct loop *lp, struct op *op)
{
    if (op_state(op) != OP_DONE)
        loop_run_until(lp, op_over, op);
}

static void abort_later(struct loop *lp, void *user)
{
    (void)lp;
    op_abort(user, SIGINT);
}

int main(void)
{
    struct loop *lp;
    struct op *op;
    uint64_t t0;

    if (loop_init(&lp) < 0) {
        printf("Bail out! loop_init failed\n");
        return 1;
    }

    /* An ao that completes: OK, once, and the loop is idle again. */
    op = tk_new(lp);
    check(op && op_state(op) == OP_IDLE, "a new op is idle");
    t0 = loop_now_ms();
    check(op_start(op) == 0 && op_state(op) == OP_RUNNING,
          "started, it runs");
    check(loop_busy_count(lp) == 1, "a running op keeps the loop busy");
    run(lp, op);
    check(op_result(op) == OP_RESULT_OK && tk.dones == 1,
          "the ao completes: OK, the done hook called once");
    check(loop_busy_count(lp) == 0, "done: the loop is idle");
    check(loop_now_ms() - t0 < 1000, "in milliseconds");
    op_abort(op, SIGINT);
    check(op_result(op) == OP_RESULT_OK && tk.dones == 1 &&
          !strstr(tk.notes, "cancel"),
          "a cancel after the end changes nothing and says nothing");
    op_free(op);

    /* A failure of the ao. */
    op = tk_new(lp);
    tk.ao_rc = ERROR_FAIL;
    op_start(op);
    run(lp, op);
    check(op_result(op) == OP_RESULT_FAILED && tk.dones == 1,
          "the ao fails: FAILED");
    op_free(op);

    /* The call refuses at once: its callback will not run. */
    op = tk_new(lp);
    tk.call_rc = ERROR_INVAL;
    check(op_start(op) < 0, "a call refused at once: op_start says so");
    check(op_state(op) == OP_DONE && op_result(op) == OP_RESULT_FAILED &&
          tk.dones == 1, "  and the op is done, FAILED, once");
    op_free(op);

    /* The done hook fires inside the call that starts the ao. */
    op = tk_new(lp);
    tk.done_in_call = true;
    check(op_start(op) == 0 && op_state(op) == OP_DONE &&
          op_result(op) == OP_RESULT_OK && tk.dones == 1,
          "an ao done inside its start: done once, before op_start returns");
    check(loop_busy_count(lp) == 0, "  and the loop is idle");
    op_free(op);

    /* A cancel while it runs, --on-cancel=destroy: the cleanup runs. */
    op = tk_new(lp);
    tk.ao_ms = 1000;
    op_start(op);
    loop_timer_add(lp, 5, abort_later, op);
    run(lp, op);
    check(op_result(op) == OP_RESULT_CANCELLED && tk.cleans == 1,
          "cancelled while running (destroy): the cleanup ran, CANCELLED");
    check(op_why(op) == SIGINT, "  the op knows which signal");
    check(strstr(tk.notes, "destroying half-built domain 7 ('g1')") != NULL,
          "  and said what it destroys");
    check(tk.dones == 1, "  the done hook called once");
    op_free(op);

    /* The same with --on-cancel=keep: nothing is cleaned up. */
    op = tk_new(lp);
    tk.ao_ms = 1000;
    op_set_on_cancel(op, OP_ON_CANCEL_KEEP);
    op_start(op);
    loop_timer_add(lp, 5, abort_later, op);
    run(lp, op);
    check(op_result(op) == OP_RESULT_CANCELLED && tk.cleans == 0,
          "cancelled while running (keep): no cleanup, CANCELLED");
    check(!op_may_clean_up(op), "  keep: op_may_clean_up() says no");
    op_free(op);

    /* The ao completes inside the abort itself. */
    op = tk_new(lp);
    tk.ao_ms = 1000;
    tk.done_in_abort = true;
    op_start(op);
    op_abort(op, SIGTERM);
    check(op_state(op) == OP_CLEANING && tk.cleans == 1,
          "an ao done inside its abort: the cleanup starts at once");
    run(lp, op);
    check(op_result(op) == OP_RESULT_CANCELLED && tk.dones == 1,
          "  then CANCELLED, done once");
    op_free(op);

    /* A second cancel while aborting abandons the cleanup to come. */
    op = tk_new(lp);
    tk.ao_ms = 1000;
    op_start(op);
    op_abort(op, SIGINT);
    check(op_state(op) == OP_ABORTING, "cancelled: aborting");
    op_abort(op, SIGINT);
    check(strstr(tk.notes, "cleanup abandoned: domain 7 ('g1') will be "
                 "left as it is") != NULL,
          "a second cancel while aborting: the cleanup is abandoned");
    run(lp, op);
    check(op_result(op) == OP_RESULT_CANCELLED && tk.cleans == 0,
          "  no cleanup ran; CANCELLED");
    op_free(op);

    /* The phase words come from the kind, at the cancel. */
    op = tk_new(lp);
    tk.ao_ms = 1000;
    op_set_on_cancel(op, OP_ON_CANCEL_KEEP);
    op_start(op);
    op_abort(op, SIGINT);
    check(strstr(op->cancel_phase, "during testing (phase 0)") != NULL,
          "the cancel records the kind's words for the phase");
    run(lp, op);
    op_free(op);

    /* What a kill leaves, in the kind's words. */
    op = tk_new(lp);
    {
        char buf[64];

        check(!strcmp(op_left(op, buf, sizeof(buf)), "test 7 7"),
              "op_left() formats the kind's words with the domain");
    }
    op_free(op);

    /* A kind's phases, timed and named as its row names them. */
    op = tp_new(lp);
    op_start(op);
    run(lp, op);
    {
        const char *keys[8];
        uint32_t ms[8];
        int n = op_phase_times(op, keys, ms, 8);

        check(op_result(op) == OP_RESULT_OK && tk.calls == 3,
              "a kind with two phases of its own: three calls, OK");
        check(n == 3 && !strcmp(keys[0], "main") &&
              !strcmp(keys[1], "first") && !strcmp(keys[2], "second"),
              "op_phase_times(): MAIN, then each phase by its row's name");
        check(n == 3 && ms[0] >= 4 && ms[1] >= 4 && ms[2] >= 4,
              "  with the time spent in each");
        check(op_phase_times(op, keys, ms, 2) == 2 &&
              !strcmp(keys[1], "first"), "  as many as there is room for");
    }
    op_free(op);

    /* A kind without names of its own: its time is all MAIN's. */
    op = tk_new(lp);
    op_start(op);
    run(lp, op);
    {
        const char *keys[8];
        uint32_t ms[8];

        check(op_phase_times(op, keys, ms, 8) == 1 &&
              !strcmp(keys[0], "main"),
              "a one-ao kind's time is under \"main\" alone");
    }
    op_free(op);

    /* A phase past OP_PHASE_MAX, or one its row does not name, is a bug. */
    op = tp_new(lp);
    check(phase_to_aborts(op, OP_PHASE_MAX),
          "op_phase_to() past OP_PHASE_MAX: an assertion fails");
    check(phase_to_aborts(op, TP_PHASE_N),
          "op_phase_to() to a phase the row does not name: the same");
    check(!phase_to_aborts(op, TP_PHASE_SECOND),
          "  but one it names is taken");
    op_free(op);
    op = tk_new(lp);
    check(phase_to_aborts(op, OP_PHASE_OWN),
          "  and a row without names has MAIN alone");
    op_free(op);

    /* Each kind's row names its own phases, as records already say. */
    {
        static const struct {
            const char *name;
            const struct op_kind_row *row;
            const char *keys;
        } want[] = {
            { "create", &op_kind_create, "unpause console lock balloon "
                                         "go-ahead drain" },
            { "save", &op_kind_save, "config pause resume destroy" },
            { "resume", &op_kind_resume, "config pause resume destroy" },
            { "migrate", &op_kind_migrate, "config pause resume destroy "
                                           "banner target-build report "
                                           "back target-end" },
            { "shutdown", &op_kind_shutdown, "trigger wait" },
            { "reboot", &op_kind_reboot, "trigger wait" },
            { "destroy", &op_kind_destroy, "" },
            { "pause", &op_kind_pause, "" },
            { "unpause", &op_kind_unpause, "" },
            { "device attach", &op_kind_dev_add, "" },
            { "device detach", &op_kind_dev_remove, "" },
            { "cd-insert", &op_kind_cd_insert, "" },
            { "cd-eject", &op_kind_cd_eject, "" },
            { "retrieve", &op_kind_retrieve, "" },
            { "vcpu-set", &op_kind_vcpu_set, "" },
            { "trigger", &op_kind_trigger, "" },
            { "qemu-monitor-command", &op_kind_qemu_monitor, "" },
            { "dump-core", &op_kind_core_dump, "" },
            { "soft-reset", &op_kind_soft_reset, "" },
        };
        char buf[256], title[320];
        size_t i;

        for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
            const struct op_kind_row *r = want[i].row;

            if (want[i].keys[0])
                snprintf(title, sizeof(title), "the %s row names its "
                         "phases: %s", want[i].name, want[i].keys);
            else
                snprintf(title, sizeof(title), "the %s row has MAIN alone",
                         want[i].name);
            check(!strcmp(row_keys(r, buf, sizeof(buf)), want[i].keys) &&
                  r->n_phase_keys <= OP_PHASE_MAX &&
                  (!r->n_phase_keys || !r->phase_keys[OP_PHASE_MAIN]),
                  title);
        }
    }

    check(op_new(lp, (enum op_kind)999, "x", &hooks, NULL) == NULL,
          "op_new() refuses a kind it has no row for");

    /* Four looks a second while someone looks; ever fewer else. */
    {
        int seen = wt_count(lp, true), unseen = wt_count(lp, false);

        check(seen >= 4, "looked at: four looks a second");
        check(unseen >= 1 && unseen <= 3 && unseen < seen,
              "no one looking: the looks thin out (250, 500, 1000 ms...)");
        if (seen < 4 || unseen > 3 || unseen >= seen)
            printf("#   %d looks watched, %d not\n", seen, unseen);
    }
    loop_dispose(lp);
    return tap_done();
}
