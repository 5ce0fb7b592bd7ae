/*
 * CPUs: CPU maps and the cpus/cpus_soft lists, virtual NUMA nodes, and
 * the cpuid policy.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <libxl_utils.h>

#include "xlcfg_int.h"

int xlcfg_bitmap_alloc(struct xlcfg_st *st, libxl_bitmap *bm, int n_bits)
{
    int sz = (n_bits + 7) / 8;

    libxl_bitmap_init(bm);
    bm->map = calloc(sz ? sz : 1, 1);
    if (!bm->map)
        return xlcfg_err(st, "out of memory");
    bm->size = sz;
    return 0;
}

int xlcfg_cpu_bitmap(struct xlcfg_st *st, libxl_bitmap *bm, int n)
{
    if (n < 0)
        return xlcfg_err(st, "invalid number of cpus %d", n);
    if (n == 0) {
        n = st->ctx ? libxl_get_max_cpus(st->ctx) : XLCFG_NOCTX_MAX_CPUS;
        if (n < 0)
            return xlcfg_err(st, "cannot get the number of host cpus");
    }
    return xlcfg_bitmap_alloc(st, bm, n);
}

static int xlcfg_bitmap_dup(struct xlcfg_st *st, libxl_bitmap *dst,
                            const libxl_bitmap *src)
{
    if (xlcfg_bitmap_alloc(st, dst, src->size * 8))
        return -1;
    memcpy(dst->map, src->map, src->size);
    return 0;
}

/* A '^' in a cpu list takes CPUs away instead of adding them. */
static void xlcfg_cpu_mark(libxl_bitmap *map, int cpu, bool neg)
{
    if (neg)
        libxl_bitmap_reset(map, cpu);
    else
        libxl_bitmap_set(map, cpu);
}

/* Add or remove one "[^][node[s]:]N[-M]" or "all" piece of a cpu list. */
static int xlcfg_cpurange_one(struct xlcfg_st *st, const char *what,
                              const char *str, libxl_bitmap *map)
{
    const char *s = str;
    uint64_t a, b;
    bool neg = false, nodes = false;
    libxl_bitmap nodemap;
    int rc = -1, i;

    libxl_bitmap_init(&nodemap);
    if (*s == '^') {
        neg = true;
        s++;
    }
    if (!strncmp(s, "node:", 5)) {
        nodes = true;
        s += 5;
    } else if (!strncmp(s, "nodes:", 6)) {
        nodes = true;
        s += 6;
    }
    if (!strcmp(s, "all")) {
        if (neg) {
            xlcfg_err(st, "invalid value '%s' for '%s': cannot combine "
                      "'^' and 'all'", str, what);
            goto out;
        }
        libxl_bitmap_set_any(map);
        rc = 0;
        goto out;
    }
    if (xlcfg_range(s, 10, ULONG_MAX - 1, &a, &b)) {
        xlcfg_err(st, "invalid value '%s' for '%s': not a cpu range",
                  str, what);
        goto out;
    }
    if (nodes) {
        if (!st->ctx) {
            xlcfg_err(st, "invalid value '%s' for '%s': numa nodes need a "
                      "connection to xen", str, what);
            goto out;
        }
        if (libxl_node_bitmap_alloc(st->ctx, &nodemap, 0)) {
            xlcfg_err(st, "cannot allocate a node map");
            goto out;
        }
    }
    /* CPUs past the map's end are not marked: do not walk to them. */
    if (!nodes && b >= (uint64_t)map->size * 8)
        b = map->size ? (uint64_t)map->size * 8 - 1 : 0;
    for (; a <= b && (nodes || a < (uint64_t)map->size * 8); a++) {
        if (!nodes) {
            xlcfg_cpu_mark(map, a, neg);
            continue;
        }
        if (libxl_node_to_cpumap(st->ctx, a, &nodemap)) {
            xlcfg_err(st, "invalid value '%s' for '%s': cannot get the cpus "
                      "of node %" PRIu64, str, what, a);
            goto out;
        }
        libxl_for_each_set_bit(i, nodemap)
            xlcfg_cpu_mark(map, i, neg);
    }
    rc = 0;
out:
    libxl_bitmap_dispose(&nodemap);
    return rc;
}

int xlcfg_cpurange(struct xlcfg_st *st, const char *what, const char *str,
                   libxl_bitmap *map)
{
    char **sl = xlcfg_split(str, ",");
    int i, rc = 0;

    if (!sl)
        return xlcfg_err(st, "out of memory");
    for (i = 0; sl[i] && !rc; i++)
        rc = xlcfg_cpurange_one(st, what, sl[i], map);
    libxl_string_list_dispose(&sl);
    return rc;
}

