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
#include "words.h"

#define SHELL_PROMPT       "axl> "
#define SHELL_HISTORY_MAX  1000

struct shell {
    struct cli *cli;
    bool tty;               /* readline on a terminal */
    bool keep_going;
    int fd;                 /* where commands come from */
    const char *src;        /* its name, for messages */
    int lineno;

    int watch;              /* fd watched for: POLLIN (reading), 0 (a
                               terminal's end only), or -1 (not) */
    bool prompting;         /* the readline handler is installed */
    bool in_line;           /* running the line just accepted */
    const char *prompt;

    char *buf;              /* batch: bytes read, not yet run */
    size_t len, cap;
    bool eof;
    bool stopped;           /* batch: a command failed; run no more */

    /* The foreground: jobs the shell waits for before reading on. */
    struct job **fg;
    int n_fg, cap_fg;
    bool fg_wait;           /* set by `wait`: status of the first failure */
    bool fg_quiet;          /* the end-of-input wait: status unchanged */
    struct esc fg_esc;      /* SIGINTs during this foreground */
    struct loop_timer *fg_timer;

    int status;             /* the last command's */
    int first_fail;         /* batch --keep-going: the first failure's */
    bool quit;              /* leave once the foreground is done */
    bool confirm;           /* the next line answers "quit anyway?" */
    int die_signal;         /* SIGTERM/SIGHUP: cancel all, then exit */
    bool hung_up;           /* the terminal has gone */
    struct esc die_esc;

    char *history;          /* the history file, or NULL */
    pid_t child;            /* a program that has the terminal (console) */
};

static struct shell sh;

static void shell_line(char *line);
static void shell_batch_pump(void);

/* ---- the prompt and asynchronous output ---- */

/*
 * Out's async hooks.  While the line just accepted runs, the cursor is
 * already on a fresh line: there is nothing to hide.
 */
static void shell_hide_line(void)
{
    if (sh.prompting && !sh.in_line)
        rl_clear_visible_line();
}

static void shell_show_line(void)
{
    if (sh.prompting && !sh.in_line)
        rl_forced_update_display();
}

static void shell_on_input(struct loop *lp, int fd, short revents,
                           void *user);

/* Watch the input for events (POLLIN, 0 or -1: see sh.watch). */
static void shell_watch(int events)
{
    if (sh.watch == events)
        return;
    if (sh.watch >= 0)
        loop_unwatch_fd(sh.cli->lp, sh.fd);
    sh.watch = -1;
    if (events < 0)
        return;
    if (loop_watch_fd(sh.cli->lp, sh.fd, (short)events, shell_on_input,
                      NULL) == 0)
        sh.watch = events;
    else if (events)
        error_errno("cannot watch %s", sh.src);
}

/* Read commands again: reinstall readline (which prints the prompt). */
static void shell_resume(void)
{
    if (sh.quit || sh.child)
        return;
    if (sh.tty && !sh.prompting && !sh.hung_up) {
        rl_callback_handler_install(sh.prompt, shell_line);
        sh.prompting = true;
    }
    if (!sh.eof && !sh.stopped)
        shell_watch(POLLIN);
    else if (sh.watch == 0)
        shell_watch(-1);
    if (!sh.tty)
        shell_batch_pump();
}

/* Stop reading commands while the foreground runs or when leaving. */
static void shell_pause(void)
{
    if (sh.prompting) {
        rl_callback_handler_remove();
        sh.prompting = false;
    }
    /*
     * Paused (a foreground command runs), a terminal is still watched
     * for its end: poll reports a hang-up without asking for input, so
     * the end is seen even when no SIGHUP reaches axl (a session leader
     * that catches it and does not pass it on).
     */
    shell_watch(sh.tty && !sh.hung_up && !sh.quit && !sh.die_signal ? 0
                                                                     : -1);
}

static void shell_set_prompt(const char *prompt)
{
    sh.prompt = prompt;
    if (sh.prompting)
        rl_set_prompt(prompt);
}

/* ---- history ---- */

static int shell_mkdirs(char *path)
{
    char *p;

    for (p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(path, 0700) < 0 && errno != EEXIST) {
            *p = '/';
            return -1;
        }
        *p = '/';
    }
    return 0;
}

