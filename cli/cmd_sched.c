/*
 * cmd_sched: rename, mem-set, mem-max, vcpu-pin, sched-credit,
 * sched-credit2, sched-rtds and the cpupool commands - xl's syntax and
 * output.  Every libxl call here is synchronous (none takes ao_how), made
 * inside the dispatcher's synchronous section, but for the one op
 * cpupool-numa-split may need (Domain-0's vCPUs); the command line is
 * checked in full before anything changes.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stddef.h>
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
#include "json.h"
#include "out.h"
#include "parse.h"

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

/* ---- mem-set, mem-max ---- */

static int cmd_mem_run(struct cli *cli, struct cmd_call *call, bool max)
{
    const char *spec = call->argv[0], *size = call->argv[1];
    uint32_t domid;
    uint64_t kb;
    int rc;

    if (parse_mem_kb(size, &kb) < 0)
        return error("%s: invalid memory size '%s' (MiB, or a number with "
                     "a b, k, m, g or t suffix)", call->cmd->name, size),
               AXL_EXIT_USAGE;
    if (cmd_resolve_domain(cli, spec, &domid, NULL) < 0)
        return AXL_EXIT_FAIL;
    log_clear_error(cli->log);
    if (max)
        rc = libxl_domain_setmaxmem(cli_libxl(cli), domid, kb);
    else
        rc = libxl_set_memory_target(cli_libxl(cli), domid, (int64_t)kb,
                                     0, 1);
    if (rc)
        return cmd_libxl_failed(cli, rc, "cannot set the %s of domain '%s' "
                                "to %s", max ? "maximum memory"
                                : "memory target", spec, size),
               AXL_EXIT_FAIL;
    return AXL_EXIT_OK;
}

static int cmd_mem_set_run(struct cli *cli, struct cmd_call *call)
{
    return cmd_mem_run(cli, call, false);
}

static int cmd_mem_max_run(struct cli *cli, struct cmd_call *call)
{
    return cmd_mem_run(cli, call, true);
}

const struct cmd_entry cmd_mem_set_entry = {
    .name = "mem-set",
    .summary = "set a domain's memory target (what its balloon aims at)",
    .usage = "<Domain> <Size>",
    .min_args = 2,
    .max_args = 2,
    .first_arg = CMD_ARG_DOMAIN,
    .rest_args = CMD_ARG_OTHER,
    .flags = CMD_F_CHANGES,
    .run = cmd_mem_set_run,
};

const struct cmd_entry cmd_mem_max_entry = {
    .name = "mem-max",
    .summary = "set the most memory a domain may have",
    .usage = "<Domain> <Size>",
    .min_args = 2,
    .max_args = 2,
    .first_arg = CMD_ARG_DOMAIN,
    .rest_args = CMD_ARG_OTHER,
    .flags = CMD_F_CHANGES,
    .run = cmd_mem_max_run,
};

/* ---- vcpu-pin ---- */

static const struct cmd_opt cmd_vcpu_pin_opts[] = {
    { 'f', "force", NULL, "undo an override pinning done by the guest's "
      "kernel (one vCPU, not all)" },
    { 'i', "ignore-global-affinity-masks", NULL,
      "do not apply xl.conf's vm.cpumask, vm.pv.cpumask, vm.hvm.cpumask" },
    { 0, "dry-run", NULL, "print the CPU maps as xl -N does; pin nothing" },
    { 0 },
};

/* Each map to pin to, as the words say: NULL for "-" (left alone). */
struct cmd_pin {
    long vcpu;                  /* -1: all */
    libxl_bitmap hard, soft;
    libxl_bitmap *hard_p, *soft_p;
};

/* One affinity word into map; *p_r is NULL for "-". */
static int cmd_pin_map(struct cli *cli, const char *what, const char *word,
                       libxl_bitmap *map, libxl_bitmap **p_r)
{
    *p_r = NULL;
    if (!word || !strcmp(word, "-"))
        return 0;
    if (libxl_cpu_bitmap_alloc(cli_libxl(cli), map, 0))
        return error("vcpu-pin: cannot allocate a cpu map");
    if (xlcfg_cpu_list(cli_libxl(cli), what, word, map, cmd_xlcfg_report,
                       NULL) < 0)
        return -1;
    *p_r = map;
    return 0;
}

/* xl -N vcpu-pin's line: "cpumap: HARD|- [SOFT]". */
static int cmd_pin_print(struct cli *cli, const struct cmd_pin *p)
{
    int n = libxl_get_max_cpus(cli_libxl(cli));

    if (n < 0)
        return error("vcpu-pin: cannot get the number of host cpus"),
               AXL_EXIT_FAIL;
    fputs("cpumap: ", stdout);
    if (p->hard_p)
        cmd_print_bitmap(stdout, p->hard_p, n);
    else
        fputs("-", stdout);
    if (p->soft_p) {
        fputs(" ", stdout);
        cmd_print_bitmap(stdout, p->soft_p, n);
    }
    fputs("\n", stdout);
    return out_flush_stdout() < 0 ? AXL_EXIT_FAIL : AXL_EXIT_OK;
}

/* The hard map within xl.conf's masks for the domain's type. */
static int cmd_pin_masks(struct cli *cli, uint32_t domid, struct cmd_pin *p)
{
    struct xlcfg_opts xo = { .report = cmd_xlcfg_report };
    libxl_dominfo info;
    int rc;

    libxl_dominfo_init(&info);
    log_clear_error(cli->log);
    rc = libxl_domain_info(cli_libxl(cli), &info, domid);
    if (rc)
        return cmd_libxl_failed(cli, rc, "vcpu-pin: cannot read domain %u",
                                domid);
    rc = xlcfg_global_affinity(cli_libxl(cli), &xo, info.domain_type,
                               p->hard_p);
    libxl_dominfo_dispose(&info);
    return rc;
}

static int cmd_pin_apply(struct cli *cli, struct cmd_call *call,
                         uint32_t domid, struct cmd_pin *p)
{
    libxl_ctx *ctx = cli_libxl(cli);
    libxl_vcpuinfo *vi;
    int rc, nr_vcpus = 0, nr_cpus = 0;

    log_clear_error(cli->log);
    if (cmd_flag(call, "force")) {
        rc = libxl_set_vcpuaffinity_force(ctx, domid, p->vcpu, p->hard_p,
                                          p->soft_p);
    } else if (p->vcpu >= 0) {
        rc = libxl_set_vcpuaffinity(ctx, domid, p->vcpu, p->hard_p,
                                    p->soft_p);
    } else {
        vi = libxl_list_vcpu(ctx, domid, &nr_vcpus, &nr_cpus);
        if (!vi)
            return cmd_libxl_failed(cli, ERROR_FAIL, "cannot list the "
                                    "vcpus of domain '%s'", call->argv[0]);
        libxl_vcpuinfo_list_free(vi, nr_vcpus);
        rc = libxl_set_vcpuaffinity_all(ctx, domid, nr_vcpus, p->hard_p,
                                        p->soft_p);
    }
    if (!rc)
        return 0;
    if (p->vcpu < 0)
        return cmd_libxl_failed(cli, rc, "cannot pin the vcpus of domain "
                                "'%s'", call->argv[0]);
    return cmd_libxl_failed(cli, rc, "cannot pin vcpu %ld of domain '%s'",
                            p->vcpu, call->argv[0]);
}

