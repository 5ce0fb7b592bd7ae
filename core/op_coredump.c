/*
 * op_coredump: dump-core.  libxl writes a core inside the call that
 * starts its ao, where no abort reaches: the call runs in a child of
 * axl's (the front end's child hook makes it) with a libxl context of
 * its own, and a cancel kills the child.  The file is op_save.c's
 * (op_out_*): made new, written under a temporary name, named once
 * whole; the path libxl writes to and the child are this file's own
 * (struct op_dump, op->priv).  What libxl logs in the child dies with
 * it, so the child passes its first error up a pipe, and the op's cause
 * is found here as for any op.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libxl_utils.h>

#include "log.h"
#include "loop.h"
#include "op.h"

#include "op_int.h"

/* A core dump's own state (op->priv). */
struct op_dump {
    char *path;     /* the file libxl writes (op_set_path()) */
    pid_t child;    /* the child making the call; 0 if none */
    int cause[2];   /* the pipe its first error comes up; -1 if none */
};

#define OP_DUMP(op) ((struct op_dump *)(op)->priv)

static int op_dump_child_work(struct op *op)
{
    struct log_sink *ls = log_sink_of(loop_logger(op->lp));
    uint64_t from = ls ? log_mark(ls) : 0;
    libxl_ctx *c = NULL;
    int rc = ERROR_FAIL;

    libxl_postfork_child_noexec(loop_ctx(op->lp));
    if (libxl_ctx_alloc(&c, LIBXL_VERSION, 0, loop_logger(op->lp)) == 0)
        rc = libxl_domain_core_dump(c, op->domid, OP_DUMP(op)->path, NULL);
    if (rc && ls)
        log_pass(ls, from, OP_DUMP(op)->cause[1]);
    return rc;
}

static void op_dump_cause_close(struct op_dump *d)
{
    int i;

    for (i = 0; i < 2; i++) {
        if (d->cause[i] >= 0)
            close(d->cause[i]);
        d->cause[i] = -1;
    }
}

/* The child's first error, if it sent one, kept here as the op's. */
static void op_dump_cause_read(struct op *op)
{
    struct log_sink *ls = log_sink_of(loop_logger(op->lp));
    uint64_t was = log_owner(ls, op->starts);

    log_take(ls, OP_DUMP(op)->cause[0]);
    log_owner(ls, was);
    op_dump_cause_close(OP_DUMP(op));
}

/* The child making the call has ended: the call's "ao" is done. */
static void op_dump_child_done(struct loop *lp, pid_t pid, int status,
                               void *user)
{
    struct op *op = user;
    int rc;

    (void)pid;
    OP_DUMP(op)->child = 0;
    op_dump_cause_read(op);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        rc = 0;
    else if (op->cancelled)
        rc = ERROR_ABORTED;
    else
        rc = ERROR_FAIL;
    op_main_done(loop_ctx(lp), rc, op);
}

static int op_dump_call(struct op *op, libxl_ctx *ctx,
                        libxl_asyncop_how *how)
{
    struct op_dump *d = OP_DUMP(op);
    pid_t pid;

    (void)ctx;
    (void)how;
    op_dump_cause_close(d);
    if (pipe2(d->cause, O_CLOEXEC | O_NONBLOCK) < 0)
        d->cause[0] = d->cause[1] = -1;
    pid = op->hooks->child ? op->hooks->child(op, op->user) : -1;
    if (d->cause[1] >= 0)
        close(d->cause[1]);     /* the child's end */
    d->cause[1] = -1;
    if (pid < 0) {
        op_dump_cause_close(d);
        return ERROR_FAIL;
    }
    d->child = pid;
    if (loop_watch_child(op->lp, pid, op_dump_child_done, op) < 0) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        d->child = 0;
        op_dump_cause_close(d);
        return ERROR_FAIL;
    }
    return 0;
}

/* Before the file: its record names it, so a kill never leaves it. */
static int op_dump_start(struct op *op)
{
    if (op_out_open(op) < 0) {
        op_finish(op, OP_RESULT_FAILED);
        return -1;
    }
    return op_launch(op);
}

/* No ao to abort: the child is killed, and its end is the ao's. */
static bool op_dump_abort(struct op *op, int why)
{
    char d[160];

    (void)why;
    if (op->state != OP_RUNNING)
        return false;
    op->state = OP_ABORTING;
    op_note(op, OP_NOTE_INFO, "cancelling %s of %s", op_verb(op),
            op_desc(op, NULL, d, sizeof(d)));
    if (OP_DUMP(op)->child > 0)
        kill(OP_DUMP(op)->child, SIGKILL);
    return true;
}

static bool op_dump_phase(struct op *op, char *buf, size_t len)
{
    const char *path = OP_DUMP(op)->path;
    struct stat st;

    if (!path)
        return false;
    snprintf(buf, len, "writing the core of domain %u (%lld MiB so far)",
             op->domid, stat(path, &st) == 0
             ? (long long)st.st_size / (1024 * 1024) : 0LL);
    return true;
}

/* A whole core file is named; one that is not is removed. */
static bool op_dump_finish(struct op *op, enum op_result *result)
{
    op_out_end(op, result);
    op_stream_fd_end(op);
    return false;
}

/* A file being written is recorded, for a cleanup after a kill. */
static bool op_dump_journal(struct op *op, struct journal_rec *jr)
{
    if (!op_out_tmp(op))
        return false;
    jr->stream = true;
    jr->kind = JOURNAL_DUMP;
    jr->after = JOURNAL_AFTER_DESTROY;
    op_out_journal(op, jr);
    return true;
}

static int op_dump_init(struct op *op)
{
    OP_DUMP(op)->cause[0] = OP_DUMP(op)->cause[1] = -1;
    return 0;
}

/* Its file (op_save.c's state), its path and its pipe go with the op. */
static void op_dump_dispose(struct op *op)
{
    op_dump_cause_close(OP_DUMP(op));
    free(OP_DUMP(op)->path);
    op_save_free(op);
}

const struct op_kind_row op_kind_core_dump = {
    .verb = "dump-core", .call = op_dump_call, .start = op_dump_start,
    .abort = op_dump_abort, .phase_words = op_dump_phase,
    .finish = op_dump_finish, .journal = op_dump_journal,
    .child_work = op_dump_child_work,
    .priv_size = sizeof(struct op_dump), .init = op_dump_init,
    .dispose = op_dump_dispose,
    .left = "a partly written core file of domain %u may be left (its "
            "name ends in .axl-tmp)",
};

int op_set_path(struct op *op, const char *path)
{
    struct op_dump *d;

    if (op->k != &op_kind_core_dump)
        return -1;
    d = OP_DUMP(op);
    free(d->path);
    d->path = strdup(path);
    return d->path ? 0 : -1;
}