/* Why directory dir (st, from lstat) is not safe, or NULL. */
static const char *shell_dir_unsafe(const char *dir, struct stat *st,
                                    bool last)
{
    /* A symlink of root's (or ours) in a safe directory: where it goes. */
    if (S_ISLNK(st->st_mode)) {
        if (st->st_uid != 0 && st->st_uid != geteuid())
            return "it is another user's symlink";
        if (stat(dir, st) < 0)
            return strerror(errno);
    }
    if (!S_ISDIR(st->st_mode))
        return "it is not a directory";
    if (st->st_uid != geteuid() && (last || st->st_uid != 0))
        return "another user owns it";
    if ((st->st_mode & 022) && (last || !(st->st_mode & S_ISVTX)))
        return "others can write to it";
    return NULL;
}

/*
 * Why path's directories are not safe for a file root writes by name
 * (readline opens the history by its name), or NULL: each, from / down,
 * must be a directory (or root's own symlink to one) that the effective
 * user or root owns and nobody else can write, the last one the user's
 * own.  Under 'sudo -E' or 'su' without '-', HOME is another user's:
 * that user could swap a file there for a symlink to any file root
 * would then append to or truncate.  With made, a directory that does
 * not exist yet ends the check (it is to be made, by this user).
 */
static const char *shell_history_unsafe(const char *path, bool made,
                                        char *why, size_t len)
{
    char *dir = strdup(path), *p, *next;
    struct stat st;
    const char *bad = NULL;

    if (!dir)
        return "out of memory";
    if (dir[0] != '/') {
        free(dir);
        snprintf(why, len, "'%s' is not an absolute path", path);
        return why;
    }
    p = strrchr(dir, '/');
    *p = '\0';
    for (p = dir; p && !bad; p = next) {
        char c;

        next = strchr(p + 1, '/');
        c = next ? *next : '\0';
        if (next)
            *next = '\0';
        if (lstat(dir[0] ? dir : "/", &st) < 0) {
            if (errno == ENOENT && !made) {
                free(dir);
                return NULL;        /* the rest is ours to make */
            }
            bad = strerror(errno);
        } else {
            bad = shell_dir_unsafe(dir[0] ? dir : "/", &st, !next);
        }
        if (bad)
            snprintf(why, len, "'%s': %s", dir[0] ? dir : "/", bad);
        if (next)
            *next = c;
    }
    free(dir);
    return bad ? why : NULL;
}

/* $XDG_STATE_HOME/axl/history, made if need be with mode 0600. */
static void shell_history_open(void)
{
    const char *state = getenv("XDG_STATE_HOME");
    const char *home = getenv("HOME");
    char *path = NULL, why[600];
    struct stat st;
    int fd;

    stifle_history(SHELL_HISTORY_MAX);
    if (state && state[0] == '/')
        fd = asprintf(&path, "%s/axl/history", state);
    else if (home && home[0])
        fd = asprintf(&path, "%s/.local/state/axl/history", home);
    else
        return;
    if (fd < 0)
        return;
    /* Checked before anything is made there, and again after. */
    if (shell_history_unsafe(path, false, why, sizeof(why))) {
        warn("no history is kept in %s: %s", path, why);
        goto fail;
    }
    if (shell_mkdirs(path) < 0) {
        warn("cannot make the directory for %s: %s; no history is kept",
             path, strerror(errno));
        goto fail;
    }
    if (shell_history_unsafe(path, true, why, sizeof(why))) {
        warn("no history is kept in %s: %s", path, why);
        goto fail;
    }
    fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW,
              0600);
    if (fd < 0) {
        warn("cannot open %s: %s; no history is kept", path,
             strerror(errno));
        goto fail;
    }
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
        st.st_uid != geteuid() || st.st_nlink != 1) {
        warn("no history is kept in %s: it is not a file of this user's "
             "alone", path);
        close(fd);
        goto fail;
    }
    fchmod(fd, 0600);
    close(fd);
    read_history(path);
    sh.history = path;
    return;
fail:
    free(path);
}

/* Add a line, and append it to the file at once: a crash loses nothing. */
static void shell_history_add(const char *line)
{
    add_history(line);
    if (!sh.history)
        return;
    if (append_history(1, sh.history) != 0)
        return;
    history_truncate_file(sh.history, SHELL_HISTORY_MAX);
}

/* ---- completion ---- */

struct shell_cands {
    char **v;
    int n, cap, next;
};

