/*
 * shell_fg: the shell's foreground (the jobs it waits for before it
 * reads on, `wait`, `quit`, a program that has the terminal) and its
 * signals: Ctrl-C cancels the foreground, and only it; SIGTERM and
 * SIGHUP cancel everything, then the shell exits.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <readline/history.h>
#include <readline/readline.h>

#include "../core/status.h"
#include "complete.h"
#include "out.h"
#include "shell.h"
#include "shell_int.h"
#include "words.h"

/* ---- jobs and the foreground ---- */

bool shell_in_fg(const struct shell *sh, const struct job *job)
{
    int i;

    for (i = 0; i < sh->n_fg; i++)
        if (sh->fg[i] == job)
            return true;
    return false;
}

int shell_fg_add(struct shell *sh, struct job *job)
{
    if (shell_in_fg(sh, job))
        return 0;
    if (sh->n_fg == sh->cap_fg) {
        int cap = sh->cap_fg ? 2 * sh->cap_fg : 8;
        struct job **v = realloc(sh->fg, cap * sizeof(*v));

        if (!v)
            return error("out of memory");
        sh->fg = v;
        sh->cap_fg = cap;
    }
    sh->fg[sh->n_fg++] = job;
    return 0;
}

static bool shell_fg_all_done(const struct shell *sh)
{
    int i;

    for (i = 0; i < sh->n_fg; i++)
        if (!job_done(sh->fg[i]))
            return false;
    return true;
}

/* A command's status: remembered, shown after a failure, may stop. */
void shell_status(struct shell *sh, int status)
{
    sh->status = status;
    if (!status || sh->quit)
        return;
    if (!sh->first_fail)
        sh->first_fail = status;
    if (sh->tty) {
        char line[32];

        snprintf(line, sizeof(line), "[status %d]", status);
        out_line(line);
        return;
    }
    if (!sh->keep_going) {
        note("%s:%d: stopping after status %d (--keep-going runs every "
             "line)", sh->src, sh->lineno, status);
        sh->stopped = true;  /* read no further */
        shell_watch(sh, -1);
    }
}


/* The foreground is done (from a timer, outside libxl's callbacks). */
static void shell_fg_finish(struct loop *lp, void *user)
{
    struct shell *sh = user;
    int i, status = AXL_EXIT_OK;

    (void)lp;
    sh->fg_timer = NULL;
    status = jobs_status(sh->cli, &sh->fg_esc, sh->fg, sh->n_fg);
    for (i = 0; i < sh->n_fg; i++)
        job_forget(sh->cli, sh->fg[i]);
    sh->n_fg = 0;
    if (!sh->fg_quiet)
        shell_status(sh, status);
    sh->fg_wait = sh->fg_quiet = false;
    if (sh->die_signal)
        return;
    if ((!sh->tty || sh->hung_up) && ((sh->eof && !sh->len) || sh->stopped) &&
        !sh->quit) {
        shell_wait_rest(sh);
        return;
    }
    shell_resume(sh);
}

static void shell_fg_check(struct shell *sh)
{
    if (!sh->n_fg || sh->fg_timer || !shell_fg_all_done(sh))
        return;
    sh->fg_timer = loop_timer_add(sh->cli->lp, 0, shell_fg_finish, sh);
    if (!sh->fg_timer)
        shell_fg_finish(sh->cli->lp, sh);
}

/* Make the foreground wait for the jobs listed in fg; pause input. */
int shell_fg_start(struct shell *sh, bool is_wait, bool quiet)
{
    sh->fg_wait = is_wait;
    sh->fg_quiet = quiet;
    esc_reset(&sh->fg_esc);
    shell_pause(sh);
    shell_fg_check(sh);
    return CMD_PENDING;
}

/*
 * What the end of a program that has the terminal does, one for each: a
 * create -c in the background may start one while another runs.
 */
struct shell_child_watch {
    struct shell *sh;
    pid_t pid;
    bool status_counts;     /* its exit status is the command's */
    bool watching;          /* inside loop_watch_child(), which may reap */
    bool ended;             /* it ended there: status is its wait status */
    int status;
    struct shell_child_watch *next;     /* on sh->children */
};

static void shell_child_unlist(struct shell *sh, struct shell_child_watch *c)
{
    struct shell_child_watch **pp;

    for (pp = &sh->children; *pp; pp = &(*pp)->next)
        if (*pp == c) {
            *pp = c->next;
            return;
        }
}

/* A program that had the terminal has ended: once all have, read again. */
static void shell_child_done(struct loop *lp, pid_t pid, int status,
                             void *user)
{
    struct shell_child_watch *c = user;
    struct shell *sh = c->sh;
    bool status_counts = c->status_counts;

    (void)lp;
    (void)pid;
    if (!sh) {
        free(c);            /* its shell has ended (shell_children_forget) */
        return;
    }
    if (c->watching) {
        /* Ended before it was watched: shell_child() says so itself. */
        c->ended = true;
        c->status = status;
        return;
    }
    shell_child_unlist(sh, c);
    free(c);
    if (status_counts)
        shell_status(sh, axl_status_of_wait(status));
    if (!sh->children && !sh->n_fg)
        shell_resume(sh);
}

