/*
 * Unit tests for core/op.c's words for what an op leaves when axl exits
 * during it (op_left): a half-built domain, a half-attached device, or
 * nothing.  No libxl call is made.  Prints TAP.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "../../core/loop.h"
#include "../../core/op.h"

static const struct op_hooks hooks;

static void check_left(struct loop *lp, enum op_kind kind, uint32_t domid,
                       const char *want, const char *title)
{
    struct op *op = op_new(lp, kind, "g1", &hooks, NULL);
    char buf[256];

    if (domid != (uint32_t)~0u)
        op_set_domid(op, domid);
    if (kind == OP_DISK_ADD || kind == OP_DISK_REMOVE)
        op_disk(op)->vdev = strdup("xvdb");
    if (kind == OP_NIC_ADD || kind == OP_NIC_REMOVE)
        op_nic(op)->devid = 1;
    op_left(op, buf, sizeof(buf));
    check(!strcmp(buf, want), title);
    if (strcmp(buf, want))
        printf("#   got  '%s'\n#   want '%s'\n", buf, want);
    op_free(op);
}

int main(void)
{
    struct loop *lp;

    if (loop_init(&lp) < 0) {
        printf("Bail out! loop_init failed\n");
        return 1;
    }
    check_left(lp, OP_CREATE, 5, "domain 5 may be left half-built; remove "
               "it with 'axl destroy 5'", "create: the domain, to destroy");
    check_left(lp, OP_CREATE, ~0u, "its domain may be left half-built; "
               "check 'axl list'", "create before a domid: check the list");
    check_left(lp, OP_DISK_ADD, 5, "xvdb may be left half-attached to domain"
               " 5; remove it with 'axl block-detach -f 5 xvdb'",
               "block-attach: the disk, never 'axl destroy'");
    check_left(lp, OP_NIC_ADD, 5, "vif 1 may be left half-attached to domain"
               " 5; remove it with 'axl network-detach -f 5 1'",
               "network-attach: the vif, never 'axl destroy'");
    check_left(lp, OP_DISK_REMOVE, 5, "xvdb may still be attached to domain "
               "5; check with 'axl block-list 5'",
               "block-detach: the disk may still be there");
    check_left(lp, OP_PAUSE, 5, "a pause leaves nothing to clean up (see "
               "'axl list 5')", "pause: nothing");
    check_left(lp, OP_UNPAUSE, 5, "an unpause leaves nothing to clean up "
               "(see 'axl list 5')", "unpause: nothing");
    check_left(lp, OP_SHUTDOWN, 5, "the shutdown request may have reached "
               "domain 5; nothing to clean up", "shutdown: nothing");
    check_left(lp, OP_REBOOT, 5, "the reboot request may have reached "
               "domain 5; nothing to clean up", "reboot: nothing");
    check_left(lp, OP_RETRIEVE, 5, "reading a configuration leaves nothing "
               "to clean up", "retrieve: nothing");
    check_left(lp, OP_DESTROY, 5, "domain 5 may be partly destroyed; run "
               "'axl destroy 5' again", "destroy: run it again");
    check_left(lp, OP_VCPU_SET, 5, "some vCPUs of domain 5 may have changed; "
               "check with 'axl vcpu-list 5'", "vcpu-set: check the list");
    check_left(lp, OP_TRIGGER, 5, "the trigger may have reached domain 5; "
               "nothing to clean up", "trigger: nothing");
    check_left(lp, OP_QEMU_MONITOR, 5, "the command may have reached the "
               "device model of domain 5; nothing to clean up",
               "qemu-monitor-command: nothing");
    loop_dispose(lp);
    return tap_done();
}
