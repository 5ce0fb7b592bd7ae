/*
 * shell: axl's interactive shell and batch mode, on the core's loop.
 *
 * Readline runs in callback mode: the loop watches stdin and feeds
 * rl_callback_read_char(), so the prompt, libxl's events and signals
 * (handed over by the loop; readline catches none) share one thread.
 * While a foreground command runs, the readline handler is removed and
 * stdin is not read: the terminal is back in its normal mode, Ctrl-C
 * reaches us as SIGINT and cancels that command.  Messages printed while
 * the user types go through out's async hooks, which hide the prompt and
 * the line, print, and redraw them.
 *
 * Batch mode reads lines from a file or a pipe through the same loop, so
 * signals are seen between commands too.
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
#include "cmd.h"
#include "complete.h"
#include "out.h"
#include "shell.h"
#include "shell_int.h"
#include "words.h"

/* ---- running a line ---- */

/* The command as `jobs` shows it: the words, without '&' or comment. */
static char *shell_cmdline(const struct words *w)
{
    size_t n = 1;
    char *s;
    int i;

    for (i = 0; i < w->argc; i++)
        n += strlen(w->argv[i]) + 1;
    s = calloc(1, n);
    if (!s)
        return NULL;
    for (i = 0; i < w->argc; i++) {
        if (i)
            strcat(s, " ");
        strcat(s, w->argv[i]);
    }
    return s;
}

static void shell_exec(struct shell *sh, const char *line)
{
    struct cli *cli = sh->cli;
    struct words w;
    enum words_err err;
    struct job *j;
    char *cmdline = NULL;
    int first_id, status;
    unsigned started;

    sh->lineno++;
    if (sh->confirm) {
        shell_confirm(sh, line);
        return;
    }
    err = words_split(line, &w);
    if (sh->tty && line[strspn(line, " \t")])
        shell_history_add(sh, line);
    if (err != WORDS_OK) {
        error("%s", words_strerror(err));
        shell_status(sh, AXL_EXIT_USAGE);
        goto out;
    }
    if (!w.argc) {
        if (w.background) {
            error("'&' needs a command before it");
            shell_status(sh, AXL_EXIT_USAGE);
        }
        goto out;
    }
    cmdline = shell_cmdline(&w);
    first_id = cli->next_job_id;
    started = sh->children_started;
    cli->background = w.background;
    cli->cmdline = cmdline ? cmdline : w.argv[0];
    status = cmd_dispatch(cli, w.argc, w.argv);
    cli->background = false;
    cli->cmdline = NULL;
    if (status == CMD_PENDING && sh->children_started != started)
        goto out;   /* it gave a program the terminal: see shell_child() */

    if (status != CMD_PENDING || sh->n_fg) {
        /* Jobs made and finished at once are done with. */
        struct job *next;

        for (j = cli->jobs; j; j = next) {
            next = job_next(j);
            if (job_id(j) > first_id && job_done(j) && !shell_in_fg(sh, j))
                job_forget(cli, j);
        }
        if (status != CMD_PENDING)
            shell_status(sh, status);
        goto out;
    }
    for (j = cli->jobs; j && job_id(j) > first_id; j = job_next(j)) {
        if (w.background)
            note("[%d] started: %s", job_id(j), job_cmdline(j));
        else
            shell_fg_add(sh, j);
    }
    if (w.background)
        shell_status(sh, AXL_EXIT_OK);
    else
        shell_fg_start(sh, false, false);
out:
    free(cmdline);
    words_free(&w);
}


/*
 * The terminal has gone (its window closed, the ssh link dropped): no
 * more commands can come, and reading would only meet its end again and
 * again.  This is the SIGHUP that comes with it, whichever is seen
 * first: every job is cancelled and the shell exits 129.  With SIGHUP
 * ignored (nohup), it is the end of input instead: the jobs run to
 * their end, then the shell exits.
 */
static void shell_hangup(struct shell *sh)
{
    struct sigaction sa;

    if (sh->hung_up)
        return;
    sh->hung_up = true;
    sh->eof = true;
    sh->confirm = false;
    shell_pause(sh);
    if (sh->die_signal)
        return;                 /* a SIGHUP or SIGTERM came first */
    if (sigaction(SIGHUP, NULL, &sa) == 0 && sa.sa_handler == SIG_IGN) {
        if (!sh->n_fg)
            shell_wait_rest(sh);
        return;
    }
    shell_die(sh, SIGHUP);
}

/* A line readline has read (its handler); NULL on Ctrl-D. */
void shell_line(struct shell *sh, char *line)
{
    if (!line && !isatty(sh->fd)) {
        shell_hangup(sh);
        return;
    }
    if (!line) {
        printf("\n");
        fflush(stdout);
        if (sh->confirm) {
            shell_confirm(sh, "n");
            return;
        }
        shell_quit(sh->cli);
        return;
    }
    sh->in_line = true;
    shell_exec(sh, line);
    sh->in_line = false;
    free(line);
}

/* The loop has turned since the last line: run the next. */
static void shell_batch_next(struct loop *lp, void *user)
{
    struct shell *sh = user;

    (void)lp;
    sh->pump_timer = NULL;
    shell_batch_pump(sh);
}

/*
 * Batch: run the complete lines read so far, while nothing waits.  One
 * line a turn of the loop: a line that starts a job in the background
 * returns once libxl has built its domain, and what libxl has to do
 * for the jobs already started (their devices, their scripts) goes on
 * before the next build, not after a hundred of them.
 */