static int cmd_vcpu_pin_run(struct cli *cli, struct cmd_call *call)
{
    const char *vcpu = call->argv[1];
    struct cmd_pin p = { .vcpu = -1 };
    unsigned long v;
    uint32_t domid;
    int status = AXL_EXIT_USAGE;

    libxl_bitmap_init(&p.hard);
    libxl_bitmap_init(&p.soft);
    if (strcmp(vcpu, "all") && parse_uint(vcpu, INT32_MAX, &v) < 0)
        return error("vcpu-pin: invalid vcpu '%s' (a number or 'all')",
                     vcpu), AXL_EXIT_USAGE;
    if (strcmp(vcpu, "all"))
        p.vcpu = (long)v;
    else if (cmd_flag(call, "force"))
        return error("vcpu-pin: --force acts on one vcpu, not 'all'"),
               AXL_EXIT_USAGE;
    if (cmd_resolve_domain(cli, call->argv[0], &domid, NULL) < 0)
        return AXL_EXIT_FAIL;
    if (cmd_pin_map(cli, "hard affinity", call->argv[2], &p.hard,
                    &p.hard_p) < 0 ||
        cmd_pin_map(cli, "soft affinity", call->argc > 3 ? call->argv[3]
                    : NULL, &p.soft, &p.soft_p) < 0)
        goto out;
    status = AXL_EXIT_FAIL;
    if (cmd_flag(call, "dry-run")) {
        status = cmd_pin_print(cli, &p);
        goto out;
    }
    if (p.hard_p && !cmd_flag(call, "ignore-global-affinity-masks") &&
        cmd_pin_masks(cli, domid, &p) < 0)
        goto out;
    if (cmd_pin_apply(cli, call, domid, &p) == 0)
        status = AXL_EXIT_OK;
out:
    libxl_bitmap_dispose(&p.hard);
    libxl_bitmap_dispose(&p.soft);
    return status;
}

const struct cmd_entry cmd_vcpu_pin_entry = {
    .name = "vcpu-pin",
    .summary = "set which CPUs a domain's vCPU may run on",
    .usage = "[options] <Domain> <VCPU|all> <CPUs|-|all> [<CPUs|-|all>]",
    .opts = cmd_vcpu_pin_opts,
    .min_args = 3,
    .max_args = 4,
    .first_arg = CMD_ARG_DOMAIN,
    .rest_args = CMD_ARG_OTHER,
    .flags = CMD_F_CHANGES,
    .run = cmd_vcpu_pin_run,
};

/* ---- sched-credit, sched-credit2 ---- */

static const struct cmd_opt cmd_sched_credit_opts[] = {
    { 'd', "domain", "DOMAIN", "show or set this domain's weight and cap" },
    { 'w', "weight", "WEIGHT", "with -d: set the weight (1-65535)" },
    { 'c', "cap", "CAP", "with -d: set the cap, in percent of one CPU "
      "(0: none)" },
    { 's', "schedparam", NULL, "show or set the cpupool's scheduler "
      "parameters" },
    { 't', "tslice-ms", "TSLICE", "with -s: set the time slice, in "
      "milliseconds", "tslice_ms" },
    { 'r', "ratelimit-us", "RLIMIT", "with -s: set the rate limit, in "
      "microseconds", "ratelimit_us" },
    { 'm', "migration-delay-us", "DLY", "with -s: set the vCPU migration "
      "delay, in microseconds", "migration_delay_us" },
    { 'p', "cpupool", "CPUPOOL", "only this cpupool (with -s: its "
      "parameters)" },
    { 0, "json", NULL, "print the listing as one JSON document" },
    { 0 },
};

static const struct cmd_opt cmd_sched_credit2_opts[] = {
    { 'd', "domain", "DOMAIN", "show or set this domain's weight and cap" },
    { 'w', "weight", "WEIGHT", "with -d: set the weight (1-65535)" },
    { 'c', "cap", "CAP", "with -d: set the cap, in percent of one CPU "
      "(0: none)" },
    { 's', "schedparam", NULL, "show or set the cpupool's scheduler "
      "parameters" },
    { 'r', "ratelimit-us", "RLIMIT", "with -s: set the rate limit, in "
      "microseconds", "ratelimit_us" },
    { 'p', "cpupool", "CPUPOOL", "only this cpupool (with -s: its "
      "parameters)" },
    { 0, "json", NULL, "print the listing as one JSON document" },
    { 0 },
};

/* A cpupool's parameters under either scheduler. */
union cmd_sched_params {
    libxl_sched_credit_params credit;
    libxl_sched_credit2_params credit2;
};

/* The numbers a command line gave, by option. */
struct cmd_sched_req {
    unsigned given;                 /* PARSE_SCHED_* */
    int weight, cap, tslice, rate, delay;
};

/*
 * What differs between the schedulers: one row each.  A scheduler
 * without cpupool parameters (RTDS) has no get, set, apply or to_json.
 */
struct cmd_sched_kind {
    libxl_scheduler sched;
    int (*get)(libxl_ctx *ctx, uint32_t poolid, union cmd_sched_params *p);
    int (*set)(libxl_ctx *ctx, uint32_t poolid, union cmd_sched_params *p);
    /* The request's values into p (read first when there is a get). */
    void (*apply)(const struct cmd_sched_req *r, union cmd_sched_params *p);
    /* xl's "Cpupool NAME: ..." line, after the name. */
    void (*print)(const union cmd_sched_params *p);
    char *(*to_json)(libxl_ctx *ctx, union cmd_sched_params *p);
    /* xl's header over the domains, and one domain's row. */
    void (*header)(void);
    void (*row)(const char *name, uint32_t domid,
                const libxl_domain_sched_params *p);
};

/* The credit schedulers' domain columns. */
static void cmd_credit_header(void)
{
    printf("%-33s %4s %6s %4s\n", "Name", "ID", "Weight", "Cap");
}

static void cmd_credit_row(const char *name, uint32_t domid,
                           const libxl_domain_sched_params *p)
{
    printf("%-33s %4d %6d %4d\n", name, (int)domid, p->weight, p->cap);
}

static int cmd_credit_get(libxl_ctx *ctx, uint32_t poolid,
                          union cmd_sched_params *p)
{
    return libxl_sched_credit_params_get(ctx, poolid, &p->credit);
}

static int cmd_credit_set(libxl_ctx *ctx, uint32_t poolid,
                          union cmd_sched_params *p)
{
    return libxl_sched_credit_params_set(ctx, poolid, &p->credit);
}

static void cmd_credit_apply(const struct cmd_sched_req *r,
                             union cmd_sched_params *p)
{
    if (r->given & PARSE_SCHED_TSLICE)
        p->credit.tslice_ms = r->tslice;
    if (r->given & PARSE_SCHED_RATE)
        p->credit.ratelimit_us = r->rate;
    if (r->given & PARSE_SCHED_DELAY)
        p->credit.vcpu_migr_delay_us = r->delay;
}

static void cmd_credit_print(const union cmd_sched_params *p)
{
    printf("tslice=%dms ratelimit=%dus migration-delay=%dus\n",
           p->credit.tslice_ms, p->credit.ratelimit_us,
           p->credit.vcpu_migr_delay_us);
}

static char *cmd_credit_json(libxl_ctx *ctx, union cmd_sched_params *p)
{
    return libxl_sched_credit_params_to_json(ctx, &p->credit);
}

static int cmd_credit2_get(libxl_ctx *ctx, uint32_t poolid,
                           union cmd_sched_params *p)
{
    return libxl_sched_credit2_params_get(ctx, poolid, &p->credit2);
}

static int cmd_credit2_set(libxl_ctx *ctx, uint32_t poolid,
                           union cmd_sched_params *p)
{
    return libxl_sched_credit2_params_set(ctx, poolid, &p->credit2);
}

static void cmd_credit2_apply(const struct cmd_sched_req *r,
                              union cmd_sched_params *p)
{
    p->credit2.ratelimit_us = r->rate;
}

static void cmd_credit2_print(const union cmd_sched_params *p)
{
    printf("ratelimit=%dus\n", p->credit2.ratelimit_us);
}

static char *cmd_credit2_json(libxl_ctx *ctx, union cmd_sched_params *p)
{
    return libxl_sched_credit2_params_to_json(ctx, &p->credit2);
}

/* RTDS: no cpupool parameters; a domain's period, budget, extratime. */
static void cmd_rtds_print(const union cmd_sched_params *p)
{
    (void)p;
    printf("sched=RTDS\n");
}

static void cmd_rtds_header(void)
{
    printf("%-33s %4s %9s %9s %10s\n", "Name", "ID", "Period", "Budget",
           "Extratime");
}

static void cmd_rtds_row(const char *name, uint32_t domid,
                         const libxl_domain_sched_params *p)
{
    printf("%-33s %4d %9d %9d %10s\n", name, (int)domid, p->period,
           p->budget, p->extratime ? "yes" : "no");
}

static const struct cmd_sched_kind cmd_sched_credit = {
    LIBXL_SCHEDULER_CREDIT, cmd_credit_get, cmd_credit_set,
    cmd_credit_apply, cmd_credit_print, cmd_credit_json,
    cmd_credit_header, cmd_credit_row,
};

