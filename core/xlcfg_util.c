/*
 * xlcfg's shared machinery: turning libxlutil's reports into axl
 * messages, typed accessors for the parsed configuration, and the small
 * string and number parsers every subject uses.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <libxl_utils.h>

#include "xlcfg_int.h"

/* ---------------------------------------------------------------------
 * Messages
 */

/*
 * The line of the config text that sets key last (the one that counts,
 * as in xl), or 0: a line that is the key, maybe blanks, then '='.
 */
static int xlcfg_key_line(const char *text, const char *key)
{
    size_t n = strlen(key);
    const char *p = text, *q;
    int line = 1, found = 0;

    for (; p && *p; line++) {
        q = p + strspn(p, " \t");
        if (!strncmp(q, key, n) && q[n + strspn(q + n, " \t")] == '=')
            found = line;
        p = strchr(p, '\n');
        p = p ? p + 1 : NULL;
    }
    return found;
}

/*
 * Where a message about a config is: the last setting of the first key
 * it quotes, in an override or the file.  Empty if it names none.
 */
static void xlcfg_locate(struct xlcfg_st *st, const char *msg, char *buf,
                         size_t len)
{
    const char *q = msg, *e, *o;
    char key[64];
    size_t n;
    int i, line;

    buf[0] = '\0';
    if (!st->text || strstr(msg, " line ") || !strncmp(msg, "override", 8))
        return;
    for (; (q = strchr(q, '\'')) && (e = strchr(q + 1, '\'')); q = e + 1) {
        n = (size_t)(e - q - 1);
        if (!n || n >= sizeof(key))
            continue;
        memcpy(key, q + 1, n);
        key[n] = '\0';
        for (i = st->opts->n_overrides - 1; i >= 0; i--) {
            o = st->opts->overrides[i] + strspn(st->opts->overrides[i], " ");
            if (!strncmp(o, key, n) && o[n + strspn(o + n, " \t")] == '=') {
                snprintf(buf, len, " (override '%s')",
                         st->opts->overrides[i]);
                return;
            }
        }
        if ((line = xlcfg_key_line(st->text, key))) {
            snprintf(buf, len, " (config file '%s' line %d)", st->source,
                     line);
            return;
        }
    }
}

static void xlcfg_vsay(struct xlcfg_st *st, int is_error, const char *fmt,
                       va_list ap)
{
    char *msg = NULL, *full = NULL, at[400];

    if (vasprintf(&msg, fmt, ap) < 0) {
        st->opts->report(st->opts->user, is_error, "out of memory");
        return;
    }
    xlcfg_locate(st, msg, at, sizeof(at));
    if (at[0] && asprintf(&full, "%s%s", msg, at) >= 0) {
        free(msg);
        msg = full;
    }
    st->opts->report(st->opts->user, is_error, msg);
    free(msg);
}

/* Report an error; returns -1 so callers can `return xlcfg_err(...)`. */
int xlcfg_err(struct xlcfg_st *st, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    xlcfg_vsay(st, 1, fmt, ap);
    va_end(ap);
    return -1;
}

/* Report a warning. */
void xlcfg_warn(struct xlcfg_st *st, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    xlcfg_vsay(st, 0, fmt, ap);
    va_end(ap);
}

/* strerror() with a lowercase first letter, as axl's messages want. */
const char *xlcfg_strerror(struct xlcfg_st *st, int e)
{
    snprintf(st->errbuf, sizeof(st->errbuf), "%s", strerror(e));
    st->errbuf[0] = tolower((unsigned char)st->errbuf[0]);
    return st->errbuf;
}

/* Where a line of the combined text came from, for messages. */
static void xlcfg_where(struct xlcfg_st *st, int line, char *buf,
                        size_t len)
{
    if (st->cur_ovr >= 0) {
        snprintf(buf, len, "override '%s'", st->opts->overrides[st->cur_ovr]);
        return;
    }
    if (st->ovr_line > 0 && line >= st->ovr_line) {
        int i = line - st->ovr_line;

        if (i < st->opts->n_overrides) {
            snprintf(buf, len, "override '%s'", st->opts->overrides[i]);
            return;
        }
    }
    snprintf(buf, len, "config file '%s' line %d", st->source, line);
}

