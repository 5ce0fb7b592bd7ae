/*
 * Unit tests for core/loop.c's signals without Xen: a signal reaches the
 * loop's handler through one iteration; loop_dispose() gives back the
 * mask and dispositions axl started with; synchronous work with nothing
 * in flight dies of the signal (checked in a child); fd watches and
 * children in any number, and a watch made anew on a reused fd number
 * never handed its predecessor's poll result.  Prints TAP.
 */
#include <poll.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"
#include "../../core/loop.h"

static int got;

static void on_signal(struct loop *lp, int signo, void *user)
{
    (void)lp;
    (void)user;
    got = signo;
}

/*
 * fd watches: a callback that drops another watch and makes a new one
 * on the same fd number (closed and reused) within one iteration.
 */
struct fdw {
    int fd[2];          /* a pipe; fd[0] watched */
    int calls;          /* times its callback ran with it */
};
static struct fdw *fdw_other;   /* the one the first callback drops */
static struct fdw fdw_new;      /* and the one it makes on its fd number */
static unsigned fdw_made;

static void fdw_read(struct loop *lp, int fd, short revents, void *user)
{
    struct fdw *w = user;

    (void)lp;
    (void)fd;
    (void)revents;
    w->calls++;
}

/*
 * Drop the other watch, close its pipe, make a new pipe on the same fd
 * number and watch it with the same callback but another user.
 */
static void fdw_remake(struct loop *lp, int fd, short revents, void *user)
{
    struct fdw *w = user, *o = fdw_other;
    int old = o->fd[0], p[2];
    char c = 'x';

    (void)fd;
    (void)revents;
    w->calls++;
    loop_unwatch_fd(lp, old);
    close(o->fd[0]);
    close(o->fd[1]);
    /* The lowest free number: the one just closed. */
    if (pipe(p) < 0 || p[0] != old)
        return;
    fdw_new.fd[0] = p[0];
    fdw_new.fd[1] = p[1];
    if (write(p[1], &c, 1) != 1)
        return;
    fdw_made++;
    loop_watch_fd(lp, p[0], POLLIN, fdw_read, &fdw_new);
}

/* Watches on many pipes at once, each seen readable. */
static int many_seen;

static void many_read(struct loop *lp, int fd, short revents, void *user)
{
    char c;

    (void)revents;
    (void)user;
    if (read(fd, &c, 1) == 1)
        many_seen++;
    loop_unwatch_fd(lp, fd);
}

static int kids_done;

static void kid_done(struct loop *lp, pid_t pid, int status, void *user)
{
    (void)lp;
    (void)pid;
    (void)user;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 7)
        kids_done++;
}

/* A timer that arms one of 0 ms, as the batch shell does between lines. */
static int yield_runs;
static void yield_next(struct loop *lp, void *user)
{
    (void)lp;
    (void)user;
    yield_runs++;
}

static void yield_first(struct loop *lp, void *user)
{
    (void)user;
    yield_runs++;
    loop_timer_add(lp, 0, yield_next, NULL);
}

static void test_yield(struct loop *lp)
{
    loop_timer_add(lp, 0, yield_first, NULL);
    loop_iterate(lp, 100);
    check(yield_runs == 1, "a 0 ms timer armed by a timer waits for the "
          "next turn of the loop");
    loop_iterate(lp, 100);
    check(yield_runs == 2, "and runs on that turn, without waiting");
}

static void test_watches(struct loop *lp)
{
    struct fdw a = { .calls = 0 }, b = { .calls = 0 };
    int fds[200][2], i, n = 0, kids = 0;
    char c = 'x';

    /* a's watch comes first, so it runs before b's in one iteration. */
    if (pipe(a.fd) < 0 || pipe(b.fd) < 0 || write(a.fd[1], &c, 1) != 1 ||
        write(b.fd[1], &c, 1) != 1) {
        printf("Bail out! no pipes\n");
        _exit(1);
    }
    fdw_other = &b;
    loop_watch_fd(lp, a.fd[0], POLLIN, fdw_remake, &a);
    loop_watch_fd(lp, b.fd[0], POLLIN, fdw_read, &b);
    loop_iterate(lp, 100);
    check(a.calls == 1 && fdw_made == 1,
          "a callback drops a watch and makes one on the same fd number");
    check(b.calls == 0 && fdw_new.calls == 0,
          "the dropped watch's poll result goes to neither user");
    loop_unwatch_fd(lp, a.fd[0]);
    loop_iterate(lp, 100);
    check(fdw_new.calls == 1 && b.calls == 0,
          "the new watch is served at the next iteration, with its user");
    loop_unwatch_fd(lp, fdw_new.fd[0]);
    close(a.fd[0]);
    close(a.fd[1]);
    close(fdw_new.fd[0]);
    close(fdw_new.fd[1]);

    /* No fixed table: 200 pipes watched at once, all served. */
    for (i = 0; i < 200; i++) {
        if (pipe(fds[i]) < 0)
            break;
        n++;
        if (write(fds[i][1], &c, 1) != 1 ||
            loop_watch_fd(lp, fds[i][0], POLLIN, many_read, NULL) < 0)
            break;
    }
    for (i = 0; i < 5 && many_seen < n; i++)
        loop_iterate(lp, 100);
    check(n == 200 && many_seen == 200, "200 fds watched at once, each served");
    for (i = 0; i < n; i++) {
        close(fds[i][0]);
        close(fds[i][1]);
    }

    /* Nor for children: 20 at once, each one's end reported. */
    fflush(stdout);
    for (i = 0; i < 20; i++) {
        pid_t pid = fork();

        if (pid == 0)
            _exit(7);
        if (pid > 0 && loop_watch_child(lp, pid, kid_done, NULL) == 0)
            kids++;
    }
    for (i = 0; i < 50 && kids_done < kids; i++)
        loop_iterate(lp, 100);
    check(kids == 20 && kids_done == 20,
          "20 children watched at once, each one's end reported");
}

