/*
 * cmd_util: what the command groups share - the op options (--timeout,
 * --on-cancel, --dry-run), finding a domain or a cpupool and making a
 * domain's job, xlcfg's messages, a failed synchronous libxl call said
 * by its cause, CPU maps printed as xl prints them, and the skeletons of
 * the device commands (attach, list).
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libxl.h>
#include <libxl_utils.h>

#include "../core/balloon.h"
#include "../core/dom.h"
#include "../core/status.h"
#include "../core/xlcfg.h"
#include "cmd.h"
#include "cmd_create.h"
#include "cmd_dev.h"
#include "cmd_dom.h"
#include "cmd_xlcfg.h"
#include "json.h"
#include "out.h"
#include "parse.h"

int cmd_timeout_opt(const struct cmd_call *call, uint64_t *ms_r)
{
    const char *t = cmd_opt(call, "timeout");

    *ms_r = 0;
    if (!t)
        return 0;
    if (parse_duration_ms(t, ms_r) < 0)
        return error("%s: invalid duration '%s' for --timeout (use e.g. "
                     "30s, 2m, 1h)", call->cmd->name, t);
    return 0;
}

int cmd_resolve_domain(struct cli *cli, const char *spec, uint32_t *domid_r,
                       char **name_r)
{
    libxl_ctx *ctx = cli_libxl(cli);
    int rc;

    if (!ctx)
        return -1;
    rc = dom_resolve(ctx, spec, domid_r);
    if (rc == ERROR_DOMAIN_NOTFOUND)
        return error("no such domain '%s'", spec);
    if (rc)
        return error_libxl(rc, "cannot look up domain '%s'", spec);
    if (!name_r)
        return 0;
    *name_r = libxl_domid_to_name(ctx, *domid_r);
    if (!*name_r)
        *name_r = strdup(spec);
    if (!*name_r)
        return error("out of memory");
    return 0;
}

struct job *cmd_domain_job(struct cli *cli, struct cmd_call *call,
                           const char *spec, enum op_kind kind,
                           uint32_t *domid_r, int *status_r)
{
    struct job *job;
    char *name = NULL;

    *status_r = AXL_EXIT_FAIL;
    if (cmd_resolve_domain(cli, spec, domid_r, &name) < 0)
        return NULL;
    job = job_new(cli, kind, name);
    free(name);
    if (!job)
        return error("%s: out of memory", call->cmd->name), NULL;
    op_set_domid(job_op(job), *domid_r);
    return job;
}

int cmd_dry_run_check(const struct cmd_call *call, const char *does)
{
    if (cmd_flag(call, "dry-run") &&
        (cmd_opt(call, "on-cancel") || cmd_opt(call, "timeout")))
        return error("%s: --dry-run %s nothing: --on-cancel and --timeout "
                     "do not apply", call->cmd->name, does);
    return 0;
}

int cmd_on_cancel_opt(const struct cmd_call *call, enum op_on_cancel *r)
{
    const char *policy = cmd_opt(call, "on-cancel");

    *r = OP_ON_CANCEL_DESTROY;
    if (!policy || !strcmp(policy, "destroy"))
        return 0;
    if (!strcmp(policy, "keep")) {
        *r = OP_ON_CANCEL_KEEP;
        return 0;
    }
    return error("%s: invalid value '%s' for --on-cancel (use destroy or "
                 "keep)", call->cmd->name, policy);
}

void cmd_xlcfg_report(void *user, int is_error, const char *msg)
{
    (void)user;
    if (is_error)
        error("%s", msg);
    else
        warn("%s", msg);
}

void cmd_json_line(char *json)
{
    size_t n = strlen(json);

    if (n && json[n - 1] == '\n')
        json[n - 1] = '\0';
    out_line(json);
}

int cmd_create_memory(struct cli *cli, struct op *op)
{
    struct xlcfg_host host;
    struct xlcfg_opts xo;
    bool on;

    memset(&xo, 0, sizeof(xo));
    xo.report = cmd_xlcfg_report;
    if (xlcfg_host_read(&xo, &host) < 0)
        return -1;
    on = host.autoballoon > 0 ||
         (host.autoballoon < 0 && balloon_auto(cli_libxl(cli)));
    if (on && op_set_balloon(op, host.lockfile) < 0)
        return error("autoballoon: out of memory");
    return 0;
}

/* ---- what the listings of domains, CPUs and pools share ---- */

const char cmd_dom_header[] =
    "Name                                        ID   Mem VCPUs\tState\t"
    "Time(s)";

double cmd_cpu_seconds(uint64_t ns)
{
    /* xl goes through a float: the rounding of the column is its own. */
    return (float)ns / 1e9;
}

const char *cmd_dom_state(const libxl_dominfo *d, char buf[7])
{
    static const char reasons[] = "-rscwS";
    int reason = d->shutdown ? (int)d->shutdown_reason : 0;

    buf[0] = d->running ? 'r' : '-';
    buf[1] = d->blocked ? 'b' : '-';
    buf[2] = d->paused ? 'p' : '-';
    buf[3] = d->shutdown ? 's' : '-';
    buf[4] = reason >= 0 && reason < (int)sizeof(reasons) - 1
             ? reasons[reason] : '?';
    buf[5] = d->dying ? 'd' : '-';
    buf[6] = '\0';
    return buf;
}

