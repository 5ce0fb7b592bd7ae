/*
 * tap.h: the TAP printing shared by axl's C unit tests.  Each test file
 * includes it once; check() prints `ok N - title` or `not ok N - title`,
 * tap_done() prints the plan and gives main()'s return value.
 */
#ifndef AXL_TEST_TAP_H
#define AXL_TEST_TAP_H

#include <stdio.h>

static int tap_n, tap_failed;

static inline void check(int cond, const char *title)
{
    tap_n++;
    if (!cond)
        tap_failed++;
    printf("%sok %d - %s\n", cond ? "" : "not ", tap_n, title);
}

static inline int tap_done(void)
{
    printf("1..%d\n", tap_n);
    return tap_failed != 0;
}

#endif
