/*
 * op_migrate: a migration's two ends, as op kinds: the sender (OP_MIGRATE:
 * banner, stream, the go-ahead, the report) and the receiver (a create
 * from a migration stream: ready, the go-ahead, the handover).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libxl_utils.h>

#include "dom.h"
#include "journal.h"
#include "migrate.h"
#include "op_create_int.h"
#include "op_stream.h"
#include "testpoint.h"
#include "wait.h"

/* How long a migration waits for the target's command to end (ms). */
#define OP_MIG_END_TERM_MS 5000   /* then SIGTERM */
#define OP_MIG_END_KILL_MS 10000  /* then SIGKILL */
/* How long a failed receiver waits for the sender's last words (ms). */
#define OP_MIG_DRAIN_MS    10000

/*
 * The sending end's own phases, after the stream family's (op_stream.h:
 * the configuration, the resume, the destroy).  The receiving end's are
 * the create family's (op_create_int.h): the two ends are ops of
 * different rows, whose phases share numbers, so every test of a phase
 * here is of one end's, known first by its row or op->mig->in.
 */
enum {
    OP_PHASE_MIG_BANNER = OP_PHASE_STREAM_OWN, /* the target's banner */
    OP_PHASE_MIG_READY,   /* the stream is sent; the target builds */
    OP_PHASE_MIG_REPORT,  /* told to go; its report to come */
    OP_PHASE_MIG_BACK,    /* it failed; its leave to resume */
    OP_PHASE_MIG_END,     /* the target's command ends */
    OP_PHASE_MIG_N
};
_Static_assert(OP_PHASE_MIG_N <= OP_PHASE_MAX,
               "a migration's phases fit in op->phase_ms");

/*
 * A migration's end: the sender's (OP_MIGRATE, from op_new(): the row's
 * init) or the receiver's (a create, once op_set_migrate_in() makes
 * it).  This file's alone; freed by op_mig_free(), the rows' dispose.
 * The stream itself (its descriptor, its counters) is op_save.c's.
 */
struct op_mig_state {
    int recv_fd;              /* sender: the target's replies */
    pid_t child;              /* sender: the target's command */
    int child_status;
    bool ended;               /* sender: the transport is closed */
    bool termed;              /* sender: its command was sent SIGTERM */
    enum op_result result;    /* held while the target's command ends */
    struct migrate_wait *wait;
    struct loop_timer *timer;
    char *name;               /* the guest's name on both ends */
    bool in;                  /* incoming: a create from a migration */
    int reply_fd;             /* incoming: to the sender */
    bool ready_sent, go_seen, failed, reported;
    uint64_t suspended_ms;    /* sender: when the guest suspended (0: not) */
    int64_t downtime_ms;      /* sender: suspended to the target's "runs" */
};

/* The op's migration state, made if it has none: 0, or -1 (memory). */
static int op_mig_make(struct op *op)
{
    if (op->mig)
        return 0;
    op->mig = calloc(1, sizeof(*op->mig));
    if (!op->mig)
        return -1;
    op->mig->recv_fd = -1;
    op->mig->reply_fd = -1;
    op->mig->downtime_ms = -1;
    return 0;
}

/* The migration state goes (the op is freed); its descriptors are not. */
void op_mig_free(struct op *op)
{
    if (!op->mig)
        return;
    free(op->mig->name);
    free(op->mig);
    op->mig = NULL;
}

/* The sender's transport and command (op.h). */
int op_set_migrate(struct op *op, int send_fd, int recv_fd, pid_t child)
{
    if (op->k != &op_kind_migrate || op_set_fd(op, send_fd) < 0)
        return -1;
    op->mig->recv_fd = recv_fd;
    op->mig->child = child;
    return 0;
}

/* A create becomes a migration's receiving end (op.h). */
int op_set_migrate_in(struct op *op, int reply_fd, const char *name)
{
    if (op->k != &op_kind_create || op_mig_make(op) < 0)
        return -1;
    op->mig->in = true;
    op->mig->reply_fd = reply_fd;
    free(op->mig->name);
    op->mig->name = strdup(name);
    return op->mig->name ? 0 : -1;
}

/* The guest's name, renamed away here before the go-ahead (op.h). */
int op_set_migrate_name(struct op *op, const char *name)
{
    if (op->k != &op_kind_migrate)
        return -1;
    free(op->mig->name);
    op->mig->name = name ? strdup(name) : NULL;
    return name && !op->mig->name ? -1 : 0;
}

/* Whether the op is a migration's receiving end (a create). */
bool op_mig_in(const struct op *op)
{
    return op->mig && op->mig->in;
}

