/*
 * HVM guests: firmware, platform features, viridian, the device model,
 * and the display (vnc, sdl, spice, vga), which a PV guest gets as a vfb.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <libxl_utils.h>
#include <xen/hvm/e820.h>
#include <xen/hvm/params.h>

#include "xlcfg_int.h"

/* One viridian item: "all", "defaults", or an enlightenment, '!' = off. */
static int xlcfg_viridian_item(struct xlcfg_st *st,
                               libxl_domain_build_info *b, const char *name)
{
    libxl_bitmap *on = &b->u.hvm.viridian_enable;
    libxl_bitmap *off = &b->u.hvm.viridian_disable;
    libxl_viridian_enlightenment e;

    if (!strcmp(name, "all")) {
        libxl_bitmap_set_any(on);
        return 0;
    }
    if (!strcmp(name, "defaults")) {
        libxl_defbool_set(&b->u.hvm.viridian, true);
        return 0;
    }
    if (*name == '!') {
        on = &b->u.hvm.viridian_disable;
        off = &b->u.hvm.viridian_enable;
        name++;
    }
    if (libxl_viridian_enlightenment_from_string(name, &e))
        return xlcfg_err(st, "invalid value '%s' for 'viridian': unknown "
                         "enlightenment", name);
    libxl_bitmap_set(on, e);
    libxl_bitmap_reset(off, e);
    return 0;
}

/* viridian: a boolean, or a list of enlightenments; later items win. */
static int xlcfg_viridian(struct xlcfg_st *st, libxl_domain_build_info *b)
{
    const int width = LIBXL_BUILDINFO_HVM_VIRIDIAN_ENABLE_DISABLE_WIDTH;
    XLU_ConfigList *list;
    const char *name;
    int n, i;

    if (!xlcfg_is_list(st, "viridian"))
        return xlcfg_bool(st, "viridian", &b->u.hvm.viridian) < 0 ? -1 : 0;
    if (xlcfg_list(st, "viridian", &list, &n))
        return -1;
    if (n && (xlcfg_bitmap_alloc(st, &b->u.hvm.viridian_enable, width) ||
              xlcfg_bitmap_alloc(st, &b->u.hvm.viridian_disable, width)))
        return -1;
    for (i = 0; i < n; i++)
        if (xlcfg_item(st, "viridian", list, i, &name) ||
            xlcfg_viridian_item(st, b, name))
            return -1;
    return 0;
}

static int xlcfg_random(struct xlcfg_st *st, void *buf, size_t len)
{
    char *p = buf;
    ssize_t r;

    while (len) {
        r = getrandom(p, len, 0);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return xlcfg_err(st, "cannot get random bytes: %s",
                             xlcfg_strerror(st, errno));
        p += r;
        len -= r;
    }
    return 0;
}

/* kernel = hvmloader is xl's old way; the firmware keys replace it. */
static int xlcfg_hvm_bios(struct xlcfg_st *st, libxl_domain_build_info *b)
{
    char *base = libxl_basename(b->kernel);
    int rc;

    if (base && !strcmp(base, "hvmloader")) {
        xlcfg_warn(st, "ignoring 'kernel' = hvmloader for an hvm guest "
                   "(use 'firmware_override' for a non-default "
                   "firmware)");
        free(b->kernel);
        b->kernel = NULL;
    }
    free(base);

    if (xlcfg_strdup(st, "firmware_override", &b->u.hvm.firmware) < 0 ||
        xlcfg_strdup(st, "bios_path_override",
                     &b->u.hvm.system_firmware) < 0)
        return -1;
    rc = XLCFG_ENUM(st, "bios", libxl_bios_type_from_string, &b->u.hvm.bios);
    if (rc < 0)
        return -1;
    if (rc && b->u.hvm.system_firmware)
        xlcfg_warn(st, "'bios_path_override' given without 'bios'");
    return 0;
}

/* mmio_hole in MiB, within what hvmloader can place below 4 GiB. */
static int xlcfg_mmio_hole(struct xlcfg_st *st, libxl_domain_build_info *b)
{
    long l;
    int rc = xlcfg_long(st, "mmio_hole", &l);
    uint64_t bytes;

    if (rc)
        return rc < 0 ? -1 : 0;
    bytes = (uint64_t)l * 1024 * 1024;
    b->u.hvm.mmio_hole_memkb = (uint64_t)l * 1024;
    if (l < 0 || bytes < HVM_BELOW_4G_MMIO_LENGTH ||
        bytes > HVM_BELOW_4G_MMIO_START)
        return xlcfg_err(st, "invalid value '%ld' for 'mmio_hole': out of "
                         "range", l);
    return 0;
}