int xlcfg_affinity(struct xlcfg_st *st, libxl_domain_build_info *b,
                   const char *key, bool hard)
{
    XLU_ConfigList *list = NULL;
    const char *buf = NULL, *item;
    libxl_bitmap *maps;
    int n = 0, i, rc;

    if (xlcfg_is_list(st, key)) {
        rc = xlcfg_list(st, key, &list, &n);
    } else {
        rc = xlcfg_str(st, key, &buf);
    }
    if (rc)
        return rc < 0 ? -1 : 0;

    /* values for vcpus that do not exist are silently ignored */
    if (buf || n > b->max_vcpus)
        n = b->max_vcpus;
    maps = calloc(n ? n : 1, sizeof(*maps));
    if (!maps)
        return xlcfg_err(st, "out of memory");
    if (hard) {
        b->vcpu_hard_affinity = maps;
        b->num_vcpu_hard_affinity = n;
    } else {
        b->vcpu_soft_affinity = maps;
        b->num_vcpu_soft_affinity = n;
    }
    for (i = 0; i < n; i++)
        libxl_bitmap_init(&maps[i]);

    if (!buf) {
        for (i = 0; i < n; i++) {
            if (xlcfg_item(st, key, list, i, &item))
                return -1;
            if (xlcfg_cpu_bitmap(st, &maps[i], 0) ||
                xlcfg_cpurange(st, key, item, &maps[i]))
                return -1;
        }
        libxl_defbool_set(&b->numa_placement, false);
        return 0;
    }
    if (n == 0)
        return 0;
    if (xlcfg_cpu_bitmap(st, &maps[0], 0) ||
        xlcfg_cpurange(st, key, buf, &maps[0]))
        return -1;
    for (i = 1; i < n; i++)
        if (xlcfg_bitmap_dup(st, &maps[i], &maps[0]))
            return -1;
    if (!hard)
        libxl_defbool_set(&b->numa_placement, false);
    return 0;
}

/* ---------------------------------------------------------------------
 * Virtual NUMA: vnuma = [ [ "pnode=0", "size=512", "vcpus=0-1",
 * "vdistances=10,20" ], ... ], one list of options per virtual node.
 */

/* What the nodes add up to, and what they are checked against. */
struct xlcfg_vnuma {
    libxl_domain_build_info *b;
    libxl_bitmap *vcpus;        /* per node, sized for maxvcpus */
    unsigned long nr_vcpus;     /* every vcpu named, counted each time */
    uint64_t memkb;
    uint32_t host_nodes;
};

static int xlcfg_vnode_vcpus(struct xlcfg_st *st, struct xlcfg_vnuma *v,
                             int node, const char *value)
{
    char **sl = xlcfg_split(value, ",");
    uint64_t first, last;
    int i, rc = 0;

    if (!sl)
        return xlcfg_err(st, "out of memory");
    for (i = 0; sl[i] && !rc; i++) {
        if (xlcfg_range(sl[i], 10, ULONG_MAX - 1, &first, &last)) {
            rc = xlcfg_err(st, "invalid value '%s' for 'vnuma vcpus': not "
                           "a range", sl[i]);
            break;
        }
        for (; first <= last; first++, v->nr_vcpus++)
            libxl_bitmap_set(&v->vcpus[node], first);
    }
    libxl_string_list_dispose(&sl);
    return rc;
}

static int xlcfg_vnode_distances(struct xlcfg_st *st, libxl_vnode_info *vn,
                                 const char *value)
{
    char **sl = xlcfg_split(value, ",");
    unsigned long d;
    int i, rc = 0;

    if (!sl)
        return xlcfg_err(st, "out of memory");
    for (i = 0; sl[i] && !rc; i++) {
        if (i >= vn->num_distances)
            rc = xlcfg_err(st, "invalid value '%s' for 'vnuma vdistances': "
                           "more distances than nodes", value);
        else if (!(rc = xlcfg_ulong(st, "vnuma vdistances", sl[i], &d)))
            vn->distances[i] = d;
    }
    libxl_string_list_dispose(&sl);
    return rc;
}