static bool blocked(int signo)
{
    sigset_t now;

    sigprocmask(SIG_BLOCK, NULL, &now);
    return sigismember(&now, signo);
}

static void (*handler_of(int signo))(int)
{
    struct sigaction sa;

    sigaction(signo, NULL, &sa);
    return sa.sa_handler;
}

int main(void)
{
    static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE };
    void (*before[4])(int);
    struct loop *lp;
    int status, i;
    bool same;
    pid_t pid;

    for (i = 0; i < 4; i++)
        before[i] = handler_of(sigs[i]);
    if (loop_init(&lp) < 0) {
        printf("Bail out! loop_init failed\n");
        return 1;
    }
    loop_on_signal(lp, on_signal, NULL);
    check(!blocked(SIGINT), "SIGINT is never blocked");
    check(handler_of(SIGINT) != SIG_DFL && handler_of(SIGINT) != SIG_IGN,
          "SIGINT has the loop's handler");
    raise(SIGTERM);
    for (i = 0; i < 3 && !got; i++)
        loop_iterate(lp, 100);
    check(got == SIGTERM, "SIGTERM reaches the loop's handler");

    test_watches(lp);
    test_yield(lp);

    /* Synchronous work, nothing in flight, one-shot rules: dies at once. */
    pid = fork();
    if (pid == 0) {
        loop_sync_begin(lp);
        raise(SIGINT);
        _exit(0);
    }
    waitpid(pid, &status, 0);
    check(WIFSIGNALED(status) && WTERMSIG(status) == SIGINT,
          "sync work, nothing in flight: dies of SIGINT (130)");

    /* The same with an op in flight: kept for the loop. */
    got = 0;
    loop_busy(lp, +1);
    loop_sync_begin(lp);
    raise(SIGINT);
    loop_sync_end(lp);
    for (i = 0; i < 3 && !got; i++)
        loop_iterate(lp, 100);
    check(got == SIGINT, "sync work with an op in flight: kept for the loop");
    loop_busy(lp, -1);

    /*
     * Once an op has ended, a signal does not kill: it is taken at the
     * run's end, for axl to say that it cancelled nothing.
     */
    for (i = 0; i < 2; i++) {
        int signo = i ? SIGTERM : SIGINT;

        fflush(stdout);     /* the child's exit must not print it again */
        pid = fork();
        if (pid == 0) {
            loop_sync_begin(lp);
            raise(signo);
            _exit(loop_end_signals(lp) == signo ? 0 : 1);
        }
        waitpid(pid, &status, 0);
        check(WIFEXITED(status) && WEXITSTATUS(status) == 0,
              i ? "after the work, SIGTERM is taken, not died of"
                : "after the work, SIGINT is taken, not died of");
    }
    /*
     * One that comes after loop_end_signals(), before loop_dispose()
     * (while libxl's context is freed, say): late too, and never died
     * of once loop_dispose() gives the mask back.
     */
    fflush(stdout);
    fflush(stderr);
    pid = fork();
    if (pid == 0) {
        int devnull = open("/dev/null", O_WRONLY);

        if (devnull >= 0)
            dup2(devnull, 2);   /* its word is for axl's user, not TAP */
        loop_sync_begin(lp);
        if (loop_end_signals(lp) != 0)
            _exit(1);
        raise(SIGINT);
        if (loop_dispose(lp) != 0)
            _exit(2);
        _exit(0);
    }
    waitpid(pid, &status, 0);
    check(WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "a signal between the run's end and loop_dispose: not died of");

    /* Not late (an op in flight): left for loop_dispose() to act on. */
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        loop_busy(lp, +1);
        loop_sync_begin(lp);
        raise(SIGTERM);
        if (loop_end_signals(lp) != 0)
            _exit(1);
        if (loop_dispose(lp) != SIGTERM)
            _exit(2);
        raise(SIGTERM);
        _exit(3);
    }
    waitpid(pid, &status, 0);
    check(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM,
          "a signal during work in flight is not taken as late");

    loop_dispose(lp);
    check(!blocked(SIGINT) && !blocked(SIGCHLD),
          "after loop_dispose: the mask axl started with");
    for (i = 0, same = true; i < 4; i++)
        same &= handler_of(sigs[i]) == before[i];
    check(same, "after loop_dispose: the dispositions axl started with");
    return tap_done();
}
