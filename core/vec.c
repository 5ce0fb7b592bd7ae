/*
 * vec: growing arrays (vec.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vec.h"

int vec_room(void *v_r, size_t n, size_t *alloc, size_t sz)
{
    char **v = v_r, *p;
    size_t want = *alloc ? *alloc * 2 : 16;

    if (n >= *alloc) {
        p = realloc(*v, want * sz);
        if (!p) {
            errno = ENOMEM;
            return -1;
        }
        *v = p;
        *alloc = want;
    }
    memset(*v + n * sz, 0, sz);
    return 0;
}
