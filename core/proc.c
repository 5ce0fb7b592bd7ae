/*
 * proc: every process axl makes, made one way (see proc.h).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "journal.h"
#include "loop.h"
#include "proc.h"

/*
 * Mark every descriptor above stderr close-on-exec, in this process:
 * axl's and libxl's are made so, but libxenstore 4.17 makes its watch
 * pipe without it, and it would leak into every program axl starts for
 * that program's whole life.  The child clears the flag on what it is
 * meant to have.
 */
/*
 * Every descriptor above stderr but those in keep: set close-on-exec,
 * or closed.  One close_range() a gap between kept ones: a loop with a
 * storm's hundreds of descriptors forks for each create, and a walk of
 * /proc/self/fd would pay a system call for each (each a trip through
 * Xen in a PV dom0).  Walked as before where the kernel lacks it, and
 * with keep_files (spec->keep_files, for libxl's children): regular files
 * and sockets left inheritable stay so, for libxl opens what it hands its
 * children so, and libxenstore's watch pipe, the leak this guards
 * against, is a pipe.
 */
static void proc_each_fd(const int *keep, size_t n_keep, bool close_it,
                         bool keep_files)
{
    unsigned int how = close_it ? 0 : CLOSE_RANGE_CLOEXEC;
    unsigned int from = 3;
    DIR *d;
    struct dirent *e;
    struct stat st;
    int fd, flags;
    size_t i, j;

    /* The kept, above stderr, in order: the gaps between them go. */
    while (!keep_files) {       /* keep_files: each is looked at: walk */
        unsigned int next = ~0U;

        for (j = 0; j < n_keep; j++)
            if (keep[j] >= (int)from && (unsigned int)keep[j] < next)
                next = (unsigned int)keep[j];
        if (next > from && close_range(from, next - 1, how) < 0)
            break;              /* not this kernel: walk */
        if (next == ~0U)
            return;
        from = next + 1;
    }
    d = opendir("/proc/self/fd");
    if (!d) {
        if (keep_files)
            close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
        return;
    }
    while ((e = readdir(d))) {
        fd = atoi(e->d_name);
        if (fd <= 2 || fd == dirfd(d))
            continue;
        for (i = 0; i < n_keep && keep[i] != fd; i++)
            ;
        if (i < n_keep)
            continue;
        if (close_it) {
            close(fd);
            continue;
        }
        flags = fcntl(fd, F_GETFD);
        if (flags < 0 || (flags & FD_CLOEXEC))
            continue;
        if (keep_files && fstat(fd, &st) == 0 &&
            (S_ISREG(st.st_mode) || S_ISSOCK(st.st_mode)))
            continue;
        fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
    }
    closedir(d);
}

void proc_close_all_but(const int *keep, size_t n_keep)
{
    proc_each_fd(keep, n_keep, true, false);
}

/*
 * In the child: its descriptors as spec says.  Each is first copied
 * above stderr, so that one landing on another's number (a pipe end
 * that is 0 because stdin was closed) is not lost.  Only
 * async-signal-safe calls.  -1 if one cannot be set.
 */
static int proc_child_fds(const struct proc_spec *spec)
{
    int tmp[3], i;

    for (i = 0; i < 3; i++) {
        tmp[i] = -1;
        if (spec->fd[i] >= 0 &&
            (tmp[i] = fcntl(spec->fd[i], F_DUPFD_CLOEXEC, 3)) < 0)
            return -1;
    }
    for (i = 0; i < 3; i++)
        if (tmp[i] >= 0 && dup2(tmp[i], i) < 0)
            return -1;
    if (spec->pass >= 0 && fcntl(spec->pass, F_SETFD, 0) < 0)
        return -1;
    return 0;
}

pid_t proc_fork(const struct proc_spec *spec)
{
    bool gate = (spec->journal || spec->name) && !spec->detach;
    int g[2] = { -1, -1 };
    sigset_t all, old;
    pid_t pid;
    int status, saved;
    pid_t parent = getpid();
    char c = 0;

    proc_each_fd(NULL, 0, false, spec->keep_files);
    /*
     * A child the journal names waits until it is named: axl killed in
     * between would leave it running where no cleanup knows of it.  If
     * axl dies first, the child reads the end of the pipe and goes.
     */
    if (gate && pipe2(g, O_CLOEXEC) < 0)
        return -1;
    /* No handler of axl's may run in the child before it is reset. */
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, &old);
    pid = fork();
    if (pid == 0) {
        if (gate) {
            /*
             * Should axl die before naming us, the kernel ends us as it
             * (PR_SET_PDEATHSIG); if it died already, we end ourselves
             * the same way.  A signal, not an exit status: nothing here
             * decides how a process ends.
             */
            prctl(PR_SET_PDEATHSIG, SIGKILL);
            if (getppid() != parent)
                kill(getpid(), SIGKILL);
            close(g[1]);
            while (read(g[0], &c, 1) < 0 && errno == EINTR)
                ;
            close(g[0]);
            prctl(PR_SET_PDEATHSIG, 0);     /* named: it may outlive axl */
        }
        if (spec->place == PROC_SESSION)
            setsid();
        else if (spec->place == PROC_GROUP)
            setpgid(0, 0);
        /* Only cli/ ends a process: its spec->end, when it asked. */
        if (spec->detach && fork() != 0)
            spec->end(0);
        loop_child_reset();
        if (proc_child_fds(spec) < 0)
            spec->end(127);
        return 0;
    }
    saved = errno;
    /* Here too: a signal to its group must not race the child's own. */
    if (pid > 0 && spec->place == PROC_GROUP)
        setpgid(pid, pid);
    if (pid > 0 && spec->detach)
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
            ;
    sigprocmask(SIG_SETMASK, &old, NULL);
    if (gate) {
        close(g[0]);
        if (pid > 0) {
            /* For a cleanup if killed. */
            if (spec->journal)
                journal_child_of(spec->journal, spec->journal_rec, pid,
                                 journal_proc_start(pid));
            else
                spec->name(pid, spec->name_user);
            c = 1;
            while (write(g[1], &c, 1) < 0 && errno == EINTR)
                ;
        }
        close(g[1]);
    }
    errno = saved;
    return pid;
}

bool proc_runnable(const char *prog)
{
    const char *path = getenv("PATH"), *p, *end;
    char buf[PATH_MAX];

    if (!*prog)
        return false;
    if (strchr(prog, '/'))
        return access(prog, X_OK) == 0;
    for (p = path ? path : "/usr/bin:/bin"; ; p = end + 1) {
        end = strchrnul(p, ':');
        snprintf(buf, sizeof(buf), "%.*s/%s", end == p ? 1 : (int)(end - p),
                 end == p ? "." : p, prog);
        if (access(buf, X_OK) == 0)
            return true;
        if (!*end)
            return false;
    }
}
