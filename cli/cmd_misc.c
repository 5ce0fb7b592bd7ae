/*
 * cmd_misc: help and version.
 */
#include <stdio.h>

#include "../core/status.h"
#include "cmd.h"
#include "out.h"

#ifndef AXL_VERSION
#define AXL_VERSION "0.1"
#endif

static int cmd_help_run(struct cli *cli, struct cmd_call *call)
{
    const struct cmd_entry *cmd;

    (void)cli;
    if (call->argc == 0) {
        cmd_print_list();
        return out_flush_stdout() < 0 ? AXL_EXIT_FAIL : AXL_EXIT_OK;
    }
    cmd = cmd_lookup(call->argv[0]);
    if (!cmd)
        return AXL_EXIT_USAGE;
    cmd_print_help(cmd);
    return out_flush_stdout() < 0 ? AXL_EXIT_FAIL : AXL_EXIT_OK;
}

const struct cmd_entry cmd_help_entry = {
    .name = "help",
    .summary = "list commands, or show one command's usage",
    .usage = "[<Command>]",
    .min_args = 0,
    .max_args = 1,
    .first_arg = CMD_ARG_COMMAND,
    .run = cmd_help_run,
};

static int cmd_version_run(struct cli *cli, struct cmd_call *call)
{
    (void)cli;
    (void)call;
    printf("axl %s\n", AXL_VERSION);
    return out_flush_stdout() < 0 ? AXL_EXIT_FAIL : AXL_EXIT_OK;
}

const struct cmd_entry cmd_version_entry = {
    .name = "version",
    .summary = "print axl's version",
    .usage = "",
    .min_args = 0,
    .max_args = 0,
    .run = cmd_version_run,
};
