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
    return tap_done();
}