static const struct cmd_sched_kind cmd_sched_credit2 = {
    LIBXL_SCHEDULER_CREDIT2, cmd_credit2_get, cmd_credit2_set,
    cmd_credit2_apply, cmd_credit2_print, cmd_credit2_json,
    cmd_credit_header, cmd_credit_row,
};

static const struct cmd_sched_kind cmd_sched_rtds = {
    LIBXL_SCHEDULER_RTDS, NULL, NULL, NULL, cmd_rtds_print, NULL,
    cmd_rtds_header, cmd_rtds_row,
};

/* The number options and their bits; -1 after reporting a bad one. */
static int cmd_sched_req(struct cmd_call *call, struct cmd_sched_req *r)
{
    static const struct { const char *opt; unsigned bit; size_t off; } n[] = {
        { "weight", PARSE_SCHED_WEIGHT, offsetof(struct cmd_sched_req,
                                                 weight) },
        { "cap", PARSE_SCHED_CAP, offsetof(struct cmd_sched_req, cap) },
        { "tslice-ms", PARSE_SCHED_TSLICE, offsetof(struct cmd_sched_req,
                                                    tslice) },
        { "ratelimit-us", PARSE_SCHED_RATE, offsetof(struct cmd_sched_req,
                                                     rate) },
        { "migration-delay-us", PARSE_SCHED_DELAY,
          offsetof(struct cmd_sched_req, delay) },
    };
    char err[256];
    unsigned long v;
    size_t i;

    memset(r, 0, sizeof(*r));
    r->given = (cmd_opt(call, "domain") ? PARSE_SCHED_DOMAIN : 0) |
               (cmd_flag(call, "schedparam") ? PARSE_SCHED_PARAM : 0) |
               (cmd_opt(call, "cpupool") ? PARSE_SCHED_POOL : 0) |
               (cmd_flag(call, "json") ? PARSE_SCHED_JSON : 0);
    for (i = 0; i < sizeof(n) / sizeof(n[0]); i++) {
        const char *s = cmd_opt(call, n[i].opt);

        if (!s)
            continue;
        if (parse_uint(s, INT32_MAX, &v) < 0)
            return error("%s: invalid value '%s' for --%s (a whole number)",
                         call->cmd->name, s, n[i].opt);
        *(int *)((char *)r + n[i].off) = (int)v;
        r->given |= n[i].bit;
    }
    if (parse_sched_check(r->given, err, sizeof(err)) < 0)
        return error("%s: %s", call->cmd->name, err);
    return 0;
}

/*
 * The pool's scheduler is k's, or say why not (setting values of
 * another scheduler only fails deep in Xen).
 */
static int cmd_sched_pool_is(struct cli *cli, const struct cmd_sched_kind *k,
                             uint32_t poolid, const char *what)
{
    libxl_cpupoolinfo info;
    int rc, ok;

    libxl_cpupoolinfo_init(&info);
    log_clear_error(cli->log);
    rc = libxl_cpupool_info(cli_libxl(cli), &info, poolid);
    if (rc)
        return cmd_libxl_failed(cli, rc, "cannot set %s: cannot read "
                                "cpupool %u", what, poolid);
    ok = info.sched == k->sched;
    if (!ok)
        error("cannot set %s: cpupool '%s' runs the %s scheduler, not %s",
              what, info.pool_name, libxl_scheduler_to_string(info.sched),
              libxl_scheduler_to_string(k->sched));
    libxl_cpupoolinfo_dispose(&info);
    return ok ? 0 : -1;
}

/* xl's line for one pool: "Cpupool NAME: PARAMS". */
static void cmd_sched_pool_line(struct cli *cli,
                                const struct cmd_sched_kind *k,
                                uint32_t poolid, struct json *j)
{
    char *name = libxl_cpupoolid_to_name(cli_libxl(cli), poolid);
    union cmd_sched_params p;
    int rc;

    memset(&p, 0, sizeof(p));
    rc = k->get ? k->get(cli_libxl(cli), poolid, &p) : 0;
    log_clear_error(cli->log);      /* unavailable is said in the line */
    if (j) {
        char *json = rc || !k->to_json ? NULL
                                       : k->to_json(cli_libxl(cli), &p);

        json_kstr(j, "cpupool", name);
        json_kuint(j, "poolid", poolid);
        json_kraw(j, "params", json);
        free(json);
    } else if (rc) {
        printf("Cpupool %s: [sched params unavailable]\n", name);
    } else {
        printf("Cpupool %s: ", name);
        k->print(&p);
    }
    free(name);
}

/* -s: show, or with -t/-r/-m set, the pool's parameters. */
static int cmd_sched_param(struct cli *cli, struct cmd_call *call,
                           const struct cmd_sched_kind *k,
                           const struct cmd_sched_req *r)
{
    const char *pool = cmd_opt(call, "cpupool");
    union cmd_sched_params p;
    struct json j;
    uint32_t poolid = 0;
    char what[160], *name;
    int rc;

    if (pool && cmd_resolve_cpupool(cli, pool, &poolid) < 0)
        return AXL_EXIT_FAIL;
    if (!cli_libxl(cli))
        return AXL_EXIT_FAIL;
    if (!(r->given & PARSE_SCHED_SETS)) {
        json_init(&j, stdout);
        if (r->given & PARSE_SCHED_JSON)
            json_open(&j, '{');
        cmd_sched_pool_line(cli, k, poolid, r->given & PARSE_SCHED_JSON
                                            ? &j : NULL);
        if (r->given & PARSE_SCHED_JSON)
            json_end(&j);
        return out_flush_stdout() < 0 ? AXL_EXIT_FAIL : AXL_EXIT_OK;
    }
    name = libxl_cpupoolid_to_name(cli_libxl(cli), poolid);
    snprintf(what, sizeof(what), "the %s parameters of cpupool '%s'",
             libxl_scheduler_to_string(k->sched), name ? name : "?");
    free(name);
    if (cmd_sched_pool_is(cli, k, poolid, what) < 0)
        return AXL_EXIT_FAIL;
    memset(&p, 0, sizeof(p));
    log_clear_error(cli->log);
    rc = k->get(cli_libxl(cli), poolid, &p);
    if (!rc) {
        k->apply(r, &p);
        rc = k->set(cli_libxl(cli), poolid, &p);
    }
    if (rc)
        return cmd_libxl_failed(cli, rc, "cannot set %s", what),
               AXL_EXIT_FAIL;
    return AXL_EXIT_OK;
}

/*
 * A domain's parameters under k's scheduler into *p (disposed of by the
 * caller on success); -1 after reporting, also when the domain's
 * cpupool runs another scheduler.  label names the domain in messages.
 */
static int cmd_sched_dom_get(struct cli *cli, const struct cmd_sched_kind *k,
                             uint32_t domid, const char *label,
                             libxl_domain_sched_params *p)
{
    int rc;

    log_clear_error(cli->log);
    rc = libxl_domain_sched_params_get(cli_libxl(cli), domid, p);
    if (rc)
        return cmd_libxl_failed(cli, rc, "cannot read the scheduler "
                                "parameters of domain '%s'", label);
    if (p->sched == k->sched)
        return 0;
    error("domain '%s' is not under the %s scheduler: its cpupool runs %s",
          label, libxl_scheduler_to_string(k->sched),
          libxl_scheduler_to_string(p->sched));
    libxl_domain_sched_params_dispose(p);
    return -1;
}

/* Whether domid is under k's scheduler: 0, or -1 after reporting. */
static int cmd_sched_dom_check(struct cli *cli, const struct cmd_sched_kind *k,
                               uint32_t domid, const char *label)
{
    libxl_domain_sched_params p;

    if (cmd_sched_dom_get(cli, k, domid, label, &p) < 0)
        return -1;
    libxl_domain_sched_params_dispose(&p);
    return 0;
}

/* A domain's { "name", "domid", "params" } object; json is freed. */
static void cmd_sched_dom_json(struct json *j, const char *name,
                               uint32_t domid, char *json)
{
    json_open(j, '{');
    json_kstr(j, "name", name);
    json_kuint(j, "domid", domid);
    json_kraw(j, "params", json);
    json_close(j);
    free(json);
}

