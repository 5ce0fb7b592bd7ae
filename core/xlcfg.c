/*
 * xlcfg: xl.cfg(5) and libxl JSON domain configurations.
 *
 * The semantics (which key sets which libxl field, defaults, order, the
 * quirks) follow xl 4.17's parse_config_data() and create_domain() so that
 * `axl create -n` prints what `xl -N create` prints.  Where xl only warns
 * about a malformed value and carries on, axl reports an error instead.
 *
 * This file holds the entry points and the top-level keys; the subjects
 * live beside it (see xlcfg_int.h).
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <libxl_utils.h>

#include "names.h"
#include "xlcfg_int.h"

const char *const xlcfg_keys[] = {
    "acpi", "acpi_firmware", "acpi_laptop_slate", "acpi_s3", "acpi_s4",
    "altp2m", "altp2mhvm", "apic", "bios", "bios_path_override", "boot",
    "bootloader", "bootloader_args", "builder", "cap", "channel", "cmdline",
    "cpu_weight", "cpuid", "cpus", "cpus_soft", "device_model",
    "device_model_args", "device_model_args_hvm", "device_model_args_pv",
    "device_model_override", "device_model_stubdomain_override",
    "device_model_stubdomain_seclabel", "device_model_user",
    "device_model_version", "device_tree", "disk", "display", "dm_restrict",
    "driver_domain", "dtdev", "e820_host", "extra", "extratime", "firmware",
    "firmware_override", "gfx_passthru", "gic_version", "hap", "hdtype",
    "hpet", "init_seclabel", "iomem", "ioports", "irqs", "kernel", "keymap",
    "latency", "localtime", "max_event_channels", "max_grant_frames",
    "max_grant_version", "max_maptrack_frames", "maxmem", "maxvcpus",
    "mca_caps", "memory", "mmio_hole", "ms_vm_genid", "msr_relaxed", "name",
    "nestedhvm", "nographic", "nomigrate", "nx", "on_crash", "on_poweroff",
    "on_reboot", "on_soft_reset", "on_watchdog", "oos", "opengl", "p9",
    "pae", "passthrough", "pci", "pci_msitranslate", "pci_permissive",
    "pci_power_mgmt", "pci_seize", "period", "pool", "pvcalls", "pvshim",
    "pvshim_cmdline", "pvshim_extra", "pvshim_path", "ramdisk", "rdm",
    "rdm_mem_boundary", "root", "rtc_timeoffset", "sdl", "seclabel",
    "serial", "shadow_memory", "slice", "smbios_firmware", "soundhw",
    "spice", "spice_clipboard_sharing", "spice_image_compression",
    "spice_streaming_video", "spiceagent_mouse", "spicedisable_ticketing",
    "spicehost", "spicepasswd", "spiceport", "spicetls_port",
    "spiceusbredirection", "spicevdagent", "stdvga", "stubdomain_cmdline",
    "stubdomain_kernel", "stubdomain_memory", "stubdomain_ramdisk", "tee",
    "timer_mode", "tsc_mode", "type", "usb", "usbctrl", "usbdev",
    "usbdevice", "usbversion", "uuid", "vcpus", "vdispl", "vendor_device",
    "vfb", "vga", "videoram", "vif", "vif2", "viridian", "vkb",
    "vkb_device", "vmtrace_buf_kb", "vnc", "vncdisplay", "vnclisten",
    "vncpasswd", "vncunused", "vncviewer", "vnuma", "vpmu", "vpt_align",
    "vsnd", "vtpm", "vuart", "xauthority", "xen_platform_pci",
    "xend_suspend_evtchn_compat",
    NULL
};


/* ---------------------------------------------------------------------
 * Unknown keys: libxlutil's XLU_Config is opaque, so scan the text with
 * the lexer's rules.  Values are only strings and numbers, so in a file
 * that parsed every identifier is a key.
 */

static int xlcfg_known(const char *key)
{
    int lo = 0, hi = -1, mid, c;

    while (xlcfg_keys[hi + 1])
        hi++;
    while (lo <= hi) {
        mid = (lo + hi) / 2;
        c = strcmp(key, xlcfg_keys[mid]);
        if (!c)
            return 1;
        if (c < 0)
            hi = mid - 1;
        else
            lo = mid + 1;
    }
    return 0;
}

