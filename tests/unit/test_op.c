/*
 * Unit tests for core/op.c's words for what an op leaves when axl exits
 * during it (op_left): a half-built domain, a half-attached device, or
 * nothing; the verbs and device names each device kind's row gives; the
 * create's own setters (autoballoon, create -c's console), and the
 * stream's, migration's and core dump's, each of which refuses another
 * kind (the state they set is op_balloon.c's, op_create.c's,
 * op_save.c's, op_migrate.c's and op_coredump.c's; ASan's build checks
 * that op_free() frees it).  No libxl call is made.  Prints TAP.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "../../core/loop.h"
#include "../../core/op.h"
#include <libxl.h>

static const struct op_hooks hooks;

/* Name the op's device as a command would have (nothing for others). */
static void set_dev(struct op *op, enum op_dev_kind dk)
{
    void *dev;

    if (op_set_dev(op, dk) < 0)
        return;
    dev = op_dev(op);
    switch (dk) {
    case OP_DEV_DISK:
        ((libxl_device_disk *)dev)->vdev = strdup("xvdb");
        break;
    case OP_DEV_NIC:
        ((libxl_device_nic *)dev)->devid = 1;
        break;
    case OP_DEV_VTPM:
        ((libxl_device_vtpm *)dev)->devid = 0;
        break;
    case OP_DEV_USBDEV:
        ((libxl_device_usbdev *)dev)->ctrl = 0;
        ((libxl_device_usbdev *)dev)->port = 1;
        break;
    case OP_DEV_PCI:
        ((libxl_device_pci *)dev)->dev = 2;
        break;
    default:
        break;      /* the index libxl has not chosen yet */
    }
}

/* create -c's hook: never called, no create starts here. */
static void con_ready(struct op *op, uint32_t domid, void *user)
{
    (void)op;
    (void)domid;
    (void)user;
}

/*
 * The create's state is its own (op_create.c, op_balloon.c): its setters
 * take a create, again if called twice, and refuse any other kind, whose
 * state is another (ASan sees a read of it); freed with the op (LSan).
 */
static void check_create_setters(struct loop *lp)
{
    struct op *op = op_new(lp, OP_CREATE, "g1", &hooks, NULL);
    struct op *req = op_new(lp, OP_SHUTDOWN, "g1", &hooks, NULL);

    check(op && op_set_balloon(op, "/run/axl-test.lock") == 0 &&
          op_set_balloon(op, "/run/axl-test2.lock") == 0,
          "create: op_set_balloon takes it, twice");
    check(op && op_set_console(op, con_ready, NULL) == 0,
          "create: op_set_console takes it");
    if (op)
        op_console_connected(op);   /* no client waited for: nothing */
    check(op && op_state(op) == OP_IDLE,
          "create: a console connecting before any wait changes nothing");
    check(req && op_set_balloon(req, "/run/axl-test.lock") < 0,
          "shutdown: op_set_balloon refuses it");
    check(req && op_set_console(req, con_ready, NULL) < 0,
          "shutdown: op_set_console refuses it");
    if (req)
        op_console_connected(req);  /* another kind's state: left alone */
    check(req && op_state(req) == OP_IDLE,
          "shutdown: op_console_connected leaves it alone");
    op_free(req);
    op_free(op);
}

static void check_str(const char *got, const char *want, const char *title)
{
    check(!strcmp(got, want), title);
    if (strcmp(got, want))
        printf("#   got  '%s'\n#   want '%s'\n", got, want);
}

static void check_dev(struct loop *lp, enum op_kind kind,
                      enum op_dev_kind dk, uint32_t domid,
                      const char *want, const char *title)
{
    struct op *op = op_new(lp, kind, "g1", &hooks, NULL);
    char buf[256];

    if (domid != (uint32_t)~0u)
        op_set_domid(op, domid);
    set_dev(op, dk);
    op_left(op, buf, sizeof(buf));
    check_str(buf, want, title);
    op_free(op);
}

static void check_left(struct loop *lp, enum op_kind kind, uint32_t domid,
                       const char *want, const char *title)
{
    check_dev(lp, kind, OP_DEV_DISK, domid, want, title);
}

