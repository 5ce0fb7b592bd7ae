/*
 * op_device: the device kinds an op attaches and detaches, one row each
 * (private to core/op.c and core/op_device.c).  A row tells op.c's state
 * machine how to start, name and clean up a device of its kind; op.c has
 * no branch on the kind.
 */
#ifndef AXL_OP_DEVICE_H
#define AXL_OP_DEVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <libxl.h>

#include "op.h"

/* A libxl device call that takes ao_how: add, remove or destroy. */
typedef int op_dev_call_fn(libxl_ctx *ctx, uint32_t domid, void *dev,
                           const libxl_asyncop_how *how);

/*
 * How a device is named where it must be found again (journal records,
 * the forced-removal hint): by its index (devid, >= 0 once libxl has
 * chosen it), or else by a word (a disk's vdev, a PCI device's BDF, a
 * USB device's "CONTROLLER PORT"); "" and -1 while unknown.
 */
struct op_dev_key {
    char word[32];
    int devid;
};

struct op_dev_kind_info {
    const char *id;         /* in journal records: "disk", "nic", ... */
    const char *attach;     /* its verbs: "block-attach", "block-detach", */
    const char *detach;
    const char *list;       /* and the command that lists it */
    size_t size;            /* sizeof(libxl_device_<kind>) */
    void (*init)(void *dev);
    void (*dispose)(void *dev);
    op_dev_call_fn *add;
    op_dev_call_fn *remove;     /* with the guest's cooperation */
    /*
     * By force, without the guest: libxl_device_<kind>_destroy; a USB
     * device has none, and its removal needs no guest anyway (libxl
     * takes it from the controller's port and gives it back to dom0).
     */
    op_dev_call_fn *destroy;
    /* The detach command's flag for the forced removal: "-f " or "". */
    const char *force_flag;
    void (*key)(const void *dev, struct op_dev_key *k);
    /* "xvdb", "vif 1", "vtpm 0", "a vtpm" while libxl has not chosen. */
    void (*name)(const void *dev, char *buf, size_t len);
    /*
     * Find the device key names among domid's: 0 (and the device in
     * dev, initialised), 1 if it is not there, -1 if the key is unknown
     * or libxl cannot say.
     */
    int (*lookup)(libxl_ctx *ctx, uint32_t domid, const struct op_dev_key *k,
                  void *dev);
    /* Name dev by key alone (a device that cannot be found). */
    void (*from_key)(const struct op_dev_key *k, void *dev);
};

/* The row of a kind. */
const struct op_dev_kind_info *op_dev_kind_info(enum op_dev_kind kind);

/* The kind whose attach verb is verb (a journal record's); -1 if none. */
int op_dev_kind_by_verb(const char *verb);

/* Whether the device key names is attached to domid: 1, 0, or -1. */
int op_dev_find(libxl_ctx *ctx, enum op_dev_kind kind, uint32_t domid,
                const struct op_dev_key *k);

#endif