static void xlcfg_scan_keys(struct xlcfg_st *st, const char *text)
{
    const char *p = text, *s;
    char **seen = NULL, **ns, *key;
    int nseen = 0, i, dup;

    while (*p) {
        if (*p == '#') {
            while (*p && *p != '\n')
                p++;
        } else if (*p == '\'' || *p == '"') {
            char q = *p++;

            while (*p && *p != q && *p != '\n') {
                if (*p == '\\' && p[1] && p[1] != '\n')
                    p++;
                p++;
            }
            if (*p == q)
                p++;
        } else if (isdigit((unsigned char)*p)) {
            while (isdigit((unsigned char)*p) || (*p >= 'a' && *p <= 'f') ||
                   *p == 'x')
                p++;
        } else if (*p >= 'a' && *p <= 'z') {
            s = p;
            while ((*p >= 'a' && *p <= 'z') || isdigit((unsigned char)*p) ||
                   *p == '.' || *p == '_')
                p++;
            key = strndup(s, p - s);
            if (!key)
                break;
            dup = xlcfg_known(key);
            for (i = 0; !dup && i < nseen; i++)
                dup = !strcmp(seen[i], key);
            if (dup) {
                free(key);
                continue;
            }
            /* Where it is set: said by xlcfg_warn(), as for any key. */
            xlcfg_warn(st, "unknown key '%s', ignored", key);
            ns = realloc(seen, (nseen + 1) * sizeof(*seen));
            if (!ns) {
                free(key);
                break;
            }
            seen = ns;
            seen[nseen++] = key;
        } else {
            p++;
        }
    }
    for (i = 0; i < nseen; i++)
        free(seen[i]);
    free(seen);
}

/* ---------------------------------------------------------------------
 * Top-level keys
 */

static const char *const xlcfg_actions[] = {
    [LIBXL_ACTION_ON_SHUTDOWN_DESTROY] = "destroy",
    [LIBXL_ACTION_ON_SHUTDOWN_RESTART] = "restart",
    [LIBXL_ACTION_ON_SHUTDOWN_RESTART_RENAME] = "rename-restart",
    [LIBXL_ACTION_ON_SHUTDOWN_PRESERVE] = "preserve",
    [LIBXL_ACTION_ON_SHUTDOWN_COREDUMP_DESTROY] = "coredump-destroy",
    [LIBXL_ACTION_ON_SHUTDOWN_COREDUMP_RESTART] = "coredump-restart",
    [LIBXL_ACTION_ON_SHUTDOWN_SOFT_RESET] = "soft-reset",
};

static int xlcfg_action(struct xlcfg_st *st, const char *key,
                        const char *dflt, libxl_action_on_shutdown *a)
{
    const char *buf;
    unsigned i;
    int rc = xlcfg_str(st, key, &buf);

    if (rc < 0)
        return -1;
    if (rc)
        buf = dflt;
    for (i = 0; i < sizeof(xlcfg_actions) / sizeof(xlcfg_actions[0]); i++) {
        if (xlcfg_actions[i] && !strcmp(buf, xlcfg_actions[i])) {
            *a = i;
            return 0;
        }
    }
    return xlcfg_err(st, "invalid value '%s' for '%s': unknown action",
                     buf, key);
}

static int xlcfg_cmdline(struct xlcfg_st *st, char **cmdline)
{
    const char *cmd = NULL, *root = NULL, *extra = NULL;
    int r;

    if (xlcfg_str(st, "cmdline", &cmd) < 0 ||
        xlcfg_str(st, "root", &root) < 0 ||
        xlcfg_str(st, "extra", &extra) < 0)
        return -1;
    if (cmd) {
        if (root || extra)
            xlcfg_warn(st, "ignoring 'root' and 'extra' in favour of "
                       "'cmdline'");
        return xlcfg_set_str(st, cmdline, cmd);
    }
    if (root && extra)
        r = asprintf(cmdline, "root=%s %s", root, extra);
    else if (root)
        r = asprintf(cmdline, "root=%s", root);
    else if (extra)
        r = asprintf(cmdline, "%s", extra);
    else
        return 0;
    if (r < 0) {
        *cmdline = NULL;
        return xlcfg_err(st, "out of memory");
    }
    return 0;
}

static const char *xlcfg_tsc_name(int v)
{
    return libxl_tsc_mode_to_string(v);
}

static const char *xlcfg_timer_name(int v)
{
    return libxl_timer_mode_to_string(v);
}

static int xlcfg_tsc_from(const char *s, void *d)
{
    return libxl_tsc_mode_from_string(s, d);
}

static int xlcfg_timer_from(const char *s, void *d)
{
    return libxl_timer_mode_from_string(s, d);
}

/* ---------------------------------------------------------------------
 * The whole file, by subject, in the order xl reads the keys (which
 * decides which of several errors is reported, and what a later key
 * sees of an earlier one).
 */

/* type, or the older builder; they must agree when both are given. */
static int xlcfg_dom_type(struct xlcfg_st *st, libxl_domain_create_info *c)
{
    const char *buf;
    libxl_domain_type t;
    int rc = xlcfg_str(st, "type", &buf);

    if (rc < 0)
        return -1;
    if (!rc) {
        /* xl accepts any prefix, tried in this order */
        if (xlcfg_abbrev(buf, "hvm"))
            c->type = LIBXL_DOMAIN_TYPE_HVM;
        else if (xlcfg_abbrev(buf, "pv"))
            c->type = LIBXL_DOMAIN_TYPE_PV;
        else if (xlcfg_abbrev(buf, "pvh"))
            c->type = LIBXL_DOMAIN_TYPE_PVH;
        else
            return xlcfg_err(st, "invalid value '%s' for 'type': expected "
                             "pv, pvh or hvm", buf);
    }
    rc = xlcfg_str(st, "builder", &buf);
    if (rc < 0)
        return -1;
    if (!rc) {
        if (xlcfg_abbrev(buf, "hvm"))
            t = LIBXL_DOMAIN_TYPE_HVM;
        else if (xlcfg_abbrev(buf, "generic"))
            t = LIBXL_DOMAIN_TYPE_PV;
        else
            return xlcfg_err(st, "invalid value '%s' for 'builder': "
                             "expected generic or hvm", buf);
        if (c->type != LIBXL_DOMAIN_TYPE_INVALID && c->type != t)
            return xlcfg_err(st, "'builder' and 'type' contradict each "
                             "other");
        c->type = t;
    }
    if (c->type == LIBXL_DOMAIN_TYPE_INVALID)
#if defined(__arm__) || defined(__aarch64__)
        c->type = LIBXL_DOMAIN_TYPE_PVH;
#else
        c->type = LIBXL_DOMAIN_TYPE_PV;
#endif
    return 0;
}

