/*
 * cmd_monitor: the domain monitor, as xl's: it waits for the domain to
 * shut down and applies the configuration's on_poweroff, on_reboot,
 * on_watchdog, on_crash or on_soft_reset.  Every step that libxl offers
 * as an ao (reading the configuration, the core dump, the destroy, the
 * restart, the soft reset) runs as a job on the one loop, so SIGTERM
 * cancels a restart that hangs and the on-cancel policy applies.
 *
 * `axl create` starts one for the domain it made: in a process of its
 * own (axl-NAME, logging to /var/log/xen/axl-NAME.log), or in the
 * foreground with -F.  `axl monitor DOM` starts one for a running
 * domain.  One lock file per domain uuid says which process monitors
 * it; the lock and the spawning are cli/monitor_proc.c's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <libxl.h>
#include <libxl_utils.h>

#include "../core/dom.h"
#include "../core/journal.h"
#include "../core/monitor.h"
#include "../core/names.h"
#include "../core/status.h"
#include "../core/testpoint.h"
#include "../core/xlcfg.h"
#include "cmd.h"
#include "cmd_create.h"
#include "cmd_dom.h"
#include "cmd_xlcfg.h"
#include "monitor_int.h"
#include "out.h"


static void mon_next(struct mon *m);
static void mon_end(struct mon *m, int status);


/* ---- watching ---- */

static void mon_event(struct loop *lp, libxl_event *ev, void *user);
static void mon_eject(struct mon *m, const libxl_device_disk *disk,
                      const char *vdev);

static void mon_unwatch(struct mon *m)
{
    libxl_ctx *ctx = loop_ctx(m->cli->lp);
    int i;

    if (m->deathw) {
        libxl_evdisable_domain_death(ctx, m->deathw);
        m->deathw = NULL;
    }
    for (i = 0; i < m->n_ejectw; i++)
        if (m->ejectw[i])
            libxl_evdisable_disk_eject(ctx, m->ejectw[i]);
    free(m->ejectw);
    m->ejectw = NULL;
    m->n_ejectw = 0;
}

/*
 * Watch the domain's removable disks (CD-ROM drives): when the guest
 * ejects a medium, the drive is left empty in its configuration, as
 * xl's monitor does.  Returns 0 or a libxl error code.
 */
static int mon_watch_ejects(struct mon *m)
{
    libxl_ctx *ctx = loop_ctx(m->cli->lp);
    int i, rc;

    m->ejectw = calloc(m->cfg.num_disks ? m->cfg.num_disks : 1,
                       sizeof(*m->ejectw));
    if (!m->ejectw)
        return ERROR_NOMEM;
    m->n_ejectw = m->cfg.num_disks;
    for (i = 0; i < m->cfg.num_disks; i++) {
        if (!m->cfg.disks[i].removable || !m->cfg.disks[i].vdev)
            continue;
        rc = libxl_evenable_disk_eject(ctx, m->domid, m->cfg.disks[i].vdev,
                                       LOOP_EV_USER(&m->sink),
                                       &m->ejectw[i]);
        if (rc)
            return rc;
    }
    return 0;
}

/* The domain's shutdown reason, if it is shut down now; -1 if not. */
static int mon_shut_reason(struct mon *m)
{
    libxl_dominfo info;
    int reason = -1;

    libxl_dominfo_init(&info);
    if (libxl_domain_info(loop_ctx(m->cli->lp), &info, m->domid) == 0 &&
        info.shutdown && !info.dying)
        reason = (int)info.shutdown_reason;
    libxl_dominfo_dispose(&info);
    return reason;
}

static void mon_shutdown(struct mon *m, libxl_shutdown_reason reason);

