/*
 * Devices: every list of device specifications (disk = [...], vif = [...],
 * ...) is read by one loop driven by xlcfg_dev_kinds, one row per kind;
 * a kind brings its token parser and whatever it does differently.  Here
 * are the loop and the kinds given as "key=value" parameters; the kinds
 * whose items have a grammar of their own parse them in xlcfg_dev_item.c.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <libxl_utils.h>
#include <xen/io/kbdif.h>

#include "xlcfg_int.h"

/* (void (*)(void)) first: it converts to any function type quietly */
#define XLCFG_ENUM_FIELD(key, type, field, fn)                             \
    { (key), offsetof(type, field), XLCFG_F_ENUM,                          \
      (int (*)(const char *, void *))(void (*)(void))(fn) }

/*
 * If tok is "key=value" for one of the n fields, store value in dev, a
 * device of the kind read from kind: 0, or -1 after reporting.  1 when no
 * field has that key.
 */
int xlcfg_field_tok(struct xlcfg_st *st, const char *kind, void *dev,
                    const char *tok, const struct xlcfg_field *f, size_t n)
{
    const char *v = NULL;
    size_t i;
    char *p;

    for (i = 0; i < n && !v; i++)
        v = xlcfg_opt(tok, f[i].key);
    if (!v)
        return 1;
    f += i - 1;
    p = (char *)dev + f->off;
    switch (f->conv) {
    case XLCFG_F_STR:
        return xlcfg_set_str(st, (char **)p, v);
    case XLCFG_F_ATOI:
        *(int *)p = atoi(v);
        break;
    case XLCFG_F_ATOI_DEFBOOL:
        libxl_defbool_set((libxl_defbool *)p, atoi(v));
        break;
    case XLCFG_F_U8:
        *(uint8_t *)p = strtoul(v, NULL, 0);
        break;
    case XLCFG_F_U32:
        *(uint32_t *)p = strtoul(v, NULL, 0);
        break;
    case XLCFG_F_BOOL:
        *(bool *)p = strtoul(v, NULL, 0);
        break;
    case XLCFG_F_ENUM:
        if (f->from(v, p))
            return xlcfg_err(st, "invalid value '%s' for '%s' %s", v, kind,
                             f->key);
        break;
    }
    return 0;
}

/* An unknown parameter; some kinds name only its key, as they always did. */
static int xlcfg_bad_param(struct xlcfg_st *st, const char *kind,
                           const char *tok, bool key_only)
{
    int len = key_only ? (int)strcspn(tok, "=") : (int)strlen(tok);

    return xlcfg_err(st, "invalid value for '%s': unknown parameter '%.*s'",
                     kind, len, tok);
}

/* ---------------------------------------------------------------------
 * Token parsers: one "key=value" of a device specification.
 */

static const struct xlcfg_field xlcfg_p9_strs[] = {
    { "security_model", offsetof(libxl_device_p9, security_model),
      XLCFG_F_STR, NULL },
    { "path", offsetof(libxl_device_p9, path), XLCFG_F_STR, NULL },
    { "tag", offsetof(libxl_device_p9, tag), XLCFG_F_STR, NULL },
    { "backend", offsetof(libxl_device_p9, backend_domname),
      XLCFG_F_STR, NULL },
};

static const struct xlcfg_field xlcfg_vtpm_strs[] = {
    { "backend", offsetof(libxl_device_vtpm, backend_domname),
      XLCFG_F_STR, NULL },
};

static int xlcfg_vtpm_tok(struct xlcfg_st *st, void *dev, char *tok)
{
    libxl_device_vtpm *vtpm = dev;
    const char *o = xlcfg_opt(tok, "uuid");

    if (!o)
        return xlcfg_bad_param(st, "vtpm", tok, true);
    if (libxl_uuid_from_string(&vtpm->uuid, o))
        return xlcfg_err(st, "invalid value '%s' for 'vtpm' uuid", o);
    return 0;
}

static const struct xlcfg_field xlcfg_pvcalls_strs[] = {
    { "backend", offsetof(libxl_device_pvcallsif, backend_domname),
      XLCFG_F_STR, NULL },
};