/* The create info: labels, type, name, uuid, pool. */
static int xlcfg_dom_create(struct xlcfg_st *st, libxl_domain_config *d)
{
    libxl_domain_create_info *c = &d->c_info;
    const char *buf;
    int rc;

    if (xlcfg_strdup(st, "init_seclabel", &c->ssid_label) < 0)
        return -1;
    rc = xlcfg_str(st, "seclabel", &buf);
    if (rc < 0)
        return -1;
    if (!rc && xlcfg_set_str(st, c->ssid_label ? &d->b_info.exec_ssid_label
                                               : &c->ssid_label, buf))
        return -1;

    libxl_defbool_set(&c->run_hotplug_scripts, st->g.run_hotplug_scripts);

    if (xlcfg_dom_type(st, c) || xlcfg_bool(st, "hap", &c->hap) < 0)
        return -1;
    rc = xlcfg_strdup(st, "name", &c->name);
    if (rc < 0)
        return -1;
    if (rc)
        return xlcfg_err(st, "config file '%s': 'name' is not set",
                         st->source);

    rc = xlcfg_str(st, "uuid", &buf);
    if (rc < 0)
        return -1;
    if (rc)
        libxl_uuid_generate(&c->uuid);
    else if (libxl_uuid_from_string(&c->uuid, buf))
        return xlcfg_err(st, "invalid value '%s' for 'uuid'", buf);
    if (xlcfg_bool(st, "oos", &c->oos) < 0 ||
        xlcfg_strdup(st, "pool", &c->pool_name) < 0)
        return -1;
    return 0;
}

#define XLCFG_SCHED(key, field)                                            \
    XLCFG_SCALAR(key, XLCFG_T_INT, libxl_domain_sched_params, field)
static const struct xlcfg_scalar xlcfg_sched_keys[] = {
    XLCFG_SCHED("cpu_weight", weight),
    XLCFG_SCHED("cap", cap),
    XLCFG_SCHED("period", period),
    XLCFG_SCHED("slice", slice),
    XLCFG_SCHED("latency", latency),
    XLCFG_SCHED("extratime", extratime),
};

/* The build info for the type, the PVH shim, and the scheduler. */
static int xlcfg_dom_build(struct xlcfg_st *st, libxl_domain_config *d)
{
    libxl_domain_build_info *b = &d->b_info;

    libxl_domain_build_info_init_type(b, d->c_info.type);

    if (b->type == LIBXL_DOMAIN_TYPE_PVH &&
        (xlcfg_bool(st, "pvshim", &b->u.pvh.pvshim) < 0 ||
         xlcfg_strdup(st, "pvshim_path", &b->u.pvh.pvshim_path) < 0 ||
         xlcfg_strdup(st, "pvshim_cmdline", &b->u.pvh.pvshim_cmdline) < 0 ||
         xlcfg_strdup(st, "pvshim_extra", &b->u.pvh.pvshim_extra) < 0))
        return -1;

    if (st->g.blkdev_start &&
        xlcfg_set_str(st, &b->blkdev_start, st->g.blkdev_start))
        return -1;

    return XLCFG_SCALARS(st, &b->sched_params, xlcfg_sched_keys);
}

/* memory, vcpus, vnuma (which may decide both) and the affinities. */
static int xlcfg_dom_size(struct xlcfg_st *st, libxl_domain_build_info *b)
{
    long l, vcpus = 0;
    int rc;

    if (xlcfg_mb(st, "memory", &b->target_memkb) < 0 ||
        xlcfg_mb(st, "maxmem", &b->max_memkb) < 0)
        return -1;

    rc = xlcfg_bounded(st, "vcpus", 0, INT_MAX, &l);
    if (rc < 0)
        return -1;
    if (!rc) {
        vcpus = l;
        if (xlcfg_cpu_bitmap(st, &b->avail_vcpus, (int)l))
            return -1;
        libxl_bitmap_set_none(&b->avail_vcpus);
        while (l-- > 0)
            libxl_bitmap_set(&b->avail_vcpus, l);
    }
    rc = xlcfg_bounded(st, "maxvcpus", 0, INT_MAX, &l);
    if (rc < 0)
        return -1;
    if (!rc)
        b->max_vcpus = l;

    if (XLCFG_ENUM(st, "vuart", libxl_vuart_type_from_string,
                   &b->arch_arm.vuart) < 0 ||
        xlcfg_vnuma(st, b))
        return -1;

    if (b->max_memkb == LIBXL_MEMKB_DEFAULT)
        b->max_memkb = b->target_memkb;
    if (b->max_vcpus == 0)
        b->max_vcpus = vcpus;
    if (b->max_vcpus < vcpus)
        return xlcfg_err(st, "'maxvcpus' (%d) is less than 'vcpus' (%ld)",
                         b->max_vcpus, vcpus);

    if (xlcfg_affinity(st, b, "cpus", true) ||
        xlcfg_affinity(st, b, "cpus_soft", false))
        return -1;
    return 0;
}

