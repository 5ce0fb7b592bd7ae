/*
 * Unit tests for core/loop.c's signals without Xen: a signal reaches the
 * loop's handler through one iteration; loop_dispose() gives back the
 * mask and dispositions axl started with; synchronous work with nothing
 * in flight dies of the signal (checked in a child).  Prints TAP.
 */
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
    /* Not late (an op in flight): left for loop_dispose() to act on. */
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        loop_busy(lp, +1);
        loop_sync_begin(lp);
        raise(SIGTERM);
        if (loop_end_signals(lp) != 0)
            _exit(1);
        loop_dispose(lp);
        _exit(2);
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
