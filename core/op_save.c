/*
 * op_save: save and resume, and what a save shares with a migration's
 * sending end (op_migrate.c): the stream, its progress in words, the
 * guest's suspend settling after a cancel, and the file a save or a
 * core dump writes (made new under a temporary name, named once
 * whole).
 *
 * A save's phases (op_stream.h, shared with op_migrate.c's sending
 * end): SAVE_CONFIG (the configuration to store, unless
 * given) -> MAIN (libxl_domain_suspend writes the stream) -> then
 * SAVE_DESTROY, SAVE_RESUME, or SAVE_PAUSE and SAVE_RESUME (-c, -p).
 * A cancel or failure in MAIN resumes the guest (SAVE_RESUME, undo).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxl_utils.h>

#include "dom.h"
#include "journal.h"
#include "loop.h"
#include "op.h"
#include "savefile.h"
#include "testpoint.h"
#include "wait.h"

#include "op_stream.h"

/* How long a stopped stream waits for a guest asked to suspend (ms). */
#define OP_SUSPEND_SETTLE_MS 10000

/*
 * The stream and the file of an op: a save's, a migration's sending end
 * (op_migrate.c), a restore's or an incoming migration's (op_create.c),
 * a core dump's file (op_coredump.c).  This file's alone: the others
 * reach it through the functions below.  A save or a migration has it
 * from op_new() (op_save_make(), the row's init); a create or a core
 * dump once a setter needs it (op_set_fd(), op_set_out_file()).  Freed
 * by op_save_free(), the rows' dispose.
 */
struct op_save_state {
    int fd;                   /* save: the file written; restore: read */
    bool own_fd;              /* closed when the op is done */
    char *out_path;           /* op_set_out_file(): the file's name, */
    char *out_tmp;            /* and its name while it is written */
    bool out_whole;           /* it is whole (synced) */
    void (*settled)(struct op *op);  /* op_save_settle(): then this */
    bool suspend_watched;     /* wait_suspend_watch() on domid */
    uint64_t t_settle;        /* when the settling began (ms) */
    enum op_save_after after;
    bool have_config;         /* save: op->config given, not retrieved */
    bool undo;                /* save: resuming after a cancel/failure */
    bool keep_domid;          /* save -D: the domid goes in the file */
    off_t abort_at;           /* abort once the file has grown past */
    uint64_t t_abort;         /* when the abort was asked for (ms) */
    struct loop_timer *timer; /* the abort's or the settling's poll */
    uint64_t stream_bytes;    /* save, migrate: written so far */
    pid_t stream_pid;         /* and by which helper */
    uint64_t stream_bytes0;   /* what was there when the stream began */
    uint64_t t_stream_ms;     /* when the stream began */
    bool ended;               /* the op ended: final_bytes holds */
    uint64_t final_bytes;     /* what the stream carried, in all */
};

/* The op's stream and file, made with no descriptor if it has none. */
int op_save_make(struct op *op)
{
    if (op->save)
        return 0;
    op->save = calloc(1, sizeof(*op->save));
    if (!op->save)
        return -1;
    op->save->fd = -1;
    return 0;
}

/* The stream's state goes (the op is freed); its descriptor is not ours. */
void op_save_free(struct op *op)
{
    if (!op->save)
        return;
    /* An op freed without running (its command failed first). */
    if (op->save->own_fd && op->save->fd >= 0)
        close(op->save->fd);
    free(op->save->out_path);
    free(op->save->out_tmp);
    free(op->save);
    op->save = NULL;
}

/* The kinds whose stream is a descriptor op_set_fd() gives. */
static bool op_fd_kind(const struct op *op)
{
    return op_has(op, OPK_STREAM) || op->k == &op_kind_create;
}

/* A save's, a migration's or a restore's descriptor (op.h). */
int op_set_fd(struct op *op, int fd)
{
    if (!op_fd_kind(op) || op_save_make(op) < 0)
        return -1;
    op->save->fd = fd;
    return 0;
}

/* The descriptor is closed when the op is done (op_stream_fd_end()). */
int op_own_fd(struct op *op)
{
    if (!op_fd_kind(op) || op_save_make(op) < 0)
        return -1;
    op->save->own_fd = true;
    return 0;
}