/* A grant table limit: the file's value, else xl.conf's. */
static int xlcfg_grant_limit(struct xlcfg_st *st, const char *key,
                             long global, long *v)
{
    int rc = xlcfg_bounded(st, key, 0, INT_MAX, v);

    if (rc > 0)
        *v = global;
    return rc < 0 ? -1 : 0;
}

/* Grant table limits, claim mode, and what to do when the guest stops. */
static int xlcfg_dom_limits(struct xlcfg_st *st, libxl_domain_config *d)
{
    libxl_domain_build_info *b = &d->b_info;
    long l;

    if (xlcfg_grant_limit(st, "max_grant_frames", st->g.max_grant_frames,
                          &l))
        return -1;
    b->max_grant_frames = l;
    if (xlcfg_grant_limit(st, "max_maptrack_frames",
                          st->g.max_maptrack_frames, &l))
        return -1;
    b->max_maptrack_frames = l;
    if (xlcfg_grant_limit(st, "max_grant_version", st->g.max_grant_version,
                          &l))
        return -1;
    b->max_grant_version = l;

    libxl_defbool_set(&b->claim_mode, st->g.claim_mode);

    if (xlcfg_action(st, "on_poweroff", "destroy", &d->on_poweroff) ||
        xlcfg_action(st, "on_reboot", "restart", &d->on_reboot) ||
        xlcfg_action(st, "on_watchdog", "destroy", &d->on_watchdog) ||
        xlcfg_action(st, "on_crash", "destroy", &d->on_crash) ||
        xlcfg_action(st, "on_soft_reset", "soft-reset", &d->on_soft_reset))
        return -1;
    return 0;
}

/*
 * rdm: libxlutil 4.17 fails on any "policy=" (its check is inverted) and
 * xl then ignores rdm altogether; do the same, but say so.  Fields not
 * given keep their defaults (xl leaves them unset).
 */
static int xlcfg_rdm(struct xlcfg_st *st, libxl_domain_build_info *b)
{
    libxl_rdm_reserve rdm = b->u.hvm.rdm;
    const char *buf;
    char what[600];
    int rc = xlcfg_str(st, "rdm", &buf);

    if (rc)
        return rc < 0 ? -1 : 0;
    snprintf(what, sizeof(what), "rdm specification '%s'", buf);
    rc = xlu_rdm_parse(st->xlu, &rdm, buf);
    xlcfg_drain(st, what, 0);
    if (rc) {
        xlcfg_warn(st, "ignoring invalid %s", what);
        return 0;
    }
    /* as xl, through the hvm member whatever the type */
    b->u.hvm.rdm.strategy = rdm.strategy;
    b->u.hvm.rdm.policy = rdm.policy;
    return 0;
}

/* e820_host, the pci_* defaults, rdm, and the passthrough devices. */
static int xlcfg_dom_passthrough(struct xlcfg_st *st,
                                 libxl_domain_config *d)
{
    if ((d->c_info.type == LIBXL_DOMAIN_TYPE_PV &&
         xlcfg_bool(st, "e820_host", &d->b_info.u.pv.e820_host) < 0) ||
        xlcfg_int(st, "pci_msitranslate", &st->pci.msitranslate) < 0 ||
        xlcfg_int(st, "pci_power_mgmt", &st->pci.power_mgmt) < 0 ||
        xlcfg_int(st, "pci_permissive", &st->pci.permissive) < 0 ||
        xlcfg_int(st, "pci_seize", &st->pci.seize) < 0 ||
        xlcfg_rdm(st, &d->b_info) ||
        xlcfg_devices(st, d, XLCFG_DEV_PASSTHROUGH) ||
        XLCFG_ENUM(st, "passthrough", libxl_passthrough_from_string,
                   &d->c_info.passthrough) < 0)
        return -1;
    return 0;
}

/* tsc_mode: a name, or a deprecated number. */
static int xlcfg_tsc_mode(struct xlcfg_st *st, libxl_domain_build_info *b)
{
    int mode = b->tsc_mode;

    if (xlcfg_enum_or_long(st, "tsc_mode", LIBXL_TSC_MODE_DEFAULT,
                           LIBXL_TSC_MODE_NATIVE_PARAVIRT, &mode,
                           xlcfg_tsc_from, xlcfg_tsc_name) < 0)
        return -1;
    b->tsc_mode = mode;
    return 0;
}

