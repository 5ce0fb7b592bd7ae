/*
 * fuzz_parse: the input, cut at its first NUL byte, is one command-line
 * value given to each of cli/parse.h's parsers (parse_duration_ms,
 * parse_uint, parse_mem_kb, parse_pci_bdf) and to xlcfg_cpu_list() (a
 * CPU list as cpus= and vcpu-pin take it); its first bytes are also the
 * option counts given to parse_sched_check() and parse_rtds_check().
 *
 * Contract checked: no crash, leak or undefined behaviour, and what an
 * accepted value parses to is within the bounds the header promises.
 */
#include <limits.h>
#include <stdio.h>

#include "fuzz.h"
#include "../../cli/parse.h"
#include "../../core/xlcfg.h"

#define FUZZ_WEEK_MS (7ull * 24 * 3600 * 1000)

static void fuzz_report(void *user, int is_error, const char *msg)
{
    FUZZ_ASSERT(msg != NULL);
    *(int *)user += is_error;
}

static void fuzz_numbers(const char *s)
{
    unsigned long v, small = 0;
    uint64_t ms, kb;
    struct parse_bdf bdf;

    if (parse_duration_ms(s, &ms) == 0)
        FUZZ_ASSERT(ms >= 1 && ms <= FUZZ_WEEK_MS);

    if (parse_uint(s, ULONG_MAX, &v) == 0) {
        char again[32];

        /* Plain decimal digits: printing it back gives s, less its
         * leading zeros. */
        snprintf(again, sizeof(again), "%lu", v);
        FUZZ_ASSERT(!strcmp(again, s + strspn(s, "0")) ||
                    (v == 0 && s[strspn(s, "0")] == '\0'));
        FUZZ_ASSERT(parse_uint(s, 1000, &small) == (v <= 1000 ? 0 : -1));
    }

    if (parse_mem_kb(s, &kb) == 0)
        FUZZ_ASSERT(kb <= (uint64_t)INT64_MAX);

    if (parse_pci_bdf(s, &bdf) == 0)
        FUZZ_ASSERT(bdf.domain <= 0xffff && bdf.bus <= 0xff &&
                    bdf.dev <= 0x1f && bdf.func <= 7);
}

static void fuzz_cpus(const char *s)
{
    libxl_bitmap map;
    int errors = 0, rc;

    libxl_bitmap_init(&map);
    map.map = calloc(XLCFG_NOCTX_MAX_CPUS / 8, 1);
    if (!map.map)
        return;
    map.size = XLCFG_NOCTX_MAX_CPUS / 8;
    rc = xlcfg_cpu_list(NULL, "cpus", s, &map, fuzz_report, &errors);
    FUZZ_ASSERT(rc == 0 || errors > 0);
    libxl_bitmap_dispose(&map);
}

static void fuzz_checks(const uint8_t *data, size_t size)
{
    struct parse_rtds r;
    char err[128];
    int rc;

    if (size < 2)
        return;
    rc = parse_sched_check(data[0] | (data[1] & 1u) << 8, err, sizeof(err));
    FUZZ_ASSERT(rc == 0 || (err[0] && strlen(err) < sizeof(err)));
    /* A short buffer must still be terminated, never overrun. */
    rc = parse_sched_check(data[0] | (data[1] & 1u) << 8, err, 8);
    FUZZ_ASSERT(rc == 0 || strlen(err) < 8);

    if (size < 10)
        return;
    r.domain = data[2] & 3;
    r.cpupool = data[3] & 3;
    r.json = data[4] & 3;
    r.vcpus = data[5] & 15;
    r.all = data[6] & 3;
    r.period = data[7] & 15;
    r.budget = data[8] & 15;
    r.extratime = data[9] & 15;
    rc = parse_rtds_check(&r, err, sizeof(err));
    FUZZ_ASSERT(rc == 0 || (err[0] && strlen(err) < sizeof(err)));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_string(data, size);

    if (!s)
        return 0;
    fuzz_numbers(s);
    fuzz_cpus(s);
    fuzz_checks(data, size);
    free(s);
    return 0;
}