/* Whether the receiving end failed here (its copy is destroyed). */
bool op_mig_in_failed(const struct op *op)
{
    return op->mig && op->mig->failed;
}

/* Receiver: the handover failed here: the copy goes, as a failure. */
void op_mig_in_fail(struct op *op)
{
    op->mig->failed = true;
    op_start_cleanup(op);
}

static void op_mig_stop_wait(struct op *op)
{
    migrate_wait_free(op->mig->wait);
    op->mig->wait = NULL;
}

/* Wait for message m from the other end, in phase ph. */
static int op_mig_expect(struct op *op, int ph, int fd,
                         enum migrate_msg m, migrate_wait_fn *fn)
{
    op_mig_stop_wait(op);
    op_phase_to(op, ph);
    op->mig->wait = migrate_wait_new(op->lp, fd, m, fn, op);
    if (!op->mig->wait) {
        op_note(op, OP_NOTE_ERROR, "cannot wait for the %s: out of memory",
                migrate_msg_name(m));
        return -1;
    }
    return 0;
}

/* What a wait got instead of its message, in words. */
static const char *op_mig_got(int got, enum migrate_msg m, char *buf,
                              size_t len)
{
    if (got > 0)
        snprintf(buf, len, "the other end sent something else than the %s",
                 migrate_msg_name(m));
    else if (errno)
        snprintf(buf, len, "no %s: %s", migrate_msg_name(m),
                 strerror(errno));
    else
        snprintf(buf, len, "the other end closed the stream before the %s",
                 migrate_msg_name(m));
    return buf;
}

/* Rename the domain, saying so if it cannot be. */
static int op_mig_rename(struct op *op, const char *from, const char *to)
{
    int rc = libxl_domain_rename(loop_ctx(op->lp), op->domid, from, to);

    if (rc)
        op_note(op, OP_NOTE_ERROR, "cannot rename domain %u from '%s' to "
                "'%s': %s", op->domid, from, to, op_failure(op, rc));
    return rc;
}

/* Sender: the target answered (or not). */
static void op_mig_banner(struct migrate_wait *w, int got, uint8_t status,
                          void *user)
{
    struct op *op = user;
    char why[200];

    (void)w;
    (void)status;
    op_mig_stop_wait(op);
    if (got) {
        op_note(op, OP_NOTE_ERROR, "cannot migrate '%s': %s; it runs on here",
                op->label, op_mig_got(got, MIGRATE_BANNER, why, sizeof(why)));
        op_finish(op, OP_RESULT_FAILED);
        return;
    }
    op_note(op, OP_NOTE_PROGRESS, "the target is ready");
    op_save_begin(op);
}

static void op_mig_child_done(struct loop *lp, pid_t pid, int status,
                              void *user);

int op_mig_start(struct op *op)
{
    if (op->mig->child > 0 &&
        loop_watch_child(op->lp, op->mig->child, op_mig_child_done, op) < 0) {
        op_note(op, OP_NOTE_ERROR, "cannot watch the target's command");
        op_finish(op, OP_RESULT_FAILED);
        return -1;
    }
    if (op_mig_expect(op, OP_PHASE_MIG_BANNER, op->mig->recv_fd,
                      MIGRATE_BANNER, op_mig_banner) < 0) {
        op_finish(op, OP_RESULT_FAILED);
        return -1;
    }
    return 0;
}

static void op_mig_resume_now(struct op *op);
static void op_mig_left(struct op *op);

/* Sender, after a failure before the go-ahead: resume the guest here. */
static void op_mig_resume(struct op *op)
{
    op_save_settle(op, op_mig_resume_now);
}

static void op_mig_resume_now(struct op *op)
{
    char down[80];

    if (!op_save_suspended(op) &&
        dom_down(loop_ctx(op->lp), op->domid, down, sizeof(down))) {
        op_note(op, OP_NOTE_ERROR, "domain %u ('%s') does not run here: it "
                "%s", op->domid, op->label, down);
        op_finish(op, op->cancelled ? OP_RESULT_CANCELLED
                                    : OP_RESULT_FAILED);
        return;
    }
    if (!op_save_suspended(op)) {
        op_note(op, OP_NOTE_INFO, "domain %u ('%s') runs on here", op->domid,
                op->label);
        op_finish(op, op->cancelled ? OP_RESULT_CANCELLED
                                    : OP_RESULT_FAILED);
        return;
    }
    op_save_undo(op);
}

static void op_mig_report(struct migrate_wait *w, int got, uint8_t status,
                          void *user);
static void op_mig_back(struct migrate_wait *w, int got, uint8_t status,
                        void *user);

