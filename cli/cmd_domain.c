/*
 * cmd_domain: create, config-update, list, destroy, pause, unpause,
 * shutdown, reboot.
 */
#define _GNU_SOURCE
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
#include "cmd_cleanup.h"
#include "cmd_create.h"
#include "cmd_dom.h"
#include "cmd_xlcfg.h"
#include "json.h"
#include "out.h"

/* ---- create ---- */

static const struct cmd_opt cmd_create_opts[] = {
    { 'f', "config", "FILE", "read the domain configuration from FILE",
      "defconfig" },
    { 'p', "paused", NULL, "leave the domain paused after creating it" },
    { 'n', "dry-run", NULL,
      "print the libxl domain configuration as JSON; create nothing",
      "dryrun" },
    { 'q', "quiet", NULL, "print no progress" },
    { 'v', "verbose", NULL, "show libxl's log on stderr (repeat for more)" },
    { 'd', "debug", NULL, "print the configuration handed to libxl, as "
      "JSON, on stderr before creating" },
    { 0, "on-cancel", "POLICY",
      "what to do with a half-built domain when cancelled: destroy "
      "(default) or keep",
      NULL, "destroy|keep" },
    { 0, "ignore-global-affinity-masks", NULL,
      "do not apply xl.conf's vm.cpumask, vm.pv.cpumask, vm.hvm.cpumask" },
    { 'F', "foreground", NULL, "monitor the domain in this process, not "
      "in the background (Ctrl-C stops monitoring; the guest runs on)" },
    { 'e', "no-onreboot", NULL, "start no monitor: nothing applies "
      "on_reboot, on_poweroff or on_crash" },
    { 'c', "console", NULL, "attach to the console as soon as it is ready "
      "(leave it with Ctrl-]; the guest runs on)" },
    { 'V', "vncviewer", NULL, "start a VNC viewer on the domain's display "
      "once it runs (or print where the display is)" },
    { 'A', "vncviewer-autopass", NULL,
      "as -V, giving the viewer the domain's VNC password" },
    { 0 },
};

/* What follows a create that worked: the domain's monitor. */
struct cmd_create_after {
    struct cli *cli;
    enum op_on_cancel policy;
    bool foreground;
    bool no_monitor;
    int vnc;                /* -V: 1; -A: 2 (with the password) */
    struct job *job;        /* while its monitor starts */
};

static void cmd_create_unmonitored(struct op *op)
{
    warn("domain '%s' runs without a monitor: start one with 'axl "
         "monitor %s'", op_label(op), op_label(op));
}

/* The monitor watches, or did not start: the create is done. */
static void cmd_create_monitored(void *user, bool ok)
{
    struct cmd_create_after *a = user;

    if (!ok)
        cmd_create_unmonitored(job_op(a->job));
    job_finish(a->job, AXL_EXIT_OK);
    free(a);
}

static int cmd_create_done(struct job *job, int status, void *user)
{
    struct cmd_create_after *a = user;
    struct op *op = job_op(job);
    int r;

    console_create_done(a->cli, op);
    if (status == AXL_EXIT_OK && a->vnc)
        vnc_show(a->cli, op_domid(op), op_label(op), a->vnc > 1, false);
    if (status == AXL_EXIT_OK && monitor_mark(a->cli, op_domid(op)) == 0 &&
        !a->no_monitor) {
        a->job = job;
        r = monitor_after_create(a->cli, op_domid(op), op_label(op),
                                 a->policy, a->foreground,
                                 cmd_create_monitored, a);
        if (r > 0)
            return CMD_PENDING;     /* done once the monitor watches */
        if (r < 0)
            cmd_create_unmonitored(op);
    }
    free(a);
    return status;
}

int cmd_create_follow(struct cli *cli, struct cmd_call *call,
                      struct job *job, enum op_on_cancel policy)
{
    struct cmd_create_after *after = calloc(1, sizeof(*after));