int shell_child(struct cli *cli, pid_t pid, bool status_counts)
{
    struct shell *sh = cli->shell;
    struct shell_child_watch *c = calloc(1, sizeof(*c));
    int status;

    if (c) {
        c->sh = sh;
        c->pid = pid;
        c->status_counts = status_counts;
        c->watching = true;
        /*
         * Listed before it is watched: watching reaps whatever has
         * ended, and another client's end must not find the list empty
         * and read commands again while this one takes the terminal.
         */
        c->next = sh->children;
        sh->children = c;
        sh->children_started++;
    }
    if (!c || loop_watch_child(cli->lp, pid, shell_child_done, c) < 0) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        error_errno("cannot wait for process %d", (int)pid);
        if (c)
            shell_child_unlist(sh, c);
        free(c);
        return AXL_EXIT_FAIL;
    }
    if (c->ended) {
        /* Already gone (a client that could not start): nothing to wait. */
        status = c->status;
        shell_child_unlist(sh, c);
        free(c);
        return status_counts ? axl_status_of_wait(status) : AXL_EXIT_OK;
    }
    c->watching = false;
    shell_pause(sh);
    return CMD_PENDING;
}

void shell_children_forget(struct shell *sh)
{
    struct shell_child_watch *c, *next;

    /* The loop still watches them: their ends free them, shell-less. */
    for (c = sh->children; c; c = next) {
        next = c->next;
        c->sh = NULL;
        c->next = NULL;
    }
    sh->children = NULL;
}

/* cli->job_done_hook: runs inside the op's done callback. */
void shell_job_done(struct cli *cli, struct job *job)
{
    struct shell *sh = cli->shell;

    if (job_background(job))
        note("[%d] done: %s (status %d)", job_id(job), job_cmdline(job),
             job_status(job));
    shell_fg_check(sh);
}

static int shell_running_jobs(const struct shell *sh)
{
    struct job *j;
    int n = 0;

    for (j = sh->cli->jobs; j; j = job_next(j))
        if (!job_done(j))
            n++;
    return n;
}

int shell_wait(struct cli *cli, struct job *job)
{
    struct shell *sh = cli->shell;
    struct job *j;

    if (job) {
        if (shell_fg_add(sh, job) < 0)
            return AXL_EXIT_FAIL;
    } else {
        for (j = cli->jobs; j; j = job_next(j))
            if (shell_fg_add(sh, j) < 0)
                return AXL_EXIT_FAIL;
    }
    if (!sh->n_fg)
        return AXL_EXIT_OK;
    return shell_fg_start(sh, true, false);
}

/* End of input: wait for the background jobs still running, then leave. */
void shell_wait_rest(struct shell *sh)
{
    struct job *j;
    int n = shell_running_jobs(sh);

    if (n) {
        note("waiting for %d background job%s to finish", n,
             n == 1 ? "" : "s");
        for (j = sh->cli->jobs; j; j = job_next(j))
            if (!job_done(j))
                shell_fg_add(sh, j);
        shell_fg_start(sh, true, true);
        return;
    }
    sh->quit = true;
    shell_pause(sh);
}

int shell_quit(struct cli *cli)
{
    struct shell *sh = cli->shell;
    int n = shell_running_jobs(sh);

    if (n && !sh->tty)
        return error("quit: %d job%s still running: 'wait' for them or "
                     "'abort' them first", n, n == 1 ? " is" : "s are"),
               AXL_EXIT_FAIL;
    if (n) {
        sh->confirm = true;
        shell_set_prompt(sh, n == 1
                             ? "1 job is running: cancel it and quit? [y/N] "
                             : "jobs are running: cancel them and quit? "
                               "[y/N] ");
        return sh->status;
    }
    sh->quit = true;
    shell_pause(sh);
    return sh->status;
}

/* The answer to "cancel them and quit?". */
void shell_confirm(struct shell *sh, const char *line)
{
    struct job *j;

    sh->confirm = false;
    shell_set_prompt(sh, SHELL_PROMPT);
    line += strspn(line, " \t");
    if (strcasecmp(line, "y") && strcasecmp(line, "yes")) {
        note("not quitting");
        return;
    }
    jobs_abort_all(sh->cli, OP_WHY_REQUEST);
    for (j = sh->cli->jobs; j; j = job_next(j))
        if (!job_done(j))
            shell_fg_add(sh, j);
    sh->quit = true;
    shell_fg_start(sh, true, true);
}


/* ---- signals ---- */