/* Sender: the target says it has the domain, paused. */
static void op_mig_ready_got(struct migrate_wait *w, int got, uint8_t status,
                             void *user)
{
    struct op *op = user;
    char why[200], away[300];
    const char *name = op->mig->name;

    (void)w;
    (void)status;
    op_mig_stop_wait(op);
    if (got) {
        op_note(op, OP_NOTE_ERROR, "migration of '%s' failed: %s", op->label,
                op_mig_got(got, MIGRATE_READY, why, sizeof(why)));
        op_mig_resume(op);
        return;
    }
    /*
     * The point of no return: rename away, then record that the guest
     * may run on the target (a cleanup after a killed axl must not
     * resume the copy here), then tell the target to go.  Renamed first,
     * so that the record says "may run there" for as short a time as
     * can be before the go-ahead: a kill before it leaves a record a
     * cleanup resumes from, under the name it renames back.  A record
     * that cannot say so must not stay to say otherwise.
     */
    if (name) {
        if (!migrate_copy_name(name, MIGRATE_COPY_AWAY, away,
                               sizeof(away))) {
            op_note(op, OP_NOTE_ERROR, "the name '%s' is too long to rename "
                    "the copy here", name);
            op_mig_resume(op);
            return;
        }
        if (op_mig_rename(op, name, away)) {
            op_mig_resume(op);
            return;
        }
    }
    testpoint("send-renamed");
    op->jr.resume = false;
    if (op->jr.path[0] && journal_write(op->lp, &op->jr) < 0 &&
        journal_remove(op->lp, &op->jr) < 0) {
        op_note(op, OP_NOTE_ERROR, "cannot update or remove the journal "
                "record of '%s'; not telling the target to go", op->label);
        op->jr.resume = true;
        if (name)
            op_mig_rename(op, away, name);
        op_mig_resume(op);
        return;
    }
    testpoint("send-committed");
    if (migrate_send(op_stream_fd(op), MIGRATE_GO, 0) < 0) {
        op_note(op, OP_NOTE_ERROR, "cannot send the go-ahead: %s",
                strerror(errno));
        op_mig_left(op);
        op_finish(op, OP_RESULT_FAILED);
        return;
    }
    testpoint("send-go-sent");
    op_note(op, OP_NOTE_PROGRESS, "the target has the domain; told it to "
            "start '%s'", op->label);
    if (op_mig_expect(op, OP_PHASE_MIG_REPORT, op->mig->recv_fd,
                      MIGRATE_REPORT, op_mig_report) < 0)
        op_finish(op, OP_RESULT_FAILED);
}

/*
 * Sender: the target may or may not run the guest, and the copy here is
 * suspended.  Only the user can tell which: the record stays for them
 * (every command says so, and 'axl cleanup --resume' can resume the
 * copy here), and the two answers are said now.
 */
static void op_mig_left(struct op *op)
{
    char *now = libxl_domid_to_name(loop_ctx(op->lp), op->domid);
    char answers[300];

    op_note(op, OP_NOTE_ERROR, "the target may or may not run '%s'; domain "
            "%u is left suspended here as '%s'", op->label, op->domid,
            now ? now : op->label);
    op_note(op, OP_NOTE_ERROR, "%s", migrate_left_answers(op->domid, answers,
                                                         sizeof(answers)));
    free(now);
    if (op->jr.path[0] && journal_leave(op->lp, &op->jr) < 0)
        op_note(op, OP_NOTE_ERROR, "cannot mark the journal record of '%s' "
                "as left to you: 'axl cleanup' shows it once this axl has "
                "ended", op->label);
}

void op_mig_ready(struct op *op)
{
    op_note(op, OP_NOTE_PROGRESS, "sent domain %u ('%s'): %.0f MiB in %.1f "
            "s; waiting for the target", op->domid, op->label,
            (double)op_stream_bytes(op) / (1024 * 1024),
            (double)(loop_now_ms() - op_stream_t0(op)) / 1000);
    if (op->cancelled) {
        /* The copy ended before the abort took effect: stop here. */
        op_note(op, OP_NOTE_INFO, "migration of '%s' cancelled%s", op->label,
                op->cancel_phase);
        op_mig_resume(op);
        return;
    }
    if (op_mig_expect(op, OP_PHASE_MIG_READY, op->mig->recv_fd,
                      MIGRATE_READY, op_mig_ready_got) < 0)
        op_mig_resume(op);
}