/* ms_vm_genid = "generate" or "none". */
static int xlcfg_genid(struct xlcfg_st *st, libxl_domain_build_info *b)
{
    const char *buf;
    int rc = xlcfg_str(st, "ms_vm_genid", &buf);

    if (rc)
        return rc < 0 ? -1 : 0;
    if (strcmp(buf, "generate")) {
        if (strcmp(buf, "none"))
            return xlcfg_err(st, "invalid value '%s' for 'ms_vm_genid': "
                             "expected 'generate' or 'none'", buf);
        return 0;
    }
    if (!st->ctx)
        return xlcfg_random(st, b->u.hvm.ms_vm_genid.bytes,
                            LIBXL_MS_VM_GENID_LEN);
    if (libxl_ms_vm_genid_generate(st->ctx, &b->u.hvm.ms_vm_genid))
        return xlcfg_err(st, "cannot generate a vm generation id");
    return 0;
}

static int xlcfg_mca_caps(struct xlcfg_st *st, libxl_domain_build_info *b)
{
    XLU_ConfigList *list;
    const char *buf;
    int n, i, rc = xlcfg_list(st, "mca_caps", &list, &n);

    if (rc)
        return rc < 0 ? -1 : 0;
    for (i = 0; i < n; i++) {
        if (xlcfg_item(st, "mca_caps", list, i, &buf))
            return -1;
        if (strcmp(buf, "lmce"))
            return xlcfg_err(st, "invalid value '%s' for 'mca_caps': "
                             "unknown capability", buf);
        b->u.hvm.mca_caps |= XEN_HVM_MCA_CAP_LMCE;
    }
    return 0;
}

/*
 * firmware: a bios name, "uefi" (ovmf) or "bios" (the default, left to
 * libxl), or else a path; "uefi"/"bios" may be abbreviated as in xl.
 */
static int xlcfg_hvm_firmware(struct xlcfg_st *st,
                              libxl_domain_build_info *b)
{
    const char *buf;
    int rc = xlcfg_str(st, "firmware", &buf);

    if (rc)
        return rc < 0 ? -1 : 0;
    if (!libxl_bios_type_from_string(buf, &b->u.hvm.bios))
        return 0;
    if (xlcfg_abbrev(buf, "uefi"))
        b->u.hvm.bios = LIBXL_BIOS_TYPE_OVMF;
    else if (!xlcfg_abbrev(buf, "bios"))
        return xlcfg_set_str(st, &b->u.hvm.firmware, buf);
    return 0;
}

#define XLCFG_BI(key, type, field)                                         \
    XLCFG_SCALAR(key, type, libxl_domain_build_info, field)
static const struct xlcfg_scalar xlcfg_hvm_bools[] = {
    XLCFG_BI("pae", XLCFG_T_BOOL, u.hvm.pae),
    XLCFG_BI("acpi_s3", XLCFG_T_BOOL, u.hvm.acpi_s3),
    XLCFG_BI("acpi_s4", XLCFG_T_BOOL, u.hvm.acpi_s4),
    XLCFG_BI("acpi_laptop_slate", XLCFG_T_BOOL, u.hvm.acpi_laptop_slate),
    XLCFG_BI("nx", XLCFG_T_BOOL, u.hvm.nx),
    XLCFG_BI("hpet", XLCFG_T_BOOL, u.hvm.hpet),
    XLCFG_BI("vpt_align", XLCFG_T_BOOL, u.hvm.vpt_align),
    XLCFG_BI("apic", XLCFG_T_BOOL, apic),
};