/* Watch m->domid for its shutdown; the lock is held. */
static void mon_watch(struct mon *m)
{
    libxl_ctx *ctx = loop_ctx(m->cli->lp);
    int rc, reason;

    if (m->stopping) {
        note("stopped monitoring domain %u ('%s'); it is left %s", m->domid,
             m->name, dom_state_name(dom_state_of(ctx, m->domid)));
        mon_end(m, AXL_EXIT_OK);
        return;
    }
    m->sink.fn = mon_event;
    m->sink.user = m;
    rc = libxl_evenable_domain_death(ctx, m->domid, LOOP_EV_USER(&m->sink),
                                     &m->deathw);
    if (!rc)
        rc = mon_watch_ejects(m);
    if (rc) {
        error_libxl(rc, "cannot watch domain %u ('%s')", m->domid, m->name);
        mon_end(m, AXL_EXIT_FAIL);
        return;
    }
    note("monitoring domain %u ('%s') [pid %d]", m->domid, m->name,
         (int)getpid());
    testpoint("mon-ready");     /* the spawner's wait, made long */
    mon_ready(m, true);
    /*
     * libxl looks at a new watch only when a domain next goes away: one
     * that is down already would never be reported.  Look once now.
     */
    reason = mon_shut_reason(m);
    if (reason >= 0)
        mon_shutdown(m, (libxl_shutdown_reason)reason);
    else if (dom_state_of(ctx, m->domid) == DOM_GONE) {
        note("domain %u ('%s') is gone", m->domid, m->name);
        mon_end(m, AXL_EXIT_OK);
    }
}

/* ---- the steps, each a job ---- */

typedef int mon_done_fn(struct mon *m, struct job *job, int status);

/*
 * A step's job: when it is done, its function runs with the job's
 * status, from the loop (not inside libxl's callback); 0 from it means
 * go on with the next step.
 */
struct mon_pending {
    struct mon *m;
    mon_done_fn *fn;
    struct job *job;
    struct loop_timer *t;
};

static void mon_after(struct loop *lp, void *user)
{
    struct mon_pending *p = user;
    struct mon *m = p->m;
    int status = job_status(p->job);
    mon_done_fn *fn = p->fn;
    struct job *job = p->job;

    (void)lp;
    free(p);
    /* Stopping: mon_next() ends the monitor (once, if not done yet). */
    if (fn(m, job, status) == 0 || m->stopping)
        mon_next(m);
}

static int mon_job_finished(struct job *job, int status, void *user)
{
    struct mon_pending *p = user;

    p->m->last = job;
    p->m->job = NULL;
    /* Go on from the loop: libxl may still be inside its callback. */
    p->t = loop_timer_add(p->m->cli->lp, 0, mon_after, p);
    if (!p->t) {
        error("monitor: out of memory");
        free(p);
    }
    return status;
}

static int mon_start_job(struct mon *m, struct job *job, mon_done_fn *fn)
{
    struct mon_pending *p = calloc(1, sizeof(*p));

    if (!p) {
        job_forget(m->cli, job);
        return error("monitor: out of memory");
    }
    p->m = m;
    p->fn = fn;
    p->job = job;
    m->job = job;
    job_on_done(job, mon_job_finished, p);
    job_run(job, 0);
    return 0;
}

/* A new job of kind on the monitored domain; NULL after reporting. */
static struct job *mon_job(struct mon *m, enum op_kind kind)
{
    struct job *job;

    if (m->last) {
        job_forget(m->cli, m->last);
        m->last = NULL;
    }
    job = job_new(m->cli, kind, m->name);
    if (!job) {
        error("monitor: out of memory");
        return NULL;
    }
    if (kind != OP_CREATE)
        op_set_domid(job_op(job), m->domid);
    op_set_on_cancel(job_op(job), m->on_cancel);
    return job;
}

/* A step's job failed or was cancelled: the monitor cannot go on. */
static int mon_step_failed(struct mon *m, int status, const char *what)
{
    if (status >= AXL_EXIT_SIGNAL || status == AXL_EXIT_TIMEOUT)
        note("%s of domain '%s' was cancelled; monitoring stopped", what,
             m->name);
    else
        error("%s of domain '%s' failed; monitoring stopped", what,
              m->name);
    mon_end(m, status);
    return -1;
}