/* The descriptor the stream goes through; -1 if none. */
int op_stream_fd(const struct op *op)
{
    return op->save ? op->save->fd : -1;
}

/* Close the stream's descriptor now (a migration's end of it). */
void op_stream_close(struct op *op)
{
    if (!op->save)
        return;
    if (op->save->fd >= 0)
        close(op->save->fd);
    op->save->fd = -1;
}

/* The op ends: a descriptor it owns is closed (a kind's finish, last). */
void op_stream_fd_end(struct op *op)
{
    /* What it carried, while the file can still say. */
    if (op->save && !op->save->ended) {
        op->save->final_bytes = op_stream_bytes(op);
        op->save->ended = true;
    }
    if (op->save && op->save->own_fd && op->save->fd >= 0) {
        close(op->save->fd);
        op->save->fd = -1;
    }
}

/* A restore's stream begins here: what came before is not counted. */
void op_stream_mark(struct op *op)
{
    if (op->save)
        op->save->stream_bytes0 = op_stream_bytes(op);
}

/* When libxl began to write the stream (loop_now_ms()); 0 if not yet. */
uint64_t op_stream_t0(const struct op *op)
{
    return op->save ? op->save->t_stream_ms : 0;
}

int op_call_save(struct op *op, libxl_ctx *ctx, libxl_asyncop_how *how)
{
    switch (op->phase) {
    case OP_PHASE_SAVE_CONFIG:
        return libxl_retrieve_domain_configuration(ctx, op->domid,
                                                   &op->config, how);
    case OP_PHASE_SAVE_PAUSE:
        return libxl_domain_pause(ctx, op->domid, how);
    case OP_PHASE_SAVE_RESUME:
        return libxl_domain_resume(ctx, op->domid, 1, how);
    case OP_PHASE_SAVE_DESTROY:
        return libxl_domain_destroy(ctx, op->domid, how);
    default:
        break;
    }
    op->save->t_stream_ms = loop_now_ms();
    op->save->stream_bytes0 = op_stream_bytes(op);
    return libxl_domain_suspend(ctx, op->domid, op->save->fd,
                                op_has(op, OPK_MIGRATE) ? LIBXL_SUSPEND_LIVE
                                                        : 0, how);
}

int op_set_out_file(struct op *op, const char *path)
{
    struct op_save_state *ss;
    char *cwd = NULL;
    int n;

    if (op->k != &op_kind_save && op->k != &op_kind_core_dump) {
        errno = EINVAL;
        return -1;
    }
    if (op_save_make(op) < 0) {
        errno = ENOMEM;
        return -1;
    }
    ss = op->save;
    free(ss->out_path);
    free(ss->out_tmp);
    ss->out_path = ss->out_tmp = NULL;
    /*
     * Absolute, as the journal records it: a cleanup run from another
     * directory must find this file, not one of the same name there.
     */
    if (path[0] != '/' && !(cwd = getcwd(NULL, 0)))
        return -1;
    n = asprintf(&ss->out_path, "%s%s%s", cwd ? cwd : "", cwd ? "/" : "",
                 path);
    free(cwd);
    if (n < 0 || asprintf(&ss->out_tmp, "%s.axl-tmp", ss->out_path) < 0) {
        free(n < 0 ? NULL : ss->out_path);
        ss->out_path = ss->out_tmp = NULL;
        errno = ENOMEM;
        return -1;
    }
    /*
     * Never over another's: a second save or dump to the same file, or
     * what a killed one left (axl cleanup removes that).  Made once the
     * record names it (op_out_open()), so that a kill never leaves it
     * unnamed.
     */
    if (access(ss->out_tmp, F_OK) == 0) {
        errno = EEXIST;
        return -1;
    }
    return 0;
}

const char *op_out_cannot(const struct op *op, int e, char *buf,
                          size_t len)
{
    const char *tmp = op->save && op->save->out_tmp ? op->save->out_tmp
                                                     : "the file";
    const char *path = op->save && op->save->out_path ? op->save->out_path
                                                      : "it";

    if (e == EEXIST)
        snprintf(buf, len, "cannot create '%s': it exists (another save to "
                 "'%s' runs, or one that was killed left it: see 'axl "
                 "cleanup')", tmp, path);
    else
        snprintf(buf, len, "cannot create '%s': %s", tmp, strerror(e));
    return buf;
}