int xlcfg_hvm(struct xlcfg_st *st, libxl_domain_build_info *b)
{
    int rc;

    if (xlcfg_hvm_bios(st, b) || XLCFG_SCALARS(st, b, xlcfg_hvm_bools) ||
        xlcfg_viridian(st, b) || xlcfg_mmio_hole(st, b))
        return -1;

    rc = xlcfg_bool(st, "altp2mhvm", &b->u.hvm.altp2m);
    if (rc < 0)
        return -1;
    if (!rc)
        xlcfg_warn(st, "'altp2mhvm' is deprecated, use 'altp2m'");

    if (xlcfg_strdup(st, "smbios_firmware", &b->u.hvm.smbios_firmware) < 0 ||
        xlcfg_strdup(st, "acpi_firmware", &b->u.hvm.acpi_firmware) < 0 ||
        xlcfg_genid(st, b) ||
        xlcfg_mb(st, "rdm_mem_boundary",
                 &b->u.hvm.rdm_mem_boundary_memkb) < 0 ||
        xlcfg_mca_caps(st, b) || xlcfg_hvm_firmware(st, b))
        return -1;
    return 0;
}

int xlcfg_pv_firmware(struct xlcfg_st *st, libxl_domain_build_info *b)
{
    const char *buf;
    int rc = xlcfg_str(st, "firmware", &buf);

    if (rc < 0)
        return -1;
    if (!rc) {
        if (b->kernel)
            return xlcfg_err(st, "both 'kernel' and 'firmware' are set");
        if (!xlcfg_abbrev(buf, "pvgrub32") && !xlcfg_abbrev(buf, "pvgrub64"))
            return xlcfg_err(st, "invalid value '%s' for 'firmware': only "
                             "pvgrub32 and pvgrub64 are supported", buf);
        if (asprintf(&b->kernel, "%s/%s.bin", XLCFG_XENFIRMWAREDIR,
                     buf) < 0) {
            b->kernel = NULL;
            return xlcfg_err(st, "out of memory");
        }
    }
    if (!b->bootloader && !b->kernel)
        return xlcfg_err(st, "neither 'kernel' nor 'bootloader' is set");
    return 0;
}

/* The device model keys that are simply stored. */
static const struct xlcfg_scalar xlcfg_dm_keys[] = {
    XLCFG_BI("device_model_stubdomain_override", XLCFG_T_BOOL,
             device_model_stubdomain),
    XLCFG_BI("device_model_stubdomain_seclabel", XLCFG_T_STR,
             device_model_ssid_label),
    XLCFG_BI("device_model_user", XLCFG_T_STR, device_model_user),
    XLCFG_BI("stubdomain_kernel", XLCFG_T_STR, stubdomain_kernel),
    XLCFG_BI("stubdomain_cmdline", XLCFG_T_STR, stubdomain_cmdline),
    XLCFG_BI("stubdomain_ramdisk", XLCFG_T_STR, stubdomain_ramdisk),
    XLCFG_BI("stubdomain_memory", XLCFG_T_MB, stubdomain_memkb),
    XLCFG_BI("device_model_args", XLCFG_T_STRLIST, extra),
    XLCFG_BI("device_model_args_pv", XLCFG_T_STRLIST, extra_pv),
    XLCFG_BI("device_model_args_hvm", XLCFG_T_STRLIST, extra_hvm),
};

int xlcfg_dm(struct xlcfg_st *st, libxl_domain_config *d)
{
    libxl_domain_build_info *b = &d->b_info;
    const char *buf;
    int rc;

    rc = xlcfg_str(st, "device_model", &buf);
    if (rc < 0)
        return -1;
    if (!rc) {
        xlcfg_warn(st, "ignoring 'device_model' (use "
                   "'device_model_override' for a non-default device "
                   "model)");
        if (strstr(buf, "stubdom-dm")) {
            if (d->c_info.type == LIBXL_DOMAIN_TYPE_HVM)
                xlcfg_warn(st, "use 'device_model_stubdomain_override' to "
                           "enable stub domains");
            else
                xlcfg_warn(st, "stub domains are ignored for a pv guest");
        }
    }
    if (xlcfg_strdup(st, "device_model_override", &b->device_model) < 0)
        return -1;
    rc = xlcfg_str(st, "device_model_version", &buf);
    if (rc < 0)
        return -1;
    if (!rc) {
        if (!strcmp(buf, "qemu-xen-traditional"))
            b->device_model_version =
                LIBXL_DEVICE_MODEL_VERSION_QEMU_XEN_TRADITIONAL;
        else if (!strcmp(buf, "qemu-xen"))
            b->device_model_version = LIBXL_DEVICE_MODEL_VERSION_QEMU_XEN;
        else
            return xlcfg_err(st, "invalid value '%s' for "
                             "'device_model_version'", buf);
    } else if (b->device_model) {
        xlcfg_warn(st, "'device_model_override' given without "
                   "'device_model_version'");
    }
    return XLCFG_SCALARS(st, b, xlcfg_dm_keys);
}