static void shell_cand_add(const char *cand, void *user)
{
    struct shell_cands *c = user;
    char *s;

    if (c->n + 1 >= c->cap) {
        int cap = c->cap ? 2 * c->cap : 16;
        char **v = realloc(c->v, cap * sizeof(*v));

        if (!v)
            return;
        c->v = v;
        c->cap = cap;
    }
    s = strdup(cand);
    if (s)
        c->v[c->n++] = s;
}

static struct shell_cands shell_cands;

/* Readline's generator: hands over the candidates computed below. */
static char *shell_cand_next(const char *text, int state)
{
    (void)text;
    if (!state)
        shell_cands.next = 0;
    if (shell_cands.next >= shell_cands.n)
        return NULL;
    return strdup(shell_cands.v[shell_cands.next++]);
}

static void shell_cands_clear(void)
{
    int i;

    for (i = 0; i < shell_cands.n; i++)
        free(shell_cands.v[i]);
    free(shell_cands.v);
    memset(&shell_cands, 0, sizeof(shell_cands));
}

static char **shell_complete(const char *text, int start, int end)
{
    struct words w;
    char *head = strndup(rl_line_buffer, start);
    char **v = NULL, **matches = NULL;
    enum complete_more more;
    int i, n;

    (void)end;
    rl_attempted_completion_over = 1;
    shell_cands_clear();
    if (!head)
        return NULL;
    words_split(head, &w);
    free(head);
    /* Readline strips an opening quote from text; words kept it open. */
    if (w.open_quote && w.argc) {
        free(w.argv[--w.argc]);
        w.argv[w.argc] = NULL;
    }
    n = w.argc + 2;
    v = calloc(n + 1, sizeof(*v));
    if (!v)
        goto out;
    v[0] = "axl";
    for (i = 0; i < w.argc; i++)
        v[i + 1] = w.argv[i];
    v[n - 1] = (char *)text;
    /* Domain names come from libxl, which may hang: stay interruptible. */
    loop_sync_begin(sh.cli->lp);
    more = complete_words(sh.cli, n, v, n - 1, shell_cand_add,
                          &shell_cands);
    loop_sync_end(sh.cli->lp);
    if (more == COMPLETE_FILES && !shell_cands.n) {
        rl_attempted_completion_over = 0;   /* readline's file names */
        goto out;
    }
    if (!shell_cands.n)
        goto out;
    if (shell_cands.n == 1) {
        const char *c = shell_cands.v[0];

        if (c[0] && c[strlen(c) - 1] == '=')
            rl_completion_suppress_append = 1;
    }
    matches = rl_completion_matches(text, shell_cand_next);
out:
    free(v);
    words_free(&w);
    return matches;
}

/* ---- jobs and the foreground ---- */

static bool shell_in_fg(const struct job *job)
{
    int i;

    for (i = 0; i < sh.n_fg; i++)
        if (sh.fg[i] == job)
            return true;
    return false;
}

static int shell_fg_add(struct job *job)
{
    if (shell_in_fg(job))
        return 0;
    if (sh.n_fg == sh.cap_fg) {
        int cap = sh.cap_fg ? 2 * sh.cap_fg : 8;
        struct job **v = realloc(sh.fg, cap * sizeof(*v));

        if (!v)
            return error("out of memory");
        sh.fg = v;
        sh.cap_fg = cap;
    }
    sh.fg[sh.n_fg++] = job;
    return 0;
}

static bool shell_fg_all_done(void)
{
    int i;

    for (i = 0; i < sh.n_fg; i++)
        if (!job_done(sh.fg[i]))
            return false;
    return true;
}

/* A command's status: remembered, shown after a failure, may stop. */
static void shell_status(int status)
{
    sh.status = status;
    if (!status || sh.quit)
        return;
    if (!sh.first_fail)
        sh.first_fail = status;
    if (sh.tty) {
        char line[32];

        snprintf(line, sizeof(line), "[status %d]", status);
        out_line(line);
        return;
    }
    if (!sh.keep_going) {
        note("%s:%d: stopping after status %d (--keep-going runs every "
             "line)", sh.src, sh.lineno, status);
        sh.stopped = true;  /* read no further */
        shell_watch(-1);
    }
}

static void shell_wait_rest(void);