/*
 * For a syntax error in an override whose value is a bare word (name=web),
 * the likely fix: xl.cfg strings are quoted, and the shell ate the quotes.
 */
static const char *xlcfg_quote_hint(struct xlcfg_st *st)
{
    const char *v;

    if (st->cur_ovr < 0)
        return "";
    v = strchr(st->opts->overrides[st->cur_ovr], '=');
    v = v ? v + 1 + strspn(v + 1, " \t") : "";
    if (!isalpha((unsigned char)*v) && *v != '/' && *v != '.')
        return "";
    return " (strings need quotes: key='value')";
}

/*
 * Turn one line libxlutil wrote to its report stream into an axl
 * message.  what, if not NULL, names the value being parsed ("disk
 * specification '...'"); is_error says how to report it.  Returns 1,
 * or 0 when the line was dropped as noise (then nothing was reported).
 */
static int xlcfg_rep_line(struct xlcfg_st *st, char *line,
                          const char *what, int is_error)
{
    static const char *const noise[] = {
        "config parsing error in disk specification: ",
        "config parsing error in vif: ",
        "warning: ",
    };
    size_t srclen = strlen(st->source);
    char *p = line, *q, where[512];
    size_t n;
    long lineno = 0;
    unsigned i;

    n = strlen(p);
    while (n > 0 && (p[n - 1] == '\n' || p[n - 1] == ' ' ||
                     p[n - 1] == '.'))
        p[--n] = '\0';
    if (!*p)
        return 0;

    if (strstr(p, "looks like it contains Python")) {
        /* An override is one line; the guess is only noise there. */
        if (!st->py_warned && st->cur_ovr < 0)
            xlcfg_warn(st, "config file '%s' looks like python code, "
                       "which xl config files cannot contain", st->source);
        st->py_warned = 1;
        return 0;
    }
    if (!strncmp(p, "warning:  ", 10))
        return 0;   /* the rest of the python explanation */

    if (!strncmp(p, st->source, srclen) && p[srclen] == ':') {
        p += srclen + 1;
        if (isdigit((unsigned char)*p)) {
            lineno = strtol(p, &q, 10);
            p = q;
            if (*p == ':')
                p++;
            /* value messages add a column */
            if (isdigit((unsigned char)*p)) {
                strtol(p, &q, 10);
                p = q;
                if (*p == ':')
                    p++;
            }
        }
        while (*p == ' ')
            p++;
    }

    if (lineno > 0 && !strncmp(p, "config parsing error near ", 26)) {
        const char *msg, *tok = "end of input";
        char *end;

        /* The parser goes on after an error; the first one is the one. */
        if (st->syntax_said++)
            return 1;
        p += 26;
        xlcfg_where(st, (int)lineno, where, sizeof(where));
        if (*p == '`') {
            tok = ++p;
            end = strstr(p, "': ");
            if (!end)
                end = strstr(p, "'<newline>: ");
            if (!end) {
                xlcfg_err(st, "%s: syntax error", where);
                return 1;
            }
            *end = '\0';
            msg = strstr(end + 1, ": ") + 2;
            if (!*tok)
                tok = "end of input";
        } else {
            if (!strncmp(p, "<newline>", 9))
                tok = "end of line";
            q = strstr(p, ": ");
            msg = q ? q + 2 : "syntax error";
        }
        if (!strncmp(msg, "syntax error", 12) ||
            !strcmp(msg, "lexical error"))
            msg = "syntax error";
        if (*tok == 'e' && (!strcmp(tok, "end of input") ||
                            !strcmp(tok, "end of line")))
            xlcfg_err(st, "%s: %s at %s", where, msg, tok);
        else
            xlcfg_err(st, "%s: %s near '%s'%s", where, msg, tok,
                      xlcfg_quote_hint(st));
        return 1;
    }

    for (i = 0; i < sizeof(noise) / sizeof(noise[0]); i++) {
        n = strlen(noise[i]);
        if (!strncmp(p, noise[i], n))
            p += n;
    }
    /* disk and vif messages repeat the spec, which `what` already has */
    if (what && (q = strstr(p, " in `")) != NULL)
        *q = '\0';
    if ((q = strstr(p, ": near `")) != NULL)
        memmove(q, q + 1, strlen(q + 1) + 1);
    for (q = p; *q; q++)
        if (*q == '`')
            *q = '\'';
    *p = tolower((unsigned char)*p);

    if (what && lineno > 0) {
        xlcfg_where(st, (int)lineno, where, sizeof(where));
        if (is_error)
            xlcfg_err(st, "%s: invalid %s: %s", where, what, p);
        else
            xlcfg_warn(st, "%s: %s: %s", where, what, p);
    } else if (what) {
        if (is_error)
            xlcfg_err(st, "invalid %s: %s", what, p);
        else
            xlcfg_warn(st, "%s: %s", what, p);
    } else if (lineno > 0) {
        xlcfg_where(st, (int)lineno, where, sizeof(where));
        if (is_error)
            xlcfg_err(st, "%s: %s", where, p);
        else
            xlcfg_warn(st, "%s: %s", where, p);
    } else if (is_error) {
        xlcfg_err(st, "%s", p);
    } else {
        xlcfg_warn(st, "%s", p);
    }
    return 1;
}

