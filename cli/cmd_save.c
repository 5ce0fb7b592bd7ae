/*
 * cmd_save: a domain's state to a file and back, or to another host:
 * save, restore, dump-core, migrate and migrate-receive, as xl's (the
 * same save files, the same migration protocol), but cancellable.  The
 * op writes a file beside its name under a temporary one and renames it
 * only once it is whole and synced (op_set_out_file()), so a cancel or a
 * failure never leaves a partial file under the user's name; a whole
 * file that cannot be renamed stays under the temporary one, and says so.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/migrate.h"
#include "../core/names.h"
#include "../core/proc.h"
#include "../core/savefile.h"
#include "../core/status.h"
#include "../core/xlcfg.h"
#include "cmd.h"
#include "cmd_create.h"
#include "cmd_dom.h"
#include "cmd_xlcfg.h"
#include "out.h"

/* The op's file at path (op_set_out_file()): 0, or -1 after saying why. */
static int cmd_out_file(struct job *job, const char *path)
{
    char why[PATH_MAX * 2 + 160];
    const char *tmp;

    if (op_set_out_file(job_op(job), path) == 0)
        return 0;
    tmp = op_out_tmp(job_op(job));
    if (!tmp)
        error_errno("cannot make the name of '%s'", path);
    else
        error("%s", op_out_cannot(job_op(job), errno, why, sizeof(why)));
    return -1;
}

static int cmd_dump_core_run(struct cli *cli, struct cmd_call *call)
{
    const char *path = call->argv[1];
    uint64_t timeout_ms;
    struct job *job;
    struct stat st;
    uint32_t domid;
    int status;

    if (cmd_timeout_opt(call, &timeout_ms) < 0)
        return AXL_EXIT_USAGE;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return error("dump-core: '%s' is a directory", path),
               AXL_EXIT_USAGE;
    job = cmd_domain_job(cli, call, call->argv[0], OP_CORE_DUMP, &domid,
                         &status);
    if (!job)
        return status;
    if (cmd_out_file(job, path) < 0) {
        job_forget(cli, job);
        return AXL_EXIT_FAIL;
    }
    return job_run(job, timeout_ms);
}

const struct cmd_entry cmd_dump_core_entry = {
    .name = "dump-core",
    .summary = "write a domain's memory to a core file (the domain runs on)",
    .usage = "[options] <Domain> <File>",
    .min_args = 2,
    .max_args = 2,
    .first_arg = CMD_ARG_DOMAIN,
    .rest_args = CMD_ARG_FILE,
    .flags = CMD_F_OP,
    .run = cmd_dump_core_run,
};

/* ---- save ---- */

/*
 * A save's or a migration's configuration read from path instead of
 * the domain's own: 0, or -1 after reporting.
 */
static int cmd_save_config(struct cli *cli, struct job *job,
                           const char *path)
{
    struct xlcfg_opts xo;

    memset(&xo, 0, sizeof(xo));
    xo.path = path;
    xo.report = cmd_xlcfg_report;
    if (xlcfg_parse(cli_libxl(cli), &xo, op_config(job_op(job))) < 0)
        return -1;
    op_set_save_config(job_op(job));
    return 0;
}

static const struct cmd_opt cmd_save_opts[] = {
    { 'c', "checkpoint", NULL, "leave the domain running after saving it" },
    { 'p', "paused", NULL, "leave the domain paused after saving it" },
    { 'D', "keep-domid", NULL, "store the domain's id in the file's "
      "configuration" },
    { 0 },
};

static int cmd_save_run(struct cli *cli, struct cmd_call *call)
{
    const char *path = call->argv[1];
    uint64_t timeout_ms;
    struct job *job;
    struct stat st;
    uint32_t domid;
    int status;

    if (cmd_timeout_opt(call, &timeout_ms) < 0)
        return AXL_EXIT_USAGE;
    if (cmd_flag(call, "checkpoint") && cmd_flag(call, "paused"))
        return error("save: -c and -p: choose one"), AXL_EXIT_USAGE;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return error("save: '%s' is a directory", path), AXL_EXIT_USAGE;
    job = cmd_domain_job(cli, call, call->argv[0], OP_SAVE, &domid, &status);
    if (!job)
        return status;
    if (domid == 0) {
        job_forget(cli, job);
        return error("save: Domain-0 cannot be saved"), AXL_EXIT_FAIL;
    }
    /* The configuration to store, instead of the domain's own. */
    if (call->argc > 2 && cmd_save_config(cli, job, call->argv[2]) < 0)
        goto fail;
    if (cmd_out_file(job, path) < 0)
        goto fail;
    op_set_save_after(job_op(job), cmd_flag(call, "checkpoint")
                      ? OP_SAVE_THEN_RESUME : cmd_flag(call, "paused")
                      ? OP_SAVE_THEN_PAUSE : OP_SAVE_THEN_DESTROY);
    if (cmd_flag(call, "keep-domid"))
        op_set_save_keep_domid(job_op(job));
    return job_run(job, timeout_ms);
fail:
    job_forget(cli, job);
    return AXL_EXIT_FAIL;
}