/* Sender: the target's report after the go-ahead. */
static void op_mig_report(struct migrate_wait *w, int got, uint8_t status,
                          void *user)
{
    struct op *op = user;
    char why[200];

    (void)w;
    op_mig_stop_wait(op);
    if (got) {
        op_note(op, OP_NOTE_ERROR, "migration of '%s' failed at the very end: "
                "%s", op->label, op_mig_got(got, MIGRATE_REPORT, why,
                                            sizeof(why)));
        op_mig_left(op);
        op_finish(op, OP_RESULT_FAILED);
        return;
    }
    if (status == 0) {
        if (op->mig->suspended_ms)
            op->mig->downtime_ms =
                (int64_t)(loop_now_ms() - op->mig->suspended_ms);
        if (op->mig->downtime_ms >= 0)
            op_note(op, OP_NOTE_PROGRESS, "domain '%s' runs on the target "
                    "(downtime %lld ms)", op->label,
                    (long long)op->mig->downtime_ms);
        else
            op_note(op, OP_NOTE_PROGRESS, "domain '%s' runs on the target",
                    op->label);
        /* A cleanup after a kill now destroys the copy here, as asked. */
        op->jr.saved = true;
        if (op->jr.path[0])
            journal_write(op->lp, &op->jr);
        testpoint("send-reported");
        op_save_destroy(op);
        return;
    }
    op_note(op, OP_NOTE_ERROR, "the target could not start '%s' (its status "
            "%u)", op->label, status);
    if (op_mig_expect(op, OP_PHASE_MIG_BACK, op->mig->recv_fd, MIGRATE_GO,
                      op_mig_back) < 0)
        op_finish(op, OP_RESULT_FAILED);
}

/* Sender: after the target's failure, its leave to resume here. */
static void op_mig_back(struct migrate_wait *w, int got, uint8_t status,
                        void *user)
{
    struct op *op = user;
    char why[200], away[300];

    (void)w;
    (void)status;
    op_mig_stop_wait(op);
    if (got) {
        op_note(op, OP_NOTE_ERROR, "%s", op_mig_got(got, MIGRATE_GO, why,
                                                    sizeof(why)));
        op_mig_left(op);
        op_finish(op, OP_RESULT_FAILED);
        return;
    }
    if (op->mig->name && migrate_copy_name(op->mig->name, MIGRATE_COPY_AWAY,
                                           away, sizeof(away)))
        op_mig_rename(op, away, op->mig->name);
    if (op->jr.path[0]) {
        /* The target has no copy: this one is the guest again. */
        op->jr.resume = true;
        journal_write(op->lp, &op->jr);
    }
    op_note(op, OP_NOTE_INFO, "the target destroyed its copy; resuming "
            "domain %u here", op->domid);
    op_save_undo(op);
}

/* Sender: how the target's command ended, if it says anything. */
static void op_mig_child_said(struct op *op)
{
    int status = op->mig->child_status;

    if (WIFSIGNALED(status))
        op_note(op, OP_NOTE_INFO, "the target's command ended by signal %d",
                WTERMSIG(status));
    else if (WIFEXITED(status) && WEXITSTATUS(status) &&
             op->mig->result != OP_RESULT_OK)
        op_note(op, OP_NOTE_INFO, "the target's command exited with status "
                "%d", WEXITSTATUS(status));
}

/* Sender: the target's command has ended (or was made to). */
static void op_mig_child_done(struct loop *lp, pid_t pid, int status,
                              void *user)
{
    struct op *op = user;

    (void)lp;
    (void)pid;
    op->mig->child = 0;
    op->mig->child_status = status;
    if (op->phase != OP_PHASE_MIG_END || op->state == OP_DONE)
        return;     /* said when the op ends */
    if (op->mig->timer) {
        loop_timer_cancel(op->lp, op->mig->timer);
        op->mig->timer = NULL;
    }
    op_mig_child_said(op);
    op_finish(op, op->mig->result);
}

static void op_mig_end_timer(struct loop *lp, void *user)
{
    struct op *op = user;

    (void)lp;
    op->mig->timer = NULL;
    if (op->mig->child <= 0)
        return;
    if (kill(op->mig->child, 0) < 0)
        return;
    /* SIGTERM first: a receiver then cleans up; SIGKILL if it hangs. */
    if (!op->mig->termed) {
        op_note(op, OP_NOTE_INFO, "the target's command (pid %d) has not "
                "ended: terminating it", (int)op->mig->child);
        kill(-op->mig->child, SIGTERM);
        op->mig->termed = true;
        op->mig->timer = loop_timer_add(op->lp, OP_MIG_END_KILL_MS -
                                        OP_MIG_END_TERM_MS, op_mig_end_timer,
                                        op);
        return;
    }
    op_note(op, OP_NOTE_INFO, "killing the target's command (pid %d)",
            (int)op->mig->child);
    kill(-op->mig->child, SIGKILL);
}

