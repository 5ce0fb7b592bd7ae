/*
 * ctl: every axl process that runs operations can be reached by the
 * others, so that `jobs --all`, `abort` and `wait` work from any
 * terminal.  Each such process listens on a socket of its own beside
 * the journal's records (JOURNAL_DIR/ctl-PID, root's directory, mode
 * 0700), made when it makes its first job and removed when it ends; a
 * process killed with SIGKILL leaves it, and the next client to find
 * it dead removes it.
 *
 * The requests are words, one message each (SOCK_SEQPACKET):
 *   list           one message per job, then "end"
 *   abort N        cancel job N as the owner's own Ctrl-C would (its
 *   force N        --on-cancel applies; force: as a second Ctrl-C):
 *                  "ok", or "no REASON", then "done STATUS\tLAST" when
 *                  the job ends
 *   wait N         "done STATUS\tLAST" when job N ends
 *   events         "ok", then a message per job event from now on:
 *                  "ev\tWHAT\tN\tVERB\tLABEL\tDOMID\tDETAIL"
 * A request reaches the job through the same call as a signal does
 * (job_abort()): there is one cancel path.
 */
#ifndef AXL_CTL_H
#define AXL_CTL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct cli;
struct job;

/*
 * Listen for other processes, once (later calls do nothing).  Called
 * when the process makes its first job.  A socket that cannot be made
 * is said once as a warning: the process works on, unreachable.
 */
void ctl_listen(struct cli *cli);
/* Stop listening and remove the socket (the process ends). */
void ctl_close(struct cli *cli);
/* In a child that runs on without exec: the socket is not its to remove. */
void ctl_child(void);
/*
 * A job has ended: its watchers (abort, wait) hear how, and the record
 * of finished operations (/var/lib/axl/done, or AXL_STATE_DIR/done: one
 * JSON line each, root's, 0600; past 256 KiB it becomes done.1) gains
 * its line.
 */
void ctl_job_done(struct cli *cli, struct job *job);
/* Whether a subscriber (`axl event`) follows every job's phases now. */
bool ctl_watching(const struct cli *cli);
/*
 * Tell every `axl event` listening what a job does: "start", "phase"
 * (detail: what it waits on now), "cancel" (detail: who asked), "end"
 * (detail: its status and last message).
 */
void ctl_job_event(struct cli *cli, struct job *job, const char *what,
                   const char *detail);
/*
 * The record of finished operations (ctl_done.c).  ctl_log_done():
 * append the finished job j's line (ctl_job_done() calls it).
 * `jobs --done`: the last count finished operations (0: all the record
 * keeps), as a table or a JSON array.  The status of the command.
 */
void ctl_log_done(struct job *j);
int ctl_show_done(int count, bool as_json);

/* One job of another process, as its owner says it (`list`). */
struct ctl_job {
    pid_t pid;              /* the owner */
    int id;                 /* the job's number in its owner */
    uint32_t domid;         /* INVALID_DOMID if none yet */
    char state[16];         /* running, cancelling, cleaning up, done */
    uint64_t elapsed_ms;
    char verb[32];          /* create, save, migrate, ... */
    char label[128];        /* the domain's name, or "" */
    bool cancellable;
    char why[128];          /* why it cannot be cancelled, or "" */
    char phase[200];        /* what it waits on now */
    char cmdline[200];      /* the owner's command line (/proc) */
};

/*
 * Every job of every axl process on this host, this one's (a shell's)
 * first, then the others' by pid, in *v_r (free()).  The others are
 * asked at once, and waited for budget_ms in all; one that does not
 * answer in time is named on stderr unless quiet.  Returns how many, or
 * -1 after reporting (the journal directory is not root's).
 */
#define CTL_LIST_MS 3000    /* jobs --all's budget */
int ctl_list_all(struct cli *cli, struct ctl_job **v_r, int budget_ms,
                 bool quiet);

/*
 * The pids of the other axl processes that listen, lowest first, in
 * *pids_r (free()).  How many, or -1 after reporting.
 */
int ctl_pids(pid_t **pids_r);
/* Listen to pid's job events ("events"): the connection, or -1. */
int ctl_subscribe(pid_t pid);
/*
 * One event from a subscription, as "WHAT\tN\tVERB\tLABEL\tDOMID\tDETAIL"
 * in line: 1; 0 if none is there yet; -1 when the process is gone.
 */
int ctl_event_read(int fd, char *line, size_t len);

/*
 * Send "VERB ID" to pid's process and wait (at most timeout_ms; 0: no
 * limit) for the job to end.  *status_r is the job's status and last
 * (len bytes) its last message, when it ended.  Returns 0 when it ended,
 * 1 when the owner refused (why in last), 124 when the time ran out, -1
 * after reporting a failure to reach it.
 */
int ctl_request(pid_t pid, const char *verb, int id, uint64_t timeout_ms,
                int *status_r, char *last, size_t len);

#endif
