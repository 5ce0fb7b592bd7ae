/*
 * log: a xentoollog logger that filters by level and remembers the last
 * error libxl reported.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

struct log_sink {
    xentoollog_logger vtable;       /* first: libxl sees only this */
    FILE *stream;
    xentoollog_level min_level;
    char last_error[512];
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
    char msg[sizeof(ls->last_error)];
    int n;

    n = vsnprintf(msg, sizeof(msg), format, al);
    if (n < 0)
        return;
    if (errnoval >= 0 && (size_t)n < sizeof(msg))
        snprintf(msg + n, sizeof(msg) - n, ": %s", strerror(errnoval));

    if (level >= XTL_ERROR) {
        memcpy(ls->last_error, msg, sizeof(msg));
        ls->have_error = 1;
    }
    if (level < ls->min_level || level >= XTL_NUM_LEVELS)
        return;
    fprintf(ls->stream, "%s: %s: %s\n", context ? context : "libxl",
            level_names[level] ? level_names[level] : "log", msg);
    fflush(ls->stream);
}

static void log_progress(xentoollog_logger *lg, const char *context,
                         const char *doing_what, int percent,
                         unsigned long done, unsigned long total)
{
    struct log_sink *ls = (struct log_sink *)lg;

    (void)done;
    (void)total;
    if (XTL_PROGRESS < ls->min_level)
        return;
    fprintf(ls->stream, "%s: %s: %d%%\n", context ? context : "libxl",
            doing_what, percent);
}

static void log_destroy(xentoollog_logger *lg)
{
    (void)lg; /* owned and freed by log_dispose() */
}

struct log_sink *log_init(FILE *stream, xentoollog_level min_level)
{
    struct log_sink *ls = calloc(1, sizeof(*ls));

    if (!ls)
        return NULL;
    ls->vtable.vmessage = log_vmessage;
    ls->vtable.progress = log_progress;
    ls->vtable.destroy = log_destroy;
    ls->stream = stream;
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

const char *log_last_error(const struct log_sink *ls)
{
    return ls->have_error ? ls->last_error : NULL;
}

void log_clear_error(struct log_sink *ls)
{
    ls->have_error = 0;
    ls->last_error[0] = '\0';
}
