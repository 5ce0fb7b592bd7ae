/*
 * job: an op run on behalf of a command, with its timeout, its exit
 * status and its place in the shell's job list.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/dom.h"
#include "../core/esc.h"
#include "../core/proc.h"
#include "../core/status.h"
#include "cli.h"
#include "ctl.h"
#include "out.h"

struct job {
    struct cli *cli;
    int id;
    char *cmdline;
    bool background;
    bool quiet;             /* the command's -q */
    int verbose;            /* the command's -v count */
    job_done_fn *done_fn;
    void *done_user;
    struct op *op;
    struct loop_timer *timer;
    uint64_t timeout_ms;
    uint64_t t_start_ms;
    bool done;
    bool finishing;         /* its op ended; its done_fn's work has not */
    char last[600];         /* its op's last messages (3), for ctl */
    char canceller[96];     /* who asked for the cancel, if not a signal */
    int status;
    struct job *next;
};

/*
 * Keep msg as the newest of the op's last three messages (one a line):
 * an outcome often takes two ("kept, paused", then how to remove it).
 */
static void job_keep_last(struct job *job, const char *msg)
{
    size_t len = strlen(job->last), n = strlen(msg);
    char *nl;
    int lines = 1;

    for (nl = job->last; (nl = strchr(nl, '\n')); nl++)
        lines++;
    /* Room, and at most three: the oldest go first. */
    while (len && (lines >= 3 || len + 1 + n >= sizeof(job->last))) {
        nl = strchr(job->last, '\n');
        if (!nl) {
            job->last[0] = '\0';
            len = 0;
            break;
        }
        memmove(job->last, nl + 1, strlen(nl + 1) + 1);
        len = strlen(job->last);
        lines--;
    }
    snprintf(job->last + len, sizeof(job->last) - len, "%s%s",
             len ? "\n" : "", msg);
}

static void job_note(struct op *op, enum op_note_level level,
                     const char *msg, void *user)
{
    struct job *job = user;
    char tag[16] = "";

    if (level == OP_NOTE_PROGRESS) {
        if (!job->quiet)
            progress("%s", msg);
        return;
    }
    job_keep_last(job, msg);
    if (job->background && job->cli->interactive)
        snprintf(tag, sizeof(tag), "[%d] ", job->id);
    note("%s%s", tag, msg);
    /* A cause is said once: the op's next failure has its own. */
    if (level == OP_NOTE_ERROR)
        op_log_said(op);
}

/*
 * The op's cause of failure: the first error libxl or libxc logged for
 * it since it started (or since its last error line), among those of
 * every other op running beside it (log_cause_of()); in words, with
 * libxl's source location under -v.
 */
static const char *job_cause(struct op *op, void *user)
{
    struct job *job = user;

    return op_log_cause(op, job->verbose > 0 || job->cli->verbose > 0);
}

/* libxl's log level: what the most verbose running job or -v asks for. */
static void job_log_level(struct cli *cli)
{
    struct job *j;
    int v = cli->verbose;

    for (j = cli->jobs; j; j = j->next)
        if (!j->done && j->verbose > v)
            v = j->verbose;
    log_set_level(cli->log, log_level_for_verbosity(v));
}

void job_set_quiet(struct job *job, bool quiet)
{
    job->quiet = quiet;
}

void job_set_verbose(struct job *job, int verbose)
{
    job->verbose = verbose;
    job_log_level(job->cli);
    if (verbose > 0)
        out_set_progress(true);
}

void job_on_done(struct job *job, job_done_fn *fn, void *user)
{
    job->done_fn = fn;
    job->done_user = user;
}

static void jobs_status_line(struct cli *cli);

static int job_status_of(const struct op *op)
{
    int why = op_why(op);

    switch (op_result(op)) {
    case OP_RESULT_OK:
        return AXL_EXIT_OK;
    case OP_RESULT_CANCELLED:
        if (why == OP_WHY_TIMEOUT)
            return AXL_EXIT_TIMEOUT;
        if (why > 0)
            return AXL_EXIT_SIGNAL + why;
        return AXL_EXIT_SIGNAL + SIGINT;
    default:
        return AXL_EXIT_FAIL;
    }
}