/* Say what a job still running is doing, when we stop waiting for it. */
static void shell_report_detached(struct job *job)
{
    struct op *op = job_op(job);
    const char *what = op_state(op) == OP_CLEANING ? "cleaning up"
                       : op_state(op) == OP_ABORTING
                           ? "waiting for libxl to stop"
                           : "running";

    if (op_domid(op) != (uint32_t)INVALID_DOMID)
        note("[%d] %s of '%s' is still %s (domain %u); no longer waiting: "
             "'jobs' shows it, its end will be announced", job_id(job),
             op_verb(op), op_label(op) ? op_label(op) : "?", what,
             op_domid(op));
    else
        note("[%d] %s of '%s' is still %s; no longer waiting: 'jobs' shows "
             "it, its end will be announced", job_id(job), op_verb(op),
             op_label(op) ? op_label(op) : "?", what);
}

/* Ctrl-C during the foreground: cancel, abandon cleanup, stop waiting. */
static void shell_fg_signal(struct shell *sh, int signo)
{
    int i;

    if (jobs_signal(sh->cli, &sh->fg_esc, signo, sh->fg, sh->n_fg,
                    "no longer waiting") != ESC_FINAL)
        return;
    for (i = 0; i < sh->n_fg; i++) {
        if (job_done(sh->fg[i]))
            continue;
        job_set_background(sh->fg[i], true);
        shell_report_detached(sh->fg[i]);
    }
    /* The done ones are finished with; the others go on. */
    for (i = 0; i < sh->n_fg; i++)
        if (job_done(sh->fg[i]))
            job_forget(sh->cli, sh->fg[i]);
    sh->n_fg = 0;
    out_status(NULL);       /* the jobs went to the background */
    if (sh->fg_timer) {
        loop_timer_cancel(sh->cli->lp, sh->fg_timer);
        sh->fg_timer = NULL;
    }
    shell_status(sh, AXL_EXIT_SIGNAL + esc_status_signal(&sh->fg_esc));
    if (sh->fg_quiet) {
        /* The end-of-input wait: not waiting any more means leaving. */
        sh->fg_quiet = false;
        sh->quit = true;
        shell_pause(sh);
        return;
    }
    sh->quit = false;    /* a quit that was waiting is given up too */
    shell_resume(sh);
}

/* SIGTERM, SIGHUP: cancel every job, wait for them, exit 128+N. */
void shell_die(struct shell *sh, int signo)
{
    struct shell_child_watch *c;
    enum esc_step step;
    int n = 0;
    struct job *j;

    /* A console client ends with the shell, as with a one-shot create -c. */
    for (c = sh->children; c; c = c->next)
        kill(c->pid, signo);

    for (j = sh->cli->jobs; j; j = job_next(j))
        n += !job_done(j);
    if (!n && !sh->die_signal) {
        /* Nothing to cancel: leave now, with the status of the signal. */
        esc_count(&sh->die_esc, signo);
        sh->die_signal = signo;
        sh->quit = true;
        shell_pause(sh);
        return;
    }
    step = jobs_signal(sh->cli, &sh->die_esc, signo, NULL, 0,
                       "exiting at once");
    sh->die_signal = esc_status_signal(&sh->die_esc);
    if (step == ESC_FINAL) {
        shell_pause(sh);
        jobs_exit_now(sh->cli, sh->die_signal);
    }
    if (step != ESC_CANCEL)
        return;
    sh->quit = true;
    shell_pause(sh);
    note("%s: cancelling %d job%s, then exiting", esc_signame(signo), n,
         n == 1 ? "" : "s");
}

/* Ctrl-C at the prompt: drop the line, as a shell does. */
static void shell_clear_line(struct shell *sh)
{
    if (sh->confirm) {
        sh->confirm = false;
        shell_set_prompt(sh, SHELL_PROMPT);
    }
    rl_free_line_state();
    rl_callback_sigcleanup();
    rl_replace_line("", 0);
    rl_point = rl_end = rl_mark = 0;
    history_set_pos(history_length);
    fputs("^C\n", rl_outstream ? rl_outstream : stdout);
    rl_on_new_line();
    rl_redisplay();
}

void shell_on_signal(struct loop *lp, int signo, void *user)
{
    struct shell *sh = user;

    (void)lp;
    if (signo == SIGWINCH) {
        if (sh->prompting)
            rl_resize_terminal();
        return;
    }
    if (signo == SIGHUP && sh->hung_up)
        return;     /* the hang-up was seen on the terminal: taken */
    if (signo == SIGHUP)
        sh->hung_up = true;
    if (signo != SIGINT || sh->die_signal) {
        shell_die(sh, signo);
        return;
    }
    if (sh->n_fg) {
        shell_fg_signal(sh, signo);
        return;
    }
    if (sh->prompting) {
        shell_clear_line(sh);
        return;
    }
    /* Batch, between commands: cancel what runs in the background. */
    jobs_signal(sh->cli, &sh->fg_esc, signo, NULL, 0, "nothing more to do");
}

