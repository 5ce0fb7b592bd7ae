/*
 * op_device: the device kinds, one row each: libxl's calls for the kind,
 * how a device is named and found again; and the op kinds that attach,
 * detach, insert or eject one (block-attach, vtpm-detach, cd-insert, ...).
 * A cancelled attach removes what it half-attached (--on-cancel=destroy)
 * or says how to (keep).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxl_utils.h>

#include "dom.h"
#include "journal.h"
#include "loop.h"
#include "op_device.h"

#include "op_int.h"

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
    [OP_DEV_DISK] = { .id = "disk", .attach = "block-attach",
      .detach = "block-detach", .list = "block-list",
      OP_DEV_ROW(disk), .force_flag = "-f " },
    [OP_DEV_NIC] = { .id = "nic", .attach = "network-attach",
      .detach = "network-detach", .list = "network-list",
      OP_DEV_ROW(nic), .force_flag = "-f " },
    [OP_DEV_VTPM] = { .id = "vtpm", .attach = "vtpm-attach",
      .detach = "vtpm-detach", .list = "vtpm-list",
      OP_DEV_ROW(vtpm), .force_flag = "-f " },
    [OP_DEV_VKB] = { .id = "vkb", .attach = "vkb-attach",
      .detach = "vkb-detach", .list = "vkb-list",
      OP_DEV_ROW(vkb), .force_flag = "-f " },
    [OP_DEV_VDISPL] = { .id = "vdispl", .attach = "vdispl-attach",
      .detach = "vdispl-detach", .list = "vdispl-list",
      OP_DEV_ROW(vdispl), .force_flag = "-f " },
    [OP_DEV_VSND] = { .id = "vsnd", .attach = "vsnd-attach",
      .detach = "vsnd-detach", .list = "vsnd-list",
      OP_DEV_ROW(vsnd), .force_flag = "-f " },
    [OP_DEV_USBCTRL] = { .id = "usbctrl", .attach = "usbctrl-attach",
      .detach = "usbctrl-detach", .list = "usb-list",
      OP_DEV_ROW(usbctrl), .force_flag = "-f " },
    [OP_DEV_USBDEV] = { .id = "usbdev", .attach = "usbdev-attach",
      .detach = "usbdev-detach", .list = "usb-list",
      OP_DEV_ROW(usbdev), .force_flag = "" },
    [OP_DEV_PCI] = { .id = "pci", .attach = "pci-attach",
      .detach = "pci-detach", .list = "pci-list",
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

/* The kind a record names: its devkind, or (an older axl's) its verb. */
static int op_dev_kind_of_rec(const struct journal_rec *jr)
{
    unsigned i;

    if (!jr->devkind[0])
        return op_dev_kind_by_verb(jr->verb);
    for (i = 0; i < OP_DEV_NKINDS; i++)
        if (!strcmp(op_dev_kinds[i].id, jr->devkind))
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
    int kind = op_dev_kind_of_rec(jr);
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
    int kind = op_dev_kind_of_rec(jr);
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

/* ---- the op that attaches or detaches one device ---- */

/* A device op's own state. */
struct op_devst {
    enum op_dev_kind kind;
    const struct op_dev_kind_info *dk;  /* the kind's row */
    void *dev;              /* a libxl_device_<kind> */
    bool force;             /* remove by force (-f), not with the guest */
};

#define OP_DEVST(op) ((struct op_devst *)(op)->priv)

/* "xvdb"; "vif 1", or "a vif" until libxl has chosen its id. */
const char *op_dev_name(struct op *op, char *buf, size_t len)
{
    struct op_devst *ds = OP_DEVST(op);

    ds->dk->name(ds->dev, buf, len);
    return buf;
}

static int op_dev_destroy(struct op *op, libxl_ctx *ctx,
                          libxl_asyncop_how *how);

/* Attach the op's device. */
static int op_call_dev_add(struct op *op, libxl_ctx *ctx,
                           libxl_asyncop_how *how)
{
    struct op_devst *ds = OP_DEVST(op);

    return ds->dk->add(ctx, op->domid, ds->dev, how);
}

/* Detach it with the guest's help, or by force (-f). */
static int op_call_dev_remove(struct op *op, libxl_ctx *ctx,
                              libxl_asyncop_how *how)
{
    struct op_devst *ds = OP_DEVST(op);

    if (ds->force)
        return op_dev_destroy(op, ctx, how);
    return ds->dk->remove(ctx, op->domid, ds->dev, how);
}

/* Put the op's disk, a medium or none, into the drive it names. */
static int op_call_cd(struct op *op, libxl_ctx *ctx, libxl_asyncop_how *how)
{
    struct op_devst *ds = OP_DEVST(op);

    return libxl_cdrom_insert(ctx, op->domid, ds->dev, how);
}

/*
 * The record's device: its name for messages, and its key (a disk by its
 * vdev, a nic by its index, ...: see struct op_dev_key).
 */
static void op_dev_journal_key(struct op *op, struct journal_rec *jr)
{
    struct op_devst *ds = OP_DEVST(op);
    struct op_dev_key k;

    op_dev_name(op, jr->dev, sizeof(jr->dev));
    ds->dk->key(ds->dev, &k);
    snprintf(jr->vdev, sizeof(jr->vdev), "%s", k.word);
    jr->devid = k.devid;
}

/* An attach is recorded: a kill may leave its device half-attached. */
static bool op_dev_journal(struct op *op, struct journal_rec *jr)
{
    struct op_devst *ds = OP_DEVST(op);

    if (!op_has(op, OPK_ADD))
        return false;
    jr->kind = JOURNAL_ATTACH;
    snprintf(jr->devkind, sizeof(jr->devkind), "%s", ds->dk->id);
    op_dev_journal_key(op, jr);
    return true;
}

static int op_dev_start(struct op *op)
{
    struct op_devst *ds = OP_DEVST(op);
    struct op_dev_key k;
    char d[200];
    int rc;

    if (op_has(op, OPK_ADD))
        op_note(op, OP_NOTE_PROGRESS, "attaching %s",
                op_desc(op, NULL, d, sizeof(d)));
    rc = op_launch(op);
    /*
     * libxl picks a device's index (a USB device's port) in the
     * initiating call: record it.
     */
    if (op->state != OP_DONE && op->jr.path[0]) {
        ds->dk->key(ds->dev, &k);
        if (k.devid != op->jr.devid || strcmp(k.word, op->jr.vdev)) {
            op_dev_journal_key(op, &op->jr);
            journal_write(op->lp, &op->jr);
        }
    }
    return rc;
}

static const char *op_dev_left(struct op *op, char *buf, size_t len)
{
    struct op_devst *ds = OP_DEVST(op);
    char n[64], hint[120];

    if (op_has(op, OPK_CD))
        snprintf(buf, len, "the drive %s of domain %u may be left empty; "
                 "check with 'axl block-list %u'",
                 op_dev_name(op, n, sizeof(n)), op->domid, op->domid);
    else if (op_has(op, OPK_ADD))
        snprintf(buf, len, "%s may be left half-attached to domain %u; "
                 "remove it with '%s'", op_dev_name(op, n, sizeof(n)),
                 op->domid, op_dev_remove_hint(op, hint, sizeof(hint)));
    else
        snprintf(buf, len, "%s may still be attached to domain %u; check "
                 "with 'axl %s %u'", op_dev_name(op, n, sizeof(n)),
                 op->domid, ds->dk->list, op->domid);
    return buf;
}

/* Remove the op's device by force, as an ao reporting to how. */
static int op_dev_destroy(struct op *op, libxl_ctx *ctx,
                          libxl_asyncop_how *how)
{
    struct op_devst *ds = OP_DEVST(op);

    return ds->dk->destroy(ctx, op->domid, ds->dev, how);
}

/* Does libxl still find the op's device?  1, 0, or -1 if it cannot say. */
static int op_dev_present(struct op *op)
{
    struct op_devst *ds = OP_DEVST(op);
    libxl_ctx *ctx = loop_ctx(op->lp);
    struct op_dev_key k;

    if (dom_state_of(ctx, op->domid) == DOM_GONE)
        return 0;
    ds->dk->key(ds->dev, &k);
    return op_dev_find(ctx, ds->kind, op->domid, &k);
}

/*
 * The command that removes the op's device whatever its state: "axl
 * block-detach -f 5 xvdb", "axl usbdev-detach 5 0 1".
 */
const char *op_dev_remove_hint(struct op *op, char *buf, size_t len)
{
    struct op_devst *ds = OP_DEVST(op);
    struct op_dev_key k;

    ds->dk->key(ds->dev, &k);
    if (!k.word[0] && k.devid >= 0)
        snprintf(k.word, sizeof(k.word), "%d", k.devid);
    snprintf(buf, len, "axl %s %s%u %s", ds->dk->detach, ds->dk->force_flag,
             op->domid, k.word[0] ? k.word : "?");
    return buf;
}

/* After a device op was cancelled or failed: say what is left, finish. */
static void op_dev_report_left(struct op *op, enum op_result result)
{
    struct op_devst *ds = OP_DEVST(op);
    char d[200], hint[120], n[64], hw[220];
    const char *how = op_how(op, result, hw, sizeof(hw));
    int present;

    op_desc(op, NULL, d, sizeof(d));
    if (dom_state_of(loop_ctx(op->lp), op->domid) == DOM_GONE)
        op_note(op, OP_NOTE_INFO, "%s of %s %s; the domain is gone",
                op_verb(op), d, how);
    else if ((present = op_dev_present(op)) < 0)
        op_note(op, OP_NOTE_INFO, "%s of %s %s; check what is left with "
                "'axl %s %u'", op_verb(op), d, how, ds->dk->list,
                op->domid);
    else if (!present)
        op_note(op, OP_NOTE_INFO, "%s of %s %s; %s", op_verb(op), d, how,
                op_has(op, OPK_ADD) ? "no device is left"
                                  : "the device is gone");
    else if (op_has(op, OPK_ADD))
        op_note(op, OP_NOTE_INFO, "%s of %s %s; %s is left half-attached "
                "(remove it with '%s')", op_verb(op), d, how,
                op_dev_name(op, n, sizeof(n)),
                op_dev_remove_hint(op, hint, sizeof(hint)));
    else
        op_note(op, OP_NOTE_INFO, "%s of %s %s; %s is still attached",
                op_verb(op), d, how, op_dev_name(op, n, sizeof(n)));
    op_finish(op, result);
}

/* A cd-insert's or cd-eject's ao has completed: nothing to clean up. */
static void op_cd_done(struct op *op, int rc)
{
    struct op_devst *ds = OP_DEVST(op);
    libxl_device_disk *disk = ds->dev;
    bool eject = op->k == &op_kind_cd_eject;
    char d[200];

    op_desc(op, NULL, d, sizeof(d));
    if (rc == 0) {
        if (op->cancelled)
            op_note(op, OP_NOTE_INFO, "%s of %s had finished before the "
                    "cancel took effect; nothing was cancelled",
                    op_verb(op), d);
        if (eject)
            op_note(op, OP_NOTE_PROGRESS, "ejected the medium of %s", d);
        else
            op_note(op, OP_NOTE_PROGRESS, "inserted '%s' into %s",
                    disk->pdev_path ? disk->pdev_path : "", d);
        op_finish(op, OP_RESULT_OK);
        return;
    }
    if (!op->cancelled) {
        op_note(op, OP_NOTE_ERROR, "cannot %s %s: %s", eject
                ? "eject the medium of" : "change the medium of", d,
                op_failure(op, rc));
        op_finish(op, OP_RESULT_FAILED);
        return;
    }
    op_note(op, OP_NOTE_INFO, "%s of %s cancelled%s; the drive may be "
            "empty (check with 'axl block-list %u')", op_verb(op), d,
            op->cancel_phase, op->domid);
    op_finish(op, OP_RESULT_CANCELLED);
}

/* A device op's ao has completed. */
static void op_dev_done(struct op *op, int rc)
{
    struct op_devst *ds = OP_DEVST(op);
    char d[200], hint[120], n[64];

    op_desc(op, NULL, d, sizeof(d));
    if (rc == 0) {
        if (op->cancelled)
            op_note(op, OP_NOTE_INFO, "%s of %s had finished before the "
                    "cancel took effect; nothing was cancelled",
                    op_verb(op), d);
        op_note(op, OP_NOTE_PROGRESS, "%s %s", op_has(op, OPK_ADD)
                ? "attached" : "detached", d);
        op_finish(op, OP_RESULT_OK);
        return;
    }
    if (!op->cancelled && ds->force && !op_has(op, OPK_ADD) &&
        op_dev_present(op) == 0) {
        /* As for the cleanup: the device is gone, whatever libxl said. */
        op_note(op, OP_NOTE_PROGRESS, "detached %s", d);
        op_finish(op, OP_RESULT_OK);
        return;
    }
    if (!op->cancelled) {
        op_note(op, OP_NOTE_ERROR, "cannot %s %s: %s",
                op_has(op, OPK_ADD) ? "attach" : "detach", d,
                op_failure(op, rc));
        op_dev_report_left(op, OP_RESULT_FAILED);
        return;
    }
    if (!op_has(op, OPK_ADD) || op->abandon_cleanup ||
        op_dev_present(op) == 0) {
        op_dev_report_left(op, OP_RESULT_CANCELLED);
        return;
    }
    if (op->on_cancel == OP_ON_CANCEL_KEEP) {
        op_note(op, OP_NOTE_INFO, "%s of %s cancelled%s; %s kept, "
                "half-attached (remove it with '%s')", op_verb(op), d,
                op->cancel_phase,
                op_dev_name(op, n, sizeof(n)),
                op_dev_remove_hint(op, hint, sizeof(hint)));
        op_finish(op, OP_RESULT_CANCELLED);
        return;
    }
    op_start_cleanup(op);
}

/* The forced removal of a half-attached device has completed (rc). */
static void op_dev_clean_done(struct op *op, int rc)
{
    char d[160];

    op_desc(op, "from", d, sizeof(d));
    /*
     * libxl may report success for a removal whose script was killed,
     * and an error for one of a device whose backend never came (a vtpm
     * without its backend domain): what counts is whether the device is
     * still there.
     */
    if (rc != ERROR_ABORTED && op_dev_present(op) == 0) {
        op_note(op, OP_NOTE_INFO, "%s cancelled%s; removed %s; nothing is "
                "left", op_verb(op), op->cancel_phase, d);
        op_finish(op, OP_RESULT_CANCELLED);
        return;
    }
    if (rc)
        op_note(op, OP_NOTE_ERROR, "cannot remove %s: %s", d,
                rc == ERROR_ABORTED ? "cancelled" : op_failure(op, rc));
    op_dev_report_left(op, OP_RESULT_CANCELLED);
}

static int op_dev_init(struct op *op);
static void op_dev_dispose(struct op *op);

#define OP_DEV_PRIV                                                       \
    .priv_size = sizeof(struct op_devst), .init = op_dev_init,            \
    .dispose = op_dev_dispose

const struct op_kind_row op_kind_dev_add = {
    .flags = OPK_DEV | OPK_ADD, .call = op_call_dev_add,
    .start = op_dev_start, .done = op_dev_done, .journal = op_dev_journal,
    OP_DEV_PRIV,
    .clean = op_dev_destroy, .clean_done = op_dev_clean_done,
    .left_words = op_dev_left,
};

const struct op_kind_row op_kind_dev_remove = {
    .flags = OPK_DEV, .call = op_call_dev_remove, .start = op_dev_start,
    .done = op_dev_done, .left_words = op_dev_left, OP_DEV_PRIV,
};

const struct op_kind_row op_kind_cd_insert = {
    .verb = "cd-insert", .flags = OPK_DEV | OPK_CD, .call = op_call_cd,
    .start = op_dev_start, .done = op_cd_done, .left_words = op_dev_left,
    OP_DEV_PRIV,
};

const struct op_kind_row op_kind_cd_eject = {
    .verb = "cd-eject", .flags = OPK_DEV | OPK_CD, .call = op_call_cd,
    .start = op_dev_start, .done = op_cd_done, .left_words = op_dev_left,
    OP_DEV_PRIV,
};

int op_set_dev(struct op *op, enum op_dev_kind kind)
{
    struct op_devst *ds = OP_DEVST(op);
    const struct op_dev_kind_info *dk = op_dev_kind_info(kind);
    void *dev;

    /* A drive is a disk, whatever the caller says. */
    if (!dk || !op_has(op, OPK_DEV) ||
        (op_has(op, OPK_CD) && kind != OP_DEV_DISK))
        return -1;
    dev = calloc(1, dk->size);
    if (!dev)
        return -1;
    dk->init(dev);
    if (ds->dev) {
        ds->dk->dispose(ds->dev);
        free(ds->dev);
    }
    ds->kind = kind;
    ds->dk = dk;
    ds->dev = dev;
    return 0;
}

void *op_dev(struct op *op)
{
    return op_has(op, OPK_DEV) ? OP_DEVST(op)->dev : NULL;
}

const char *op_dev_verb(const struct op *op)
{
    const struct op_devst *ds = op->priv;

    return op_has(op, OPK_ADD) ? ds->dk->attach : ds->dk->detach;
}

/* A device op starts with a disk; op_set_dev() gives it its kind. */
static int op_dev_init(struct op *op)
{
    return op_set_dev(op, OP_DEV_DISK);
}

static void op_dev_dispose(struct op *op)
{
    struct op_devst *ds = op->priv;

    if (ds->dev) {
        ds->dk->dispose(ds->dev);
        free(ds->dev);
        ds->dev = NULL;
    }
}

int op_set_force(struct op *op, bool force)
{
    struct op_devst *ds = OP_DEVST(op);

    if (!op_has(op, OPK_DEV))
        return -1;
    ds->force = force;
    return 0;
}