/*
 * Report whatever libxlutil wrote since the last call.  Returns the
 * number of lines reported.
 */
int xlcfg_drain(struct xlcfg_st *st, const char *what, int is_error)
{
    int n = 0;

    if (!st->rep)
        return 0;
    fflush(st->rep);
    while (st->rep_off < st->rep_size) {
        char *start = st->rep_buf + st->rep_off;
        char *nl = memchr(start, '\n', st->rep_size - st->rep_off);
        size_t len = nl ? (size_t)(nl - start) + 1
                        : st->rep_size - st->rep_off;
        char *line = strndup(start, len);

        st->rep_off += len;
        if (!line)
            return n;
        /* Python noise is dropped: it is no error of its own. */
        n += xlcfg_rep_line(st, line, what, is_error);
        free(line);
    }
    return n;
}

int xlcfg_xlu_result(struct xlcfg_st *st, const char *what, int e,
                     bool say_errno)
{
    if (!e) {
        xlcfg_drain(st, what, 0);
        return 0;
    }
    if (xlcfg_drain(st, what, 1))
        return -1;
    if (say_errno)
        return xlcfg_err(st, "invalid %s: %s", what, xlcfg_strerror(st, e));
    return xlcfg_err(st, "invalid %s", what);
}

/* ---------------------------------------------------------------------
 * Strict accessors.  Each returns 0 when the key is set and valid, 1 when
 * it is absent, -1 after reporting a bad value.
 */

int xlcfg_is_list(struct xlcfg_st *st, const char *key)
{
    return xlu_cfg_get_list(st->xlu, key, NULL, NULL, 1) == 0;
}

int xlcfg_str(struct xlcfg_st *st, const char *key, const char **v)
{
    int e = xlu_cfg_get_string(st->xlu, key, v, 1);

    if (e == ESRCH)
        return 1;
    if (e)
        return xlcfg_err(st, "invalid value for '%s': expected a single "
                         "value, not a list", key);
    return 0;
}

int xlcfg_strdup(struct xlcfg_st *st, const char *key, char **dst)
{
    const char *v;
    int rc = xlcfg_str(st, key, &v);
    char *c;

    if (rc)
        return rc;
    c = strdup(v);
    if (!c)
        return xlcfg_err(st, "out of memory");
    free(*dst);
    *dst = c;
    return 0;
}

