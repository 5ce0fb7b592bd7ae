/*
 * cmd_device: block-attach, block-detach, block-list, network-attach,
 * network-detach, network-list - xl's syntax and output; attach and
 * detach run as cancellable ops.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxl.h>
#include <libxl_utils.h>

#include "../core/status.h"
#include "../core/xlcfg.h"
#include "cmd.h"
#include "cmd_dev.h"
#include "json.h"
#include "out.h"

static int cmd_disk_spec(const struct xlcfg_opts *xo, const char *key,
                         void *dev)
{
    return xlcfg_disk_spec(xo, dev);
}

static int cmd_nic_spec(const struct xlcfg_opts *xo, const char *key,
                        void *dev)
{
    return xlcfg_nic_spec(xo, dev);
}

static char *cmd_disk_json(libxl_ctx *ctx, void *dev)
{
    return libxl_device_disk_to_json(ctx, dev);
}

static char *cmd_nic_json(libxl_ctx *ctx, void *dev)
{
    return libxl_device_nic_to_json(ctx, dev);
}

/*
 * libxl adds only the PV half of an emulated nic to a running guest: its
 * hotplug script then fails on the tap QEMU never made, and a vif is
 * left half-attached (xl leaves it so).  QEMU's nics come at creation.
 */
static const char *cmd_nic_refuse(const void *dev)
{
    const libxl_device_nic *nic = dev;

    return nic->nictype == LIBXL_NIC_TYPE_VIF_IOEMU
        ? "an emulated nic (type=ioemu) cannot be added to a running guest, "
          "only a PV one (type=vif, the default)"
        : NULL;
}

static const struct cmd_dev_attach cmd_disk_attach = {
    OP_DEV_DISK, "disk", "disk", cmd_disk_spec, cmd_disk_json, NULL,
};

static const struct cmd_dev_attach cmd_nic_attach = {
    OP_DEV_NIC, "vif", "vif", cmd_nic_spec, cmd_nic_json, cmd_nic_refuse,
};

/* ---- block ---- */

static int cmd_block_attach_run(struct cli *cli, struct cmd_call *call)
{
    return cmd_dev_attach(cli, call, &cmd_disk_attach);
}

static int cmd_block_detach_run(struct cli *cli, struct cmd_call *call)
{
    const char *vdev = call->argv[1];
    libxl_device_disk *disk;
    struct job *job;
    uint64_t timeout_ms;
    uint32_t domid;
    int status;

    job = cmd_dev_job(cli, call, OP_DEV_REMOVE, OP_DEV_DISK, &timeout_ms,
                      &domid, &status);
    if (!job)
        return status;
    disk = op_dev(job_op(job));
    if (libxl_vdev_to_device_disk(cli_libxl(cli), domid, vdev, disk)) {
        error("domain '%s' has no disk '%s' (see 'axl block-list %s')",
              call->argv[0], vdev, call->argv[0]);
        job_forget(cli, job);
        return AXL_EXIT_FAIL;
    }
    if (disk->specification == LIBXL_DISK_SPECIFICATION_VIRTIO) {
        error("block-detach: disk '%s' is a virtio disk, which cannot be "
              "hot-unplugged", vdev);
        job_forget(cli, job);
        return AXL_EXIT_FAIL;
    }
    return job_run(job, timeout_ms);
}

static void cmd_block_rows(libxl_ctx *ctx, uint32_t domid, struct json *j)
{
    libxl_device_disk *disks;
    libxl_diskinfo di;
    int k, n = 0;

    disks = libxl_device_disk_list(ctx, domid, &n);
    for (k = 0; disks && k < n; k++) {
        if (libxl_device_disk_getinfo(ctx, domid, &disks[k], &di))
            continue;
        if (j) {
            cmd_dev_json_pair(j, "config",
                              libxl_device_disk_to_json(ctx, &disks[k]),
                              "info", libxl_diskinfo_to_json(ctx, &di));
            libxl_diskinfo_dispose(&di);
            continue;
        }
        printf("%-5d %-3d %-6d %-5d %-6d %-8d %-30s\n", di.devid,
               di.backend_id, di.frontend_id, di.state, di.evtch, di.rref,
               di.backend ? di.backend : "");
        libxl_diskinfo_dispose(&di);
    }
    if (disks)
        libxl_device_disk_list_free(disks, n);
}

static int cmd_block_list_run(struct cli *cli, struct cmd_call *call)
{
    return cmd_dev_list(cli, call,
                        "Vdev  BE  handle state evt-ch ring-ref BE-path"
                        "                       \n", cmd_block_rows);
}

const struct cmd_entry cmd_block_attach_entry = {
    .name = "block-attach",
    .summary = "attach a disk to a domain",
    .usage = "[options] <Domain> <DiskSpec> ...",
    .opts = cmd_attach_opts,
    .min_args = 2,
    .max_args = -1,
    .first_arg = CMD_ARG_DOMAIN,
    .rest_args = CMD_ARG_OTHER,
    .flags = CMD_F_OP | CMD_F_DOM0,
    .run = cmd_block_attach_run,
};