/*
 * A save's or core dump's file, made after its record: 0, or -1 (said,
 * the op is to fail) if it cannot be, nothing of another's then touched.
 * Made new (never through a symlink, never over a file), readable by
 * root alone (a guest's memory), and written through its descriptor:
 * the core dump's child hands libxl /proc/self/fd/N, which is this file
 * whatever its name comes to name meanwhile.
 */
int op_out_open(struct op *op)
{
    struct op_save_state *ss = op->save;
    char why[PATH_MAX * 2 + 160], fdpath[64];
    int fd;

    if (!ss || !ss->out_tmp || ss->fd >= 0)
        return 0;
    fd = open(ss->out_tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
              O_CLOEXEC, 0600);
    if (fd >= 0) {
        ss->fd = fd;
        ss->own_fd = true;
        if (op->k != &op_kind_core_dump)
            return 0;
        snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", fd);
        if (op_set_path(op, fdpath) == 0)
            return 0;
        unlink(ss->out_tmp);    /* ours, just made: not left behind */
        errno = ENOMEM;
    }
    op_note(op, OP_NOTE_ERROR, "%s", op_out_cannot(op, errno, why,
                                                   sizeof(why)));
    free(ss->out_tmp);
    ss->out_tmp = NULL;         /* not ours: never removed */
    op->jr.file[0] = op->jr.final[0] = '\0';
    return -1;
}

const char *op_out_tmp(const struct op *op)
{
    return op->save ? op->save->out_tmp : NULL;
}

static const char *op_out_noun(const struct op *op)
{
    return op->k == &op_kind_core_dump ? "core file" : "save file";
}

/*
 * The file is whole: sync it and give it its name.  -1 (said) if that
 * fails: not synced, it is removed at the end; not renamed, the whole
 * file is left under its temporary name, since it may be all there is
 * of the guest.  The record follows each step, for a cleanup after a
 * kill between them.
 */
int op_out_whole(struct op *op)
{
    struct op_save_state *ss = op->save;
    struct stat a, b;
    int e;

    if (ss->fd < 0 || fsync(ss->fd) < 0) {
        op_note(op, OP_NOTE_ERROR, "cannot write '%s': %s", ss->out_tmp,
                ss->fd < 0 ? "it is not open" : strerror(errno));
        return -1;
    }
    /* The name must still be the file written, or it is not renamed. */
    if (fstat(ss->fd, &a) < 0 || lstat(ss->out_tmp, &b) < 0 ||
        a.st_dev != b.st_dev || a.st_ino != b.st_ino) {
        op_note(op, OP_NOTE_ERROR, "'%s' is no longer the %s axl wrote "
                "(removed or replaced meanwhile); nothing is named '%s'",
                ss->out_tmp, op_out_noun(op), ss->out_path);
        free(ss->out_tmp);
        ss->out_tmp = NULL;         /* not ours any more: left alone */
        op->jr.file[0] = op->jr.final[0] = '\0';
        if (op->jr.path[0])
            journal_write(op->lp, &op->jr);
        return -1;
    }
    ss->out_whole = true;
    op->jr.saved = true;
    if (op->jr.path[0])
        journal_write(op->lp, &op->jr);
    if (rename(ss->out_tmp, ss->out_path) < 0) {
        e = errno;
        op_note(op, OP_NOTE_ERROR, "cannot rename '%s' to '%s': %s; the "
                "whole %s is left as '%s'", ss->out_tmp, ss->out_path,
                strerror(e), op_out_noun(op), ss->out_tmp);
        return -1;
    }
    free(ss->out_tmp);
    ss->out_tmp = NULL;     /* done with: nothing to remove */
    /* Named: nothing of it is a cleanup's to touch any more. */
    op->jr.file[0] = op->jr.final[0] = '\0';
    if (op->jr.path[0])
        journal_write(op->lp, &op->jr);
    return 0;
}