/* The foreground is done (from a timer, outside libxl's callbacks). */
static void shell_fg_finish(struct loop *lp, void *user)
{
    int i, status = AXL_EXIT_OK;

    (void)lp;
    (void)user;
    sh.fg_timer = NULL;
    status = jobs_status(sh.cli, sh.fg, sh.n_fg);
    for (i = 0; i < sh.n_fg; i++)
        job_forget(sh.cli, sh.fg[i]);
    sh.n_fg = 0;
    if (!sh.fg_quiet)
        shell_status(status);
    sh.fg_wait = sh.fg_quiet = false;
    if (sh.die_signal)
        return;
    if ((!sh.tty || sh.hung_up) && ((sh.eof && !sh.len) || sh.stopped) &&
        !sh.quit) {
        shell_wait_rest();
        return;
    }
    shell_resume();
}

static void shell_fg_check(void)
{
    if (!sh.n_fg || sh.fg_timer || !shell_fg_all_done())
        return;
    sh.fg_timer = loop_timer_add(sh.cli->lp, 0, shell_fg_finish, NULL);
    if (!sh.fg_timer)
        shell_fg_finish(sh.cli->lp, NULL);
}

/* Make the foreground wait for the jobs listed in fg; pause input. */
static int shell_fg_start(bool is_wait, bool quiet)
{
    sh.fg_wait = is_wait;
    sh.fg_quiet = quiet;
    esc_reset(&sh.fg_esc);
    shell_pause();
    shell_fg_check();
    return CMD_PENDING;
}

/* The program that had the terminal has ended: read commands again. */
static void shell_child_done(struct loop *lp, pid_t pid, int status,
                             void *user)
{
    (void)lp;
    (void)pid;
    sh.child = 0;
    if (user)
        shell_status(WIFEXITED(status) ? WEXITSTATUS(status)
                     : AXL_EXIT_SIGNAL + WTERMSIG(status));
    if (!sh.n_fg)
        shell_resume();
}

int shell_child(struct cli *cli, pid_t pid, bool status_counts)
{
    if (loop_watch_child(cli->lp, pid, shell_child_done,
                         status_counts ? &sh : NULL) < 0) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        return error_errno("cannot wait for process %d", (int)pid),
               AXL_EXIT_FAIL;
    }
    if (!sh.child && pid)
        sh.child = pid;
    shell_pause();
    return CMD_PENDING;
}

/* cli->job_done_hook: runs inside the op's done callback. */
static void shell_job_done(struct cli *cli, struct job *job)
{
    (void)cli;
    if (job_background(job))
        note("[%d] done: %s (status %d)", job_id(job), job_cmdline(job),
             job_status(job));
    shell_fg_check();
}

static int shell_running_jobs(void)
{
    struct job *j;
    int n = 0;

    for (j = sh.cli->jobs; j; j = job_next(j))
        if (!job_done(j))
            n++;
    return n;
}

int shell_wait(struct cli *cli, struct job *job)
{
    struct job *j;

    if (job) {
        if (shell_fg_add(job) < 0)
            return AXL_EXIT_FAIL;
    } else {
        for (j = cli->jobs; j; j = job_next(j))
            if (shell_fg_add(j) < 0)
                return AXL_EXIT_FAIL;
    }
    if (!sh.n_fg)
        return AXL_EXIT_OK;
    return shell_fg_start(true, false);
}

/* End of input: wait for the background jobs still running, then leave. */
static void shell_wait_rest(void)
{
    struct job *j;
    int n = shell_running_jobs();

    if (n) {
        note("waiting for %d background job%s to finish", n,
             n == 1 ? "" : "s");
        for (j = sh.cli->jobs; j; j = job_next(j))
            if (!job_done(j))
                shell_fg_add(j);
        shell_fg_start(true, true);
        return;
    }
    sh.quit = true;
    shell_pause();
}

int shell_quit(struct cli *cli)
{
    int n = shell_running_jobs();

    (void)cli;
    if (n && !sh.tty)
        return error("quit: %d job%s still running: 'wait' for them or "
                     "'abort' them first", n, n == 1 ? " is" : "s are"),
               AXL_EXIT_FAIL;
    if (n) {
        sh.confirm = true;
        shell_set_prompt(n == 1 ? "1 job is running: cancel it and quit? "
                                  "[y/N] "
                                : "jobs are running: cancel them and quit? "
                                  "[y/N] ");
        return sh.status;
    }
    sh.quit = true;
    shell_pause();
    return sh.status;
}