int xlcfg_bounded(struct xlcfg_st *st, const char *key, long min,
                         long max, long *l)
{
    const char *v;
    char *ep;
    int e = xlu_cfg_get_bounded_long(st->xlu, key, min, max, l, 1);

    if (e == ESRCH)
        return 1;
    if (!e)
        return 0;
    if (xlcfg_str(st, key, &v))
        return -1;
    if (e == ERANGE)
        return xlcfg_err(st, "invalid value '%s' for '%s': out of range",
                         v, key);
    errno = 0;
    *l = strtol(v, &ep, 0);
    if (errno || *ep || ep == v)
        return xlcfg_err(st, "invalid value '%s' for '%s': not a number",
                         v, key);
    if (*l < min || *l > max)
        return xlcfg_err(st, "invalid value '%s' for '%s': out of range "
                         "(%ld to %ld)", v, key, min, max);
    return xlcfg_err(st, "invalid value for '%s': cannot use += with a "
                     "number", key);
}

int xlcfg_long(struct xlcfg_st *st, const char *key, long *l)
{
    return xlcfg_bounded(st, key, LONG_MIN, LONG_MAX, l);
}

int xlcfg_mb(struct xlcfg_st *st, const char *key, uint64_t *kb)
{
    long l;
    int rc = xlcfg_bounded(st, key, 0, LONG_MAX / 1024, &l);

    if (!rc)
        *kb = (uint64_t)l * 1024;
    return rc;
}

int xlcfg_bool(struct xlcfg_st *st, const char *key,
                      libxl_defbool *b)
{
    long l;
    int rc = xlcfg_long(st, key, &l);

    if (!rc)
        libxl_defbool_set(b, !!l);
    return rc;
}

int xlcfg_list(struct xlcfg_st *st, const char *key,
                      XLU_ConfigList **list, int *n)
{
    int e = xlu_cfg_get_list(st->xlu, key, list, n, 1);

    if (e == ESRCH)
        return 1;
    if (e)
        return xlcfg_err(st, "invalid value for '%s': expected a list",
                         key);
    return 0;
}

int xlcfg_item(struct xlcfg_st *st, const char *key,
                      XLU_ConfigList *list, int i, const char **item)
{
    XLU_ConfigValue *v = xlu_cfg_get_listitem2(list, i);

    *item = NULL;
    if (!v)
        return 0;
    *item = xlu_cfg_get_listitem(list, i);
    if (!*item)
        return xlcfg_err(st, "invalid value for '%s': item %d is a list, "
                         "expected a string", key, i + 1);
    return 0;
}

int xlcfg_strlist(struct xlcfg_st *st, const char *key,
                         libxl_string_list *sl)
{
    XLU_ConfigList *list;
    const char *item;
    int rc, n, i;

    rc = xlcfg_list(st, key, &list, &n);
    if (rc)
        return rc;
    for (i = 0; i < n; i++)
        if (xlcfg_item(st, key, list, i, &item))
            return -1;
    if (xlu_cfg_get_list_as_string_list(st->xlu, key, sl, 1))
        return xlcfg_err(st, "out of memory");
    return 0;
}

int xlcfg_int(struct xlcfg_st *st, const char *key, int *dst)
{
    long l;
    int rc = xlcfg_long(st, key, &l);

    if (!rc)
        *dst = l;
    return rc;
}

/* How each xlcfg_type is read: the accessors differ only in their type. */
typedef int xlcfg_get_fn(struct xlcfg_st *st, const char *key, void *dst);
#define XLCFG_GETTER(fn) ((xlcfg_get_fn *)(void (*)(void))(fn))
static xlcfg_get_fn *const xlcfg_getters[] = {
    [XLCFG_T_INT] = XLCFG_GETTER(xlcfg_int),
    [XLCFG_T_BOOL] = XLCFG_GETTER(xlcfg_bool),
    [XLCFG_T_STR] = XLCFG_GETTER(xlcfg_strdup),
    [XLCFG_T_MB] = XLCFG_GETTER(xlcfg_mb),
    [XLCFG_T_STRLIST] = XLCFG_GETTER(xlcfg_strlist),
};

