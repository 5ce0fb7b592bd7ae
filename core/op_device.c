/*
 * op_device: the device kinds, one row each: libxl's calls for the kind,
 * how a device is named and found again.  core/op.c runs them.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxl_utils.h>

#include "journal.h"
#include "op_device.h"

/* init, dispose and the three ao calls of libxl_device_<k>, untyped. */
#define OP_DEV_CALLS(k, rm, destroy)                                       \
    static void op_##k##_init(void *d) { libxl_device_##k##_init(d); }    \
    static void op_##k##_dispose(void *d)                                 \
    {                                                                     \
        libxl_device_##k##_dispose(d);                                    \
    }                                                                     \
    static int op_##k##_add(libxl_ctx *ctx, uint32_t domid, void *d,      \
                            const libxl_asyncop_how *how)                 \
    {                                                                     \
        return libxl_device_##k##_add(ctx, domid, d, how);                \
    }                                                                     \
    static int op_##k##_remove(libxl_ctx *ctx, uint32_t domid, void *d,   \
                               const libxl_asyncop_how *how)              \
    {                                                                     \
        return rm(ctx, domid, d, how);                                    \
    }                                                                     \
    static int op_##k##_destroy(libxl_ctx *ctx, uint32_t domid, void *d,  \
                                const libxl_asyncop_how *how)             \
    {                                                                     \
        return destroy(ctx, domid, d, how);                               \
    }

/*
 * A kind named by its index, "WORD N" in messages ("a WORD" until libxl
 * has chosen N), found again with libxl_devid_to_device_<k>.
 */
