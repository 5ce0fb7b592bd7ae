/*
 * ctl: other axl processes reach this one's jobs, and this one reaches
 * theirs (see ctl.h for the protocol).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include <libxl.h>

#include "../core/esc.h"
#include "../core/journal.h"
#include "../core/loop.h"
#include "../core/status.h"
#include "cli.h"
#include "ctl.h"
#include "json.h"
#include "out.h"

#define CTL_PREFIX "ctl-"
#define CTL_MSG 1024        /* the longest message either way */


/* A client waiting for a job to end (abort, wait). */
struct ctl_watch {
    int fd;
    int job_id;
    struct ctl_watch *next;
};

struct ctl {
    int fd;                     /* the listening socket, or -1 */
    bool tried;                 /* listening was tried (once) */
    struct ctl_watch *watches;
};

/*
 * The socket's name, for the exit that skips ctl_close() (a third
 * signal ends axl at once): per process by nature, as the socket is.
 */
static char ctl_path_atexit[sizeof(((struct sockaddr_un *)0)->sun_path)];

static void ctl_unlink_atexit(void)
{
    if (ctl_path_atexit[0])
        unlink(ctl_path_atexit);
}

/* JOURNAL_DIR/ctl-PID in addr; -1 if it does not fit. */
static int ctl_addr(pid_t pid, struct sockaddr_un *addr)
{
    memset(addr, 0, sizeof(*addr));
    addr->sun_family = AF_UNIX;
    return snprintf(addr->sun_path, sizeof(addr->sun_path), "%s/"
                    CTL_PREFIX "%d", journal_dir(), (int)pid)
                   < (int)sizeof(addr->sun_path) ? 0 : -1;
}