static int mon_dumped(struct mon *m, struct job *job, int status)
{
    char path[300];

    (void)job;
    /* As xl: a failed dump is said, and the action goes on. */
    if (status == AXL_EXIT_OK)
        note("core of domain %u ('%s') written to %s", m->domid, m->name,
             mon_path(path, sizeof(path), MON_DUMP_DIR, "", m->name,
                      m->domid, ""));
    else if (status >= AXL_EXIT_SIGNAL)
        return mon_step_failed(m, status, "the core dump");
    return 0;
}

static int mon_reloaded(struct mon *m, struct job *job, int status)
{
    if (status != AXL_EXIT_OK)
        return mon_step_failed(m, status, "reading the configuration");
    libxl_domain_config_dispose(&m->cfg);
    libxl_domain_config_init(&m->cfg);
    libxl_domain_config_copy(loop_ctx(m->cli->lp), &m->cfg,
                             op_config(job_op(job)));
    return 0;
}

static int mon_destroyed(struct mon *m, struct job *job, int status)
{
    (void)job;
    if (status != AXL_EXIT_OK)
        return mon_step_failed(m, status, "the destroy");
    note("domain %u ('%s') destroyed", m->domid, m->name);
    return 0;
}

static int mon_restarted(struct mon *m, struct job *job, int status)
{
    uint32_t old = m->domid;

    if (status != AXL_EXIT_OK)
        return mon_step_failed(m, status, "the restart");
    m->domid = op_domid(job_op(job));
    mon_lock_say(m);
    note("domain '%s' restarted as domain %u (was %u)", m->name, m->domid,
         old);
    mon_watch(m);
    return 1;   /* watching again: no next step */
}

static int mon_reset(struct mon *m, struct job *job, int status)
{
    (void)job;
    if (status != AXL_EXIT_OK)
        return mon_step_failed(m, status, "the soft reset");
    note("domain %u ('%s') reset in place", m->domid, m->name);
    mon_watch(m);
    return 1;
}

/*
 * The configuration a restart uses: what config-update stored (libxl's
 * userdata "xl", as xl's monitor reads it), consumed; else libxl's own
 * record, read by a job.  Returns 1 if a job was started, 0 if the text
 * was used, -1 after ending the monitor.
 */
static int mon_reload(struct mon *m)
{
    libxl_ctx *ctx = loop_ctx(m->cli->lp);
    uint8_t *data = NULL;
    int len = 0, r = 0;
    struct job *job;

    if (libxl_userdata_retrieve(ctx, m->domid, "xl", &data, &len) == 0 &&
        data && len > 0) {
        struct xlcfg_opts xo;
        libxl_domain_config cfg;

        memset(&xo, 0, sizeof(xo));
        xo.path = "<config-update>";
        xo.text = (const char *)data;
        xo.text_len = (size_t)len;
        xo.report = cmd_xlcfg_report;
        libxl_domain_config_init(&cfg);
        if (xlcfg_parse(ctx, &xo, &cfg) == 0) {
            note("using the configuration stored by config-update");
            libxl_domain_config_dispose(&m->cfg);
            m->cfg = cfg;
            libxl_userdata_unlink(ctx, m->domid, "xl");
            free(data);
            return 0;
        }
        libxl_domain_config_dispose(&cfg);
        warn("the configuration stored by config-update does not parse; "
             "using libxl's record");
    }
    free(data);
    job = mon_job(m, OP_RETRIEVE);
    if (!job || mon_start_job(m, job, mon_reloaded) < 0) {
        mon_end(m, AXL_EXIT_FAIL);
        return -1;
    }
    r = 1;
    return r;
}

/* rename-restart: keep the old domain under a dated name, new uuid. */
static int mon_rename(struct mon *m)
{
    libxl_ctx *ctx = loop_ctx(m->cli->lp);
    libxl_domain_create_info info;
    libxl_uuid fresh;
    char suffix[32];
    int rc;

    monitor_rename_suffix(time(NULL), suffix, sizeof(suffix));
    libxl_uuid_generate(&fresh);
    libxl_domain_create_info_init(&info);
    libxl_domain_create_info_copy(ctx, &info, &m->cfg.c_info);
    free(info.name);
    info.name = strdup(m->name);
    rc = libxl_domain_preserve(ctx, m->domid, &info, suffix, fresh);
    libxl_domain_create_info_dispose(&info);
    if (rc) {
        error_libxl(rc, "cannot rename domain %u ('%s'); it is left as it "
                    "is and monitoring stopped", m->domid, m->name);
        mon_end(m, AXL_EXIT_FAIL);
        return -1;
    }
    note("domain %u kept as '%s%s'", m->domid, m->name, suffix);
    return 0;
}

