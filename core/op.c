/*
 * op: the operation state machine around libxl's ao.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libxl_utils.h>

#include "balloon.h"
#include "dom.h"
#include "journal.h"
#include "op.h"
#include "op_device.h"
#include "savefile.h"
#include "testpoint.h"
#include "wait.h"

#include "op_int.h"


static int op_dev_destroy(struct op *op, libxl_asyncop_how *how);
static const char *op_dev_name(struct op *op, char *buf, size_t len);
static void op_journal(struct op *op);
static void op_journal_dev(struct op *op);

/* ---- the kinds: one row each ---- */

#define OPK_BUILD  0x1u   /* builds a domain: a cancel may leave it */
#define OPK_DEV    0x2u   /* acts on one device of the domain */
#define OPK_ADD    0x4u   /* attaches it: a cancel may leave it */
#define OPK_CD     0x8u   /* changes the medium of a drive (a disk) */
#define OPK_READ   0x10u  /* reads only: a domain that is gone is no error */
#define OPK_REQ    0x20u  /* asks the guest (shutdown, reboot): may wait */
/*
 * The libxl call blocks inside its ao (the core dump): it runs in a
 * child of axl's with a libxl context of its own, which a cancel kills.
 */
#define OPK_CHILD  0x40u

typedef int op_call_fn(struct op *op, libxl_ctx *ctx,
                       libxl_asyncop_how *how);

struct op_kind_info {
    const char *verb;       /* NULL: the device kind's */
    unsigned flags;
    op_call_fn *call;       /* the libxl call the op is named after */
    /* What axl leaves if it exits before the ao ends (%u: the domid). */
    const char *left;
};


static int op_call_create(struct op *op, libxl_ctx *ctx,
                          libxl_asyncop_how *how)
{
    if (op->fd >= 0) {
        op->stream_bytes0 = op_stream_bytes(op);
        return libxl_domain_create_restore(ctx, &op->config, &op->domid_out,
                                           op->fd, -1, &op->restore_params,
                                           how, op->console_fn
                                           ? &op->console_how : NULL);
    }
    return libxl_domain_create_new(ctx, &op->config, &op->domid_out, how,
                                   op->console_fn ? &op->console_how : NULL);
}

/* The calls that take nothing but the domain. */
#define OP_CALL_DOMID(NAME, FN)                                           \
    static int op_call_##NAME(struct op *op, libxl_ctx *ctx,              \
                              libxl_asyncop_how *how)                     \
    {                                                                     \
        return FN(ctx, op->domid, how);                                   \
    }

OP_CALL_DOMID(destroy, libxl_domain_destroy)
OP_CALL_DOMID(pause, libxl_domain_pause)
OP_CALL_DOMID(unpause, libxl_domain_unpause)
OP_CALL_DOMID(shutdown, libxl_domain_shutdown)
OP_CALL_DOMID(reboot, libxl_domain_reboot)

/* Attach the op's device. */
static int op_call_dev_add(struct op *op, libxl_ctx *ctx,
                           libxl_asyncop_how *how)
{
    return op->dk->add(ctx, op->domid, op->dev, how);
}

/* Detach it with the guest's help, or by force (-f). */
static int op_call_dev_remove(struct op *op, libxl_ctx *ctx,
                              libxl_asyncop_how *how)
{
    if (op->force)
        return op_dev_destroy(op, how);
    return op->dk->remove(ctx, op->domid, op->dev, how);
}

/* Put the op's disk, a medium or none, into the drive it names. */
static int op_call_cd(struct op *op, libxl_ctx *ctx, libxl_asyncop_how *how)
{
    return libxl_cdrom_insert(ctx, op->domid, op->dev, how);
}

static int op_call_retrieve(struct op *op, libxl_ctx *ctx,
                            libxl_asyncop_how *how)
{
    return libxl_retrieve_domain_configuration(ctx, op->domid, &op->config,
                                               how);
}

static int op_call_vcpu_set(struct op *op, libxl_ctx *ctx,
                            libxl_asyncop_how *how)
{
    return libxl_set_vcpuonline(ctx, op->domid, &op->vcpus, how);
}

static int op_call_trigger(struct op *op, libxl_ctx *ctx,
                           libxl_asyncop_how *how)
{
    return libxl_send_trigger(ctx, op->domid, op->trigger, op->trigger_vcpu,
                              how);
}

static int op_call_qemu_monitor(struct op *op, libxl_ctx *ctx,
                                libxl_asyncop_how *how)
{
    return libxl_qemu_monitor_command(ctx, op->domid, op->monitor_cmd,
                                      &op->monitor_out, how);
}

static void op_child_done(struct loop *lp, pid_t pid, int status,
                          void *user);

int op_child_work(struct op *op)
{
    libxl_ctx *c = NULL;
    int rc = ERROR_FAIL;

    libxl_postfork_child_noexec(loop_ctx(op->lp));
    if (libxl_ctx_alloc(&c, LIBXL_VERSION, 0, loop_logger(op->lp)) == 0)
        rc = libxl_domain_core_dump(c, op->domid, op->path, NULL);
    return rc;
}

/*
 * libxl writes a core inside the call that starts its ao, where no
 * abort reaches: the call runs in a child with its own libxl context,
 * and a cancel kills the child.
 */
static int op_call_core_dump(struct op *op, libxl_ctx *ctx,
                             libxl_asyncop_how *how)
{
    pid_t pid;

    (void)ctx;
    (void)how;
    pid = op->hooks->child ? op->hooks->child(op, op->user) : -1;
    if (pid < 0)
        return ERROR_FAIL;
    op->child = pid;
    if (loop_watch_child(op->lp, pid, op_child_done, op) < 0) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        op->child = 0;
        return ERROR_FAIL;
    }
    return 0;
}

static int op_call_save(struct op *op, libxl_ctx *ctx,
                        libxl_asyncop_how *how)
{
    op->t_stream_ms = loop_now_ms();
    op->stream_bytes0 = op_stream_bytes(op);
    return libxl_domain_suspend(ctx, op->domid, op->fd,
                                op->kind == OP_MIGRATE ? LIBXL_SUSPEND_LIVE
                                                       : 0, how);
}

static int op_call_resume(struct op *op, libxl_ctx *ctx,
                          libxl_asyncop_how *how)
{
    return libxl_domain_resume(ctx, op->domid, 1, how);
}

static int op_call_soft_reset(struct op *op, libxl_ctx *ctx,
                              libxl_asyncop_how *how)
{
    return libxl_domain_soft_reset(ctx, &op->config, op->domid, how, NULL);
}

static const struct op_kind_info op_kinds[] = {
    [OP_CREATE] = { "create", OPK_BUILD, op_call_create,
                    "domain %u may be left half-built; remove it with "
                    "'axl destroy %u'" },
    [OP_DESTROY] = { "destroy", 0, op_call_destroy,
                     "domain %u may be partly destroyed; run 'axl destroy "
                     "%u' again" },
    [OP_PAUSE] = { "pause", 0, op_call_pause,
                   "a pause leaves nothing to clean up (see 'axl list %u')" },
    [OP_UNPAUSE] = { "unpause", 0, op_call_unpause,
                     "an unpause leaves nothing to clean up (see 'axl list "
                     "%u')" },
    [OP_SHUTDOWN] = { "shutdown", OPK_REQ, op_call_shutdown,
                      "the shutdown request may have reached domain %u; "
                      "nothing to clean up" },
    [OP_REBOOT] = { "reboot", OPK_REQ, op_call_reboot,
                    "the reboot request may have reached domain %u; "
                    "nothing to clean up" },
    [OP_DEV_ADD] = { NULL, OPK_DEV | OPK_ADD, op_call_dev_add, NULL },
    [OP_DEV_REMOVE] = { NULL, OPK_DEV, op_call_dev_remove, NULL },
    [OP_CD_INSERT] = { "cd-insert", OPK_DEV | OPK_CD, op_call_cd, NULL },
    [OP_CD_EJECT] = { "cd-eject", OPK_DEV | OPK_CD, op_call_cd, NULL },
    [OP_RETRIEVE] = { "retrieve", OPK_READ, op_call_retrieve,
                      "reading a configuration leaves nothing to clean up" },
    [OP_VCPU_SET] = { "vcpu-set", 0, op_call_vcpu_set,
                      "some vCPUs of domain %u may have changed; check "
                      "with 'axl vcpu-list %u'" },
    [OP_TRIGGER] = { "trigger", 0, op_call_trigger,
                     "the trigger may have reached domain %u; nothing to "
                     "clean up" },
    [OP_QEMU_MONITOR] = { "qemu-monitor-command", 0, op_call_qemu_monitor,
                          "the command may have reached the device model of "
                          "domain %u; nothing to clean up" },
    [OP_CORE_DUMP] = { "dump-core", OPK_CHILD, op_call_core_dump,
                       "a partly written core file of domain %u may be "
                       "left (its name ends in .axl-tmp)" },
    [OP_SAVE] = { "save", 0, op_call_save,
                  "domain %u may be left suspended; 'axl destroy %u' or a "
                  "restore of an earlier save" },
    [OP_MIGRATE] = { "migrate", 0, op_call_save,
                     "domain %u may be left suspended here, and the target "
                     "may have a copy: check both hosts before you resume "
                     "one ('axl list %u')" },
    [OP_RESUME] = { "resume", 0, op_call_resume,
                    "domain %u may be left suspended; check 'axl list %u'" },
    [OP_SOFT_RESET] = { "soft-reset", 0, op_call_soft_reset,
                        "domain %u may be left half-reset; check 'axl list "
                        "%u'" },
};

