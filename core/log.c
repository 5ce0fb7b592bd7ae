/*
 * log: a xentoollog logger that filters by level and keeps the errors
 * libxl reported, each with the domain it named, so that every operation
 * finds its own cause among those of the others running beside it.
 */
#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

/* How many errors are kept: 100 failing creates log about 5 each. */
#define LOG_KEEP 1024

struct log_err {
    uint64_t seq;
    uint64_t owner;             /* log_owner() when it was logged */
    uint32_t domid;             /* LOG_NO_DOMID: the message names none */
    char context[16];
    char msg[512];
};

struct log_sink {
    xentoollog_logger vtable;       /* first: libxl sees only this */
    log_emit_fn *emit;
    void *emit_user;
    xentoollog_level min_level;
    struct log_err *errs;       /* a ring: errs[seq % LOG_KEEP] */
    uint64_t seq;               /* errors logged so far */
    uint64_t cleared;           /* log_clear_error()'s mark */
    uint64_t owner;             /* log_owner() */
    char cause[512 + 32];
};

static const char *log_body(const char *msg, uint32_t *domid_r);

static const char *const level_names[XTL_NUM_LEVELS] = {
    [XTL_DEBUG] = "debug",     [XTL_VERBOSE] = "verbose",
    [XTL_DETAIL] = "detail",   [XTL_PROGRESS] = "progress",
    [XTL_INFO] = "info",       [XTL_NOTICE] = "notice",
    [XTL_WARN] = "warning",    [XTL_ERROR] = "error",
    [XTL_CRITICAL] = "critical",
};

/* Keep msg as the newest error, under the current owner. */
static void log_store(struct log_sink *ls, const char *context,
                      const char *msg)
{
    struct log_err *e = &ls->errs[ls->seq % LOG_KEEP];

    e->seq = ls->seq++;
    e->owner = ls->owner;
    snprintf(e->msg, sizeof(e->msg), "%s", msg);
    snprintf(e->context, sizeof(e->context), "%s",
             context ? context : "libxl");
    log_body(e->msg, &e->domid);
}

static void log_vmessage(xentoollog_logger *lg, xentoollog_level level,
                         int errnoval, const char *context,
                         const char *format, va_list al)
{
    struct log_sink *ls = (struct log_sink *)lg;
    char msg[sizeof(ls->errs[0].msg)];
    int n;

    n = vsnprintf(msg, sizeof(msg), format, al);
    if (n < 0)
        return;
    if (errnoval >= 0 && (size_t)n < sizeof(msg))
        snprintf(msg + n, sizeof(msg) - n, ": %s", strerror(errnoval));

    if (level >= XTL_ERROR && ls->errs)
        log_store(ls, context, msg);
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
    ls->errs = calloc(LOG_KEEP, sizeof(*ls->errs));
    if (!ls->errs) {
        free(ls);
        return NULL;
    }
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
    if (ls)
        free(ls->errs);
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

/*
 * A message's words past what libxl and libxc put before them ("panic:
 * ", "file.c:123:function: ", "Domain 5:"); the domain it names into
 * *domid_r (LOG_NO_DOMID if none).
 */
static const char *log_body(const char *msg, uint32_t *domid_r)
{
    const char *p = msg;
    char *end;
    unsigned long id;

    *domid_r = LOG_NO_DOMID;
    if (!strncmp(p, "panic: ", 7))
        p += 7;
    p = log_skip_where(p);
    if (strncmp(p, "Domain ", 7) || !isdigit((unsigned char)p[7]))
        return p;
    id = strtoul(p + 7, &end, 10);
    if (*end != ':')
        return p;
    if (id < LOG_NO_DOMID)
        *domid_r = (uint32_t)id;
    return end + 1 + strspn(end + 1, " ");
}

/* e's words, in ls->cause: see log_cause(). */
static const char *log_words(struct log_sink *ls, const struct log_err *e,
                             bool where)
{
    uint32_t domid;
    size_t n;

    if (where) {
        snprintf(ls->cause, sizeof(ls->cause), "%s: %s", e->context, e->msg);
        return ls->cause;
    }
    snprintf(ls->cause, sizeof(ls->cause), "%s", log_body(e->msg, &domid));
    /* libxc appends the name of its error class, which says nothing. */
    n = strlen(ls->cause);
    if (n > 16 && !strcmp(ls->cause + n - 16, ": Internal error"))
        ls->cause[n - 16] = '\0';
    return ls->cause;
}

uint64_t log_mark(const struct log_sink *ls)
{
    return ls->seq;
}

const char *log_cause_of(struct log_sink *ls, uint64_t since, uint32_t domid,
                         uint64_t owner, bool alone, bool where)
{
    const struct log_err *untagged = NULL;
    /* A command has said the errors before its clear: not alone then. */
    bool solo = alone && ls->cleared <= since;
    uint64_t s;

    if (ls->seq - since > LOG_KEEP)
        since = ls->seq - LOG_KEEP;     /* the older ones are gone */
    for (s = since; s < ls->seq; s++) {
        const struct log_err *e = &ls->errs[s % LOG_KEEP];

        if ((solo && (!e->owner || e->owner == owner)) ||
            (owner && e->owner == owner) ||
            (e->domid != LOG_NO_DOMID && e->domid == domid))
            return log_words(ls, e, where);
        if (e->domid == LOG_NO_DOMID && !untagged &&
            (!e->owner || e->owner == owner))
            untagged = e;
    }
    return untagged ? log_words(ls, untagged, where) : NULL;
}

/* A record: the context, a NUL, the message (log_pass(), log_take()). */
#define LOG_REC_MAX (sizeof(((struct log_err *)0)->context) + \
                     sizeof(((struct log_err *)0)->msg))
