/*
 * Unit tests for core/proc.c without Xen: each place toward the terminal
 * (a session, a group, axl's own group), a daemon's detaching, the
 * standard descriptors and the one passed on, nothing else of axl's
 * reaching an exec'd program, and the signal mask and dispositions reset
 * in the child.  Prints TAP.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"
#include "../../core/proc.h"

/* What a child says of itself, through its pipe. */
struct proc_facts {
    pid_t pid, ppid, pgrp, sid;
    bool int_blocked;
    bool int_default;
};

/* As cli/'s: a child whose setup failed ends here. */
static void proc_end(int status)
{
    _exit(status);
}

static void proc_on_int(int signo)
{
    (void)signo;
}

/* Fork as spec says; the child writes its facts to w.  Its facts. */
static struct proc_facts proc_probe(struct proc_spec spec, bool *ok_r)
{
    struct proc_facts f;
    struct sigaction sa;
    sigset_t set;
    int p[2], st;
    pid_t pid;

    memset(&f, 0, sizeof(f));
    *ok_r = false;
    if (pipe2(p, O_CLOEXEC) < 0)
        return f;
    spec.pass = p[1];
    fflush(stdout);
    pid = proc_fork(&spec);
    if (pid == 0) {
        f.pid = getpid();
        f.ppid = getppid();
        f.pgrp = getpgrp();
        f.sid = getsid(0);
        sigprocmask(SIG_SETMASK, NULL, &set);
        f.int_blocked = sigismember(&set, SIGINT);
        sigaction(SIGINT, NULL, &sa);
        f.int_default = sa.sa_handler == SIG_DFL;
        _exit(write(p[1], &f, sizeof(f)) == sizeof(f) ? 0 : 1);
    }
    close(p[1]);
    if (pid > 0 && read(p[0], &f, sizeof(f)) == sizeof(f))
        *ok_r = true;
    close(p[0]);
    if (pid > 0 && !spec.detach)
        *ok_r = *ok_r && waitpid(pid, &st, 0) == pid && st == 0;
    return f;
}

int main(void)
{
    struct sigaction sa;
    struct proc_facts f;
    struct proc_spec spec;
    sigset_t block;
    char out[4096], leak[16], pass[16];
    int p[2], lk[2], ps[2], st;
    ssize_t n, len = 0;
    pid_t pid;
    bool ok;

    /* As axl runs: a handler of its own, and SIGINT blocked. */
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = proc_on_int;
    sigaction(SIGINT, &sa, NULL);
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigprocmask(SIG_BLOCK, &block, NULL);

    f = proc_probe(PROC_SPEC(PROC_SESSION), &ok);
    check(ok && f.sid == f.pid && f.pgrp == f.pid,
          "a session's child leads a session of its own");
    check(ok && !f.int_blocked && f.int_default,
          "the child has the mask and dispositions axl started with");
    f = proc_probe(PROC_SPEC(PROC_GROUP), &ok);
    check(ok && f.pgrp == f.pid && f.sid == getsid(0),
          "a group's child leads a group in axl's session");
    f = proc_probe(PROC_SPEC(PROC_FOREGROUND), &ok);
    check(ok && f.pgrp == getpgrp() && f.sid == getsid(0),
          "a foreground child stays in axl's group");
    spec = PROC_SPEC(PROC_SESSION);
    spec.detach = true;
    spec.end = proc_end;
    f = proc_probe(spec, &ok);
    check(ok && f.ppid != getpid() && f.sid != f.pid && f.sid != getsid(0),
          "a daemon is no child of axl's and cannot take a terminal");
    check(waitpid(-1, &st, WNOHANG) < 0,
          "the daemon's intermediate child is reaped");

    /*
     * An exec'd program: its stdout a pipe, one descriptor passed, and
     * one of axl's left without close-on-exec (as libxenstore's watch
     * pipe is) that must not reach it.
     */
    if (pipe2(p, O_CLOEXEC) < 0 || pipe(lk) < 0 || pipe2(ps, O_CLOEXEC) < 0)
        return 1;
    spec = PROC_SPEC(PROC_SESSION);
    spec.end = proc_end;
    spec.fd[1] = p[1];
    spec.pass = ps[0];
    snprintf(leak, sizeof(leak), "\n%d\n", lk[0]);
    snprintf(pass, sizeof(pass), "\n%d\n", ps[0]);
    fflush(stdout);
    pid = proc_fork(&spec);
    if (pid == 0) {
        execl("/bin/ls", "ls", "-1", "/proc/self/fd", (char *)NULL);
        _exit(127);
    }
    close(p[1]);
    out[len++] = '\n';
    while (len < (ssize_t)sizeof(out) - 1 &&
           (n = read(p[0], out + len, sizeof(out) - 1 - len)) > 0)
        len += n;
    out[len] = '\0';
    check(pid > 0 && waitpid(pid, &st, 0) == pid && st == 0 &&
          strstr(out, "\n1\n"), "the child's stdout is the given descriptor");
    check(strstr(out, pass) != NULL, "the passed descriptor reaches exec");
    check(strstr(out, leak) == NULL,
          "a descriptor of axl's without close-on-exec does not");
    check(fcntl(lk[0], F_GETFD) & FD_CLOEXEC,
          "and is close-on-exec in axl from then on");
    return tap_done();
}