/* Receiver: the sender's last words after a failure, or its end. */
static void op_mig_drained(struct migrate_wait *w, int got, uint8_t status,
                           void *user)
{
    struct op *op = user;

    (void)w;
    (void)got;
    (void)status;
    op_mig_stop_wait(op);
    if (op->mig->timer) {
        loop_timer_cancel(op->lp, op->mig->timer);
        op->mig->timer = NULL;
    }
    op->mig->go_seen = true;
    op_finish(op, op->mig->result);
}

static void op_mig_drain_timer(struct loop *lp, void *user)
{
    struct op *op = user;

    (void)lp;
    op->mig->timer = NULL;
    op_mig_stop_wait(op);
    op->mig->go_seen = true;
    op_finish(op, op->mig->result);
}

/*
 * Called first by op_finish(): a migration's last steps.  The sender
 * closes its ends of the transport and waits (bounded) for the target's
 * command, so that a target cleaning up has done so when the op ends.
 * The receiver reports to the sender once the domain runs or its copy
 * is gone, then lets the sender have its say.  True when the op is not
 * finished yet (op_finish() is called again later).
 */
bool op_mig_finish(struct op *op, enum op_result result)
{
    op_mig_stop_wait(op);
    if (op->k == &op_kind_migrate && !op->mig->ended) {
        op->mig->ended = true;
        op->mig->result = result;
        op_stream_close(op);
        if (op->mig->recv_fd >= 0)
            close(op->mig->recv_fd);
        op->mig->recv_fd = -1;
        if (op->mig->child <= 0) {
            op_mig_child_said(op);
            return false;
        }
        op_phase_to(op, OP_PHASE_MIG_END);
        op->state = OP_RUNNING;
        if (result != OP_RESULT_OK) {
            /* Nothing more to say to the target: end its command now. */
            kill(-op->mig->child, SIGTERM);
            op->mig->termed = true;
        }
        op->mig->timer = loop_timer_add(op->lp, op->mig->termed
                                        ? OP_MIG_END_KILL_MS
                                        : OP_MIG_END_TERM_MS,
                                        op_mig_end_timer, op);
        return true;
    }
    if (!op->mig->in || !op->mig->ready_sent || op->mig->reported)
        return false;
    /* Receiver: the sender waits for a report once it has said go. */
    op->mig->reported = true;
    if (result == OP_RESULT_OK) {
        if (migrate_send(op->mig->reply_fd, MIGRATE_REPORT, 0) < 0)
            op_note(op, OP_NOTE_ERROR, "cannot report to the sender: %s; "
                    "domain %u runs here", strerror(errno), op->domid);
        else
            testpoint("recv-reported");
        return false;
    }
    if (migrate_send(op->mig->reply_fd, MIGRATE_REPORT, 1) < 0 ||
        migrate_send(op->mig->reply_fd, MIGRATE_GO, 0) < 0) {
        op_note(op, OP_NOTE_ERROR, "cannot tell the sender to resume: %s",
                strerror(errno));
        return false;
    }
    op_note(op, OP_NOTE_INFO, "told the sender to resume its copy");
    if (op->mig->go_seen)
        return false;
    /* Let the sender send its go-ahead, or end, before we go. */
    op->mig->result = result;
    op_phase_to(op, OP_PHASE_MIG_DRAIN);
    op->mig->wait = migrate_wait_new(op->lp, op_stream_fd(op), MIGRATE_GO,
                                     op_mig_drained, op);
    if (!op->mig->wait)
        return false;
    op->mig->timer = loop_timer_add(op->lp, OP_MIG_DRAIN_MS,
                                    op_mig_drain_timer, op);
    return true;
}

/*
 * Receiver: record that the sender has handed the guest over (journal.h,
 * go).  0, or -1 (said) if no record can say so and one that says
 * otherwise is still there.
 */
static int op_mig_in_commit(struct op *op)
{
    if (!op->jr.path[0])
        return 0;
    op->jr.go = true;
    snprintf(op->jr.to, sizeof(op->jr.to), "%s", op->mig->name);
    op->jr.after = op->start_paused ? JOURNAL_AFTER_PAUSE
                                    : JOURNAL_AFTER_UNPAUSE;
    if (strlen(op->mig->name) >= sizeof(op->jr.to)) {
        /* Cut short, it would name no domain: the handover is refused. */
        op_note(op, OP_NOTE_ERROR, "the name '%s' is too long for the "
                "journal; not starting the guest", op->mig->name);
        op->jr.go = false;
        return -1;
    }
    if (journal_write(op->lp, &op->jr) == 0)
        return 0;
    op->jr.go = false;
    if (journal_remove(op->lp, &op->jr) == 0)
        return 0;
    op_note(op, OP_NOTE_ERROR, "cannot update or remove the journal record "
            "of '%s'; not starting the guest", op->label);
    return -1;
}