    if (!after)
        return error("%s: out of memory", call->cmd->name);
    after->cli = cli;
    after->policy = policy;
    after->foreground = cmd_flag(call, "foreground") > 0;
    after->no_monitor = cmd_flag(call, "no-onreboot") > 0;
    if (cmd_flag(call, "vncviewer-autopass") > 0)
        after->vnc = 2;
    else if (cmd_flag(call, "vncviewer") > 0)
        after->vnc = 1;
    job_on_done(job, cmd_create_done, after);
    if (cmd_flag(call, "console"))
        console_for_create(job);
    return 0;
}

/*
 * create -n on a host without Xen: the configuration is read as on a
 * Xen host (its errors said with file and line), but libxl's JSON of it
 * needs libxl, which needs Xen.  1 either way: no JSON was printed.
 */
static int cmd_create_check(const char *path, const char *const *overrides,
                            int n_over, bool no_masks)
{
    libxl_domain_config cfg;
    struct xlcfg_opts xo;
    int rc;

    memset(&xo, 0, sizeof(xo));
    xo.path = path;
    xo.overrides = overrides;
    xo.n_overrides = n_over;
    xo.report = cmd_xlcfg_report;
    xo.ignore_global_masks = no_masks;
    libxl_domain_config_init(&cfg);
    rc = xlcfg_parse(NULL, &xo, &cfg);
    libxl_domain_config_dispose(&cfg);
    if (rc < 0)
        return AXL_EXIT_FAIL;
    return error("create: '%s' reads without error; its JSON needs a Xen "
                 "host (not this one), as do the checks of vnuma, node: "
                 "CPU ranges, JSON configs and the host's CPU count",
                 path), AXL_EXIT_FAIL;
}

static int cmd_create_run(struct cli *cli, struct cmd_call *call)
{
    const char *path = cmd_opt(call, "config");
    const char *const *overrides;
    enum op_on_cancel on_cancel;
    struct xlcfg_opts xo;
    struct job *job = NULL;
    libxl_ctx *ctx;
    uint64_t timeout_ms;
    int i, n_over, status = AXL_EXIT_USAGE;
    bool dry = cmd_flag(call, "dry-run") > 0, quiet;

    if (cmd_timeout_opt(call, &timeout_ms) < 0 ||
        cmd_on_cancel_opt(call, &on_cancel) < 0 ||
        cmd_dry_run_check(call, "creates") < 0)
        return AXL_EXIT_USAGE;
    if (cmd_flag(call, "foreground") && cli->interactive)
        return error("create: -F is for a one-shot axl, not the shell; "
                     "nothing was created"), AXL_EXIT_USAGE;
    if (!path) {
        if (call->argc < 1)
            return error("create: no config file (usage: axl create "
                         "%s)", call->cmd->usage), AXL_EXIT_USAGE;
        path = call->argv[0];
        overrides = (const char *const *)call->argv + 1;
        n_over = call->argc - 1;
    } else {
        overrides = (const char *const *)call->argv;
        n_over = call->argc;
    }
    for (i = 0; i < n_over; i++)
        if (!strchr(overrides[i], '='))
            return error("create: '%s' is not a key=value setting",
                         overrides[i]), AXL_EXIT_USAGE;
    quiet = cmd_flag(call, "quiet") > 0;

    if (dry && access("/dev/xen/privcmd", F_OK) != 0)
        return cmd_create_check(path, overrides, n_over,
                                cmd_flag(call, "ignore-global-affinity-"
                                         "masks") > 0);
    ctx = cli_libxl(cli);
    if (!ctx)
        return AXL_EXIT_FAIL;
    job = job_new(cli, OP_CREATE, NULL);
    if (!job)
        return error("create: out of memory"), AXL_EXIT_FAIL;
    job_set_quiet(job, quiet);
    if (cmd_flag(call, "verbose"))
        job_set_verbose(job, cli->verbose + cmd_flag(call, "verbose"));

    memset(&xo, 0, sizeof(xo));
    xo.path = path;
    xo.overrides = overrides;
    xo.n_overrides = n_over;
    xo.report = cmd_xlcfg_report;
    xo.ignore_global_masks = cmd_flag(call, "ignore-global-affinity-masks");
    if (!quiet)
        progress("parsing config from %s", path);
    if (xlcfg_parse(ctx, &xo, op_config(job_op(job))) < 0) {
        status = AXL_EXIT_FAIL;
        goto out;
    }
    if (dry || cmd_flag(call, "debug")) {
        char *json = libxl_domain_config_to_json(ctx,
                                                 op_config(job_op(job)));

        if (!json) {
            error("create: cannot format the configuration as JSON");
            status = AXL_EXIT_FAIL;
            goto out;
        }
        /* libxl's JSON ends in a newline; print it as xl -N does. */
        if (dry) {
            fputs(json, stdout);
        } else {
            cmd_json_line(json);
        }
        free(json);
        if (dry) {
            status = out_flush_stdout() < 0 ? AXL_EXIT_FAIL : AXL_EXIT_OK;
            goto out;
        }
    }
    op_set_on_cancel(job_op(job), on_cancel);
    op_set_start_paused(job_op(job), cmd_flag(call, "paused") > 0);
    if (cmd_create_memory(cli, job_op(job)) < 0) {
        status = AXL_EXIT_FAIL;
        goto out;
    }
    if (cmd_create_follow(cli, call, job, on_cancel) < 0) {
        status = AXL_EXIT_FAIL;
        goto out;
    }
    return job_run(job, timeout_ms);
out:
    job_forget(cli, job);
    return status;
}

