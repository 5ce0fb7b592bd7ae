/*
 * test_listing: what the listings share (cli/cmd_util.c) - xl's state
 * letters, its CPU time rounding, its CPU and node map text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../cli/cmd_dom.h"
#include "tap.h"

/* A map of n bits from a string of '0' and '1', bit 0 first. */
static void map_of(libxl_bitmap *m, uint8_t *bytes, const char *bits)
{
    size_t i;

    memset(bytes, 0, 8);
    for (i = 0; bits[i]; i++)
        if (bits[i] == '1')
            bytes[i / 8] |= 1u << (i % 8);
    m->size = 8;
    m->map = bytes;
}

static void map_is(const char *bits, int n, const char *want)
{
    uint8_t bytes[8];
    libxl_bitmap m;
    char *got, title[128];

    map_of(&m, bytes, bits);
    got = cmd_bitmap_text(&m, n);
    snprintf(title, sizeof(title), "map %s of %d bits is '%s'", bits, n,
             want);
    check(got && !strcmp(got, want), title);
    if (got && strcmp(got, want))
        printf("# got '%s'\n", got);
    free(got);
}

static void state_is(libxl_dominfo *d, const char *want, const char *title)
{
    char buf[7];

    check(!strcmp(cmd_dom_state(d, buf), want), title);
}

int main(void)
{
    libxl_dominfo d;
    char buf[32];

    map_is("1111", 4, "all");
    map_is("0000", 4, "none");
    map_is("", 0, "none");
    map_is("0111", 4, "1-3");
    map_is("1110", 4, "0-2");
    map_is("1011", 4, "0,2-3");
    map_is("10101", 5, "0,2,4");
    map_is("1111", 2, "all");           /* only the first n bits count */
    map_is("110111", 6, "0-1,3-5");

    memset(&d, 0, sizeof(d));
    state_is(&d, "------", "a domain doing nothing: ------");
    d.running = true;
    state_is(&d, "r-----", "running: r-----");
    d.running = false;
    d.paused = true;
    d.blocked = true;
    state_is(&d, "-bp---", "blocked and paused: -bp---");
    memset(&d, 0, sizeof(d));
    d.shutdown = true;
    d.shutdown_reason = LIBXL_SHUTDOWN_REASON_POWEROFF;
    state_is(&d, "---s--", "shut down by poweroff: ---s--");
    d.shutdown_reason = LIBXL_SHUTDOWN_REASON_CRASH;
    d.dying = true;
    state_is(&d, "---scd", "crashed and dying: ---scd");
    d.shutdown_reason = LIBXL_SHUTDOWN_REASON_SOFT_RESET;
    state_is(&d, "---sSd", "soft reset: ---sSd");
    d.shutdown_reason = 77;
    state_is(&d, "---s?d", "an unknown reason: ?");
    d.shutdown = false;
    state_is(&d, "-----d", "a reason without shutdown is not shown");

    snprintf(buf, sizeof(buf), "%.1f", cmd_cpu_seconds(1234500000ull));
    check(!strcmp(buf, "1.2"), "1.2345 s shows as 1.2");
    snprintf(buf, sizeof(buf), "%.1f", cmd_cpu_seconds(0));
    check(!strcmp(buf, "0.0"), "0 s shows as 0.0");
    /* xl divides a float: 2^24 + 1 ns is rounded to 2^24 first. */
    check(cmd_cpu_seconds(16777217ull) == 16777216 / 1e9,
          "the time goes through a float, as xl's column");
    return tap_done();
}