/* Receiver: the handover failed here; the copy is half-built again. */
void op_mig_in_uncommit(struct op *op)
{
    if (!op->jr.go)
        return;
    op->jr.go = false;
    op->jr.to[0] = '\0';
    op->jr.after = JOURNAL_AFTER_NONE;
    /* A record still saying go must not outlive the copy: none, then. */
    if (op->jr.path[0] && journal_write(op->lp, &op->jr) < 0)
        journal_remove(op->lp, &op->jr);
}

/* Receiver: the sender's go-ahead (or not). */
static void op_mig_go(struct migrate_wait *w, int got, uint8_t status,
                      void *user)
{
    struct op *op = user;
    char why[200];

    (void)w;
    (void)status;
    op_mig_stop_wait(op);
    if (got) {
        op_note(op, OP_NOTE_ERROR, "incoming migration of '%s' failed: %s",
                op->mig->name, op_mig_got(got, MIGRATE_GO, why, sizeof(why)));
        op->mig->go_seen = true;    /* nothing more will come */
        op_mig_in_fail(op);
        return;
    }
    op->mig->go_seen = true;
    testpoint("recv-go");
    /*
     * The sender has handed the guest over: from here the copy here is
     * the guest, and a cleanup after a killed receiver must finish the
     * handover (name it, unpause it), never destroy it.  The record says
     * so before anything changes; one that cannot say so must not stay
     * to say otherwise (the copy would be destroyed as half-built).
     */
    if (op_mig_in_commit(op) < 0) {
        op_mig_in_fail(op);
        return;
    }
    testpoint("recv-go-recorded");
    if (op_mig_rename(op, op->label, op->mig->name)) {
        /* The sender resumes its copy: this one goes. */
        op_mig_in_uncommit(op);
        op_mig_in_fail(op);
        return;
    }
    testpoint("recv-renamed");
    free(op->label);
    op->label = strdup(op->mig->name);
    if (!op->label)
        op->label = strdup("?");
    if (op->start_paused) {
        char d[160];

        op_note(op, OP_NOTE_PROGRESS, "received %s, paused",
                op_dom_desc(op, d, sizeof(d)));
        op_finish(op, OP_RESULT_OK);
        return;
    }
    op_create_unpause(op);
}

/* Receiver: the domain is built, paused: tell the sender, await go. */
void op_mig_in_ready(struct op *op)
{
    char d[160];

    op_note(op, OP_NOTE_PROGRESS, "received %s, paused; asking the sender "
            "for the go-ahead", op_dom_desc(op, d, sizeof(d)));
    /* Its id: on one host, the sender's copy has the same uuid. */
    if (op->jr.path[0]) {
        op->jr.domid = op->domid;
        journal_write(op->lp, &op->jr);
    }
    if (migrate_send(op->mig->reply_fd, MIGRATE_READY, 0) < 0) {
        op_note(op, OP_NOTE_ERROR, "cannot tell the sender: %s",
                strerror(errno));
        op_mig_in_fail(op);
        return;
    }
    op->mig->ready_sent = true;
    if (op_mig_expect(op, OP_PHASE_MIG_GO, op_stream_fd(op), MIGRATE_GO,
                      op_mig_go) < 0)
        op_mig_in_fail(op);
}

/*
 * A cancel where a migration has its own rules; true when handled.  The
 * sender's waits for messages end at once (the guest resumes here); past
 * the go-ahead a cancel is refused, since the target may run the guest.
 * The receiver's wait for the go-ahead ends as a cancelled build.
 */