/* One "key=value" of virtual node `node`; unknown keys are skipped. */
static int xlcfg_vnode_opt(struct xlcfg_st *st, struct xlcfg_vnuma *v,
                           int node, const char *opt)
{
    libxl_vnode_info *vn = &v->b->vnuma_nodes[node];
    char *key = NULL, *value = NULL;
    unsigned long n;
    int rc = -1;

    if (xlcfg_pair(opt, "=", &key, &value)) {
        xlcfg_err(st, "invalid value '%s' for 'vnuma': expected key=value",
                  opt);
        goto out;
    }
    if (!strcmp(key, "pnode")) {
        if (xlcfg_ulong(st, "vnuma pnode", value, &n))
            goto out;
        if (n >= v->host_nodes) {
            xlcfg_err(st, "invalid value '%s' for 'vnuma pnode': no such "
                      "node", value);
            goto out;
        }
        vn->pnode = n;
        /* a node placed by hand leaves no room for automatic placement */
        libxl_defbool_set(&v->b->numa_placement, false);
    } else if (!strcmp(key, "size")) {
        if (xlcfg_ulong(st, "vnuma size", value, &n))
            goto out;
        vn->memkb = (uint64_t)n << 10;
        v->memkb += vn->memkb;
    } else if (!strcmp(key, "vcpus")) {
        if (xlcfg_vnode_vcpus(st, v, node, value))
            goto out;
    } else if (!strcmp(key, "vdistances")) {
        if (xlcfg_vnode_distances(st, vn, value))
            goto out;
    }
    rc = 0;
out:
    free(key);
    free(value);
    return rc;
}

/* The options of one node; items that are not strings are skipped. */
static int xlcfg_vnode(struct xlcfg_st *st, struct xlcfg_vnuma *v,
                       XLU_ConfigList *nodes, int node)
{
    XLU_ConfigList *opts;
    XLU_ConfigValue *opt;
    char *s;
    int i;

    if (xlu_cfg_value_get_list(st->xlu, xlu_cfg_get_listitem2(nodes, node),
                               &opts, 1))
        return xlcfg_err(st, "invalid value for 'vnuma': node %d is not a "
                         "list", node);
    for (i = 0; (opt = xlu_cfg_get_listitem2(opts, i)); i++) {
        s = NULL;
        if (xlu_cfg_value_type(opt) == XLU_STRING &&
            !xlu_cfg_value_get_string(st->xlu, opt, &s, 1) && s &&
            xlcfg_vnode_opt(st, v, node, s))
            return -1;
    }
    return 0;
}

/* Room for n nodes in b, each with n distances and a vcpu map. */
static int xlcfg_vnuma_alloc(struct xlcfg_st *st, struct xlcfg_vnuma *v,
                             int n)
{
    libxl_domain_build_info *b = v->b;
    int i;

    b->vnuma_nodes = calloc(n, sizeof(*b->vnuma_nodes));
    v->vcpus = calloc(n, sizeof(*v->vcpus));
    if (!b->vnuma_nodes || !v->vcpus)
        return xlcfg_err(st, "out of memory");
    b->num_vnuma_nodes = n;
    for (i = 0; i < n; i++) {
        libxl_vnode_info *vn = &b->vnuma_nodes[i];

        libxl_vnode_info_init(vn);
        vn->distances = calloc(n, sizeof(*vn->distances));
        if (!vn->distances)
            return xlcfg_err(st, "out of memory");
        vn->num_distances = n;
        if (xlcfg_cpu_bitmap(st, &v->vcpus[i], b->max_vcpus))
            return -1;
    }
    return 0;
}

/*
 * The nodes decide maxvcpus and maxmem; given as well, they must agree.
 * Without maxvcpus the host must have a CPU for every vcpu.
 */
static int xlcfg_vnuma_totals(struct xlcfg_st *st, struct xlcfg_vnuma *v)
{
    libxl_domain_build_info *b = v->b;
    int host_cpus;

    if (b->max_vcpus && (unsigned long)b->max_vcpus != v->nr_vcpus)
        return xlcfg_err(st, "'vnuma' vcpus and 'maxvcpus' do not match");
    if (!b->max_vcpus) {
        host_cpus = libxl_get_online_cpus(st->ctx);
        if (host_cpus < 0)
            return xlcfg_err(st, "cannot get the number of online cpus");
        if ((unsigned long)host_cpus < v->nr_vcpus)
            return xlcfg_err(st, "'vnuma' has more vcpus than the host has "
                             "cpus (set 'maxvcpus' to override)");
        b->max_vcpus = v->nr_vcpus;
    }
    if (b->max_memkb != LIBXL_MEMKB_DEFAULT && b->max_memkb != v->memkb)
        return xlcfg_err(st, "'maxmem' and 'vnuma' memory sizes do not "
                         "match");
    b->max_memkb = v->memkb;
    return 0;
}

