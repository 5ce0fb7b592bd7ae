/*
 * cmd_host: debug-keys, set-parameters, sysrq - requests to Xen itself
 * or to a guest's kernel, each one synchronous libxl call.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxl.h>

#include "../core/status.h"
#include "cmd.h"
#include "out.h"

/* debug-keys and set-parameters: one word handed to Xen. */
static int cmd_host_word(struct cli *cli, struct cmd_call *call,
                         int (*fn)(libxl_ctx *ctx, char *word),
                         const char *what)
{
    char *word = call->argv[0];
    int rc;

    if (!*word)
        return error("%s: no %s given", call->cmd->name, what),
               AXL_EXIT_USAGE;
    if (!cli_libxl(cli))
        return AXL_EXIT_FAIL;
    log_clear_error(cli->log);
    rc = fn(cli_libxl(cli), word);
    if (rc)
        return cmd_libxl_failed(cli, rc, "cannot send %s '%s' to xen", what,
                                word), AXL_EXIT_FAIL;
    return AXL_EXIT_OK;
}

static int cmd_debug_keys_run(struct cli *cli, struct cmd_call *call)
{
    return cmd_host_word(cli, call, libxl_send_debug_keys, "debug keys");
}

static int cmd_set_parameters_run(struct cli *cli, struct cmd_call *call)
{
    return cmd_host_word(cli, call, libxl_set_parameters, "parameters");
}

const struct cmd_entry cmd_debug_keys_entry = {
    .name = "debug-keys",
    .summary = "send debug keys to Xen (their output goes to 'xl dmesg')",
    .usage = "<Keys>",
    .min_args = 1,
    .max_args = 1,
    .first_arg = CMD_ARG_OTHER,
    .flags = CMD_F_CHANGES,
    .run = cmd_debug_keys_run,
};

const struct cmd_entry cmd_set_parameters_entry = {
    .name = "set-parameters",
    .summary = "set Xen's runtime parameters",
    .usage = "<Params>",
    .min_args = 1,
    .max_args = 1,
    .first_arg = CMD_ARG_OTHER,
    .flags = CMD_F_CHANGES,
    .run = cmd_set_parameters_run,
};

static int cmd_sysrq_run(struct cli *cli, struct cmd_call *call)
{
    const char *dom = call->argv[0], *key = call->argv[1];
    uint32_t domid;
    int rc;

    if (strlen(key) != 1)
        return error("sysrq: invalid sysrq '%s' (give one letter)", key),
               AXL_EXIT_USAGE;
    if (cmd_resolve_domain(cli, dom, &domid, NULL) < 0)
        return AXL_EXIT_FAIL;
    log_clear_error(cli->log);
    rc = libxl_send_sysrq(cli_libxl(cli), domid, key[0]);
    if (rc)
        return cmd_libxl_failed(cli, rc, "cannot send sysrq '%s' to domain "
                                "'%s'", key, dom), AXL_EXIT_FAIL;
    return AXL_EXIT_OK;
}

const struct cmd_entry cmd_sysrq_entry = {
    .name = "sysrq",
    .summary = "send a magic sysrq key to a domain's kernel",
    .usage = "<Domain> <Letter>",
    .min_args = 2,
    .max_args = 2,
    .first_arg = CMD_ARG_DOMAIN,
    .rest_args = CMD_ARG_OTHER,
    .flags = CMD_F_CHANGES,
    .run = cmd_sysrq_run,
};
