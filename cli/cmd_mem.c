/*
 * cmd_mem: mem-set and mem-max, as xl's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libxl.h>
#include <libxl_utils.h>

#include "../core/names.h"
#include "../core/status.h"
#include "../core/xlcfg.h"
#include "cmd.h"
#include "cmd_dom.h"
#include "json.h"
#include "out.h"
#include "parse.h"

/* ---- mem-set, mem-max ---- */

static int cmd_mem_run(struct cli *cli, struct cmd_call *call, bool max)
{
    const char *spec = call->argv[0], *size = call->argv[1];
    uint32_t domid;
    uint64_t kb;
    int rc;

    if (parse_mem_kb(size, &kb) < 0)
        return error("%s: invalid memory size '%s' (MiB, or a number with "
                     "a b, k, m, g or t suffix)", call->cmd->name, size),
               AXL_EXIT_USAGE;
    if (cmd_resolve_domain(cli, spec, &domid, NULL) < 0)
        return AXL_EXIT_FAIL;
    log_clear_error(cli->log);
    if (max)
        rc = libxl_domain_setmaxmem(cli_libxl(cli), domid, kb);
    else
        rc = libxl_set_memory_target(cli_libxl(cli), domid, (int64_t)kb,
                                     0, 1);
    if (rc)
        return cmd_libxl_failed(cli, rc, "cannot set the %s of domain '%s' "
                                "to %s", max ? "maximum memory"
                                : "memory target", spec, size),
               AXL_EXIT_FAIL;
    return AXL_EXIT_OK;
}

static int cmd_mem_set_run(struct cli *cli, struct cmd_call *call)
{
    return cmd_mem_run(cli, call, false);
}

static int cmd_mem_max_run(struct cli *cli, struct cmd_call *call)
{
    return cmd_mem_run(cli, call, true);
}

const struct cmd_entry cmd_mem_set_entry = {
    .name = "mem-set",
    .summary = "set a domain's memory target (what its balloon aims at)",
    .usage = "<Domain> <Size>",
    .min_args = 2,
    .max_args = 2,
    .first_arg = CMD_ARG_DOMAIN,
    .rest_args = CMD_ARG_OTHER,
    .flags = CMD_F_CHANGES,
    .run = cmd_mem_set_run,
};

const struct cmd_entry cmd_mem_max_entry = {
    .name = "mem-max",
    .summary = "set the most memory a domain may have",
    .usage = "<Domain> <Size>",
    .min_args = 2,
    .max_args = 2,
    .first_arg = CMD_ARG_DOMAIN,
    .rest_args = CMD_ARG_OTHER,
    .flags = CMD_F_CHANGES,
    .run = cmd_mem_max_run,
};