/* One domain's row as xl prints it, or its JSON object. */
static void cmd_sched_dom_out(struct cli *cli, const struct cmd_sched_kind *k,
                              uint32_t domid, libxl_domain_sched_params *p,
                              struct json *j)
{
    char *name = libxl_domid_to_name(cli_libxl(cli), domid);

    if (!j)
        k->row(name ? name : "(null)", domid, p);
    else
        cmd_sched_dom_json(j, name, domid,
                           libxl_domain_sched_params_to_json(cli_libxl(cli),
                                                             p));
    free(name);
}

/*
 * How a listing shows one domain of a pool: 0, or -1 after reporting
 * (label names the domain).  A domain's parameters, or (sched-rtds -v)
 * its vCPUs', user being the view's.
 */
typedef int cmd_sched_rows_fn(struct cli *cli, const struct cmd_sched_kind *k,
                              uint32_t domid, const char *label,
                              struct json *j, const void *user);

static int cmd_sched_dom_rows(struct cli *cli, const struct cmd_sched_kind *k,
                              uint32_t domid, const char *label,
                              struct json *j, const void *user)
{
    libxl_domain_sched_params p;

    if (cmd_sched_dom_get(cli, k, domid, label, &p) < 0)
        return -1;
    cmd_sched_dom_out(cli, k, domid, &p, j);
    libxl_domain_sched_params_dispose(&p);
    return 0;
}

/* What a listing prints over a pool's domains, and each domain. */
struct cmd_sched_view {
    void (*header)(void);
    cmd_sched_rows_fn *rows;
    const void *user;
};

/* One domain shown (-d): the view's header and rows, or its object. */
static int cmd_sched_dom_show(struct cli *cli, const struct cmd_sched_kind *k,
                              const struct cmd_sched_view *v, uint32_t domid,
                              const char *spec, bool json)
{
    struct json j;

    json_init(&j, stdout);
    /* Checked first: a domain under another scheduler prints nothing. */
    if (cmd_sched_dom_check(cli, k, domid, spec) < 0)
        return AXL_EXIT_FAIL;
    if (!json)
        v->header();
    if (v->rows(cli, k, domid, spec, json ? &j : NULL, v->user) < 0)
        return AXL_EXIT_FAIL;
    if (json)
        json_end(&j);
    return out_flush_stdout() < 0 ? AXL_EXIT_FAIL : AXL_EXIT_OK;
}

/* -d: show one domain, or with -w/-c set its values. */
static int cmd_sched_domain(struct cli *cli, struct cmd_call *call,
                            const struct cmd_sched_kind *k,
                            const struct cmd_sched_req *r)
{
    const char *spec = cmd_opt(call, "domain");
    const struct cmd_sched_view v = { k->header, cmd_sched_dom_rows, NULL };
    libxl_domain_sched_params p;
    uint32_t domid;
    int rc;

    if (cmd_resolve_domain(cli, spec, &domid, NULL) < 0)
        return AXL_EXIT_FAIL;
    if (!(r->given & PARSE_SCHED_SETS))
        return cmd_sched_dom_show(cli, k, &v, domid, spec,
                                  r->given & PARSE_SCHED_JSON);
    if (cmd_sched_dom_check(cli, k, domid, spec) < 0)
        return AXL_EXIT_FAIL;
    libxl_domain_sched_params_init(&p);
    p.sched = k->sched;
    if (r->given & PARSE_SCHED_WEIGHT)
        p.weight = r->weight;
    if (r->given & PARSE_SCHED_CAP)
        p.cap = r->cap;
    log_clear_error(cli->log);
    rc = libxl_domain_sched_params_set(cli_libxl(cli), domid, &p);
    libxl_domain_sched_params_dispose(&p);
    if (rc)
        return cmd_libxl_failed(cli, rc, "cannot set the %s parameters of "
                                "domain '%s'",
                                libxl_scheduler_to_string(k->sched), spec),
               AXL_EXIT_FAIL;
    return AXL_EXIT_OK;
}

/* The rows of the domains in pool poolid; -1 if one could not be read. */
static int cmd_sched_pool_doms(struct cli *cli,
                               const struct cmd_sched_kind *k,
                               const struct cmd_sched_view *v,
                               uint32_t poolid, const libxl_dominfo *info,
                               int n, struct json *j)
{
    char label[16];
    int i, rc = 0;

    for (i = 0; i < n; i++) {
        if (info[i].cpupool != poolid)
            continue;
        snprintf(label, sizeof(label), "%u", info[i].domid);
        if (v->rows(cli, k, info[i].domid, label, j, v->user) < 0)
            rc = -1;
    }
    return rc;
}

/* One pool of the listing: its line, the header, its domains' rows. */
static int cmd_sched_pool(struct cli *cli, const struct cmd_sched_kind *k,
                          const struct cmd_sched_view *v, uint32_t poolid,
                          const libxl_dominfo *info, int n, struct json *j)
{
    int rc;

    if (!j) {
        cmd_sched_pool_line(cli, k, poolid, NULL);
        v->header();
        return cmd_sched_pool_doms(cli, k, v, poolid, info, n, NULL);
    }
    json_open(j, '{');
    cmd_sched_pool_line(cli, k, poolid, j);
    json_key(j, "domains");
    json_open(j, '[');
    rc = cmd_sched_pool_doms(cli, k, v, poolid, info, n, j);
    json_close(j);
    json_close(j);
    return rc;
}

/*
 * No -d, no -s: every pool running k's scheduler (or only pool, when not
 * NULL), as xl lists them; with json one array.
 */
static int cmd_sched_list(struct cli *cli, struct cmd_call *call,
                          const struct cmd_sched_kind *k,
                          const struct cmd_sched_view *v, const char *pool,
                          bool json)
{
    libxl_cpupoolinfo *pools = NULL;
    libxl_dominfo *info = NULL;
    struct json j, *jp = NULL;
    uint32_t poolid = 0;
    int i, n = 0, np = 0, status = AXL_EXIT_FAIL;

    if (pool && cmd_resolve_cpupool(cli, pool, &poolid) < 0)
        return AXL_EXIT_FAIL;
    if (!cli_libxl(cli))
        return AXL_EXIT_FAIL;
    info = libxl_list_domain(cli_libxl(cli), &n);
    pools = info ? libxl_list_cpupool(cli_libxl(cli), &np) : NULL;
    if (!pools) {
        error("%s: cannot list the %s", call->cmd->name,
              info ? "cpupools" : "domains");
        goto out;
    }
    json_init(&j, stdout);
    if (json) {
        jp = &j;
        json_open(jp, '[');
    }
    status = AXL_EXIT_OK;
    for (i = 0; i < np; i++) {
        if (pools[i].sched != k->sched || (pool && pools[i].poolid != poolid))
            continue;
        if (cmd_sched_pool(cli, k, v, pools[i].poolid, info, n, jp) < 0)
            status = AXL_EXIT_FAIL;
    }
    if (jp)
        json_end(jp);
    if (out_flush_stdout() < 0)
        status = AXL_EXIT_FAIL;
out:
    if (pools)
        libxl_cpupoolinfo_list_free(pools, np);
    if (info)
        libxl_dominfo_list_free(info, n);
    return status;
}

static int cmd_sched_run(struct cli *cli, struct cmd_call *call,
                         const struct cmd_sched_kind *k)
{
    struct cmd_sched_view v = { NULL, cmd_sched_dom_rows, NULL };
    struct cmd_sched_req r;

    if (cmd_sched_req(call, &r) < 0)
        return AXL_EXIT_USAGE;
    if (r.given & PARSE_SCHED_PARAM)
        return cmd_sched_param(cli, call, k, &r);
    if (r.given & PARSE_SCHED_DOMAIN)
        return cmd_sched_domain(cli, call, k, &r);
    v.header = k->header;
    return cmd_sched_list(cli, call, k, &v, cmd_opt(call, "cpupool"),
                          r.given & PARSE_SCHED_JSON);
}

static int cmd_sched_credit_run(struct cli *cli, struct cmd_call *call)
{
    return cmd_sched_run(cli, call, &cmd_sched_credit);
}

static int cmd_sched_credit2_run(struct cli *cli, struct cmd_call *call)
{
    return cmd_sched_run(cli, call, &cmd_sched_credit2);
}

