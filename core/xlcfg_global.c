/*
 * xl.conf: the global defaults xl applies to every domain it creates
 * (vif defaults, blkdev_start, grant table limits, claim mode, CPU masks).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <libxl_utils.h>

#include "xlcfg_int.h"

/* An xl.conf key and where struct xlcfg_global keeps it. */
struct xlcfg_global_key {
    const char *key;
    size_t off;
};

/* The xl.conf keys that are plain strings; a later row wins. */
static const struct xlcfg_global_key xlcfg_global_strs[] = {
    { "vifscript", offsetof(struct xlcfg_global, vifscript) },
    { "vif.default.script", offsetof(struct xlcfg_global, vifscript) },
    { "defaultbridge", offsetof(struct xlcfg_global, bridge) },
    { "vif.default.bridge", offsetof(struct xlcfg_global, bridge) },
    { "vif.default.gatewaydev", offsetof(struct xlcfg_global, gatewaydev) },
    { "vif.default.backend", offsetof(struct xlcfg_global, vifbackend) },
    { "blkdev_start", offsetof(struct xlcfg_global, blkdev_start) },
    { "lockfile", offsetof(struct xlcfg_global, lockfile) },
};

/* The grant table limits, each a number from 0 to INT_MAX. */
static const struct xlcfg_global_key xlcfg_global_limits[] = {
    { "max_grant_frames", offsetof(struct xlcfg_global, max_grant_frames) },
    { "max_maptrack_frames",
      offsetof(struct xlcfg_global, max_maptrack_frames) },
    { "max_grant_version",
      offsetof(struct xlcfg_global, max_grant_version) },
};

void xlcfg_global_init(struct xlcfg_global *g)
{
    memset(g, 0, sizeof(*g));
    g->run_hotplug_scripts = 1;
    g->claim_mode = 1;
    g->autoballoon = -1;
    g->max_grant_frames = -1;
    g->max_maptrack_frames = -1;
    g->max_grant_version = LIBXL_MAX_GRANT_DEFAULT;
    libxl_bitmap_init(&g->vm_mask);
    libxl_bitmap_init(&g->hvm_mask);
    libxl_bitmap_init(&g->pv_mask);
}

void xlcfg_global_dispose(struct xlcfg_global *g)
{
    free(g->vifscript);
    free(g->bridge);
    free(g->gatewaydev);
    free(g->vifbackend);
    free(g->blkdev_start);
    free(g->lockfile);
    libxl_bitmap_dispose(&g->vm_mask);
    libxl_bitmap_dispose(&g->hvm_mask);
    libxl_bitmap_dispose(&g->pv_mask);
}

static int xlcfg_global_mask(struct xlcfg_st *st, XLU_Config *xlu,
                             const char *key, libxl_bitmap *mask)
{
    const char *buf;

    if (xlcfg_cpu_bitmap(st, mask, 0))
        return -1;
    if (!xlu_cfg_get_string(xlu, key, &buf, 1))
        return xlcfg_cpurange(st, key, buf, mask);
    libxl_bitmap_set_any(mask);
    return 0;
}

/* The keys of an xl.conf that libxlutil has read. */
static int xlcfg_global_keys(struct xlcfg_st *st, XLU_Config *xlu,
                             const char *path)
{
    struct xlcfg_global *g = &st->g;
    const char *buf;
    unsigned i;
    long l;
    int e;

    if (!xlu_cfg_get_long(xlu, "run_hotplug_scripts", &l, 1))
        g->run_hotplug_scripts = l;
    for (i = 0; i < XLCFG_ARRAY_SIZE(xlcfg_global_strs); i++) {
        if (!xlu_cfg_get_string(xlu, xlcfg_global_strs[i].key, &buf, 1) &&
            xlcfg_set_str(st, (char **)((char *)g +
                                        xlcfg_global_strs[i].off), buf))
            return -1;
    }
    if (!xlu_cfg_get_long(xlu, "claim_mode", &l, 1))
        g->claim_mode = l;
    if (!xlu_cfg_get_string(xlu, "autoballoon", &buf, 1)) {
        if (!strcmp(buf, "on") || !strcmp(buf, "1"))
            g->autoballoon = 1;
        else if (!strcmp(buf, "off") || !strcmp(buf, "0"))
            g->autoballoon = 0;
        else if (!strcmp(buf, "auto"))
            g->autoballoon = -1;
        else
            return xlcfg_err(st, "global config file '%s': invalid value "
                             "'%s' for 'autoballoon' (use on, off or auto)",
                             path, buf);
    }
    for (i = 0; i < XLCFG_ARRAY_SIZE(xlcfg_global_limits); i++) {
        e = xlu_cfg_get_bounded_long(xlu, xlcfg_global_limits[i].key, 0,
                                     INT_MAX, &l, 1);
        if (!e)
            *(long *)((char *)g + xlcfg_global_limits[i].off) = l;
        else if (e != ESRCH)
            return xlcfg_err(st, "global config file '%s': invalid value "
                             "for '%s'", path, xlcfg_global_limits[i].key);
    }
    if (xlcfg_global_mask(st, xlu, "vm.cpumask", &g->vm_mask) ||
        xlcfg_global_mask(st, xlu, "vm.hvm.cpumask", &g->hvm_mask) ||
        xlcfg_global_mask(st, xlu, "vm.pv.cpumask", &g->pv_mask))
        return -1;
    return 0;
}