/* timer_mode: as tsc_mode, but meaningless (so refused) for PV. */
static int xlcfg_timer_mode(struct xlcfg_st *st, libxl_domain_build_info *b)
{
    const char *buf;
    int mode = b->timer_mode;

    if (!xlu_cfg_get_string(st->xlu, "timer_mode", &buf, 1) &&
        b->type == LIBXL_DOMAIN_TYPE_PV)
        return xlcfg_err(st, "'timer_mode' is not supported for pv "
                         "guests");
    if (xlcfg_enum_or_long(st, "timer_mode",
                           LIBXL_TIMER_MODE_DELAY_FOR_MISSED_TICKS,
                           LIBXL_TIMER_MODE_ONE_MISSED_TICK_PENDING, &mode,
                           xlcfg_timer_from, xlcfg_timer_name) < 0)
        return -1;
    b->timer_mode = mode;
    return 0;
}

/* A key stored in an unsigned 32-bit field, converted as xl does. */
static int xlcfg_u32(struct xlcfg_st *st, const char *key, uint32_t *dst)
{
    int v = *dst;

    if (xlcfg_int(st, key, &v) < 0)
        return -1;
    *dst = v;
    return 0;
}

/* Memory for shadow page tables and video, clocks, event channels. */
static int xlcfg_dom_misc(struct xlcfg_st *st, libxl_domain_build_info *b)
{
    long l;
    int rc;

    if (xlcfg_mb(st, "shadow_memory", &b->shadow_memkb) < 0 ||
        xlcfg_bool(st, "nomigrate", &b->disable_migrate) < 0 ||
        xlcfg_tsc_mode(st, b) ||
        xlcfg_u32(st, "rtc_timeoffset", &b->rtc_timeoffset))
        return -1;
    rc = xlcfg_long(st, "vncviewer", &l);
    if (rc < 0)
        return -1;
    if (!rc)
        xlcfg_warn(st, "ignoring 'vncviewer' (use 'create -V' to start a "
                   "vnc viewer)");
    if (xlcfg_bool(st, "localtime", &b->localtime) < 0 ||
        xlcfg_mb(st, "videoram", &b->video_memkb) < 0 ||
        xlcfg_u32(st, "max_event_channels", &b->event_channels))
        return -1;
    return 0;
}

/* bootloader_args: a list, or (deprecated) one string split at blanks. */
static int xlcfg_bootloader_args(struct xlcfg_st *st,
                                 libxl_domain_build_info *b)
{
    const char *buf;
    int rc;

    if (xlcfg_is_list(st, "bootloader_args"))
        return xlcfg_strlist(st, "bootloader_args",
                             &b->bootloader_args) < 0 ? -1 : 0;
    rc = xlcfg_str(st, "bootloader_args", &buf);
    if (rc)
        return rc < 0 ? -1 : 0;
    xlcfg_warn(st, "'bootloader_args' as a string is deprecated, use a "
               "list");
    b->bootloader_args = xlcfg_split(buf, " \t\n");
    if (!b->bootloader_args)
        return xlcfg_err(st, "out of memory");
    return 0;
}

/* What to boot: kernel, ramdisk, command line, or a bootloader. */
static int xlcfg_dom_boot(struct xlcfg_st *st, libxl_domain_config *d)
{
    libxl_domain_build_info *b = &d->b_info;

    if (xlcfg_strdup(st, "kernel", &b->kernel) < 0 ||
        xlcfg_strdup(st, "ramdisk", &b->ramdisk) < 0 ||
        xlcfg_strdup(st, "device_tree", &b->device_tree) < 0 ||
        xlcfg_cmdline(st, &b->cmdline) ||
        xlcfg_bool(st, "driver_domain", &d->c_info.driver_domain) < 0 ||
        xlcfg_bool(st, "acpi", &b->acpi) < 0 ||
        xlcfg_strdup(st, "bootloader", &b->bootloader) < 0 ||
        xlcfg_bootloader_args(st, b))
        return -1;
    return 0;
}

/* altp2m: a mode name or number, within libxl's modes. */
static int xlcfg_altp2m(struct xlcfg_st *st, libxl_domain_build_info *b)
{
    libxl_altp2m_mode mode;
    const char *buf;
    long l;
    int rc = xlcfg_str(st, "altp2m", &buf);

    if (rc)
        return rc < 0 ? -1 : 0;
    if (!xlu_cfg_get_long(st->xlu, "altp2m", &l, 1)) {
        if (l < LIBXL_ALTP2M_MODE_DISABLED || l > LIBXL_ALTP2M_MODE_LIMITED)
            return xlcfg_err(st, "invalid value '%s' for 'altp2m'", buf);
        mode = l;
    } else if (libxl_altp2m_mode_from_string(buf, &mode)) {
        return xlcfg_err(st, "invalid value '%s' for 'altp2m'", buf);
    }
    b->altp2m = mode;
    return 0;
}

