/*
 * monitor_proc: the domain monitor's process.  One lock file per domain
 * uuid says which process monitors the domain (and holds "PID DOMID");
 * `axl create` and `axl monitor` start a monitor in a process of its own
 * (a new session, named axl-NAME, logging to /var/log/xen/axl-NAME.log)
 * and wait until it says it watches.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <libxl.h>
#include <libxl_utils.h>

#include "../core/journal.h"
#include "../core/loop.h"
#include "../core/names.h"
#include "../core/proc.h"
#include "monitor_int.h"
#include "out.h"

/* ---- the lock: one monitor per domain ---- */

static void mon_lock_path(const libxl_uuid *uuid, char *buf, size_t len)
{
    snprintf(buf, len, "%s/monitor-" LIBXL_UUID_FMT ".pid", journal_dir(),
             LIBXL_UUID_BYTES(*uuid));
}

/*
 * The pid of the process that monitors the domain with this uuid, or 0
 * if none does; *domid_r the domain's id it watches (INVALID_DOMID if
 * unknown).  The lock file holds "PID DOMID".
 */
pid_t mon_holder(const libxl_uuid *uuid, uint32_t *domid_r)
{
    char path[300], buf[32] = "";
    int fd;
    pid_t pid = 0;
    ssize_t n;

    if (domid_r)
        *domid_r = INVALID_DOMID;
    mon_lock_path(uuid, path, sizeof(path));
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0)
        return 0;
    if (flock(fd, LOCK_SH | LOCK_NB) < 0 && errno == EWOULDBLOCK) {
        unsigned long d;
        int p;

        n = read(fd, buf, sizeof(buf) - 1);
        buf[n > 0 ? n : 0] = '\0';
        pid = atoi(buf) > 0 ? atoi(buf) : 1;
        if (domid_r && sscanf(buf, "%d %lu", &p, &d) == 2)
            *domid_r = (uint32_t)d;
    }
    close(fd);
    return pid;
}

/* Write "PID DOMID" into the held lock (again after a restart). */
int mon_lock_say(struct mon *m)
{
    char buf[48];
    int n = snprintf(buf, sizeof(buf), "%d %u\n", (int)getpid(), m->domid);

    if (m->lock_fd < 0)
        return 0;
    if (ftruncate(m->lock_fd, 0) < 0 ||
        pwrite(m->lock_fd, buf, (size_t)n, 0) != n)
        return -1;
    return 0;
}

/*
 * Take the domain's lock for this process: 0, or -1 after reporting.
 * The monitor of another domain with the same uuid (a migration's other
 * copy on this host, being destroyed) ends with it: wait for that one,
 * at most MON_TWIN_MS.
 */
int mon_lock(struct mon *m)
{
    char path[300], why[600];
    uint64_t until = loop_now_ms() + MON_TWIN_MS;
    struct stat a, b;
    uint32_t watched;
    pid_t other;
    int fd;

    if (journal_dir_untrusted(why, sizeof(why)))
        return error("cannot lock the monitor of '%s': %s", m->name, why);
    mon_lock_path(&m->uuid, path, sizeof(path));
    for (;;) {
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW |
                  O_NONBLOCK, 0600);
        if (fd < 0)
            return error_errno("cannot open '%s'", path);
        if (fstat(fd, &a) < 0 || !S_ISREG(a.st_mode)) {
            close(fd);
            return error("cannot lock the monitor of '%s': '%s' is not a "
                         "file", m->name, path);
        }
        if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
            /* The holder may have removed the file as it let go. */
            if (fstat(fd, &a) == 0 && stat(path, &b) == 0 &&
                a.st_ino == b.st_ino && a.st_dev == b.st_dev)
                break;
            close(fd);
            continue;
        }
        close(fd);
        other = mon_holder(&m->uuid, &watched);
        if (loop_now_ms() >= until || (other && watched == m->domid))
            return error("domain '%s' already has a monitor (pid %d)",
                         m->name, (int)other);
        usleep(50 * 1000);
    }
    m->lock_fd = fd;
    if (mon_lock_say(m) < 0) {
        m->lock_fd = -1;
        close(fd);
        return error_errno("cannot write '%s'", path);
    }
    return 0;
}

