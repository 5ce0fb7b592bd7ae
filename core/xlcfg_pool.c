/*
 * CPU lists and pools from the command line: a CPU list as xl vcpu-pin
 * and cpupool-cpu-add take it, xl.conf's CPU masks for vcpu-pin, and a
 * CPU pool configuration for cpupool-create.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libxl_utils.h>

#include "xlcfg_int.h"

/* Node maps without a libxl context: more nodes than any host has. */
#define XLCFG_NOCTX_MAX_NODES 64

/* A parse state for one of the entry points below. */
static void xlcfg_pool_st(struct xlcfg_st *st, libxl_ctx *ctx,
                          const struct xlcfg_opts *opts, const char *source)
{
    memset(st, 0, sizeof(*st));
    st->ctx = ctx;
    st->opts = opts;
    st->source = source;
    st->cur_ovr = -1;
    xlcfg_global_init(&st->g);
}

static void xlcfg_pool_st_dispose(struct xlcfg_st *st)
{
    xlu_cfg_destroy(st->xlu);
    if (st->rep)
        fclose(st->rep);
    free(st->rep_buf);
    xlcfg_global_dispose(&st->g);
}

int xlcfg_cpu_list(libxl_ctx *ctx, const char *what, const char *str,
                   libxl_bitmap *map, xlcfg_report_fn *report, void *user)
{
    struct xlcfg_opts o = { .report = report, .user = user };
    struct xlcfg_st st;
    int rc;

    xlcfg_pool_st(&st, ctx, &o, "command line");
    if (!*str)
        rc = xlcfg_err(&st, "invalid value '' for '%s': not a cpu range",
                       what);
    else
        rc = xlcfg_cpurange(&st, what, str, map);
    xlcfg_pool_st_dispose(&st);
    return rc;
}

int xlcfg_global_affinity(libxl_ctx *ctx, const struct xlcfg_opts *opts,
                          libxl_domain_type type, libxl_bitmap *hard)
{
    struct xlcfg_st st;
    const libxl_bitmap *tmask;
    int j, rc = -1;

    xlcfg_pool_st(&st, ctx, opts, "command line");
    if (xlcfg_global_read(&st))
        goto out;
    tmask = type == LIBXL_DOMAIN_TYPE_PV ? &st.g.pv_mask : &st.g.hvm_mask;
    for (j = 0; j < (int)hard->size; j++) {
        uint8_t m = 0xff;

        if (j < (int)st.g.vm_mask.size)
            m &= st.g.vm_mask.map[j];
        if (j < (int)tmask->size)
            m &= tmask->map[j];
        hard->map[j] &= m;
    }
    if (libxl_bitmap_is_empty(hard)) {
        xlcfg_err(&st, "the global cpu masks (vm.cpumask, vm.%s.cpumask) "
                  "leave no cpu of the hard affinity",
                  type == LIBXL_DOMAIN_TYPE_PV ? "pv" : "hvm");
        goto out;
    }
    rc = 0;
out:
    xlcfg_pool_st_dispose(&st);
    return rc;
}

void xlcfg_cpupool_init(struct xlcfg_cpupool *pool)
{
    memset(pool, 0, sizeof(*pool));
    libxl_bitmap_init(&pool->map);
}

void xlcfg_cpupool_dispose(struct xlcfg_cpupool *pool)
{
    free(pool->name);
    libxl_bitmap_dispose(&pool->map);
    xlcfg_cpupool_init(pool);
}

/* The numbers of list key, each below the map's size, into the map. */
static int xlcfg_pool_numbers(struct xlcfg_st *st, const char *key,
                              const char *what, libxl_bitmap *map)
{
    XLU_ConfigList *list;
    const char *item;
    uint64_t v;
    int i, n;

    if (xlcfg_list(st, key, &list, &n))
        return -1;
    for (i = 0; i < n; i++) {
        if (xlcfg_item(st, key, list, i, &item))
            return -1;
        if (xlcfg_number(item, NULL, 10, UINT32_MAX, &v))
            return xlcfg_err(st, "invalid value '%s' for '%s': not a "
                             "number", item, key);
        if (v >= (uint64_t)map->size * 8)
            return xlcfg_err(st, "invalid value '%s' for '%s': no such %s",
                             item, key, what);
        libxl_bitmap_set(map, (int)v);
    }
    return 0;
}

/* nodes = [ ... ] or cpus = [ ... ] / "LIST" into pool->map. */
static int xlcfg_pool_cpus(struct xlcfg_st *st, struct xlcfg_cpupool *pool)
{
    const char *buf;
    int rc, nodes;

    rc = xlcfg_list(st, "nodes", NULL, NULL);
    if (rc < 0)
        return -1;
    if (rc == 0) {
        nodes = st->ctx ? libxl_get_max_nodes(st->ctx)
                        : XLCFG_NOCTX_MAX_NODES;
        if (nodes <= 0)
            return xlcfg_err(st, "cannot get the number of host nodes");
        pool->from = XLCFG_POOL_NODES;
        return xlcfg_bitmap_alloc(st, &pool->map, nodes) ||
               xlcfg_pool_numbers(st, "nodes", "node", &pool->map) ? -1 : 0;
    }
    if (xlcfg_is_list(st, "cpus")) {
        pool->from = XLCFG_POOL_CPUS;
        return xlcfg_cpu_bitmap(st, &pool->map, 0) ||
               xlcfg_pool_numbers(st, "cpus", "cpu", &pool->map) ? -1 : 0;
    }
    rc = xlcfg_str(st, "cpus", &buf);
    if (rc)
        return rc < 0 ? -1 : 0;
    pool->from = XLCFG_POOL_CPUS;
    return xlcfg_cpu_bitmap(st, &pool->map, 0) ||
           xlcfg_cpurange(st, "cpus", buf, &pool->map) ? -1 : 0;
}

int xlcfg_cpupool_parse(libxl_ctx *ctx, const struct xlcfg_opts *opts,
                        struct xlcfg_cpupool *pool)
{
    struct xlcfg_st st;
    const char *buf;
    char *data = NULL;
    size_t len = 0;
    int e, rc = -1;

    xlcfg_pool_st(&st, ctx, opts, opts->path ? opts->path : "command line");
    if (opts->path) {
        e = xlcfg_slurp(opts->path, &data, &len);
        if (e) {
            xlcfg_err(&st, "config file '%s': %s", opts->path,
                      xlcfg_strerror(&st, e));
            goto out;
        }
    }
    if (xlcfg_read_text(&st, data ? data : "", len) ||
        xlcfg_strdup(&st, "name", &pool->name) < 0)
        goto out;
    e = xlcfg_str(&st, "sched", &buf);
    if (e < 0)
        goto out;
    if (e == 0) {
        if (libxl_scheduler_from_string(buf, &pool->sched)) {
            xlcfg_err(&st, "invalid value '%s' for 'sched': not a "
                      "scheduler (credit, credit2, rtds, null, arinc653)",
                      buf);
            goto out;
        }
        pool->has_sched = true;
    }
    if (xlcfg_pool_cpus(&st, pool))
        goto out;
    xlcfg_drain(&st, NULL, 0);
    rc = 0;
out:
    xlcfg_pool_st_dispose(&st);
    free(data);
    return rc;
}
