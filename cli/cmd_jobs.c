/*
 * cmd_jobs: jobs, abort, wait, and await (a domain's state).  In the shell they act on its own jobs
 * (%N); with --all, or outside the shell, on every axl operation on
 * this host, whichever process runs it (ctl.c): PID.N names job N of
 * axl process PID, and a domain names the operations acting on it.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/dom.h"
#include "../core/status.h"
#include "cmd.h"
#include "ctl.h"
#include "json.h"
#include "out.h"
#include "parse.h"
#include "shell.h"

/* How long abort waits for the outcome unless told (--timeout). */
#define CMD_ABORT_WAIT_MS 60000

/* Find the shell's job "%N" (or "N"); NULL after reporting. */
static struct job *cmd_jobs_local(struct cli *cli, const char *cmd,
                                  const char *spec)
{
    const char *s = spec[0] == '%' ? spec + 1 : spec;
    unsigned long id;
    struct job *j;

    if (parse_uint(s, 1000000, &id) < 0) {
        error("%s: invalid job '%s' (use %%N, as 'jobs' lists)", cmd, spec);
        return NULL;
    }
    for (j = cli->jobs; j; j = job_next(j))
        if ((unsigned long)job_id(j) == id)
            return j;
    error("%s: no such job '%%%lu'", cmd, id);
    return NULL;
}

/* Whether spec names one of the shell's own jobs: %N, or N in it. */
static bool cmd_jobs_is_local(struct cli *cli, const char *spec)
{
    if (spec[0] == '%')
        return true;
    return cli->interactive && strspn(spec, "0123456789") == strlen(spec);
}

/*
 * The one operation of another process spec names: PID.N, or a domain
 * (its name, or its id outside the shell) one operation acts on.  0, or
 * -1 after reporting (none, or several: each is listed).
 */
static int cmd_jobs_remote(struct cli *cli, const char *cmd,
                           const char *spec, struct ctl_job *one)
{
    struct ctl_job *v;
    unsigned long pid, id, domid;
    const char *dot = strchr(spec, '.');
    char pidtext[16];
    int n, i, found = -1, count = 0;

    n = ctl_list_all(cli, &v, CTL_LIST_MS, false);
    if (n < 0)
        return -1;
    if (dot && (size_t)(dot - spec) < sizeof(pidtext)) {
        snprintf(pidtext, sizeof(pidtext), "%.*s", (int)(dot - spec), spec);
        if (parse_uint(pidtext, 4194304, &pid) < 0 ||
            parse_uint(dot + 1, 1000000, &id) < 0) {
            free(v);
            return error("%s: invalid operation '%s' (PID.N, as 'jobs "
                         "--all' lists, or a domain)", cmd, spec);
        }
        for (i = 0; i < n; i++)
            if ((unsigned long)v[i].pid == pid &&
                (unsigned long)v[i].id == id)
                found = i, count = 1;
    } else {
        bool by_id = parse_uint(spec, 0x7fffffff, &domid) == 0;

        for (i = 0; i < n; i++) {
            if (!strcmp(v[i].state, "done"))
                continue;
            if (by_id ? v[i].domid == (uint32_t)domid
                      : !strcmp(v[i].label, spec)) {
                found = i;
                count++;
            }
        }
        if (count > 1) {
            error("%s: %d operations act on '%s': name one (%s)", cmd,
                  count, spec, "as 'jobs --all' lists them");
            for (i = 0; i < n; i++)
                if (by_id ? v[i].domid == (uint32_t)domid
                          : !strcmp(v[i].label, spec))
                    note("  %d.%d %s of '%s'", (int)v[i].pid, v[i].id,
                         v[i].verb, v[i].label);
            free(v);
            return -1;
        }
    }
    if (found < 0) {
        free(v);
        return error("%s: no axl operation '%s' runs on this host", cmd,
                     spec);
    }
    *one = v[found];
    free(v);
    return 0;
}

/* ---- jobs ---- */

static const char *cmd_jobs_state(const struct job *job, char *buf,
                                  size_t n)
{
    if (!job_done(job))
        return job_state_word(job);
    snprintf(buf, n, "done (%d)", job_status(job));
    return buf;
}