/* Run the next of m->steps; end the monitor when none is left. */
static void mon_next(struct mon *m)
{
    struct job *job = NULL;
    mon_done_fn *fn = NULL;
    unsigned step;

    if (m->ended)
        return;
    if (m->stopping) {
        note("stopped monitoring domain '%s'", m->name);
        mon_end(m, AXL_EXIT_OK);
        return;
    }
    if (!m->steps) {
        note("monitoring of domain '%s' is over", m->name);
        mon_end(m, AXL_EXIT_OK);
        return;
    }
    step = m->steps & -m->steps;    /* the lowest bit: the first step */
    m->steps &= ~step;
    switch (step) {
    case MON_COREDUMP: {
        char path[300];

        mkdir(MON_DUMP_DIR, 0755);
        mon_path(path, sizeof(path), MON_DUMP_DIR, "", m->name, m->domid, "");
        job = mon_job(m, OP_CORE_DUMP);
        if (job && op_set_out_file(job_op(job), path) < 0) {
            char why[700];

            warn("no core of domain '%s' is written: %s", m->name,
                 op_out_cannot(job_op(job), errno, why, sizeof(why)));
            job_forget(m->cli, job);
            job = NULL;
        }
        fn = mon_dumped;
        break;
    }
    case MON_RELOAD:
        if (mon_reload(m) == 0)
            mon_next(m);
        return;
    case MON_RENAME:
        if (mon_rename(m) == 0)
            mon_next(m);
        return;
    case MON_DESTROY:
        job = mon_job(m, OP_DESTROY);
        fn = mon_destroyed;
        break;
    case MON_RESTART:
        job = mon_job(m, OP_CREATE);
        if (job) {
            free(m->cfg.c_info.name);
            m->cfg.c_info.name = strdup(m->name);
            libxl_domain_config_copy(loop_ctx(m->cli->lp),
                                     op_config(job_op(job)), &m->cfg);
            /* A restart makes room as a create does (xl's freemem). */
            if (cmd_create_memory(m->cli, job_op(job)) < 0) {
                job_forget(m->cli, job);
                job = NULL;
            }
        }
        fn = mon_restarted;
        break;
    case MON_SOFT_RESET:
        job = mon_job(m, OP_SOFT_RESET);
        if (job)
            libxl_domain_config_copy(loop_ctx(m->cli->lp),
                                     op_config(job_op(job)), &m->cfg);
        fn = mon_reset;
        break;
    }
    if (!job || mon_start_job(m, job, fn) < 0)
        mon_end(m, AXL_EXIT_FAIL);
}

static int mon_ejected(struct mon *m, struct job *job, int status)
{
    (void)job;
    if (status != AXL_EXIT_OK)
        warn("the drive of domain '%s' whose medium was ejected is not "
             "left empty", m->name);
    return 1;   /* watching on */
}

/* The guest ejected the medium of vdev: leave the drive empty. */
static void mon_eject(struct mon *m, const libxl_device_disk *disk,
                      const char *vdev)
{
    libxl_ctx *ctx = loop_ctx(m->cli->lp);
    struct job *job;

    note("domain %u ('%s') ejected the medium in %s", m->domid, m->name,
         vdev ? vdev : "?");
    if (m->job)
        return;     /* a step runs: the drive is the step's business */
    job = mon_job(m, OP_CD_EJECT);
    if (!job)
        return;
    if (op_set_dev(job_op(job), OP_DEV_DISK) < 0) {
        job_forget(m->cli, job);
        return;
    }
    libxl_device_disk_copy(ctx, op_dev(job_op(job)), disk);
    mon_start_job(m, job, mon_ejected);
}