const struct cmd_entry cmd_save_entry = {
    .name = "save",
    .summary = "save a domain to a file, as xl's save files (cancellable: "
               "the guest then runs on)",
    .usage = "[options] <Domain> <CheckpointFile> [<ConfigFile>]",
    .opts = cmd_save_opts,
    .min_args = 2,
    .max_args = 3,
    .first_arg = CMD_ARG_DOMAIN,
    .rest_args = CMD_ARG_FILE,
    .flags = CMD_F_OP,
    .run = cmd_save_run,
};

/* ---- restore ---- */

static const struct cmd_opt cmd_restore_opts[] = {
    { 'p', "paused", NULL, "leave the domain paused after restoring it" },
    { 'e', "no-onreboot", NULL, "start no monitor for the domain" },
    { 'd', "debug", NULL, "print the configuration handed to libxl, as "
      "JSON, on stderr" },
    { 'c', "console", NULL, "attach to the console as soon as it is ready" },
    { 'F', "foreground", NULL, "monitor the domain in this process" },
    { 0, "on-cancel", "POLICY", "what to do with a half-restored domain "
      "when cancelled: destroy (default) or keep",
      NULL, "destroy|keep" },
    { 'V', "vncviewer", NULL, "start a VNC viewer on the domain's display "
      "once it runs (or print where the display is)" },
    { 'A', "vncviewer-autopass", NULL,
      "as -V, giving the viewer the domain's VNC password" },
    { 0, "no-programs", NULL, "refuse a configuration that names a "
      "program to run in Domain-0: a bootloader, a device model or a "
      "hotplug script" },
    { 0 },
};

/*
 * A hotplug script of Xen's own: a bare name (libxl looks for it in
 * Xen's scripts directory) or a path in that directory.  Any other is a
 * program the configuration chose.
 */
static bool cmd_script_ours(const char *script)
{
    static const char dir[] = "/etc/xen/scripts/";

    if (!script || !script[0])
        return true;
    if (!strchr(script, '/'))
        return !strstr(script, "..");
    return !strncmp(script, dir, sizeof(dir) - 1) &&
           !strchr(script + sizeof(dir) - 1, '/') && !strstr(script, "..");
}

/*
 * The first program cfg would have Domain-0 run, in words ("bootloader
 * '/usr/bin/pygrub'"), in buf; NULL if it names none.  Counted: a
 * bootloader (either field libxl reads), a device model or arguments to
 * it (which can name programs of their own), a hotplug script outside
 * Xen's scripts directory.  Not a sandbox: see axl(1), SECURITY.
 */
static const char *cmd_config_program(const libxl_domain_config *cfg,
                                      char *buf, size_t len)
{
    const libxl_domain_build_info *b = &cfg->b_info;
    const char *pv_boot = b->type == LIBXL_DOMAIN_TYPE_PV
                              ? b->u.pv.bootloader : NULL;
    int i;

    buf[0] = '\0';
    if (b->bootloader && b->bootloader[0])
        snprintf(buf, len, "bootloader '%s'", b->bootloader);
    else if (pv_boot && pv_boot[0])
        snprintf(buf, len, "bootloader '%s'", pv_boot);
    else if (b->device_model && b->device_model[0])
        snprintf(buf, len, "device model '%s'", b->device_model);
    else if ((b->extra && b->extra[0]) || (b->extra_pv && b->extra_pv[0]) ||
             (b->extra_hvm && b->extra_hvm[0]))
        snprintf(buf, len, "device model argument '%s'",
                 b->extra && b->extra[0] ? b->extra[0]
                 : b->extra_pv && b->extra_pv[0] ? b->extra_pv[0]
                 : b->extra_hvm[0]);
    for (i = 0; !buf[0] && i < cfg->num_disks; i++)
        if (!cmd_script_ours(cfg->disks[i].script))
            snprintf(buf, len, "hotplug script '%s' (disk %s)",
                     cfg->disks[i].script, cfg->disks[i].vdev
                     ? cfg->disks[i].vdev : "?");
    for (i = 0; !buf[0] && i < cfg->num_nics; i++)
        if (!cmd_script_ours(cfg->nics[i].script))
            snprintf(buf, len, "hotplug script '%s' (vif %d)",
                     cfg->nics[i].script, i);
    return buf[0] ? buf : NULL;
}