/* The answer to "cancel them and quit?". */
static void shell_confirm(const char *line)
{
    struct job *j;

    sh.confirm = false;
    shell_set_prompt(SHELL_PROMPT);
    line += strspn(line, " \t");
    if (strcasecmp(line, "y") && strcasecmp(line, "yes")) {
        note("not quitting");
        return;
    }
    jobs_abort_all(sh.cli, OP_WHY_REQUEST);
    for (j = sh.cli->jobs; j; j = job_next(j))
        if (!job_done(j))
            shell_fg_add(j);
    sh.quit = true;
    shell_fg_start(true, true);
}

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

static void shell_exec(const char *line)
{
    struct cli *cli = sh.cli;
    struct words w;
    enum words_err err;
    struct job *j;
    char *cmdline = NULL;
    int first_id, status;

    sh.lineno++;
    if (sh.confirm) {
        shell_confirm(line);
        return;
    }
    err = words_split(line, &w);
    if (sh.tty && line[strspn(line, " \t")])
        shell_history_add(line);
    if (err != WORDS_OK) {
        error("%s", words_strerror(err));
        shell_status(AXL_EXIT_USAGE);
        goto out;
    }
    if (!w.argc) {
        if (w.background) {
            error("'&' needs a command before it");
            shell_status(AXL_EXIT_USAGE);
        }
        goto out;
    }
    cmdline = shell_cmdline(&w);
    first_id = cli->next_job_id;
    cli->background = w.background;
    cli->cmdline = cmdline ? cmdline : w.argv[0];
    status = cmd_dispatch(cli, w.argc, w.argv);
    cli->background = false;
    cli->cmdline = NULL;
    if (status == CMD_PENDING && sh.child)
        goto out;   /* a program has the terminal: see shell_child() */

    if (status != CMD_PENDING || sh.n_fg) {
        /* Jobs made and finished at once are done with. */
        struct job *next;

        for (j = cli->jobs; j; j = next) {
            next = job_next(j);
            if (job_id(j) > first_id && job_done(j) && !shell_in_fg(j))
                job_forget(cli, j);
        }
        if (status != CMD_PENDING)
            shell_status(status);
        goto out;
    }
    for (j = cli->jobs; j && job_id(j) > first_id; j = job_next(j)) {
        if (w.background)
            note("[%d] started: %s", job_id(j), job_cmdline(j));
        else
            shell_fg_add(j);
    }
    if (w.background)
        shell_status(AXL_EXIT_OK);
    else
        shell_fg_start(false, false);
out:
    free(cmdline);
    words_free(&w);
}

static void shell_die(int signo);

/*
 * The terminal has gone (its window closed, the ssh link dropped): no
 * more commands can come, and reading would only meet its end again and
 * again.  This is the SIGHUP that comes with it, whichever is seen
 * first: every job is cancelled and the shell exits 129.  With SIGHUP
 * ignored (nohup), it is the end of input instead: the jobs run to
 * their end, then the shell exits.
 */
static void shell_hangup(void)
{
    struct sigaction sa;

    if (sh.hung_up)
        return;
    sh.hung_up = true;
    sh.eof = true;
    sh.confirm = false;
    shell_pause();
    if (sh.die_signal)
        return;                 /* a SIGHUP or SIGTERM came first */
    if (sigaction(SIGHUP, NULL, &sa) == 0 && sa.sa_handler == SIG_IGN) {
        if (!sh.n_fg)
            shell_wait_rest();
        return;
    }
    shell_die(SIGHUP);
}

/* Readline's line handler; line is NULL on Ctrl-D. */
static void shell_line(char *line)
{
    if (!line && !isatty(sh.fd)) {
        shell_hangup();
        return;
    }
    if (!line) {
        printf("\n");
        fflush(stdout);
        if (sh.confirm) {
            shell_confirm("n");
            return;
        }
        shell_quit(sh.cli);
        return;
    }
    sh.in_line = true;
    shell_exec(line);
    sh.in_line = false;
    free(line);
}