unsigned long cmd_dom_mib(const libxl_dominfo *d)
{
    return (unsigned long)((d->current_memkb + d->outstanding_memkb) / 1024);
}

void cmd_dom_row(libxl_ctx *ctx, const libxl_dominfo *d)
{
    char *name = libxl_domid_to_name(ctx, d->domid);
    char state[7];

    printf("%-40s %5u %5lu %5u     %s  %8.1f", name ? name : "(null)",
           d->domid, cmd_dom_mib(d), d->vcpu_online,
           cmd_dom_state(d, state), cmd_cpu_seconds(d->cpu_time));
    free(name);
}

void cmd_dom_json(libxl_ctx *ctx, struct json *j, const libxl_dominfo *d)
{
    char *name = libxl_domid_to_name(ctx, d->domid);
    char *pool = libxl_cpupoolid_to_name(ctx, d->cpupool);
    char *raw = libxl_dominfo_to_json(ctx, (libxl_dominfo *)d);
    char uuid[LIBXL_UUID_FMTLEN + 1], state[7];

    snprintf(uuid, sizeof(uuid), LIBXL_UUID_FMT, LIBXL_UUID_BYTES(d->uuid));
    json_kstr(j, "name", name);
    json_kuint(j, "domid", d->domid);
    json_kstr(j, "uuid", uuid);
    json_kuint(j, "memory", cmd_dom_mib(d));
    json_kuint(j, "vcpus", d->vcpu_online);
    json_kstr(j, "state", cmd_dom_state(d, state));
    json_kdouble(j, "cpu_time", cmd_cpu_seconds(d->cpu_time), 1);
    json_kstr(j, "cpupool", pool);
    json_kraw(j, "dominfo", raw);
    free(raw);
    free(pool);
    free(name);
}

char *cmd_bitmap_text(const libxl_bitmap *map, int n)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    int i = 0, runs = 0;

    if (!f)
        return NULL;
    while (i < n) {
        int start;

        while (i < n && !libxl_bitmap_test(map, i))
            i++;
        if (i == n)
            break;
        start = i;
        while (i < n && libxl_bitmap_test(map, i))
            i++;
        if (!runs && start == 0 && i == n) {
            fputs("all", f);
            runs++;
            break;
        }
        fprintf(f, i - 1 > start ? "%s%d-%d" : "%s%d", runs ? "," : "",
                start, i - 1);
        runs++;
    }
    if (!runs)
        fputs("none", f);
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

void cmd_print_bitmap(FILE *f, const libxl_bitmap *map, int n)
{
    char *text = cmd_bitmap_text(map, n);

    fputs(text ? text : "?", f);
    free(text);
}

int cmd_resolve_cpupool(struct cli *cli, const char *spec,
                        uint32_t *poolid_r)
{
    libxl_ctx *ctx = cli_libxl(cli);

    if (!ctx)
        return -1;
    if (libxl_cpupool_qualifier_to_cpupoolid(ctx, spec, poolid_r, NULL) ||
        !libxl_cpupoolid_is_valid(ctx, *poolid_r))
        return error("no such cpupool '%s'", spec);
    return 0;
}

int cmd_libxl_failed(struct cli *cli, int rc, const char *fmt, ...)
{
    const char *cause = log_cause(cli->log, cli->verbose > 0);
    const char *name = libxl_error_to_string(rc);
    char *msg = NULL;
    va_list ap;

    va_start(ap, fmt);
    if (vasprintf(&msg, fmt, ap) < 0)
        msg = NULL;
    va_end(ap);
    error("%s: %s", msg ? msg : "libxl failed",
          cause ? cause : name ? name : "unknown libxl error");
    free(msg);
    log_clear_error(cli->log);
    return -1;
}

/* ---- what the device commands share ---- */

const struct cmd_opt cmd_attach_opts[] = {
    { 'n', "dry-run", NULL,
      "print the device as libxl JSON, as xl -N does; attach nothing" },
    { 0, "on-cancel", "POLICY",
      "what to do with a half-attached device when cancelled: destroy "
      "(remove it, the default) or keep",
      NULL, "destroy|keep" },
    { 0 },
};

const struct cmd_opt cmd_detach_opts[] = {
    { 'f', "force", NULL,
      "remove the device at once, without the guest's cooperation" },
    { 0 },
};

const struct cmd_opt cmd_dev_list_opts[] = {
    { 0, "json", NULL, "print the devices as one JSON document" },
    { 0 },
};