/* A suspended domain: gone (saved) or resumed? */
static void mon_suspended(struct loop *lp, void *user)
{
    struct mon *m = user;
    libxl_ctx *ctx = loop_ctx(lp);
    enum dom_state st;

    if (m->ended)
        return;
    if (m->stopping) {
        note("stopped monitoring domain %u ('%s')", m->domid, m->name);
        mon_end(m, AXL_EXIT_OK);
        return;
    }
    st = dom_state_of(ctx, m->domid);
    if (st == DOM_GONE) {
        note("domain %u ('%s') is gone (saved): monitoring is over",
             m->domid, m->name);
        mon_end(m, AXL_EXIT_OK);
        return;
    }
    if (st == DOM_RUNNING || st == DOM_PAUSED) {
        note("domain %u ('%s') was resumed: monitoring on", m->domid,
             m->name);
        mon_watch(m);
        return;
    }
    if (!loop_timer_add(lp, 200, mon_suspended, m))
        mon_end(m, AXL_EXIT_FAIL);
}

static void mon_shutdown(struct mon *m, libxl_shutdown_reason reason)
{
    libxl_action_on_shutdown action = monitor_action(&m->cfg, reason);

    mon_unwatch(m);
    note("domain %u ('%s') has shut down (%s): %s", m->domid, m->name,
         monitor_reason_name(reason), monitor_action_name(action));
    if (reason == LIBXL_SHUTDOWN_REASON_SUSPEND) {
        /*
         * A save: the domain goes once saved, or is resumed if the save
         * is cancelled or fails (a checkpoint too).  libxl reports one
         * shutdown per watch: look until either, then watch afresh.
         */
        note("domain %u ('%s') is suspended (being saved)", m->domid,
             m->name);
        mon_suspended(m->cli->lp, m);
        return;
    }
    if (action == LIBXL_ACTION_ON_SHUTDOWN_PRESERVE)
        note("domain %u ('%s') is kept, shut down; remove it with 'axl "
             "destroy %u'", m->domid, m->name, m->domid);
    m->steps = monitor_steps(action);
    mon_next(m);
}

static void mon_event(struct loop *lp, libxl_event *ev, void *user)
{
    struct mon *m = user;
    libxl_ctx *ctx = loop_ctx(lp);

    if (m->ended || ev->domid != m->domid) {
        libxl_event_free(ctx, ev);
        return;
    }
    if (ev->type == LIBXL_EVENT_TYPE_DOMAIN_SHUTDOWN) {
        libxl_shutdown_reason reason = ev->u.domain_shutdown.shutdown_reason;

        libxl_event_free(ctx, ev);
        mon_shutdown(m, reason);
        return;
    }
    if (ev->type == LIBXL_EVENT_TYPE_DISK_EJECT) {
        mon_eject(m, &ev->u.disk_eject.disk, ev->u.disk_eject.vdev);
        libxl_event_free(ctx, ev);
        return;
    }
    if (ev->type == LIBXL_EVENT_TYPE_DOMAIN_DEATH) {
        note("domain %u ('%s') was destroyed", m->domid, m->name);
        libxl_event_free(ctx, ev);
        mon_end(m, AXL_EXIT_OK);
        return;
    }
    libxl_event_free(ctx, ev);
}

/* ---- start and end ---- */

static void mon_end(struct mon *m, int status)
{
    if (m->ended)
        return;
    m->ended = true;
    m->status = status;
    mon_unwatch(m);
    mon_ready(m, false);
    mon_unlock(m);
    cli_sig_hook_remove(m->cli, &m->hook);
    cli_release(m->cli, status);
}

/*
 * A signal: with no step running, stop watching now; the domain runs
 * on.  With one, let the jobs' escalation cancel it (its on-cancel
 * policy applies) and stop after it.
 */