/* The op ends: a file not whole is removed. */
void op_out_end(struct op *op, enum op_result *result)
{
    struct op_save_state *ss = op->save;

    if (!ss || !ss->out_tmp)
        return;
    if (*result == OP_RESULT_OK && op->k == &op_kind_core_dump) {
        if (op_out_whole(op) < 0)
            *result = OP_RESULT_FAILED;
        return;
    }
    if (ss->out_whole)
        return;             /* whole, said by op_out_whole() */
    if (unlink(ss->out_tmp) == 0 || errno == ENOENT)
        op_note(op, OP_NOTE_INFO, "no %s was left (%s)", op_out_noun(op),
                ss->out_path);
    else
        op_note(op, OP_NOTE_ERROR, "cannot remove the partial %s '%s': %s",
                op_out_noun(op), ss->out_tmp, strerror(errno));
}

const char *op_save_noun(const struct op *op)
{
    return op_has(op, OPK_MIGRATE) ? "migration" : "save";
}

/* ---- save ---- */

int op_set_save_after(struct op *op, enum op_save_after after)
{
    if (op->k != &op_kind_save || op_save_make(op) < 0)
        return -1;
    op->save->after = after;
    return 0;
}

int op_set_save_config(struct op *op)
{
    if (!op_has(op, OPK_STREAM) || op_save_make(op) < 0)
        return -1;
    op->save->have_config = true;
    return 0;
}

int op_set_save_keep_domid(struct op *op)
{
    if (!op_has(op, OPK_STREAM) || op_save_make(op) < 0)
        return -1;
    op->save->keep_domid = true;
    return 0;
}

/* A save's abort, when its copy is under way (see op_abort()). */
static void op_save_abort_poll(struct loop *lp, void *user)
{
    struct op *op = user;

    op->save->timer = NULL;
    if (op->state != OP_ABORTING || op->phase != OP_PHASE_MAIN)
        return;
    if (op_stream_bytes(op) >= (uint64_t)op->save->abort_at ||
        loop_now_ms() - op->save->t_abort > 30000) {
        libxl_ao_abort(loop_ctx(lp), &op->how);
        return;
    }
    op->save->timer = loop_timer_add(lp, 10, op_save_abort_poll, op);
}

/* Undo a save's or migration's suspend: resume the guest, then finish. */
void op_save_undo(struct op *op)
{
    op->save->undo = true;
    op_phase_to(op, OP_PHASE_SAVE_RESUME);
    op_launch(op);
}

/* Done with the guest here (saved, or running on the target): it goes. */
void op_save_destroy(struct op *op)
{
    op_phase_to(op, OP_PHASE_SAVE_DESTROY);
    op_launch(op);
}

/* Is the domain suspended (by a save that got that far)? */
bool op_save_suspended(struct op *op)
{
    return dom_suspended(loop_ctx(op->lp), op->domid);
}

/*
 * Not suspended, but about to be: libxl's request waits in xenstore, or
 * the guest has taken it (emptied the node) and is on its way.
 */
static bool op_save_suspending(struct op *op)
{
    return !op_save_suspended(op) &&
           (wait_suspend_asked(op->lp, op->domid) ||
            (op->save->suspend_watched &&
             wait_suspend_acked(op->lp, op->domid)));
}

static void op_save_settle_poll(struct loop *lp, void *user)
{
    struct op *op = user;

    op->save->timer = NULL;
    if (!op_save_suspending(op) ||
        loop_now_ms() - op->save->t_settle > OP_SUSPEND_SETTLE_MS) {
        op->save->settled(op);
        return;
    }
    op->save->timer = loop_timer_add(lp, 20, op_save_settle_poll, op);
}

/*
 * A save or migration has stopped: then(op) once the guest is either
 * suspended or not about to be.  libxl asks a PV guest to suspend
 * through xenstore, and an abort does not take the request back: a
 * guest that had not acted on it yet suspends a moment later, and would
 * be left so if "not suspended" were read too soon.  Bounded by
 * OP_SUSPEND_SETTLE_MS.
 */
void op_save_settle(struct op *op, void (*then)(struct op *op))
{
    if (!op_save_suspending(op)) {
        then(op);
        return;
    }
    op->save->settled = then;
    op->save->t_settle = loop_now_ms();
    op->save->timer = loop_timer_add(op->lp, 20, op_save_settle_poll, op);
    if (!op->save->timer)
        then(op);
}

/*
 * The configuration is read (or was given): the header with it goes to
 * the file, then the suspend and the saving.
 */