const struct cmd_entry cmd_sched_credit_entry = {
    .name = "sched-credit",
    .summary = "show or set credit scheduler parameters",
    .usage = "[-d <Domain> [-w WEIGHT] [-c CAP]] [-s [-t TSLICE] "
             "[-r RLIMIT] [-m DLY]] [-p CPUPOOL] [--json]",
    .opts = cmd_sched_credit_opts,
    .min_args = 0,
    .max_args = 0,
    .flags = CMD_F_CHANGES,
    .run = cmd_sched_credit_run,
};

const struct cmd_entry cmd_sched_credit2_entry = {
    .name = "sched-credit2",
    .summary = "show or set credit2 scheduler parameters",
    .usage = "[-d <Domain> [-w WEIGHT] [-c CAP]] [-s [-r RLIMIT]] "
             "[-p CPUPOOL] [--json]",
    .opts = cmd_sched_credit2_opts,
    .min_args = 0,
    .max_args = 0,
    .flags = CMD_F_CHANGES,
    .run = cmd_sched_credit2_run,
};

/* ---- sched-rtds ---- */

static const struct cmd_opt cmd_sched_rtds_opts[] = {
    { 'd', "domain", "DOMAIN", "show or set this domain's vcpus" },
    { 'v', "vcpuid", "VCPUID", "with -d: a vcpu to show or set (repeat "
      "for more), or 'all'; without -d, 'all' lists every vcpu" },
    { 'p', "period", "PERIOD", "with -v: the vcpu's period, in "
      "microseconds (one for each -v)" },
    { 'b', "budget", "BUDGET", "with -v: the vcpu's budget, in "
      "microseconds (one for each -v)" },
    { 'e', "extratime", "EXTRATIME", "with -v: 1 if the vcpu may run "
      "beyond its budget in idle time, else 0 (one for each -v)" },
    { 'c', "cpupool", "CPUPOOL", "only this cpupool" },
    { 0, "json", NULL, "print the listing as one JSON document" },
    { 0 },
};

static void cmd_rtds_vcpu_header(void)
{
    printf("%-33s %4s %4s %9s %9s %10s\n", "Name", "ID", "VCPU", "Period",
           "Budget", "Extratime");
}

/*
 * A domain's vCPUs: those user (a libxl_vcpu_sched_params) names, or
 * every one when it names none; as xl's rows or one JSON object.
 */
static int cmd_rtds_vcpu_rows(struct cli *cli, const struct cmd_sched_kind *k,
                              uint32_t domid, const char *label,
                              struct json *j, const void *user)
{
    const libxl_vcpu_sched_params *want = user;
    libxl_ctx *ctx = cli_libxl(cli);
    libxl_vcpu_sched_params s;
    char *name;
    int i, rc;

    libxl_vcpu_sched_params_init(&s);
    log_clear_error(cli->log);
    if (want && want->num_vcpus > 0) {
        libxl_vcpu_sched_params_copy(ctx, &s, want);
        rc = libxl_vcpu_sched_params_get(ctx, domid, &s);
    } else {
        rc = libxl_vcpu_sched_params_get_all(ctx, domid, &s);
    }
    if (rc) {
        libxl_vcpu_sched_params_dispose(&s);
        return cmd_libxl_failed(cli, rc, "cannot read the %s parameters of "
                                "the vcpus of domain '%s'",
                                libxl_scheduler_to_string(k->sched), label);
    }
    name = libxl_domid_to_name(ctx, domid);
    for (i = 0; !j && i < s.num_vcpus; i++)
        printf("%-33s %4d %4d %9" PRIu32 " %9" PRIu32 " %10s\n",
               name ? name : "(null)", (int)domid, s.vcpus[i].vcpuid,
               (uint32_t)s.vcpus[i].period, (uint32_t)s.vcpus[i].budget,
               s.vcpus[i].extratime ? "yes" : "no");
    if (j)
        cmd_sched_dom_json(j, name, domid,
                           libxl_vcpu_sched_params_to_json(ctx, &s));
    free(name);
    libxl_vcpu_sched_params_dispose(&s);
    return 0;
}

/* One number option's i-th value: 0, or -1 after reporting. */
static int cmd_rtds_num(struct cmd_call *call, const char *opt, int i,
                        unsigned long max, const char *what, int *v_r)
{
    const char *s = cmd_opt_value(call, opt, i);
    unsigned long v;

    if (!s || parse_uint(s, max, &v) < 0)
        return error("sched-rtds: invalid value '%s' for --%s (%s)",
                     s ? s : "", opt, what);
    *v_r = (int)v;
    return 0;
}

/* The vCPUs of -v (and with -p, -b, -e their values) into *s. */
static int cmd_rtds_vcpus(struct cmd_call *call, const struct parse_rtds *n,
                          libxl_vcpu_sched_params *s)
{
    bool sets = n->period > 0;
    int i, k = 0;

    s->num_vcpus = n->all ? sets : n->vcpus;
    s->vcpus = calloc(s->num_vcpus + 1, sizeof(*s->vcpus));
    if (!s->vcpus)
        return error("sched-rtds: out of memory");
    for (i = 0; i < s->num_vcpus; i++)
        libxl_sched_params_init(&s->vcpus[i]);
    for (i = 0; cmd_opt_value(call, "vcpuid", i); i++) {
        if (!strcmp(cmd_opt_value(call, "vcpuid", i), "all"))
            continue;
        if (cmd_rtds_num(call, "vcpuid", i, INT32_MAX,
                         "a vcpu number or 'all'", &s->vcpus[k++].vcpuid))
            return -1;
    }
    for (i = 0; sets && i < s->num_vcpus; i++) {
        libxl_sched_params *v = &s->vcpus[i];

        if (cmd_rtds_num(call, "period", i, INT32_MAX, "microseconds",
                         &v->period) < 0 ||
            cmd_rtds_num(call, "budget", i, INT32_MAX, "microseconds",
                         &v->budget) < 0 ||
            cmd_rtds_num(call, "extratime", i, 1, "1 or 0",
                         &v->extratime) < 0)
            return -1;
    }
    return 0;
}

/* The options counted, checked, and read into *s: 0, or -1. */
static int cmd_rtds_req(struct cmd_call *call, struct parse_rtds *n,
                        libxl_vcpu_sched_params *s)
{
    const char *v;
    char err[256];
    int i;

    memset(n, 0, sizeof(*n));
    n->domain = cmd_flag(call, "domain");
    n->cpupool = cmd_flag(call, "cpupool");
    n->json = cmd_flag(call, "json");
    n->period = cmd_flag(call, "period");
    n->budget = cmd_flag(call, "budget");
    n->extratime = cmd_flag(call, "extratime");
    for (i = 0; (v = cmd_opt_value(call, "vcpuid", i)); i++) {
        if (!strcmp(v, "all"))
            n->all++;
        else
            n->vcpus++;
    }
    if (parse_rtds_check(n, err, sizeof(err)) < 0)
        return error("sched-rtds: %s", err);
    return cmd_rtds_vcpus(call, n, s);
}

/* -d with -v and -p, -b, -e: set the vCPUs' values. */
static int cmd_rtds_set(struct cli *cli, uint32_t domid, const char *spec,
                        bool all, libxl_vcpu_sched_params *s)
{
    int rc;

    if (cmd_sched_dom_check(cli, &cmd_sched_rtds, domid, spec) < 0)
        return AXL_EXIT_FAIL;
    s->sched = LIBXL_SCHEDULER_RTDS;
    log_clear_error(cli->log);
    if (all)
        rc = libxl_vcpu_sched_params_set_all(cli_libxl(cli), domid, s);
    else
        rc = libxl_vcpu_sched_params_set(cli_libxl(cli), domid, s);
    if (rc)
        return cmd_libxl_failed(cli, rc, "cannot set the rtds parameters "
                                "of the vcpus of domain '%s'", spec),
               AXL_EXIT_FAIL;
    return AXL_EXIT_OK;
}

