/*
 * cli: what every command handler sees - the loop, the libxl context
 * (opened on demand), the user's global options and the running jobs.
 */
#ifndef AXL_CLI_H
#define AXL_CLI_H

#include <stdbool.h>
#include <stdint.h>

#include "../core/log.h"
#include "../core/loop.h"
#include "../core/op.h"

/*
 * A handler's return value when it started a job that is still running:
 * a value of its own, never an exit status and never what error()
 * returns (-1), so that a handler returning error() by mistake fails
 * (status 1) instead of waiting for a job that never started.
 */
#define CMD_PENDING (-4096)

struct job;

/*
 * What lasts for the whole run.  A command's own options belong to its
 * call and its job (job_set_quiet(), job_set_verbose()), never here.
 */
struct con_child;
struct cli_sig_hook;
struct shell;
struct ctl;

struct cli {
    struct loop *lp;
    struct log_sink *log;
    int verbose;            /* the global -v count */
    bool timings;           /* --timings: report op timings */
    bool dry_run;           /* global -N, as xl -N */
    bool interactive;       /* inside the shell */
    bool quiet_orphans;     /* opening libxl does not report leftovers */
    bool background;        /* the line being run ends with '&' */
    const char *cmdline;    /* the line being run, for `jobs` */
    struct esc esc;         /* the one-shot command's signals */
    int exit_signal;        /* die of this signal at exit (128+N) */
    struct job *jobs;       /* newest first */
    int next_job_id;
    /*
     * Work that is not a job and keeps a one-shot run going (the domain
     * monitor): cli_hold() and cli_release(); see cli_idle().
     */
    int holds;
    bool held;              /* something held: its status is the run's */
    int hold_status;
    /* What has a say on a signal before the jobs: cli_sig_hook_add(). */
    struct cli_sig_hook *sig_hooks;
    /* Console clients creates wait on (cmd_console.c), newest first. */
    struct con_child *con_waiting;
    /* The shell running on this cli (shell_main()), or NULL. */
    struct shell *shell;
    /* Where other axl processes reach the jobs (ctl.c), or NULL. */
    struct ctl *ctl;
    /* The shell sets this to learn when a background job finishes. */
    void (*job_done_hook)(struct cli *cli, struct job *job);
};

/*
 * The libxl context, opened on first use.  Returns NULL after reporting
 * why it cannot be opened (e.g. not running on a Xen host).
 */
libxl_ctx *cli_libxl(struct cli *cli);

/*
 * A say on a cancelling signal before the jobs get it, for work that
 * holds the run (the monitor stops watching, a console client is ended):
 * fn returns true if it took the signal.  Each holder adds its own hook
 * (owned by it) and removes it when it ends; newest first.  A signal a
 * hook took still counts toward the third, which ends axl at once.
 */
struct cli_sig_hook {
    bool (*fn)(struct cli *cli, int signo, void *user);
    void *user;
    struct cli_sig_hook *next;
};
void cli_sig_hook_add(struct cli *cli, struct cli_sig_hook *h);
void cli_sig_hook_remove(struct cli *cli, struct cli_sig_hook *h);
/* Ask every hook; true if one took the signal (each is asked). */
bool cli_sig_hooks_run(struct cli *cli, int signo);

/*
 * Keep the one-shot run going until the matching cli_release().  A
 * status >= 0 given to cli_release() becomes the run's exit status (the
 * monitor's outcome); -1 leaves it to the jobs (a console that follows a
 * create).
 */
void cli_hold(struct cli *cli);
void cli_release(struct cli *cli, int status);
/*
 * How a child axl made ends when its setup fails (proc_spec's end):
 * _exit(status), the child's only way out before exec.
 */
void cli_child_end(int status);
/* For loop_run_until(): every job is done and nothing holds the run. */
bool cli_idle(void *cli);

/*
 * Jobs: an op run on behalf of one command.  job_new() makes the job and
 * its op (kind, label as op_new()); configure op with job_op(), then
 * job_run().  The job stays on cli->jobs until job_forget().
 */
struct job *job_new(struct cli *cli, enum op_kind kind, const char *label);
struct op *job_op(struct job *job);
struct cli *job_cli(struct job *job);