static void op_save_config_done(struct op *op, int rc)
{
    char *json;

    if (rc && !op->cancelled) {
        op_note(op, OP_NOTE_ERROR, "cannot read the configuration of '%s': "
                "%s", op->label, op_failure(op, rc));
        op_finish(op, OP_RESULT_FAILED);
        return;
    }
    if (op->cancelled) {
        op_note(op, OP_NOTE_INFO, "%s of '%s' cancelled%s before the guest "
                "was suspended; it runs on as it was%s", op_save_noun(op),
                op->label, op->cancel_phase,
                op_has(op, OPK_MIGRATE) ? " here" : "");
        op_finish(op, OP_RESULT_CANCELLED);
        return;
    }
    /* A restore makes a new domain: the saved id is not kept (but -D). */
    op->config.c_info.domid = op->save->keep_domid ? op->domid : 0;
    json = libxl_domain_config_to_json(loop_ctx(op->lp), &op->config);
    if (!json || savefile_write_header(op->save->fd, json) < 0) {
        op_note(op, OP_NOTE_ERROR, "cannot write the %s of '%s': %s",
                op_has(op, OPK_MIGRATE) ? "migration stream" : "save file",
                op->label, json ? strerror(errno) : "out of memory");
        free(json);
        op_finish(op, OP_RESULT_FAILED);
        return;
    }
    free(json);
    op_note(op, OP_NOTE_PROGRESS, "%s domain %u ('%s')",
            op_has(op, OPK_MIGRATE) ? "sending" : "saving", op->domid,
            op->label);
    op_phase_to(op, OP_PHASE_MAIN);
    testpoint("save-configured");
    op_launch(op);
}

/*
 * QEMU's state, which libxl has it write to a file of libxl's (Debian's
 * XEN_LIB_DIR) when the guest is suspended and reads into the stream at
 * the end: a save or migration that stopped left it there, of no use
 * now (libxl removes it only when the domain is destroyed).
 */
static void op_save_drop_dm_state(struct op *op)
{
    char path[64];

    snprintf(path, sizeof(path), "/var/lib/xen/qemu-save.%u", op->domid);
    if (unlink(path) < 0 && errno != ENOENT)
        op_note(op, OP_NOTE_INFO, "cannot remove %s: %s", path,
                strerror(errno));
}

/* A save or migration stopped in its copy: the guest runs on, resumed. */
static void op_save_stopped(struct op *op)
{
    char d[160], hw[220], down[80];
    const char *how = op_how(op, op->cancelled ? OP_RESULT_CANCELLED
                                               : OP_RESULT_FAILED,
                             hw, sizeof(hw));

    op_save_drop_dm_state(op);
    op_dom_desc(op, d, sizeof(d));
    if (!op_save_suspended(op) &&
        dom_down(loop_ctx(op->lp), op->domid, down, sizeof(down))) {
        op_note(op, OP_NOTE_ERROR, "%s of '%s' %s; the guest had not been "
                "suspended, and does not run: it %s", op_save_noun(op),
                op->label, how, down);
        op_finish(op, op->cancelled ? OP_RESULT_CANCELLED
                                    : OP_RESULT_FAILED);
        return;
    }
    if (!op_save_suspended(op)) {
        op_note(op, OP_NOTE_INFO, "%s of '%s' %s; the guest had not been "
                "suspended and runs on%s%s", op_save_noun(op), op->label,
                how, op_has(op, OPK_MIGRATE) ? " here" : "",
                op_save_suspending(op) ? " (it was asked to, and may "
                "still: see 'axl list')" : "");
        op_finish(op, op->cancelled ? OP_RESULT_CANCELLED
                                    : OP_RESULT_FAILED);
        return;
    }
    op_note(op, OP_NOTE_INFO, "%s of '%s' %s; resuming %s",
            op_save_noun(op), op->label, how, d);
    op_save_undo(op);
}