static void job_op_done(struct op *op, void *user)
{
    struct job *job = user;
    struct cli *cli = job->cli;

    if (job->timer) {
        loop_timer_cancel(cli->lp, job->timer);
        job->timer = NULL;
    }
    job->done = true;
    job->status = job_status_of(op);
    jobs_status_line(cli);
    if (job->done_fn) {
        int st = job->done_fn(job, job->status, job->done_user);

        if (st == CMD_PENDING) {
            job->done = false;      /* until job_finish() */
            job->finishing = true;
            return;
        }
        job->status = st;
    }
    job_finish(job, job->status);
}

void job_finish(struct job *job, int status)
{
    struct cli *cli = job->cli;
    struct op *op = job->op;

    job->done = true;
    job->finishing = false;
    job->status = status;
    if (job->verbose)
        job_log_level(cli);
    if (cli->timings)
        note("timing: %s of '%s': total %.1f ms, cancel to ao done %.1f ms, "
             "cancel to finished %.1f ms", op_verb(op), op_label(op),
             op_ms_total(op), op_ms_abort_to_ao(op),
             op_ms_abort_to_done(op));
    ctl_job_done(cli, job);
    if (cli->job_done_hook)
        cli->job_done_hook(cli, job);
}

/*
 * The job the status line shows: the first foreground job still
 * running (the oldest: the list is newest first); *more counts the
 * others.  NULL if none.
 */
static struct job *jobs_status_job(struct cli *cli, int *more)
{
    struct job *j, *first = NULL;

    *more = 0;
    for (j = cli->jobs; j; j = j->next) {
        enum op_state st = op_state(j->op);

        if (j->done || j->finishing || j->background || j->quiet ||
            st == OP_IDLE || st == OP_DONE)
            continue;
        if (first)
            (*more)++;
        first = j;
    }
    return first;
}

/*
 * The status line, on a terminal: what the first foreground job still
 * running waits on, and for how long; none when no such job runs.
 */
static void jobs_status_line(struct cli *cli)
{
    struct job *first;
    char line[320];
    int more;

    if (!out_err_tty())
        return;
    first = jobs_status_job(cli, &more);
    if (first)
        op_look_now(first->op);     /* shown from now on: looked at */
    if (!first) {
        out_status(NULL);
        return;
    }
    snprintf(line, sizeof(line), "%s %s: %s, %.0f s%s", op_verb(first->op),
             op_label(first->op), op_phase(first->op),
             op_phase_secs(first->op), more ? " (and more jobs)" : "");
    out_status(line);
}

void jobs_look_now(struct cli *cli)
{
    struct job *j;

    for (j = cli->jobs; j; j = j->next)
        if (!j->done)
            op_look_now(j->op);
}

/* Each look of the op: the status line; -v off a terminal: each phase. */
static void job_tick(struct op *op, bool changed, void *user)
{
    struct job *job = user;

    if (changed && !out_err_tty() && !job->quiet &&
        (job->verbose || job->cli->verbose))
        note("%s %s: %s", op_verb(op), op_label(op), op_phase(op));
    /* A new phase (not a stream's growing count): for `axl event`. */
    if (changed && op_phase_secs(op) < 0.3)
        ctl_job_event(job->cli, job, "phase", op_phase(op));
    jobs_status_line(job->cli);
}

/*
 * Whether anyone looks at the job's words: -v off a terminal prints
 * each, a terminal's status line shows one job's, and `axl event`
 * follows them all.  The others' are worked out only when asked.
 */
static bool job_watched(struct op *op, void *user)
{
    struct job *job = user;
    int more;

    (void)op;
    if (ctl_watching(job->cli))
        return true;
    if (!out_err_tty())
        return !job->quiet && (job->verbose || job->cli->verbose);
    return jobs_status_job(job->cli, &more) == job;
}

/*
 * The process a core dump's call, or a create's build, runs in: it
 * exits 0 if the work was done.  It runs on without exec, so what is
 * the parent's alone (the control socket, the terminal's status line,
 * stdout's buffer) is let go first.
 */
static pid_t job_child(struct op *op, void *user)
{
    struct job *job = user;
    struct proc_spec spec = PROC_SPEC(PROC_SESSION);
    pid_t pid;

    spec.journal = job->cli->lp;
    spec.journal_rec = op_journal_rec(op);     /* its op's alone */
    pid = proc_fork(&spec);
    if (pid == 0) {
        ctl_child();
        out_child();
        _exit(op_child_work(op) ? AXL_EXIT_FAIL : AXL_EXIT_OK);
    }
    return pid;
}