/* Batch: run the complete lines read so far, while nothing waits. */
static void shell_batch_pump(void)
{
    while (!sh.n_fg && !sh.quit && !sh.die_signal && !sh.stopped) {
        char *nl = sh.len ? memchr(sh.buf, '\n', sh.len) : NULL;
        size_t n;

        if (!nl && !(sh.eof && sh.len))
            break;
        n = nl ? (size_t)(nl - sh.buf) : sh.len;
        sh.buf[n] = '\0';
        {
            char *line = strdup(sh.buf);

            memmove(sh.buf, sh.buf + n + (nl ? 1 : 0),
                    sh.len - n - (nl ? 1 : 0));
            sh.len -= n + (nl ? 1 : 0);
            if (!line) {
                error("out of memory");
                shell_status(AXL_EXIT_FAIL);
                continue;
            }
            shell_exec(line);
            free(line);
        }
    }
    if (((sh.eof && !sh.len) || sh.stopped) && !sh.n_fg && !sh.quit &&
        !sh.die_signal)
        shell_wait_rest();
}

static void shell_batch_read(void)
{
    ssize_t n;

    if (sh.cap - sh.len < 4096) {
        size_t cap = sh.cap ? 2 * sh.cap : 8192;
        char *b = realloc(sh.buf, cap);

        if (!b) {
            error("out of memory");
            sh.eof = true;
            return;
        }
        sh.buf = b;
        sh.cap = cap;
    }
    n = read(sh.fd, sh.buf + sh.len, sh.cap - sh.len - 1);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return;
    if (n < 0)
        error_errno("cannot read %s", sh.src);
    if (n <= 0) {
        sh.eof = true;
        shell_watch(-1);
        return;
    }
    sh.len += n;
}