void op_save_done(struct op *op, int rc)
{
    char d[160];

    if (op->save->timer) {
        loop_timer_cancel(op->lp, op->save->timer);
        op->save->timer = NULL;
    }
    op_dom_desc(op, d, sizeof(d));
    switch (op->phase) {
    case OP_PHASE_SAVE_CONFIG:
        op_save_config_done(op, rc);
        return;
    case OP_PHASE_MAIN:
        if (rc == 0 && op_has(op, OPK_MIGRATE)) {
            op_mig_ready(op);
            return;
        }
        if (rc == 0 && op->save->out_tmp && op_out_whole(op) < 0) {
            /* Not safely written: the guest goes on, as for a failure. */
            op_note(op, OP_NOTE_INFO, "resuming %s", d);
            op_save_undo(op);
            return;
        }
        if (rc == 0) {
            if (op->cancelled)
                op_note(op, OP_NOTE_INFO, "save of '%s' had finished before "
                        "the cancel took effect; it is kept", op->label);
            op_phase_to(op, op->save->after == OP_SAVE_THEN_DESTROY
                                ? OP_PHASE_SAVE_DESTROY
                            : op->save->after == OP_SAVE_THEN_PAUSE
                                ? OP_PHASE_SAVE_PAUSE : OP_PHASE_SAVE_RESUME);
            op_launch(op);
            return;
        }
        if (!op->cancelled)
            op_note(op, OP_NOTE_ERROR, "cannot %s %s: %s", op_verb(op), d,
                    op_failure(op, rc));
        if (!op->cancelled && op_has(op, OPK_MIGRATE) && op_mig_no_shadow(op))
            op_note(op, OP_NOTE_ERROR, "this Xen has no shadow paging "
                    "(see virt_caps in 'axl info'): a PV guest cannot be "
                    "migrated live; save and restore it instead");
        op_save_settle(op, op_save_stopped);
        return;
    case OP_PHASE_SAVE_PAUSE:
        op_phase_to(op, OP_PHASE_SAVE_RESUME);
        op_launch(op);
        return;
    case OP_PHASE_SAVE_RESUME:
        if (op->save->undo) {
            if (rc)
                op_note(op, OP_NOTE_ERROR, "cannot resume %s: %s; it is left "
                        "suspended", d, op_failure(op, rc));
            else
                op_note(op, OP_NOTE_INFO, "%s was resumed and runs on%s", d,
                        op_has(op, OPK_MIGRATE) ? " here" : "");
            op_finish(op, op->cancelled ? OP_RESULT_CANCELLED
                                        : OP_RESULT_FAILED);
            return;
        }
        if (rc) {
            op_note(op, OP_NOTE_ERROR, "saved %s, but cannot resume it: %s",
                    d, op_failure(op, rc));
            op_finish(op, OP_RESULT_FAILED);
            return;
        }
        op_note(op, OP_NOTE_PROGRESS, "saved %s; it runs on%s", d,
                op->save->after == OP_SAVE_THEN_PAUSE ? ", paused" : "");
        op_finish(op, OP_RESULT_OK);
        return;
    case OP_PHASE_SAVE_DESTROY:
        if (rc) {
            op_note(op, OP_NOTE_ERROR, "saved %s, but cannot destroy it: %s",
                    d, op_failure(op, rc));
            op_finish(op, OP_RESULT_FAILED);
            return;
        }
        if (op_has(op, OPK_MIGRATE))
            op_note(op, OP_NOTE_PROGRESS, "migrated %s: it runs on the "
                    "target; the copy here is destroyed", d);
        else
            op_note(op, OP_NOTE_PROGRESS, "saved %s; it is destroyed", d);
        op_finish(op, OP_RESULT_OK);
        return;
    default:
        op_finish(op, OP_RESULT_FAILED);
    }
}

/* Bytes of the stream written so far: the file's size, or the helper's. */
uint64_t op_stream_total(const struct op *op)
{
    return op->save && op->save->ended ? op->save->final_bytes : 0;
}

uint64_t op_stream_bytes(struct op *op)
{
    struct op_save_state *ss = op->save;
    struct stat st;
    int64_t w;

    if (!ss)
        return 0;   /* no stream */
    if (op->k == &op_kind_save && ss->fd >= 0 && fstat(ss->fd, &st) == 0 &&
        S_ISREG(st.st_mode))
        return (uint64_t)st.st_size;
    if (op->k == &op_kind_create) {
        /* A restore: the helper shares the file's offset; else its reads. */
        off_t at;

        if (ss->fd >= 0 && fstat(ss->fd, &st) == 0 && S_ISREG(st.st_mode) &&
            (at = lseek(ss->fd, 0, SEEK_CUR)) >= 0)
            return (uint64_t)at;
        w = wait_save_helper_read(op->lp, op_phase_domid(op),
                                  &ss->stream_pid);
        if (w > 0 && (uint64_t)w > ss->stream_bytes)
            ss->stream_bytes = (uint64_t)w;
        return ss->stream_bytes;
    }
    w = wait_save_helper_written(op->lp, op->domid, &ss->stream_pid);
    if (w > 0 && (uint64_t)w > ss->stream_bytes)
        ss->stream_bytes = (uint64_t)w;
    return ss->stream_bytes;
}