/* The verb a device op takes from its kind's row. */
static void check_verb(struct loop *lp, enum op_kind kind,
                       enum op_dev_kind dk, const char *want)
{
    struct op *op = op_new(lp, kind, "g1", &hooks, NULL);
    char title[80];

    snprintf(title, sizeof(title), "the verb is %s", want);
    check(op && op_set_dev(op, dk) == 0, "op_set_dev takes a device kind");
    check_str(op ? op_verb(op) : "", want, title);
    op_free(op);
}

/* The setters of a save's, a migration's and a restore's state. */
static void check_stream_setters(struct loop *lp)
{
    const char *file = "/nonexistent-axl-test/g1.save";
    struct op *op = op_new(lp, OP_PAUSE, "g1", &hooks, NULL);
    const char *tmp;

    check(op && op_set_fd(op, -1) < 0 && op_own_fd(op) < 0 &&
          op_set_save_after(op, OP_SAVE_THEN_RESUME) < 0 &&
          op_set_save_config(op) < 0 && op_set_save_keep_domid(op) < 0,
          "pause: no stream to set");
    check(op && op_set_migrate(op, -1, -1, 0) < 0 &&
          op_set_migrate_name(op, "g1") < 0 &&
          op_set_migrate_in(op, -1, "g1") < 0 &&
          !strcmp(op_verb(op), "pause"), "pause: no migration to set");
    errno = 0;
    check(op && op_set_out_file(op, file) < 0 && errno == EINVAL &&
          !op_out_tmp(op), "pause: no file to write");
    check(op && op_set_path(op, "/proc/self/fd/9") < 0,
          "pause: no core dump's path");
    op_free(op);

    op = op_new(lp, OP_SAVE, "g1", &hooks, NULL);
    check(op && op_set_save_after(op, OP_SAVE_THEN_PAUSE) == 0 &&
          op_set_save_config(op) == 0 && op_set_save_keep_domid(op) == 0 &&
          op_set_fd(op, -1) == 0 && op_own_fd(op) == 0,
          "save: its setters take it");
    check(op && op_set_migrate(op, -1, -1, 0) < 0 &&
          op_set_migrate_name(op, "g1") < 0 &&
          op_set_migrate_in(op, -1, "g1") < 0, "save: no migration's");
    check(op && op_set_out_file(op, file) == 0 &&
          (tmp = op_out_tmp(op)) && !strcmp(tmp, "/nonexistent-axl-test/"
                                            "g1.save.axl-tmp"),
          "save: its file, written under a temporary name");
    op_free(op);

    op = op_new(lp, OP_MIGRATE, "g1", &hooks, NULL);
    check(op && op_set_migrate(op, -1, -1, 0) == 0 &&
          op_set_migrate_name(op, "g1") == 0 &&
          op_set_migrate_name(op, NULL) == 0 &&
          op_set_migrate_name(op, "g1") == 0 &&
          op_set_save_config(op) == 0 && op_set_save_keep_domid(op) == 0,
          "migrate: its setters and a save's take it");
    check(op && op_set_save_after(op, OP_SAVE_THEN_RESUME) < 0 &&
          op_set_migrate_in(op, -1, "g1") < 0 &&
          op_set_out_file(op, file) < 0 && !op_out_tmp(op),
          "migrate: no after-action, no receiving end, no file");
    check_str(op ? op_verb(op) : "", "migrate", "migrate's verb");
    op_free(op);

    op = op_new(lp, OP_CREATE, "g1", &hooks, NULL);
    check_str(op ? op_verb(op) : "", "create", "a create's verb");
    check(op && op_set_save_config(op) < 0 &&
          op_set_migrate(op, -1, -1, 0) < 0 &&
          op_set_migrate_name(op, "g1") < 0 &&
          op_set_out_file(op, file) < 0,
          "create: no save's or sender's setters");
    check(op && op_set_fd(op, -1) == 0 && op_own_fd(op) == 0 &&
          op_set_migrate_in(op, -1, "g1") == 0,
          "create: a restore's stream, a migration's receiving end");
    check_str(op ? op_verb(op) : "", "incoming migration",
              "an incoming migration's verb");
    op_free(op);

    op = op_new(lp, OP_CORE_DUMP, "g1", &hooks, NULL);
    check(op && !op_out_tmp(op) && op_set_fd(op, -1) < 0 &&
          op_set_out_file(op, file) == 0 && op_out_tmp(op),
          "dump-core: its file, and no descriptor of the caller's");
    check(op && op_set_path(op, "/proc/self/fd/9") == 0 &&
          op_set_path(op, "/proc/self/fd/10") == 0,
          "dump-core: its path, replaced (its own state, freed with it)");
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
    check_dev(lp, OP_DEV_ADD, OP_DEV_DISK, 5, "xvdb may be left "
              "half-attached to domain 5; remove it with 'axl block-detach "
              "-f 5 xvdb'", "block-attach: the disk, never 'axl destroy'");
    check_dev(lp, OP_DEV_ADD, OP_DEV_NIC, 5, "vif 1 may be left "
              "half-attached to domain 5; remove it with 'axl "
              "network-detach -f 5 1'",
              "network-attach: the vif, never 'axl destroy'");
    check_dev(lp, OP_DEV_REMOVE, OP_DEV_DISK, 5, "xvdb may still be "
              "attached to domain 5; check with 'axl block-list 5'",
              "block-detach: the disk may still be there");
    check_dev(lp, OP_DEV_ADD, OP_DEV_VTPM, 5, "vtpm 0 may be left "
              "half-attached to domain 5; remove it with 'axl vtpm-detach "
              "-f 5 0'", "vtpm-attach: the vtpm, by force");
    check_dev(lp, OP_DEV_ADD, OP_DEV_VKB, 5, "a vkb may be left "
              "half-attached to domain 5; remove it with 'axl vkb-detach "
              "-f 5 ?'", "vkb-attach before libxl chose its index");
    check_dev(lp, OP_DEV_ADD, OP_DEV_USBDEV, 5, "usbdev 0:1 may be left "
              "half-attached to domain 5; remove it with 'axl "
              "usbdev-detach 5 0 1'",
              "usbdev-attach: by controller and port, no -f");
    check_dev(lp, OP_DEV_ADD, OP_DEV_PCI, 5, "pci 0000:00:02.0 may be left "
              "half-attached to domain 5; remove it with 'axl pci-detach "
              "-f 5 0000:00:02.0'", "pci-attach: by its address");
    check_dev(lp, OP_DEV_REMOVE, OP_DEV_USBCTRL, 5, "a usbctrl may still be "
              "attached to domain 5; check with 'axl usb-list 5'",
              "usbctrl-detach: check with usb-list");
    check_dev(lp, OP_CD_EJECT, OP_DEV_DISK, 5, "the drive xvdb of domain 5 "
              "may be left empty; check with 'axl block-list 5'",
              "cd-eject: the drive may be empty");
    check_verb(lp, OP_DEV_ADD, OP_DEV_DISK, "block-attach");
    check_verb(lp, OP_DEV_REMOVE, OP_DEV_NIC, "network-detach");
    check_verb(lp, OP_DEV_ADD, OP_DEV_VSND, "vsnd-attach");
    check_verb(lp, OP_DEV_REMOVE, OP_DEV_VDISPL, "vdispl-detach");
    {
        struct op *op = op_new(lp, OP_CD_INSERT, "g1", &hooks, NULL);

        check(op && op_set_dev(op, OP_DEV_NIC) < 0,
              "cd-insert: a drive is a disk, nothing else");
        check_str(op ? op_verb(op) : "", "cd-insert", "cd-insert's verb");
        op_free(op);
        op = op_new(lp, OP_PAUSE, "g1", &hooks, NULL);
        check(op && op_set_dev(op, OP_DEV_DISK) < 0 && !op_dev(op),
              "pause: no device");
        op_free(op);
    }
    check_stream_setters(lp);
    check_left(lp, OP_SAVE, 5, "domain 5 may be left suspended; 'axl "
               "destroy 5' or a restore of an earlier save",
               "save: the domain may be left suspended");
    check_left(lp, OP_MIGRATE, 5, "domain 5 may be left suspended here, and "
               "the target may have a copy: check both hosts before you "
               "resume one ('axl list 5')", "migrate: both hosts");
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
    check_create_setters(lp);
    loop_dispose(lp);
    return tap_done();
}
