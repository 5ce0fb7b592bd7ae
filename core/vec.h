/*
 * vec: the one way core/ grows an array of structs it keeps in any
 * number (fd watches, children, journal records, xenstore watches).
 */
#ifndef AXL_VEC_H
#define AXL_VEC_H

#include <stddef.h>

/*
 * Make room in *v_r (a pointer to the array's pointer), which holds n
 * elements of size sz in *alloc allocated, for one more: the new
 * element, zeroed, at index n.  Returns 0, or -1 (errno ENOMEM; *v_r
 * unchanged).
 */
int vec_room(void *v_r, size_t n, size_t *alloc, size_t sz);

#endif
