/*
 * Unit tests for core/esc.c (how signals escalate, which one the exit
 * status reports) and core/log.c's cause of a failure.  Prints TAP.
 */
#include <signal.h>
#include <stdarg.h>
#include <string.h>

#include "tap.h"
#include "../../core/esc.h"
#include "../../core/log.h"

static void emit_nothing(const char *line, void *user)
{
    (void)line;
    (void)user;
}

/* Log one message as libxl or libxc would. */
static void say(struct log_sink *ls, const char *context, int errnoval,
                const char *fmt, ...)
{
    xentoollog_logger *lg = log_logger(ls);
    va_list ap;

    va_start(ap, fmt);
    lg->vmessage(lg, XTL_ERROR, errnoval, context, fmt, ap);
    va_end(ap);
}

static void check_cause(const char *context, const char *msg,
                        const char *want, const char *title)
{
    struct log_sink *ls = log_init(emit_nothing, NULL, XTL_NUM_LEVELS);
    const char *got;

    say(ls, context, -1, "%s", msg);
    say(ls, "libxl", -1, "%s", "libxl_create.c:1640:domcreate_rebuild_done:"
        " Domain 1:cannot (re-)build domain: -3");
    got = log_cause(ls, false);
    check(got && !strcmp(got, want), title);
    if (got && strcmp(got, want))
        printf("#   got '%s'\n", got);
    log_dispose(ls);
}