/* The type-specific part: timer, HVM or PV firmware, altp2m, vmtrace. */
static int xlcfg_dom_platform(struct xlcfg_st *st,
                              libxl_domain_build_info *b)
{
    long l;
    int rc;

    if (xlcfg_timer_mode(st, b) ||
        xlcfg_bool(st, "nestedhvm", &b->nested_hvm) < 0 ||
        (b->type == LIBXL_DOMAIN_TYPE_HVM ? xlcfg_hvm(st, b)
                                          : xlcfg_pv_firmware(st, b)) ||
        xlcfg_altp2m(st, b))
        return -1;
    rc = xlcfg_bounded(st, "vmtrace_buf_kb", INT_MIN, INT_MAX, &l);
    if (rc < 0)
        return -1;
    if (!rc && l)
        b->vmtrace_buf_kb = l;
    return 0;
}

/* The devices, the device model and display, and the last few keys. */
static int xlcfg_dom_devices(struct xlcfg_st *st, libxl_domain_config *d)
{
    libxl_domain_build_info *b = &d->b_info;
    int rc;

    if (xlcfg_resources(st, b) || xlcfg_devices(st, d, XLCFG_DEV_MAIN))
        return -1;
    if (!xlu_cfg_get_list(st->xlu, "vif2", NULL, NULL, 1))
        xlcfg_warn(st, "ignoring 'vif2' (netchannel2 is not supported)");
    if (xlcfg_devices(st, d, XLCFG_DEV_LATE) || xlcfg_cpuid(st, b) ||
        xlcfg_dm(st, d) || xlcfg_display(st, d) ||
        xlcfg_bool(st, "dm_restrict", &b->dm_restrict) < 0 ||
        (d->c_info.type == LIBXL_DOMAIN_TYPE_HVM && xlcfg_hvm_late(st, b)) ||
        XLCFG_ENUM(st, "gic_version", libxl_gic_version_from_string,
                   &b->arch_arm.gic_version) < 0 ||
        XLCFG_ENUM(st, "tee", libxl_tee_type_from_string, &b->tee) < 0 ||
        xlcfg_devices(st, d, XLCFG_DEV_LAST) ||
        xlcfg_bool(st, "xend_suspend_evtchn_compat",
                   &d->c_info.xend_suspend_evtchn_compat) < 0)
        return -1;
    rc = xlcfg_bool(st, "msr_relaxed", &b->arch_x86.msr_relaxed);
    if (rc < 0)
        return -1;
    if (!rc)
        xlcfg_warn(st, "'msr_relaxed' is deprecated and may go away: if a "
                   "guest needs it, tell the Xen developers "
                   "(xen-devel@lists.xenproject.org)");
    return xlcfg_bool(st, "vpmu", &b->vpmu) < 0 ? -1 : 0;
}

static int xlcfg_domain(struct xlcfg_st *st, libxl_domain_config *d)
{
    if (xlcfg_dom_create(st, d) || xlcfg_dom_build(st, d) ||
        xlcfg_dom_size(st, &d->b_info) || xlcfg_dom_limits(st, d) ||
        xlcfg_dom_passthrough(st, d) || xlcfg_dom_misc(st, &d->b_info) ||
        xlcfg_dom_boot(st, d) || xlcfg_dom_platform(st, &d->b_info) ||
        xlcfg_dom_devices(st, d))
        return -1;
    return 0;
}

static int xlcfg_json(struct xlcfg_st *st, const char *data,
                      libxl_domain_config *cfg)
{
    if (st->opts->n_overrides)
        return xlcfg_err(st, "config file '%s': overrides cannot be applied "
                         "to a json configuration", st->source);
    if (!st->ctx)
        return xlcfg_err(st, "config file '%s': reading a json "
                         "configuration needs a connection to xen",
                         st->source);
    if (libxl_domain_config_from_json(st->ctx, cfg, data))
        return xlcfg_err(st, "config file '%s': invalid json domain "
                         "configuration", st->source);
    return 0;
}

/*
 * Parse text alone, only to report its syntax errors against the right
 * source: the file, or override number ovr (then ovr >= 0).
 */
static int xlcfg_syntax(struct xlcfg_st *st, const char *text, size_t len,
                        int ovr)
{
    XLU_Config *xlu = xlu_cfg_init(st->rep, st->source);
    int e;

    if (!xlu)
        return xlcfg_err(st, "out of memory");
    st->cur_ovr = ovr;
    e = xlu_cfg_readdata(xlu, text, (int)len);
    if (e && !xlcfg_drain(st, NULL, 1))
        xlcfg_err(st, "%s '%s': %s", ovr >= 0 ? "override" : "config file",
                  ovr >= 0 ? st->opts->overrides[ovr] : st->source,
                  xlcfg_strerror(st, e));
    xlcfg_drain(st, NULL, 0);
    st->cur_ovr = -1;
    xlu_cfg_destroy(xlu);
    return e ? -1 : 0;
}