const struct cmd_entry cmd_create_entry = {
    .name = "create",
    .summary = "create a domain from an xl config file",
    .usage = "[options] <ConfigFile> [key=value ...]",
    .opts = cmd_create_opts,
    .min_args = 0,
    .max_args = -1,
    .first_arg = CMD_ARG_FILE,
    .rest_args = CMD_ARG_KEYVAL,
    .flags = CMD_F_OP,
    .run = cmd_create_run,
};

/* ---- config-update ---- */

static const struct cmd_opt cmd_config_update_opts[] = {
    { 'f', "config", "FILE", "read the new configuration from FILE",
      "defconfig" },
    { 'd', "debug", NULL, "print the parsed configuration as libxl JSON" },
    { 'n', "dry-run", NULL, "parse and print the configuration; store "
      "nothing", "dryrun" },
    { 0 },
};

/*
 * The text xl keeps for a domain's restarts: the file, then the
 * key=value settings between blank lines, one a line, as xl appends
 * them.  NULL after reporting.
 */
static char *cmd_config_text(const char *path, const char *const *over,
                             int n_over, size_t *len_r)
{
    char *text = NULL;
    size_t len = 0;
    FILE *in = fopen(path, "r"), *f;
    char buf[4096];
    size_t got;
    int i;

    if (!in)
        return error_errno("cannot read config file '%s'", path), NULL;
    f = open_memstream(&text, &len);
    if (!f) {
        fclose(in);
        return error("config-update: out of memory"), NULL;
    }
    while ((got = fread(buf, 1, sizeof(buf), in)) > 0)
        fwrite(buf, 1, got, f);
    if (ferror(in))
        error_errno("cannot read config file '%s'", path);
    if (n_over)
        fputc('\n', f);
    for (i = 0; i < n_over; i++)
        fprintf(f, "%s\n", over[i]);
    if (n_over)
        fputc('\n', f);    /* the text xl stores, byte for byte */
    fclose(f);
    if (ferror(in)) {
        fclose(in);
        free(text);
        return NULL;
    }
    fclose(in);
    *len_r = len;
    return text;
}

/*
 * Replace the configuration xl's (and axl's) monitor re-creates the
 * domain from on a reboot: libxl's userdata "xl", as xl config-update
 * writes it.  The new text is parsed first: a bad one stores nothing.
 */