void mon_unlock(struct mon *m)
{
    char path[300];

    if (m->lock_fd < 0)
        return;
    mon_lock_path(&m->uuid, path, sizeof(path));
    unlink(path);
    close(m->lock_fd);
    m->lock_fd = -1;
}

/* Tell the spawner (if any) whether monitoring started: '1' or '0'. */
void mon_ready(struct mon *m, bool ok)
{
    ssize_t w;

    if (m->ready_fd < 0)
        return;

    /* A spawner that is gone has nobody to tell: no error then. */
    w = write(m->ready_fd, ok ? "1" : "0", 1);
    (void)w;
    close(m->ready_fd);
    m->ready_fd = -1;
}

/*
 * DIR/PREFIXNAMESUFFIX for domain NAME (domid), in buf: a name that
 * could not be a file name of its own (axl refuses such names, xl does
 * not) gives "domain-ID" instead, so that no name leaves DIR.
 */
const char *mon_path(char *buf, size_t len, const char *dir,
                            const char *prefix, const char *name,
                            uint32_t domid, const char *suffix)
{
    char id[32];

    if (names_path(buf, len, dir, prefix, name, suffix) < 0) {
        snprintf(id, sizeof(id), "domain-%u", domid);
        names_path(buf, len, dir, prefix, id, suffix);
    }
    return buf;
}


/* ---- spawning a monitor process ---- */

/*
 * Start `axl monitor` for domid in a process of its own (a new session,
 * its output to /var/log/xen/axl-NAME.log, named axl-NAME).  It writes
 * '1' to *ready_fd's pipe once it watches the domain.  Returns 0, or -1
 * after reporting.
 */
static int mon_fork(uint32_t domid, const char *name,
                    enum op_on_cancel on_cancel, const char *log,
                    int *ready_fd)
{
    struct proc_spec spec = PROC_SPEC(PROC_SESSION);
    char title[64], id[16], daemon[64], ready[64];
    char *argv[] = { title, "monitor",
                     on_cancel == OP_ON_CANCEL_KEEP ? "--on-cancel=keep"
                                                    : "--on-cancel=destroy",
                     id, NULL };
    char **envp = NULL;
    size_t n = 0, i;
    int pfd[2] = { -1, -1 }, logfd = -1, nul = -1, rc = -1;
    pid_t pid;

    snprintf(title, sizeof(title), "axl-%s", name);
    snprintf(id, sizeof(id), "%u", domid);
    mkdir(MON_LOG_DIR, 0755);
    /* The environment is made here: the child may only exec. */
    while (environ[n])
        n++;
    envp = calloc(n + 3, sizeof(*envp));
    if (!envp || pipe2(pfd, O_CLOEXEC) < 0) {
        error_errno("cannot start a monitor for '%s'", name);
        goto out;
    }
    for (i = n = 0; environ[i]; i++)
        if (strncmp(environ[i], MON_ENV_DAEMON "=",
                    strlen(MON_ENV_DAEMON) + 1) &&
            strncmp(environ[i], MON_ENV_READY "=",
                    strlen(MON_ENV_READY) + 1))
            envp[n++] = environ[i];
    snprintf(daemon, sizeof(daemon), "%s=1", MON_ENV_DAEMON);
    snprintf(ready, sizeof(ready), "%s=%d", MON_ENV_READY, pfd[1]);
    envp[n++] = daemon;
    envp[n++] = ready;
    /* Root's own log: never through a symlink someone planted. */
    logfd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW,
                 0600);
    nul = open("/dev/null", O_RDWR | O_CLOEXEC);
    spec.detach = true;
    spec.end = cli_child_end;
    spec.fd[0] = nul;
    spec.fd[1] = spec.fd[2] = logfd;
    spec.pass = pfd[1];
    pid = proc_fork(&spec);
    if (pid < 0) {
        error_errno("cannot start a monitor for '%s'", name);
        goto out;
    }
    if (pid == 0) {
        execve("/proc/self/exe", argv, envp);
        _exit(127);
    }
    *ready_fd = pfd[0];
    pfd[0] = -1;
    rc = 0;