int xlcfg_global_read(struct xlcfg_st *st)
{
    const char *path = st->opts->global_path;
    XLU_Config *xlu = NULL;
    FILE *rep = NULL;
    char *rep_buf = NULL, *data = NULL;
    size_t rep_size = 0, len = 0;
    int e, rc = -1, is_default = !path;

    if (!path)
        path = XLCFG_GLOBAL_DEFAULT;
    if (*path) {
        e = xlcfg_slurp(path, &data, &len);
        if (e && !(is_default && e == ENOENT)) {
            xlcfg_err(st, "global config file '%s': %s", path,
                      xlcfg_strerror(st, e));
            goto out;
        }
    }
    rep = open_memstream(&rep_buf, &rep_size);
    if (!rep) {
        xlcfg_err(st, "out of memory");
        goto out;
    }
    xlu = xlu_cfg_init(rep, path);
    if (!xlu) {
        xlcfg_err(st, "out of memory");
        goto out;
    }
    if (data && len > INT_MAX) {
        xlcfg_err(st, "global config file '%s': too big", path);
        goto out;
    }
    /* libxlutil aborts on a NUL byte inside a quoted string. */
    if (data && memchr(data, '\0', len)) {
        xlcfg_err(st, "global config file '%s': contains a NUL byte", path);
        goto out;
    }
    e = xlu_cfg_readdata(xlu, data ? data : "", (int)len);
    fflush(rep);
    if (e) {
        char *nl = rep_buf ? strchr(rep_buf, '\n') : NULL;

        if (nl)
            *nl = '\0';
        xlcfg_err(st, "global config file '%s': %s", path,
                  rep_buf && *rep_buf ? rep_buf : xlcfg_strerror(st, e));
        goto out;
    }
    rc = xlcfg_global_keys(st, xlu, path);
out:
    xlu_cfg_destroy(xlu);
    if (rep)
        fclose(rep);
    free(rep_buf);
    free(data);
    return rc;
}

int xlcfg_global_nic(struct xlcfg_st *st, libxl_device_nic *nic)
{
    const struct xlcfg_global *g = &st->g;

    if ((g->vifscript && xlcfg_set_str(st, &nic->script, g->vifscript)) ||
        (g->bridge && xlcfg_set_str(st, &nic->bridge, g->bridge)) ||
        (g->gatewaydev &&
         xlcfg_set_str(st, &nic->gatewaydev, g->gatewaydev)) ||
        (g->vifbackend &&
         xlcfg_set_str(st, &nic->backend_domname, g->vifbackend)))
        return -1;
    return 0;
}

int xlcfg_global_masks(struct xlcfg_st *st, libxl_domain_build_info *b)
{
    libxl_bitmap *type_mask = b->type == LIBXL_DOMAIN_TYPE_PV
                              ? &st->g.pv_mask : &st->g.hvm_mask;
    libxl_bitmap *m;
    int i, j, n;

    if (b->num_vcpu_hard_affinity == 0 &&
        (!libxl_bitmap_is_full(&st->g.vm_mask) ||
         !libxl_bitmap_is_full(type_mask))) {
        n = b->max_vcpus;
        b->vcpu_hard_affinity = calloc(n ? n : 1, sizeof(libxl_bitmap));
        if (!b->vcpu_hard_affinity)
            return xlcfg_err(st, "out of memory");
        b->num_vcpu_hard_affinity = n;
        for (i = 0; i < n; i++)
            libxl_bitmap_init(&b->vcpu_hard_affinity[i]);
        for (i = 0; i < n; i++) {
            if (xlcfg_cpu_bitmap(st, &b->vcpu_hard_affinity[i], 0))
                return -1;
            libxl_bitmap_set_any(&b->vcpu_hard_affinity[i]);
        }
    }
    for (i = 0; i < b->num_vcpu_hard_affinity; i++) {
        m = &b->vcpu_hard_affinity[i];
        n = m->size;
        if ((int)st->g.vm_mask.size < n)
            n = st->g.vm_mask.size;
        if ((int)type_mask->size < n)
            n = type_mask->size;
        for (j = 0; j < n; j++)
            m->map[j] &= st->g.vm_mask.map[j] & type_mask->map[j];
        /* the and of different sizes has the smaller size */
        m->size = n;
        if (libxl_bitmap_is_empty(m))
            return xlcfg_err(st, "the hard affinity of vcpu %d is empty", i);
    }
    return 0;
}