/* The file's configuration (or the one given) into op's. */
static int cmd_restore_config(struct cli *cli, struct cmd_call *call,
                              const char *cfgpath, const char *path,
                              int fd, struct op *op)
{
    struct xlcfg_opts xo;
    char err[200], *text = NULL;
    bool json;
    int r;

    if (savefile_read_header(fd, &text, &json, err, sizeof(err)) < 0)
        return error("cannot restore from '%s': %s", path, err);
    memset(&xo, 0, sizeof(xo));
    xo.report = cmd_xlcfg_report;
    if (cfgpath) {
        xo.path = cfgpath;
    } else if (text) {
        xo.path = path;
        xo.text = text;
        xo.text_len = strlen(text);
    } else {
        free(text);
        return error("cannot restore from '%s': it holds no configuration "
                     "(give one)", path);
    }
    r = xlcfg_parse(cli_libxl(cli), &xo, op_config(op));
    free(text);
    (void)json;
    if (r == 0 && cmd_flag(call, "no-programs") &&
        cmd_config_program(op_config(op), err, sizeof(err)))
        return error("%s: the configuration of '%s' names a %s, and "
                     "--no-programs refuses it; nothing was restored",
                     call->cmd->name, path, err);
    if (r == 0 && cmd_flag(call, "debug")) {
        char *j = libxl_domain_config_to_json(cli_libxl(cli), op_config(op));

        if (j)
            cmd_json_line(j);
        free(j);
    }
    return r;
}

static int cmd_restore_run(struct cli *cli, struct cmd_call *call)
{
    const char *path = call->argv[call->argc - 1];
    const char *cfgpath = call->argc > 1 ? call->argv[0] : NULL;
    enum op_on_cancel on_cancel;
    uint64_t timeout_ms;
    struct job *job = NULL;
    int fd = -1;

    if (cmd_timeout_opt(call, &timeout_ms) < 0 ||
        cmd_on_cancel_opt(call, &on_cancel) < 0)
        return AXL_EXIT_USAGE;
    if (cmd_flag(call, "foreground") && cli->interactive)
        return error("restore: -F is for a one-shot axl, not the shell"),
               AXL_EXIT_USAGE;
    if (!cli_libxl(cli))
        return AXL_EXIT_FAIL;
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return error_errno("cannot open '%s'", path), AXL_EXIT_FAIL;
    job = job_new(cli, OP_CREATE, NULL);
    if (!job) {
        error("restore: out of memory");
        goto fail;
    }
    if (cmd_restore_config(cli, call, cfgpath, path, fd, job_op(job)) < 0)
        goto fail;
    /* The op's from here; until then, this function's to close. */
    if (op_set_fd(job_op(job), fd) < 0 || op_own_fd(job_op(job)) < 0) {
        error("restore: out of memory");
        goto fail;
    }
    fd = -1;
    op_set_on_cancel(job_op(job), on_cancel);
    op_set_start_paused(job_op(job), cmd_flag(call, "paused") > 0);
    if (cmd_create_memory(cli, job_op(job)) < 0 ||
        cmd_create_follow(cli, call, job, on_cancel) < 0)
        goto fail;
    return job_run(job, timeout_ms);
fail:
    if (job)
        job_forget(cli, job);
    if (fd >= 0)
        close(fd);
    return AXL_EXIT_FAIL;
}

