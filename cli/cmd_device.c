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
#include "out.h"

static const struct cmd_opt cmd_attach_opts[] = {
    { 'n', "dry-run", NULL,
      "print the device as libxl JSON, as xl -N does; attach nothing" },
    { 0, "on-cancel", "POLICY",
      "what to do with a half-attached device when cancelled: destroy "
      "(remove it, the default) or keep" },
    { 0 },
};

static const struct cmd_opt cmd_detach_opts[] = {
    { 'f', "force", NULL,
      "remove the device at once, without the guest's cooperation" },
    { 0 },
};

/*
 * The common part of the four attach/detach commands: options, the
 * domain, the job.  Returns the job, or NULL with *status set.
 */
static struct job *cmd_device_job(struct cli *cli, struct cmd_call *call,
                                  enum op_kind kind, uint64_t *timeout_ms,
                                  uint32_t *domid, int *status)
{
    enum op_on_cancel on_cancel;
    struct job *job;

    *status = AXL_EXIT_USAGE;
    if (cmd_timeout_opt(call, timeout_ms) < 0 ||
        cmd_on_cancel_opt(call, &on_cancel) < 0 ||
        cmd_dry_run_check(call, "attaches") < 0)
        return NULL;
    job = cmd_domain_job(cli, call, call->argv[0], kind, domid, status);
    if (!job)
        return NULL;
    op_set_on_cancel(job_op(job), on_cancel);
    op_set_force(job_op(job), cmd_flag(call, "force") > 0);
    return job;
}

/*
 * block-attach and network-attach: the words after the domain are the
 * device (xl's syntax); -n prints it as xl -N does ("disk: {...}").
 */
static int cmd_device_attach(struct cli *cli, struct cmd_call *call,
                             enum op_kind kind)
{
    bool disk = kind == OP_DISK_ADD;
    struct xlcfg_opts xo;
    struct job *job;
    struct op *op;
    uint64_t timeout_ms;
    uint32_t domid;
    char *json;
    int status;

    job = cmd_device_job(cli, call, kind, &timeout_ms, &domid, &status);
    if (!job)
        return status;
    op = job_op(job);
    memset(&xo, 0, sizeof(xo));
    xo.overrides = (const char *const *)call->argv + 1;
    xo.n_overrides = call->argc - 1;
    xo.report = cmd_xlcfg_report;
    if ((disk ? xlcfg_disk_spec(&xo, op_disk(op))
              : xlcfg_nic_spec(&xo, op_nic(op))) < 0) {
        job_forget(cli, job);
        return AXL_EXIT_FAIL;
    }
    if (!cmd_flag(call, "dry-run"))
        return job_run(job, timeout_ms);
    json = disk ? libxl_device_disk_to_json(cli_libxl(cli), op_disk(op))
                : libxl_device_nic_to_json(cli_libxl(cli), op_nic(op));
    if (json) {
        printf("%s: %s\n", disk ? "disk" : "vif", json);
        free(json);
        status = out_flush_stdout() < 0 ? AXL_EXIT_FAIL : AXL_EXIT_OK;
    } else {
        error("cannot format the device as JSON");
        status = AXL_EXIT_FAIL;
    }
    job_forget(cli, job);
    return status;
}

/*
 * block-list and network-list: xl's header, then each domain's devices
 * (every domain is resolved first: one bad name lists nothing).
 */
static int cmd_device_list(struct cli *cli, struct cmd_call *call,
                           const char *header,
                           void (*rows)(libxl_ctx *ctx, uint32_t domid))
{
    uint32_t *domids;
    int i, bad = 0, status = AXL_EXIT_FAIL;

    if (!cli_libxl(cli))
        return AXL_EXIT_FAIL;
    domids = calloc(call->argc, sizeof(*domids));
    if (!domids)
        return error("%s: out of memory", call->cmd->name), AXL_EXIT_FAIL;
    for (i = 0; i < call->argc; i++)
        if (cmd_resolve_domain(cli, call->argv[i], &domids[i], NULL) < 0)
            bad = 1;
    if (!bad) {
        fputs(header, stdout);
        for (i = 0; i < call->argc; i++)
            rows(cli_libxl(cli), domids[i]);
        status = out_flush_stdout() < 0 ? AXL_EXIT_FAIL : AXL_EXIT_OK;
    }
    free(domids);
    return status;
}

/* ---- block ---- */

static int cmd_block_attach_run(struct cli *cli, struct cmd_call *call)
{
    return cmd_device_attach(cli, call, OP_DISK_ADD);
}

static int cmd_block_detach_run(struct cli *cli, struct cmd_call *call)
{
    const char *vdev = call->argv[1];
    struct job *job;
    uint64_t timeout_ms;
    uint32_t domid;
    int status;

    job = cmd_device_job(cli, call, OP_DISK_REMOVE, &timeout_ms, &domid,
                         &status);
    if (!job)
        return status;
    if (libxl_vdev_to_device_disk(cli_libxl(cli), domid, vdev,
                                  op_disk(job_op(job)))) {
        error("domain '%s' has no disk '%s' (see 'axl block-list %s')",
              call->argv[0], vdev, call->argv[0]);
        job_forget(cli, job);
        return AXL_EXIT_FAIL;
    }
    if (op_disk(job_op(job))->specification ==
        LIBXL_DISK_SPECIFICATION_VIRTIO) {
        error("block-detach: disk '%s' is a virtio disk, which cannot be "
              "hot-unplugged", vdev);
        job_forget(cli, job);
        return AXL_EXIT_FAIL;
    }
    return job_run(job, timeout_ms);
}

static void cmd_block_rows(libxl_ctx *ctx, uint32_t domid)
{
    libxl_device_disk *disks;
    libxl_diskinfo di;
    int k, n = 0;

    disks = libxl_device_disk_list(ctx, domid, &n);
    for (k = 0; disks && k < n; k++) {
        if (libxl_device_disk_getinfo(ctx, domid, &disks[k], &di))
            continue;
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
    return cmd_device_list(cli, call,
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
    .usage = "<Domain> ...",
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

    job = cmd_device_job(cli, call, OP_NIC_REMOVE, &timeout_ms, &domid,
                         &status);
    if (!job)
        return status;
    nic = op_nic(job_op(job));
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
    return cmd_device_attach(cli, call, OP_NIC_ADD);
}

static void cmd_network_rows(libxl_ctx *ctx, uint32_t domid)
{
    libxl_device_nic *nics;
    libxl_nicinfo ni;
    int k, n = 0;

    nics = libxl_device_nic_list(ctx, domid, &n);
    for (k = 0; nics && k < n; k++) {
        if (libxl_device_nic_getinfo(ctx, domid, &nics[k], &ni))
            continue;
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
    return cmd_device_list(cli, call,
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
    .usage = "<Domain> ...",
    .min_args = 1,
    .max_args = -1,
    .first_arg = CMD_ARG_DOMAIN,
    .rest_args = CMD_ARG_DOMAIN,
    .run = cmd_network_list_run,
};