static const struct op_hooks job_hooks = {
    .note = job_note,
    .done = job_op_done,
    .tick = job_tick,
    .watched = job_watched,
    .cause = job_cause,
    .child = job_child,
};

struct job *job_new(struct cli *cli, enum op_kind kind, const char *label)
{
    struct job *job = calloc(1, sizeof(*job));

    if (!job)
        return NULL;
    job->op = op_new(cli->lp, kind, label, &job_hooks, job);
    job->cmdline = strdup(cli->cmdline ? cli->cmdline : "");
    if (!job->op || !job->cmdline) {
        op_free(job->op);
        free(job->cmdline);
        free(job);
        return NULL;
    }
    job->cli = cli;
    job->id = ++cli->next_job_id;
    job->background = cli->background;
    job->verbose = 0;
    job->next = cli->jobs;
    cli->jobs = job;
    ctl_listen(cli);        /* from now on, other axl processes see it */
    return job;
}

struct op *job_op(struct job *job)
{
    return job->op;
}

static void job_timed_out(struct loop *lp, void *user)
{
    struct job *job = user;
    char d[32];

    (void)lp;
    job->timer = NULL;
    if (job->timeout_ms % 1000)
        snprintf(d, sizeof(d), "%llu ms", (unsigned long long)job->timeout_ms);
    else
        snprintf(d, sizeof(d), "%llu s",
                 (unsigned long long)job->timeout_ms / 1000);
    note("%s of '%s' timed out after %s", op_verb(job->op),
         op_label(job->op) ? op_label(job->op) : "?", d);
    job_abort(job, OP_WHY_TIMEOUT);
}

int job_run(struct job *job, uint64_t timeout_ms)
{
    job->t_start_ms = loop_now_ms();
    job->timeout_ms = timeout_ms;
    if (timeout_ms) {
        job->timer = loop_timer_add(job->cli->lp, timeout_ms, job_timed_out,
                                    job);
        if (!job->timer) {
            /* Never started: done, failed, so that no one waits for it. */
            job->done = true;
            job->status = AXL_EXIT_FAIL;
            error("cannot set a timer: out of memory");
            if (job->done_fn &&
                (job->status = job->done_fn(job, job->status,
                                            job->done_user)) == CMD_PENDING)
                job->done = false;      /* until job_finish() */
            return job->status;
        }
    }
    op_name_it(job->op);    /* the event names the domain */
    ctl_job_event(job->cli, job, "start", job->cmdline);
    op_start(job->op);
    return job->done ? job->status : CMD_PENDING;
}

bool job_done(const struct job *job) { return job->done; }
const char *job_last(const struct job *job) { return job->last; }

const char *job_state_word(const struct job *job)
{
    if (job->done)
        return "done";
    switch (op_state(job->op)) {
    case OP_ABORTING:
        return "cancelling";
    case OP_CLEANING:
        return "cleaning up";
    default:
        return "running";
    }
}
const char *job_canceller(const struct job *job) { return job->canceller; }

void job_set_canceller(struct job *job, const char *who)
{
    if (!job->canceller[0])
        snprintf(job->canceller, sizeof(job->canceller), "%s", who);
}
int job_status(const struct job *job) { return job->status; }
struct cli *job_cli(struct job *job) { return job->cli; }
int job_id(const struct job *job) { return job->id; }
const char *job_cmdline(const struct job *job) { return job->cmdline; }
bool job_background(const struct job *job) { return job->background; }
uint64_t job_started_ms(const struct job *job) { return job->t_start_ms; }
struct job *job_next(const struct job *job) { return job->next; }

void job_set_background(struct job *job, bool background)
{
    job->background = background;
}

void job_forget(struct cli *cli, struct job *job)
{
    struct job **pp;

    for (pp = &cli->jobs; *pp; pp = &(*pp)->next) {
        if (*pp == job) {
            *pp = job->next;
            break;
        }
    }
    if (job->timer)
        loop_timer_cancel(cli->lp, job->timer);
    op_free(job->op);
    free(job->cmdline);
    if (job->verbose)
        job_log_level(cli);
    free(job);
}

