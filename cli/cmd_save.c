/*
 * cmd_save: a domain's state to a file and back: save, restore and
 * dump-core, as xl's (the same save files), but cancellable.  A file is
 * written beside its name under a temporary one and renamed over it only
 * when it is whole, so a cancel or a failure never leaves a partial file
 * under the user's name, and none under the temporary one either.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/savefile.h"
#include "../core/status.h"
#include "../core/xlcfg.h"
#include "cmd.h"
#include "out.h"

/* The temporary name beside path (malloc'd), as op_left() names it. */
static char *cmd_save_tmp(const char *path)
{
    char *tmp = NULL;

    if (asprintf(&tmp, "%s.axl-tmp", path) < 0)
        return NULL;
    return tmp;
}

/* A file written beside its name: what a job's end does with it. */
struct cmd_outfile {
    int fd;             /* ours to sync and close; -1 if the op's child */
    const char *what;   /* "core file", "save file" */
    char *path;
    char *tmp;
};

/* A new one for path (no fd yet); NULL when out of memory. */
static struct cmd_outfile *cmd_outfile_new(const char *path,
                                           const char *what)
{
    struct cmd_outfile *o = calloc(1, sizeof(*o));

    if (!o)
        return NULL;
    o->fd = -1;
    o->what = what;
    o->path = strdup(path);
    o->tmp = cmd_save_tmp(path);
    if (!o->path || !o->tmp) {
        free(o->path);
        free(o->tmp);
        free(o);
        return NULL;
    }
    return o;
}

static void cmd_outfile_free(struct cmd_outfile *o)
{
    if (!o)
        return;
    free(o->path);
    free(o->tmp);
    free(o);
}

/*
 * The job's end: a whole file gets its name (synced first); otherwise
 * nothing is left, under either name.  Returns the status to keep.
 */
static int cmd_outfile_done(struct job *job, int status, void *user)
{
    struct cmd_outfile *o = user;

    (void)job;
    if (o->fd >= 0) {
        if (status == AXL_EXIT_OK && fsync(o->fd) < 0) {
            error_errno("cannot write '%s'", o->tmp);
            status = AXL_EXIT_FAIL;
        }
        if (close(o->fd) < 0 && status == AXL_EXIT_OK) {
            error_errno("cannot write '%s'", o->tmp);
            status = AXL_EXIT_FAIL;
        }
    }
    if (status == AXL_EXIT_OK && rename(o->tmp, o->path) < 0) {
        error_errno("cannot rename '%s' to '%s'", o->tmp, o->path);
        status = AXL_EXIT_FAIL;
    }
    if (status != AXL_EXIT_OK) {
        if (unlink(o->tmp) == 0 || errno == ENOENT)
            note("no %s was left (%s)", o->what, o->path);
        else
            error_errno("cannot remove the partial %s '%s'", o->what,
                        o->tmp);
    }
    cmd_outfile_free(o);
    return status;
}

static int cmd_dump_core_run(struct cli *cli, struct cmd_call *call)
{
    const char *path = call->argv[1];
    struct cmd_outfile *d;
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
    d = cmd_outfile_new(path, "core file");
    if (!d || op_set_path(job_op(job), d->tmp) < 0) {
        cmd_outfile_free(d);
        job_forget(cli, job);
        return error("dump-core: out of memory"), AXL_EXIT_FAIL;
    }
    job_on_done(job, cmd_outfile_done, d);
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
    struct cmd_outfile *sv;
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
    status = AXL_EXIT_FAIL;
    sv = cmd_outfile_new(path, "save file");
    if (!sv)
        goto nomem;
    if (call->argc > 2) {
        /* The configuration to store, instead of the domain's own. */
        struct xlcfg_opts xo;

        memset(&xo, 0, sizeof(xo));
        xo.path = call->argv[2];
        xo.report = cmd_xlcfg_report;
        if (xlcfg_parse(cli_libxl(cli), &xo, op_config(job_op(job))) < 0)
            goto fail;
        op_set_save_config(job_op(job));
    }
    sv->fd = open(sv->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (sv->fd < 0) {
        error_errno("cannot create '%s'", sv->tmp);
        goto fail;
    }
    op_set_fd(job_op(job), sv->fd);
    op_set_save_after(job_op(job), cmd_flag(call, "checkpoint")
                      ? OP_SAVE_THEN_RESUME : cmd_flag(call, "paused")
                      ? OP_SAVE_THEN_PAUSE : OP_SAVE_THEN_DESTROY);
    if (cmd_flag(call, "keep-domid"))
        op_set_save_keep_domid(job_op(job));
    job_on_done(job, cmd_outfile_done, sv);
    return job_run(job, timeout_ms);
nomem:
    error("save: out of memory");
fail:
    cmd_outfile_free(sv);
    job_forget(cli, job);
    return status;
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
      "when cancelled: destroy (default) or keep" },
    { 'V', "vncviewer", NULL, "start a VNC viewer (not supported yet)" },
    { 'A', "vncviewer-autopass", NULL,
      "give the VNC viewer the password (not supported yet)" },
    { 0 },
};

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
    if (cmd_flag(call, "vncviewer") || cmd_flag(call, "vncviewer-autopass"))
        return error("restore: -V/-A (start a VNC viewer) is not supported "
                     "yet; nothing was restored"), AXL_EXIT_USAGE;
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
    op_set_fd(job_op(job), fd);
    op_own_fd(job_op(job));
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