int xlcfg_scalars(struct xlcfg_st *st, void *base,
                  const struct xlcfg_scalar *t, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (xlcfg_getters[t[i].type](st, t[i].key,
                                     (char *)base + t[i].off) < 0)
            return -1;
    return 0;
}

int xlcfg_str_or_list(struct xlcfg_st *st, const char *key,
                      libxl_string_list *sl, char **s)
{
    if (xlcfg_is_list(st, key))
        return xlcfg_strlist(st, key, sl) < 0 ? -1 : 0;
    return xlcfg_strdup(st, key, s) < 0 ? -1 : 0;
}

int xlcfg_enum_or_long(struct xlcfg_st *st, const char *key,
                              long min, long max, int *dst,
                              int (*from_string)(const char *, void *),
                              const char *(*to_string)(int))
{
    const char *buf, *s;
    char *ep;
    long l;
    int rc = xlcfg_str(st, key, &buf);

    if (rc)
        return rc;
    errno = 0;
    l = strtol(buf, &ep, 0);
    if (!errno && *buf && !*ep && !xlu_cfg_get_long(st->xlu, key, &l, 1)) {
        s = to_string((int)l);
        if (s)
            xlcfg_warn(st, "'%s' as a number is deprecated, use "
                       "%s=\"%s\"", key, key, s);
        else
            xlcfg_warn(st, "'%s' as a number is deprecated", key);
        if (l < min || l > max)
            return xlcfg_err(st, "invalid value '%s' for '%s'", buf, key);
        *dst = (int)l;
        return 0;
    }
    if (from_string(buf, dst))
        return xlcfg_err(st, "invalid value '%s' for '%s'", buf, key);
    return 0;
}

/* ---------------------------------------------------------------------
 * Small helpers
 */

void *xlcfg_grow(struct xlcfg_st *st, void **array, int *count,
                        size_t size, void (*init)(void *))
{
    char *a = realloc(*array, size * (*count + 1));

    if (!a) {
        xlcfg_err(st, "out of memory");
        return NULL;
    }
    *array = a;
    a += size * *count;
    init(a);
    (*count)++;
    return a;
}

/* Is s a prefix of word?  ("" is a prefix of everything, as in xl.) */
int xlcfg_abbrev(const char *s, const char *word)
{
    return !strncmp(s, word, strlen(s));
}

/* The value of "key=value" in token if it starts with "key=", or NULL. */
const char *xlcfg_opt(const char *token, const char *key)
{
    size_t n = strlen(key);

    if (!strncmp(token, key, n) && token[n] == '=')
        return token + n + 1;
    return NULL;
}

int xlcfg_set_str(struct xlcfg_st *st, char **dst, const char *v)
{
    char *c = strdup(v);

    if (!c)
        return xlcfg_err(st, "out of memory");
    free(*dst);
    *dst = c;
    return 0;
}

/*
 * Split str at any of delim into a NULL-terminated list of non-empty
 * pieces, as strtok does.  Returns NULL on allocation failure.
 */
char **xlcfg_split(const char *str, const char *delim)
{
    char *s = strdup(str), *p, *save = NULL;
    char **sl = NULL, **nsl;
    int n = 0;

    if (!s)
        return NULL;
    sl = calloc(1, sizeof(*sl));
    if (!sl)
        goto fail;
    for (p = strtok_r(s, delim, &save); p; p = strtok_r(NULL, delim, &save)) {
        nsl = realloc(sl, (n + 2) * sizeof(*sl));
        if (!nsl)
            goto fail;
        sl = nsl;
        sl[n] = strdup(p);
        sl[n + 1] = NULL;
        if (!sl[n])
            goto fail;
        n++;
    }
    free(s);
    return sl;

fail:
    libxl_string_list_dispose(&sl);
    free(s);
    return NULL;
}

/*
 * xl's pair split: the first two pieces of str between delimiters (so
 * "a=b=c" gives "a" and "b").  Both are trimmed of white space.
 */
