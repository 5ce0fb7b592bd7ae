/*
 * cmd_console: `axl console` and create -c.  The console client is
 * Xen's xenconsole, which libxl execs (libxl_console_exec) in a child of
 * axl's: the child has the terminal until the user leaves it (Ctrl-]),
 * while axl's loop runs on (the create, background jobs in the shell).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <libxl.h>
#include <libxl_utils.h>
#include <xentoollog.h>

#include "../core/proc.h"
#include "../core/status.h"
#include "cmd.h"
#include "cmd_create.h"
#include "cmd_dom.h"
#include "out.h"
#include "parse.h"
#include "shell.h"

/* What a console client is for. */
struct con_child {
    struct cli *cli;
    bool status_counts;     /* its exit status is the command's */
    struct op *op;          /* create -c: the create waiting on it */
    int notify_fd;          /* where xenconsole says it is connected */
    pid_t pid;              /* one-shot: the client, for a signal */
    int signo;              /* the signal passed on to it, if any */
    struct cli_sig_hook hook;
    struct con_child *next; /* on cli->con_waiting while op is set */
};

/*
 * Fork the console client for domid: its primary console (primary), or
 * console num of type.  notify_fd, if not -1, is passed on for
 * xenconsole to write to once connected.  Returns the pid, or -1 after
 * reporting.
 */
static pid_t con_fork(struct cli *cli, uint32_t domid, bool primary,
                      libxl_console_type type, int num, int notify_fd)
{
    /* On the terminal with axl, which it takes in raw mode. */
    struct proc_spec spec = PROC_SPEC(PROC_FOREGROUND);
    pid_t pid;

    fflush(stdout);
    fflush(stderr);
    spec.pass = notify_fd;
    pid = proc_fork(&spec);
    if (pid < 0)
        return error_errno("cannot start the console client"), -1;
    if (pid == 0) {
        xentoollog_logger_stdiostream *lg;
        libxl_ctx *ctx = NULL;

        libxl_postfork_child_noexec(loop_ctx(cli->lp));
        lg = xtl_createlogger_stdiostream(stderr, XTL_ERROR, 0);
        if (lg && libxl_ctx_alloc(&ctx, LIBXL_VERSION, 0,
                                  (xentoollog_logger *)lg) == 0) {
            if (primary)
                libxl_primary_console_exec(ctx, domid, notify_fd);
            else
                libxl_console_exec(ctx, domid, num, type, notify_fd);
        }
        fprintf(stderr, "axl: cannot run the console client of domain "
                "%u\n", domid);
        _exit(AXL_EXIT_FAIL);
    }
    return pid;
}

/*
 * A signal to a one-shot axl whose console client runs: the client (in
 * raw mode, the terminal's Ctrl-C is the guest's) ends too, and axl
 * with it (its status is then 128+N).  The jobs (a create -c still
 * running) get the signal as well.
 */
static bool con_signal(struct cli *cli, int signo, void *user)
{
    struct con_child *c = user;

    (void)cli;
    if (c->pid > 0) {
        kill(c->pid, signo);
        c->signo = signo;
    }
    return false;
}

/* The create need wait no longer: the client connected, or is gone. */
static void con_release_op(struct con_child *c)
{
    struct con_child **pp;
    struct op *op = c->op;

    c->op = NULL;
    for (pp = &c->cli->con_waiting; *pp; pp = &(*pp)->next)
        if (*pp == c) {
            *pp = c->next;
            break;
        }
    if (op)
        op_console_connected(op);
}

static void con_child_done(struct loop *lp, pid_t pid, int status,
                           void *user)
{
    struct con_child *c = user;
    int st = axl_status_of_wait(status);

    (void)lp;
    (void)pid;
    if (c->notify_fd >= 0) {
        loop_unwatch_fd(c->cli->lp, c->notify_fd);
        close(c->notify_fd);
    }
    con_release_op(c);     /* gone: do not wait for it */
    /* Ended because axl was told to end (its handler may exit 0). */
    if (c->signo)
        st = AXL_EXIT_SIGNAL + c->signo;
    cli_sig_hook_remove(c->cli, &c->hook);
    cli_release(c->cli, c->status_counts ? st : -1);
    free(c);
}

/* Let the child have the terminal until it ends. */
static int con_hand_over(struct cli *cli, pid_t pid, struct con_child *c)
{
    if (cli->interactive) {
        int r = shell_child(cli, pid, c->status_counts);

        /* The shell reaps it; only the notify pipe is ours. */
        if (c->notify_fd < 0)
            free(c);
        return r;
    }
    cli_hold(cli);
    c->pid = pid;
    c->hook.fn = con_signal;
    c->hook.user = c;
    cli_sig_hook_add(cli, &c->hook);
    if (loop_watch_child(cli->lp, pid, con_child_done, c) < 0) {
        int e = errno;

        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        cli_sig_hook_remove(cli, &c->hook);
        cli_release(cli, AXL_EXIT_FAIL);
        /* Nothing may use c once freed: its pipe, its create's wait. */
        if (c->notify_fd >= 0) {
            loop_unwatch_fd(cli->lp, c->notify_fd);
            close(c->notify_fd);
        }
        con_release_op(c);
        free(c);
        errno = e;
        return error_errno("cannot wait for the console client"),
               AXL_EXIT_FAIL;
    }
    return CMD_PENDING;
}