#define OP_DEV_BY_DEVID(k, wd)                                           \
    static void op_##k##_key(const void *d, struct op_dev_key *key)       \
    {                                                                     \
        key->word[0] = '\0';                                              \
        key->devid = ((const libxl_device_##k *)d)->devid;                \
    }                                                                     \
    static void op_##k##_name(const void *d, char *buf, size_t len)       \
    {                                                                     \
        int devid = ((const libxl_device_##k *)d)->devid;                 \
                                                                          \
        if (devid >= 0)                                                   \
            snprintf(buf, len, "%s %d", wd, devid);                     \
        else                                                              \
            snprintf(buf, len, "a %s", wd);                             \
    }                                                                     \
    static int op_##k##_lookup(libxl_ctx *ctx, uint32_t domid,            \
                               const struct op_dev_key *key, void *d)     \
    {                                                                     \
        if (key->devid < 0)                                               \
            return -1;                                                    \
        return libxl_devid_to_device_##k(ctx, domid, key->devid, d) != 0; \
    }                                                                     \
    static void op_##k##_from_key(const struct op_dev_key *key, void *d)  \
    {                                                                     \
        ((libxl_device_##k *)d)->devid = key->devid;                      \
    }

OP_DEV_CALLS(disk, libxl_device_disk_safe_remove, libxl_device_disk_destroy)
OP_DEV_CALLS(nic, libxl_device_nic_remove, libxl_device_nic_destroy)
OP_DEV_CALLS(vtpm, libxl_device_vtpm_remove, libxl_device_vtpm_destroy)
OP_DEV_CALLS(vkb, libxl_device_vkb_remove, libxl_device_vkb_destroy)
OP_DEV_CALLS(vdispl, libxl_device_vdispl_remove,
             libxl_device_vdispl_destroy)
OP_DEV_CALLS(vsnd, libxl_device_vsnd_remove, libxl_device_vsnd_destroy)
OP_DEV_CALLS(usbctrl, libxl_device_usbctrl_remove,
             libxl_device_usbctrl_destroy)
OP_DEV_CALLS(usbdev, libxl_device_usbdev_remove, libxl_device_usbdev_remove)
OP_DEV_CALLS(pci, libxl_device_pci_remove, libxl_device_pci_destroy)

OP_DEV_BY_DEVID(nic, "vif")
OP_DEV_BY_DEVID(vtpm, "vtpm")
OP_DEV_BY_DEVID(vkb, "vkb")
OP_DEV_BY_DEVID(vdispl, "vdispl")
OP_DEV_BY_DEVID(vsnd, "vsnd")
OP_DEV_BY_DEVID(usbctrl, "usbctrl")

/* ---- a disk: by its vdev ---- */

static void op_disk_key(const void *d, struct op_dev_key *key)
{
    const libxl_device_disk *disk = d;

    snprintf(key->word, sizeof(key->word), "%s", disk->vdev ? disk->vdev
                                                            : "");
    key->devid = -1;
}

static void op_disk_name(const void *d, char *buf, size_t len)
{
    const libxl_device_disk *disk = d;

    snprintf(buf, len, "%s", disk->vdev ? disk->vdev : "a disk");
}

static int op_disk_lookup(libxl_ctx *ctx, uint32_t domid,
                          const struct op_dev_key *key, void *d)
{
    if (!key->word[0])
        return -1;
    return libxl_vdev_to_device_disk(ctx, domid, key->word, d) != 0;
}

static void op_disk_from_key(const struct op_dev_key *key, void *d)
{
    libxl_device_disk *disk = d;

    if (key->word[0])
        disk->vdev = strdup(key->word);
}

/* ---- a USB device: by its controller and port ---- */

static void op_usbdev_key(const void *d, struct op_dev_key *key)
{
    const libxl_device_usbdev *u = d;

    key->devid = -1;
    key->word[0] = '\0';
    if (u->ctrl >= 0 && u->port > 0)
        snprintf(key->word, sizeof(key->word), "%d %d", u->ctrl, u->port);
}

static void op_usbdev_name(const void *d, char *buf, size_t len)
{
    const libxl_device_usbdev *u = d;

    if (u->ctrl >= 0 && u->port > 0)
        snprintf(buf, len, "usbdev %d:%d", u->ctrl, u->port);
    else
        snprintf(buf, len, "a usbdev");
}

/* Whether the domain has a USB controller with this index. */
static bool op_usbctrl_exists(libxl_ctx *ctx, uint32_t domid, int ctrl)
{
    libxl_device_usbctrl *c;
    int i, n = 0;
    bool found = false;

    c = libxl_device_usbctrl_list(ctx, domid, &n);
    for (i = 0; c && i < n; i++)
        found = found || c[i].devid == ctrl;
    if (c)
        libxl_device_usbctrl_list_free(c, n);
    return found;
}

static int op_usbdev_lookup(libxl_ctx *ctx, uint32_t domid,
                            const struct op_dev_key *key, void *d)
{
    int ctrl, port;

    if (sscanf(key->word, "%d %d", &ctrl, &port) != 2)
        return -1;
    /*
     * libxl 4.17 reads a missing controller's type as NULL and crashes
     * on it (xl usbdev-detach dies of SIGSEGV): look for it first.
     */
    if (!op_usbctrl_exists(ctx, domid, ctrl))
        return 1;
    return libxl_ctrlport_to_device_usbdev(ctx, domid, ctrl, port, d) != 0;
}

static void op_usbdev_from_key(const struct op_dev_key *key, void *d)
{
    libxl_device_usbdev *u = d;

    if (sscanf(key->word, "%d %d", &u->ctrl, &u->port) != 2) {
        u->ctrl = -1;
        u->port = 0;
    }
}

/* ---- a PCI device: by its host address (BDF) ---- */

#define OP_PCI_BDF "%04x:%02x:%02x.%01x"

static void op_pci_key(const void *d, struct op_dev_key *key)
{
    const libxl_device_pci *p = d;

    snprintf(key->word, sizeof(key->word), OP_PCI_BDF, p->domain, p->bus,
             p->dev, p->func);
    key->devid = -1;
}

static void op_pci_name(const void *d, char *buf, size_t len)
{
    const libxl_device_pci *p = d;

    snprintf(buf, len, "pci " OP_PCI_BDF, p->domain, p->bus, p->dev,
             p->func);
}

static int op_pci_lookup(libxl_ctx *ctx, uint32_t domid,
                         const struct op_dev_key *key, void *d)
{
    libxl_device_pci *list;
    unsigned dom, bus, dev, func;
    int i, n = 0, r = 1;

    if (sscanf(key->word, "%x:%x:%x.%x", &dom, &bus, &dev, &func) != 4)
        return -1;
    list = libxl_device_pci_list(ctx, domid, &n);
    for (i = 0; list && i < n && r; i++) {
        if ((unsigned)list[i].domain != dom || list[i].bus != bus ||
            list[i].dev != dev || list[i].func != func)
            continue;
        libxl_device_pci_copy(ctx, d, &list[i]);
        r = 0;
    }
    if (list)
        libxl_device_pci_list_free(list, n);
    return r;
}

static void op_pci_from_key(const struct op_dev_key *key, void *d)
{
    libxl_device_pci *p = d;
    unsigned dom, bus, dev, func;

    if (sscanf(key->word, "%x:%x:%x.%x", &dom, &bus, &dev, &func) != 4)
        return;
    p->domain = dom;
    p->bus = bus;
    p->dev = dev;
    p->func = func;
}

/* ---- the table ---- */

#define OP_DEV_ROW(k)                                                      \
    .size = sizeof(libxl_device_##k), .init = op_##k##_init,              \
    .dispose = op_##k##_dispose, .add = op_##k##_add,                     \
    .remove = op_##k##_remove, .destroy = op_##k##_destroy,               \
    .key = op_##k##_key, .name = op_##k##_name,                           \
    .lookup = op_##k##_lookup, .from_key = op_##k##_from_key

static const struct op_dev_kind_info op_dev_kinds[] = {
    [OP_DEV_DISK] = { "block-attach", "block-detach", "block-list",
                      OP_DEV_ROW(disk), .force_flag = "-f " },
    [OP_DEV_NIC] = { "network-attach", "network-detach", "network-list",
                     OP_DEV_ROW(nic), .force_flag = "-f " },
    [OP_DEV_VTPM] = { "vtpm-attach", "vtpm-detach", "vtpm-list",
                      OP_DEV_ROW(vtpm), .force_flag = "-f " },
    [OP_DEV_VKB] = { "vkb-attach", "vkb-detach", "vkb-list",
                     OP_DEV_ROW(vkb), .force_flag = "-f " },
    [OP_DEV_VDISPL] = { "vdispl-attach", "vdispl-detach", "vdispl-list",
                        OP_DEV_ROW(vdispl), .force_flag = "-f " },
    [OP_DEV_VSND] = { "vsnd-attach", "vsnd-detach", "vsnd-list",
                      OP_DEV_ROW(vsnd), .force_flag = "-f " },
    [OP_DEV_USBCTRL] = { "usbctrl-attach", "usbctrl-detach", "usb-list",
                         OP_DEV_ROW(usbctrl), .force_flag = "-f " },
    [OP_DEV_USBDEV] = { "usbdev-attach", "usbdev-detach", "usb-list",
                        OP_DEV_ROW(usbdev), .force_flag = "" },
    [OP_DEV_PCI] = { "pci-attach", "pci-detach", "pci-list",
                     OP_DEV_ROW(pci), .force_flag = "-f " },
};

#define OP_DEV_NKINDS (sizeof(op_dev_kinds) / sizeof(op_dev_kinds[0]))

const struct op_dev_kind_info *op_dev_kind_info(enum op_dev_kind kind)
{
    return (unsigned)kind < OP_DEV_NKINDS ? &op_dev_kinds[kind] : NULL;
}

int op_dev_kind_by_verb(const char *verb)
{
    unsigned i;

    for (i = 0; i < OP_DEV_NKINDS; i++)
        if (!strcmp(op_dev_kinds[i].attach, verb))
            return (int)i;
    return -1;
}

int op_dev_find(libxl_ctx *ctx, enum op_dev_kind kind, uint32_t domid,
                const struct op_dev_key *k)
{
    const struct op_dev_kind_info *ki = op_dev_kind_info(kind);
    void *d = ki ? calloc(1, ki->size) : NULL;
    int r;

    if (!d)
        return -1;
    ki->init(d);
    r = ki->lookup(ctx, domid, k, d);
    ki->dispose(d);
    free(d);
    return r < 0 ? -1 : r == 0;
}

/* The record's naming of its device, as a key. */
static void op_dev_rec_key(const struct journal_rec *jr,
                           struct op_dev_key *k)
{
    snprintf(k->word, sizeof(k->word), "%s", jr->vdev);
    k->devid = jr->devid;
}

int op_dev_recorded(libxl_ctx *ctx, uint32_t domid,
                    const struct journal_rec *jr)
{
    int kind = op_dev_kind_by_verb(jr->verb);
    struct op_dev_key k;

    if (kind < 0)
        return -1;
    op_dev_rec_key(jr, &k);
    return op_dev_find(ctx, kind, domid, &k);
}

/*
 * The op's device, of the kind op_set_dev() gave it: the one key names
 * if found (0), else named by key (1 not found, -1 unknown).
 */
static int op_dev_take(struct op *op, libxl_ctx *ctx, enum op_dev_kind kind,
                       const struct op_dev_key *k)
{
    const struct op_dev_kind_info *ki = op_dev_kind_info(kind);
    void *dev = op_dev(op);
    int r;

    r = ki->lookup(ctx, op_domid(op), k, dev);
    if (r == 0)
        return 0;
    /* Gone meanwhile, or libxl cannot say: name it for the messages. */
    ki->dispose(dev);
    ki->init(dev);
    ki->from_key(k, dev);
    return r < 0 ? -1 : 1;
}

int op_set_dev_recorded(struct op *op, libxl_ctx *ctx,
                        const struct journal_rec *jr)
{
    int kind = op_dev_kind_by_verb(jr->verb);
    struct op_dev_key k;

    if (kind < 0 || op_set_dev(op, kind) < 0)
        return -1;
    op_dev_rec_key(jr, &k);
    op_dev_take(op, ctx, kind, &k);
    return 0;
}

int op_find_dev(struct op *op, libxl_ctx *ctx, enum op_dev_kind kind,
                const char *word, int devid)
{
    struct op_dev_key k;

    if (op_set_dev(op, kind) < 0)
        return -1;
    snprintf(k.word, sizeof(k.word), "%s", word ? word : "");
    k.devid = devid;
    return op_dev_take(op, ctx, kind, &k);
}