/* -d: show the domain, or its vCPUs (-v), or set them (-p, -b, -e). */
static int cmd_rtds_domain(struct cli *cli, struct cmd_call *call,
                           const struct parse_rtds *n,
                           libxl_vcpu_sched_params *s)
{
    const char *spec = cmd_opt(call, "domain");
    struct cmd_sched_view v = { cmd_rtds_header, cmd_sched_dom_rows, NULL };
    uint32_t domid;

    if (cmd_resolve_domain(cli, spec, &domid, NULL) < 0)
        return AXL_EXIT_FAIL;
    if (n->period)
        return cmd_rtds_set(cli, domid, spec, n->all > 0, s);
    if (n->vcpus || n->all) {
        v.header = cmd_rtds_vcpu_header;
        v.rows = cmd_rtds_vcpu_rows;
        v.user = s;
    }
    return cmd_sched_dom_show(cli, &cmd_sched_rtds, &v, domid, spec,
                              n->json > 0);
}

static int cmd_sched_rtds_run(struct cli *cli, struct cmd_call *call)
{
    struct cmd_sched_view v = { cmd_rtds_header, cmd_sched_dom_rows, NULL };
    libxl_vcpu_sched_params s;
    struct parse_rtds n;
    int status = AXL_EXIT_USAGE;

    libxl_vcpu_sched_params_init(&s);
    if (cmd_rtds_req(call, &n, &s) < 0)
        goto out;
    if (n.domain) {
        status = cmd_rtds_domain(cli, call, &n, &s);
        goto out;
    }
    if (n.all) {
        v.header = cmd_rtds_vcpu_header;
        v.rows = cmd_rtds_vcpu_rows;
    }
    status = cmd_sched_list(cli, call, &cmd_sched_rtds, &v,
                            cmd_opt(call, "cpupool"), n.json > 0);
out:
    libxl_vcpu_sched_params_dispose(&s);
    return status;
}

const struct cmd_entry cmd_sched_rtds_entry = {
    .name = "sched-rtds",
    .summary = "show or set rtds scheduler parameters",
    .usage = "[-d <Domain> [-v VCPUID|all [-p PERIOD -b BUDGET "
             "-e EXTRATIME]]...] [-c CPUPOOL] [--json]",
    .opts = cmd_sched_rtds_opts,
    .min_args = 0,
    .max_args = 0,
    .flags = CMD_F_CHANGES,
    .run = cmd_sched_rtds_run,
};

/* ---- cpupool-create ---- */

static const struct cmd_opt cmd_cpupool_create_opts[] = {
    { 'f', "config", "FILE", "read the cpupool configuration from FILE",
      "defconfig" },
    { 'n', "dry-run", NULL, "print what would be created; create nothing",
      "dryrun" },
    { 0 },
};

/* What cpupool-create makes, once the configuration is read. */
struct cmd_pool_new {
    const char *source;     /* the file, or "command line" */
    char *name;
    libxl_scheduler sched;
    libxl_bitmap cpus;
    int n_cpus;
};

/* The config file and the key=value words, as xl tells them apart. */
static int cmd_pool_words(struct cmd_call *call, struct xlcfg_opts *xo,
                          const char **over)
{
    int i;

    xo->path = cmd_opt(call, "config");
    for (i = 0; i < call->argc; i++) {
        if (strchr(call->argv[i], '=')) {
            over[xo->n_overrides++] = call->argv[i];
        } else if (!xo->path) {
            xo->path = call->argv[i];
        } else {
            char u[256];

            return error("cpupool-create: unexpected argument '%s': one "
                         "config file (usage: %s)", call->argv[i],
                         cmd_usage(call->cmd, u, sizeof(u)));
        }
    }
    xo->overrides = over;
    return 0;
}

/* The free CPUs of the nodes in nodes into *cpus. */
static int cmd_pool_nodes(struct cli *cli, const libxl_bitmap *nodes,
                          const libxl_bitmap *free_map, struct cmd_pool_new *p)
{
    libxl_cputopology *topo;
    int i, nr = 0;

    topo = libxl_get_cpu_topology(cli_libxl(cli), &nr);
    if (!topo)
        return error("cannot create cpupool '%s': cannot read the cpu "
                     "topology", p->name);
    for (i = 0; i < nr; i++) {
        if (topo[i].node == LIBXL_CPUTOPOLOGY_INVALID_ENTRY ||
            !libxl_bitmap_test(nodes, topo[i].node) ||
            !libxl_bitmap_test(free_map, i))
            continue;
        libxl_bitmap_set(&p->cpus, i);
        p->n_cpus++;
    }
    libxl_cputopology_list_free(topo, nr);
    if (p->n_cpus == 0)
        return error("cannot create cpupool '%s': the nodes given have no "
                     "free cpu", p->name);
    return 0;
}

/* The CPUs the configuration names, each of them free. */
static int cmd_pool_cpus(struct cli *cli, const struct xlcfg_cpupool *cfg,
                         struct cmd_pool_new *p)
{
    libxl_bitmap free_map;
    int i, rc = -1;

    libxl_bitmap_init(&free_map);
    if (libxl_cpu_bitmap_alloc(cli_libxl(cli), &p->cpus, 0) ||
        libxl_get_freecpus(cli_libxl(cli), &free_map)) {
        error("cannot create cpupool '%s': cannot read the free cpus",
              p->name);
        goto out;
    }
    if (cfg->from == XLCFG_POOL_NODES) {
        rc = cmd_pool_nodes(cli, &cfg->map, &free_map, p);
        goto out;
    }
    libxl_for_each_set_bit(i, cfg->map) {
        if (!libxl_bitmap_test(&free_map, i)) {
            error("cannot create cpupool '%s': cpu %d is not free (it is "
                  "in a cpupool, or does not exist)", p->name, i);
            goto out;
        }
        libxl_bitmap_set(&p->cpus, i);
        p->n_cpus++;
    }
    rc = 0;
out:
    libxl_bitmap_dispose(&free_map);
    return rc;
}

/* Name, scheduler and CPUs from the configuration, checked on the host. */
static int cmd_pool_plan(struct cli *cli, const struct xlcfg_opts *xo,
                         const struct xlcfg_cpupool *cfg,
                         struct cmd_pool_new *p)
{
    uint32_t id;
    int s;

    p->source = xo->path ? xo->path : "command line";
    p->name = cfg->name ? strdup(cfg->name)
              : xo->path ? libxl_basename(xo->path) : NULL;
    if (!p->name)
        return error("cpupool-create: the cpupool has no name (give "
                     "name=...)");
    if (!libxl_name_to_cpupoolid(cli_libxl(cli), p->name, &id))
        return error("cannot create cpupool '%s': a cpupool of that name "
                     "exists", p->name);
    if (cfg->has_sched) {
        p->sched = cfg->sched;
    } else {
        log_clear_error(cli->log);
        s = libxl_get_scheduler(cli_libxl(cli));
        if (s < 0)
            return cmd_libxl_failed(cli, s, "cannot create cpupool '%s': "
                                    "cannot read the default scheduler",
                                    p->name);
        p->sched = (libxl_scheduler)s;
    }
    return cmd_pool_cpus(cli, cfg, p);
}

static int cmd_pool_create(struct cli *cli, const struct cmd_pool_new *p)
{
    uint32_t poolid = LIBXL_CPUPOOL_POOLID_ANY;
    libxl_uuid uuid;
    int rc;

    libxl_uuid_generate(&uuid);
    log_clear_error(cli->log);
    rc = libxl_cpupool_create(cli_libxl(cli), p->name, p->sched, p->cpus,
                              &uuid, &poolid);
    if (rc)
        return cmd_libxl_failed(cli, rc, "cannot create cpupool '%s'",
                                p->name);
    return 0;
}