/*
 * The words of a save's or a migration's phase, with bytes and rate (a
 * migration's own phases are op_migrate.c's to say).
 */
bool op_stream_phase(struct op *op, char *buf, size_t len)
{
    uint64_t b, ms, t0 = op_stream_t0(op);
    double mib;
    bool susp;
    pid_t dm;

    switch (op->phase) {
    case OP_PHASE_SAVE_CONFIG:
        snprintf(buf, len, "reading the configuration of domain %u",
                 op->domid);
        return true;
    case OP_PHASE_SAVE_PAUSE:
        snprintf(buf, len, "pausing domain %u", op->domid);
        return true;
    case OP_PHASE_SAVE_RESUME:
        snprintf(buf, len, "resuming domain %u", op->domid);
        return true;
    case OP_PHASE_SAVE_DESTROY:
        snprintf(buf, len, "destroying domain %u", op->domid);
        return true;
    default:
        break;
    }
    b = op_stream_bytes(op);
    ms = t0 ? loop_now_ms() - t0 : 0;
    mib = (double)b / (1024 * 1024);
    susp = op_save_suspended(op);
    /* Only an HVM guest's suspend asks QEMU (libxl: not a PV one's). */
    if (susp && op->save &&
        op->config.c_info.type == LIBXL_DOMAIN_TYPE_HVM &&
        (dm = wait_save_on_dm(op->lp, op->domid,
                              &op->save->stream_pid)) > 0) {
        if (b >= (1u << 20))
            snprintf(buf, len, "guest suspended, %.0f MiB of memory %s; "
                     "libxl waiting on QEMU (pid %d)", mib,
                     op_has(op, OPK_MIGRATE) ? "sent" : "written", (int)dm);
        else
            snprintf(buf, len, "guest suspended; libxl waiting on QEMU "
                     "(pid %d)", (int)dm);
        return true;
    }
    snprintf(buf, len, "%s%s memory: %.0f MiB",
             susp ? "guest suspended; " : "",
             op_has(op, OPK_MIGRATE) ? "sending" : "writing", mib);
    if (ms >= 500 && b > 0) {
        size_t l = strlen(buf);

        snprintf(buf + l, len - l, " at %.0f MiB/s", mib * 1000 / ms);
    }
    return true;
}


/*
 * Cancel a stream being written or read (a save, a migration, a
 * restore).  libxl 4.17 crashes when a save or a restore is aborted
 * before its stream has begun (a save's guest suspending: a jump to a
 * NULL callback; a restore: SIGSEGV): the abort waits until the stream
 * has 1 MiB, a few ms later (at most 30 s).
 */
void op_stream_abort(struct op *op)
{
    char d[160];

    if (op->k == &op_kind_create && op->domid == (uint32_t)INVALID_DOMID)
        op->domid = op_phase_domid(op);
    op->state = OP_ABORTING;
    op_note(op, OP_NOTE_INFO, "cancelling %s of %s",
            op->k == &op_kind_create ? op_verb(op) : op_save_noun(op),
            op_desc(op, NULL, d, sizeof(d)));
    op->save->abort_at = (off_t)op->save->stream_bytes0 + (1 << 20);
    op->save->t_abort = loop_now_ms();
    op_save_abort_poll(op->lp, op);
}

/* Whether the guest takes libxl's suspend request: op_save_settle(). */
void op_save_watch(struct op *op)
{
    if (wait_suspend_watch(op->lp, op->domid) == 0)
        op->save->suspend_watched = true;
}

/* The configuration to store is read, or the one given taken, then on. */
int op_save_begin(struct op *op)
{
    if (op->save->have_config) {
        op_save_config_done(op, 0);
        return op->state == OP_DONE && op->result != OP_RESULT_OK ? -1 : 0;
    }
    op_phase_to(op, OP_PHASE_SAVE_CONFIG);
    return op_launch(op);
}

