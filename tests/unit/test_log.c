/*
 * test_log: an error logged in a child process reaches its parent's
 * log as the op's own, through a pipe (log_pass() in the child,
 * log_take() in the parent), the way the core dump's child passes its
 * cause on.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "../../core/log.h"
#include "tap.h"

static int shown;

static void emit_count(const char *line, void *user)
{
    (void)line;
    (void)user;
    shown++;
}

int main(void)
{
    struct log_sink *child = log_init(emit_count, NULL, XTL_NUM_LEVELS);
    struct log_sink *parent = log_init(emit_count, NULL, XTL_DEBUG);
    char big[700];
    const char *cause;
    uint64_t from, mark;
    int p[2];

    if (!child || !parent || pipe2(p, O_NONBLOCK) < 0)
        return 1;
    xtl_log(log_logger(child), XTL_ERROR, -1, "libxl", "%s",
            "an error before the call");
    from = log_mark(child);
    log_pass(child, from, p[1]);
    check(!log_take(parent, p[0]), "no error since the mark: nothing passed");

    xtl_log(log_logger(child), XTL_WARN, -1, "libxl", "%s", "a warning");
    xtl_log(log_logger(child), XTL_ERROR, 28, "xc",
            "core_dump.c:81:dump_rtn: Domain 7:writing the core");
    xtl_log(log_logger(child), XTL_ERROR, -1, "libxl", "%s", "a wrapper");
    log_pass(child, from, p[1]);
    mark = log_mark(parent);
    log_owner(parent, 42);
    check(log_take(parent, p[0]), "the first error since the mark is passed");
    log_owner(parent, 0);
    check(shown == 0, "  and not shown again, at any level");
    cause = log_cause_of(parent, mark, LOG_NO_DOMID, 42, false, false);
    check(cause && !strcmp(cause, "writing the core: No space left on device"),
          "  the parent finds it as its owner's cause, in words");
    cause = log_cause_of(parent, mark, 7, 0, false, true);
    check(cause && !strcmp(cause, "xc: core_dump.c:81:dump_rtn: Domain 7:"
                                  "writing the core: No space left on device"),
          "  or by the domain it names, as it was logged");
    check(!log_cause_of(parent, mark, 8, 43, false, false),
          "  another owner's op, of another domain, does not take it");
    check(!log_take(parent, p[0]), "one record, taken once");

    /* What a child cut short or a stranger could leave in the pipe. */
    check(write(p[1], "libxl", 5) == 5 && !log_take(parent, p[0]),
          "a context without its message is not kept");
    check(write(p[1], "libxl\0", 6) == 6 && !log_take(parent, p[0]),
          "nor one with an empty message");
    memset(big, 'x', sizeof(big));
    big[3] = '\0';
    mark = log_mark(parent);
    log_owner(parent, 9);
    check(write(p[1], big, sizeof(big)) == (ssize_t)sizeof(big) &&
          log_take(parent, p[0]), "an overlong record is kept, cut short");
    cause = log_cause_of(parent, mark, LOG_NO_DOMID, 9, false, false);
    check(cause && strlen(cause) == 511 && cause[0] == 'x',
          "  as its first 511 characters of message");
    log_owner(parent, 0);

    close(p[0]);
    close(p[1]);
    log_dispose(child);
    log_dispose(parent);
    return tap_done();
}