static bool mon_signal(struct cli *cli, int signo, void *user)
{
    struct mon *m = user;

    (void)cli;
    m->stopping = true;
    if (m->job)
        return false;
    note("%s: stopped monitoring domain %u ('%s'); it is left %s (monitor "
         "it again with 'axl monitor %s')", esc_signame(signo), m->domid,
         m->name, dom_state_name(dom_state_of(loop_ctx(m->cli->lp),
                                              m->domid)), m->name);
    mon_end(m, AXL_EXIT_OK);
    return true;
}

static int mon_first_cfg(struct mon *m, struct job *job, int status)
{
    if (mon_reloaded(m, job, status) < 0)
        return -1;
    mon_watch(m);
    return 1;
}

/*
 * Monitor domid in this process: hold the run until it ends.  Returns 0,
 * or -1 after reporting (nothing held then).
 */
static int mon_begin(struct cli *cli, uint32_t domid, const char *name,
                     enum op_on_cancel on_cancel, int ready_fd)
{
    libxl_ctx *ctx = cli_libxl(cli);
    struct mon *m;
    libxl_dominfo info;
    struct job *job;

    if (!ctx)
        return -1;
    m = calloc(1, sizeof(*m));
    if (!m || !(m->name = strdup(name))) {
        free(m);
        return error("monitor: out of memory");
    }
    m->cli = cli;
    m->domid = domid;
    m->on_cancel = on_cancel;
    m->lock_fd = -1;
    m->ready_fd = ready_fd;
    libxl_domain_config_init(&m->cfg);
    libxl_dominfo_init(&info);
    if (libxl_domain_info(ctx, &info, domid)) {
        libxl_dominfo_dispose(&info);
        mon_ready(m, false);
        free(m->name);
        free(m);
        return error("no such domain '%s'", name);
    }
    libxl_uuid_copy(ctx, &m->uuid, &info.uuid);
    libxl_dominfo_dispose(&info);
    if (mon_lock(m) < 0) {
        mon_ready(m, false);
        free(m->name);
        free(m);
        return -1;
    }
    cli_hold(cli);
    m->hook.fn = mon_signal;
    m->hook.user = m;
    cli_sig_hook_add(cli, &m->hook);
    /* The actions come from libxl's record of the configuration. */
    job = mon_job(m, OP_RETRIEVE);
    if (!job || mon_start_job(m, job, mon_first_cfg) < 0)
        mon_end(m, AXL_EXIT_FAIL);
    /* m lives until the process exits: libxl may hold its sink. */
    return 0;
}


/* ---- the command ---- */

static const struct cmd_opt cmd_monitor_opts[] = {
    { 'F', "foreground", NULL, "monitor in this process, not in the "
      "background" },
    { 'f', "force", NULL, "monitor a domain axl did not create (only if "
      "no xl monitor watches it)" },
    { 0, "on-cancel", "POLICY", "what to do with a half-built domain when "
      "a restart is cancelled: destroy (default) or keep",
      NULL, "destroy|keep" },
    { 0 },
};

/*
 * The spawned monitor: it runs in the background (MON_ENV_DAEMON) and
 * says on MON_ENV_READY's pipe whether it watches the domain.
 */
static int cmd_monitor_daemon(struct cli *cli, uint32_t domid,
                              const char *name, enum op_on_cancel policy)
{
    const char *fdv = getenv(MON_ENV_READY);
    int fd = fdv ? atoi(fdv) : -1;
    char title[16];

    unsetenv(MON_ENV_DAEMON);
    unsetenv(MON_ENV_READY);
    snprintf(title, sizeof(title), "axl-%s", name);
    prctl(PR_SET_NAME, title, 0, 0, 0);
    out_set_stamps(true);
    out_set_progress(true);
    cli->quiet_orphans = true;
    return mon_begin(cli, domid, name, policy, fd) < 0 ? AXL_EXIT_FAIL
                                                       : CMD_PENDING;
}

