/*
 * shell_rl: the shell's readline side: the prompt and the output that
 * comes while the user types, the history file (kept only where no one
 * else can write), and completion from the command table.
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

/*
 * The shell readline serves: set while its line handler is installed
 * (shell_resume() to shell_pause()), NULL otherwise.  Readline's
 * callbacks (the line handler, completion and its generator) take no
 * user pointer, so this is how they find their shell; nothing else may
 * use it.  Out's async hooks, which take none either, use it too: they
 * act on readline's line, which is on the screen only while it is set.
 */
static struct shell *shell_rl_sh;

/* ---- the prompt and asynchronous output ---- */

/*
 * Out's async hooks.  While the line just accepted runs, the cursor is
 * already on a fresh line: there is nothing to hide.
 */
static void shell_hide_line(void)
{
    if (shell_rl_sh && !shell_rl_sh->in_line)
        rl_clear_visible_line();
}

static void shell_show_line(void)
{
    if (shell_rl_sh && !shell_rl_sh->in_line)
        rl_forced_update_display();
}

/*
 * Readline's line handler.  The shell is taken before the line runs: a
 * foreground command removes the handler, and shell_rl_sh with it.
 */
static void shell_rl_line(char *line)
{
    shell_line(shell_rl_sh, line);
}

/* Watch the input for events (POLLIN, 0 or -1: see sh->watch). */
void shell_watch(struct shell *sh, int events)
{
    if (sh->watch == events)
        return;
    if (sh->watch >= 0)
        loop_unwatch_fd(sh->cli->lp, sh->fd);
    sh->watch = -1;
    if (events < 0)
        return;
    if (loop_watch_fd(sh->cli->lp, sh->fd, (short)events, shell_on_input,
                      sh) == 0)
        sh->watch = events;
    else if (events)
        error_errno("cannot watch %s", sh->src);
}

/* Read commands again: reinstall readline (which prints the prompt). */
void shell_resume(struct shell *sh)
{
    if (sh->quit || sh->children)
        return;
    if (sh->tty && !sh->prompting && !sh->hung_up) {
        rl_callback_handler_install(sh->prompt, shell_rl_line);
        sh->prompting = true;
        shell_rl_sh = sh;
    }
    if (!sh->eof && !sh->stopped)
        shell_watch(sh, POLLIN);
    else if (sh->watch == 0)
        shell_watch(sh, -1);
    if (!sh->tty)
        shell_batch_pump(sh);
}

/* Stop reading commands while the foreground runs or when leaving. */
void shell_pause(struct shell *sh)
{
    if (sh->prompting) {
        rl_callback_handler_remove();
        sh->prompting = false;
        shell_rl_sh = NULL;
    }
    /*
     * Paused (a foreground command runs), a terminal is still watched
     * for its end: poll reports a hang-up without asking for input, so
     * the end is seen even when no SIGHUP reaches axl (a session leader
     * that catches it and does not pass it on).
     */
    shell_watch(sh, sh->tty && !sh->hung_up && !sh->quit && !sh->die_signal
                        ? 0 : -1);
}

void shell_set_prompt(struct shell *sh, const char *prompt)
{
    sh->prompt = prompt;
    if (sh->prompting)
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
static void shell_history_open(struct shell *sh)
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
    sh->history = path;
    return;
fail:
    free(path);
}

/* Add a line, and append it to the file at once: a crash loses nothing. */
void shell_history_add(struct shell *sh, const char *line)
{
    add_history(line);
    if (!sh->history)
        return;
    if (append_history(1, sh->history) != 0)
        return;
    history_truncate_file(sh->history, SHELL_HISTORY_MAX);
}

/* ---- completion ---- */

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

/* Readline's generator: hands over the candidates computed below. */
static char *shell_cand_next(const char *text, int state)
{
    struct shell_cands *c = &shell_rl_sh->cands;

    (void)text;
    if (!state)
        c->next = 0;
    if (c->next >= c->n)
        return NULL;
    return strdup(c->v[c->next++]);
}

static void shell_cands_clear(struct shell_cands *c)
{
    int i;

    for (i = 0; i < c->n; i++)
        free(c->v[i]);
    free(c->v);
    memset(c, 0, sizeof(*c));
}

/* Readline's completion of the word text at start..end. */
static char **shell_complete(const char *text, int start, int end)
{
    struct shell *sh = shell_rl_sh;
    struct shell_cands *c = &sh->cands;
    struct words w;
    char *head = strndup(rl_line_buffer, start);
    char **v = NULL, **matches = NULL;
    enum complete_more more;
    int i, n;

    (void)end;
    rl_attempted_completion_over = 1;
    shell_cands_clear(c);
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
    loop_sync_begin(sh->cli->lp);
    more = complete_words(sh->cli, n, v, n - 1, shell_cand_add, c);
    loop_sync_end(sh->cli->lp);
    if (more == COMPLETE_FILES && !c->n) {
        rl_attempted_completion_over = 0;   /* readline's file names */
        goto out;
    }
    if (!c->n)
        goto out;
    if (c->n == 1) {
        const char *only = c->v[0];

        if (only[0] && only[strlen(only) - 1] == '=')
            rl_completion_suppress_append = 1;
    }
    matches = rl_completion_matches(text, shell_cand_next);
out:
    free(v);
    words_free(&w);
    return matches;
}

/* ---- setting up and ending ---- */

/* Readline's settings are the process's: they are set for each shell. */
void shell_rl_start(struct shell *sh)
{
    rl_readline_name = "axl";
    rl_catch_signals = 0;
    rl_catch_sigwinch = 0;
    rl_change_environment = 0;
    rl_attempted_completion_function = shell_complete;
    rl_completer_quote_characters = "'\"";
    rl_filename_quote_characters = " \t\n\"\\'`@$><=;|&{(";
    shell_history_open(sh);
    out_set_async_hooks(shell_hide_line, shell_show_line);
}

/* Out's hooks would lead to a shell that is gone: taken down first. */
void shell_rl_end(struct shell *sh)
{
    out_set_async_hooks(NULL, NULL);
    shell_cands_clear(&sh->cands);
    free(sh->history);
    sh->history = NULL;
}