struct job *cmd_dev_job(struct cli *cli, struct cmd_call *call,
                        enum op_kind kind, enum op_dev_kind dev,
                        uint64_t *timeout_ms, uint32_t *domid_r,
                        int *status_r)
{
    enum op_on_cancel on_cancel;
    struct job *job;

    *status_r = AXL_EXIT_USAGE;
    if (cmd_timeout_opt(call, timeout_ms) < 0 ||
        cmd_on_cancel_opt(call, &on_cancel) < 0 ||
        cmd_dry_run_check(call, "attaches") < 0)
        return NULL;
    job = cmd_domain_job(cli, call, call->argv[0], kind, domid_r, status_r);
    if (!job)
        return NULL;
    if (kind == OP_DEV_ADD || kind == OP_DEV_REMOVE) {
        if (op_set_dev(job_op(job), dev) < 0) {
            error("%s: out of memory", call->cmd->name);
            job_forget(cli, job);
            *status_r = AXL_EXIT_FAIL;
            return NULL;
        }
    }
    op_set_on_cancel(job_op(job), on_cancel);
    op_set_force(job_op(job), cmd_flag(call, "force") > 0);
    return job;
}

int cmd_dev_attach(struct cli *cli, struct cmd_call *call,
                   const struct cmd_dev_attach *a)
{
    struct xlcfg_opts xo;
    struct job *job;
    uint64_t timeout_ms;
    uint32_t domid;
    char *json;
    void *dev;
    int status;

    job = cmd_dev_job(cli, call, OP_DEV_ADD, a->kind, &timeout_ms, &domid,
                      &status);
    if (!job)
        return status;
    dev = op_dev(job_op(job));
    memset(&xo, 0, sizeof(xo));
    xo.overrides = (const char *const *)call->argv + 1;
    xo.n_overrides = call->argc - 1;
    xo.report = cmd_xlcfg_report;
    if (a->parse(&xo, a->key, dev) < 0) {
        job_forget(cli, job);
        return AXL_EXIT_FAIL;
    }
    if (!cmd_flag(call, "dry-run")) {
        const char *why = a->refuse ? a->refuse(dev) : NULL;

        if (why) {
            error("%s: %s; nothing was done", call->cmd->name, why);
            job_forget(cli, job);
            return AXL_EXIT_FAIL;
        }
        return job_run(job, timeout_ms);
    }
    json = a->to_json ? a->to_json(cli_libxl(cli), dev) : NULL;
    if (json) {
        printf("%s: %s\n", a->json_tag, json);
        free(json);
        status = out_flush_stdout() < 0 ? AXL_EXIT_FAIL : AXL_EXIT_OK;
    } else {
        error("cannot format the device as JSON");
        status = AXL_EXIT_FAIL;
    }
    job_forget(cli, job);
    return status;
}

int cmd_devid_arg(const struct cmd_call *call, const char *s, int *devid_r)
{
    unsigned long v;

    if (parse_uint(s, INT32_MAX, &v) < 0)
        return error("%s: invalid device index '%s' (give a number)",
                     call->cmd->name, s);
    *devid_r = (int)v;
    return 0;
}

/* "name" and "domid" of one domain, for a listing's JSON. */
static void cmd_dev_json_domain(libxl_ctx *ctx, struct json *j,
                                uint32_t domid)
{
    char *name = libxl_domid_to_name(ctx, domid);

    json_kuint(j, "domid", domid);
    json_kstr(j, "name", name);
    free(name);
}

int cmd_dev_list(struct cli *cli, struct cmd_call *call, const char *header,
                 cmd_dev_rows_fn *rows)
{
    libxl_ctx *ctx = cli_libxl(cli);
    bool as_json = cmd_flag(call, "json") > 0;
    struct json j;
    uint32_t *domids;
    int i, bad = 0, status = AXL_EXIT_FAIL;

    if (!ctx)
        return AXL_EXIT_FAIL;
    domids = calloc(call->argc, sizeof(*domids));
    if (!domids)
        return error("%s: out of memory", call->cmd->name), AXL_EXIT_FAIL;
    for (i = 0; i < call->argc; i++)
        if (cmd_resolve_domain(cli, call->argv[i], &domids[i], NULL) < 0)
            bad = 1;
    if (bad)
        goto out;
    if (as_json) {
        json_init(&j, stdout);
        json_open(&j, '[');
        for (i = 0; i < call->argc; i++) {
            json_open(&j, '{');
            cmd_dev_json_domain(ctx, &j, domids[i]);
            json_key(&j, "devices");
            json_open(&j, '[');
            rows(ctx, domids[i], &j);
            json_close(&j);
            json_close(&j);
        }
        json_close(&j);
        json_end(&j);
    } else {
        if (header)
            fputs(header, stdout);
        for (i = 0; i < call->argc; i++)
            rows(ctx, domids[i], NULL);
    }
    status = out_flush_stdout() < 0 ? AXL_EXIT_FAIL : AXL_EXIT_OK;
out:
    free(domids);
    return status;
}

void cmd_dev_json_pair(struct json *j, const char *key1, char *json1,
                       const char *key2, char *json2)
{
    json_open(j, '{');
    if (key1)
        json_kraw(j, key1, json1);
    if (key2)
        json_kraw(j, key2, json2);
    json_close(j);
    free(json1);
    free(json2);
}