int xlcfg_read_text(struct xlcfg_st *st, const char *data, size_t len)
{
    const struct xlcfg_opts *opts = st->opts;
    char *all = NULL;
    const char *p;
    size_t total;
    int e, i, rc = -1, lines = 0;

    /*
     * libxlutil's lexer asserts (and aborts) on a NUL byte inside a
     * quoted string; refuse any before it sees them.
     */
    if (memchr(data, '\0', len)) {
        xlcfg_err(st, "config file '%s': contains a NUL byte", st->source);
        goto out;
    }
    /* the file, then "\n", the overrides one a line, and "\n" */
    total = len + 3;
    for (i = 0; i < opts->n_overrides; i++)
        total += strlen(opts->overrides[i]) + 1;
    if (total > INT_MAX) {
        xlcfg_err(st, "config file '%s': too big", st->source);
        goto out;
    }
    all = malloc(total);
    if (!all) {
        xlcfg_err(st, "out of memory");
        goto out;
    }
    memcpy(all, data, len);
    total = len;
    if (opts->n_overrides) {
        for (p = data; p < data + len; p++)
            lines += *p == '\n';
        st->ovr_line = lines + 2;
        all[total++] = '\n';
        for (i = 0; i < opts->n_overrides; i++) {
            size_t n = strlen(opts->overrides[i]);

            memcpy(all + total, opts->overrides[i], n);
            total += n;
            all[total++] = '\n';
        }
        all[total++] = '\n';
    }
    all[total] = '\0';

    st->rep = open_memstream(&st->rep_buf, &st->rep_size);
    if (!st->rep) {
        xlcfg_err(st, "out of memory");
        goto out;
    }
    /*
     * With overrides, check the pieces alone first: an unclosed list in
     * one would otherwise be reported at the end of the combined text.
     */
    if (opts->n_overrides) {
        if (xlcfg_syntax(st, data, len, -1))
            goto out;
        for (i = 0; i < opts->n_overrides; i++) {
            char *one = NULL;
            int r;

            if (asprintf(&one, "%s\n", opts->overrides[i]) < 0) {
                xlcfg_err(st, "out of memory");
                goto out;
            }
            r = xlcfg_syntax(st, one, strlen(one), i);
            free(one);
            if (r)
                goto out;
        }
    }
    st->xlu = xlu_cfg_init(st->rep, st->source);
    if (!st->xlu) {
        xlcfg_err(st, "out of memory");
        goto out;
    }
    e = xlu_cfg_readdata(st->xlu, all, (int)total);
    if (e) {
        if (!xlcfg_drain(st, NULL, 1))
            xlcfg_err(st, "config file '%s': %s", st->source,
                      xlcfg_strerror(st, e));
        goto out;
    }
    xlcfg_drain(st, NULL, 0);

    rc = 0;
out:
    free(all);
    return rc;
}

/*
 * A domain's name becomes part of paths (its console log, its monitor's
 * log, its core dumps), and axl runs as root: a name that would leave
 * its directory is refused, whoever chose it (a config, a save file, a
 * migration's sender).
 */
static int xlcfg_check_name(struct xlcfg_st *st, const char *name)
{
    const char *why;
    char shown[64];
    size_t i;

    if (!name)
        return xlcfg_err(st, "config file '%s': 'name' is not set",
                         st->source);
    why = names_domain_invalid(name);
    if (!why)
        return 0;
    /* Shown on one line, whatever it holds. */
    for (i = 0; name[i] && i < sizeof(shown) - 4; i++)
        shown[i] = (unsigned char)name[i] < ' ' || name[i] == 0x7f ? '?'
                                                                : name[i];
    snprintf(shown + i, sizeof(shown) - i, "%s", name[i] ? "..." : "");
    return xlcfg_err(st, "config file '%s': invalid domain name '%s': %s",
                     st->source, shown, why);
}

int xlcfg_parse(libxl_ctx *ctx, const struct xlcfg_opts *opts,
                libxl_domain_config *cfg)
{
    struct xlcfg_st st;
    char *data = NULL;
    const char *p;
    size_t len = 0;
    int e, i, rc = -1;

    memset(&st, 0, sizeof(st));
    st.ctx = ctx;
    st.opts = opts;
    st.source = opts->path ? opts->path : "";
    st.cur_ovr = -1;
    xlcfg_global_init(&st.g);

    if (!opts->path || !*opts->path || !strcmp(opts->path, "-")) {
        xlcfg_err(&st, "no config file given");
        goto out;
    }
    if (opts->text) {
        len = opts->text_len;
        data = malloc(len + 1);
        if (!data) {
            xlcfg_err(&st, "out of memory");
            goto out;
        }
        memcpy(data, opts->text, len);
        data[len] = '\0';
        e = 0;
    } else {
        e = xlcfg_slurp(opts->path, &data, &len);
    }
    if (e) {
        xlcfg_err(&st, "config file '%s': %s", opts->path,
                  xlcfg_strerror(&st, e));
        goto out;
    }
    for (p = data; isspace((unsigned char)*p); p++)
        ;
    if (*p == '{') {
        rc = xlcfg_json(&st, data, cfg);
        if (rc == 0 && xlcfg_check_name(&st, cfg->c_info.name))
            rc = -1;
        goto out;
    }

    for (i = 0; i < opts->n_overrides; i++) {
        if (!strchr(opts->overrides[i], '=')) {
            xlcfg_err(&st, "invalid override '%s': expected key=value",
                      opts->overrides[i]);
            goto out;
        }
    }

    if (xlcfg_global_read(&st))
        goto out;
    if (xlcfg_read_text(&st, data, len))
        goto out;
    st.text = data;     /* from here, messages say where a key is set */

    xlcfg_scan_keys(&st, data);
    for (i = 0; i < opts->n_overrides; i++)
        xlcfg_scan_keys(&st, opts->overrides[i]);

    if (xlcfg_domain(&st, cfg) ||
        xlcfg_check_name(&st, cfg->c_info.name) ||
        (!opts->ignore_global_masks &&
         xlcfg_global_masks(&st, &cfg->b_info)))
        goto out;
    xlcfg_drain(&st, NULL, 0);
    rc = 0;
out:
    xlu_cfg_destroy(st.xlu);
    if (st.rep)
        fclose(st.rep);
    free(st.rep_buf);
    xlcfg_global_dispose(&st.g);
    free(data);
    return rc;
}