int xlcfg_pair(const char *str, const char *delim, char **a_r,
                      char **b_r)
{
    char **sl = xlcfg_split(str, delim);
    int i, rc = -1;

    *a_r = *b_r = NULL;
    if (!sl || !sl[0] || !sl[1])
        goto out;
    for (i = 0; i < 2; i++) {
        char *p = sl[i], *e;

        while (isspace((unsigned char)*p))
            p++;
        e = p + strlen(p);
        while (e > p && isspace((unsigned char)e[-1]))
            e--;
        *e = '\0';
        if (i)
            *b_r = strdup(p);
        else
            *a_r = strdup(p);
    }
    if (*a_r && *b_r)
        rc = 0;
out:
    if (rc) {
        free(*a_r);
        free(*b_r);
        *a_r = *b_r = NULL;
    }
    libxl_string_list_dispose(&sl);
    return rc;
}


/*
 * strtoull skips blanks and takes a sign; a range or a port list has no
 * use for a sign, and "-2" must not wrap round to a huge number.
 */
int xlcfg_number(const char *s, char **end_r, int base, uint64_t max,
                 uint64_t *v)
{
    const char *p = s + strspn(s, " \t\n\v\f\r");
    unsigned long long ull;
    char *end;

    if (base == 16 ? !isxdigit((unsigned char)*p)
                   : !isdigit((unsigned char)*p))
        return -1;
    errno = 0;
    ull = strtoull(p, &end, base);
    if (errno || ull > max || (!end_r && *end))
        return -1;
    if (end_r)
        *end_r = end;
    *v = ull;
    return 0;
}

int xlcfg_range(const char *s, int base, uint64_t max, uint64_t *first_r,
                uint64_t *last_r)
{
    char *end;

    if (xlcfg_number(s, &end, base, max, first_r))
        return -1;
    *last_r = *first_r;
    if (*end == '-' &&
        (xlcfg_number(end + 1, &end, base, max, last_r) ||
         *last_r < *first_r))
        return -1;
    return *end ? -1 : 0;
}

int xlcfg_ulong(struct xlcfg_st *st, const char *what, const char *s,
                unsigned long *v)
{
    uint64_t n;

    if (xlcfg_number(s, NULL, 10, ULONG_MAX - 1, &n))
        return xlcfg_err(st, "invalid value '%s' for '%s': not a number",
                         s, what);
    *v = n;
    return 0;
}

int xlcfg_tokens(struct xlcfg_st *st, const char *spec, void *dev,
                 xlcfg_tok_fn *fn, bool stop_at_bare)
{
    char *buf = strdup(spec), *p, *save = NULL;
    int rc = 0;

    if (!buf)
        return xlcfg_err(st, "out of memory");
    for (p = strtok_r(buf, ",", &save); p && !rc;
         p = strtok_r(NULL, ",", &save)) {
        while (*p == ' ')
            p++;
        if (stop_at_bare && !strchr(p, '='))
            break;
        rc = fn(st, dev, p);
    }
    free(buf);
    return rc;
}

int xlcfg_slurp(const char *path, char **data_r, size_t *len_r)
{
    FILE *f = fopen(path, "r");
    char *data = NULL, *nd;
    size_t len = 0, cap = 0, n;
    int e = 0;

    *data_r = NULL;
    *len_r = 0;
    if (!f)
        return errno;
    for (;;) {
        if (cap - len < 4096) {
            cap = cap ? cap * 2 : 8192;
            nd = realloc(data, cap + 1);
            if (!nd) {
                e = ENOMEM;
                goto out;
            }
            data = nd;
        }
        n = fread(data + len, 1, cap - len, f);
        len += n;
        if (n == 0) {
            if (ferror(f))
                e = errno ? errno : EIO;
            break;
        }
    }
    data[len] = '\0';
out:
    fclose(f);
    if (e) {
        free(data);
        return e;
    }
    *data_r = data;
    *len_r = len;
    return 0;
}