bool jobs_all_done(void *user)
{
    struct cli *cli = user;
    struct job *j;

    for (j = cli->jobs; j; j = j->next)
        if (!j->done)
            return false;
    return true;
}

void job_abort(struct job *job, int why)
{
    char who[96];

    if (job->done)
        return;
    if (why > 0)
        snprintf(who, sizeof(who), "signal %d (%s)", why, esc_signame(why));
    else
        snprintf(who, sizeof(who), "%s", why == OP_WHY_TIMEOUT
                 ? "--timeout" : job->canceller[0] ? job->canceller
                 : "a request");
    ctl_job_event(job->cli, job, "cancel", who);
    op_abort(job->op, why);
}

int jobs_abort_all(struct cli *cli, int why)
{
    struct job *j;
    int n = 0;

    for (j = cli->jobs; j; j = j->next) {
        if (j->done)
            continue;
        if (why == OP_WHY_REQUEST)
            job_set_canceller(j, "abort in the shell");
        job_abort(j, why);
        n++;
    }
    return n;
}

int jobs_status(struct cli *cli, const struct esc *e, struct job *const *v,
                int n)
{
    struct job *j;
    int i, status = AXL_EXIT_OK;

    if (v) {
        for (i = 0; i < n && !status; i++)
            status = v[i]->status;
    } else {
        /* cli->jobs is newest first: the last failure seen is the oldest. */
        for (j = cli->jobs; j; j = j->next)
            if (j->status)
                status = j->status;
    }
    if (status > AXL_EXIT_SIGNAL && e && esc_status_signal(e))
        status = AXL_EXIT_SIGNAL + esc_status_signal(e);
    return status;
}

void jobs_exit_now(struct cli *cli, int signo)
{
    jobs_report_left(cli);
    out_status(NULL);
    loop_die_of_signal(signo);
    exit(AXL_EXIT_SIGNAL + signo);
}

/* The k-th job jobs_signal() acts on: v[k], or without v the k-th job. */
static struct job *jobs_nth(struct cli *cli, struct job *const *v, int n,
                            int k)
{
    struct job *j;

    if (v)
        return k < n ? v[k] : NULL;
    for (j = cli->jobs; j && k; j = j->next)
        k--;
    return j;
}

enum esc_step jobs_signal(struct cli *cli, struct esc *e, int signo,
                          struct job *const *v, int n, const char *final)
{
    enum esc_step step;
    bool cleanup = false;
    struct job *j;
    int k, running = 0;

    for (k = 0; (j = jobs_nth(cli, v, n, k)); k++) {
        running += !j->done;
        cleanup |= !j->done && op_may_clean_up(j->op);
    }
    if (!running) {
        note("%s: nothing is running to cancel", esc_signame(signo));
        return ESC_NONE;
    }
    step = esc_count(e, signo);
    if (step == ESC_FINAL) {
        note("%s: %s", esc_words(e), final);
        return step;
    }
    if (step == ESC_ABANDON)
        note("%s: %s (once more: %s)", esc_words(e),
             cleanup ? "abandoning cleanup" : "nothing to clean up", final);
    for (k = 0; (j = jobs_nth(cli, v, n, k)); k++)
        job_abort(j, esc_status_signal(e));
    return step;
}

void jobs_report_left(struct cli *cli)
{
    struct job *j;
    char left[256];

    for (j = cli->jobs; j; j = j->next) {
        uint32_t domid = op_domid(j->op);

        if (j->done)
            continue;
        note("exiting during %s of '%s': %s", op_verb(j->op),
             op_label(j->op) ? op_label(j->op) : "?",
             op_left(j->op, left, sizeof(left)));
        /*
         * And what is there now: the loop turns, so libxl answers (a
         * hypercall; no xenstore).
         */
        if (domid != (uint32_t)INVALID_DOMID && domid != 0 && cli->lp &&
            loop_ctx(cli->lp)) {
            enum dom_state st = dom_state_of(loop_ctx(cli->lp), domid);

            /* libxl destroys a domain from a child that outlives axl. */
            if (op_state(j->op) == OP_CLEANING && st != DOM_GONE)
                note("domain %u is %s now; its destroy was under way and "
                     "may still complete (see 'axl list')", domid,
                     dom_state_name(st));
            else
                note("domain %u is %s now", domid, dom_state_name(st));
        }
    }
}