const struct cmd_entry cmd_block_detach_entry = {
    .name = "block-detach",
    .summary = "detach a disk from a domain",
    .usage = "[options] <Domain> <Vdev>",
    .opts = cmd_detach_opts,
    .min_args = 2,
    .max_args = 2,
    .first_arg = CMD_ARG_DOMAIN,
    .rest_args = CMD_ARG_DISK,
    .flags = CMD_F_OP | CMD_F_DOM0,
    .run = cmd_block_detach_run,
};

const struct cmd_entry cmd_block_list_entry = {
    .name = "block-list",
    .summary = "list a domain's disks",
    .usage = "[--json] <Domain> ...",
    .opts = cmd_dev_list_opts,
    .min_args = 1,
    .max_args = -1,
    .first_arg = CMD_ARG_DOMAIN,
    .rest_args = CMD_ARG_DOMAIN,
    .run = cmd_block_list_run,
};

/* ---- network ---- */

static int cmd_network_detach_run(struct cli *cli, struct cmd_call *call)
{
    const char *dev = call->argv[1];
    libxl_device_nic *nic;
    struct job *job;
    uint64_t timeout_ms;
    uint32_t domid;
    char *end;
    long id;
    int status, rc;

    job = cmd_dev_job(cli, call, OP_DEV_REMOVE, OP_DEV_NIC, &timeout_ms,
                      &domid, &status);
    if (!job)
        return status;
    nic = op_dev(job_op(job));
    if (strchr(dev, ':')) {
        rc = libxl_mac_to_device_nic(cli_libxl(cli), domid, dev, nic);
    } else {
        id = strtol(dev, &end, 10);
        rc = end == dev || *end || id < 0 || id > INT32_MAX
                 ? ERROR_INVAL
                 : libxl_devid_to_device_nic(cli_libxl(cli), domid, (int)id,
                                             nic);
    }
    if (rc) {
        error("domain '%s' has no network device '%s' (give its index or "
              "MAC address; see 'axl network-list %s')", call->argv[0], dev,
              call->argv[0]);
        job_forget(cli, job);
        return AXL_EXIT_FAIL;
    }
    return job_run(job, timeout_ms);
}

static int cmd_network_attach_run(struct cli *cli, struct cmd_call *call)
{
    return cmd_dev_attach(cli, call, &cmd_nic_attach);
}

static void cmd_network_rows(libxl_ctx *ctx, uint32_t domid,
                             struct json *j)
{
    libxl_device_nic *nics;
    libxl_nicinfo ni;
    int k, n = 0;

    nics = libxl_device_nic_list(ctx, domid, &n);
    for (k = 0; nics && k < n; k++) {
        if (libxl_device_nic_getinfo(ctx, domid, &nics[k], &ni))
            continue;
        if (j) {
            cmd_dev_json_pair(j, "config",
                              libxl_device_nic_to_json(ctx, &nics[k]),
                              "info", libxl_nicinfo_to_json(ctx, &ni));
            libxl_nicinfo_dispose(&ni);
            continue;
        }
        printf("%-3d %-2d " LIBXL_MAC_FMT "%6d %5d %6d %5d/%-11d %-30s\n",
               ni.devid, ni.backend_id, LIBXL_MAC_BYTES(nics[k].mac),
               ni.devid, ni.state, ni.evtch, ni.rref_tx, ni.rref_rx,
               ni.backend ? ni.backend : "");
        libxl_nicinfo_dispose(&ni);
    }
    if (nics)
        libxl_device_nic_list_free(nics, n);
}

static int cmd_network_list_run(struct cli *cli, struct cmd_call *call)
{
    return cmd_dev_list(cli, call,
                        "Idx BE Mac Addr.         handle state evt-ch   "
                        "tx-/rx-ring-ref BE-path                       \n",
                        cmd_network_rows);
}

const struct cmd_entry cmd_network_attach_entry = {
    .name = "network-attach",
    .summary = "attach a network device to a domain",
    .usage = "[options] <Domain> [key=value ...]",
    .opts = cmd_attach_opts,
    .min_args = 1,
    .max_args = -1,
    .first_arg = CMD_ARG_DOMAIN,
    .rest_args = CMD_ARG_KEYVAL,
    .flags = CMD_F_OP | CMD_F_DOM0,
    .run = cmd_network_attach_run,
};

const struct cmd_entry cmd_network_detach_entry = {
    .name = "network-detach",
    .summary = "detach a network device from a domain",
    .usage = "[options] <Domain> <DevId|MAC>",
    .opts = cmd_detach_opts,
    .min_args = 2,
    .max_args = 2,
    .first_arg = CMD_ARG_DOMAIN,
    .rest_args = CMD_ARG_NIC,
    .flags = CMD_F_OP | CMD_F_DOM0,
    .run = cmd_network_detach_run,
};

const struct cmd_entry cmd_network_list_entry = {
    .name = "network-list",
    .summary = "list a domain's network devices",
    .usage = "[--json] <Domain> ...",
    .opts = cmd_dev_list_opts,
    .min_args = 1,
    .max_args = -1,
    .first_arg = CMD_ARG_DOMAIN,
    .rest_args = CMD_ARG_DOMAIN,
    .run = cmd_network_list_run,
};