/* ---------------------------------------------------------------------
 * Device specifications from a command line (block-attach,
 * network-attach).
 */

static int xlcfg_spec_open(struct xlcfg_st *st, const struct xlcfg_opts *o)
{
    memset(st, 0, sizeof(*st));
    st->opts = o;
    st->source = "command line";
    st->cur_ovr = -1;
    st->strict = 1;
    xlcfg_global_init(&st->g);
    st->rep = open_memstream(&st->rep_buf, &st->rep_size);
    if (st->rep)
        st->xlu = xlu_cfg_init(st->rep, st->source);
    if (!st->xlu)
        return xlcfg_err(st, "out of memory");
    return 0;
}

static void xlcfg_spec_close(struct xlcfg_st *st)
{
    xlu_cfg_destroy(st->xlu);
    if (st->rep)
        fclose(st->rep);
    free(st->rep_buf);
    xlcfg_global_dispose(&st->g);
}

int xlcfg_disk_spec(const struct xlcfg_opts *opts, libxl_device_disk *disk)
{
    struct xlcfg_st st;
    char what[600];
    size_t n = 0;
    int i, e, rc = -1;

    if (xlcfg_spec_open(&st, opts))
        goto out;
    what[0] = '\0';
    for (i = 0; i < opts->n_overrides && n < sizeof(what); i++)
        n += snprintf(what + n, sizeof(what) - n, "%s%s",
                      i ? " " : "disk specification '", opts->overrides[i]);
    if (n < sizeof(what) - 1)
        strcat(what, "'");
    for (i = 0; i < opts->n_overrides; i++)
        if (xlcfg_no_ctrl(&st, "disk specification", opts->overrides[i]))
            goto out;
    e = xlu_disk_parse(st.xlu, opts->n_overrides,
                       (const char **)opts->overrides, disk);
    if (xlcfg_xlu_result(&st, what, e, true))
        goto out;
    rc = 0;
out:
    xlcfg_spec_close(&st);
    return rc;
}

int xlcfg_dev_spec(const struct xlcfg_opts *opts, const char *key,
                   void *dev)
{
    struct xlcfg_st st;
    int rc = -1;

    if (!xlcfg_spec_open(&st, opts))
        rc = xlcfg_dev_words(&st, key, dev, opts->overrides,
                             opts->n_overrides);
    xlcfg_spec_close(&st);
    return rc;
}

int xlcfg_nic_spec(const struct xlcfg_opts *opts, libxl_device_nic *nic)
{
    struct xlcfg_st st;
    int i, rc = -1;

    if (xlcfg_spec_open(&st, opts) || xlcfg_global_read(&st) ||
        xlcfg_global_nic(&st, nic))
        goto out;
    for (i = 0; i < opts->n_overrides; i++) {
        if (!strchr(opts->overrides[i], '=') &&
            strcmp(opts->overrides[i], "trusted") &&
            strcmp(opts->overrides[i], "untrusted")) {
            xlcfg_err(&st, "invalid network device parameter '%s': "
                      "expected key=value", opts->overrides[i]);
            goto out;
        }
        if (xlcfg_dev_tokens(&st, "vif", nic, opts->overrides[i]))
            goto out;
    }
    rc = 0;
out:
    xlcfg_spec_close(&st);
    return rc;
}

int xlcfg_host_read(const struct xlcfg_opts *opts, struct xlcfg_host *h)
{
    struct xlcfg_st st;
    int rc = -1;

    if (xlcfg_spec_open(&st, opts) || xlcfg_global_read(&st))
        goto out;
    h->claim_mode = st.g.claim_mode;
    h->autoballoon = st.g.autoballoon;
    snprintf(h->lockfile, sizeof(h->lockfile), "%s",
             st.g.lockfile ? st.g.lockfile : XLCFG_LOCKFILE_DEFAULT);
    rc = 0;
out:
    xlcfg_spec_close(&st);
    return rc;
}
