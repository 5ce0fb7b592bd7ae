/*
 * cmd_host: debug-keys, set-parameters, sysrq, getenforce, setenforce,
 * loadpolicy - requests to Xen itself or to a guest's kernel, each one
 * synchronous libxl call - and top and vncviewer, which replace axl with
 * another program as xl does (create -V starts the viewer beside it).
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <libxl.h>
#include <libxl_utils.h>
#include <xenstore.h>

#include "../core/proc.h"
#include "../core/status.h"
#include "cmd.h"
#include "cmd_create.h"
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

/* A VNC server's address as libxl wrote it: a host name or address. */
static bool vnc_host_ok(const char *h)
{
    const char *p;

    if (!*h || *h == '-' || strlen(h) > 255)
        return false;
    for (p = h; *p; p++)
        if (!isalnum((unsigned char)*p) && !strchr(".-_:[]%", *p))
            return false;
    return true;
}

/* xenstore node /local/domain/DOMID/console/KEY; NULL if none. */
static char *vnc_read(struct xs_handle *xs, uint32_t domid, const char *key)
{
    char path[96];
    unsigned int len;

    snprintf(path, sizeof(path), "/local/domain/%u/console/%s", domid, key);
    return xs_read(xs, XBT_NULL, path, &len);
}

/*
 * Where domain domid's device model serves its display by VNC, as libxl
 * wrote it once QEMU had said (console/vnc-listen, console/vnc-port),
 * and with pass_r its password (NULL if none).  0, or -1 if the domain
 * has no VNC server (or what is written there is no address).
 */
static int vnc_where(uint32_t domid, char *host, size_t hlen,
                     unsigned *port_r, char **pass_r)
{
    struct xs_handle *xs = xs_open(XS_OPEN_READONLY);
    char *port = NULL, *listen = NULL, *end;
    unsigned long v;
    int r = -1;

    if (pass_r)
        *pass_r = NULL;
    if (!xs)
        return -1;
    port = vnc_read(xs, domid, "vnc-port");
    listen = vnc_read(xs, domid, "vnc-listen");
    if (!port)
        goto out;
    errno = 0;
    v = strtoul(port, &end, 10);
    if (errno || end == port || *end || !v || v > 65535)
        goto out;
    if (listen && strlen(listen) >= hlen)
        goto out;
    snprintf(host, hlen, "%s", listen && *listen ? listen : "localhost");
    if (!vnc_host_ok(host))
        goto out;
    *port_r = (unsigned)v;
    if (pass_r)
        *pass_r = vnc_read(xs, domid, "vnc-pass");
    r = 0;
out:
    free(port);
    free(listen);
    xs_close(xs);
    return r;
}

/*
 * Show domain domid's display in a VNC viewer (VNCVIEWER, or vncviewer):
 * replace axl with it (vncviewer), or start it in a process of its own
 * that outlives axl (create -V).  With autopass, the viewer reads the
 * domain's password on its standard input (-autopass), from a pipe.
 * With no viewer installed, where the display is goes to stdout, and
 * why no viewer came to stderr.  0, or -1 after saying why not.
 */
int vnc_show(struct cli *cli, uint32_t domid, const char *name,
             bool autopass, bool replace)
{
    struct proc_spec spec = PROC_SPEC(PROC_SESSION);
    const char *viewer = getenv("VNCVIEWER");
    char host[256], target[300], *pass = NULL, *argv[4];
    unsigned port;
    int p[2] = { -1, -1 }, n = 0, null;
    pid_t pid;

    (void)cli;
    if (vnc_where(domid, host, sizeof(host), &port,
                  autopass ? &pass : NULL) < 0) {
        if (replace)
            return error("domain '%s' has no VNC display (vnc=1 in its "
                         "config gives it one)", name);
        return warn("domain '%s' has no VNC display (vnc=1 in its config "
                    "gives it one): no viewer started", name);
    }
    if (!viewer || !*viewer)
        viewer = "vncviewer";
    if (!proc_runnable(viewer)) {
        free(pass);
        printf("%s:%u\n", host, port);
        if (out_flush_stdout() < 0)
            return -1;
        warn("no VNC viewer '%s' here (set VNCVIEWER to one): domain "
             "'%s' shows its display at %s:%u", viewer, name, host, port);
        return 0;
    }
    /* Display N is port 5900 + N; another port is given as host::port. */
    if (port >= 5900)
        snprintf(target, sizeof(target), "%s:%u", host, port - 5900);
    else
        snprintf(target, sizeof(target), "%s::%u", host, port);
    argv[n++] = (char *)viewer;
    argv[n++] = target;
    if (pass && *pass) {
        size_t len = strlen(pass);

        /*
         * A xenstore value is at most 4096 bytes, which any pipe holds:
         * written before the viewer runs, without blocking.
         */
        if (pipe2(p, O_CLOEXEC) < 0 ||
            write(p[1], pass, len) != (ssize_t)len) {
            error_errno("cannot hand the VNC password of domain '%s' to "
                        "the viewer", name);
            free(pass);
            if (p[0] >= 0) {
                close(p[0]);
                close(p[1]);
            }
            return -1;
        }
        close(p[1]);
        argv[n++] = "-autopass";
    }
    free(pass);
    argv[n] = NULL;
    fflush(NULL);
    if (replace) {
        loop_child_reset();     /* as for top: the viewer replaces axl */
        if (p[0] >= 0 && dup2(p[0], STDIN_FILENO) < 0)
            return error_errno("cannot start the vnc viewer '%s'", viewer);
        execvp(viewer, argv);
        return error_errno("cannot start the vnc viewer '%s'", viewer);
    }
    /*
     * A daemon: neither the terminal's Ctrl-C nor axl's end closes it,
     * and it holds none of axl's output (a pipe to axl's reader would
     * not end before the viewer's window).
     */
    null = open("/dev/null", O_RDWR | O_CLOEXEC);
    spec.detach = true;
    spec.fd[0] = p[0] >= 0 ? p[0] : null;
    spec.fd[1] = null;
    spec.fd[2] = null;
    spec.end = cli_child_end;
    pid = proc_fork(&spec);
    if (pid == 0) {
        execvp(viewer, argv);
        _exit(127);
    }
    if (p[0] >= 0)
        close(p[0]);
    if (null >= 0)
        close(null);
    if (pid < 0)
        return error_errno("cannot start the vnc viewer '%s' for domain "
                           "'%s'", viewer, name);
    progress("vnc viewer '%s' started on %s:%u", viewer, host, port);
    return 0;
}

static int cmd_vncviewer_run(struct cli *cli, struct cmd_call *call)
{
    const char *spec = call->argv[0];
    uint32_t domid;

    if (cmd_resolve_domain(cli, spec, &domid, NULL) < 0)
        return AXL_EXIT_FAIL;
    return vnc_show(cli, domid, spec, cmd_flag(call, "autopass") > 0, true)
           < 0 ? AXL_EXIT_FAIL : AXL_EXIT_OK;
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