/* The shell's own jobs, oldest first; the finished ones listed once. */
static int cmd_jobs_shell(struct cli *cli)
{
    struct job *j, *next, **v = NULL;
    int i, n = 0;

    for (j = cli->jobs; j; j = job_next(j))
        n++;
    if (!n)
        return out_flush_stdout() < 0 ? AXL_EXIT_FAIL : AXL_EXIT_OK;
    v = calloc(n, sizeof(*v));
    if (!v)
        return error("jobs: out of memory"), AXL_EXIT_FAIL;
    /* cli->jobs is newest first; list them oldest first. */
    for (i = n, j = cli->jobs; j; j = job_next(j))
        v[--i] = j;
    printf("%-5s %-12s %8s  %-20s %s\n", "Job", "State", "Elapsed",
           "Domain", "Command");
    for (i = 0; i < n; i++) {
        struct op *op = job_op(v[i]);
        const char *label = op_label(op);
        char id[16], st[32], dom[64], el[32];
        double ms = job_done(v[i]) ? op_ms_total(op)
                    : (double)(loop_now_ms() - job_started_ms(v[i]));

        snprintf(id, sizeof(id), "[%d]", job_id(v[i]));
        if (op_domid(op) != (uint32_t)INVALID_DOMID)
            snprintf(dom, sizeof(dom), "%s (%u)", label ? label : "?",
                     op_domid(op));
        else
            snprintf(dom, sizeof(dom), "%s", label ? label : "-");
        snprintf(el, sizeof(el), "%.1fs", ms < 0 ? 0.0 : ms / 1000);
        printf("%-5s %-12s %8s  %-20s %s\n", id,
               cmd_jobs_state(v[i], st, sizeof(st)), el, dom,
               job_cmdline(v[i]));
        /* What a running job waits on, as the status line says it. */
        if (!job_done(v[i]) && op_phase(op)[0])
            printf("%-5s %s, %.0f s\n", "", op_phase(op),
                   op_phase_secs(op));
    }
    for (j = cli->jobs; j; j = next) {
        next = job_next(j);
        if (job_done(j))
            job_forget(cli, j);
    }
    free(v);
    return out_flush_stdout() < 0 ? AXL_EXIT_FAIL : AXL_EXIT_OK;
}

/* Every axl operation on the host, this process's own first. */
static int cmd_jobs_all(struct cli *cli, bool as_json)
{
    struct ctl_job *v;
    struct json j;
    char id[32], dom[160];
    int n, i, k;

    n = ctl_list_all(cli, &v, CTL_LIST_MS, false);
    if (n < 0)
        return AXL_EXIT_FAIL;
    /*
     * Operations in flight: another process's finished one (a monitor
     * keeps its last) is jobs --done's; a shell's own stays until said.
     */
    for (i = k = 0; i < n; i++)
        if (v[i].pid == getpid() || strcmp(v[i].state, "done"))
            v[k++] = v[i];
    n = k;
    if (as_json) {
        json_init(&j, stdout);
        json_open(&j, '[');
        for (i = 0; i < n; i++) {
            snprintf(id, sizeof(id), "%d.%d", (int)v[i].pid, v[i].id);
            json_open(&j, '{');
            json_kstr(&j, "id", id);
            json_kstr(&j, "operation", v[i].verb);
            json_kstr(&j, "domain", v[i].label[0] ? v[i].label : NULL);
            json_key(&j, "domid");
            if (v[i].domid != (uint32_t)INVALID_DOMID)
                json_uint(&j, v[i].domid);
            else
                json_null(&j);
            json_kstr(&j, "state", v[i].state);
            json_kstr(&j, "phase", v[i].phase);
            json_kuint(&j, "elapsed_ms", v[i].elapsed_ms);
            json_kint(&j, "pid", v[i].pid);
            json_kstr(&j, "command", v[i].cmdline);
            json_kbool(&j, "cancellable", v[i].cancellable);
            json_kstr(&j, "why_not", v[i].cancellable ? NULL : v[i].why);
            json_close(&j);
        }
        json_close(&j);
        json_end(&j);
        free(v);
        return out_flush_stdout() < 0 ? AXL_EXIT_FAIL : AXL_EXIT_OK;
    }
    if (n)
        printf("%-12s %-12s %-20s %-11s %8s  %s\n", "Id", "Operation",
               "Domain", "State", "Elapsed", "Owner");
    for (i = 0; i < n; i++) {
        snprintf(id, sizeof(id), "%d.%d", (int)v[i].pid, v[i].id);
        if (v[i].domid != (uint32_t)INVALID_DOMID)
            snprintf(dom, sizeof(dom), "%s (%u)",
                     v[i].label[0] ? v[i].label : "?", v[i].domid);
        else
            snprintf(dom, sizeof(dom), "%s",
                     v[i].label[0] ? v[i].label : "-");
        printf("%-12s %-12s %-20s %-11s %7.1fs  %d %s\n", id, v[i].verb,
               dom, v[i].state, (double)v[i].elapsed_ms / 1000,
               (int)v[i].pid, v[i].cmdline);
        if (v[i].phase[0])
            printf("%-12s %s\n", "", v[i].phase);
        if (!v[i].cancellable && strcmp(v[i].state, "done"))
            printf("%-12s cannot be cancelled: %s\n", "", v[i].why);
    }
    free(v);
    return out_flush_stdout() < 0 ? AXL_EXIT_FAIL : AXL_EXIT_OK;
}