out:
    if (pfd[0] >= 0)
        close(pfd[0]);
    if (pfd[1] >= 0)
        close(pfd[1]);
    if (logfd >= 0)
        close(logfd);
    if (nul >= 0)
        close(nul);
    free(envp);
    return rc;
}

/* What the spawner says once the monitor has answered, or not. */
static int mon_said(const char *name, const char *log, char ok)
{
    if (ok != '1')
        return error("the monitor of domain '%s' did not start (see %s)",
                     name, log);
    progress("domain '%s' is monitored (log %s)", name, log);
    return 0;
}

/*
 * Start a monitor and wait (bounded, normally milliseconds) until it
 * watches the domain, so that a command after it finds it watched.  A
 * signal meanwhile is handled by the loop afterwards: it does not make
 * a monitor that started look as if it had not.
 */
int mon_spawn(uint32_t domid, const char *name,
              enum op_on_cancel on_cancel)
{
    uint64_t end = loop_now_ms() + MON_READY_MS, now;
    struct pollfd p;
    char log[300], ok = 0;
    int fd = -1, r = 0;

    mon_path(log, sizeof(log), MON_LOG_DIR, "axl-", name, domid, ".log");
    if (mon_fork(domid, name, on_cancel, log, &fd) < 0)
        return -1;
    p.fd = fd;
    p.events = POLLIN;
    while ((now = loop_now_ms()) < end &&
           (r = poll(&p, 1, (int)(end - now))) < 0 && errno == EINTR)
        ;
    if (r == 1)
        while (read(fd, &ok, 1) < 0 && errno == EINTR)
            ;
    close(fd);
    return mon_said(name, log, ok);
}

/* A monitor being started while the loop runs on (mon_spawn_then()). */
struct mon_start {
    struct loop *lp;
    int fd;                     /* its ready pipe */
    struct loop_timer *timer;   /* how long it may take */
    mon_spawned_fn *fn;
    void *user;
    char log[300];
    char name[];
};

/* The monitor answered, or its pipe closed, or its time ran out. */
static void mon_start_end(struct mon_start *s, char ok)
{
    int r;

    loop_unwatch_fd(s->lp, s->fd);
    close(s->fd);
    if (s->timer)
        loop_timer_cancel(s->lp, s->timer);
    r = mon_said(s->name, s->log, ok);
    s->fn(s->user, r == 0);
    free(s);
}

static void mon_start_read(struct loop *lp, int fd, short revents,
                           void *user)
{
    char ok = 0;

    (void)lp;
    (void)revents;
    if (read(fd, &ok, 1) < 0 && (errno == EINTR || errno == EAGAIN))
        return;
    mon_start_end(user, ok);
}

static void mon_start_late(struct loop *lp, void *user)
{
    struct mon_start *s = user;

    (void)lp;
    s->timer = NULL;
    mon_start_end(s, 0);
}

int mon_spawn_then(struct loop *lp, uint32_t domid, const char *name,
                   enum op_on_cancel on_cancel, mon_spawned_fn *fn,
                   void *user)
{
    struct mon_start *s = calloc(1, sizeof(*s) + strlen(name) + 1);

    if (!s)
        return error("cannot start a monitor for '%s': out of memory",
                     name);
    s->lp = lp;
    s->fn = fn;
    s->user = user;
    strcpy(s->name, name);
    mon_path(s->log, sizeof(s->log), MON_LOG_DIR, "axl-", name, domid,
             ".log");
    if (mon_fork(domid, name, on_cancel, s->log, &s->fd) < 0) {
        free(s);
        return -1;
    }
    s->timer = loop_timer_add(lp, MON_READY_MS, mon_start_late, s);
    if (!s->timer ||
        loop_watch_fd(lp, s->fd, POLLIN, mon_start_read, s) < 0) {
        if (s->timer)
            loop_timer_cancel(lp, s->timer);
        close(s->fd);
        free(s);
        return error("cannot wait for the monitor of '%s': out of memory",
                     name);
    }
    return 0;
}