static int xlcfg_host_nodes(struct xlcfg_st *st, uint32_t *nodes_r)
{
    libxl_physinfo info;
    int e;

    libxl_physinfo_init(&info);
    e = libxl_get_physinfo(st->ctx, &info);
    *nodes_r = info.nr_nodes;
    libxl_physinfo_dispose(&info);
    if (e)
        return xlcfg_err(st, "cannot get the host's physical information");
    return 0;
}

int xlcfg_vnuma(struct xlcfg_st *st, libxl_domain_build_info *b)
{
    struct xlcfg_vnuma v = { .b = b };
    XLU_ConfigList *nodes;
    int n, i, rc = xlcfg_list(st, "vnuma", &nodes, &n);

    if (rc)
        return rc < 0 ? -1 : 0;
    if (!n)
        return 0;
    if (!st->ctx)
        return xlcfg_err(st, "'vnuma' needs a connection to xen");
    if (xlcfg_host_nodes(st, &v.host_nodes))
        return -1;
    rc = -1;
    if (xlcfg_vnuma_alloc(st, &v, n))
        goto out;
    for (i = 0; i < n; i++)
        if (xlcfg_vnode(st, &v, nodes, i))
            goto out;
    if (xlcfg_vnuma_totals(st, &v))
        goto out;
    for (i = 0; i < n; i++)
        if (xlcfg_bitmap_dup(st, &b->vnuma_nodes[i].vcpus, &v.vcpus[i]))
            goto out;
    rc = 0;
out:
    for (i = 0; v.vcpus && i < n; i++)
        libxl_bitmap_dispose(&v.vcpus[i]);
    free(v.vcpus);
    return rc;
}

/* ---------------------------------------------------------------------
 * cpuid: "host,feature=value,..." (libxl's form) or a list of
 * "leaf[,subleaf]:reg=bits,..." (xend's form).
 */

/* Why libxl_cpuid_parse_config_xend() refused a leaf, by its result. */
static const char *const xlcfg_xend_why[] = {
    [1] = "the leaf is not a number",
    [2] = "the subleaf is not a number",
    [3] = "no ':' after the leaf",
    [4] = "the register is not eax, ebx, ecx or edx",
    [5] = "the register needs 32 characters of 0, 1, x, k or s",
};

static int xlcfg_cpuid_xend(struct xlcfg_st *st, libxl_domain_build_info *b)
{
    XLU_ConfigList *list;
    const char *buf;
    int n, i, e;

    if (xlcfg_list(st, "cpuid", &list, &n))
        return -1;
    for (i = 0; i < n; i++) {
        if (xlcfg_item(st, "cpuid", list, i, &buf))
            return -1;
        e = libxl_cpuid_parse_config_xend(&b->cpuid, buf);
        if (e > 0 && e < (int)XLCFG_ARRAY_SIZE(xlcfg_xend_why))
            return xlcfg_err(st, "cpuid: cannot apply '%s': %s", buf,
                             xlcfg_xend_why[e]);
        if (e)
            return xlcfg_err(st, "cpuid: cannot apply '%s'", buf);
    }
    return 0;
}

/* One "feature=value" after "host"; libxl says which part it refused. */
static int xlcfg_cpuid_feature(struct xlcfg_st *st,
                               libxl_domain_build_info *b, const char *p)
{
    int e = libxl_cpuid_parse_config(&b->cpuid, p);
    int len = (int)strcspn(p, "=");

    switch (e) {
    case 0:
        return 0;
    case 1:
        return xlcfg_err(st, "cpuid: '%s' is not feature=value", p);
    case 2:
        return xlcfg_err(st, "cpuid: unknown feature '%.*s'", len, p);
    case 3:
        return xlcfg_err(st, "cpuid: bad setting '%s' for feature '%.*s' "
                         "(0, 1, x, k or s)", p + len + 1, len, p);
    default:
        return xlcfg_err(st, "cpuid: cannot apply '%s'", p);
    }
}

int xlcfg_cpuid(struct xlcfg_st *st, libxl_domain_build_info *b)
{
    const char *buf;
    char **words = NULL;
    int i, rc;

    if (xlcfg_is_list(st, "cpuid"))
        return xlcfg_cpuid_xend(st, b);
    rc = xlcfg_str(st, "cpuid", &buf);
    if (rc)
        return rc < 0 ? -1 : 0;
    words = xlcfg_split(buf, ",");
    if (!words)
        return xlcfg_err(st, "out of memory");
    rc = 0;
    if (words[0] && strcmp(words[0], "host"))
        rc = xlcfg_err(st, "cpuid: '%s' does not start with 'host'", buf);
    for (i = 1; !rc && words[0] && words[i]; i++)
        rc = xlcfg_cpuid_feature(st, b, words[i]);
    libxl_string_list_dispose(&words);
    return rc;
}