static int cmd_monitor_run(struct cli *cli, struct cmd_call *call)
{
    enum op_on_cancel policy;
    libxl_ctx *ctx;
    libxl_dominfo info;
    uint8_t *data = NULL;
    int len = 0, status = AXL_EXIT_FAIL;
    uint32_t domid;
    char *name = NULL;
    pid_t other;

    if (cmd_on_cancel_opt(call, &policy) < 0)
        return AXL_EXIT_USAGE;
    if (cmd_flag(call, "foreground") && cli->interactive)
        return error("monitor: -F is for a one-shot axl, not the shell"),
               AXL_EXIT_USAGE;
    ctx = cli_libxl(cli);
    if (!ctx || cmd_resolve_domain(cli, call->argv[0], &domid, &name) < 0)
        return AXL_EXIT_FAIL;
    if (getenv(MON_ENV_DAEMON)) {
        status = cmd_monitor_daemon(cli, domid, name, policy);
        goto out;
    }
    if (domid == 0) {
        error("monitor: Domain-0 cannot be monitored");
        goto out;
    }
    libxl_dominfo_init(&info);
    libxl_domain_info(ctx, &info, domid);
    other = mon_holder(&info.uuid, NULL);
    libxl_dominfo_dispose(&info);
    if (other) {
        error("domain '%s' already has a monitor (pid %d)", name,
              (int)other);
        goto out;
    }
    if (!cmd_flag(call, "force") &&
        (libxl_userdata_retrieve(ctx, domid, MON_USERDATA, &data, &len) ||
         len <= 0)) {
        error("domain '%s' was not created by axl: an xl monitor may "
              "watch it (use -f if none does)", name);
        goto out;
    }
    if (cmd_flag(call, "foreground"))
        status = mon_begin(cli, domid, name, policy, -1) < 0
                     ? AXL_EXIT_FAIL : CMD_PENDING;
    else
        status = mon_spawn(domid, name, policy) < 0 ? AXL_EXIT_FAIL
                                                    : AXL_EXIT_OK;
out:
    free(data);
    free(name);
    return status;
}

const struct cmd_entry cmd_monitor_entry = {
    .name = "monitor",
    .summary = "apply a domain's on_poweroff/on_reboot/on_crash actions "
               "(as create's monitor does)",
    .usage = "[options] <Domain>",
    .opts = cmd_monitor_opts,
    .min_args = 1,
    .max_args = 1,
    .first_arg = CMD_ARG_DOMAIN,
    .run = cmd_monitor_run,
};

/* ---- what create uses ---- */

int monitor_mark(struct cli *cli, uint32_t domid)
{
    static const uint8_t mark[] = "created by axl\n";
    int rc = libxl_userdata_store(cli_libxl(cli), domid, MON_USERDATA, mark,
                                  (int)sizeof(mark) - 1);

    return rc ? error_libxl(rc, "cannot mark domain %u as axl's", domid)
              : 0;
}

struct mon_defer {
    struct cli *cli;
    uint32_t domid;
    enum op_on_cancel policy;
    char name[];
};

static void mon_defer_fire(struct loop *lp, void *user)
{
    struct mon_defer *d = user;
    int r;

    (void)lp;
    r = mon_begin(d->cli, d->domid, d->name, d->policy, -1);
    cli_release(d->cli, r < 0 ? AXL_EXIT_FAIL : AXL_EXIT_OK);
    free(d);
}

int monitor_after_create(struct cli *cli, uint32_t domid, const char *name,
                         enum op_on_cancel policy, bool foreground,
                         void (*started)(void *user, bool ok), void *user)
{
    struct mon_defer *d;

    if (!foreground)
        return mon_spawn_then(cli->lp, domid, name, policy, started, user)
                   < 0 ? -1 : 1;
    /* Begin from the loop, not inside the create's callback. */
    d = calloc(1, sizeof(*d) + strlen(name) + 1);
    if (!d)
        return error("monitor: out of memory");
    d->cli = cli;
    d->domid = domid;
    d->policy = policy;
    strcpy(d->name, name);
    cli_hold(cli);
    if (!loop_timer_add(cli->lp, 0, mon_defer_fire, d)) {
        cli_release(cli, AXL_EXIT_FAIL);
        free(d);
        return error("monitor: out of memory");
    }
    return 0;
}