static int cmd_cpupool_create_run(struct cli *cli, struct cmd_call *call)
{
    struct xlcfg_opts xo = { .report = cmd_xlcfg_report };
    struct xlcfg_cpupool cfg;
    struct cmd_pool_new p = { 0 };
    const char **over;
    int status = AXL_EXIT_USAGE;

    over = calloc(call->argc + 1, sizeof(*over));
    if (!over)
        return error("cpupool-create: out of memory"), AXL_EXIT_FAIL;
    xlcfg_cpupool_init(&cfg);
    libxl_bitmap_init(&p.cpus);
    if (cmd_pool_words(call, &xo, over) < 0)
        goto out;
    status = AXL_EXIT_FAIL;
    if (!cli_libxl(cli) ||
        xlcfg_cpupool_parse(cli_libxl(cli), &xo, &cfg) < 0 ||
        cmd_pool_plan(cli, &xo, &cfg, &p) < 0)
        goto out;
    printf("Using config file \"%s\"\n", p.source);
    printf("cpupool name:   %s\n", p.name);
    printf("scheduler:      %s\n", libxl_scheduler_to_string(p.sched));
    printf("number of cpus: %d\n", p.n_cpus);
    if (out_flush_stdout() < 0)
        goto out;
    if (cmd_flag(call, "dry-run") || cmd_pool_create(cli, &p) == 0)
        status = AXL_EXIT_OK;
out:
    free(p.name);
    libxl_bitmap_dispose(&p.cpus);
    xlcfg_cpupool_dispose(&cfg);
    free(over);
    return status;
}

const struct cmd_entry cmd_cpupool_create_entry = {
    .name = "cpupool-create",
    .summary = "create a CPU pool",
    .usage = "[options] [<ConfigFile>] [key=value ...]",
    .opts = cmd_cpupool_create_opts,
    .min_args = 0,
    .max_args = -1,
    .first_arg = CMD_ARG_FILE,
    .rest_args = CMD_ARG_KEYVAL,
    .flags = CMD_F_CHANGES,
    .run = cmd_cpupool_create_run,
};

/* ---- cpupool-destroy, -rename, -cpu-add, -cpu-remove, -migrate ---- */

static int cmd_cpupool_destroy_run(struct cli *cli, struct cmd_call *call)
{
    const char *pool = call->argv[0];
    libxl_cpupoolinfo info;
    uint32_t poolid;
    int rc, n_dom;

    if (cmd_resolve_cpupool(cli, pool, &poolid) < 0)
        return AXL_EXIT_FAIL;
    libxl_cpupoolinfo_init(&info);
    log_clear_error(cli->log);
    rc = libxl_cpupool_info(cli_libxl(cli), &info, poolid);
    n_dom = rc ? 0 : (int)info.n_dom;
    libxl_cpupoolinfo_dispose(&info);
    if (rc)
        return cmd_libxl_failed(cli, rc, "cannot destroy cpupool '%s'",
                                pool), AXL_EXIT_FAIL;
    /* libxl refuses this without a word: say why. */
    if (n_dom)
        return error("cannot destroy cpupool '%s': it has %d domain%s "
                     "(move %s with 'axl cpupool-migrate')", pool, n_dom,
                     n_dom > 1 ? "s" : "", n_dom > 1 ? "them" : "it"),
               AXL_EXIT_FAIL;
    rc = libxl_cpupool_destroy(cli_libxl(cli), poolid);
    if (rc)
        return cmd_libxl_failed(cli, rc, "cannot destroy cpupool '%s'",
                                pool), AXL_EXIT_FAIL;
    return AXL_EXIT_OK;
}

static int cmd_cpupool_rename_run(struct cli *cli, struct cmd_call *call)
{
    const char *pool = call->argv[0], *to = call->argv[1];
    uint32_t poolid, other;
    int rc;

    if (!*to)
        return error("cpupool-rename: the new name is empty"),
               AXL_EXIT_USAGE;
    if (cmd_resolve_cpupool(cli, pool, &poolid) < 0)
        return AXL_EXIT_FAIL;
    if (!libxl_name_to_cpupoolid(cli_libxl(cli), to, &other) &&
        other != poolid)
        return error("cannot rename cpupool '%s' to '%s': a cpupool of that "
                     "name exists", pool, to), AXL_EXIT_FAIL;
    log_clear_error(cli->log);
    rc = libxl_cpupool_rename(cli_libxl(cli), to, poolid);
    if (rc)
        return cmd_libxl_failed(cli, rc, "cannot rename cpupool '%s' to "
                                "'%s'", pool, to), AXL_EXIT_FAIL;
    return AXL_EXIT_OK;
}

/* cpupool-cpu-add and -remove: the CPU list, then the pool. */
static int cmd_cpupool_cpus(struct cli *cli, struct cmd_call *call, bool add)
{
    const char *pool = call->argv[0], *cpus = call->argv[1];
    libxl_bitmap map;
    uint32_t poolid;
    int rc, status = AXL_EXIT_FAIL;

    libxl_bitmap_init(&map);
    if (!cli_libxl(cli))
        return AXL_EXIT_FAIL;
    if (libxl_cpu_bitmap_alloc(cli_libxl(cli), &map, 0)) {
        error("%s: cannot allocate a cpu map", call->cmd->name);
        goto out;
    }
    if (xlcfg_cpu_list(cli_libxl(cli), "cpus", cpus, &map, cmd_xlcfg_report,
                       NULL) < 0) {
        status = AXL_EXIT_USAGE;
        goto out;
    }
    if (cmd_resolve_cpupool(cli, pool, &poolid) < 0)
        goto out;
    log_clear_error(cli->log);
    rc = add ? libxl_cpupool_cpuadd_cpumap(cli_libxl(cli), poolid, &map)
             : libxl_cpupool_cpuremove_cpumap(cli_libxl(cli), poolid, &map);
    if (rc)
        cmd_libxl_failed(cli, rc, "cannot %s cpus '%s' %s cpupool '%s' "
                         "(some may have moved)", add ? "add" : "remove",
                         cpus, add ? "to" : "from", pool);
    else
        status = AXL_EXIT_OK;
out:
    libxl_bitmap_dispose(&map);
    return status;
}

static int cmd_cpupool_cpu_add_run(struct cli *cli, struct cmd_call *call)
{
    return cmd_cpupool_cpus(cli, call, true);
}

static int cmd_cpupool_cpu_remove_run(struct cli *cli, struct cmd_call *call)
{
    return cmd_cpupool_cpus(cli, call, false);
}

static int cmd_cpupool_migrate_run(struct cli *cli, struct cmd_call *call)
{
    const char *dom = call->argv[0], *pool = call->argv[1];
    uint32_t domid, poolid;
    int rc;

    if (cmd_resolve_domain(cli, dom, &domid, NULL) < 0 ||
        cmd_resolve_cpupool(cli, pool, &poolid) < 0)
        return AXL_EXIT_FAIL;
    log_clear_error(cli->log);
    rc = libxl_cpupool_movedomain(cli_libxl(cli), poolid, domid);
    if (rc)
        return cmd_libxl_failed(cli, rc, "cannot move domain '%s' to "
                                "cpupool '%s'", dom, pool), AXL_EXIT_FAIL;
    return AXL_EXIT_OK;
}

#define CMD_CPUPOOL(NAME, CNAME, SUMMARY, USAGE, NARGS, FIRST, REST)    \
    const struct cmd_entry cmd_##CNAME##_entry = {                      \
        .name = NAME,                                                   \
        .summary = SUMMARY,                                             \
        .usage = USAGE,                                                 \
        .min_args = NARGS,                                              \
        .max_args = NARGS,                                              \
        .first_arg = FIRST,                                             \
        .rest_args = REST,                                              \
        .flags = CMD_F_CHANGES,                                         \
        .run = cmd_##CNAME##_run,                                       \
    }

CMD_CPUPOOL("cpupool-destroy", cpupool_destroy, "destroy a CPU pool",
            "<CpuPool>", 1, CMD_ARG_CPUPOOL, CMD_ARG_NONE);
CMD_CPUPOOL("cpupool-rename", cpupool_rename, "rename a CPU pool",
            "<CpuPool> <NewName>", 2, CMD_ARG_CPUPOOL, CMD_ARG_OTHER);
CMD_CPUPOOL("cpupool-cpu-add", cpupool_cpu_add, "add CPUs to a CPU pool",
            "<CpuPool> <CPUs|node:N>", 2, CMD_ARG_CPUPOOL, CMD_ARG_OTHER);
CMD_CPUPOOL("cpupool-cpu-remove", cpupool_cpu_remove,
            "remove CPUs from a CPU pool", "<CpuPool> <CPUs|node:N>", 2,
            CMD_ARG_CPUPOOL, CMD_ARG_OTHER);
CMD_CPUPOOL("cpupool-migrate", cpupool_migrate,
            "move a domain into a CPU pool", "<Domain> <CpuPool>", 2,
            CMD_ARG_DOMAIN, CMD_ARG_CPUPOOL);