static const struct xlcfg_scalar xlcfg_vnc_keys[] = {
    XLCFG_SCALAR("vnc", XLCFG_T_BOOL, libxl_vnc_info, enable),
    XLCFG_SCALAR("vnclisten", XLCFG_T_STR, libxl_vnc_info, listen),
    XLCFG_SCALAR("vncpasswd", XLCFG_T_STR, libxl_vnc_info, passwd),
    XLCFG_SCALAR("vncdisplay", XLCFG_T_INT, libxl_vnc_info, display),
    XLCFG_SCALAR("vncunused", XLCFG_T_BOOL, libxl_vnc_info, findunused),
};

static const struct xlcfg_scalar xlcfg_sdl_keys[] = {
    XLCFG_SCALAR("sdl", XLCFG_T_BOOL, libxl_sdl_info, enable),
    XLCFG_SCALAR("opengl", XLCFG_T_BOOL, libxl_sdl_info, opengl),
    XLCFG_SCALAR("display", XLCFG_T_STR, libxl_sdl_info, display),
    XLCFG_SCALAR("xauthority", XLCFG_T_STR, libxl_sdl_info, xauthority),
};

static int xlcfg_vnc_sdl(struct xlcfg_st *st, libxl_vnc_info *vnc,
                         libxl_sdl_info *sdl)
{
    if (XLCFG_SCALARS(st, vnc, xlcfg_vnc_keys) ||
        XLCFG_SCALARS(st, sdl, xlcfg_sdl_keys))
        return -1;
    return 0;
}

int xlcfg_display(struct xlcfg_st *st, libxl_domain_config *d)
{
    libxl_domain_build_info *b = &d->b_info;
    libxl_device_vfb *vfb;
    long l = 0;

    /* a pv guest with vfb = [...] ignores the top-level vnc options */
    if (d->c_info.type == LIBXL_DOMAIN_TYPE_PV && !d->num_vfbs) {
        if (xlcfg_long(st, "vnc", &l) < 0)
            return -1;
        if (!l)
            return 0;
        vfb = xlcfg_dev_add(st, d, "vfb");
        if (!vfb || !xlcfg_dev_add(st, d, "vkb") ||
            xlcfg_vnc_sdl(st, &vfb->vnc, &vfb->sdl) ||
            xlcfg_strdup(st, "keymap", &vfb->keymap) < 0)
            return -1;
        return 0;
    }
    /*
     * As in xl, a pv guest with vfbs, or a pvh guest, stores these in the
     * hvm member of the union; the json printer never shows them.
     */
    return xlcfg_vnc_sdl(st, &b->u.hvm.vnc, &b->u.hvm.sdl);
}

/* vga by name, or the older stdvga = 0/1. */
static int xlcfg_vga(struct xlcfg_st *st, libxl_domain_build_info *b)
{
    static const struct {
        const char *name;
        libxl_vga_interface_type kind;
    } kinds[] = {
        { "stdvga", LIBXL_VGA_INTERFACE_TYPE_STD },
        { "cirrus", LIBXL_VGA_INTERFACE_TYPE_CIRRUS },
        { "none", LIBXL_VGA_INTERFACE_TYPE_NONE },
        { "qxl", LIBXL_VGA_INTERFACE_TYPE_QXL },
    };
    const char *buf;
    unsigned i;
    long l;
    int rc = xlcfg_str(st, "vga", &buf);

    if (rc < 0)
        return -1;
    if (rc) {
        rc = xlcfg_long(st, "stdvga", &l);
        if (!rc)
            b->u.hvm.vga.kind = l ? LIBXL_VGA_INTERFACE_TYPE_STD
                                  : LIBXL_VGA_INTERFACE_TYPE_CIRRUS;
        return rc < 0 ? -1 : 0;
    }
    for (i = 0; i < XLCFG_ARRAY_SIZE(kinds); i++) {
        if (!strcmp(buf, kinds[i].name)) {
            b->u.hvm.vga.kind = kinds[i].kind;
            return 0;
        }
    }
    return xlcfg_err(st, "invalid value '%s' for 'vga'", buf);
}

