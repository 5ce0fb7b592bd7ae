/*
 * cmd_host: debug-keys, set-parameters, sysrq, getenforce, setenforce,
 * loadpolicy - requests to Xen itself or to a guest's kernel, each one
 * synchronous libxl call - and top and vncviewer, which replace axl with
 * another program as xl does.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <libxl.h>
#include <libxl_utils.h>

#include "../core/proc.h"
#include "../core/status.h"
#include "cmd.h"
#include "cmd_dom.h"
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
    .summary = "send debug keys to Xen (read what they print with 'axl dmesg')",
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

/* ---- getenforce, setenforce, loadpolicy ---- */

/*
 * A libxl_flask_* call failed (-1 and errno, as libxc says it): "axl:
 * WHAT: why" in one line.  Returns AXL_EXIT_FAIL.
 */
static int cmd_flask_failed(int err, const char *what)
{
    if (err == ENOSYS)
        error("%s: xen has no flask security module (xsm flask is "
              "disabled)", what);
    else
        error("%s: %s", what, strerror(err));
    return AXL_EXIT_FAIL;
}

static int cmd_getenforce_run(struct cli *cli, struct cmd_call *call)
{
    int mode;

    if (!cli_libxl(cli))
        return AXL_EXIT_FAIL;
    errno = 0;
    mode = libxl_flask_getenforce(cli_libxl(cli));
    if (mode < 0)
        return cmd_flask_failed(errno, "cannot read flask's enforcing "
                                "mode");
    printf("%s\n", mode ? "Enforcing" : "Permissive");
    return out_flush_stdout() < 0 ? AXL_EXIT_FAIL : AXL_EXIT_OK;
}

const struct cmd_entry cmd_getenforce_entry = {
    .name = "getenforce",
    .summary = "print the flask security module's mode: Enforcing or "
               "Permissive",
    .usage = "",
    .min_args = 0,
    .max_args = 0,
    .run = cmd_getenforce_run,
};

static int cmd_setenforce_run(struct cli *cli, struct cmd_call *call)
{
    const char *word = call->argv[0];
    char what[96];
    int mode;

    if (!strcmp(word, "1") || !strcasecmp(word, "enforcing"))
        mode = 1;
    else if (!strcmp(word, "0") || !strcasecmp(word, "permissive"))
        mode = 0;
    else
        return error("setenforce: invalid mode '%s' (1, 0, Enforcing or "
                     "Permissive)", word), AXL_EXIT_USAGE;
    if (!cli_libxl(cli))
        return AXL_EXIT_FAIL;
    snprintf(what, sizeof(what), "cannot set flask's enforcing mode to %s",
             mode ? "enforcing" : "permissive");
    errno = 0;
    if (libxl_flask_setenforce(cli_libxl(cli), mode) != 0)
        return cmd_flask_failed(errno, what);
    return AXL_EXIT_OK;
}

const struct cmd_entry cmd_setenforce_entry = {
    .name = "setenforce",
    .summary = "set the flask security module's mode",
    .usage = "<1|0|Enforcing|Permissive>",
    .min_args = 1,
    .max_args = 1,
    .first_arg = CMD_ARG_OTHER,
    .flags = CMD_F_CHANGES,
    .run = cmd_setenforce_run,
};

static int cmd_loadpolicy_run(struct cli *cli, struct cmd_call *call)
{
    const char *path = call->argv[0];
    void *data = NULL;
    char what[PATH_MAX + 64];
    int len = 0, rc;

    if (!cli_libxl(cli))
        return AXL_EXIT_FAIL;
    rc = libxl_read_file_contents(cli_libxl(cli), path, &data, &len);
    log_clear_error(cli->log);      /* said here, with the file's name */
    if (rc)
        return error("cannot read policy file '%s': %s", path,
                     strerror(rc)), AXL_EXIT_FAIL;
    snprintf(what, sizeof(what), "cannot load flask policy '%s'", path);
    errno = 0;
    rc = libxl_flask_loadpolicy(cli_libxl(cli), data, (uint32_t)len);
    free(data);
    if (rc < 0)
        return cmd_flask_failed(errno, what);
    printf("Successfully loaded policy.\n");
    return out_flush_stdout() < 0 ? AXL_EXIT_FAIL : AXL_EXIT_OK;
}

const struct cmd_entry cmd_loadpolicy_entry = {
    .name = "loadpolicy",
    .summary = "make the FLASK policy in a file the one Xen enforces",
    .usage = "<PolicyFile>",
    .min_args = 1,
    .max_args = 1,
    .first_arg = CMD_ARG_FILE,
    .flags = CMD_F_CHANGES,
    .run = cmd_loadpolicy_run,
};

/* ---- top, vncviewer ---- */

static int cmd_top_run(struct cli *cli, struct cmd_call *call)
{
    char *argv[] = { "xentop", NULL };

    fflush(NULL);
    loop_child_reset();     /* xentop gets the signals axl started with */
    execvp(argv[0], argv);
    return error_errno("top: cannot run xentop"), AXL_EXIT_FAIL;
}

const struct cmd_entry cmd_top_entry = {
    .name = "top",
    .summary = "watch the host and its domains live (runs xentop)",
    .usage = "",
    .min_args = 0,
    .max_args = 0,
    .flags = CMD_F_EXEC,
    .run = cmd_top_run,
};

static const struct cmd_opt cmd_vncviewer_opts[] = {
    { 'a', "autopass", NULL, "give the viewer the domain's VNC password "
      "(on its standard input, with -autopass)", "vncviewer-autopass" },
    { 0 },
};

static int cmd_vncviewer_run(struct cli *cli, struct cmd_call *call)
{
    const char *spec = call->argv[0], *viewer = getenv("VNCVIEWER");
    uint32_t domid;
    int rc;

    if (cmd_resolve_domain(cli, spec, &domid, NULL) < 0)
        return AXL_EXIT_FAIL;
    /* libxl's own exec failure would end axl with status 255. */
    if (!viewer)
        viewer = "vncviewer";
    if (!proc_runnable(viewer))
        return error("cannot start a vnc viewer for domain '%s': no "
                     "program '%s' (set VNCVIEWER to the viewer)", spec,
                     viewer), AXL_EXIT_FAIL;
    fflush(NULL);
    loop_child_reset();     /* as for top: the viewer replaces axl */
    log_clear_error(cli->log);
    rc = libxl_vncviewer_exec(cli_libxl(cli), domid,
                              cmd_flag(call, "autopass") > 0);
    return cmd_libxl_failed(cli, rc, "cannot start a vnc viewer for "
                            "domain '%s'", spec), AXL_EXIT_FAIL;
}

const struct cmd_entry cmd_vncviewer_entry = {
    .name = "vncviewer",
    .summary = "open a VNC viewer on a domain's display (replaces axl)",
    .usage = "[options] <Domain>",
    .opts = cmd_vncviewer_opts,
    .min_args = 1,
    .max_args = 1,
    .first_arg = CMD_ARG_DOMAIN,
    .flags = CMD_F_EXEC,
    .run = cmd_vncviewer_run,
};