/* ---- cpupool-numa-split ---- */

/*
 * A split under way: the host's CPUs, each node's marked done
 * (LIBXL_CPUTOPOLOGY_INVALID_ENTRY) once it has its pool, and what the
 * first pool (Pool-0, renamed) left for Domain-0.
 */
struct cmd_numa {
    struct cli *cli;
    libxl_cputopology *topo;
    int n_cpus;
    libxl_scheduler sched;      /* Pool-0's, for every new pool */
    int first_cpus;             /* CPUs of Pool-0's node */
};

static void cmd_numa_free(struct cmd_numa *ns)
{
    if (ns->topo)
        libxl_cputopology_list_free(ns->topo, ns->n_cpus);
    free(ns);
}

/* Pool-0 alone (else nothing to split), its scheduler, the topology. */
static int cmd_numa_read(struct cli *cli, struct cmd_numa *ns)
{
    libxl_cpupoolinfo *pools;
    int np = 0;

    if (!cli_libxl(cli))
        return -1;
    pools = libxl_list_cpupool(cli_libxl(cli), &np);
    if (!pools)
        return error("cpupool-numa-split: cannot list the cpupools");
    ns->sched = pools[0].sched;
    libxl_cpupoolinfo_list_free(pools, np);
    if (np > 1)
        return error("cannot split the host into one cpupool per numa "
                     "node: %d cpupools exist already", np);
    ns->topo = libxl_get_cpu_topology(cli_libxl(cli), &ns->n_cpus);
    if (!ns->topo || ns->n_cpus < 1)
        return error("cpupool-numa-split: cannot read the cpu topology");
    return 0;
}

/* The node's pool, "Pool-nodeN": Pool-0 renamed, or a new one. */
static int cmd_numa_pool(struct cli *cli, struct cmd_numa *ns, int node,
                         bool first)
{
    libxl_ctx *ctx = cli_libxl(cli);
    uint32_t poolid = first ? 0 : LIBXL_CPUPOOL_POOLID_ANY;
    libxl_bitmap none;
    libxl_uuid uuid;
    char name[32];
    int c, n = 0, rc = 0;

    snprintf(name, sizeof(name), "Pool-node%d", node);
    libxl_bitmap_init(&none);
    log_clear_error(cli->log);
    if (!first && (rc = libxl_cpupool_cpuremove_node(ctx, 0, node, &n)))
        return cmd_libxl_failed(cli, rc, "cannot move the cpus of numa node "
                                "%d out of cpupool 0", node);
    if (!first && !(rc = libxl_cpu_bitmap_alloc(ctx, &none, 0))) {
        libxl_uuid_generate(&uuid);
        rc = libxl_cpupool_create(ctx, name, ns->sched, none, &uuid,
                                  &poolid);
    }
    libxl_bitmap_dispose(&none);
    if (!rc && !(rc = libxl_cpupool_cpuadd_node(ctx, poolid, node, &n)) &&
        first)
        rc = libxl_cpupool_rename(ctx, name, 0);
    if (rc)
        return cmd_libxl_failed(cli, rc, "cannot make cpupool '%s' of the "
                                "cpus of numa node %d", name, node);
    for (c = 0; c < ns->n_cpus; c++) {
        if (ns->topo[c].node != (uint32_t)node)
            continue;
        ns->topo[c].node = LIBXL_CPUTOPOLOGY_INVALID_ENTRY;
        ns->first_cpus += first;
    }
    return 0;
}

/* Domain-0's vCPUs online: 0 and *n_r, or -1 after reporting. */
static int cmd_numa_dom0_vcpus(struct cli *cli, unsigned *n_r)
{
    libxl_dominfo info;
    int rc;

    libxl_dominfo_init(&info);
    log_clear_error(cli->log);
    rc = libxl_domain_info(cli_libxl(cli), &info, 0);
    *n_r = info.vcpu_online;
    libxl_dominfo_dispose(&info);
    if (rc)
        return cmd_libxl_failed(cli, rc, "cpupool-numa-split: cannot read "
                                "Domain-0");
    return 0;
}

/*
 * After Pool-0 and Domain-0 fit the first node: wait (as xl, up to 10 s)
 * for Domain-0's kernel to take the other vCPUs offline, then one pool
 * per other node.  ns is freed.
 */
static int cmd_numa_rest(struct cmd_numa *ns)
{
    struct cli *cli = ns->cli;
    unsigned online = 0;
    int c, tries, status = AXL_EXIT_FAIL;

    for (tries = 0; tries < 10; tries++) {
        if (cmd_numa_dom0_vcpus(cli, &online) < 0)
            goto out;
        if (online <= (unsigned)ns->first_cpus)
            break;
        sleep(1);
    }
    if (online > (unsigned)ns->first_cpus) {
        error("cannot split the host into one cpupool per numa node: "
              "Domain-0 still has %u vcpus online, more than the %d cpus of "
              "Pool-0's node", online, ns->first_cpus);
        goto out;
    }
    for (c = 0; c < ns->n_cpus; c++)
        if (ns->topo[c].node != LIBXL_CPUTOPOLOGY_INVALID_ENTRY &&
            cmd_numa_pool(cli, ns, (int)ns->topo[c].node, false) < 0)
            goto out;
    status = AXL_EXIT_OK;
out:
    cmd_numa_free(ns);
    return status;
}

/* Domain-0's vCPUs were set: the rest, as synchronous work. */
static int cmd_numa_vcpus_done(struct job *job, int status, void *user)
{
    struct cmd_numa *ns = user;
    struct cli *cli = ns->cli;

    (void)job;
    if (status != AXL_EXIT_OK) {
        cmd_numa_free(ns);
        return status;
    }
    loop_sync_begin(cli->lp);
    status = cmd_numa_rest(ns);
    loop_sync_end(cli->lp);
    return status;
}

/*
 * Domain-0 keeps as many vCPUs online as Pool-0's node has CPUs: more
 * are taken offline by an op (libxl_set_vcpuonline takes ao_how), which
 * goes on with the rest when done.
 */
static int cmd_numa_dom0(struct cli *cli, struct cmd_call *call,
                         struct cmd_numa *ns)
{
    uint64_t timeout_ms = 0;
    unsigned online;
    uint32_t domid;
    struct job *job;
    int status;

    if (cmd_numa_dom0_vcpus(cli, &online) < 0)
        return cmd_numa_free(ns), AXL_EXIT_FAIL;
    if (online <= (unsigned)ns->first_cpus)
        return cmd_numa_rest(ns);
    cmd_timeout_opt(call, &timeout_ms);     /* checked by the caller */
    job = cmd_domain_job(cli, call, "0", OP_VCPU_SET, &domid, &status);
    if (!job)
        return cmd_numa_free(ns), status;
    if (op_set_vcpus(job_op(job), (unsigned)ns->first_cpus) < 0) {
        error("cpupool-numa-split: out of memory");
        job_forget(cli, job);
        return cmd_numa_free(ns), AXL_EXIT_FAIL;
    }
    job_on_done(job, cmd_numa_vcpus_done, ns);
    return job_run(job, timeout_ms);
}

static int cmd_cpupool_numa_split_run(struct cli *cli, struct cmd_call *call)
{
    struct cmd_numa *ns;
    uint64_t timeout_ms;

    if (cmd_timeout_opt(call, &timeout_ms) < 0)
        return AXL_EXIT_USAGE;
    ns = calloc(1, sizeof(*ns));
    if (!ns)
        return error("cpupool-numa-split: out of memory"), AXL_EXIT_FAIL;
    ns->cli = cli;
    if (cmd_numa_read(cli, ns) < 0 ||
        cmd_numa_pool(cli, ns, (int)ns->topo[0].node, true) < 0)
        return cmd_numa_free(ns), AXL_EXIT_FAIL;
    return cmd_numa_dom0(cli, call, ns);
}

const struct cmd_entry cmd_cpupool_numa_split_entry = {
    .name = "cpupool-numa-split",
    .summary = "split the host's CPUs into one CPU pool per NUMA node",
    .usage = "[--timeout=DURATION]",
    .min_args = 0,
    .max_args = 0,
    .flags = CMD_F_OP,
    .run = cmd_cpupool_numa_split_run,
};