static int cmd_config_update_run(struct cli *cli, struct cmd_call *call)
{
    const char *path = cmd_opt(call, "config");
    const char *const *over = (const char *const *)call->argv + 1;
    int i, n_over = call->argc - 1, status = AXL_EXIT_FAIL;
    libxl_domain_config cfg;
    struct xlcfg_opts xo;
    libxl_ctx *ctx;
    uint32_t domid;
    char *text = NULL, *name = NULL;
    size_t len = 0;

    if (!path && n_over > 0 && !strchr(over[0], '=')) {
        path = over[0];
        over++;
        n_over--;
    }
    if (!path)
        return error("config-update: no config file (usage: axl "
                     "config-update %s)", call->cmd->usage), AXL_EXIT_USAGE;
    for (i = 0; i < n_over; i++)
        if (!strchr(over[i], '='))
            return error("config-update: '%s' is not a key=value setting",
                         over[i]), AXL_EXIT_USAGE;
    ctx = cli_libxl(cli);
    if (!ctx || cmd_resolve_domain(cli, call->argv[0], &domid, &name) < 0)
        return AXL_EXIT_FAIL;
    libxl_domain_config_init(&cfg);
    memset(&xo, 0, sizeof(xo));
    xo.path = path;
    xo.overrides = over;
    xo.n_overrides = n_over;
    xo.report = cmd_xlcfg_report;
    if (xlcfg_parse(ctx, &xo, &cfg) < 0)
        goto out;
    if (cmd_flag(call, "debug") || cmd_flag(call, "dry-run")) {
        char *json = libxl_domain_config_to_json(ctx, &cfg);

        if (json)
            fputs(json, stdout);
        free(json);
        if (out_flush_stdout() < 0)
            goto out;
    }
    if (cmd_flag(call, "dry-run")) {
        status = AXL_EXIT_OK;
        goto out;
    }
    text = cmd_config_text(path, over, n_over, &len);
    if (!text)
        goto out;
    i = libxl_userdata_store(ctx, domid, "xl", (const uint8_t *)text,
                             (int)len);
    if (i) {
        error_libxl(i, "cannot store the configuration of domain '%s'",
                    name);
        goto out;
    }
    progress("domain '%s' will restart with the configuration from %s",
             name, path);
    status = AXL_EXIT_OK;
out:
    libxl_domain_config_dispose(&cfg);
    free(text);
    free(name);
    return status;
}

const struct cmd_entry cmd_config_update_entry = {
    .name = "config-update",
    .summary = "change the configuration a domain restarts with",
    .usage = "[options] <Domain> [<ConfigFile>] [key=value ...]",
    .opts = cmd_config_update_opts,
    .min_args = 1,
    .max_args = -1,
    .first_arg = CMD_ARG_DOMAIN,
    .rest_args = CMD_ARG_FILE,
    .run = cmd_config_update_run,
};

/* ---- destroy, pause, unpause, shutdown, reboot ---- */

static const struct cmd_opt cmd_destroy_opts[] = {
    { 'f', "force", NULL, "allow Domain-0 as the target (for a "
      "disaggregated toolstack; refused otherwise)" },
    { 0 },
};

static const struct cmd_opt cmd_request_opts[] = {
    { 'a', "all", NULL, "every guest (not Domain-0), each as a job" },
    { 'w', "wait", NULL, "wait until the guest has shut down; twice: "
      "until it is gone" },
    { 'F', "fallback", NULL, "a guest without PV drivers is reset "
      "instead" },
    { 0 },
};

static const struct cmd_opt cmd_shutdown_opts[] = {
    { 'a', "all", NULL, "every guest (not Domain-0), each as a job" },
    { 'w', "wait", NULL, "wait until the guest has shut down; twice: "
      "until it is gone" },
    { 'F', "fallback", NULL, "a guest without PV drivers gets an ACPI "
      "button event instead" },
    { 0, "then-destroy", NULL, "with -w and --timeout: destroy a guest "
      "that has not shut down in time" },
    { 0 },
};

/*
 * One op on one domain.  Domain-0 only with destroy -f, as xl.
 * shutdown and reboot take -F and -w.
 */
static struct job *cmd_domain_one(struct cli *cli, struct cmd_call *call,
                                  const char *spec, enum op_kind kind,
                                  int *status)
{
    struct job *job;
    uint32_t domid;

    job = cmd_domain_job(cli, call, spec, kind, &domid, status);
    if (!job)
        return NULL;
    if (domid == 0 && !cmd_flag(call, "force")) {
        job_forget(cli, job);
        *status = AXL_EXIT_FAIL;
        return error("cannot %s Domain-0", call->cmd->name), NULL;
    }
    op_set_fallback(job_op(job), cmd_flag(call, "fallback") > 0);
    op_set_wait(job_op(job), cmd_flag(call, "wait") > 1 ? 2
                             : cmd_flag(call, "wait"));
    if (cmd_flag(call, "then-destroy"))
        op_set_then_destroy(job_op(job), true);
    return job;
}