static bool op_has(const struct op *op, unsigned flag)
{
    return (op_kinds[op->kind].flags & flag) != 0;
}

static bool op_is_dev_add(const struct op *op)
{
    return op_has(op, OPK_ADD);
}

static bool op_is_dev(const struct op *op)
{
    return op_has(op, OPK_DEV);
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
static const char *op_rc_text(int rc)
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
    struct op *op = calloc(1, sizeof(*op));

    if (!op)
        return NULL;
    op->lp = lp;
    op->kind = kind;
    op->state = OP_IDLE;
    op->domid = INVALID_DOMID;
    op->domid_out = INVALID_DOMID;
    op->seen_domid = INVALID_DOMID;
    op->hooks = hooks;
    op->user = user;
    if (label) {
        op->label = strdup(label);
        if (!op->label) {
            free(op);
            return NULL;
        }
    }
    libxl_domain_config_init(&op->config);
    libxl_bitmap_init(&op->vcpus);
    op->fd = -1;
    op->mig_recv_fd = -1;
    op->mig_reply_fd = -1;
    libxl_domain_restore_params_init(&op->restore_params);
    op->restore_params.stream_version = 2;
    if (op_is_dev(op) && op_set_dev(op, OP_DEV_DISK) < 0) {
        free(op->label);
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
    libxl_bitmap_dispose(&op->vcpus);
    libxl_domain_restore_params_dispose(&op->restore_params);
    free(op->monitor_cmd);
    free(op->monitor_out);
    free(op->path);
    free(op->out_path);
    free(op->out_tmp);
    free(op->mig_name);
    if (op->dev) {
        op->dk->dispose(op->dev);
        free(op->dev);
    }
    free(op->label);
    free(op);
}

libxl_domain_config *op_config(struct op *op)
{
    return &op->config;
}

void op_set_domid(struct op *op, uint32_t domid)
{
    op->domid = domid;
}

int op_set_dev(struct op *op, enum op_dev_kind kind)
{
    const struct op_dev_kind_info *dk = op_dev_kind_info(kind);
    void *dev;

    /* A drive is a disk, whatever the caller says. */
    if (!dk || !op_is_dev(op) || (op_has(op, OPK_CD) && kind != OP_DEV_DISK))
        return -1;
    dev = calloc(1, dk->size);
    if (!dev)
        return -1;
    dk->init(dev);
    if (op->dev) {
        op->dk->dispose(op->dev);
        free(op->dev);
    }
    op->dev_kind = kind;
    op->dk = dk;
    op->dev = dev;
    return 0;
}

void *op_dev(struct op *op)
{
    return op->dev;
}

void op_set_force(struct op *op, bool force)
{
    op->force = force;
}

int op_set_vcpus(struct op *op, unsigned n)
{
    unsigned i;

    libxl_bitmap_dispose(&op->vcpus);
    libxl_bitmap_init(&op->vcpus);
    if (libxl_cpu_bitmap_alloc(loop_ctx(op->lp), &op->vcpus, (int)n))
        return -1;
    for (i = 0; i < n; i++)
        libxl_bitmap_set(&op->vcpus, i);
    return 0;
}

void op_set_trigger(struct op *op, libxl_trigger trigger, uint32_t vcpu)
{
    op->trigger = trigger;
    op->trigger_vcpu = vcpu;
}

int op_set_monitor_command(struct op *op, const char *command)
{
    free(op->monitor_cmd);
    op->monitor_cmd = strdup(command);
    return op->monitor_cmd ? 0 : -1;
}

int op_set_path(struct op *op, const char *path)
{
    free(op->path);
    op->path = strdup(path);
    return op->path ? 0 : -1;
}

int op_set_out_file(struct op *op, const char *path)
{
    char *cwd = NULL;
    int n;

    free(op->out_path);
    free(op->out_tmp);
    op->out_path = op->out_tmp = NULL;
    /*
     * Absolute, as the journal records it: a cleanup run from another
     * directory must find this file, not one of the same name there.
     */
    if (path[0] != '/' && !(cwd = getcwd(NULL, 0)))
        return -1;
    n = asprintf(&op->out_path, "%s%s%s", cwd ? cwd : "", cwd ? "/" : "",
                 path);
    free(cwd);
    if (n < 0 || asprintf(&op->out_tmp, "%s.axl-tmp", op->out_path) < 0) {
        free(n < 0 ? NULL : op->out_path);
        op->out_path = op->out_tmp = NULL;
        errno = ENOMEM;
        return -1;
    }
    /*
     * Never over another's: a second save or dump to the same file, or
     * what a killed one left (axl cleanup removes that).  Made once the
     * record names it (op_out_open()), so that a kill never leaves it
     * unnamed.
     */
    if (access(op->out_tmp, F_OK) == 0) {
        errno = EEXIST;
        return -1;
    }
    return 0;
}

const char *op_out_cannot(const struct op *op, int e, char *buf,
                          size_t len)
{
    if (e == EEXIST)
        snprintf(buf, len, "cannot create '%s': it exists (another save to "
                 "'%s' runs, or one that was killed left it: see 'axl "
                 "cleanup')", op->out_tmp, op->out_path);
    else
        snprintf(buf, len, "cannot create '%s': %s", op->out_tmp,
                 strerror(e));
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
static int op_out_open(struct op *op)
{
    char why[PATH_MAX * 2 + 160], fdpath[64];
    int fd;

    if ((op->kind != OP_SAVE && op->kind != OP_CORE_DUMP) || !op->out_tmp ||
        op->fd >= 0)
        return 0;
    fd = open(op->out_tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
              O_CLOEXEC, 0600);
    if (fd >= 0) {
        op->fd = fd;
        op->own_fd = true;
        if (op->kind != OP_CORE_DUMP)
            return 0;
        snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", fd);
        if (op_set_path(op, fdpath) == 0)
            return 0;
        unlink(op->out_tmp);    /* ours, just made: not left behind */
        errno = ENOMEM;
    }
    op_note(op, OP_NOTE_ERROR, "%s", op_out_cannot(op, errno, why,
                                                   sizeof(why)));
    free(op->out_tmp);
    op->out_tmp = NULL;         /* not ours: never removed */
    op->jr.file[0] = op->jr.final[0] = '\0';
    return -1;
}

const char *op_out_tmp(const struct op *op)
{
    return op->out_tmp;
}

static const char *op_out_noun(const struct op *op)
{
    return op->kind == OP_CORE_DUMP ? "core file" : "save file";
}

/*
 * The file is whole: sync it and give it its name.  -1 (said) if that
 * fails: not synced, it is removed at the end; not renamed, the whole
 * file is left under its temporary name, since it may be all there is
 * of the guest.  The record follows each step, for a cleanup after a
 * kill between them.
 */
static int op_out_whole(struct op *op)
{
    struct stat a, b;
    int e;

    if (op->fd < 0 || fsync(op->fd) < 0) {
        op_note(op, OP_NOTE_ERROR, "cannot write '%s': %s", op->out_tmp,
                op->fd < 0 ? "it is not open" : strerror(errno));
        return -1;
    }
    /* The name must still be the file written, or it is not renamed. */
    if (fstat(op->fd, &a) < 0 || lstat(op->out_tmp, &b) < 0 ||
        a.st_dev != b.st_dev || a.st_ino != b.st_ino) {
        op_note(op, OP_NOTE_ERROR, "'%s' is no longer the %s axl wrote "
                "(removed or replaced meanwhile); nothing is named '%s'",
                op->out_tmp, op_out_noun(op), op->out_path);
        free(op->out_tmp);
        op->out_tmp = NULL;         /* not ours any more: left alone */
        op->jr.file[0] = op->jr.final[0] = '\0';
        if (op->jr.path[0])
            journal_write(&op->jr);
        return -1;
    }
    op->out_whole = true;
    op->jr.saved = true;
    if (op->jr.path[0])
        journal_write(&op->jr);
    if (rename(op->out_tmp, op->out_path) < 0) {
        e = errno;
        op_note(op, OP_NOTE_ERROR, "cannot rename '%s' to '%s': %s; the "
                "whole %s is left as '%s'", op->out_tmp, op->out_path,
                strerror(e), op_out_noun(op), op->out_tmp);
        return -1;
    }
    free(op->out_tmp);
    op->out_tmp = NULL;     /* done with: nothing to remove */
    /* Named: nothing of it is a cleanup's to touch any more. */
    op->jr.file[0] = op->jr.final[0] = '\0';
    if (op->jr.path[0])
        journal_write(&op->jr);
    return 0;
}

/* The op ends: a file not whole is removed. */
static void op_out_end(struct op *op, enum op_result *result)
{
    if (!op->out_tmp)
        return;
    if (*result == OP_RESULT_OK && op->kind == OP_CORE_DUMP) {
        if (op_out_whole(op) < 0)
            *result = OP_RESULT_FAILED;
        return;
    }
    if (op->out_whole)
        return;             /* whole, said by op_out_whole() */
    if (unlink(op->out_tmp) == 0 || errno == ENOENT)
        op_note(op, OP_NOTE_INFO, "no %s was left (%s)", op_out_noun(op),
                op->out_path);
    else
        op_note(op, OP_NOTE_ERROR, "cannot remove the partial %s '%s': %s",
                op_out_noun(op), op->out_tmp, strerror(errno));
}

const char *op_monitor_output(const struct op *op)
{
    return op->monitor_out;
}

void op_set_on_cancel(struct op *op, enum op_on_cancel policy)
{
    op->on_cancel = policy;
}

void op_set_start_paused(struct op *op, bool paused)
{
    op->start_paused = paused;
}

void op_set_fallback(struct op *op, bool fallback)
{
    op->fallback = fallback;
}

void op_set_then_destroy(struct op *op, bool then_destroy)
{
    op->then_destroy = then_destroy;
}

void op_set_wait(struct op *op, int wait)
{
    op->wait = wait;
}

static void op_console_stop_wait(struct op *op);
static void op_balloon_release(struct op *op);


void op_finish(struct op *op, enum op_result result)
{
    if (op_mig_finish(op, result))
        return;     /* the migration's last step calls again */
    if (op->mig_timer) {
        loop_timer_cancel(op->lp, op->mig_timer);
        op->mig_timer = NULL;
    }
    if (op->save_timer) {
        loop_timer_cancel(op->lp, op->save_timer);
        op->save_timer = NULL;
    }
    op_console_stop_wait(op);
    op_balloon_release(op);
    if (op->suspend_watched) {
        wait_suspend_unwatch(op->domid);
        op->suspend_watched = false;
    }
    op_out_end(op, &result);
    if (op->own_fd && op->fd >= 0) {
        close(op->fd);
        op->fd = -1;
    }
    if (op->tick) {
        loop_timer_cancel(op->lp, op->tick);
        op->tick = NULL;
    }
    op->phase_text[0] = '\0';
    journal_remove(&op->jr);
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

static void op_main_done(libxl_ctx *ctx, int rc, void *for_callback);
static bool op_mig_no_shadow(struct op *op);
static const char *op_save_noun(const struct op *op);
static void op_save_abort_poll(struct loop *lp, void *user);
static void op_console_wait(struct op *op);
static bool op_req_done(struct op *op, int rc);
static void op_clean_done(libxl_ctx *ctx, int rc, void *for_callback);
static const char *op_desc(struct op *op, const char *prep, char *buf,
                           size_t len);
static void op_stream_phase(struct op *op, char *buf, size_t len);

/* Issue the libxl call for the op's current phase. */
static int op_call(struct op *op)
{
    libxl_ctx *ctx = loop_ctx(op->lp);

    op->how.callback = op_main_done;
    op->how.u.for_callback = op;
    if (op->phase == OP_PHASE_UNPAUSE)
        return op_call_unpause(op, ctx, &op->how);
    if (op->phase == OP_PHASE_TRIGGER)
        return libxl_send_trigger(ctx, op->domid, op->kind == OP_REBOOT
                                  ? LIBXL_TRIGGER_RESET : LIBXL_TRIGGER_POWER,
                                  0, &op->how);
    if (op->phase == OP_PHASE_SAVE_CONFIG)
        return libxl_retrieve_domain_configuration(ctx, op->domid,
                                                   &op->config, &op->how);
    if (op->phase == OP_PHASE_SAVE_PAUSE)
        return libxl_domain_pause(ctx, op->domid, &op->how);
    if (op->phase == OP_PHASE_SAVE_RESUME)
        return libxl_domain_resume(ctx, op->domid, 1, &op->how);
    if (op->phase == OP_PHASE_SAVE_DESTROY)
        return libxl_domain_destroy(ctx, op->domid, &op->how);
    return op_kinds[op->kind].call(op, ctx, &op->how);
}

/* Start the current phase; on a synchronous failure, finish the op. */
int op_launch(struct op *op)
{
    enum op_phase phase = op->phase;
    int rc;

    rc = op_call(op);
    if (rc && op->state != OP_DONE && op->phase == phase) {
        /* libxl refused to start the ao: its callback will not run. */
        op_main_done(loop_ctx(op->lp), rc, op);
        return -1;
    }
    return 0;
}

/* The domain a create is making, once libxl has made it. */
static uint32_t op_phase_domid(struct op *op)
{
    uint32_t id;

    if (op->domid != (uint32_t)INVALID_DOMID || op->kind != OP_CREATE)
        return op->domid;
    if (op->seen_domid != (uint32_t)INVALID_DOMID)
        return op->seen_domid;
    if (op->label && libxl_name_to_domid(loop_ctx(op->lp), op->label, &id) == 0)
        op->seen_domid = id;    /* looked up once: a scan of every domain */
    return op->seen_domid;
}

/* Work out the phase from what wait.c sees; see op_phase(). */
static void op_phase_now(struct op *op, char *buf, size_t len)
{
    struct wait_child kids[8];
    uint32_t domid = op_phase_domid(op);
    bool alone = loop_busy_count(op->lp) == 1;
    int i, n;

    if (op->phase == OP_PHASE_CONSOLE) {
        snprintf(buf, len, "waiting for the console client");
        return;
    }
    if (op->kind == OP_SAVE || op->kind == OP_MIGRATE ||
        (op->mig_in && op->phase != OP_PHASE_MAIN)) {
        op_stream_phase(op, buf, len);
        return;
    }
    if (op->kind == OP_CORE_DUMP && op->path) {
        struct stat st;

        snprintf(buf, len, "writing the core of domain %u (%lld MiB so "
                 "far)", op->domid, stat(op->path, &st) == 0
                 ? (long long)st.st_size / (1024 * 1024) : 0LL);
        return;
    }
    if (op->phase == OP_PHASE_LOCK) {
        if (op->lock_holder > 0)
            snprintf(buf, len, "waiting for xl's lock %.100s (held by pid %d)",
                     op->lockfile, (int)op->lock_holder);
        else
            snprintf(buf, len, "waiting for xl's lock %.100s", op->lockfile);
        return;
    }
    if (op->phase == OP_PHASE_BALLOON) {
        snprintf(buf, len, "waiting for Domain-0 to give back %llu MiB",
                 (unsigned long long)(op->asked_kb / 1024));
        return;
    }
    if (op->phase == OP_PHASE_WAIT) {
        snprintf(buf, len, "waiting for domain %u to %s", op->domid,
                 op->wait == 2 ? "be gone" : "shut down");
        return;
    }
    n = wait_children(kids, 8);
    for (i = 0; i < n; i++) {
        struct wait_child *c = &kids[i];
        char dev[48];

        if (c->domid != (uint32_t)INVALID_DOMID) {
            if (c->domid != domid)
                continue;
            snprintf(buf, len, "hotplug script %s%s%s for %s (pid %d)",
                     c->prog, c->arg[0] ? " " : "", c->arg,
                     wait_dev_name(c->type, c->domid, c->devid, dev,
                                   sizeof(dev)), (int)c->pid);
            return;
        }
        if (!alone)
            continue;
        /* The child of a create with a bootloader is that bootloader. */
        if (op->kind == OP_CREATE && op->config.b_info.bootloader)
            snprintf(buf, len, "bootloader %s",
                     op->config.b_info.bootloader);
        else
            snprintf(buf, len, "%s%s%s (pid %d)", c->prog,
                     c->arg[0] ? " " : "", c->arg, (int)c->pid);
        return;
    }
    if (domid != (uint32_t)INVALID_DOMID && op_has(op, OPK_BUILD | OPK_ADD) &&
        wait_backend(domid, buf, len))
        return;
    snprintf(buf, len, "waiting on libxl");
}

static void op_tick(struct loop *lp, void *user)
{
    struct op *op = user;
    char now[sizeof(op->phase_text)];
    bool changed;

    op->tick = NULL;
    if (op->state == OP_DONE)
        return;
    op_phase_now(op, now, sizeof(now));
    changed = strcmp(now, op->phase_text) != 0;
    if (changed) {
        snprintf(op->phase_text, sizeof(op->phase_text), "%s", now);
        /* A stream's growing count is still the same phase. */
        if (op->phase != op->tick_phase ||
            !(op->phase == OP_PHASE_MAIN &&
              (op->kind == OP_SAVE || op->kind == OP_MIGRATE)))
            op->t_phase = loop_now_ms();
        op->tick_phase = op->phase;
        if (op->jr.path[0]) {
            snprintf(op->jr.phase, sizeof(op->jr.phase), "%s", now);
            journal_write(&op->jr);
        }
    }
    op->tick = loop_timer_add(lp, OP_TICK_MS, op_tick, op);
    if (op->hooks->tick)
        op->hooks->tick(op, changed, op->user);
}

const char *op_phase(const struct op *op)
{
    return op->phase_text;
}

double op_phase_secs(const struct op *op)
{
    return op->t_phase ? (double)(loop_now_ms() - op->t_phase) / 1000 : 0;
}

/* ---- autoballoon: xl's lock, then Domain-0 gives memory back ---- */

void op_set_balloon(struct op *op, const char *lockfile)
{
    op->balloon = true;
    snprintf(op->lockfile, sizeof(op->lockfile), "%s", lockfile);
}

/* The creates of this process that count on memory while they build. */
static struct op *op_balloon_list;

static void op_balloon_release(struct op *op)
{
    struct op **pp;

    if (op->balloon_timer) {
        loop_timer_cancel(op->lp, op->balloon_timer);
        op->balloon_timer = NULL;
    }
    for (pp = &op_balloon_list; *pp; pp = &(*pp)->balloon_next)
        if (*pp == op) {
            *pp = op->balloon_next;
            break;
        }
    op->reserved_kb = 0;
    if (op->locked) {
        balloon_unlock();
        op->locked = false;
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
static void op_report_left(struct op *op, enum op_result result);

/*
 * What the other creates of this process still count on: each one's
 * need less what its domain has been given so far (free memory already
 * shows that part).
 */
static uint64_t op_balloon_others(struct op *op)
{
    libxl_ctx *ctx = loop_ctx(op->lp);
    uint64_t sum = 0;
    struct op *o;

    for (o = op_balloon_list; o; o = o->balloon_next) {
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
        sum += o->reserved_kb > have ? o->reserved_kb - have : 0;
    }
    return sum;
}

static void op_balloon_timer(struct loop *lp, void *user)
{
    struct op *op = user;

    (void)lp;
    op->balloon_timer = NULL;
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
    libxl_ctx *ctx = loop_ctx(op->lp);
    uint64_t now = loop_now_ms(), free_kb = 0, others, avail, missing;
    int r;

    if (op->phase == OP_PHASE_LOCK) {
        r = balloon_lock(op->lockfile, &op->lock_holder);
        if (r < 0) {
            op_balloon_fail(op, "cannot take xl's lock '%s': %s",
                            op->lockfile, strerror(errno));
            return;
        }
        if (r > 0) {
            op->balloon_timer = loop_timer_add(op->lp, 50, op_balloon_timer,
                                               op);
            return;
        }
        op->locked = true;
        op->phase = OP_PHASE_BALLOON;
        op->t_balloon_ms = op->t_progress_ms = now;
        r = libxl_domain_need_memory(ctx, &op->config, INVALID_DOMID,
                                     &op->need_kb);
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
    others = op_balloon_others(op);
    avail = free_kb > others ? free_kb - others : 0;
    if (avail >= op->need_kb) {
        if (op->asked_kb)
            op_note(op, OP_NOTE_INFO, "Domain-0 gave back memory: its "
                    "target is now %lu MiB", op_dom0_target_mib(op));
        op->reserved_kb = op->need_kb;
        op->balloon_next = op_balloon_list;
        op_balloon_list = op;
        op->phase = OP_PHASE_MAIN;
        op_launch(op);
        return;
    }
    if (free_kb > op->best_free_kb) {
        op->best_free_kb = free_kb;
        op->t_progress_ms = now;
    }
    missing = op->need_kb - avail;
    if (missing > op->asked_kb) {
        r = libxl_set_memory_target(ctx, 0, -(int64_t)(missing -
                                                       op->asked_kb), 1, 0);
        if (r) {
            op_balloon_fail(op, "cannot ask Domain-0 for %llu MiB: %s",
                            (unsigned long long)(missing / 1024),
                            op_failure(op, r));
            return;
        }
        /* Domain-0 shrinks: the user always hears of it. */
        op_note(op, OP_NOTE_INFO, "asking Domain-0 for %llu MiB "
                "(%llu MiB free, %llu MiB needed%s)",
                (unsigned long long)((missing - op->asked_kb) / 1024),
                (unsigned long long)(free_kb / 1024),
                (unsigned long long)(op->need_kb / 1024),
                others ? ", the rest counted on by other creates" : "");
        op->asked_kb = missing;
        op->t_progress_ms = now;
    }
    if (now - op->t_progress_ms > OP_BALLOON_STALL_MS ||
        now - op->t_balloon_ms > OP_BALLOON_TOTAL_MS) {
        op_balloon_fail(op, "Domain-0 did not give back enough memory "
                        "(%llu MiB free, %llu MiB needed; its target is "
                        "now %lu MiB)", (unsigned long long)(free_kb / 1024),
                        (unsigned long long)(op->need_kb / 1024),
                        op_dom0_target_mib(op));
        return;
    }
    op->balloon_timer = loop_timer_add(op->lp, OP_BALLOON_POLL_MS,
                                       op_balloon_timer, op);
}

int op_start(struct op *op)
{
    int rc;

    if (!op->label && op->kind == OP_CREATE && op->config.c_info.name)
        op->label = strdup(op->config.c_info.name);
    if (!op->label)
        op->label = strdup("?");
    op->state = OP_RUNNING;
    op->phase = OP_PHASE_MAIN;
    op->t_start = loop_now_ns();
    loop_busy(op->lp, +1);
    snprintf(op->phase_text, sizeof(op->phase_text), "waiting on libxl");
    snprintf(op->jr.phase, sizeof(op->jr.phase), "%s", op->phase_text);
    op_journal(op);
    /* Whether the guest takes libxl's suspend request: see op_save_settle(). */
    if ((op->kind == OP_SAVE || op->kind == OP_MIGRATE) &&
        wait_suspend_watch(op->domid) == 0)
        op->suspend_watched = true;
    op->t_phase = loop_now_ms();
    op->tick = loop_timer_add(op->lp, OP_TICK_MS, op_tick, op);
    if (op->kind == OP_CREATE)
        op_note(op, OP_NOTE_PROGRESS, "creating domain '%s'", op->label);
    if (op_is_dev_add(op)) {
        char d[200];

        op_note(op, OP_NOTE_PROGRESS, "attaching %s",
                op_desc(op, NULL, d, sizeof(d)));
    }
    if (op_out_open(op) < 0) {
        op_finish(op, OP_RESULT_FAILED);
        rc = -1;
    } else if (op->kind == OP_CREATE && op->balloon) {
        op->phase = OP_PHASE_LOCK;
        op_balloon_step(op);
        rc = op->state == OP_DONE && op->result != OP_RESULT_OK ? -1 : 0;
    } else if (op->kind == OP_MIGRATE) {
        rc = op_mig_start(op);
    } else if (op->kind == OP_SAVE) {
        if (op->save_have_config) {
            op_save_config_done(op, 0);
            rc = op->state == OP_DONE && op->result != OP_RESULT_OK ? -1 : 0;
        } else {
            op->phase = OP_PHASE_SAVE_CONFIG;
            rc = op_launch(op);
        }
    } else {
        /* A resume that must leave it paused pauses first, as a save. */
        if (op->kind == OP_RESUME && op->start_paused)
            op->phase = OP_PHASE_SAVE_PAUSE;
        rc = op_launch(op);
    }
    /*
     * libxl picks a device's index (a USB device's port) in the
     * initiating call: record it.
     */
    if (op->state != OP_DONE && op->jr.path[0] && op_is_dev(op)) {
        struct op_dev_key k;

        op->dk->key(op->dev, &k);
        if (k.devid != op->jr.devid || strcmp(k.word, op->jr.vdev)) {
            op_journal_dev(op);
            journal_write(&op->jr);
        }
    }
    return rc;
}

/*
 * The record's device: its name for messages, and its key (a disk by its
 * vdev, a nic by its index, ...: see struct op_dev_key).
 */
static void op_journal_dev(struct op *op)
{
    struct journal_rec *jr = &op->jr;
    struct op_dev_key k;

    jr->devid = -1;
    if (!op_is_dev(op))
        return;
    op_dev_name(op, jr->dev, sizeof(jr->dev));
    op->dk->key(op->dev, &k);
    snprintf(jr->vdev, sizeof(jr->vdev), "%s", k.word);
    jr->devid = k.devid;
}

/*
 * Record an op that can leave something behind (see journal.h) before
 * its first libxl call.  Without a record (no /run) the op goes on.
 */
static void op_journal(struct op *op)
{
    struct journal_rec *jr = &op->jr;

    jr->stream = op->kind == OP_SAVE || op->kind == OP_MIGRATE ||
                 op->out_tmp;
    if (!op_has(op, OPK_BUILD | OPK_ADD) && !jr->stream)
        return;
    if (jr->stream) {
        jr->resume = op->kind == OP_SAVE || op->kind == OP_MIGRATE;
        /* What the save does once whole; a migration destroys its copy. */
        snprintf(jr->after, sizeof(jr->after), "%s",
                 op->kind == OP_SAVE &&
                 op->save_after == OP_SAVE_THEN_RESUME ? "resume"
                 : op->kind == OP_SAVE &&
                   op->save_after == OP_SAVE_THEN_PAUSE ? "pause"
                 : "destroy");
        /* A name that does not fit is left out, never cut short. */
        if (op->out_tmp && strlen(op->out_tmp) < sizeof(jr->file)) {
            snprintf(jr->file, sizeof(jr->file), "%s", op->out_tmp);
            snprintf(jr->final, sizeof(jr->final), "%s", op->out_path);
        }
    }
    snprintf(jr->verb, sizeof(jr->verb), "%s", op_verb(op));
    snprintf(jr->name, sizeof(jr->name), "%s", op->label);
    if (op->kind == OP_CREATE) {
        libxl_uuid_copy(loop_ctx(op->lp), &jr->uuid, &op->config.c_info.uuid);
    } else {
        /* The domain's uuid: a later domain may reuse its id. */
        libxl_dominfo info;

        libxl_dominfo_init(&info);
        if (libxl_domain_info(loop_ctx(op->lp), &info, op->domid) == 0)
            libxl_uuid_copy(loop_ctx(op->lp), &jr->uuid, &info.uuid);
        libxl_dominfo_dispose(&info);
    }
    jr->domid = op->domid;
    op_journal_dev(op);
    jr->keep = op->on_cancel == OP_ON_CANCEL_KEEP;
    journal_write(jr);
}

/* "failed", or "cancelled during X (after N s)": how the op ended. */
static const char *op_how(struct op *op, enum op_result result, char *buf,
                          size_t len)
{
    if (result != OP_RESULT_CANCELLED)
        return "failed";
    snprintf(buf, len, "cancelled%s", op->cancel_phase);
    return buf;
}

/* After a cancelled or failed create: say what is left and finish. */
static void op_report_left(struct op *op, enum op_result result)
{
    libxl_ctx *ctx = loop_ctx(op->lp);
    enum dom_state st = dom_state_of(ctx, op->domid);
    char d[160], how[220];

    const char *hw = op_how(op, result, how, sizeof(how));

    op_dom_desc(op, d, sizeof(d));
    if (op->domid == (uint32_t)INVALID_DOMID || st == DOM_GONE)
        op_note(op, OP_NOTE_INFO, "%s of '%s' %s; no domain is left",
                op_verb(op), op->label, hw);
    else
        op_note(op, OP_NOTE_INFO, "%s of '%s' %s; %s is left %s",
                op_verb(op), op->label, hw, d, dom_state_name(st));
    op_finish(op, result);
}

/* ---- devices ---- */

/* "xvdb"; "vif 1", or "a vif" until libxl has chosen its id. */
static const char *op_dev_name(struct op *op, char *buf, size_t len)
{
    op->dk->name(op->dev, buf, len);
    return buf;
}

/*
 * What the op acts on: its domain ("domain 5 ('g1')"), or its device and
 * domain joined by prep, "to" or "from" by default ("xvdb to domain 5
 * ('g1')", "vif 1 from domain 5 ('g1')").
 */
static const char *op_desc(struct op *op, const char *prep, char *buf,
                           size_t len)
{
    char n[64];

    if (!op_is_dev(op))
        return op_dom_desc(op, buf, len);
    if (!prep)
        prep = op_has(op, OPK_CD) ? "of" : op_is_dev_add(op) ? "to" : "from";
    snprintf(buf, len, "%s %s domain %u ('%s')",
             op_dev_name(op, n, sizeof(n)), prep, op->domid, op->label);
    return buf;
}

/* Remove the op's device by force, as an ao reporting to how. */
static int op_dev_destroy(struct op *op, libxl_asyncop_how *how)
{
    return op->dk->destroy(loop_ctx(op->lp), op->domid, op->dev, how);
}

/* Does libxl still find the op's device?  1, 0, or -1 if it cannot say. */
static int op_dev_present(struct op *op)
{
    libxl_ctx *ctx = loop_ctx(op->lp);
    struct op_dev_key k;

    if (dom_state_of(ctx, op->domid) == DOM_GONE)
        return 0;
    op->dk->key(op->dev, &k);
    return op_dev_find(ctx, op->dev_kind, op->domid, &k);
}

/*
 * The command that removes the op's device whatever its state: "axl
 * block-detach -f 5 xvdb", "axl usbdev-detach 5 0 1".
 */
static const char *op_dev_remove_hint(struct op *op, char *buf, size_t len)
{
    struct op_dev_key k;

    op->dk->key(op->dev, &k);
    if (!k.word[0] && k.devid >= 0)
        snprintf(k.word, sizeof(k.word), "%d", k.devid);
    snprintf(buf, len, "axl %s %s%u %s", op->dk->detach, op->dk->force_flag,
             op->domid, k.word[0] ? k.word : "?");
    return buf;
}

/* After a device op was cancelled or failed: say what is left, finish. */
static void op_dev_report_left(struct op *op, enum op_result result)
{
    char d[200], hint[120], n[64], hw[220];
    const char *how = op_how(op, result, hw, sizeof(hw));
    int present;

    op_desc(op, NULL, d, sizeof(d));
    if (dom_state_of(loop_ctx(op->lp), op->domid) == DOM_GONE)
        op_note(op, OP_NOTE_INFO, "%s of %s %s; the domain is gone",
                op_verb(op), d, how);
    else if ((present = op_dev_present(op)) < 0)
        op_note(op, OP_NOTE_INFO, "%s of %s %s; check what is left with "
                "'axl %s %u'", op_verb(op), d, how, op->dk->list,
                op->domid);
    else if (!present)
        op_note(op, OP_NOTE_INFO, "%s of %s %s; %s", op_verb(op), d, how,
                op_is_dev_add(op) ? "no device is left"
                                  : "the device is gone");
    else if (op_is_dev_add(op))
        op_note(op, OP_NOTE_INFO, "%s of %s %s; %s is left half-attached "
                "(remove it with '%s')", op_verb(op), d, how,
                op_dev_name(op, n, sizeof(n)),
                op_dev_remove_hint(op, hint, sizeof(hint)));
    else
        op_note(op, OP_NOTE_INFO, "%s of %s %s; %s is still attached",
                op_verb(op), d, how, op_dev_name(op, n, sizeof(n)));
    op_finish(op, result);
}

/* A cd-insert's or cd-eject's ao has completed: nothing to clean up. */
static void op_cd_done(struct op *op, int rc)
{
    libxl_device_disk *disk = op->dev;
    bool eject = op->kind == OP_CD_EJECT;
    char d[200];

    op_desc(op, NULL, d, sizeof(d));
    if (rc == 0) {
        if (op->cancelled)
            op_note(op, OP_NOTE_INFO, "%s of %s had finished before the "
                    "cancel took effect; nothing was cancelled",
                    op_verb(op), d);
        if (eject)
            op_note(op, OP_NOTE_PROGRESS, "ejected the medium of %s", d);
        else
            op_note(op, OP_NOTE_PROGRESS, "inserted '%s' into %s",
                    disk->pdev_path ? disk->pdev_path : "", d);
        op_finish(op, OP_RESULT_OK);
        return;
    }
    if (!op->cancelled) {
        op_note(op, OP_NOTE_ERROR, "cannot %s %s: %s", eject
                ? "eject the medium of" : "change the medium of", d,
                op_failure(op, rc));
        op_finish(op, OP_RESULT_FAILED);
        return;
    }
    op_note(op, OP_NOTE_INFO, "%s of %s cancelled%s; the drive may be "
            "empty (check with 'axl block-list %u')", op_verb(op), d,
            op->cancel_phase, op->domid);
    op_finish(op, OP_RESULT_CANCELLED);
}

/* A device op's ao has completed. */
static void op_dev_done(struct op *op, int rc)
{
    char d[200], hint[120], n[64];

    if (op_has(op, OPK_CD)) {
        op_cd_done(op, rc);
        return;
    }
    op_desc(op, NULL, d, sizeof(d));
    if (rc == 0) {
        if (op->cancelled)
            op_note(op, OP_NOTE_INFO, "%s of %s had finished before the "
                    "cancel took effect; nothing was cancelled",
                    op_verb(op), d);
        op_note(op, OP_NOTE_PROGRESS, "%s %s", op_is_dev_add(op)
                ? "attached" : "detached", d);
        op_finish(op, OP_RESULT_OK);
        return;
    }
    if (!op->cancelled && op->force && !op_is_dev_add(op) &&
        op_dev_present(op) == 0) {
        /* As for the cleanup: the device is gone, whatever libxl said. */
        op_note(op, OP_NOTE_PROGRESS, "detached %s", d);
        op_finish(op, OP_RESULT_OK);
        return;
    }
    if (!op->cancelled) {
        op_note(op, OP_NOTE_ERROR, "cannot %s %s: %s",
                op_is_dev_add(op) ? "attach" : "detach", d,
                op_failure(op, rc));
        op_dev_report_left(op, OP_RESULT_FAILED);
        return;
    }
    if (!op_is_dev_add(op) || op->abandon_cleanup ||
        op_dev_present(op) == 0) {
        op_dev_report_left(op, OP_RESULT_CANCELLED);
        return;
    }
    if (op->on_cancel == OP_ON_CANCEL_KEEP) {
        op_note(op, OP_NOTE_INFO, "%s of %s cancelled%s; %s kept, "
                "half-attached (remove it with '%s')", op_verb(op), d,
                op->cancel_phase,
                op_dev_name(op, n, sizeof(n)),
                op_dev_remove_hint(op, hint, sizeof(hint)));
        op_finish(op, OP_RESULT_CANCELLED);
        return;
    }
    op_start_cleanup(op);
}

/*
 * The on-cancel cleanup, as an ao of its own: destroy the half-built
 * domain, or remove the half-attached device by force.
 */
void op_start_cleanup(struct op *op)
{
    libxl_ctx *ctx = loop_ctx(op->lp);
    char d[200];
    int rc;

    op->state = OP_CLEANING;
    op->clean_how.callback = op_clean_done;
    op->clean_how.u.for_callback = op;
    if (op_is_dev(op)) {
        op_note(op, OP_NOTE_INFO, "removing half-attached %s",
                op_desc(op, "from", d, sizeof(d)));
        rc = op_dev_destroy(op, &op->clean_how);
    } else {
        op_note(op, OP_NOTE_INFO, "destroying half-built %s",
                op_desc(op, NULL, d, sizeof(d)));
        rc = libxl_domain_destroy(ctx, op->domid, &op->clean_how);
    }
    if (rc && op->state == OP_CLEANING)
        op_clean_done(ctx, rc, op);
}

static void op_clean_done(libxl_ctx *ctx, int rc, void *for_callback)
{
    struct op *op = for_callback;
    char d[160];

    (void)ctx;
    op->clean_rc = rc;
    if (op_is_dev(op)) {
        op_desc(op, "from", d, sizeof(d));
        /*
         * libxl may report success for a removal whose script was
         * killed, and an error for one of a device whose backend never
         * came (a vtpm without its backend domain): what counts is
         * whether the device is still there.
         */
        if (rc != ERROR_ABORTED && op_dev_present(op) == 0) {
            op_note(op, OP_NOTE_INFO, "%s cancelled%s; removed %s; nothing "
                    "is left", op_verb(op), op->cancel_phase, d);
            op_finish(op, OP_RESULT_CANCELLED);
            return;
        }
        if (rc)
            op_note(op, OP_NOTE_ERROR, "cannot remove %s: %s", d,
                    rc == ERROR_ABORTED ? "cancelled" : op_failure(op, rc));
        op_dev_report_left(op, OP_RESULT_CANCELLED);
        return;
    }
    op_dom_desc(op, d, sizeof(d));
    if (op_has(op, OPK_REQ)) {
        /* shutdown --then-destroy: the destroy is the outcome asked for. */
        if (rc == 0 || dom_state_of(ctx, op->domid) == DOM_GONE) {
            op_note(op, OP_NOTE_INFO, "%s destroyed after it did not shut "
                    "down in time", d);
            op_finish(op, OP_RESULT_OK);
            return;
        }
        op_note(op, OP_NOTE_ERROR, "cannot destroy %s: %s", d,
                rc == ERROR_ABORTED ? "cancelled" : op_failure(op, rc));
        op_report_left(op, OP_RESULT_CANCELLED);
        return;
    }
    if (rc == 0 && op->mig_failed) {
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
    op_note(op, OP_NOTE_ERROR, "cannot destroy %s: %s", d,
            rc == ERROR_ABORTED ? "cancelled" : op_failure(op, rc));
    op_report_left(op, OP_RESULT_CANCELLED);
}

/* A create's ao has completed after a cancel was asked for. */
void op_create_cancelled(struct op *op, int rc)
{
    char d[160];

    op_dom_desc(op, d, sizeof(d));
    if (rc != ERROR_ABORTED) {
        /* libxl failed on its way out and destroyed the domain itself. */
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

/* ---- shutdown and reboot: the ACPI fallback, the wait ---- */

/* A domain's death or shutdown, for an op waiting on it. */
static void op_event(struct loop *lp, libxl_event *ev, void *user)
{
    struct op *op = user;
    char d[160];

    if (op->phase == OP_PHASE_WAIT && op->state == OP_RUNNING &&
        (ev->type == LIBXL_EVENT_TYPE_DOMAIN_DEATH ||
         (ev->type == LIBXL_EVENT_TYPE_DOMAIN_SHUTDOWN && op->wait == 1))) {
        op_note(op, OP_NOTE_PROGRESS, "%s %s",
                op_dom_desc(op, d, sizeof(d)),
                ev->type == LIBXL_EVENT_TYPE_DOMAIN_DEATH
                    ? "is gone" : op->kind == OP_REBOOT
                    ? "has shut down to reboot" : "has shut down");
        op_finish(op, OP_RESULT_OK);
    }
    libxl_event_free(loop_ctx(lp), ev);
}

/*
 * A shutdown's or reboot's ao is done: fall back to the ACPI button for
 * a guest without PV drivers (-F), then wait (-w).  Returns false to let
 * the common path finish the op.
 */
static bool op_req_done(struct op *op, int rc)
{
    libxl_ctx *ctx = loop_ctx(op->lp);
    enum dom_state st;
    char d[160];

    op_dom_desc(op, d, sizeof(d));
    if (rc == ERROR_NOPARAVIRT && !op->cancelled &&
        op->phase == OP_PHASE_MAIN) {
        if (!op->fallback) {
            op_note(op, OP_NOTE_ERROR, "cannot %s %s: it has no PV drivers "
                    "(-F presses its ACPI %s button instead)", op_verb(op),
                    d, op->kind == OP_REBOOT ? "reset" : "power");
            op_finish(op, OP_RESULT_FAILED);
            return true;
        }
        op_note(op, OP_NOTE_PROGRESS, "%s has no PV drivers: pressing its "
                "ACPI %s button", d, op->kind == OP_REBOOT ? "reset"
                                                          : "power");
        op->phase = OP_PHASE_TRIGGER;
        op_launch(op);
        return true;
    }
    if (rc || op->cancelled || !op->wait)
        return false;
    op->sink.fn = op_event;
    op->sink.user = op;
    rc = libxl_evenable_domain_death(ctx, op->domid, LOOP_EV_USER(&op->sink),
                                     &op->deathw);
    if (rc) {
        op_note(op, OP_NOTE_ERROR, "cannot wait for %s: %s", d,
                op_failure(op, rc));
        op_finish(op, OP_RESULT_FAILED);
        return true;
    }
    op->phase = OP_PHASE_WAIT;
    /*
     * libxl checks a new watcher only when @releaseDomain fires next: a
     * domain already down would never be reported.  Look once now.
     */
    st = dom_state_of(ctx, op->domid);
    if (st == DOM_GONE || (op->wait == 1 && (st == DOM_SHUTDOWN ||
                                              st == DOM_DYING))) {
        op_note(op, OP_NOTE_PROGRESS, "%s %s", d,
                st == DOM_GONE ? "is gone" : "has shut down");
        op_finish(op, OP_RESULT_OK);
        return true;
    }
    op_note(op, OP_NOTE_PROGRESS, "waiting for %s to %s", d,
            op->wait == 2 ? "be gone" : op->kind == OP_REBOOT
            ? "shut down to reboot" : "shut down");
    return true;
}

/* ---- create -c: the console ---- */

static void op_console_event(libxl_ctx *ctx, libxl_event *ev,
                             void *for_callback)
{
    struct op *op = for_callback;
    uint32_t domid = ev->domid;

    libxl_event_free(ctx, ev);
    if (op->state != OP_RUNNING || !op->console_fn)
        return;
    op->console_waiting = true;
    op->console_fn(op, domid, op->console_user);
}

void op_set_console(struct op *op, op_console_fn *fn, void *user)
{
    op->console_fn = fn;
    op->console_user = user;
    op->console_how.callback = op_console_event;
    op->console_how.for_callback = op;
}

static void op_console_stop_wait(struct op *op)
{
    op->console_waiting = false;
    if (op->console_timer) {
        loop_timer_cancel(op->lp, op->console_timer);
        op->console_timer = NULL;
    }
}

/* Unpause the new domain now: the console is there, or will not be. */
static void op_console_go(struct op *op)
{
    op_console_stop_wait(op);
    op->phase = OP_PHASE_UNPAUSE;
    op_launch(op);
}

static void op_console_timeout(struct loop *lp, void *user)
{
    struct op *op = user;

    (void)lp;
    op->console_timer = NULL;
    op_note(op, OP_NOTE_INFO, "the console client did not connect within "
            "%d s; starting the domain anyway", OP_CONSOLE_WAIT_MS / 1000);
    op_console_go(op);
}

/* The build is done: wait (bounded) for the console before unpausing. */
static void op_console_wait(struct op *op)
{
    op->phase = OP_PHASE_CONSOLE;
    op->console_timer = loop_timer_add(op->lp, OP_CONSOLE_WAIT_MS,
                                       op_console_timeout, op);
    if (!op->console_timer)
        op_console_go(op);
}

void op_console_connected(struct op *op)
{
    if (!op->console_waiting)
        return;
    if (op->state == OP_RUNNING && op->phase == OP_PHASE_CONSOLE)
        op_console_go(op);
    else
        op_console_stop_wait(op);
}

/* ---- save ---- */

void op_set_fd(struct op *op, int fd)
{
    op->fd = fd;
}

void op_own_fd(struct op *op)
{
    op->own_fd = true;
}

void op_set_save_after(struct op *op, enum op_save_after after)
{
    op->save_after = after;
}

void op_set_save_config(struct op *op)
{
    op->save_have_config = true;
}

void op_set_save_keep_domid(struct op *op)
{
    op->save_keep_domid = true;
}

/* A save's abort, when its copy is under way (see op_abort()). */
static void op_save_abort_poll(struct loop *lp, void *user)
{
    struct op *op = user;

    op->save_timer = NULL;
    if (op->state != OP_ABORTING || op->phase != OP_PHASE_MAIN)
        return;
    if (op_stream_bytes(op) >= (uint64_t)op->save_abort_at ||
        loop_now_ms() - op->t_save_abort > 30000) {
        libxl_ao_abort(loop_ctx(lp), &op->how);
        return;
    }
    op->save_timer = loop_timer_add(lp, 10, op_save_abort_poll, op);
}

/* Undo a save's or migration's suspend: resume the guest, then finish. */
void op_save_undo(struct op *op)
{
    op->save_undo = true;
    op->phase = OP_PHASE_SAVE_RESUME;
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
           (wait_suspend_asked(op->domid) ||
            (op->suspend_watched && wait_suspend_acked(op->domid)));
}

static void op_save_settle_poll(struct loop *lp, void *user)
{
    struct op *op = user;

    op->save_timer = NULL;
    if (!op_save_suspending(op) ||
        loop_now_ms() - op->t_settle > OP_SUSPEND_SETTLE_MS) {
        op->settled(op);
        return;
    }
    op->save_timer = loop_timer_add(lp, 20, op_save_settle_poll, op);
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
    op->settled = then;
    op->t_settle = loop_now_ms();
    op->save_timer = loop_timer_add(op->lp, 20, op_save_settle_poll, op);
    if (!op->save_timer)
        then(op);
}

/*
 * The configuration is read (or was given): the header with it goes to
 * the file, then the suspend and the saving.
 */
void op_save_config_done(struct op *op, int rc)
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
                op->kind == OP_MIGRATE ? " here" : "");
        op_finish(op, OP_RESULT_CANCELLED);
        return;
    }
    /* A restore makes a new domain: the saved id is not kept (but -D). */
    op->config.c_info.domid = op->save_keep_domid ? op->domid : 0;
    json = libxl_domain_config_to_json(loop_ctx(op->lp), &op->config);
    if (!json || savefile_write_header(op->fd, json) < 0) {
        op_note(op, OP_NOTE_ERROR, "cannot write the %s of '%s': %s",
                op->kind == OP_MIGRATE ? "migration stream" : "save file",
                op->label, json ? strerror(errno) : "out of memory");
        free(json);
        op_finish(op, OP_RESULT_FAILED);
        return;
    }
    free(json);
    op_note(op, OP_NOTE_PROGRESS, "%s domain %u ('%s')",
            op->kind == OP_MIGRATE ? "sending" : "saving", op->domid,
            op->label);
    op->phase = OP_PHASE_MAIN;
    op_launch(op);
}

/* A save or migration stopped in its copy: the guest runs on, resumed. */
static void op_save_stopped(struct op *op)
{
    char d[160], hw[220];
    const char *how = op_how(op, op->cancelled ? OP_RESULT_CANCELLED
                                               : OP_RESULT_FAILED,
                             hw, sizeof(hw));

    op_dom_desc(op, d, sizeof(d));
    if (!op_save_suspended(op)) {
        op_note(op, OP_NOTE_INFO, "%s of '%s' %s; the guest had not been "
                "suspended and runs on%s%s", op_save_noun(op), op->label,
                how, op->kind == OP_MIGRATE ? " here" : "",
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

static void op_save_done(struct op *op, int rc)
{
    char d[160];

    if (op->save_timer) {
        loop_timer_cancel(op->lp, op->save_timer);
        op->save_timer = NULL;
    }
    op_dom_desc(op, d, sizeof(d));
    switch (op->phase) {
    case OP_PHASE_SAVE_CONFIG:
        op_save_config_done(op, rc);
        return;
    case OP_PHASE_MAIN:
        if (rc == 0 && op->kind == OP_MIGRATE) {
            op_mig_ready(op);
            return;
        }
        if (rc == 0 && op->out_tmp && op_out_whole(op) < 0) {
            /* Not safely written: the guest goes on, as for a failure. */
            op_note(op, OP_NOTE_INFO, "resuming %s", d);
            op_save_undo(op);
            return;
        }
        if (rc == 0) {
            if (op->cancelled)
                op_note(op, OP_NOTE_INFO, "save of '%s' had finished before "
                        "the cancel took effect; it is kept", op->label);
            op->phase = op->save_after == OP_SAVE_THEN_DESTROY
                            ? OP_PHASE_SAVE_DESTROY
                        : op->save_after == OP_SAVE_THEN_PAUSE
                            ? OP_PHASE_SAVE_PAUSE : OP_PHASE_SAVE_RESUME;
            op_launch(op);
            return;
        }
        if (!op->cancelled)
            op_note(op, OP_NOTE_ERROR, "cannot %s %s: %s", op_verb(op), d,
                    op_failure(op, rc));
        if (!op->cancelled && op->kind == OP_MIGRATE && op_mig_no_shadow(op))
            op_note(op, OP_NOTE_ERROR, "this Xen has no shadow paging "
                    "(see virt_caps in 'axl info'): a PV guest cannot be "
                    "migrated live; save and restore it instead");
        op_save_settle(op, op_save_stopped);
        return;
    case OP_PHASE_SAVE_PAUSE:
        op->phase = OP_PHASE_SAVE_RESUME;
        op_launch(op);
        return;
    case OP_PHASE_SAVE_RESUME:
        if (op->save_undo) {
            if (rc)
                op_note(op, OP_NOTE_ERROR, "cannot resume %s: %s; it is left "
                        "suspended", d, op_failure(op, rc));
            else
                op_note(op, OP_NOTE_INFO, "%s was resumed and runs on%s", d,
                        op->kind == OP_MIGRATE ? " here" : "");
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
                op->save_after == OP_SAVE_THEN_PAUSE ? ", paused" : "");
        op_finish(op, OP_RESULT_OK);
        return;
    case OP_PHASE_SAVE_DESTROY:
        if (rc) {
            op_note(op, OP_NOTE_ERROR, "saved %s, but cannot destroy it: %s",
                    d, op_failure(op, rc));
            op_finish(op, OP_RESULT_FAILED);
            return;
        }
        if (op->kind == OP_MIGRATE)
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

/* ---- migrate: both ends of xl's protocol (core/migrate.h) ---- */

static const char *op_save_noun(const struct op *op)
{
    return op->kind == OP_MIGRATE ? "migration" : "save";
}

/* A PV domain on a Xen without shadow paging: no live migration. */
static bool op_mig_no_shadow(struct op *op)
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

/* Bytes of the stream written so far: the file's size, or the helper's. */
uint64_t op_stream_bytes(struct op *op)
{
    struct stat st;
    int64_t w;

    if (op->kind == OP_SAVE && op->fd >= 0 && fstat(op->fd, &st) == 0 &&
        S_ISREG(st.st_mode))
        return (uint64_t)st.st_size;
    if (op->kind == OP_CREATE) {
        /* A restore: the helper shares the file's offset; else its reads. */
        off_t at;

        if (op->fd >= 0 && fstat(op->fd, &st) == 0 && S_ISREG(st.st_mode) &&
            (at = lseek(op->fd, 0, SEEK_CUR)) >= 0)
            return (uint64_t)at;
        w = wait_save_helper_read(op_phase_domid(op), &op->stream_pid);
        if (w > 0 && (uint64_t)w > op->stream_bytes)
            op->stream_bytes = (uint64_t)w;
        return op->stream_bytes;
    }
    w = wait_save_helper_written(op->domid, &op->stream_pid);
    if (w > 0 && (uint64_t)w > op->stream_bytes)
        op->stream_bytes = (uint64_t)w;
    return op->stream_bytes;
}

/* The words of a save's or a migration's phase, with bytes and rate. */
static void op_stream_phase(struct op *op, char *buf, size_t len)
{
    uint64_t b, ms;
    double mib;

    switch (op->phase) {
    case OP_PHASE_MIG_BANNER:
        snprintf(buf, len, "waiting for the target to answer");
        return;
    case OP_PHASE_SAVE_CONFIG:
        snprintf(buf, len, "reading the configuration of domain %u",
                 op->domid);
        return;
    case OP_PHASE_MIG_READY:
        snprintf(buf, len, "sent; the target is restoring domain '%s'",
                 op->label);
        return;
    case OP_PHASE_MIG_REPORT:
        snprintf(buf, len, "the target was told to start '%s'; waiting for "
                 "its report", op->label);
        return;
    case OP_PHASE_MIG_BACK:
        snprintf(buf, len, "the target failed to start '%s'; waiting for its "
                 "leave to resume it here", op->label);
        return;
    case OP_PHASE_MIG_END:
        snprintf(buf, len, "waiting for the target's command (pid %d) to end",
                 (int)op->mig_child);
        return;
    case OP_PHASE_MIG_GO:
        snprintf(buf, len, "domain %u received, paused; waiting for the "
                 "sender's go-ahead", op->domid);
        return;
    case OP_PHASE_MIG_DRAIN:
        snprintf(buf, len, "waiting for the sender to read the failure");
        return;
    case OP_PHASE_SAVE_PAUSE:
        snprintf(buf, len, "pausing domain %u", op->domid);
        return;
    case OP_PHASE_SAVE_RESUME:
        snprintf(buf, len, "resuming domain %u", op->domid);
        return;
    case OP_PHASE_SAVE_DESTROY:
        snprintf(buf, len, "destroying domain %u", op->domid);
        return;
    default:
        break;
    }
    b = op_stream_bytes(op);
    ms = op->t_stream_ms ? loop_now_ms() - op->t_stream_ms : 0;
    mib = (double)b / (1024 * 1024);
    snprintf(buf, len, "%s%s memory: %.0f MiB%s", op_save_suspended(op)
             ? "guest suspended; " : "",
             op->kind == OP_MIGRATE ? "sending" : "writing", mib, "");
    if (ms >= 500 && b > 0) {
        size_t l = strlen(buf);

        snprintf(buf + l, len - l, " at %.0f MiB/s", mib * 1000 / ms);
    }
}

/* The child making an OPK_CHILD call has ended: the call's "ao" is done. */
static void op_child_done(struct loop *lp, pid_t pid, int status,
                          void *user)
{
    struct op *op = user;
    int rc;

    (void)pid;
    op->child = 0;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        rc = 0;
    else if (op->cancelled)
        rc = ERROR_ABORTED;
    else
        rc = ERROR_FAIL;
    op_main_done(loop_ctx(lp), rc, op);
}

static void op_main_done(libxl_ctx *ctx, int rc, void *for_callback)
{
    struct op *op = for_callback;
    char d[160];

    (void)ctx;
    if (op->phase == OP_PHASE_MAIN) {
        op->rc = rc;
        op->t_ao_done = loop_now_ns();
        /* Built (or not): its memory is taken; xl's lock goes, as xl's. */
        op_balloon_release(op);
        if (op->kind == OP_CREATE && op->domid_out != (uint32_t)INVALID_DOMID)
            op->domid = op->domid_out;
    }

    if (op->phase == OP_PHASE_MAIN && op->kind == OP_CREATE) {
        if (op->cancelled && rc) {
            op_create_cancelled(op, rc);
            return;
        }
        if (rc) {
            op_note(op, OP_NOTE_ERROR, "cannot create domain '%s': %s",
                    op->label, op_failure(op, rc));
            op_report_left(op, OP_RESULT_FAILED);
            return;
        }
        if (op->cancelled)
            op_note(op, OP_NOTE_INFO, "create of '%s' had finished before "
                    "the cancel took effect; nothing was cancelled",
                    op->label);
        if (op->mig_in) {
            op_mig_in_ready(op);
            return;
        }
        if (!op->start_paused) {
            if (op->console_waiting) {
                op_console_wait(op);
                return;
            }
            op->phase = OP_PHASE_UNPAUSE;
            op_launch(op);
            return;
        }
        op_note(op, OP_NOTE_PROGRESS, "created %s, paused",
                op_dom_desc(op, d, sizeof(d)));
        op_finish(op, OP_RESULT_OK);
        return;
    }

    if (op->phase == OP_PHASE_UNPAUSE) {
        if (rc && op->mig_in) {
            /* The sender is told to resume its copy: this one goes. */
            op_note(op, OP_NOTE_ERROR, "cannot unpause received %s: %s",
                    op_dom_desc(op, d, sizeof(d)), op_failure(op, rc));
            op_mig_in_uncommit(op);
            op->mig_failed = true;
            op_start_cleanup(op);
            return;
        }
        if (rc) {
            op_note(op, OP_NOTE_ERROR, "cannot unpause new %s: %s",
                    op_dom_desc(op, d, sizeof(d)), op_failure(op, rc));
            op_report_left(op, OP_RESULT_FAILED);
            return;
        }
        if (op->mig_in)
            testpoint("recv-unpaused");
        op_note(op, OP_NOTE_PROGRESS, "%s %s, running",
                op->mig_in ? "received" : "created",
                op_dom_desc(op, d, sizeof(d)));
        op_finish(op, OP_RESULT_OK);
        return;
    }

    if (op_is_dev(op)) {
        op_dev_done(op, rc);
        return;
    }
    if (op->kind == OP_SAVE || op->kind == OP_MIGRATE) {
        op_save_done(op, rc);
        return;
    }
    if (op_has(op, OPK_REQ) && op_req_done(op, rc))
        return;

    if (op->kind == OP_RESUME && op->phase == OP_PHASE_SAVE_PAUSE &&
        rc == 0) {
        op->phase = OP_PHASE_MAIN;  /* paused: now the resume itself */
        op_launch(op);
        return;
    }

    /* Every other kind: one ao, nothing to clean up. */
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

void op_abort(struct op *op, int why)
{
    libxl_ctx *ctx = loop_ctx(op->lp);
    char d[160];
    int rc;

    if (op->state == OP_DONE || op->state == OP_IDLE)
        return;
    if (!op->cancelled) {
        char now[sizeof(op->phase_text)];

        op->cancelled = true;
        op->t_abort = loop_now_ns();
        /* What was interrupted, for the last line. */
        if (op->state == OP_RUNNING) {
            op_phase_now(op, now, sizeof(now));
            if (strcmp(now, op->phase_text))
                op->t_phase = loop_now_ms();
            snprintf(op->cancel_phase, sizeof(op->cancel_phase),
                     " during %s (after %.0f s)", now, op_phase_secs(op));
        }
    }
    op->why = why;

    if (op->state == OP_RUNNING && (op->phase == OP_PHASE_LOCK ||
                                    op->phase == OP_PHASE_BALLOON)) {
        /* No ao runs yet: nothing was built. */
        bool asked = op->asked_kb > 0;

        op_balloon_release(op);
        if (asked)
            op_note(op, OP_NOTE_INFO, "create of '%s' cancelled%s; nothing "
                    "was built; Domain-0's memory target is now %lu MiB",
                    op->label, op->cancel_phase, op_dom0_target_mib(op));
        else
            op_note(op, OP_NOTE_INFO, "create of '%s' cancelled%s; nothing "
                    "was built", op->label, op->cancel_phase);
        op_finish(op, OP_RESULT_CANCELLED);
        return;
    }
    if (op->state == OP_RUNNING && op->phase == OP_PHASE_CONSOLE) {
        /* Built, paused, waiting for the console: as a cancelled build. */
        op_console_stop_wait(op);
        op->state = OP_ABORTING;
        op_create_cancelled(op, ERROR_ABORTED);
        return;
    }
    if (op->state == OP_RUNNING && op->phase == OP_PHASE_WAIT &&
        op->then_destroy && why == OP_WHY_TIMEOUT) {
        /* shutdown --then-destroy: the guest had its time. */
        op_dom_desc(op, d, sizeof(d));
        op_note(op, OP_NOTE_INFO, "%s did not shut down in time: destroying "
                "it", d);
        op->state = OP_CLEANING;
        op->clean_how.callback = op_clean_done;
        op->clean_how.u.for_callback = op;
        rc = libxl_domain_destroy(ctx, op->domid, &op->clean_how);
        if (rc && op->state == OP_CLEANING)
            op_clean_done(ctx, rc, op);
        return;
    }
    if (op->state == OP_RUNNING && op->phase == OP_PHASE_WAIT) {
        /* No ao runs: the request was made; only the wait ends. */
        op_note(op, OP_NOTE_INFO, "%s of %s: no longer waiting; the guest "
                "was asked and may still %s", op_verb(op),
                op_desc(op, NULL, d, sizeof(d)),
                op->kind == OP_REBOOT ? "reboot" : "shut down");
        op_finish(op, OP_RESULT_CANCELLED);
        return;
    }
    if (op_mig_abort(op))
        return;
    if (op->state == OP_RUNNING && op->phase == OP_PHASE_MAIN &&
        (op->kind == OP_SAVE || op->kind == OP_MIGRATE ||
         (op->kind == OP_CREATE && op->fd >= 0))) {
        /*
         * libxl 4.17 crashes when a save or a restore is aborted before
         * its stream has begun (a save's guest suspending: a jump to a
         * NULL callback; a restore: SIGSEGV): the abort waits until the
         * stream has 1 MiB, a few ms later (at most 30 s).
         */
        if (op->kind == OP_CREATE && op->domid == (uint32_t)INVALID_DOMID)
            op->domid = op_phase_domid(op);
        op->state = OP_ABORTING;
        op_note(op, OP_NOTE_INFO, "cancelling %s of %s",
                op->kind == OP_CREATE ? op_verb(op) : op_save_noun(op),
                op_desc(op, NULL, d, sizeof(d)));
        /* Once the stream has 1 MiB, at once; before, when it has. */
        op->save_abort_at = (off_t)op->stream_bytes0 + (1 << 20);
        op->t_save_abort = loop_now_ms();
        op_save_abort_poll(op->lp, op);
        return;
    }
    if (op->state == OP_RUNNING && op_has(op, OPK_CHILD)) {
        op->state = OP_ABORTING;
        op_note(op, OP_NOTE_INFO, "cancelling %s of %s", op_verb(op),
                op_desc(op, NULL, d, sizeof(d)));
        if (op->child > 0)
            kill(op->child, SIGKILL);
        return;
    }
    if (op->state == OP_RUNNING) {
        if (op->domid == (uint32_t)INVALID_DOMID && op->kind == OP_CREATE)
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
        if (!op->abandon_cleanup && op_may_clean_up(op))
            op_note(op, OP_NOTE_INFO, "cleanup abandoned: %s will be left "
                    "as it is", op_desc(op, "of", d, sizeof(d)));
        op->abandon_cleanup = true;
        return;
    }
    if (op->state == OP_CLEANING && !op->abandon_cleanup) {
        op->abandon_cleanup = true;
        op_note(op, OP_NOTE_INFO, "cancelling the %s of %s",
                op_is_dev(op) ? "removal" : "destroy",
                op_desc(op, "from", d, sizeof(d)));
        libxl_ao_abort(ctx, &op->clean_how);
    }
}

const char *op_left(struct op *op, char *buf, size_t len)
{
    char n[64], hint[120];
    const char *fmt = op_kinds[op->kind].left;

    if (op_has(op, OPK_CD))
        snprintf(buf, len, "the drive %s of domain %u may be left empty; "
                 "check with 'axl block-list %u'",
                 op_dev_name(op, n, sizeof(n)), op->domid, op->domid);
    else if (op_is_dev_add(op))
        snprintf(buf, len, "%s may be left half-attached to domain %u; "
                 "remove it with '%s'", op_dev_name(op, n, sizeof(n)),
                 op->domid, op_dev_remove_hint(op, hint, sizeof(hint)));
    else if (op_is_dev(op))
        snprintf(buf, len, "%s may still be attached to domain %u; check "
                 "with 'axl %s %u'", op_dev_name(op, n, sizeof(n)),
                 op->domid, op->dk->list, op->domid);
    else if (op->domid == (uint32_t)INVALID_DOMID && op_has(op, OPK_BUILD))
        snprintf(buf, len, "its domain may be left half-built; check "
                 "'axl list'");
    else
        snprintf(buf, len, fmt, op->domid, op->domid);
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

const char *op_verb(const struct op *op)
{
    if (op->mig_in)
        return "incoming migration";
    if (op_kinds[op->kind].verb)
        return op_kinds[op->kind].verb;
    return op->kind == OP_DEV_ADD ? op->dk->attach : op->dk->detach;
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
