/*
 * parse: pure parsing of command-line values; no libxl, no output.
 */
#ifndef AXL_PARSE_H
#define AXL_PARSE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Parse a duration: a positive number with an optional unit, "ms", "s"
 * (the default), "m" or "h" ("30s", "2m", "1h", "1.5s", "250ms").
 * Returns 0 and sets *ms_r, or -1 if s is not a valid duration.
 */
int parse_duration_ms(const char *s, uint64_t *ms_r);

/*
 * Parse a non-negative decimal integer no greater than max, with no
 * sign, no spaces and no trailing characters.  Returns 0 or -1.
 */
int parse_uint(const char *s, unsigned long max, unsigned long *v_r);

/*
 * Parse a memory size as xl mem-set and mem-max take it: a number of MiB,
 * or a number with one of the suffixes b, k, m, g, t (either case) for
 * bytes, KiB, MiB, GiB, TiB.  No sign, no spaces.  Returns 0 and sets
 * *kb_r (KiB, bytes rounded down), or -1 if s is not such a size or
 * overflows INT64_MAX KiB.
 */
int parse_mem_kb(const char *s, uint64_t *kb_r);

/* The options of a sched-credit or sched-credit2 command line. */
#define PARSE_SCHED_DOMAIN  0x001u  /* -d */
#define PARSE_SCHED_WEIGHT  0x002u  /* -w */
#define PARSE_SCHED_CAP     0x004u  /* -c */
#define PARSE_SCHED_PARAM   0x008u  /* -s */
#define PARSE_SCHED_POOL    0x010u  /* -p */
#define PARSE_SCHED_TSLICE  0x020u  /* -t */
#define PARSE_SCHED_RATE    0x040u  /* -r */
#define PARSE_SCHED_DELAY   0x080u  /* -m */
#define PARSE_SCHED_JSON    0x100u  /* --json */
/* What sets a value: the rest only say what to show. */
#define PARSE_SCHED_SETS (PARSE_SCHED_WEIGHT | PARSE_SCHED_CAP | \
                          PARSE_SCHED_TSLICE | PARSE_SCHED_RATE | \
                          PARSE_SCHED_DELAY)

/*
 * Whether the options given (PARSE_SCHED_* bits) make one of the
 * scheduler commands' forms: list every pool's domains [-p], show or set
 * one domain (-d [-w] [-c]), show or set a pool's parameters (-s [-p]
 * [-t] [-r] [-m]).  Returns 0, or -1 with what is wrong in err (one
 * lowercase phrase naming the options).
 */
int parse_sched_check(unsigned given, char *err, size_t len);

/* How often each option of a sched-rtds command line was given. */
struct parse_rtds {
    int domain, cpupool, json;  /* -d, -c, --json */
    int vcpus;                  /* -v with a vCPU number */
    int all;                    /* -v all */
    int period, budget, extratime;  /* -p, -b, -e */
};

/*
 * Whether the options make one of sched-rtds's forms: list every RTDS
 * pool's domains [-c], or their vCPUs (-v all); show a domain (-d), some
 * or all of its vCPUs (-d -v ...); set vCPUs (-d -v ... with one -p, -b
 * and -e for each -v, or one each with -v all).  Returns 0, or -1 with
 * what is wrong in err (one lowercase phrase naming the options).
 */
int parse_rtds_check(const struct parse_rtds *r, char *err, size_t len);

/* A PCI address: domain, bus, device (slot) and function. */
struct parse_bdf {
    unsigned domain, bus, dev, func;
};

/*
 * Parse a PCI address "[DDDD:]BB:DD.F" in hexadecimal, as xl takes it
 * (the domain is 0 when left out).  Returns 0 or -1.
 */
int parse_pci_bdf(const char *s, struct parse_bdf *bdf);

#endif
