/*
 * cmd_save: writing a domain's state to a file.  dump-core, as xl's,
 * but cancellable: the core is written beside the file under a
 * temporary name and renamed over it only when it is whole, so a
 * cancel or a failure never leaves a partial file under the user's
 * name, and none under the temporary one either.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/status.h"
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

struct cmd_dump {
    char *path;
    char *tmp;
};

/* The core is whole: give it its name; otherwise, leave nothing. */
static int cmd_dump_done(struct job *job, int status, void *user)
{
    struct cmd_dump *d = user;

    if (status == AXL_EXIT_OK && rename(d->tmp, d->path) < 0) {
        error_errno("cannot rename '%s' to '%s'", d->tmp, d->path);
        status = AXL_EXIT_FAIL;
    }
    if (status != AXL_EXIT_OK) {
        if (unlink(d->tmp) == 0 || errno == ENOENT)
            note("no core file was left (%s)", d->path);
        else
            error_errno("cannot remove the partial core '%s'", d->tmp);
    } else {
        progress("wrote the core of '%s' to %s", op_label(job_op(job)),
                 d->path);
    }
    free(d->path);
    free(d->tmp);
    free(d);
    return status;
}

static int cmd_dump_core_run(struct cli *cli, struct cmd_call *call)
{
    const char *path = call->argv[1];
    struct cmd_dump *d;
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
    d = calloc(1, sizeof(*d));
    if (!d || !(d->path = strdup(path)) || !(d->tmp = cmd_save_tmp(path)) ||
        op_set_path(job_op(job), d->tmp) < 0) {
        if (d) {
            free(d->path);
            free(d->tmp);
        }
        free(d);
        job_forget(cli, job);
        return error("dump-core: out of memory"), AXL_EXIT_FAIL;
    }
    job_on_done(job, cmd_dump_done, d);
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