int main(void)
{
    struct esc e;
    struct log_sink *ls;

    esc_reset(&e);
    {
        struct esc fresh = e;

        check(esc_count(&fresh, SIGINT) == ESC_CANCEL,
              "the first signal cancels");
    }
    check(esc_count(&e, SIGINT) == ESC_CANCEL, "SIGINT: cancel");
    check(!strcmp(esc_words(&e), "Interrupt"), "first: 'Interrupt'");
    check(esc_count(&e, SIGINT) == ESC_ABANDON, "SIGINT again: abandon");
    check(!strcmp(esc_words(&e), "Interrupt again"),
          "second of the same: 'Interrupt again'");
    check(esc_status_signal(&e) == SIGINT, "two SIGINTs: status 130");
    check(esc_count(&e, SIGTERM) == ESC_FINAL, "third: final");
    check(!strcmp(esc_words(&e), "Terminated"),
          "SIGTERM after SIGINT: 'Terminated', not 'again'");
    check(esc_status_signal(&e) == SIGTERM,
          "SIGTERM during a Ctrl-C's cleanup: status 143");
    check(esc_count(&e, SIGINT) == ESC_FINAL, "fourth: still final");
    check(esc_status_signal(&e) == SIGTERM,
          "a later SIGINT does not hide the SIGTERM");

    esc_reset(&e);
    esc_count(&e, SIGTERM);
    esc_count(&e, SIGHUP);
    check(esc_status_signal(&e) == SIGHUP,
          "SIGTERM then SIGHUP: the latest of equals (129)");
    esc_reset(&e);
    check(esc_status_signal(&e) == 0, "reset: no signal");

    check_cause("xc", "panic: xg_dom_core.c:205: failed to open file "
                "'/nonexistent/vmlinux': No such file or directory: "
                "Internal error",
                "failed to open file '/nonexistent/vmlinux': No such file "
                "or directory", "cause: libxc's missing kernel, in words");
    check_cause("xc", "panic: xg_dom_boot.c:119: xc_dom_boot_mem_init: "
                "can't allocate low memory for domain: Out of memory",
                "can't allocate low memory for domain: Out of memory",
                "cause: libxc's out of memory, function left out");
    check_cause("libxl", "libxl_domain.c:81:libxl__domain_rename: Domain "
                "11:Domain with name \"g-pv\" already exists.",
                "Domain with name \"g-pv\" already exists.",
                "cause: libxl's name clash, location and domain left out");
    check_cause("libxl", "libxl_device.c:455:libxl__device_disk_set_backend:"
                " Disk vdev=xvda failed to stat: /nonexistent.img: No such "
                "file or directory",
                "Disk vdev=xvda failed to stat: /nonexistent.img: No such "
                "file or directory", "cause: a missing disk image");
    check_cause("libxl", "a message: with colons", "a message: with colons",
                "cause: a message without a location is kept whole");

    ls = log_init(emit_nothing, NULL, XTL_NUM_LEVELS);
    check(log_cause(ls, false) == NULL, "no error: no cause");
    say(ls, "libxl", 2, "%s", "libxl_x.c:1:f: cannot open");
    check(!strcmp(log_cause(ls, true),
                  "libxl: libxl_x.c:1:f: cannot open: No such file or "
                  "directory"), "with where: as libxl logged it");
    log_clear_error(ls);
    check(log_cause(ls, false) == NULL, "cleared: no cause");
    log_dispose(ls);

    /* Many ops at once: each finds its own cause among the others'. */
    {
        uint64_t m5, m6, m7;
        const char *got;
        int i;

        ls = log_init(emit_nothing, NULL, XTL_NUM_LEVELS);
        m5 = log_mark(ls);
        say(ls, "libxl", -1, "%s", "libxl_device.c:1:device_f: Domain 5:vif 0 "
            "timed out");
        m6 = log_mark(ls);
        say(ls, "xc", -1, "%s", "panic: xc_dom_core.c:2:xc_g: out of memory");
        say(ls, "libxl", -1, "%s", "libxl_create.c:3:dom_h: Domain 6:cannot "
            "(re-)build domain: -3");
        m7 = log_mark(ls);
        say(ls, "libxl", -1, "%s", "libxl_create.c:4:dom_k: Domain 5:unable to "
            "add disk devices");
        got = log_cause_of(ls, m5, 5, 0, false, false);
        check(got && !strcmp(got, "vif 0 timed out"),
              "beside others: the first error naming its domain");
        got = log_cause_of(ls, m5, 7, 0, false, false);
        check(got && !strcmp(got, "out of memory"),
              "beside others: none names it, the first naming none");
        got = log_cause_of(ls, m6, 6, 0, false, false);
        check(got && !strcmp(got, "cannot (re-)build domain: -3"),
              "beside others: its own before one naming no domain");
        got = log_cause_of(ls, m6, 6, 0, true, false);
        check(got && !strcmp(got, "out of memory"),
              "alone: the first since its start, whatever it names");
        got = log_cause_of(ls, m7, 6, 0, false, false);
        check(got == NULL, "another domain's error is never its cause");
        got = log_cause_of(ls, m7, LOG_NO_DOMID, 0, false, false);
        check(got == NULL, "no domain yet: another domain's is not its own");
        /* Logged inside an op's own call: its own, whatever it names. */
        {
            uint64_t m8 = log_mark(ls);

            say(ls, "libxl", -1, "%s", "libxl_x.c:1:x_f: Domain 5:theirs");
            log_owner(ls, 42);
            say(ls, "xc", -1, "%s", "xc_dom_core.c:2:xc_g: no kernel");
            log_owner(ls, 0);
            say(ls, "libxl", -1, "%s", "libxl_x.c:1:x_f: Domain 8:mine too");
            got = log_cause_of(ls, m8, 8, 42, false, false);
            check(got && !strcmp(got, "no kernel"),
                  "an error inside its own call is its own, and first");
            got = log_cause_of(ls, m8, 9, 43, false, false);
            check(got == NULL, "another's owned error is never its cause");
            check(log_sink_of(log_logger(ls)) == ls,
                  "the sink is found from its logger");
        }
        /* A command's own errors: its, never an op's, even alone. */
        {
            uint64_t m9 = log_mark(ls);

            log_owner(ls, LOG_OWNER_CMD);
            say(ls, "libxl", -1, "%s", "libxl_x.c:1:x_f: vcpu pin refused");
            log_owner(ls, 0);
            check(log_cause_of(ls, m9, 10, 44, true, false) == NULL,
                  "a command's error is never an op's cause, even alone");
            log_clear_error(ls);
            log_owner(ls, 42);
            say(ls, "xc", -1, "%s", "xc_x.c:2:xc_g: the op's own");
            log_owner(ls, LOG_OWNER_CMD);
            say(ls, "libxl", -1, "%s", "libxl_x.c:1:x_f: the command's");
            log_owner(ls, 0);
            got = log_cause(ls, false);
            check(got && !strcmp(got, "the command's"),
                  "log_cause: a command's, an op's own left out");
        }
        /* Kept: the last 1024; an older mark reads what is left. */
        for (i = 0; i < 2000; i++)
            say(ls, "libxl", -1, "libxl_x.c:1:x_f: Domain %d:e%d", 100 + i, i);
        got = log_cause_of(ls, m5, 1099, 0, false, false);
        check(got && !strcmp(got, "e999"), "past the ring: what is kept");
        got = log_cause_of(ls, m5, 5, 0, false, false);
        check(got == NULL, "past the ring: a lost error is not guessed");
        check(log_cause(ls, false) && !strcmp(log_cause(ls, false), "e976"),
              "log_cause: the oldest kept since the clear");
        log_dispose(ls);
    }
    return tap_done();
}
