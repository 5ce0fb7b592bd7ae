/*
 * shell_int: the shell's state and what its files share: cli/shell.c
 * (running lines, batch input, the loop), cli/shell_rl.c (readline: the
 * prompt, asynchronous output, history, completion) and cli/shell_fg.c
 * (the foreground jobs, and signals).  Not for anything else.
 */
#ifndef AXL_SHELL_INT_H
#define AXL_SHELL_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "../core/esc.h"
#include "cli.h"

#define SHELL_PROMPT       "axl> "
#define SHELL_HISTORY_MAX  1000

/* Completion's candidates, which readline's generator hands over. */
struct shell_cands {
    char **v;
    int n, cap, next;
};

/*
 * One shell: shell_main() owns it (on its stack) and every function here
 * is given it; cli->shell leads to it from the commands while it runs.
 */
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
    struct loop_timer *pump_timer; /* batch: the next line, next turn */

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
    struct shell_cands cands; /* the last completion's */
    /* The programs that have the terminal (console clients): a create -c
     * in the background may start one while another runs.  Commands are
     * read again, and the shell ends, only once all have ended. */
    struct shell_child_watch *children;
    unsigned children_started;  /* how many, ever: did a command start one? */
};

/* ---- shell_rl.c ---- */

/*
 * Readline for sh (a terminal): its settings, the history file, out's
 * async hooks; shell_rl_end() undoes them when sh ends.
 */
void shell_rl_start(struct shell *sh);
void shell_rl_end(struct shell *sh);
/* Read input when events (POLLIN), or only watch for its end (0). */
void shell_watch(struct shell *sh, int events);
/* Prompt and read again; stop reading (a foreground command runs). */
void shell_resume(struct shell *sh);
void shell_pause(struct shell *sh);
void shell_set_prompt(struct shell *sh, const char *prompt);
/* Add a line to the history, and to its file if there is one. */
void shell_history_add(struct shell *sh, const char *line);

/* ---- shell_fg.c ---- */

/* Whether job is one the shell waits for before reading on. */
bool shell_in_fg(const struct shell *sh, const struct job *job);
int shell_fg_add(struct shell *sh, struct job *job);
/* Run the foreground: `wait` (is_wait), or the end of input (quiet). */
int shell_fg_start(struct shell *sh, bool is_wait, bool quiet);
/* The last command's status: $? of the shell, and batch's stop. */
void shell_status(struct shell *sh, int status);
/* At the end of input: wait for the jobs still running. */
void shell_wait_rest(struct shell *sh);
/* The shell ends with console clients still watched: they outlive it. */
void shell_children_forget(struct shell *sh);
/* The answer to "quit anyway?". */
void shell_confirm(struct shell *sh, const char *line);
/* A job has finished (cli->job_done_hook; the shell is cli->shell). */
void shell_job_done(struct cli *cli, struct job *job);
/* A signal, from the loop (loop_on_signal(); user is the shell). */
void shell_on_signal(struct loop *lp, int signo, void *user);
/* SIGTERM or SIGHUP: cancel everything, then exit by signo. */
void shell_die(struct shell *sh, int signo);

/* ---- shell.c ---- */

/* A line the user typed (from readline's handler), or NULL at the end. */
void shell_line(struct shell *sh, char *line);
/* Batch: run the complete lines read so far. */
void shell_batch_pump(struct shell *sh);
/* Input is readable, or gone (loop_watch_fd(); user is the shell). */
void shell_on_input(struct loop *lp, int fd, short revents, void *user);

#endif
