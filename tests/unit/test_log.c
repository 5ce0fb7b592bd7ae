/*
 * test_log: an error logged in a child process reaches its parent's
 * log as the op's own (log_first_since() there, log_keep() here), the
 * way the core dump's child passes its cause on.
 */
#include <string.h>

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
    const char *context = NULL, *msg = NULL;
    const char *cause;
    uint64_t from, mark;

    if (!child || !parent)
        return 1;
    xtl_log(log_logger(child), XTL_ERROR, -1, "libxl", "%s",
            "an error before the call");
    from = log_mark(child);
    check(!log_first_since(child, from, &context, &msg),
          "no error since the mark: none to pass on");
    xtl_log(log_logger(child), XTL_WARN, -1, "libxl", "%s", "a warning");
    xtl_log(log_logger(child), XTL_ERROR, 28, "xc",
            "core_dump.c:81:dump_rtn: Domain 7:writing the core");
    xtl_log(log_logger(child), XTL_ERROR, -1, "libxl", "%s", "a wrapper");
    check(log_first_since(child, from, &context, &msg) &&
          !strcmp(context, "xc") &&
          !strcmp(msg, "core_dump.c:81:dump_rtn: Domain 7:writing the core: "
                       "No space left on device"),
          "the first error since the mark, as it was logged");

    mark = log_mark(parent);
    log_owner(parent, 42);
    log_keep(parent, context, msg);
    log_owner(parent, 0);
    check(shown == 0, "a kept error is not shown again, at any level");
    cause = log_cause_of(parent, mark, LOG_NO_DOMID, 42, false, false);
    check(cause && !strcmp(cause, "writing the core: No space left on device"),
          "the parent finds it as its owner's cause, in words");
    cause = log_cause_of(parent, mark, 7, 0, false, true);
    check(cause && !strcmp(cause, "xc: core_dump.c:81:dump_rtn: Domain 7:"
                                  "writing the core: No space left on device"),
          "or by the domain it names, with where it was logged");
    check(!log_cause_of(parent, mark, 8, 43, false, false),
          "another owner's op, of another domain, does not take it");
    log_dispose(child);
    log_dispose(parent);
    return tap_done();
}