static int cmd_domain_simple(struct cli *cli, struct cmd_call *call,
                             enum op_kind kind)
{
    struct job *job;
    uint64_t timeout_ms;
    int status;

    if (cmd_timeout_opt(call, &timeout_ms) < 0)
        return AXL_EXIT_USAGE;
    if (call->argc != 1) {
        char u[256];

        return error("%s: give one domain (usage: %s)", call->cmd->name,
                     cmd_usage(call->cmd, u, sizeof(u))), AXL_EXIT_USAGE;
    }
    job = cmd_domain_one(cli, call, call->argv[0], kind, &status);
    return job ? job_run(job, timeout_ms) : status;
}

/* shutdown/reboot -a: every guest but those that never stop, as xl. */
static int cmd_domain_all(struct cli *cli, struct cmd_call *call,
                          enum op_kind kind)
{
    libxl_dominfo *info;
    uint64_t timeout_ms;
    int i, n = 0, started = 0, status = AXL_EXIT_OK;

    if (cmd_timeout_opt(call, &timeout_ms) < 0)
        return AXL_EXIT_USAGE;
    if (call->argc)
        return error("%s: -a acts on every guest: give no domain",
                     call->cmd->name), AXL_EXIT_USAGE;
    if (!cli_libxl(cli))
        return AXL_EXIT_FAIL;
    info = libxl_list_domain(cli_libxl(cli), &n);
    if (!info)
        return error("%s: cannot list domains", call->cmd->name),
               AXL_EXIT_FAIL;
    for (i = 0; i < n; i++) {
        struct job *job;
        char id[16];

        if (info[i].domid == 0 || info[i].never_stop)
            continue;
        snprintf(id, sizeof(id), "%u", info[i].domid);
        job = cmd_domain_one(cli, call, id, kind, &status);
        if (!job)
            continue;       /* gone meanwhile: said; the others go on */
        job_run(job, timeout_ms);
        started++;
    }
    libxl_dominfo_list_free(info, n);
    return started ? CMD_PENDING : status;
}

static int cmd_request_run(struct cli *cli, struct cmd_call *call,
                           enum op_kind kind)
{
    if (cmd_flag(call, "then-destroy") &&
        (!cmd_flag(call, "wait") || !cmd_opt(call, "timeout")))
        return error("%s: --then-destroy needs -w and --timeout",
                     call->cmd->name), AXL_EXIT_USAGE;
    if (cmd_flag(call, "all"))
        return cmd_domain_all(cli, call, kind);
    return cmd_domain_simple(cli, call, kind);
}

static int cmd_destroy_run(struct cli *cli, struct cmd_call *call)
{
    return cmd_domain_simple(cli, call, OP_DESTROY);
}

static int cmd_pause_run(struct cli *cli, struct cmd_call *call)
{
    return cmd_domain_simple(cli, call, OP_PAUSE);
}

static int cmd_unpause_run(struct cli *cli, struct cmd_call *call)
{
    return cmd_domain_simple(cli, call, OP_UNPAUSE);
}

static int cmd_shutdown_run(struct cli *cli, struct cmd_call *call)
{
    return cmd_request_run(cli, call, OP_SHUTDOWN);
}

static int cmd_reboot_run(struct cli *cli, struct cmd_call *call)
{
    return cmd_request_run(cli, call, OP_REBOOT);
}

#define CMD_DOMAIN_SIMPLE(NAME, SUMMARY, USAGE, OPTS, MIN)              \
    const struct cmd_entry cmd_##NAME##_entry = {                       \
        .name = #NAME,                                                  \
        .summary = SUMMARY,                                             \
        .usage = USAGE,                                                 \
        .opts = OPTS,                                                   \
        .min_args = MIN,                                                \
        .max_args = 1,                                                  \
        .first_arg = CMD_ARG_DOMAIN,                                    \
        .flags = CMD_F_OP,                                              \
        .run = cmd_##NAME##_run,                                        \
    }