void shell_batch_pump(struct shell *sh)
{
    if (sh->pump_timer)
        return;             /* the next line is already due */
    while (!sh->n_fg && !sh->quit && !sh->die_signal && !sh->stopped) {
        char *nl = sh->len ? memchr(sh->buf, '\n', sh->len) : NULL;
        size_t n;

        if (!nl && !(sh->eof && sh->len))
            break;
        n = nl ? (size_t)(nl - sh->buf) : sh->len;
        sh->buf[n] = '\0';
        {
            char *line = strdup(sh->buf);

            memmove(sh->buf, sh->buf + n + (nl ? 1 : 0),
                    sh->len - n - (nl ? 1 : 0));
            sh->len -= n + (nl ? 1 : 0);
            if (!line) {
                error("out of memory");
                shell_status(sh, AXL_EXIT_FAIL);
                continue;
            }
            shell_exec(sh, line);
            free(line);
        }
        if (sh->n_fg || sh->quit || sh->die_signal || sh->stopped)
            break;
        sh->pump_timer = loop_timer_add(sh->cli->lp, 0, shell_batch_next, sh);
        if (sh->pump_timer)
            return;
    }
    if (((sh->eof && !sh->len) || sh->stopped) && !sh->n_fg && !sh->quit &&
        !sh->die_signal)
        shell_wait_rest(sh);
}

static void shell_batch_read(struct shell *sh)
{
    ssize_t n;

    if (sh->cap - sh->len < 4096) {
        size_t cap = sh->cap ? 2 * sh->cap : 8192;
        char *b = realloc(sh->buf, cap);

        if (!b) {
            error("out of memory");
            sh->eof = true;
            return;
        }
        sh->buf = b;
        sh->cap = cap;
    }
    n = read(sh->fd, sh->buf + sh->len, sh->cap - sh->len - 1);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return;
    if (n < 0)
        error_errno("cannot read %s", sh->src);
    if (n <= 0) {
        sh->eof = true;
        shell_watch(sh, -1);
        return;
    }
    sh->len += n;
}

void shell_on_input(struct loop *lp, int fd, short revents, void *user)
{
    struct shell *sh = user;

    (void)lp;
    (void)fd;
    if (sh->tty && (revents & (POLLHUP | POLLERR | POLLNVAL))) {
        shell_hangup(sh);
        return;
    }
    if (sh->watch != POLLIN)
        return;             /* watched for its end only */
    if (sh->tty) {
        rl_callback_read_char();
        return;
    }
    shell_batch_read(sh);
    shell_batch_pump(sh);
}


/* ---- the loop ---- */

static bool shell_finished(void *user)
{
    const struct shell *sh = user;

    if (sh->children)
        return false;       /* a console client still has the terminal */
    if (sh->die_signal)
        return jobs_all_done(sh->cli);
    return sh->quit && !sh->n_fg;
}

int shell_main(struct cli *cli, const char *batch, bool keep_going)
{
    struct shell shell = {
        .cli = cli,
        .tty = !batch && isatty(STDIN_FILENO),
        .keep_going = keep_going,
        .fd = STDIN_FILENO,
        .src = batch ? batch : "stdin",
        .watch = -1,
        .prompt = SHELL_PROMPT,
    };
    struct shell *sh = &shell;
    int status = AXL_EXIT_FAIL;

    if (batch) {
        sh->fd = open(batch, O_RDONLY | O_CLOEXEC);
        if (sh->fd < 0) {
            error_errno("cannot open '%s'", batch);
            return AXL_EXIT_FAIL;
        }
    }
    cli->interactive = true;
    cli->shell = sh;
    cli->job_done_hook = shell_job_done;
    cmd_in_shell(true);
    esc_reset(&sh->fg_esc);
    esc_reset(&sh->die_esc);
    loop_on_signal(cli->lp, shell_on_signal, sh);
    /* A command stuck in libxl does not take the shell with it at once. */
    loop_sync_rules(cli->lp, false);
    if (sh->tty) {
        if (loop_catch_signal(cli->lp, SIGWINCH) < 0)
            warn("cannot follow the terminal's size: %s", strerror(errno));
        shell_rl_start(sh);
    }
    shell_resume(sh);
    if (loop_run_until(cli->lp, shell_finished, sh) < 0) {
        error_errno("event loop failed");
        goto out;
    }
    if (sh->die_signal) {
        status = AXL_EXIT_SIGNAL + sh->die_signal;
        cli->exit_signal = sh->die_signal;
    }
    else if (!sh->tty && sh->first_fail)
        status = sh->first_fail;    /* batch: what failed, even if -k */
    else
        status = sh->status;
    /* After its terminal went: what the jobs said there was lost. */
    if (sh->hung_up && status == AXL_EXIT_OK && ferror(stderr))
        status = AXL_EXIT_FAIL;
    if (sh->die_signal)
        note("%s: every job is finished; exiting",
             esc_signame(sh->die_signal));
out:
    shell_pause(sh);
    shell_children_forget(sh);
    if (sh->tty)
        shell_rl_end(sh);
    if (sh->fg_timer)
        loop_timer_cancel(cli->lp, sh->fg_timer);
    if (sh->pump_timer)
        loop_timer_cancel(cli->lp, sh->pump_timer);
    if (batch && sh->fd >= 0)
        close(sh->fd);
    /* Nothing the loop still holds may lead to this shell once it ends. */
    loop_on_signal(cli->lp, NULL, NULL);
    cli->job_done_hook = NULL;
    cli->shell = NULL;
    cmd_in_shell(false);
    free(sh->fg);
    free(sh->buf);
    if (out_flush_stdout() < 0 && status == AXL_EXIT_OK)
        status = AXL_EXIT_FAIL;
    return status;
}