/* The job's own -q: no progress lines from it. */
void job_set_quiet(struct job *job, bool quiet);
/*
 * The job's own -v count: libxl's log shows what the most verbose job
 * running (or the global -v) asks for, and falls back when it is done.
 */
void job_set_verbose(struct job *job, int verbose);

/*
 * Called when the job's op is done, before the job's status is final:
 * fn may print the command's output and returns the status to keep
 * (status is the op's).  For commands that print what their op found.
 * fn may instead return CMD_PENDING, for work of its own that follows
 * the op (a create's monitor, which says when it watches): the job is
 * then not done, and nothing waiting for it goes on, until fn's work
 * calls job_finish().
 */
typedef int job_done_fn(struct job *job, int status, void *user);
void job_on_done(struct job *job, job_done_fn *fn, void *user);
/*
 * The end of the work a job_done_fn left pending: the job is done, with
 * status.  Called from the loop, once.
 */
void job_finish(struct job *job, int status);

/*
 * Start the job's op with an optional timeout (0: none).  Returns
 * CMD_PENDING while it runs, or its exit status if it is already done.
 */
int job_run(struct job *job, uint64_t timeout_ms);

bool job_done(const struct job *job);
/* The job's exit status: 0, 1, 124 or 128+N.  Valid once done. */
int job_status(const struct job *job);
int job_id(const struct job *job);
/* "running", "cancelling", "cleaning up" or "done", as jobs say it. */
const char *job_state_word(const struct job *job);
/* The last message its op said ("... cancelled; nothing is left"). */
const char *job_last(const struct job *job);
/*
 * Who asked for the job's cancel when no signal did ("axl abort, pid
 * 4242"), for the record of finished operations; the first one counts.
 */
void job_set_canceller(struct job *job, const char *who);
const char *job_canceller(const struct job *job);
const char *job_cmdline(const struct job *job);
bool job_background(const struct job *job);
uint64_t job_started_ms(const struct job *job);
/* The next job on cli->jobs (older), or NULL. */
struct job *job_next(const struct job *job);
/* Let a foreground job go on in the background (the shell's third ^C). */
void job_set_background(struct job *job, bool background);
/* Unlink and free a finished job. */
void job_forget(struct cli *cli, struct job *job);

/* Whether every job on cli->jobs is done. */
bool jobs_all_done(void *cli);
/* Someone has begun to follow every job (`axl event`): see op_look_now(). */
void jobs_look_now(struct cli *cli);

/*
 * The status of a command that ran the n jobs in v (NULL: every job, in
 * the order they were made): the first failure, else 0.  If that is a
 * cancel by a signal and e counted signals, the signal e ranks first
 * (esc.h) is the one reported, so that a SIGTERM during a Ctrl-C's
 * cleanup reads 143 whichever job it reached.  The one status rule of
 * the one-shot command and the shell's lines alike.
 */
int jobs_status(struct cli *cli, const struct esc *e, struct job *const *v,
                int n);

/*
 * The final step of an escalation that leaves: say what each running
 * job leaves, take down the status line, die of signo (128+N).
 */
void jobs_exit_now(struct cli *cli, int signo) __attribute__((noreturn));

/*
 * Cancel every job still running, as for signal why (see op_abort()).
 * Returns how many jobs were asked to cancel.
 */
int jobs_abort_all(struct cli *cli, int why);

/* Cancel one job. */
void job_abort(struct job *job, int why);

/*
 * A cancelling signal for the jobs in v (NULL: every job): count it on
 * e and act on its step.  The first cancels them, the second abandons
 * their cleanup; the third is the caller's (final_do names it: "exit at
 * once", "stop waiting") and ESC_FINAL is returned for it to act.  Says
 * each step in one line.  Returns the step, or ESC_NONE if nothing was
 * running (after saying so).
 */
enum esc_step jobs_signal(struct cli *cli, struct esc *e, int signo,
                          struct job *const *v, int n,
                          const char *final_do);

/* For each job still running: one line saying what it leaves (op_left()). */
void jobs_report_left(struct cli *cli);

#endif