static void ctl_send(int fd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void ctl_send(int fd, const char *fmt, ...)
{
    char msg[CTL_MSG];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (n >= (int)sizeof(msg))
        n = sizeof(msg) - 1;
    /* A client that went away is no matter: nothing waits on it. */
    if (send(fd, msg, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
        return;
}

static struct job *ctl_find(struct cli *cli, int id)
{
    struct job *j;

    for (j = cli->jobs; j; j = job_next(j))
        if (job_id(j) == id)
            return j;
    return NULL;
}

/* Tabs and newlines would break a field: spaces instead. */
static const char *ctl_field(const char *s, char *buf, size_t len)
{
    size_t i;

    snprintf(buf, len, "%s", s ? s : "");
    for (i = 0; buf[i]; i++)
        if (buf[i] == '\t' || buf[i] == '\n')
            buf[i] = ' ';
    return buf;
}

/* What the owner says of one of its jobs, as a client reads it. */
static void ctl_fill(struct job *j, struct ctl_job *c)
{
    struct op *op = job_op(j);
    const char *no = op_no_cancel(op);

    memset(c, 0, sizeof(*c));
    c->pid = getpid();
    c->id = job_id(j);
    c->domid = job_done(j) ? op_domid(op) : op_phase_domid(op);
    snprintf(c->state, sizeof(c->state), "%s", job_state_word(j));
    c->elapsed_ms = job_done(j) ? 0 : loop_now_ms() - job_started_ms(j);
    snprintf(c->verb, sizeof(c->verb), "%s", op_verb(op));
    ctl_field(op_label(op), c->label, sizeof(c->label));
    c->cancellable = !no;
    ctl_field(no, c->why, sizeof(c->why));
    ctl_field(job_done(j) ? "" : op_phase(op), c->phase, sizeof(c->phase));
}

/* This process's jobs, oldest first, into v (room for max); how many. */
static int ctl_own(struct cli *cli, struct ctl_job *v, int max)
{
    struct job *j;
    int n = 0, i;

    for (j = cli->jobs; j; j = job_next(j))
        n++;
    if (n > max)
        n = max;
    /* cli->jobs is newest first. */
    for (i = n - 1, j = cli->jobs; j && i >= 0; j = job_next(j))
        ctl_fill(j, &v[i--]);
    return n;
}

/* "list": each job, oldest first, then "end". */
static void ctl_do_list(struct cli *cli, int fd)
{
    struct ctl_job v[256];
    int n = ctl_own(cli, v, 256), i;

    for (i = 0; i < n; i++)
        ctl_send(fd, "job\t%d\t%s\t%llu\t%u\t%s\t%s\t%d\t%s\t%s",
                 v[i].id, v[i].state, (unsigned long long)v[i].elapsed_ms,
                 v[i].domid, v[i].verb, v[i].label, v[i].cancellable,
                 v[i].why, v[i].phase);
    ctl_send(fd, "end");
}

static void ctl_drop(struct cli *cli, int fd)
{
    struct ctl_watch **pp, *w;

    for (pp = &cli->ctl->watches; (w = *pp); ) {
        if (w->fd == fd) {
            *pp = w->next;
            free(w);
        } else {
            pp = &w->next;
        }
    }
    loop_unwatch_fd(cli->lp, fd);
    close(fd);
}

static void ctl_said_end(struct cli *cli, int fd, struct job *j)
{
    char last[600];
    size_t i;

    /* Its last messages, a line each: only a tab would break the field. */
    snprintf(last, sizeof(last), "%s", job_last(j));
    for (i = 0; last[i]; i++)
        if (last[i] == '\t')
            last[i] = ' ';
    ctl_send(fd, "done\t%d\t%s", job_status(j), last);
    ctl_drop(cli, fd);
}

/*
 * A new listener hears of the jobs already running as if it had been
 * there: each one's start (with its age), then its phase now.
 */
static void ctl_events_so_far(struct cli *cli, int fd)
{
    struct ctl_job v[256];
    char detail[64];
    int n = ctl_own(cli, v, 256), i;

    for (i = 0; i < n; i++) {
        if (!strcmp(v[i].state, "done"))
            continue;
        snprintf(detail, sizeof(detail), "(running for %.1f s)",
                 (double)v[i].elapsed_ms / 1000);
        ctl_send(fd, "ev\tstart\t%d\t%s\t%s\t%u\t%s", v[i].id, v[i].verb,
                 v[i].label, v[i].domid, detail);
        if (v[i].phase[0])
            ctl_send(fd, "ev\tphase\t%d\t%s\t%s\t%u\t%s", v[i].id,
                     v[i].verb, v[i].label, v[i].domid, v[i].phase);
    }
}

/* "events": every job's start, phase, cancel and end, from now on. */
static void ctl_do_events(struct cli *cli, int fd)
{
    struct ctl_watch *w = calloc(1, sizeof(*w));

    if (!w) {
        ctl_send(fd, "no\tout of memory");
        ctl_drop(cli, fd);
        return;
    }
    w->fd = fd;
    w->job_id = -1;
    w->next = cli->ctl->watches;
    cli->ctl->watches = w;
    ctl_send(fd, "ok");
    ctl_events_so_far(cli, fd);
    jobs_look_now(cli);     /* followed from now on: four looks a second */
}

bool ctl_watching(const struct cli *cli)
{
    const struct ctl_watch *w;

    for (w = cli->ctl ? cli->ctl->watches : NULL; w; w = w->next)
        if (w->job_id == -1)
            return true;
    return false;
}

void ctl_job_event(struct cli *cli, struct job *job, const char *what,
                   const char *detail)
{
    struct ctl_watch *w;
    struct op *op = job_op(job);
    char label[128], d[256];

    if (!cli->ctl)
        return;
    for (w = cli->ctl->watches; w; w = w->next)
        if (w->job_id == -1)
            ctl_send(w->fd, "ev\t%s\t%d\t%s\t%s\t%u\t%s", what,
                     job_id(job), op_verb(op),
                     ctl_field(op_label(op), label, sizeof(label)),
                     op_domid(op), ctl_field(detail, d, sizeof(d)));
}

/* "abort N", "force N", "wait N": the answer now, the end later. */
static void ctl_do_job(struct cli *cli, int fd, const char *verb, int id)
{
    struct job *j = ctl_find(cli, id);
    struct ctl_watch *w;
    const char *no;

    if (!j) {
        ctl_send(fd, "no\tno job %d here", id);
        ctl_drop(cli, fd);
        return;
    }
    if (job_done(j)) {
        ctl_said_end(cli, fd, j);
        return;
    }
    if (strcmp(verb, "wait")) {
        if ((no = op_no_cancel(job_op(j)))) {
            ctl_send(fd, "no\t%s", no);
            ctl_drop(cli, fd);
            return;
        }
        {
            struct ucred cred;
            socklen_t len = sizeof(cred);
            char who[96];

            if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0)
                cred.pid = 0;
            snprintf(who, sizeof(who), "axl abort%s (pid %d)",
                     strcmp(verb, "force") ? "" : " --force", (int)cred.pid);
            job_set_canceller(j, who);
            note("job %d: cancel asked by another axl process (pid %d)%s",
                 id, (int)cred.pid, strcmp(verb, "force") ? "" : ", forced");
        }
        /* As the owner's own Ctrl-C: once, and again for a force. */
        if (!strcmp(verb, "force") && op_state(job_op(j)) == OP_RUNNING)
            job_abort(j, OP_WHY_REQUEST);
        job_abort(j, OP_WHY_REQUEST);
        ctl_send(fd, "ok");
        if (job_done(j)) {
            ctl_said_end(cli, fd, j);
            return;
        }
    }
    w = calloc(1, sizeof(*w));
    if (!w) {
        ctl_send(fd, "no\tout of memory");
        ctl_drop(cli, fd);
        return;
    }
    w->fd = fd;
    w->job_id = id;
    w->next = cli->ctl->watches;
    cli->ctl->watches = w;
}

/* A client's request, or its going away. */
static void ctl_on_client(struct loop *lp, int fd, short revents,
                          void *user)
{
    struct cli *cli = user;
    struct ctl_watch *w;
    char msg[CTL_MSG], verb[16];
    ssize_t n;
    int id;

    (void)lp;
    for (w = cli->ctl->watches; w; w = w->next)
        if (w->fd == fd)
            break;
    (void)revents;
    n = recv(fd, msg, sizeof(msg) - 1, MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return;
    if (n <= 0 || w) {
        /* Gone, or a second request on a watching connection. */
        ctl_drop(cli, fd);
        return;
    }
    msg[n] = '\0';
    if (!strcmp(msg, "list")) {
        ctl_do_list(cli, fd);
        ctl_drop(cli, fd);
    } else if (!strcmp(msg, "events")) {
        ctl_do_events(cli, fd);
    } else if (sscanf(msg, "%15s %d", verb, &id) == 2 &&
               (!strcmp(verb, "abort") || !strcmp(verb, "force") ||
                !strcmp(verb, "wait"))) {
        ctl_do_job(cli, fd, verb, id);
    } else {
        ctl_send(fd, "no\tunknown request");
        ctl_drop(cli, fd);
    }
}

static void ctl_on_listen(struct loop *lp, int fd, short revents,
                          void *user)
{
    struct cli *cli = user;
    struct ucred cred;
    socklen_t len = sizeof(cred);
    int c;

    (void)revents;
    c = accept4(fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (c < 0)
        return;
    /* Root's alone, as the journal is: nobody else cancels its work. */
    if (getsockopt(c, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0 ||
        cred.uid != 0 || loop_watch_fd(lp, c, POLLIN, ctl_on_client,
                                       cli) < 0) {
        close(c);
        return;
    }
}

void ctl_listen(struct cli *cli)
{
    struct sockaddr_un addr;
    char why[300];
    mode_t old;
    int fd;

    if (cli->ctl)
        return;
    cli->ctl = calloc(1, sizeof(*cli->ctl));
    if (!cli->ctl)
        return;
    cli->ctl->fd = -1;
    cli->ctl->tried = true;
    if (journal_dir_untrusted(why, sizeof(why)) ||
        ctl_addr(getpid(), &addr) < 0)
        return;     /* the journal says why, where it matters */
    fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return;
    unlink(addr.sun_path);      /* an earlier process with our pid */
    old = umask(0077);
    if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
        listen(fd, 16) < 0 ||
        loop_watch_fd(cli->lp, fd, POLLIN, ctl_on_listen, cli) < 0) {
        umask(old);
        warn("other axl processes cannot reach this one's jobs: %s",
             strerror(errno));
        close(fd);
        unlink(addr.sun_path);
        return;
    }
    umask(old);
    cli->ctl->fd = fd;
    if (!ctl_path_atexit[0]) {
        snprintf(ctl_path_atexit, sizeof(ctl_path_atexit), "%s",
                 addr.sun_path);
        atexit(ctl_unlink_atexit);
    }
}

void ctl_child(void)
{
    ctl_path_atexit[0] = '\0';
}

void ctl_close(struct cli *cli)
{
    struct ctl_watch *w;

    if (!cli->ctl)
        return;
    while ((w = cli->ctl->watches)) {
        cli->ctl->watches = w->next;
        loop_unwatch_fd(cli->lp, w->fd);
        close(w->fd);
        free(w);
    }
    if (cli->ctl->fd >= 0) {
        loop_unwatch_fd(cli->lp, cli->ctl->fd);
        close(cli->ctl->fd);
        ctl_unlink_atexit();
        ctl_path_atexit[0] = '\0';
    }
    free(cli->ctl);
    cli->ctl = NULL;
}

void ctl_job_done(struct cli *cli, struct job *job)
{
    struct ctl_watch *w, *next;

    char st[700], last[600];

    ctl_log_done(job);
    if (!cli->ctl)
        return;
    snprintf(st, sizeof(st), "status %d: %s", job_status(job),
             ctl_field(job_last(job), last, sizeof(last)));
    ctl_job_event(cli, job, "end", st);
    for (w = cli->ctl->watches; w; w = next) {
        next = w->next;
        if (w->job_id == job_id(job))
            ctl_said_end(cli, w->fd, job);
    }
}

/* ---- the client side ---- */

/* Connect to pid's socket; -1 (errno set) if it cannot be reached. */
static int ctl_connect(pid_t pid)
{
    struct sockaddr_un addr;
    int fd;

    if (ctl_addr(pid, &addr) < 0) {
        errno = ENAMETOOLONG;
        return -1;
    }
    /*
     * Not blocking while it connects: a process that never accepts (a
     * stopped one) has a full queue, and connect() would wait for good;
     * then EAGAIN.  Blocking again once connected.
     */
    fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return -1;
    if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) < 0) {
        int e = errno;

        close(fd);
        /* Its process was killed: the socket is left for us to remove. */
        if (e == ECONNREFUSED && kill(pid, 0) < 0 && errno == ESRCH)
            unlink(addr.sun_path);
        errno = e;
        return -1;
    }
    return fd;
}

/* One message into msg (NUL-ended); its length, 0 at the end, -1. */
static ssize_t ctl_recv(int fd, char *msg, size_t len, int timeout_ms)
{
    struct pollfd p = { .fd = fd, .events = POLLIN };
    ssize_t n;
    int r;

    r = poll(&p, 1, timeout_ms);
    if (r == 0)
        return -2;          /* the time ran out */
    if (r < 0)
        return -1;
    n = recv(fd, msg, len - 1, 0);
    if (n >= 0)
        msg[n] = '\0';
    return n;
}

/* The owner's command line, from /proc, its words joined by spaces. */
static void ctl_cmdline(pid_t pid, char *buf, size_t len)
{
    char path[64];
    ssize_t n, i;
    int fd;

    buf[0] = '\0';
    snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return;
    n = read(fd, buf, len - 1);
    close(fd);
    if (n <= 0) {
        buf[0] = '\0';
        return;
    }
    for (i = 0; i < n; i++)
        if (buf[i] == '\0' || buf[i] == '\n')
            buf[i] = ' ';
    while (n > 0 && buf[n - 1] == ' ')
        n--;
    buf[n] = '\0';
}

/* Split a message's tab-separated fields in place; how many. */
static int ctl_split(char *msg, char **f, int max)
{
    int n = 0;

    while (n < max) {
        f[n++] = msg;
        msg = strchr(msg, '\t');
        if (!msg)
            break;
        *msg++ = '\0';
    }
    return n;
}

static int ctl_pid_cmp(const void *a, const void *b)
{
    pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

    return (x > y) - (x < y);
}

int ctl_pids(pid_t **pids_r)
{
    pid_t *pids = NULL, *np;
    size_t npid = 0;
    char why[300];
    struct dirent *e;
    DIR *d;

    *pids_r = NULL;
    if (journal_dir_untrusted(why, sizeof(why)))
        return error("%s", why);
    d = opendir(journal_dir());
    if (!d)
        return error_errno("cannot read '%s'", journal_dir());
    while ((e = readdir(d))) {
        char *end;
        long pid;

        if (strncmp(e->d_name, CTL_PREFIX, strlen(CTL_PREFIX)))
            continue;
        pid = strtol(e->d_name + strlen(CTL_PREFIX), &end, 10);
        if (*end || pid <= 0 || pid == getpid())
            continue;
        np = realloc(pids, (npid + 1) * sizeof(*pids));
        if (!np)
            break;
        pids = np;
        pids[npid++] = (pid_t)pid;
    }
    closedir(d);
    if (npid > 1)       /* qsort() takes no null, even for none */
        qsort(pids, npid, sizeof(*pids), ctl_pid_cmp);
    *pids_r = pids;
    return (int)npid;
}

int ctl_subscribe(pid_t pid)
{
    char msg[CTL_MSG];
    int fd = ctl_connect(pid);

    if (fd < 0)
        return -1;
    if (send(fd, "events", 6, MSG_NOSIGNAL) < 0 ||
        ctl_recv(fd, msg, sizeof(msg), 5000) <= 0 || strcmp(msg, "ok")) {
        close(fd);
        return -1;
    }
    return fd;
}

int ctl_event_read(int fd, char *line, size_t len)
{
    char msg[CTL_MSG], *f[7];
    ssize_t n = recv(fd, msg, sizeof(msg) - 1, MSG_DONTWAIT);

    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return 0;
    if (n <= 0)
        return -1;
    msg[n] = '\0';
    if (ctl_split(msg, f, 7) != 7 || strcmp(f[0], "ev"))
        return 0;
    snprintf(line, len, "%s\t%s\t%s\t%s\t%s\t%s", f[1], f[2], f[3], f[4],
             f[5], f[6]);
    return 1;
}


/* One "job" message of pid's into a new entry of *v (n, cap): 0, -1. */
static int ctl_list_add(struct ctl_job **v, size_t *n, size_t *cap,
                        pid_t pid, const char *cmdline, char *msg)
{
    struct ctl_job *j, *nv;
    char *f[10];

    if (ctl_split(msg, f, 10) != 10 || strcmp(f[0], "job"))
        return 0;
    if (*n == *cap) {
        *cap = *cap ? 2 * *cap : 16;
        nv = realloc(*v, *cap * sizeof(**v));
        if (!nv)
            return -1;
        *v = nv;
    }
    j = &(*v)[(*n)++];
    memset(j, 0, sizeof(*j));
    j->pid = pid;
    j->id = atoi(f[1]);
    snprintf(j->state, sizeof(j->state), "%s", f[2]);
    j->elapsed_ms = strtoull(f[3], NULL, 10);
    j->domid = (uint32_t)strtoul(f[4], NULL, 10);
    snprintf(j->verb, sizeof(j->verb), "%s", f[5]);
    snprintf(j->label, sizeof(j->label), "%s", f[6]);
    j->cancellable = atoi(f[7]) != 0;
    snprintf(j->why, sizeof(j->why), "%s", f[8]);
    snprintf(j->phase, sizeof(j->phase), "%s", f[9]);
    snprintf(j->cmdline, sizeof(j->cmdline), "%s", cmdline);
    return 0;
}

int ctl_list_all(struct cli *cli, struct ctl_job **v_r, int budget_ms,
                 bool quiet)
{
    struct ctl_job *v = NULL;
    struct pollfd *pf = NULL;
    char (*cmd)[200] = NULL;
    pid_t *pids = NULL;
    size_t n = 0, cap = 0, npid, i, open_n = 0, *got = NULL;
    uint64_t end = loop_now_ms() + (uint64_t)budget_ms, now;
    char msg[CTL_MSG];
    int np;

    *v_r = NULL;
    np = ctl_pids(&pids);
    if (np < 0)
        return -1;
    npid = (size_t)np;
    /* Its own jobs (a shell's): from its list, not through its socket. */
    if (cli->jobs) {
        int own = 0;
        struct job *j;

        for (j = cli->jobs; j; j = job_next(j))
            own++;
        v = calloc(own, sizeof(*v));
        if (v) {
            n = cap = (size_t)ctl_own(cli, v, own);
            for (i = 0; i < n; i++)
                ctl_cmdline(getpid(), v[i].cmdline, sizeof(v[i].cmdline));
        }
    }
    /*
     * Every other process is asked at once and answers in its own time:
     * one that hangs costs the whole list CTL_LIST_MS at most, not each.
     */
    pf = calloc(npid ? npid : 1, sizeof(*pf));
    cmd = calloc(npid ? npid : 1, sizeof(*cmd));
    got = calloc(npid ? npid : 1, sizeof(*got));
    if (!pf || !cmd || !got)
        npid = 0;
    for (i = 0; i < npid; i++) {
        pf[i].fd = ctl_connect(pids[i]);
        pf[i].events = POLLIN;
        if (pf[i].fd < 0) {
            if (errno == EAGAIN && !quiet)
                warn("axl process %d does not answer (it takes no more "
                     "requests): its operations are not listed",
                     (int)pids[i]);
            continue;
        }
        ctl_cmdline(pids[i], cmd[i], sizeof(cmd[i]));
        if (send(pf[i].fd, "list", 4, MSG_NOSIGNAL) < 0) {
            close(pf[i].fd);
            pf[i].fd = -1;
            continue;
        }
        open_n++;
    }
    while (open_n > 0 && (now = loop_now_ms()) < end) {
        if (poll(pf, npid, (int)(end - now)) < 0 && errno != EINTR)
            break;
        for (i = 0; i < npid; i++) {
            ssize_t r;

            if (pf[i].fd < 0 || !pf[i].revents)
                continue;
            r = recv(pf[i].fd, msg, sizeof(msg) - 1, MSG_DONTWAIT);
            if (r < 0 && (errno == EAGAIN || errno == EINTR))
                continue;
            if (r > 0) {
                msg[r] = '\0';
                got[i]++;
            }
            if (r > 0 && strcmp(msg, "end") &&
                ctl_list_add(&v, &n, &cap, pids[i], cmd[i], msg) < 0 &&
                !quiet)
                warn("out of memory: not every operation of axl process "
                     "%d is listed", (int)pids[i]);
            if (r <= 0 || !strcmp(msg, "end")) {
                close(pf[i].fd);
                pf[i].fd = -1;
                open_n--;
            }
        }
    }
    for (i = 0; i < npid; i++)
        if (pf[i].fd >= 0) {
            if (!quiet)
                warn("axl process %d did not %s within %.1f s: %s",
                     (int)pids[i], got[i] ? "finish answering" : "answer",
                     budget_ms / 1000.0, got[i]
                         ? "some of its operations may be missing"
                         : "its operations are not listed");
            close(pf[i].fd);
        }
    free(pf);
    free(cmd);
    free(got);
    free(pids);
    *v_r = v;
    return (int)n;
}

int ctl_request(pid_t pid, const char *verb, int id, uint64_t timeout_ms,
                int *status_r, char *last, size_t len)
{
    uint64_t end = timeout_ms ? loop_now_ms() + timeout_ms : 0, now;
    char msg[CTL_MSG], *f[3];
    ssize_t n;
    int fd, nf, r = -1;

    last[0] = '\0';
    fd = ctl_connect(pid);
    if (fd < 0 && errno == EAGAIN)
        return error("axl process %d does not answer (it takes no more "
                     "requests)", (int)pid);
    if (fd < 0)
        return error_errno("cannot reach axl process %d", (int)pid);
    snprintf(msg, sizeof(msg), "%s %d", verb, id);
    if (send(fd, msg, strlen(msg), MSG_NOSIGNAL) < 0) {
        error_errno("cannot reach axl process %d", (int)pid);
        goto out;
    }
    for (;;) {
        now = loop_now_ms();
        if (end && now >= end) {
            r = AXL_EXIT_TIMEOUT;
            goto out;
        }
        n = ctl_recv(fd, msg, sizeof(msg), end ? (int)(end - now) : -1);
        if (n == -2) {
            r = AXL_EXIT_TIMEOUT;
            goto out;
        }
        if (n == -1 && errno == EINTR)
            continue;
        if (n <= 0) {
            error("axl process %d went away before job %d ended", (int)pid,
                  id);
            goto out;
        }
        if (!strcmp(msg, "ok"))
            continue;
        nf = ctl_split(msg, f, 3);
        if (nf >= 2 && !strcmp(f[0], "no")) {
            snprintf(last, len, "%s", f[1]);
            r = 1;
            goto out;
        }
        if (nf == 3 && !strcmp(f[0], "done")) {
            *status_r = atoi(f[1]);
            snprintf(last, len, "%s", f[2]);
            r = 0;
            goto out;
        }
    }
out:
    close(fd);
    return r;
}