static void shell_on_input(struct loop *lp, int fd, short revents,
                           void *user)
{
    (void)lp;
    (void)fd;
    (void)user;
    if (sh.tty && (revents & (POLLHUP | POLLERR | POLLNVAL))) {
        shell_hangup();
        return;
    }
    if (sh.watch != POLLIN)
        return;             /* watched for its end only */
    if (sh.tty) {
        rl_callback_read_char();
        return;
    }
    shell_batch_read();
    shell_batch_pump();
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
static void shell_fg_signal(int signo)
{
    int i;

    if (jobs_signal(sh.cli, &sh.fg_esc, signo, sh.fg, sh.n_fg,
                    "no longer waiting") != ESC_FINAL)
        return;
    for (i = 0; i < sh.n_fg; i++) {
        if (job_done(sh.fg[i]))
            continue;
        job_set_background(sh.fg[i], true);
        shell_report_detached(sh.fg[i]);
    }
    /* The done ones are finished with; the others go on. */
    for (i = 0; i < sh.n_fg; i++)
        if (job_done(sh.fg[i]))
            job_forget(sh.cli, sh.fg[i]);
    sh.n_fg = 0;
    out_status(NULL);       /* the jobs went to the background */
    if (sh.fg_timer) {
        loop_timer_cancel(sh.cli->lp, sh.fg_timer);
        sh.fg_timer = NULL;
    }
    shell_status(AXL_EXIT_SIGNAL + esc_status_signal(&sh.fg_esc));
    if (sh.fg_quiet) {
        /* The end-of-input wait: not waiting any more means leaving. */
        sh.fg_quiet = false;
        sh.quit = true;
        shell_pause();
        return;
    }
    sh.quit = false;    /* a quit that was waiting is given up too */
    shell_resume();
}

/* SIGTERM, SIGHUP: cancel every job, wait for them, exit 128+N. */
static void shell_die(int signo)
{
    enum esc_step step;
    int n = 0;
    struct job *j;

    for (j = sh.cli->jobs; j; j = job_next(j))
        n += !job_done(j);
    if (!n && !sh.die_signal) {
        /* Nothing to cancel: leave now, with the status of the signal. */
        esc_count(&sh.die_esc, signo);
        sh.die_signal = signo;
        sh.quit = true;
        shell_pause();
        return;
    }
    step = jobs_signal(sh.cli, &sh.die_esc, signo, NULL, 0,
                       "exiting at once");
    sh.die_signal = esc_status_signal(&sh.die_esc);
    if (step == ESC_FINAL) {
        shell_pause();
        jobs_exit_now(sh.cli, sh.die_signal);
    }
    if (step != ESC_CANCEL)
        return;
    sh.quit = true;
    shell_pause();
    note("%s: cancelling %d job%s, then exiting", esc_signame(signo), n,
         n == 1 ? "" : "s");
}

/* Ctrl-C at the prompt: drop the line, as a shell does. */
static void shell_clear_line(void)
{
    if (sh.confirm) {
        sh.confirm = false;
        shell_set_prompt(SHELL_PROMPT);
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

static void shell_on_signal(struct loop *lp, int signo, void *user)
{
    (void)lp;
    (void)user;
    if (signo == SIGWINCH) {
        if (sh.prompting)
            rl_resize_terminal();
        return;
    }
    if (signo == SIGHUP && sh.hung_up)
        return;     /* the hang-up was seen on the terminal: taken */
    if (signo == SIGHUP)
        sh.hung_up = true;
    if (signo != SIGINT || sh.die_signal) {
        shell_die(signo);
        return;
    }
    if (sh.n_fg) {
        shell_fg_signal(signo);
        return;
    }
    if (sh.prompting) {
        shell_clear_line();
        return;
    }
    /* Batch, between commands: cancel what runs in the background. */
    jobs_signal(sh.cli, &sh.fg_esc, signo, NULL, 0, "nothing more to do");
}

/* ---- the loop ---- */

static bool shell_finished(void *user)
{
    (void)user;
    if (sh.die_signal)
        return jobs_all_done(sh.cli);
    return sh.quit && !sh.n_fg;
}

static void shell_readline_init(void)
{
    rl_readline_name = "axl";
    rl_catch_signals = 0;
    rl_catch_sigwinch = 0;
    rl_change_environment = 0;
    rl_attempted_completion_function = shell_complete;
    rl_completer_quote_characters = "'\"";
    rl_filename_quote_characters = " \t\n\"\\'`@$><=;|&{(";
    shell_history_open();
    out_set_async_hooks(shell_hide_line, shell_show_line);
}

int shell_main(struct cli *cli, const char *batch, bool keep_going)
{
    int status = AXL_EXIT_FAIL;

    memset(&sh, 0, sizeof(sh));
    sh.watch = -1;
    sh.cli = cli;
    sh.keep_going = keep_going;
    sh.fd = STDIN_FILENO;
    sh.src = batch ? batch : "stdin";
    sh.prompt = SHELL_PROMPT;
    sh.tty = !batch && isatty(STDIN_FILENO);
    if (batch) {
        sh.fd = open(batch, O_RDONLY | O_CLOEXEC);
        if (sh.fd < 0) {
            error_errno("cannot open '%s'", batch);
            return AXL_EXIT_FAIL;
        }
    }
    cli->interactive = true;
    cli->job_done_hook = shell_job_done;
    esc_reset(&sh.fg_esc);
    esc_reset(&sh.die_esc);
    loop_on_signal(cli->lp, shell_on_signal, cli);
    /* A command stuck in libxl does not take the shell with it at once. */
    loop_sync_rules(cli->lp, false);
    if (sh.tty) {
        if (loop_catch_signal(cli->lp, SIGWINCH) < 0)
            warn("cannot follow the terminal's size: %s", strerror(errno));
        shell_readline_init();
    }
    shell_resume();
    if (loop_run_until(cli->lp, shell_finished, NULL) < 0) {
        error_errno("event loop failed");
        goto out;
    }
    if (sh.die_signal) {
        status = AXL_EXIT_SIGNAL + sh.die_signal;
        cli->exit_signal = sh.die_signal;
    }
    else if (!sh.tty && sh.first_fail)
        status = sh.first_fail;     /* batch: what failed, even if -k */
    else
        status = sh.status;
    /* After its terminal went: what the jobs said there was lost. */
    if (sh.hung_up && status == AXL_EXIT_OK && ferror(stderr))
        status = AXL_EXIT_FAIL;
    if (sh.die_signal)
        note("%s: every job is finished; exiting", strsignal(sh.die_signal));
out:
    shell_pause();
    if (sh.tty) {
        out_set_async_hooks(NULL, NULL);
        shell_cands_clear();
    }
    if (sh.fg_timer)
        loop_timer_cancel(cli->lp, sh.fg_timer);
    if (batch && sh.fd >= 0)
        close(sh.fd);
    cli->job_done_hook = NULL;
    free(sh.fg);
    free(sh.buf);
    free(sh.history);
    if (out_flush_stdout() < 0 && status == AXL_EXIT_OK)
        status = AXL_EXIT_FAIL;
    return status;
}