const struct cmd_entry cmd_restore_entry = {
    .name = "restore",
    .summary = "restore a domain from a save file (xl's or axl's)",
    .usage = "[options] [<ConfigFile>] <CheckpointFile>",
    .opts = cmd_restore_opts,
    .min_args = 1,
    .max_args = 2,
    .first_arg = CMD_ARG_FILE,
    .rest_args = CMD_ARG_FILE,
    .flags = CMD_F_OP,
    .run = cmd_restore_run,
};

/* ---- migrate: the sending end ---- */

static const struct cmd_opt cmd_migrate_opts[] = {
    { 'C', "config", "FILE", "send this configuration instead of the "
      "domain's own" },
    { 's', "ssh", "COMMAND", "run 'COMMAND HOST axl migrate-receive' "
      "(default: ssh -o BatchMode=yes, which never asks for a password); "
      "with an empty COMMAND, HOST is the whole command line" },
    { 0, "receiver", "PROGRAM", "what the target runs: axl (default) or "
      "xl" },
    { 'e', "no-onreboot", NULL, "start no monitor on the target" },
    { 'F', "foreground", NULL, "as -e (xl's meaning for migrate)" },
    { 'p', "paused", NULL, "leave the domain paused on the target" },
    { 'D', "keep-domid", NULL, "keep the domain's id in the configuration "
      "sent" },
    { 0, "debug", NULL, "have the target check every page (slow)" },
    { 0, "live", NULL, "ignored (xm's option; a migration is always live)" },
    { 0 },
};

/*
 * What runs to reach the target: an argument vector, and the same in
 * words for the messages.  Without -s: ssh itself, never prompting
 * (BatchMode), HOST after "--" so that it is never an option.  With -s
 * COMMAND: COMMAND is the user's own shell text, and HOST reaches it as
 * one argument ("$1"), never as shell text.  With -s '': HOST is the
 * user's whole command line (xl's meaning), run by sh -c.
 */
struct cmd_migrate_argv {
    char *argv[16];
    char *text;         /* for the messages (malloc'd) */
    char *script;       /* -s COMMAND: the script sh runs (malloc'd) */
};

static void cmd_migrate_argv_free(struct cmd_migrate_argv *a)
{
    free(a->text);
    free(a->script);
}

/* 0, or -1 (said) when out of memory. */
static int cmd_migrate_argv(const struct cmd_call *call, const char *host,
                            struct cmd_migrate_argv *a)
{
    const char *ssh = cmd_opt(call, "ssh");
    const char *prog = cmd_opt(call, "receiver");
    const char *flags[3];
    char fl[16] = "";
    int n = 0, k = 0, i;

    memset(a, 0, sizeof(*a));
    if (!prog)
        prog = "axl";
    if (cmd_flag(call, "no-onreboot") || cmd_flag(call, "foreground"))
        flags[k++] = "-e";
    if (cmd_flag(call, "debug"))
        flags[k++] = "-d";
    if (cmd_flag(call, "paused"))
        flags[k++] = "-p";
    for (i = 0; i < k; i++) {
        strcat(fl, " ");
        strcat(fl, flags[i]);
    }
    if (ssh && !ssh[0]) {
        a->argv[n++] = (char *)"/bin/sh";
        a->argv[n++] = (char *)"-c";
        a->argv[n++] = (char *)host;
        a->text = strdup(host);
    } else if (ssh) {
        a->argv[n++] = (char *)"/bin/sh";
        a->argv[n++] = (char *)"-c";
        if (asprintf(&a->script, "exec %s \"$1\" %s migrate-receive%s", ssh,
                     prog, fl) < 0)
            a->script = NULL;
        a->argv[n++] = a->script;
        a->argv[n++] = (char *)"sh";
        a->argv[n++] = (char *)host;
        if (asprintf(&a->text, "%s %s %s migrate-receive%s", ssh, host, prog,
                     fl) < 0)
            a->text = NULL;
    } else {
        a->argv[n++] = (char *)"ssh";
        a->argv[n++] = (char *)"-o";
        a->argv[n++] = (char *)"BatchMode=yes";
        a->argv[n++] = (char *)"--";
        a->argv[n++] = (char *)host;
        a->argv[n++] = (char *)prog;
        a->argv[n++] = (char *)"migrate-receive";
        for (i = 0; i < k; i++)
            a->argv[n++] = (char *)flags[i];
        if (asprintf(&a->text, "ssh -o BatchMode=yes -- %s %s "
                     "migrate-receive%s", host, prog, fl) < 0)
            a->text = NULL;
    }
    a->argv[n] = NULL;
    if (!a->text || (ssh && ssh[0] && !a->script)) {
        cmd_migrate_argv_free(a);
        return error("migrate: out of memory");
    }
    return 0;
}

