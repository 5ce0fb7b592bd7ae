/*
 * parse: bounded number and duration parsing.
 */
#include <ctype.h>
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

/* One hexadecimal field no greater than max, ending at the character
 * stop ('\0' for the last); *s moves past it. */
static int parse_hex_field(const char **s, char stop, unsigned max,
                           unsigned *v_r)
{
    unsigned long v = 0;
    const char *p = *s;
    int n = 0;

    for (; isxdigit((unsigned char)*p) && n < 5; p++, n++)
        v = v * 16 + (isdigit((unsigned char)*p)
                          ? (unsigned)(*p - '0')
                          : (unsigned)(tolower((unsigned char)*p) - 'a' + 10));
    if (!n || *p != stop || v > max)
        return -1;
    *v_r = (unsigned)v;
    *s = stop ? p + 1 : p;
    return 0;
}

int parse_pci_bdf(const char *s, struct parse_bdf *bdf)
{
    const char *p = s;
    int colons = 0;

    for (; s && *p; p++)
        colons += *p == ':';
    if (!s || colons < 1 || colons > 2)
        return -1;
    p = s;
    bdf->domain = 0;
    if (colons == 2 && parse_hex_field(&p, ':', 0xffff, &bdf->domain) < 0)
        return -1;
    if (parse_hex_field(&p, ':', 0xff, &bdf->bus) < 0 ||
        parse_hex_field(&p, '.', 0x1f, &bdf->dev) < 0 ||
        parse_hex_field(&p, '\0', 0x7, &bdf->func) < 0)
        return -1;
    return 0;
}