CMD_DOMAIN_SIMPLE(destroy, "destroy a domain at once", "[options] <Domain>",
                  cmd_destroy_opts, 1);
CMD_DOMAIN_SIMPLE(pause, "pause a domain", "[options] <Domain>", NULL, 1);
CMD_DOMAIN_SIMPLE(unpause, "unpause a domain", "[options] <Domain>", NULL,
                  1);
CMD_DOMAIN_SIMPLE(shutdown, "ask a domain to shut down",
                  "[options] <-a|Domain>", cmd_shutdown_opts, 0);
CMD_DOMAIN_SIMPLE(reboot, "ask a domain to reboot", "[options] <-a|Domain>",
                  cmd_request_opts, 0);

/* ---- list ---- */

static const struct cmd_opt cmd_list_opts[] = {
    { 'l', "long", NULL, "print each domain's configuration as JSON" },
    { 'v', "verbose", NULL, "add UUID, reason code and security label" },
    { 'Z', "context", NULL, "add the security label" },
    { 'c', "cpupool", NULL, "add the CPU pool" },
    { 'n', "numa", NULL, "add the NUMA node affinity" },
    { 0, "json", NULL, "print the domains as a JSON array (the columns "
      "and libxl's dominfo; schema in axl(1))" },
    { 0 },
};

/* The columns asked for besides xl's first six. */
struct cmd_list_cols {
    bool verbose, context, cpupool, numa;
    int nr_nodes;
    libxl_bitmap nodes;
    uint32_t *half;         /* half-built by a killed axl (the journal) */
    int n_half;
};

static void cmd_list_row(libxl_ctx *ctx, const libxl_dominfo *d,
                         struct cmd_list_cols *c)
{
    int reason = d->shutdown ? (int)d->shutdown_reason : 0;

    cmd_dom_row(ctx, d);
    if (c->verbose) {
        printf(" " LIBXL_UUID_FMT, LIBXL_UUID_BYTES(d->uuid));
        if (d->shutdown)
            printf(" %8x", reason);
        else
            printf(" %8s", "-");
    }
    if (c->verbose || c->context)
        printf(" %16s", d->ssid_label ? d->ssid_label : "-");
    if (c->cpupool) {
        char *pool = libxl_cpupoolid_to_name(ctx, d->cpupool);

        printf("%16s", pool ? pool : "(null)");
        free(pool);
    }
    if (c->numa) {
        putchar(' ');
        if (libxl_domain_get_nodeaffinity(ctx, d->domid, &c->nodes) == 0) {
            char *nodes = cmd_bitmap_text(&c->nodes, c->nr_nodes);

            fputs(nodes ? nodes : "?", stdout);
            free(nodes);
        }
    }
    for (int i = 0; i < c->n_half; i++)
        if (c->half[i] == d->domid)
            fputs("  (half-built: see 'axl cleanup')", stdout);
    putchar('\n');
}

/* xl's columns: the header, then a row per domain. */
static int cmd_list_table(libxl_ctx *ctx, const libxl_dominfo *sel,
                          int nsel, struct cmd_list_cols *c)
{
    libxl_physinfo phys;
    int i, status = AXL_EXIT_OK;

    libxl_physinfo_init(&phys);
    libxl_bitmap_init(&c->nodes);
    if (c->numa && (libxl_node_bitmap_alloc(ctx, &c->nodes, 0) ||
                    libxl_get_physinfo(ctx, &phys))) {
        status = error("list: cannot read the host's NUMA nodes");
        goto out;
    }
    c->nr_nodes = (int)phys.nr_nodes;
    c->n_half = cleanup_half_built(ctx, &c->half);
    fputs(cmd_dom_header, stdout);
    if (c->verbose)
        printf("   UUID                            "
               "Reason-Code\tSecurity Label");
    else if (c->context)
        printf("   Security Label");
    if (c->cpupool)
        printf("         Cpupool");
    if (c->numa)
        printf(" NODE Affinity");
    printf("\n");
    for (i = 0; i < nsel; i++)
        cmd_list_row(ctx, &sel[i], c);
out:
    free(c->half);
    libxl_bitmap_dispose(&c->nodes);
    libxl_physinfo_dispose(&phys);
    return status < 0 ? AXL_EXIT_FAIL : status;
}