static int cmd_jobs_run(struct cli *cli, struct cmd_call *call)
{
    bool as_json = cmd_flag(call, "json") > 0;
    unsigned long count = 20;

    if (cmd_opt(call, "count") &&
        parse_uint(cmd_opt(call, "count"), 1000000, &count) < 0)
        return error("jobs: invalid value '%s' for --count (a number; 0: "
                     "all)", cmd_opt(call, "count")), AXL_EXIT_USAGE;
    if (cmd_flag(call, "done"))
        return ctl_show_done((int)count, as_json);
    if (cmd_opt(call, "count"))
        return error("jobs: --count goes with --done"), AXL_EXIT_USAGE;

    if (cli->interactive && !cmd_flag(call, "all")) {
        if (as_json)
            return error("jobs: --json goes with --all"), AXL_EXIT_USAGE;
        return cmd_jobs_shell(cli);
    }
    return cmd_jobs_all(cli, as_json);
}

static const struct cmd_opt cmd_jobs_opts[] = {
    { 'a', "all", NULL, "every axl operation on this host, from every axl "
      "process (the default outside the shell)" },
    { 'd', "done", NULL, "the last finished operations on this host: "
      "outcome, who cancelled, time in each phase, bytes for a stream" },
    { 'n', "count", "N", "with --done: the last N (default 20; 0: all "
      "the record keeps)" },
    { 0, "json", NULL, "with --all or --done: a JSON array" },
    { 0 },
};

const struct cmd_entry cmd_jobs_entry = {
    .name = "jobs",
    .summary = "list the shell's jobs, or every axl operation on the host",
    .usage = "[options]",
    .opts = cmd_jobs_opts,
    .min_args = 0,
    .max_args = 0,
    .run = cmd_jobs_run,
};

/* ---- abort and wait ---- */

/* Cancel the shell's job spec names (force: as a second Ctrl-C). */
static int cmd_abort_local(struct cli *cli, const char *spec, bool force)
{
    struct job *job = cmd_jobs_local(cli, "abort", spec);

    if (!job)
        return AXL_EXIT_FAIL;
    if (job_done(job)) {
        note("abort: job %%%d has already finished (status %d)",
             job_id(job), job_status(job));
        return AXL_EXIT_OK;
    }
    job_set_canceller(job, force ? "abort --force in the shell"
                                 : "abort in the shell");
    job_abort(job, OP_WHY_REQUEST);
    if (force)
        job_abort(job, OP_WHY_REQUEST);
    return AXL_EXIT_OK;
}

/* Wait for the shell's job spec names (NULL: every job). */
static int cmd_wait_local(struct cli *cli, const char *spec)
{
    struct job *job = NULL;

    if (spec && !(job = cmd_jobs_local(cli, "wait", spec)))
        return AXL_EXIT_FAIL;
    return shell_wait(cli, job);
}

/*
 * Ask the owner of spec's operation to cancel it (verb "abort" or
 * "force") or to say when it ends ("wait"), and wait for the end.
 */