_Static_assert(LOG_REC_MAX <= PIPE_BUF, "a record is one atomic write");

void log_pass(const struct log_sink *ls, uint64_t since, int fd)
{
    const struct log_err *e;
    char buf[LOG_REC_MAX];
    size_t clen, mlen;

    if (ls->seq - since > LOG_KEEP)
        since = ls->seq - LOG_KEEP;
    if (since >= ls->seq || fd < 0)
        return;
    e = &ls->errs[since % LOG_KEEP];
    clen = strnlen(e->context, sizeof(e->context) - 1);
    mlen = strnlen(e->msg, sizeof(e->msg) - 1);
    memcpy(buf, e->context, clen);
    buf[clen] = '\0';
    memcpy(buf + clen + 1, e->msg, mlen);
    if (write(fd, buf, clen + 1 + mlen) < 0)
        return;     /* the parent says libxl's code instead */
}

bool log_take(struct log_sink *ls, int fd)
{
    char buf[LOG_REC_MAX + 1];
    ssize_t n;
    size_t clen;

    if (!ls || !ls->errs || fd < 0)
        return false;
    n = read(fd, buf, sizeof(buf) - 1);
    if (n <= 0)
        return false;
    buf[n] = '\0';
    clen = strlen(buf);
    if (clen >= (size_t)n || clen + 1 == (size_t)n)
        return false;   /* no message after the context */
    log_store(ls, buf, buf + clen + 1);
    return true;
}

uint64_t log_owner(struct log_sink *ls, uint64_t owner)
{
    uint64_t was = ls ? ls->owner : 0;

    if (ls)
        ls->owner = owner;
    return was;
}

struct log_sink *log_sink_of(xentoollog_logger *lg)
{
    return lg && lg->vmessage == log_vmessage ? (struct log_sink *)lg : NULL;
}

const char *log_cause(struct log_sink *ls, bool where)
{
    return log_cause_of(ls, ls->cleared, LOG_NO_DOMID, LOG_OWNER_CMD, true,
                        where);
}

void log_clear_error(struct log_sink *ls)
{
    ls->cleared = ls->seq;
}