#define XLCFG_SPICE(key, type, field)                                      \
    XLCFG_SCALAR(key, type, libxl_spice_info, field)
static const struct xlcfg_scalar xlcfg_spice_keys[] = {
    XLCFG_SPICE("spice", XLCFG_T_BOOL, enable),
    XLCFG_SPICE("spiceport", XLCFG_T_INT, port),
    XLCFG_SPICE("spicetls_port", XLCFG_T_INT, tls_port),
    XLCFG_SPICE("spicehost", XLCFG_T_STR, host),
    XLCFG_SPICE("spicedisable_ticketing", XLCFG_T_BOOL, disable_ticketing),
    XLCFG_SPICE("spicepasswd", XLCFG_T_STR, passwd),
    XLCFG_SPICE("spiceagent_mouse", XLCFG_T_BOOL, agent_mouse),
    XLCFG_SPICE("spicevdagent", XLCFG_T_BOOL, vdagent),
    XLCFG_SPICE("spice_clipboard_sharing", XLCFG_T_BOOL, clipboard_sharing),
    XLCFG_SPICE("spiceusbredirection", XLCFG_T_INT, usbredirection),
    XLCFG_SPICE("spice_image_compression", XLCFG_T_STR, image_compression),
    XLCFG_SPICE("spice_streaming_video", XLCFG_T_STR, streaming_video),
};

int xlcfg_hvm_late(struct xlcfg_st *st, libxl_domain_build_info *b)
{
    const char *buf;
    long l;
    int rc;

    if (xlcfg_vga(st, b) ||
        XLCFG_ENUM(st, "hdtype", libxl_hdtype_from_string,
                   &b->u.hvm.hdtype) < 0 ||
        xlcfg_strdup(st, "keymap", &b->u.hvm.keymap) < 0 ||
        XLCFG_SCALARS(st, &b->u.hvm.spice, xlcfg_spice_keys) ||
        xlcfg_bool(st, "nographic", &b->u.hvm.nographic) < 0)
        return -1;

    /* gfx_passthru: a boolean number or the kind of passthrough */
    rc = xlcfg_str(st, "gfx_passthru", &buf);
    if (rc < 0)
        return -1;
    if (!rc) {
        if (!xlu_cfg_get_long(st->xlu, "gfx_passthru", &l, 1)) {
            libxl_defbool_set(&b->u.hvm.gfx_passthru, l);
        } else {
            if (libxl_gfx_passthru_kind_from_string(buf,
                    &b->u.hvm.gfx_passthru_kind))
                return xlcfg_err(st, "invalid value '%s' for "
                                 "'gfx_passthru'", buf);
            libxl_defbool_set(&b->u.hvm.gfx_passthru, true);
        }
    }

    if (xlcfg_str_or_list(st, "serial", &b->u.hvm.serial_list,
                          &b->u.hvm.serial) ||
        xlcfg_strdup(st, "boot", &b->u.hvm.boot) < 0 ||
        xlcfg_bool(st, "usb", &b->u.hvm.usb) < 0 ||
        xlcfg_int(st, "usbversion", &b->u.hvm.usbversion) < 0 ||
        xlcfg_str_or_list(st, "usbdevice", &b->u.hvm.usbdevice_list,
                          &b->u.hvm.usbdevice) ||
        xlcfg_bool(st, "vkb_device", &b->u.hvm.vkb_device) < 0 ||
        xlcfg_strdup(st, "soundhw", &b->u.hvm.soundhw) < 0 ||
        xlcfg_bool(st, "xen_platform_pci",
                   &b->u.hvm.xen_platform_pci) < 0)
        return -1;

    if (b->u.hvm.vnc.listen && b->u.hvm.vnc.display &&
        strchr(b->u.hvm.vnc.listen, ':'))
        return xlcfg_err(st, "the display is set both in 'vnclisten' and "
                         "in 'vncdisplay'");

    if (XLCFG_ENUM(st, "vendor_device", libxl_vendor_device_from_string,
                   &b->u.hvm.vendor_device) < 0)
        return -1;
    return 0;
}
