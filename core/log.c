/*
 * log: a xentoollog logger that filters by level and remembers the last
 * error libxl reported.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

struct log_sink {
    xentoollog_logger vtable;       /* first: libxl sees only this */
    log_emit_fn *emit;
    void *emit_user;
    xentoollog_level min_level;
    char first_error[512];      /* the first since log_clear_error() */
    char first_context[16];
    char cause[512 + 32];
    int have_error;
};

static const char *const level_names[XTL_NUM_LEVELS] = {
    [XTL_DEBUG] = "debug",     [XTL_VERBOSE] = "verbose",
    [XTL_DETAIL] = "detail",   [XTL_PROGRESS] = "progress",
    [XTL_INFO] = "info",       [XTL_NOTICE] = "notice",
    [XTL_WARN] = "warning",    [XTL_ERROR] = "error",
    [XTL_CRITICAL] = "critical",
};

static void log_vmessage(xentoollog_logger *lg, xentoollog_level level,
                         int errnoval, const char *context,
                         const char *format, va_list al)
{
    struct log_sink *ls = (struct log_sink *)lg;
    char msg[sizeof(ls->first_error)];
    int n;

    n = vsnprintf(msg, sizeof(msg), format, al);
    if (n < 0)
        return;
    if (errnoval >= 0 && (size_t)n < sizeof(msg))
        snprintf(msg + n, sizeof(msg) - n, ": %s", strerror(errnoval));

    if (level >= XTL_ERROR && !ls->have_error) {
        memcpy(ls->first_error, msg, sizeof(msg));
        snprintf(ls->first_context, sizeof(ls->first_context), "%s",
                 context ? context : "libxl");
        ls->have_error = 1;
    }
    if (level < ls->min_level || level >= XTL_NUM_LEVELS)
        return;
    {
        char line[sizeof(msg) + 64];

        snprintf(line, sizeof(line), "%s: %s: %s",
                 context ? context : "libxl",
                 level_names[level] ? level_names[level] : "log", msg);
        ls->emit(line, ls->emit_user);
    }
}

static void log_progress(xentoollog_logger *lg, const char *context,
                         const char *doing_what, int percent,
                         unsigned long done, unsigned long total)
{
    struct log_sink *ls = (struct log_sink *)lg;
    char line[256];

    (void)done;
    (void)total;
    if (XTL_PROGRESS < ls->min_level)
        return;
    snprintf(line, sizeof(line), "%s: %s: %d%%", context ? context : "libxl",
             doing_what, percent);
    ls->emit(line, ls->emit_user);
}

static void log_destroy(xentoollog_logger *lg)
{
    (void)lg; /* owned and freed by log_dispose() */
}

struct log_sink *log_init(log_emit_fn *emit, void *user,
                          xentoollog_level min_level)
{
    struct log_sink *ls = calloc(1, sizeof(*ls));

    if (!ls)
        return NULL;
    ls->vtable.vmessage = log_vmessage;
    ls->vtable.progress = log_progress;
    ls->vtable.destroy = log_destroy;
    ls->emit = emit;
    ls->emit_user = user;
    ls->min_level = min_level;
    return ls;
}

void log_dispose(struct log_sink *ls)
{
    free(ls);
}

xentoollog_logger *log_logger(struct log_sink *ls)
{
    return &ls->vtable;
}

xentoollog_level log_level_for_verbosity(int verbose)
{
    if (verbose <= 0)
        return XTL_NUM_LEVELS;
    return verbose >= 3 ? XTL_DEBUG : verbose == 2 ? XTL_DETAIL
                                                   : XTL_PROGRESS;
}

void log_set_level(struct log_sink *ls, xentoollog_level min_level)
{
    ls->min_level = min_level;
}

/* Skip s's prefix if it is a C identifier with an underscore and ':'. */
static const char *log_skip_func(const char *s)
{
    const char *p = s;
    bool underscore = false;

    while (isalnum((unsigned char)*p) || *p == '_')
        underscore |= *p++ == '_';
    if (p == s || !underscore || *p != ':')
        return s;
    return p + 1 + strspn(p + 1, " ");
}

/* Skip a source location, "file.c:123:" and the function after it. */
static const char *log_skip_where(const char *s)
{
    const char *p = s + strspn(s, "abcdefghijklmnopqrstuvwxyz"
                                  "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./");
    size_t digits;

    if (p - s < 3 || strncmp(p - 2, ".c", 2) || *p != ':')
        return s;
    digits = strspn(p + 1, "0123456789");
    if (!digits || p[1 + digits] != ':')
        return s;
    p += 2 + digits;
    p += strspn(p, " ");
    return log_skip_func(p);
}

const char *log_cause(struct log_sink *ls, bool where)
{
    const char *p = ls->first_error;
    size_t n;

    if (!ls->have_error)
        return NULL;
    if (where) {
        snprintf(ls->cause, sizeof(ls->cause), "%s: %s", ls->first_context,
                 ls->first_error);
        return ls->cause;
    }
    if (!strncmp(p, "panic: ", 7))
        p += 7;
    p = log_skip_where(p);
    if (!strncmp(p, "Domain ", 7) && isdigit((unsigned char)p[7])) {
        const char *q = p + 7 + strspn(p + 7, "0123456789");

        if (*q == ':')
            p = q + 1 + strspn(q + 1, " ");
    }
    snprintf(ls->cause, sizeof(ls->cause), "%s", p);
    /* libxc appends the name of its error class, which says nothing. */
    n = strlen(ls->cause);
    if (n > 16 && !strcmp(ls->cause + n - 16, ": Internal error"))
        ls->cause[n - 16] = '\0';
    return ls->cause;
}

void log_clear_error(struct log_sink *ls)
{
    ls->have_error = 0;
    ls->first_error[0] = '\0';
}
