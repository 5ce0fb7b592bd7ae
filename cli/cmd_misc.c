/*
 * cmd_misc: help and version.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libxl.h>

#include "../core/status.h"
#include "cmd.h"
#include "out.h"

#ifndef AXL_VERSION
#define AXL_VERSION "0.1"
#endif

static int cmd_help_run(struct cli *cli, struct cmd_call *call)
{
    const struct cmd_entry *cmd = NULL;

    (void)cli;
    if (call->argc > 0 && !(cmd = cmd_lookup(call->argv[0])))
        return AXL_EXIT_USAGE;
    return cmd_show_help(cmd);
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

/*
 * The libxl axl runs with: the version its shared object is named by
 * (libxenlight.so.4.17.0), or NULL if that cannot be told.
 */
static const char *cmd_libxl_version(char *buf, size_t len)
{
    Dl_info dl;
    char path[PATH_MAX];
    const char *so;

    if (!dladdr((void *)libxl_ctx_alloc, &dl) || !dl.dli_fname ||
        !realpath(dl.dli_fname, path) || !(so = strstr(path, ".so.")))
        return NULL;
    snprintf(buf, len, "%s", so + 4);
    return buf;
}

static int cmd_version_run(struct cli *cli, struct cmd_call *call)
{
    const libxl_version_info *info;
    char lv[64];
    libxl_ctx *ctx;

    (void)call;
    printf("axl %s\n", AXL_VERSION);
    printf("libxl %s\n", cmd_libxl_version(lv, sizeof(lv))
                             ? lv : "(its version cannot be told)");
    /* Xen's own version, where axl runs on it. */
    if (access("/dev/xen/privcmd", F_OK) == 0 && (ctx = cli_libxl(cli)) &&
        (info = libxl_get_version_info(ctx)))
        printf("Xen %d.%d%s\n", info->xen_version_major,
               info->xen_version_minor,
               info->xen_version_extra ? info->xen_version_extra : "");
    return out_flush_stdout() < 0 ? AXL_EXIT_FAIL : AXL_EXIT_OK;
}

const struct cmd_entry cmd_version_entry = {
    .name = "version",
    .summary = "print axl's version, and the libxl and Xen it runs on",
    .usage = "",
    .min_args = 0,
    .max_args = 0,
    .run = cmd_version_run,
};