/*
 * Run a's command in a child of its own process group (a terminal's
 * Ctrl-C reaches axl, which ends the migration in order), its stdin
 * fed by *send_r and its stdout read from *recv_r.  The child's pid, or
 * -1 after reporting.
 */
static pid_t cmd_migrate_spawn(const struct cmd_migrate_argv *a,
                               int *send_r, int *recv_r)
{
    int to[2] = { -1, -1 }, from[2] = { -1, -1 };
    struct proc_spec spec = PROC_SPEC(PROC_GROUP);
    pid_t pid;

    if (pipe2(to, O_CLOEXEC) < 0 || pipe2(from, O_CLOEXEC) < 0) {
        error_errno("cannot run '%s'", a->text);
        goto fail;
    }
    spec.fd[0] = to[0];
    spec.end = cli_child_end;
    spec.fd[1] = from[1];
    pid = proc_fork(&spec);
    if (pid < 0) {
        error_errno("cannot run '%s'", a->text);
        goto fail;
    }
    if (pid == 0) {
        /* Between fork and exec: only calls that are safe here. */
        static const char no[] = "axl: migrate: cannot run the transport "
                                 "(no such program?)\n";

        execvp(a->argv[0], a->argv);
        if (write(2, no, sizeof(no) - 1) < 0)
            _exit(127);
        _exit(127);
    }
    close(to[0]);
    close(from[1]);
    *send_r = to[1];
    *recv_r = from[0];
    return pid;
fail:
    if (to[0] >= 0) {
        close(to[0]);
        close(to[1]);
    }
    if (from[0] >= 0) {
        close(from[0]);
        close(from[1]);
    }
    return -1;
}

static int cmd_migrate_run(struct cli *cli, struct cmd_call *call)
{
    const char *host = call->argv[1], *prog = cmd_opt(call, "receiver");
    const char *why;
    struct cmd_migrate_argv a;
    uint64_t timeout_ms;
    struct job *job;
    uint32_t domid;
    int status, send_fd, recv_fd;
    pid_t child;

    if (cmd_timeout_opt(call, &timeout_ms) < 0)
        return AXL_EXIT_USAGE;
    if (!host[0])
        return error("migrate: the host is empty"), AXL_EXIT_USAGE;
    /* Unless -s '' makes it the user's whole command line. */
    if ((!cmd_opt(call, "ssh") || cmd_opt(call, "ssh")[0]) &&
        (why = names_host_invalid(host)))
        return error("migrate: invalid host '%s': %s", host, why),
               AXL_EXIT_USAGE;
    if (prog && (!prog[0] || strpbrk(prog, " \t\n;&|'\"`$<>")))
        return error("migrate: invalid value '%s' for --receiver (a program "
                     "name: axl or xl)", prog), AXL_EXIT_USAGE;
    job = cmd_domain_job(cli, call, call->argv[0], OP_MIGRATE, &domid,
                         &status);
    if (!job)
        return status;
    status = AXL_EXIT_FAIL;
    if (domid == 0) {
        error("migrate: Domain-0 cannot be migrated");
        goto fail;
    }
    if (cmd_opt(call, "config") &&
        cmd_save_config(cli, job, cmd_opt(call, "config")) < 0)
        goto fail;
    if (cmd_flag(call, "keep-domid"))
        op_set_save_keep_domid(job_op(job));
    /* Without its name, the copy left here could not be renamed. */
    if (op_set_migrate_name(job_op(job), op_label(job_op(job))) < 0) {
        error("migrate: out of memory");
        goto fail;
    }
    if (cmd_migrate_argv(call, host, &a) < 0)
        goto fail;
    progress("migrating domain %u ('%s') through '%s'", domid,
             op_label(job_op(job)), a.text);
    child = cmd_migrate_spawn(&a, &send_fd, &recv_fd);
    cmd_migrate_argv_free(&a);
    if (child < 0)
        goto fail;
    op_set_migrate(job_op(job), send_fd, recv_fd, child);
    return job_run(job, timeout_ms);
fail:
    job_forget(cli, job);
    return status;
}

