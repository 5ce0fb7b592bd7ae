/*
 * testpoint: stop at a named instant (testpoint.h).
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "testpoint.h"

void testpoint(const char *name)
{
    const char *want = getenv("AXL_TEST_STOP");

    if (want && !strcmp(want, name))
        raise(SIGSTOP);
}
