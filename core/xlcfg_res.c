/*
 * Passthrough resources (ioports, irqs, iomem): each a list of strings
 * that fills an array in the build info.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <libxl_utils.h>

#include "xlcfg_int.h"

/* ioports = [ "3f8", "2f8-2ff" ]: hexadecimal ports and ranges. */
static int xlcfg_ioport(struct xlcfg_st *st, void *res, const char *s)
{
    libxl_ioport_range *io = res;
    uint64_t first, last;

    if (xlcfg_range(s, 16, UINT32_MAX - 1, &first, &last))
        return xlcfg_err(st, "invalid value '%s' for 'ioports': expected a "
                         "hex port or range", s);
    io->first = first;
    io->number = last - first + 1;
    return 0;
}

/* irqs = [ 4, 7 ] as strings: decimal interrupt numbers. */
static int xlcfg_irq(struct xlcfg_st *st, void *res, const char *s)
{
    uint64_t irq;

    if (xlcfg_number(s, NULL, 10, UINT32_MAX - 1, &irq))
        return xlcfg_err(st, "invalid value '%s' for 'irqs': not an irq "
                         "number", s);
    *(uint32_t *)res = irq;
    return 0;
}

/* iomem = [ "START,NUM[@GFN]" ] in hexadecimal page numbers. */
static int xlcfg_iomem(struct xlcfg_st *st, void *res, const char *s)
{
    libxl_iomem_range *r = res;
    char *end;

    if (xlcfg_number(s, &end, 16, UINT64_MAX, &r->start) || *end != ',' ||
        xlcfg_number(end + 1, &end, 16, UINT64_MAX, &r->number) ||
        (*end == '@' &&
         xlcfg_number(end + 1, &end, 16, UINT64_MAX, &r->gfn)) ||
        *end)
        return xlcfg_err(st, "invalid value '%s' for 'iomem': expected "
                         "START,NUM[@GFN] in hex", s);
    return 0;
}

/* A resource list: its key, its array in the build info, its items. */
struct xlcfg_res_kind {
    const char *key;
    size_t arr_off, num_off, size;
    void (*init)(void *);       /* or NULL: zeroed is initialised */
    int (*parse)(struct xlcfg_st *st, void *res, const char *s);
};

static const struct xlcfg_res_kind xlcfg_res_kinds[] = {
    { "ioports", offsetof(libxl_domain_build_info, ioports),
      offsetof(libxl_domain_build_info, num_ioports),
      sizeof(libxl_ioport_range), NULL, xlcfg_ioport },
    { "irqs", offsetof(libxl_domain_build_info, irqs),
      offsetof(libxl_domain_build_info, num_irqs), sizeof(uint32_t), NULL,
      xlcfg_irq },
    { "iomem", offsetof(libxl_domain_build_info, iomem),
      offsetof(libxl_domain_build_info, num_iomem),
      sizeof(libxl_iomem_range), XLCFG_INIT_FN(libxl_iomem_range_init),
      xlcfg_iomem },
};

int xlcfg_resources(struct xlcfg_st *st, libxl_domain_build_info *b)
{
    XLU_ConfigList *list;
    const char *s;
    char *arr;
    unsigned k;
    int n, i, rc;

    for (k = 0; k < XLCFG_ARRAY_SIZE(xlcfg_res_kinds); k++) {
        size_t size = xlcfg_res_kinds[k].size;

        rc = xlcfg_list(st, xlcfg_res_kinds[k].key, &list, &n);
        if (rc < 0)
            return -1;
        if (rc)
            continue;
        arr = calloc(n ? n : 1, size);
        if (!arr)
            return xlcfg_err(st, "out of memory");
        *(void **)((char *)b + xlcfg_res_kinds[k].arr_off) = arr;
        *(int *)((char *)b + xlcfg_res_kinds[k].num_off) = n;
        for (i = 0; xlcfg_res_kinds[k].init && i < n; i++)
            xlcfg_res_kinds[k].init(arr + i * size);
        for (i = 0; i < n; i++)
            if (xlcfg_item(st, xlcfg_res_kinds[k].key, list, i, &s) ||
                xlcfg_res_kinds[k].parse(st, arr + i * size, s))
                return -1;
    }
    return 0;
}