const struct cmd_entry cmd_migrate_entry = {
    .name = "migrate",
    .summary = "move a running domain to another host, as xl's migrations "
               "(cancellable: the guest then runs on here)",
    .usage = "[options] <Domain> <Host>",
    .opts = cmd_migrate_opts,
    .min_args = 2,
    .max_args = 2,
    .first_arg = CMD_ARG_DOMAIN,
    .rest_args = CMD_ARG_HOST,
    .flags = CMD_F_OP,
    .run = cmd_migrate_run,
};

/* ---- migrate-receive: the receiving end, run by the sender ---- */

static const struct cmd_opt cmd_migrate_receive_opts[] = {
    { 'e', "no-onreboot", NULL, "start no monitor for the domain" },
    { 'F', "foreground", NULL, "monitor the domain in this process" },
    { 'd', "debug", NULL, "print the configuration received, as JSON, on "
      "stderr" },
    { 'p', "paused", NULL, "leave the domain paused" },
    { 'r', "remus", NULL, "a Remus stream (not supported)" },
    { 0, "colo", NULL, "a COLO stream (not supported)" },
    { 0, "no-programs", NULL, "refuse a configuration that names a "
      "program to run in Domain-0: a bootloader, a device model or a "
      "hotplug script" },
    { 0 },
};

static int cmd_migrate_receive_run(struct cli *cli, struct cmd_call *call)
{
    libxl_domain_config *cfg;
    struct job *job = NULL;
    uint64_t timeout_ms;
    char *name = NULL, *incoming = NULL, in[300];

    if (cmd_timeout_opt(call, &timeout_ms) < 0)
        return AXL_EXIT_USAGE;
    if (cmd_flag(call, "remus") || cmd_flag(call, "colo"))
        return error("migrate-receive: Remus and COLO streams are not "
                     "supported; nothing was received"), AXL_EXIT_USAGE;
    if (cli->interactive)
        return error("migrate-receive: its stdin and stdout are the "
                     "migration stream: run it as a command, not in the "
                     "shell"), AXL_EXIT_USAGE;
    if (!cli_libxl(cli))
        return AXL_EXIT_FAIL;
    progress("migration target: ready to receive a domain");
    if (migrate_send(1, MIGRATE_BANNER, 0) < 0)
        return error_errno("migrate-receive: cannot answer the sender"),
               AXL_EXIT_FAIL;
    job = job_new(cli, OP_CREATE, NULL);
    if (!job) {
        error("migrate-receive: out of memory");
        goto fail;
    }
    if (cmd_restore_config(cli, call, NULL, "the migration stream", 0,
                           job_op(job)) < 0)
        goto fail;
    cfg = op_config(job_op(job));
    name = strdup(cfg->c_info.name ? cfg->c_info.name : "");
    if (!name || !migrate_copy_name(name, MIGRATE_COPY_INCOMING, in,
                                    sizeof(in)) ||
        !(incoming = strdup(in))) {
        error("migrate-receive: out of memory");
        goto fail;
    }
    free(cfg->c_info.name);
    cfg->c_info.name = incoming;
    if (op_set_migrate_in(job_op(job), 1, name) < 0) {
        error("migrate-receive: out of memory");
        goto fail;
    }
    free(name);
    name = NULL;
    if (op_set_fd(job_op(job), 0) < 0) {
        error("migrate-receive: out of memory");
        goto fail;
    }
    op_set_on_cancel(job_op(job), OP_ON_CANCEL_DESTROY);
    op_set_start_paused(job_op(job), cmd_flag(call, "paused") > 0);
    if (cmd_create_memory(cli, job_op(job)) < 0 ||
        cmd_create_follow(cli, call, job, OP_ON_CANCEL_DESTROY) < 0)
        goto fail;
    return job_run(job, timeout_ms);
fail:
    free(name);
    if (job)
        job_forget(cli, job);
    return AXL_EXIT_FAIL;
}

const struct cmd_entry cmd_migrate_receive_entry = {
    .name = "migrate-receive",
    .summary = "receive a migrating domain on stdin (run by migrate on the "
               "target)",
    .usage = "[options]",
    .opts = cmd_migrate_receive_opts,
    .min_args = 0,
    .max_args = 0,
    .flags = CMD_F_OP,
    .run = cmd_migrate_receive_run,
};
