/*
 * parse: bounded number and duration parsing.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

/* Longest duration accepted: a week is longer than any sane timeout. */
#define PARSE_MAX_DURATION_MS (7ull * 24 * 3600 * 1000)

int parse_duration_ms(const char *s, uint64_t *ms_r)
{
    static const struct { const char *unit; double ms; } units[] = {
        { "ms", 1 }, { "s", 1000 }, { "", 1000 }, { "m", 60000 },
        { "h", 3600000 },
    };
    const char *p = s;
    double v;
    size_t i;

    /* Digits, at most one '.', digits: no sign, hex, exponent or space. */
    if (!s || (!(*p >= '0' && *p <= '9') && *p != '.'))
        return -1;
    p += strspn(p, "0123456789");
    if (*p == '.')
        p += 1 + strspn(p + 1, "0123456789");
    if (p == s || (p == s + 1 && *s == '.'))
        return -1;
    v = strtod(s, NULL);
    if (!isfinite(v) || v <= 0)
        return -1;
    for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
        double ms;

        if (strcmp(p, units[i].unit))
            continue;
        ms = v * units[i].ms;
        if (ms < 1 || ms > (double)PARSE_MAX_DURATION_MS)
            return -1;
        *ms_r = (uint64_t)(ms + 0.5);
        return 0;
    }
    return -1;
}

int parse_uint(const char *s, unsigned long max, unsigned long *v_r)
{
    char *end;
    unsigned long v;

    if (!s || !(*s >= '0' && *s <= '9'))
        return -1;
    errno = 0;
    v = strtoul(s, &end, 10);
    if (errno || *end || v > max)
        return -1;
    *v_r = v;
    return 0;
}
