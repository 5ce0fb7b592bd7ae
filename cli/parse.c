/*
 * parse: bounded number and duration parsing.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
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

int parse_mem_kb(const char *s, uint64_t *kb_r)
{
    static const struct { char c; int shift; } units[] = {
        { 'b', -10 }, { 'k', 0 }, { 'm', 10 }, { 'g', 20 }, { 't', 30 },
    };
    unsigned long long v;
    char *end;
    int shift = 10;     /* MiB without a suffix, as xl */
    size_t i;

    if (!s || !(*s >= '0' && *s <= '9'))
        return -1;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno)
        return -1;
    if (*end) {
        if (end[1])
            return -1;
        for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
            if (tolower((unsigned char)*end) == units[i].c)
                break;
        if (i == sizeof(units) / sizeof(units[0]))
            return -1;
        shift = units[i].shift;
    }
    if (shift < 0) {
        v >>= -shift;
    } else {
        if (v > (unsigned long long)INT64_MAX >> shift)
            return -1;
        v <<= shift;
    }
    *kb_r = v;
    return 0;
}

/* -t, -r or -m without -s: name the ones given. */
static int parse_sched_needs_s(unsigned given, char *err, size_t len)
{
    static const struct { unsigned bit; const char *name; } opts[] = {
        { PARSE_SCHED_TSLICE, "-t" }, { PARSE_SCHED_RATE, "-r" },
        { PARSE_SCHED_DELAY, "-m" },
    };
    size_t i, k = 0;
    int n = 0;

    for (i = 0; i < sizeof(opts) / sizeof(opts[0]) && k < len; i++) {
        if (!(given & opts[i].bit))
            continue;
        k += snprintf(err + k, len - k, "%s%s",
                      n++ ? " and " : "", opts[i].name);
    }
    if (k >= len)
        return -1;
    snprintf(err + k, len - k, " set%s a cpupool's "
             "parameters: give -s with %s", n > 1 ? "" : "s",
             n > 1 ? "them" : "it");
    return -1;
}

int parse_sched_check(unsigned given, char *err, size_t len)
{
    const unsigned dom = PARSE_SCHED_DOMAIN | PARSE_SCHED_WEIGHT |
                         PARSE_SCHED_CAP;
    const unsigned pool_set = PARSE_SCHED_TSLICE | PARSE_SCHED_RATE |
                              PARSE_SCHED_DELAY;
    const char *msg = NULL;

    if ((given & (PARSE_SCHED_PARAM | PARSE_SCHED_POOL)) && (given & dom))
        msg = "-s and -p cannot be combined with -d, -w or -c";
    else if ((given & dom) && !(given & PARSE_SCHED_DOMAIN))
        msg = "-w and -c set a domain's values: give the domain with -d";
    else if ((given & pool_set) && !(given & PARSE_SCHED_PARAM))
        return parse_sched_needs_s(given, err, len);
    else if ((given & PARSE_SCHED_JSON) && (given & PARSE_SCHED_SETS))
        msg = "--json goes with a listing, not with -w, -c, -t, -r or -m";
    if (!msg)
        return 0;
    snprintf(err, len, "%s", msg);
    return -1;
}

int parse_rtds_check(const struct parse_rtds *r, char *err, size_t len)
{
    int sets = r->period + r->budget + r->extratime;
    int per_v = r->all ? 1 : r->vcpus;
    const char *msg = NULL;

    if (r->cpupool && (r->domain || r->vcpus || r->all || sets))
        msg = "-c cannot be combined with -d, -v, -p, -b or -e";
    else if (!r->domain && (r->vcpus || sets))
        msg = "-v VCPU, -p, -b and -e act on a domain: give it with -d";
    else if (r->all && r->vcpus)
        msg = "-v all cannot be combined with -v VCPU";
    else if (sets && !r->vcpus && !r->all)
        msg = "-p, -b and -e set vcpus: give them with -v";
    else if (sets && (r->period != per_v || r->budget != per_v ||
                      r->extratime != per_v))
        msg = "give one -p, one -b and one -e for each -v";
    else if (sets && r->json)
        msg = "--json goes with a listing, not with -p, -b or -e";
    if (!msg)
        return 0;
    snprintf(err, len, "%s", msg);
    return -1;
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
