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
    char *end;
    double v;
    size_t i;

    if (!s || !*s || !((*s >= '0' && *s <= '9') || *s == '.'))
        return -1;
    errno = 0;
    v = strtod(s, &end);
    if (errno || end == s || !isfinite(v) || v <= 0)
        return -1;
    for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
        double ms;

        if (strcmp(end, units[i].unit))
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