/* connectors=ID:WxH;ID:WxH...; a later connectors= replaces them all. */
static int xlcfg_vdispl_connectors(struct xlcfg_st *st,
                                   libxl_device_vdispl *vd, const char *o)
{
    char **conns = xlcfg_split(o, ";"), *id, *res;
    libxl_connector_param *c;
    int i, n, rc = -1;

    if (!conns)
        return xlcfg_err(st, "out of memory");
    for (n = 0; conns[n]; n++)
        ;
    for (i = 0; i < vd->num_connectors; i++)
        libxl_connector_param_dispose(&vd->connectors[i]);
    free(vd->connectors);
    vd->connectors = calloc(n ? n : 1, sizeof(*vd->connectors));
    vd->num_connectors = 0;
    if (!vd->connectors) {
        xlcfg_err(st, "out of memory");
        goto out;
    }
    vd->num_connectors = n;
    for (i = 0; i < n; i++) {
        c = &vd->connectors[i];
        libxl_connector_param_init(c);
        if (xlcfg_pair(conns[i], ":", &id, &res)) {
            xlcfg_err(st, "invalid value '%s' for 'vdispl' connector: "
                      "expected ID:WxH", conns[i]);
            goto out;
        }
        c->unique_id = id;
        if (sscanf(res, "%ux%u", &c->width, &c->height) != 2) {
            xlcfg_err(st, "invalid value '%s' for 'vdispl' connector: "
                      "bad resolution", conns[i]);
            free(res);
            goto out;
        }
        free(res);
    }
    rc = 0;
out:
    libxl_string_list_dispose(&conns);
    return rc;
}

static const struct xlcfg_field xlcfg_vdispl_strs[] = {
    { "backend", offsetof(libxl_device_vdispl, backend_domname),
      XLCFG_F_STR, NULL },
    { "be-alloc", offsetof(libxl_device_vdispl, be_alloc),
      XLCFG_F_BOOL, NULL },
};

static int xlcfg_vdispl_tok(struct xlcfg_st *st, void *dev, char *tok)
{
    const char *o = xlcfg_opt(tok, "connectors");

    if (o)
        return xlcfg_vdispl_connectors(st, dev, o);
    return xlcfg_bad_param(st, "vdispl", tok, false);
}

