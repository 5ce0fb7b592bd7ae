/*
 * fuzz.h: what axl's libFuzzer harnesses share.  Each harness includes
 * it once.  Nothing here is linked into axl.
 */
#ifndef AXL_FUZZ_H
#define AXL_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* At most this many pieces are taken from one input. */
#define FUZZ_MAX_PIECES 64

/*
 * The input as pieces split at NUL bytes, in one malloc'd block that
 * *buf_r owns (free it); piece[i] points into it and piece[n] is NULL.
 * Bytes past the FUZZ_MAX_PIECES-th piece are dropped.  Returns n, or
 * -1 when out of memory.
 */
static inline int fuzz_split(const uint8_t *data, size_t size,
                             char **buf_r, char *piece[FUZZ_MAX_PIECES + 1])
{
    char *buf = malloc(size + 1);
    size_t i = 0;
    int n = 0;

    *buf_r = buf;
    if (!buf)
        return -1;
    memcpy(buf, data, size);
    buf[size] = '\0';
    while (n < FUZZ_MAX_PIECES && i <= size) {
        piece[n++] = buf + i;
        i += strlen(buf + i) + 1;
    }
    piece[n] = NULL;
    return n;
}

/* The input as one string, cut at its first NUL byte; malloc'd. */
static inline char *fuzz_string(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);

    if (s) {
        memcpy(s, data, size);
        s[size] = '\0';
    }
    return s;
}

/* Make a broken invariant a crash libFuzzer records. */
#define FUZZ_ASSERT(cond) \
    do { if (!(cond)) __builtin_trap(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