bool op_mig_abort(struct op *op)
{
    char d[160];

    if (op->state == OP_DONE)
        return true;
    if (op->mig->in && op->state == OP_RUNNING &&
        op->phase == OP_PHASE_MIG_GO) {
        op_mig_stop_wait(op);
        op->state = OP_ABORTING;
        op_create_cancelled(op, ERROR_ABORTED);
        return true;
    }
    if (op->mig->in && op->phase == OP_PHASE_MIG_DRAIN) {
        op_mig_drain_timer(op->lp, op);
        return true;
    }
    if (op->mig->in && op->mig->go_seen && !op->mig->failed) {
        /* The sender has handed the guest over: it must run here. */
        op_note(op, OP_NOTE_INFO, "the sender has handed '%s' over: a "
                "cancel now could leave it running nowhere, so axl "
                "starts it here", op->mig->name);
        return true;
    }
    if (op->k != &op_kind_migrate)
        return false;
    switch (op->phase) {
    case OP_PHASE_MIG_BANNER:
        op_mig_stop_wait(op);
        op_note(op, OP_NOTE_INFO, "migration of '%s' cancelled%s; nothing "
                "was sent; it runs on here", op->label, op->cancel_phase);
        op_finish(op, OP_RESULT_CANCELLED);
        return true;
    case OP_PHASE_MIG_READY:
        op_mig_stop_wait(op);
        op_dom_desc(op, d, sizeof(d));
        op_note(op, OP_NOTE_INFO, "migration of '%s' cancelled%s; the target "
                "drops its copy; resuming %s here", op->label,
                op->cancel_phase, d);
        /* Closing the stream tells the target to drop its copy. */
        op_stream_close(op);
        op_mig_resume(op);
        return true;
    case OP_PHASE_MIG_REPORT:
    case OP_PHASE_MIG_BACK:
        op_note(op, OP_NOTE_INFO, "the target was told to start '%s': a "
                "cancel now could leave it running at both ends, so axl "
                "waits for the target's report", op->label);
        return true;
    case OP_PHASE_MIG_END:
        /*
         * The target is dropping its copy: killing it now would leave
         * that copy half-built.  The wait is bounded (OP_MIG_END_KILL_MS);
         * a third signal exits at once and leaves the target to finish.
         */
        if (op->mig->child > 0)
            op_note(op, OP_NOTE_INFO, "waiting for the target's command (pid "
                    "%d) to drop its copy and end", (int)op->mig->child);
        return true;
    default:
        return false;
    }
}

/* Why a cancel of the migration would be refused now, or NULL. */
const char *op_mig_no_cancel(const struct op *op)
{
    if (op->mig->in && op->mig->go_seen && !op->mig->failed)
        return "the sender has handed the guest over: it is started here";
    if (op->k != &op_kind_migrate)
        return NULL;
    switch (op->phase) {
    case OP_PHASE_MIG_REPORT:
    case OP_PHASE_MIG_BACK:
        return "past the go-ahead: the target was told to start the guest";
    case OP_PHASE_MIG_END:
        return "the target is dropping its copy; the wait for it is bounded";
    default:
        return NULL;
    }
}

/* A PV domain on a Xen without shadow paging: no live migration. */
bool op_mig_no_shadow(struct op *op)
{
    libxl_physinfo pi;
    libxl_dominfo info;
    bool pv = false, shadow = true;

    libxl_dominfo_init(&info);
    if (libxl_domain_info(loop_ctx(op->lp), &info, op->domid) == 0)
        pv = info.domain_type == LIBXL_DOMAIN_TYPE_PV;
    libxl_dominfo_dispose(&info);
    libxl_physinfo_init(&pi);
    if (libxl_get_physinfo(loop_ctx(op->lp), &pi) == 0)
        shadow = pi.cap_shadow;
    libxl_physinfo_dispose(&pi);
    return pv && !shadow;
}

void op_mig_timer_stop(struct op *op)
{
    if (op->mig && op->mig->timer) {
        loop_timer_cancel(op->lp, op->mig->timer);
        op->mig->timer = NULL;
    }
}

/* The words of the receiving end's own phases; false if not one. */
bool op_mig_in_phase(struct op *op, char *buf, size_t len)
{
    switch (op->phase) {
    case OP_PHASE_MIG_GO:
        snprintf(buf, len, "domain %u received, paused; waiting for the "
                 "sender's go-ahead", op->domid);
        return true;
    case OP_PHASE_MIG_DRAIN:
        snprintf(buf, len, "waiting for the sender to read the failure");
        return true;
    default:
        return false;
    }
}

/* The words of the sending end's own phases; false if not one. */
static bool op_mig_out_phase(struct op *op, char *buf, size_t len)
{
    switch (op->phase) {
    case OP_PHASE_MIG_BANNER:
        snprintf(buf, len, "waiting for the target to answer");
        return true;
    case OP_PHASE_MIG_READY:
        snprintf(buf, len, "sent; the target is restoring domain '%s'",
                 op->label);
        return true;
    case OP_PHASE_MIG_REPORT:
        snprintf(buf, len, "the target was told to start '%s'; waiting for "
                 "its report", op->label);
        return true;
    case OP_PHASE_MIG_BACK:
        snprintf(buf, len, "the target failed to start '%s'; waiting for its "
                 "leave to resume it here", op->label);
        return true;
    case OP_PHASE_MIG_END:
        snprintf(buf, len, "waiting for the target's command (pid %d) to end",
                 (int)op->mig->child);
        return true;
    default:
        return false;
    }
}