static int op_save_start(struct op *op)
{
    op_save_watch(op);
    if (op_out_open(op) < 0) {
        op_finish(op, OP_RESULT_FAILED);
        return -1;
    }
    return op_save_begin(op);
}

static bool op_save_abort(struct op *op, int why)
{
    (void)why;
    if (op->state != OP_RUNNING || op->phase != OP_PHASE_MAIN)
        return false;
    op_stream_abort(op);
    return true;
}

void op_stream_end(struct op *op)
{
    struct op_save_state *ss = op->save;

    if (!ss)
        return;
    if (ss->timer) {
        loop_timer_cancel(op->lp, ss->timer);
        ss->timer = NULL;
    }
    if (ss->suspend_watched) {
        wait_suspend_unwatch(op->lp, op->domid);
        ss->suspend_watched = false;
    }
}

static bool op_save_finish(struct op *op, enum op_result *result)
{
    op_stream_end(op);
    op_out_end(op, result);
    op_stream_fd_end(op);
    return false;
}

/*
 * The record of a stream: the guest is resumed after a kill; what the
 * save does once the file is whole; the file while it is written.
 */
bool op_save_journal(struct op *op, struct journal_rec *jr)
{
    jr->stream = true;
    jr->resume = true;
    jr->kind = op->k == &op_kind_save ? JOURNAL_SAVE : JOURNAL_MIGRATE;
    jr->after = op->k == &op_kind_save &&
                op->save->after == OP_SAVE_THEN_RESUME ? JOURNAL_AFTER_RESUME
              : op->k == &op_kind_save &&
                op->save->after == OP_SAVE_THEN_PAUSE ? JOURNAL_AFTER_PAUSE
              : JOURNAL_AFTER_DESTROY;
    op_out_journal(op, jr);
    return true;
}

/* A file being written is named in the record (never cut short). */
void op_out_journal(struct op *op, struct journal_rec *jr)
{
    struct op_save_state *ss = op->save;

    if (ss && ss->out_tmp && strlen(ss->out_tmp) < sizeof(jr->file)) {
        snprintf(jr->file, sizeof(jr->file), "%s", ss->out_tmp);
        snprintf(jr->final, sizeof(jr->final), "%s", ss->out_path);
    }
}

/* The names of a save's and a resume's phases (op_stream.h). */
static const char *const op_save_phase_keys[OP_PHASE_STREAM_OWN] = {
    OP_STREAM_PHASE_KEYS,
};

const struct op_kind_row op_kind_save = {
    .verb = "save", .flags = OPK_STREAM, .call = op_call_save,
    .phase_keys = op_save_phase_keys, .n_phase_keys = OP_PHASE_STREAM_OWN,
    .start = op_save_start, .done = op_save_done, .abort = op_save_abort,
    .finish = op_save_finish, .phase_words = op_stream_phase,
    .journal = op_save_journal, .init = op_save_make,
    .dispose = op_save_free,
    .left = "domain %u may be left suspended; 'axl destroy %u' or a "
            "restore of an earlier save",
};

/* ---- resume (a cleanup's): paused first if it must stay paused ---- */

static int op_resume_call(struct op *op, libxl_ctx *ctx,
                          libxl_asyncop_how *how)
{
    if (op->phase == OP_PHASE_SAVE_PAUSE)
        return libxl_domain_pause(ctx, op->domid, how);
    return libxl_domain_resume(ctx, op->domid, 1, how);
}

static int op_resume_start(struct op *op)
{
    /* A resume that must leave it paused pauses first, as a save. */
    if (op->start_paused)
        op_phase_to(op, OP_PHASE_SAVE_PAUSE);
    return op_launch(op);
}

static void op_resume_done(struct op *op, int rc)
{
    if (op->phase == OP_PHASE_SAVE_PAUSE && rc == 0) {
        op_phase_to(op, OP_PHASE_MAIN);  /* paused: now the resume itself */
        op_launch(op);
        return;
    }
    op_simple_done(op, rc);
}

const struct op_kind_row op_kind_resume = {
    .verb = "resume", .call = op_resume_call, .start = op_resume_start,
    .phase_keys = op_save_phase_keys, .n_phase_keys = OP_PHASE_STREAM_OWN,
    .done = op_resume_done,
    .left = "domain %u may be left suspended; check 'axl list %u'",
};
