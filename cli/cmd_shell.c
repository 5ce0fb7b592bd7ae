/*
 * cmd_shell: the shell's commands - jobs, abort, wait, quit - and the
 * hidden __complete that bash's completion calls.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/status.h"
#include "cmd.h"
#include "complete.h"
#include "out.h"
#include "parse.h"
#include "shell.h"

/* The shell's commands mean nothing to a one-shot axl. */
/* Find the job "%N" (or "N") names; NULL after reporting. */
static struct job *cmd_shell_job(struct cli *cli, const char *cmd,
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

static const char *cmd_jobs_state(const struct job *job, char *buf,
                                  size_t n)
{
    if (job_done(job)) {
        snprintf(buf, n, "done (%d)", job_status(job));
        return buf;
    }
    switch (op_state(job_op((struct job *)job))) {
    case OP_ABORTING:
        return "cancelling";
    case OP_CLEANING:
        return "cleaning up";
    default:
        return "running";
    }
}

static int cmd_jobs_run(struct cli *cli, struct cmd_call *call)
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
    /* A finished job is listed once, as a shell's `jobs` does. */
    for (j = cli->jobs; j; j = next) {
        next = job_next(j);
        if (job_done(j))
            job_forget(cli, j);
    }
    free(v);
    return out_flush_stdout() < 0 ? AXL_EXIT_FAIL : AXL_EXIT_OK;
}

const struct cmd_entry cmd_jobs_entry = {
    .name = "jobs",
    .summary = "list the shell's jobs and what they are doing",
    .usage = "",
    .min_args = 0,
    .max_args = 0,
    .flags = CMD_F_SHELL,
    .run = cmd_jobs_run,
};

static int cmd_abort_run(struct cli *cli, struct cmd_call *call)
{
    struct job *job;

    if (call->argc == 0) {
        if (!jobs_abort_all(cli, OP_WHY_REQUEST))
            note("abort: nothing is running to cancel");
        return AXL_EXIT_OK;
    }
    job = cmd_shell_job(cli, "abort", call->argv[0]);
    if (!job)
        return AXL_EXIT_FAIL;
    if (job_done(job)) {
        note("abort: job %%%d has already finished (status %d)",
             job_id(job), job_status(job));
        return AXL_EXIT_OK;
    }
    job_abort(job, OP_WHY_REQUEST);
    return AXL_EXIT_OK;
}

const struct cmd_entry cmd_abort_entry = {
    .name = "abort",
    .summary = "cancel job %N as Ctrl-C would, or every running job",
    .usage = "[%N]",
    .min_args = 0,
    .max_args = 1,
    .first_arg = CMD_ARG_JOB,
    .flags = CMD_F_SHELL,
    .run = cmd_abort_run,
};

static int cmd_wait_run(struct cli *cli, struct cmd_call *call)
{
    struct job *job = NULL;

    if (call->argc == 1) {
        job = cmd_shell_job(cli, "wait", call->argv[0]);
        if (!job)
            return AXL_EXIT_FAIL;
    }
    return shell_wait(cli, job);
}

const struct cmd_entry cmd_wait_entry = {
    .name = "wait",
    .summary = "wait for job %N, or for every job",
    .usage = "[%N]",
    .min_args = 0,
    .max_args = 1,
    .first_arg = CMD_ARG_JOB,
    .flags = CMD_F_SHELL,
    .run = cmd_wait_run,
};

static int cmd_quit_run(struct cli *cli, struct cmd_call *call)
{
    return shell_quit(cli);
}

const struct cmd_entry cmd_quit_entry = {
    .name = "quit",
    .summary = "leave the shell (asks first if jobs are running)",
    .usage = "",
    .min_args = 0,
    .max_args = 0,
    .flags = CMD_F_SHELL,
    .run = cmd_quit_run,
};

const struct cmd_entry cmd_exit_entry = {
    .name = "exit",
    .summary = "leave the shell, as quit",
    .usage = "",
    .min_args = 0,
    .max_args = 0,
    .flags = CMD_F_SHELL,
    .run = cmd_quit_run,
};

static int cmd_shell_run(struct cli *cli, struct cmd_call *call)
{
    if (cli->interactive)
        return error("shell: already in the shell"), AXL_EXIT_USAGE;
    return shell_main(cli, NULL, false);
}

const struct cmd_entry cmd_shell_entry = {
    .name = "shell",
    .summary = "start the interactive shell",
    .usage = "",
    .min_args = 0,
    .max_args = 0,
    .run = cmd_shell_run,
};

static void cmd_complete_print(const char *cand, void *user)
{
    (void)user;
    printf("%s\n", cand);
}

static int cmd_complete_run(struct cli *cli, struct cmd_call *call)
{
    unsigned long cword;
    int nwords = call->argc - 1;

    if (call->argc < 1 || parse_uint(call->argv[0], 4096, &cword) < 0)
        return error("__complete: usage: axl __complete <cword> "
                     "<word>..."), AXL_EXIT_USAGE;
    if ((long)cword > nwords)
        cword = nwords;
    if (complete_words(cli, nwords, call->argv + 1, (int)cword,
                       cmd_complete_print, NULL) == COMPLETE_FILES)
        complete_files((int)cword < nwords ? call->argv[1 + cword] : "",
                       cmd_complete_print, NULL);
    return out_flush_stdout() < 0 ? AXL_EXIT_FAIL : AXL_EXIT_OK;
}

const struct cmd_entry cmd_complete_entry = {
    .name = "__complete",
    .summary = "print completion candidates for words[cword], one a line",
    .usage = "<cword> <word>...",
    .min_args = 0,
    .max_args = -1,
    .flags = CMD_F_HIDDEN | CMD_F_RAW,
    .run = cmd_complete_run,
};