/* The vif parameters that simply store a string. */
#define XLCFG_NIC_STR(name)                                                \
    { #name, offsetof(libxl_device_nic, name), XLCFG_F_STR, NULL }
static const struct xlcfg_field xlcfg_nic_strs[] = {
    { "bridge", offsetof(libxl_device_nic, bridge), XLCFG_F_STR, NULL },
    { "gatewaydev", offsetof(libxl_device_nic, gatewaydev),
      XLCFG_F_STR, NULL },
    { "ip", offsetof(libxl_device_nic, ip), XLCFG_F_STR, NULL },
    { "script", offsetof(libxl_device_nic, script), XLCFG_F_STR, NULL },
    { "backend", offsetof(libxl_device_nic, backend_domname),
      XLCFG_F_STR, NULL },
    { "vifname", offsetof(libxl_device_nic, ifname), XLCFG_F_STR, NULL },
    { "model", offsetof(libxl_device_nic, model), XLCFG_F_STR, NULL },
    { "forwarddev", offsetof(libxl_device_nic, coloft_forwarddev),
      XLCFG_F_STR, NULL },
    XLCFG_NIC_STR(colo_sock_mirror_id),
    XLCFG_NIC_STR(colo_sock_mirror_ip),
    XLCFG_NIC_STR(colo_sock_mirror_port),
    XLCFG_NIC_STR(colo_sock_compare_sec_in_id),
    XLCFG_NIC_STR(colo_sock_compare_sec_in_ip),
    XLCFG_NIC_STR(colo_sock_compare_sec_in_port),
    XLCFG_NIC_STR(colo_sock_redirector0_id),
    XLCFG_NIC_STR(colo_sock_redirector0_ip),
    XLCFG_NIC_STR(colo_sock_redirector0_port),
    XLCFG_NIC_STR(colo_sock_redirector1_id),
    XLCFG_NIC_STR(colo_sock_redirector1_ip),
    XLCFG_NIC_STR(colo_sock_redirector1_port),
    XLCFG_NIC_STR(colo_sock_redirector2_id),
    XLCFG_NIC_STR(colo_sock_redirector2_ip),
    XLCFG_NIC_STR(colo_sock_redirector2_port),
    XLCFG_NIC_STR(colo_sock_compare_pri_in_id),
    XLCFG_NIC_STR(colo_sock_compare_pri_in_ip),
    XLCFG_NIC_STR(colo_sock_compare_pri_in_port),
    XLCFG_NIC_STR(colo_sock_compare_notify_id),
    XLCFG_NIC_STR(colo_sock_compare_notify_ip),
    XLCFG_NIC_STR(colo_sock_compare_notify_port),
    XLCFG_NIC_STR(colo_filter_mirror_queue),
    XLCFG_NIC_STR(colo_filter_mirror_outdev),
    XLCFG_NIC_STR(colo_filter_redirector0_queue),
    XLCFG_NIC_STR(colo_filter_redirector0_indev),
    XLCFG_NIC_STR(colo_filter_redirector0_outdev),
    XLCFG_NIC_STR(colo_filter_redirector1_queue),
    XLCFG_NIC_STR(colo_filter_redirector1_indev),
    XLCFG_NIC_STR(colo_filter_redirector1_outdev),
    XLCFG_NIC_STR(colo_compare_pri_in),
    XLCFG_NIC_STR(colo_compare_sec_in),
    XLCFG_NIC_STR(colo_compare_out),
    XLCFG_NIC_STR(colo_compare_notify_dev),
    XLCFG_NIC_STR(colo_sock_sec_redirector0_id),
    XLCFG_NIC_STR(colo_sock_sec_redirector0_ip),
    XLCFG_NIC_STR(colo_sock_sec_redirector0_port),
    XLCFG_NIC_STR(colo_sock_sec_redirector1_id),
    XLCFG_NIC_STR(colo_sock_sec_redirector1_ip),
    XLCFG_NIC_STR(colo_sock_sec_redirector1_port),
    XLCFG_NIC_STR(colo_filter_sec_redirector0_queue),
    XLCFG_NIC_STR(colo_filter_sec_redirector0_indev),
    XLCFG_NIC_STR(colo_filter_sec_redirector0_outdev),
    XLCFG_NIC_STR(colo_filter_sec_redirector1_queue),
    XLCFG_NIC_STR(colo_filter_sec_redirector1_indev),
    XLCFG_NIC_STR(colo_filter_sec_redirector1_outdev),
    XLCFG_NIC_STR(colo_filter_sec_rewriter0_queue),
    XLCFG_NIC_STR(colo_checkpoint_host),
    XLCFG_NIC_STR(colo_checkpoint_port),
};

/*
 * mac=xx:xx:xx:xx:xx:xx, any one-character separator, as xl reads it;
 * but six octets exactly, and nothing after the last.
 */
static int xlcfg_nic_mac(struct xlcfg_st *st, libxl_device_nic *nic,
                         const char *o)
{
    const char *p = o;
    unsigned long val;
    char *ep;
    int i;

    for (i = 0; i < 6; i++) {
        if (!isxdigit((unsigned char)*p))
            break;
        val = strtoul(p, &ep, 16);
        if (ep == p || val > 255 || (i < 5 ? !*ep : *ep != '\0'))
            break;
        nic->mac[i] = val;
        p = ep + 1;
    }
    if (i < 6)
        return xlcfg_err(st, "invalid value '%s' for 'vif' mac", o);
    return 0;
}

static int xlcfg_nic_tok(struct xlcfg_st *st, void *dev, char *tok)
{
    libxl_device_nic *nic = dev;
    const char *o;
    char what[600];
    unsigned long val;

    if ((o = xlcfg_opt(tok, "type"))) {
        if (!strcmp(o, "vif"))
            nic->nictype = LIBXL_NIC_TYPE_VIF;
        else if (!strcmp(o, "ioemu"))
            nic->nictype = LIBXL_NIC_TYPE_VIF_IOEMU;
        else
            return xlcfg_err(st, "invalid value '%s' for 'vif' type", o);
        return 0;
    }
    if ((o = xlcfg_opt(tok, "mac")))
        return xlcfg_nic_mac(st, nic, o);
    if ((o = xlcfg_opt(tok, "netdev"))) {
        xlcfg_warn(st, "'vif' netdev is deprecated, use gatewaydev");
        return xlcfg_set_str(st, &nic->gatewaydev, o);
    }
    if ((o = xlcfg_opt(tok, "rate"))) {
        snprintf(what, sizeof(what), "vif rate '%s'", o);
        return xlcfg_xlu_result(st, what,
                                xlu_vif_parse_rate(st->xlu, o, nic), false);
    }
    if ((o = xlcfg_opt(tok, "accel"))) {
        xlcfg_warn(st, "'vif' accel is not supported (ignored)");
        return 0;
    }
    if ((o = xlcfg_opt(tok, "devid"))) {
        if (xlcfg_ulong(st, "vif devid", o, &val))
            return -1;
        nic->devid = val;
        return 0;
    }
    if ((o = xlcfg_opt(tok, "mtu"))) {
        if (xlcfg_ulong(st, "vif mtu", o, &val))
            return -1;
        nic->mtu = val;
        return 0;
    }
    if (!strcmp(tok, "trusted") || !strcmp(tok, "untrusted")) {
        libxl_defbool_set(&nic->trusted, *tok == 't');
        return 0;
    }
    if (st->strict)
        return xlcfg_err(st, "unknown network device parameter '%s'", tok);
    /* xl carries on after an unknown vif option in a file, so only warn */
    xlcfg_warn(st, "unknown 'vif' parameter '%s' (ignored)", tok);
    return 0;
}

#define XLCFG_VFB(key, field, conv)                                        \
    { (key), offsetof(libxl_device_vfb, field), (conv), NULL }
static const struct xlcfg_field xlcfg_vfb_strs[] = {
    XLCFG_VFB("vnc", vnc.enable, XLCFG_F_ATOI_DEFBOOL),
    XLCFG_VFB("vnclisten", vnc.listen, XLCFG_F_STR),
    XLCFG_VFB("vncpasswd", vnc.passwd, XLCFG_F_STR),
    XLCFG_VFB("vncdisplay", vnc.display, XLCFG_F_ATOI),
    XLCFG_VFB("vncunused", vnc.findunused, XLCFG_F_ATOI_DEFBOOL),
    XLCFG_VFB("keymap", keymap, XLCFG_F_STR),
    XLCFG_VFB("sdl", sdl.enable, XLCFG_F_ATOI_DEFBOOL),
    XLCFG_VFB("opengl", sdl.opengl, XLCFG_F_ATOI_DEFBOOL),
    XLCFG_VFB("display", sdl.display, XLCFG_F_STR),
    XLCFG_VFB("xauthority", sdl.xauthority, XLCFG_F_STR),
};

/* xl carries on after an unknown vfb parameter, so only warn. */
static int xlcfg_vfb_tok(struct xlcfg_st *st, void *dev, char *tok)
{
    xlcfg_warn(st, "unknown 'vfb' parameter '%.*s' (ignored)",
               (int)strcspn(tok, "="), tok);
    return 0;
}

static const struct xlcfg_field xlcfg_usbctrl_nums[] = {
    XLCFG_ENUM_FIELD("type", libxl_device_usbctrl, type,
                     libxl_usbctrl_type_from_string),
    { "version", offsetof(libxl_device_usbctrl, version), XLCFG_F_ATOI, NULL },
    { "ports", offsetof(libxl_device_usbctrl, ports), XLCFG_F_ATOI, NULL },
};

#define XLCFG_USBDEV(key, field, conv)                                     \
    { (key), offsetof(libxl_device_usbdev, field), (conv), NULL }
static const struct xlcfg_field xlcfg_usbdev_nums[] = {
    XLCFG_ENUM_FIELD("type", libxl_device_usbdev, type,
                     libxl_usbdev_type_from_string),
    XLCFG_USBDEV("hostbus", u.hostdev.hostbus, XLCFG_F_U8),
    XLCFG_USBDEV("hostaddr", u.hostdev.hostaddr, XLCFG_F_U8),
    XLCFG_USBDEV("controller", ctrl, XLCFG_F_ATOI),
    XLCFG_USBDEV("port", port, XLCFG_F_ATOI),
};

#define XLCFG_VKB(key, field, conv)                                        \
    { (key), offsetof(libxl_device_vkb, field), (conv), NULL }
static const struct xlcfg_field xlcfg_vkb_strs[] = {
    XLCFG_VKB("backend", backend_domname, XLCFG_F_STR),
    XLCFG_ENUM_FIELD("backend-type", libxl_device_vkb, backend_type,
                     libxl_vkb_backend_from_string),
    XLCFG_VKB(XENKBD_FIELD_UNIQUE_ID, unique_id, XLCFG_F_STR),
    XLCFG_VKB(XENKBD_FIELD_FEAT_DSBL_KEYBRD, feature_disable_keyboard,
              XLCFG_F_BOOL),
    XLCFG_VKB(XENKBD_FIELD_FEAT_DSBL_POINTER, feature_disable_pointer,
              XLCFG_F_BOOL),
    XLCFG_VKB(XENKBD_FIELD_FEAT_ABS_POINTER, feature_abs_pointer,
              XLCFG_F_BOOL),
    XLCFG_VKB(XENKBD_FIELD_FEAT_RAW_POINTER, feature_raw_pointer,
              XLCFG_F_BOOL),
    XLCFG_VKB(XENKBD_FIELD_FEAT_MTOUCH, feature_multi_touch, XLCFG_F_BOOL),
    XLCFG_VKB(XENKBD_FIELD_MT_WIDTH, multi_touch_width, XLCFG_F_U32),
    XLCFG_VKB(XENKBD_FIELD_MT_HEIGHT, multi_touch_height, XLCFG_F_U32),
    XLCFG_VKB(XENKBD_FIELD_MT_NUM_CONTACTS, multi_touch_num_contacts,
              XLCFG_F_U32),
    XLCFG_VKB(XENKBD_FIELD_WIDTH, width, XLCFG_F_U32),
    XLCFG_VKB(XENKBD_FIELD_HEIGHT, height, XLCFG_F_U32),
};

/* ---------------------------------------------------------------------
 * What some kinds do before or after their tokens (what other kinds do
 * instead of them is in xlcfg_dev_item.c).  Each gets the configuration,
 * the new device and its specification.
 */

/* xl keeps p9 parameters across items: a later one inherits unset ones. */
static int xlcfg_p9_prep(struct xlcfg_st *st, libxl_domain_config *d,
                         void *dev, const char *spec)
{
    libxl_device_p9 *prev = (libxl_device_p9 *)dev - 1;
    unsigned i;
    char **from, **to;

    if (d->num_p9s < 2)
        return 0;
    for (i = 0; i < XLCFG_ARRAY_SIZE(xlcfg_p9_strs); i++) {
        from = (char **)((char *)prev + xlcfg_p9_strs[i].off);
        to = (char **)((char *)dev + xlcfg_p9_strs[i].off);
        if (*from && xlcfg_set_str(st, to, *from))
            return -1;
    }
    return 0;
}

static int xlcfg_vif_prep(struct xlcfg_st *st, libxl_domain_config *d,
                          void *dev, const char *spec)
{
    return xlcfg_global_nic(st, dev);
}

/* Every vfb comes with a keyboard, as in xl. */
static int xlcfg_vfb_prep(struct xlcfg_st *st, libxl_domain_config *d,
                          void *dev, const char *spec)
{
    return xlcfg_dev_add(st, d, "vkb") ? 0 : -1;
}

static int xlcfg_vkb_check(struct xlcfg_st *st, libxl_domain_config *d,
                           void *dev, const char *spec)
{
    libxl_device_vkb *vkb = dev;
    bool mt_size = vkb->multi_touch_height || vkb->multi_touch_width ||
                   vkb->multi_touch_num_contacts;

    if (vkb->backend_type == LIBXL_VKB_BACKEND_UNKNOWN)
        return xlcfg_err(st, "invalid value '%s' for 'vkb': backend-type "
                         "is required", spec);
    if (mt_size)
        vkb->feature_multi_touch = true;
    if (vkb->feature_multi_touch && !mt_size)
        return xlcfg_err(st, "invalid value '%s' for 'vkb': multi-touch "
                         "needs its width, height and contacts", spec);
    return 0;
}

/* ---------------------------------------------------------------------
 * The device kinds and the one loop that reads them.
 */

struct xlcfg_dev_kind {
    const char *key;            /* the list's key in the config file */
    enum xlcfg_dev_stage stage;
    size_t arr_off, num_off;    /* the array and its count in the config */
    size_t size;
    void (*init)(void *);
    bool numbered;              /* devid = its place in the array */
    size_t devid_off;
    xlcfg_item_fn *prep;        /* before parsing: defaults, companions */
    const struct xlcfg_field *strs; /* "key=value"s simply stored */
    size_t n_strs;
    xlcfg_tok_fn *tok;          /* any other "key=value", or NULL */
    bool whole_bad;             /* an unknown one is quoted whole */
    bool stop_at_bare;          /* a token without '=' ends it */
    xlcfg_item_fn *item;        /* the whole specification instead */
    const char *nested;         /* items are lists of specifications */
    xlcfg_item_fn *check;       /* after parsing */
    struct {
        size_t off, size;
    } need[3];                  /* fields a specification must set */
    const char *need_what;      /* what the message says is required */
    /* Only a file needs them: xl's KIND-attach lets libxl default them. */
    bool need_file_only;
};

#define XLCFG_DEV(key_, stage_, arr, type)                                 \
    .key = (key_), .stage = (stage_),                                      \
    .arr_off = offsetof(libxl_domain_config, arr),                         \
    .num_off = offsetof(libxl_domain_config, num_##arr),                   \
    .size = sizeof(type), .init = XLCFG_INIT_FN(type##_init)
#define XLCFG_STRS(fields)                                                 \
    .strs = (fields), .n_strs = XLCFG_ARRAY_SIZE(fields)
#define XLCFG_NEED(type, field)                                            \
    { offsetof(type, field), sizeof(((type *)0)->field) }
#define XLCFG_DEVID(type)                                                  \
    .numbered = true, .devid_off = offsetof(type, devid)

/* In xl's order within each stage. */
static const struct xlcfg_dev_kind xlcfg_dev_kinds[] = {
    { XLCFG_DEV("pci", XLCFG_DEV_PASSTHROUGH, pcidevs, libxl_device_pci),
      .item = xlcfg_pci_item },
    { XLCFG_DEV("dtdev", XLCFG_DEV_PASSTHROUGH, dtdevs, libxl_device_dtdev),
      .item = xlcfg_dtdev_item },
    { XLCFG_DEV("disk", XLCFG_DEV_MAIN, disks, libxl_device_disk),
      .item = xlcfg_disk_item },
    { XLCFG_DEV("p9", XLCFG_DEV_MAIN, p9s, libxl_device_p9),
      .prep = xlcfg_p9_prep, XLCFG_STRS(xlcfg_p9_strs), .stop_at_bare = true,
      .need = { XLCFG_NEED(libxl_device_p9, path),
                XLCFG_NEED(libxl_device_p9, security_model),
                XLCFG_NEED(libxl_device_p9, tag) },
      .need_what = "path, security_model and tag are required" },
    { XLCFG_DEV("vtpm", XLCFG_DEV_MAIN, vtpms, libxl_device_vtpm),
      XLCFG_DEVID(libxl_device_vtpm), XLCFG_STRS(xlcfg_vtpm_strs),
      .tok = xlcfg_vtpm_tok, .stop_at_bare = true,
      .need = { XLCFG_NEED(libxl_device_vtpm, backend_domname) },
      .need_what = "backend is required", .need_file_only = true },
    { XLCFG_DEV("vdispl", XLCFG_DEV_MAIN, vdispls, libxl_device_vdispl),
      XLCFG_DEVID(libxl_device_vdispl), XLCFG_STRS(xlcfg_vdispl_strs),
      .tok = xlcfg_vdispl_tok,
      .need = { XLCFG_NEED(libxl_device_vdispl, num_connectors) },
      .need_what = "at least one connector is required" },
    { XLCFG_DEV("pvcalls", XLCFG_DEV_MAIN, pvcallsifs,
                libxl_device_pvcallsif),
      XLCFG_DEVID(libxl_device_pvcallsif), XLCFG_STRS(xlcfg_pvcalls_strs),
      .stop_at_bare = true },
    { XLCFG_DEV("vsnd", XLCFG_DEV_MAIN, vsnds, libxl_device_vsnd),
      XLCFG_DEVID(libxl_device_vsnd), .item = xlcfg_vsnd_item,
      .nested = "card" },
    { XLCFG_DEV("channel", XLCFG_DEV_MAIN, channels, libxl_device_channel),
      XLCFG_DEVID(libxl_device_channel), .item = xlcfg_channel_item },
    { XLCFG_DEV("vif", XLCFG_DEV_MAIN, nics, libxl_device_nic),
      XLCFG_DEVID(libxl_device_nic), .prep = xlcfg_vif_prep,
      XLCFG_STRS(xlcfg_nic_strs), .tok = xlcfg_nic_tok },
    { XLCFG_DEV("vfb", XLCFG_DEV_LATE, vfbs, libxl_device_vfb),
      XLCFG_DEVID(libxl_device_vfb), .prep = xlcfg_vfb_prep,
      XLCFG_STRS(xlcfg_vfb_strs), .tok = xlcfg_vfb_tok,
      .stop_at_bare = true },
    { XLCFG_DEV("usbctrl", XLCFG_DEV_LATE, usbctrls, libxl_device_usbctrl),
      XLCFG_DEVID(libxl_device_usbctrl), XLCFG_STRS(xlcfg_usbctrl_nums),
      .whole_bad = true },
    { XLCFG_DEV("usbdev", XLCFG_DEV_LATE, usbdevs, libxl_device_usbdev),
      XLCFG_STRS(xlcfg_usbdev_nums), .whole_bad = true },
    { XLCFG_DEV("vkb", XLCFG_DEV_LAST, vkbs, libxl_device_vkb),
      XLCFG_DEVID(libxl_device_vkb), XLCFG_STRS(xlcfg_vkb_strs),
      .whole_bad = true, .check = xlcfg_vkb_check },
};

/* A new device at the end of the kind's array, numbered if it is. */
static void *xlcfg_dev_new(struct xlcfg_st *st, libxl_domain_config *d,
                           const struct xlcfg_dev_kind *k)
{
    char *dev = xlcfg_grow(st, (void **)((char *)d + k->arr_off),
                           (int *)((char *)d + k->num_off), k->size,
                           k->init);

    if (dev && k->numbered)
        *(libxl_devid *)(dev + k->devid_off) =
            *(int *)((char *)d + k->num_off) - 1;
    return dev;
}


/* A device being parsed, and its kind. */
struct xlcfg_dev_walk {
    const struct xlcfg_dev_kind *k;
    void *dev;
};

/* One "key=value": a string field of the kind, else its token parser. */
static int xlcfg_dev_tok(struct xlcfg_st *st, void *walk, char *tok)
{
    struct xlcfg_dev_walk *w = walk;
    int rc = xlcfg_field_tok(st, w->k->key, w->dev, tok, w->k->strs,
                             w->k->n_strs);

    if (rc <= 0)
        return rc;
    if (w->k->tok)
        return w->k->tok(st, w->dev, tok);
    return xlcfg_bad_param(st, w->k->key, tok, !w->k->whole_bad);
}

static const struct xlcfg_dev_kind *xlcfg_dev_kind(struct xlcfg_st *st,
                                                   const char *key)
{
    unsigned i;

    for (i = 0; i < XLCFG_ARRAY_SIZE(xlcfg_dev_kinds); i++)
        if (!strcmp(xlcfg_dev_kinds[i].key, key))
            return &xlcfg_dev_kinds[i];
    xlcfg_err(st, "no device kind '%s'", key);
    return NULL;
}

void *xlcfg_dev_add(struct xlcfg_st *st, libxl_domain_config *d,
                    const char *key)
{
    const struct xlcfg_dev_kind *k = xlcfg_dev_kind(st, key);

    return k ? xlcfg_dev_new(st, d, k) : NULL;
}

int xlcfg_dev_tokens(struct xlcfg_st *st, const char *key, void *dev,
                     const char *spec)
{
    struct xlcfg_dev_walk w = { xlcfg_dev_kind(st, key), dev };

    if (!w.k)
        return -1;
    return xlcfg_tokens(st, spec, &w, xlcfg_dev_tok, w.k->stop_at_bare);
}

/* The specification(s) of one item: a string, or a nested list. */
static int xlcfg_dev_parse(struct xlcfg_st *st, libxl_domain_config *d,
                           const struct xlcfg_dev_kind *k, void *dev,
                           const char *spec, XLU_ConfigList *specs)
{
    int j;

    if (k->nested) {
        for (j = 0; (spec = xlu_cfg_get_listitem(specs, j)); j++)
            if (k->item(st, d, dev, spec))
                return -1;
        return 0;
    }
    if (!k->item)
        return xlcfg_dev_tokens(st, k->key, dev, spec);
    return k->item(st, d, dev, spec);
}

/* Whether the parameters a kind requires were all given (non-zero). */
static int xlcfg_dev_needs(struct xlcfg_st *st,
                           const struct xlcfg_dev_kind *k, const void *dev,
                           const char *spec)
{
    const char *p;
    size_t i, j;

    for (i = 0; i < XLCFG_ARRAY_SIZE(k->need) && k->need[i].size; i++) {
        p = (const char *)dev + k->need[i].off;
        for (j = 0; j < k->need[i].size && !p[j]; j++)
            ;
        if (j == k->need[i].size)
            return xlcfg_err(st, "invalid value '%s' for '%s': %s", spec,
                             k->key, k->need_what);
    }
    return 0;
}

static int xlcfg_dev_list(struct xlcfg_st *st, libxl_domain_config *d,
                          const struct xlcfg_dev_kind *k)
{
    XLU_ConfigList *list, *specs = NULL;
    const char *spec = NULL;
    void *dev;
    int n, i, rc = xlcfg_list(st, k->key, &list, &n);

    if (rc)
        return rc < 0 ? -1 : 0;
    for (i = 0; i < n; i++) {
        if (k->nested) {
            if (xlu_cfg_value_get_list(st->xlu,
                                       xlu_cfg_get_listitem2(list, i),
                                       &specs, 1))
                return xlcfg_err(st, "invalid value for '%s': %s %d is not "
                                 "a list", k->key, k->nested, i + 1);
        } else if (xlcfg_item(st, k->key, list, i, &spec)) {
            return -1;
        }
        dev = xlcfg_dev_new(st, d, k);
        if (!dev || (k->prep && k->prep(st, d, dev, spec)) ||
            xlcfg_dev_parse(st, d, k, dev, spec, specs) ||
            xlcfg_dev_needs(st, k, dev, spec) ||
            (k->check && k->check(st, d, dev, spec)))
            return -1;
    }
    return 0;
}

int xlcfg_dev_words(struct xlcfg_st *st, const char *key, void *dev,
                    const char *const *words, int n)
{
    const struct xlcfg_dev_kind *k = xlcfg_dev_kind(st, key);
    libxl_domain_config d;      /* what an item may look at: nothing */
    char spec[600];
    size_t len = 0;
    int i, rc = -1;

    libxl_domain_config_init(&d);
    spec[0] = '\0';
    for (i = 0; i < n && len < sizeof(spec); i++)
        len += snprintf(spec + len, sizeof(spec) - len, "%s%s",
                        i ? " " : "", words[i]);
    if (!k)
        goto out;
    for (i = 0; i < n; i++) {
        if (k->item) {
            if (k->item(st, &d, dev, words[i]))
                goto out;
            continue;
        }
        if (!strchr(words[i], '=')) {
            xlcfg_err(st, "invalid %s parameter '%s': expected key=value",
                      key, words[i]);
            goto out;
        }
        if (xlcfg_dev_tokens(st, key, dev, words[i]))
            goto out;
    }
    if ((!k->need_file_only && xlcfg_dev_needs(st, k, dev, spec)) ||
        (k->check && k->check(st, &d, dev, spec)))
        goto out;
    rc = 0;
out:
    libxl_domain_config_dispose(&d);
    return rc;
}

int xlcfg_devices(struct xlcfg_st *st, libxl_domain_config *d,
                  enum xlcfg_dev_stage stage)
{
    unsigned i;

    for (i = 0; i < XLCFG_ARRAY_SIZE(xlcfg_dev_kinds); i++)
        if (xlcfg_dev_kinds[i].stage == stage &&
            xlcfg_dev_list(st, d, &xlcfg_dev_kinds[i]))
            return -1;
    return 0;
}