static int cmd_jobs_reach(struct cli *cli, struct cmd_call *call,
                          const char *cmd, const char *verb,
                          const char *spec)
{
    struct ctl_job one;
    uint64_t timeout_ms = 0;
    char last[600], *line, *save = NULL;
    int status = AXL_EXIT_FAIL, r;

    if (cmd_timeout_opt(call, &timeout_ms) < 0)
        return AXL_EXIT_USAGE;
    if (!timeout_ms && strcmp(verb, "wait"))
        timeout_ms = CMD_ABORT_WAIT_MS;
    if (cmd_jobs_remote(cli, cmd, spec, &one) < 0)
        return AXL_EXIT_FAIL;
    /* The shell's own job, named as others name it: act on it here. */
    if (one.pid == getpid()) {
        char own[16];

        snprintf(own, sizeof(own), "%%%d", one.id);
        return strcmp(verb, "wait") ? cmd_abort_local(cli, own,
                                                      !strcmp(verb, "force"))
                                    : cmd_wait_local(cli, own);
    }
    if (strcmp(verb, "wait") && !strcmp(one.state, "done")) {
        error("%s: %s of '%s' (%d.%d) has already finished", cmd, one.verb,
              one.label, (int)one.pid, one.id);
        return AXL_EXIT_FAIL;
    }
    r = ctl_request(one.pid, verb, one.id, timeout_ms, &status, last,
                    sizeof(last));
    if (r < 0)
        return AXL_EXIT_FAIL;
    if (r == 1) {
        error("%s: %s of '%s' (%d.%d) cannot be cancelled: %s", cmd,
              one.verb, one.label, (int)one.pid, one.id, last);
        return AXL_EXIT_FAIL;
    }
    if (r == AXL_EXIT_TIMEOUT) {
        error("%s: %s of '%s' (%d.%d) has not ended after %llu ms", cmd,
              one.verb, one.label, (int)one.pid, one.id,
              (unsigned long long)timeout_ms);
        return AXL_EXIT_TIMEOUT;
    }
    /* What the owner said last, a line each, as it said it. */
    for (line = strtok_r(last, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save))
        note("%d.%d: %s", (int)one.pid, one.id, line);
    if (!strcmp(verb, "wait"))
        return status;
    /* Cancelled: 0; it ended some other way first: 1, and why. */
    if (status == AXL_EXIT_TIMEOUT || status > AXL_EXIT_SIGNAL)
        return AXL_EXIT_OK;
    error("%s: %s of '%s' (%d.%d) had finished before the cancel (status "
          "%d)", cmd, one.verb, one.label, (int)one.pid, one.id, status);
    return AXL_EXIT_FAIL;
}

static int cmd_abort_run(struct cli *cli, struct cmd_call *call)
{
    bool force = cmd_flag(call, "force") > 0;

    if (call->argc == 0) {
        if (!cli->interactive)
            return error("abort: name the operation (PID.N, as 'jobs' "
                         "lists, or a domain)"), AXL_EXIT_USAGE;
        if (!jobs_abort_all(cli, OP_WHY_REQUEST))
            note("abort: nothing is running to cancel");
        return AXL_EXIT_OK;
    }
    if (!cmd_jobs_is_local(cli, call->argv[0]))
        return cmd_jobs_reach(cli, call, "abort", force ? "force" : "abort",
                              call->argv[0]);
    return cmd_abort_local(cli, call->argv[0], force);
}

static const struct cmd_opt cmd_abort_opts[] = {
    { 'f', "force", NULL, "as a second Ctrl-C: abandon the cleanup of a "
      "half-built domain or device too" },
    { 0, "timeout", "DURATION", "wait at most DURATION for the outcome "
      "(default 60s); then exit 124" },
    { 0 },
};

const struct cmd_entry cmd_abort_entry = {
    .name = "abort",
    .summary = "cancel an operation as its own Ctrl-C would, from any "
               "terminal",
    .usage = "[options] [%N | PID.N | <Domain>]",
    .opts = cmd_abort_opts,
    .min_args = 0,
    .max_args = 1,
    .first_arg = CMD_ARG_JOB,
    .flags = CMD_F_CHANGES,
    .run = cmd_abort_run,
};

static int cmd_wait_run(struct cli *cli, struct cmd_call *call)
{
    if (call->argc == 1 && !cmd_jobs_is_local(cli, call->argv[0]))
        return cmd_jobs_reach(cli, call, "wait", "wait", call->argv[0]);
    if (!cli->interactive)
        return error("wait: name the operation (PID.N, as 'jobs' lists, "
                     "or a domain)"), AXL_EXIT_USAGE;
    if (cmd_opt(call, "timeout"))
        return error("wait: --timeout goes with another process's "
                     "operation"), AXL_EXIT_USAGE;
    return cmd_wait_local(cli, call->argc ? call->argv[0] : NULL);
}