/*
 * list --json: an array of one object per domain, with the columns'
 * values (cmd_dom_json()).
 */
static int cmd_list_json(libxl_ctx *ctx, const libxl_dominfo *sel, int nsel)
{
    struct json j;
    int i;

    json_init(&j, stdout);
    json_open(&j, '[');
    for (i = 0; i < nsel; i++) {
        json_open(&j, '{');
        cmd_dom_json(ctx, &j, &sel[i]);
        json_close(&j);
    }
    json_end(&j);
    return AXL_EXIT_OK;
}

/*
 * list -l: each domain's stored configuration is read by an op of its
 * own (libxl_retrieve_domain_configuration is an ao), all at once; each
 * keeps what it read in its slot (the shell may forget a finished job
 * before the others end), and the last to finish prints them in the
 * order asked.  A domain that vanished meanwhile is left out, as xl does.
 */
struct cmd_list_long;

struct cmd_list_slot {
    struct cmd_list_long *ll;
    uint32_t domid;
    enum op_result result;
    bool gone;
    char *json;
};

struct cmd_list_long {
    struct cli *cli;
    int n, left;
    struct cmd_list_slot *slots;
};

static int cmd_list_long_done(struct job *job, int status, void *user)
{
    struct cmd_list_slot *slot = user;
    struct cmd_list_long *ll = slot->ll;
    struct op *op = job_op(job);
    int i, first = 1;

    slot->result = op_result(op);
    slot->gone = op_gone(op);
    if (slot->result == OP_RESULT_OK && !slot->gone)
        slot->json = libxl_domain_config_to_json(loop_ctx(ll->cli->lp),
                                                 op_config(op));
    if (--ll->left > 0)
        return status;
    for (i = 0; i < ll->n; i++)
        if (ll->slots[i].result != OP_RESULT_OK)
            goto out;       /* cancelled or failed: print no half list */
    printf("[\n");
    for (i = 0; i < ll->n; i++) {
        if (ll->slots[i].gone)
            continue;
        printf("%s    {\n        \"domid\": %u,\n        \"config\": %s\n"
               "    }", first ? "" : ",\n", ll->slots[i].domid,
               ll->slots[i].json ? ll->slots[i].json : "null");
        first = 0;
    }
    printf("\n]\n");
    if (out_flush_stdout() < 0 && status == AXL_EXIT_OK)
        status = AXL_EXIT_FAIL;
out:
    for (i = 0; i < ll->n; i++)
        free(ll->slots[i].json);
    free(ll->slots);
    free(ll);
    return status;
}

static int cmd_list_long(struct cli *cli, const libxl_dominfo *info, int n)
{
    struct cmd_list_long *ll;
    struct job **jobs;
    int i;

    if (n == 0) {
        printf("[\n\n]\n");
        return out_flush_stdout() < 0 ? AXL_EXIT_FAIL : AXL_EXIT_OK;
    }
    ll = calloc(1, sizeof(*ll));
    jobs = calloc(n, sizeof(*jobs));
    if (!ll || !jobs || !(ll->slots = calloc(n, sizeof(*ll->slots)))) {
        free(ll);
        free(jobs);
        return error("list: out of memory"), AXL_EXIT_FAIL;
    }
    ll->cli = cli;
    for (i = 0; i < n; i++) {
        char *name = libxl_domid_to_name(loop_ctx(cli->lp), info[i].domid);

        jobs[i] = job_new(cli, OP_RETRIEVE, name ? name : "?");
        free(name);
        if (!jobs[i]) {
            while (i--)
                job_forget(cli, jobs[i]);
            free(jobs);
            free(ll->slots);
            free(ll);
            return error("list: out of memory"), AXL_EXIT_FAIL;
        }
        ll->slots[i].ll = ll;
        ll->slots[i].domid = info[i].domid;
        op_set_domid(job_op(jobs[i]), info[i].domid);
        job_on_done(jobs[i], cmd_list_long_done, &ll->slots[i]);
    }
    /*
     * ll is freed by the last job to finish, maybe inside job_run(): the
     * caller waits for the jobs, done or not, and takes their status.
     */
    ll->n = ll->left = n;
    for (i = 0; i < n; i++)
        job_run(jobs[i], 0);
    free(jobs);
    return CMD_PENDING;
}