/* ---- axl console ---- */

static const struct cmd_opt cmd_console_opts[] = {
    { 't', "type", "pv|serial|vuart", "the console's type (default: the "
      "domain's primary console)" },
    { 'n', "num", "N", "the console's number, for several of one type "
      "(default 0)" },
    { 0 },
};

static int cmd_console_run(struct cli *cli, struct cmd_call *call)
{
    const char *t = cmd_opt(call, "type"), *n = cmd_opt(call, "num");
    libxl_console_type type = LIBXL_CONSOLE_TYPE_UNKNOWN;
    struct con_child *c;
    unsigned long num = 0;
    libxl_ctx *ctx;
    uint32_t domid;
    char *name = NULL, *tty = NULL;
    pid_t pid;
    int rc;

    if (t && (libxl_console_type_from_string(t, &type) ||
              type == LIBXL_CONSOLE_TYPE_UNKNOWN))
        return error("console: invalid console type '%s' (use pv, serial "
                     "or vuart)", t), AXL_EXIT_USAGE;
    if (n && (parse_uint(n, 1000, &num) < 0))
        return error("console: invalid console number '%s'", n),
               AXL_EXIT_USAGE;
    ctx = cli_libxl(cli);
    if (!ctx || cmd_resolve_domain(cli, call->argv[0], &domid, &name) < 0)
        return AXL_EXIT_FAIL;
    /* Say here, in one line, what the client would say less clearly. */
    rc = t ? libxl_console_get_tty(ctx, domid, (int)num, type, &tty)
           : libxl_primary_console_get_tty(ctx, domid, &tty);
    free(tty);
    if (rc) {
        if (t)
            error("domain '%s' has no %s console %lu", name, t, num);
        else
            error("domain '%s' has no console", name);
        free(name);
        return AXL_EXIT_FAIL;
    }
    free(name);
    c = calloc(1, sizeof(*c));
    if (!c)
        return error("console: out of memory"), AXL_EXIT_FAIL;
    c->cli = cli;
    c->status_counts = true;
    c->notify_fd = -1;
    pid = con_fork(cli, domid, !t, type, (int)num, -1);
    if (pid < 0) {
        free(c);
        return AXL_EXIT_FAIL;
    }
    return con_hand_over(cli, pid, c);
}

const struct cmd_entry cmd_console_entry = {
    .name = "console",
    .summary = "attach to a domain's console (leave it with Ctrl-])",
    .usage = "[options] <Domain>",
    .opts = cmd_console_opts,
    .min_args = 1,
    .max_args = 1,
    .first_arg = CMD_ARG_DOMAIN,
    .flags = CMD_F_DOM0,
    .run = cmd_console_run,
};

/* ---- create -c ---- */

/* xenconsole is connected (a byte), or died (EOF): the create goes on. */
static void con_notified(struct loop *lp, int fd, short revents, void *user)
{
    struct con_child *c = user;
    char b;

    (void)revents;
    if (read(fd, &b, 1) < 0 && errno == EINTR)
        return;
    loop_unwatch_fd(lp, fd);
    close(fd);
    c->notify_fd = -1;
    con_release_op(c);
}

/* libxl says the console of domid is ready: start the client on it. */
static void con_for_create(struct op *op, uint32_t domid, void *user)
{
    struct job *job = user;
    struct cli *cli = job_cli(job);
    struct con_child *c;
    int pfd[2];
    pid_t pid;

    if (pipe2(pfd, O_CLOEXEC) < 0) {
        error_errno("cannot attach to the console of '%s'", op_label(op));
        op_console_connected(op);
        return;
    }
    c = calloc(1, sizeof(*c));
    if (!c) {
        close(pfd[0]);
        close(pfd[1]);
        op_console_connected(op);
        return;
    }
    c->cli = cli;
    c->op = op;
    c->notify_fd = pfd[0];
    c->next = cli->con_waiting;
    cli->con_waiting = c;
    /* The client has the terminal: no progress lines over it. */
    job_set_quiet(job, true);
    pid = con_fork(cli, domid, true, LIBXL_CONSOLE_TYPE_UNKNOWN, 0, pfd[1]);
    close(pfd[1]);
    if (pid < 0 ||
        loop_watch_fd(cli->lp, pfd[0], POLLIN, con_notified, c) < 0) {
        close(pfd[0]);
        con_release_op(c);
        free(c);
        return;
    }
    con_hand_over(cli, pid, c);
}

void console_for_create(struct job *job)
{
    /* A create's job (cmd_create_follow()): the op takes it. */
    op_set_console(job_op(job), con_for_create, job);
}

/* Whichever client the create waited on forgets it: the op is done. */
void console_create_done(struct cli *cli, struct op *op)
{
    struct con_child **pp, *c;

    for (pp = &cli->con_waiting; (c = *pp); pp = &c->next)
        if (c->op == op) {
            c->op = NULL;
            *pp = c->next;
            return;
        }
}