static const struct cmd_opt cmd_wait_opts[] = {
    { 0, "timeout", "DURATION", "wait at most DURATION; then exit 124 (the "
      "operation runs on)" },
    { 0 },
};

const struct cmd_entry cmd_wait_entry = {
    .name = "wait",
    .summary = "wait for an operation to end; its status is wait's",
    .usage = "[options] [%N | PID.N | <Domain>]",
    .opts = cmd_wait_opts,
    .min_args = 0,
    .max_args = 1,
    .first_arg = CMD_ARG_JOB,
    .run = cmd_wait_run,
};

/* ---- await: a domain reaches a state ---- */

enum cmd_await { CMD_AWAIT_GONE, CMD_AWAIT_RUNNING, CMD_AWAIT_SHUTDOWN };

/*
 * Whether the domain spec names is in the state awaited; a domain that
 * does not exist (yet, or any more) is gone, and shut down too.
 */
static bool cmd_await_reached(libxl_ctx *ctx, const char *spec,
                              enum cmd_await until)
{
    libxl_dominfo info;
    uint32_t domid;
    bool r;

    if (dom_resolve(ctx, spec, &domid))
        return until != CMD_AWAIT_RUNNING;
    libxl_dominfo_init(&info);
    if (libxl_domain_info(ctx, &info, domid)) {
        libxl_dominfo_dispose(&info);
        return until != CMD_AWAIT_RUNNING;
    }
    switch (until) {
    case CMD_AWAIT_RUNNING:
        r = (info.running || info.blocked) && !info.paused &&
            !info.shutdown && !info.dying;
        break;
    case CMD_AWAIT_SHUTDOWN:
        r = info.shutdown || info.dying;
        break;
    default:
        r = false;
        break;
    }
    libxl_dominfo_dispose(&info);
    return r;
}

static int cmd_await_run(struct cli *cli, struct cmd_call *call)
{
    static const char *const names[] = { "gone", "running", "shutdown" };
    const char *until = cmd_opt(call, "until");
    uint64_t timeout_ms = 0, end;
    enum cmd_await u;
    libxl_ctx *ctx;

    if (cmd_timeout_opt(call, &timeout_ms) < 0)
        return AXL_EXIT_USAGE;
    if (!until)
        return error("await: --until=gone|running|shutdown is needed"),
               AXL_EXIT_USAGE;
    for (u = CMD_AWAIT_GONE; u <= CMD_AWAIT_SHUTDOWN; u++)
        if (!strcmp(until, names[u]))
            break;
    if (u > CMD_AWAIT_SHUTDOWN)
        return error("await: invalid value '%s' for --until (gone, running "
                     "or shutdown)", until), AXL_EXIT_USAGE;
    ctx = cli_libxl(cli);
    if (!ctx)
        return AXL_EXIT_FAIL;
    /* A look every 100 ms costs a hypercall, no xenstore: Ctrl-C ends it. */
    end = timeout_ms ? loop_now_ms() + timeout_ms : 0;
    while (!cmd_await_reached(ctx, call->argv[0], u)) {
        if (end && loop_now_ms() >= end) {
            error("await: domain '%s' is not %s after %llu ms",
                  call->argv[0], names[u], (unsigned long long)timeout_ms);
            return AXL_EXIT_TIMEOUT;
        }
        poll(NULL, 0, 100);
    }
    return AXL_EXIT_OK;
}

static const struct cmd_opt cmd_await_opts[] = {
    { 'u', "until", "STATE", "gone, running or shutdown", NULL,
      "gone|running|shutdown" },
    { 0, "timeout", "DURATION", "wait at most DURATION; then exit 124" },
    { 0 },
};

const struct cmd_entry cmd_await_entry = {
    .name = "await",
    .summary = "wait until a domain is gone, running or shut down (for "
               "scripts)",
    .usage = "--until=STATE [options] <Domain>",
    .opts = cmd_await_opts,
    .min_args = 1,
    .max_args = 1,
    .first_arg = CMD_ARG_DOMAIN,
    .run = cmd_await_run,
};