int64_t op_mig_downtime_ms(const struct op *op)
{
    return op->k == &op_kind_migrate && op->mig ? op->mig->downtime_ms : -1;
}

/* ---- the sending end's row ---- */

/*
 * The guest's shutdown.  For the suspend: when its downtime begins.  For
 * another reason (a crash, a reboot, a triple fault) in the middle of
 * the copy: the migration cannot end well, and libxl would wait a minute
 * for a suspend that never comes: it stops now, as a failure.  Not once
 * libxl has asked for the suspend: an abort while it waits for one is
 * unsafe in libxl 4.17 (op_save.c), and it gives up by itself.
 */
static void op_migrate_event(struct loop *lp, libxl_event *ev, void *user)
{
    struct op *op = user;
    char down[80];

    if (ev->type == LIBXL_EVENT_TYPE_DOMAIN_SHUTDOWN &&
        ev->u.domain_shutdown.shutdown_reason ==
            LIBXL_SHUTDOWN_REASON_SUSPEND && !op->mig->suspended_ms)
        op->mig->suspended_ms = loop_now_ms();
    else if (ev->type == LIBXL_EVENT_TYPE_DOMAIN_SHUTDOWN &&
             op->state == OP_RUNNING && op->phase == OP_PHASE_MAIN &&
             !wait_suspend_asked(op->lp, op->domid) &&
             dom_down(loop_ctx(op->lp), op->domid, down, sizeof(down))) {
        op_note(op, OP_NOTE_ERROR, "domain %u ('%s') %s in the middle of "
                "its migration, which stops", op->domid, op->label, down);
        op_stream_abort(op);
    }
    libxl_event_free(loop_ctx(lp), ev);
}

static int op_migrate_start(struct op *op)
{
    op_save_watch(op);
    /* Without the watch, the downtime is not measured; nothing else. */
    op->sink.fn = op_migrate_event;
    op->sink.user = op;
    if (libxl_evenable_domain_death(loop_ctx(op->lp), op->domid,
                                    LOOP_EV_USER(&op->sink), &op->deathw))
        op->deathw = NULL;
    return op_mig_start(op);
}

static bool op_migrate_abort(struct op *op, int why)
{
    (void)why;
    if (op_mig_abort(op))
        return true;
    if (op->state != OP_RUNNING || op->phase != OP_PHASE_MAIN)
        return false;
    op_stream_abort(op);
    return true;
}

static bool op_migrate_finish(struct op *op, enum op_result *result)
{
    if (op_mig_finish(op, *result))
        return true;    /* the target's command ends first */
    op_mig_timer_stop(op);
    op_stream_end(op);
    op_stream_fd_end(op);
    return false;
}

/* Its own phases in words, else a stream's (op_save.c's). */
static bool op_migrate_phase(struct op *op, char *buf, size_t len)
{
    return op_mig_out_phase(op, buf, len) || op_stream_phase(op, buf, len);
}

/* The names of its phases: the stream's (op_stream.h), then its own. */
static const char *const op_migrate_phase_keys[OP_PHASE_MIG_N] = {
    OP_STREAM_PHASE_KEYS,
    [OP_PHASE_MIG_BANNER] = "banner", [OP_PHASE_MIG_READY] = "target-build",
    [OP_PHASE_MIG_REPORT] = "report", [OP_PHASE_MIG_BACK] = "back",
    [OP_PHASE_MIG_END] = "target-end",
};

/* A migration has its stream (op_save.c's) and its end from the start. */
static int op_migrate_init(struct op *op)
{
    return op_save_make(op) < 0 ? -1 : op_mig_make(op);
}

static void op_migrate_dispose(struct op *op)
{
    op_mig_free(op);
    op_save_free(op);
}

const struct op_kind_row op_kind_migrate = {
    .verb = "migrate", .flags = OPK_STREAM | OPK_MIGRATE,
    .phase_keys = op_migrate_phase_keys, .n_phase_keys = OP_PHASE_MIG_N,
    .call = op_call_save, .start = op_migrate_start, .done = op_save_done,
    .abort = op_migrate_abort, .finish = op_migrate_finish,
    .phase_words = op_migrate_phase, .journal = op_save_journal,
    .init = op_migrate_init, .dispose = op_migrate_dispose,
    .left = "domain %u may be left suspended here, and the target may "
            "have a copy: check both hosts before you resume one ('axl "
            "list %u')",
};