static int cmd_list_run(struct cli *cli, struct cmd_call *call)
{
    libxl_dominfo *info = NULL, *sel = NULL;
    struct cmd_list_cols cols = {
        .verbose = cmd_flag(call, "verbose") > 0,
        .context = cmd_flag(call, "context") > 0,
        .cpupool = cmd_flag(call, "cpupool") > 0,
        .numa = cmd_flag(call, "numa") > 0,
    };
    libxl_ctx *ctx;
    int i, n = 0, nsel = 0, status = AXL_EXIT_FAIL;

    if (cmd_flag(call, "long") && cmd_flag(call, "json"))
        return error("list: -l prints JSON already: give -l or --json"),
               AXL_EXIT_USAGE;
    ctx = cli_libxl(cli);
    if (!ctx)
        return AXL_EXIT_FAIL;
    info = libxl_list_domain(ctx, &n);
    if (!info) {
        error("cannot list domains");
        goto out;
    }
    sel = calloc(n ? n : 1, sizeof(*sel));
    if (!sel) {
        error("list: out of memory");
        goto out;
    }
    if (call->argc == 0) {
        memcpy(sel, info, sizeof(*info) * n);
        nsel = n;
    }
    for (i = 0; i < call->argc; i++) {
        uint32_t domid;
        int k;

        if (cmd_resolve_domain(cli, call->argv[i], &domid, NULL) < 0)
            goto out;
        for (k = 0; k < n; k++)
            if (info[k].domid == domid && nsel < n)
                sel[nsel++] = info[k];
    }
    if (cmd_flag(call, "long")) {
        status = cmd_list_long(cli, sel, nsel);
        goto out;
    }
    if (cmd_flag(call, "json"))
        status = cmd_list_json(ctx, sel, nsel);
    else
        status = cmd_list_table(ctx, sel, nsel, &cols);
    if (out_flush_stdout() < 0)
        status = AXL_EXIT_FAIL;
out:
    free(sel);  /* shallow copies of info's entries */
    if (info)
        libxl_dominfo_list_free(info, n);
    return status;
}

const struct cmd_entry cmd_list_entry = {
    .name = "list",
    .summary = "list domains",
    .usage = "[options] [Domain ...]",
    .opts = cmd_list_opts,
    .min_args = 0,
    .max_args = -1,
    .first_arg = CMD_ARG_DOMAIN,
    .rest_args = CMD_ARG_DOMAIN,
    .run = cmd_list_run,
};

/* ---- rename ---- */

static int cmd_rename_run(struct cli *cli, struct cmd_call *call)
{
    const char *spec = call->argv[0], *to = call->argv[1], *why;
    char *old = NULL;
    uint32_t domid;
    int rc;

    if (!*to)
        return error("rename: the new name is empty"), AXL_EXIT_USAGE;
    if ((why = names_domain_invalid(to)))
        return error("rename: invalid domain name: %s", why), AXL_EXIT_USAGE;
    if (cmd_resolve_domain(cli, spec, &domid, NULL) < 0)
        return AXL_EXIT_FAIL;
    /* The name it has now: libxl renames only if it still has it. */
    old = libxl_domid_to_name(cli_libxl(cli), domid);
    log_clear_error(cli->log);
    rc = libxl_domain_rename(cli_libxl(cli), domid, old, to);
    free(old);
    if (rc)
        return cmd_libxl_failed(cli, rc, "cannot rename domain '%s' to "
                                "'%s'", spec, to), AXL_EXIT_FAIL;
    return AXL_EXIT_OK;
}

const struct cmd_entry cmd_rename_entry = {
    .name = "rename",
    .summary = "rename a domain",
    .usage = "<Domain> <NewName>",
    .min_args = 2,
    .max_args = 2,
    .first_arg = CMD_ARG_DOMAIN,
    .rest_args = CMD_ARG_OTHER,
    .flags = CMD_F_CHANGES,
    .run = cmd_rename_run,
};
