/*
 * cmd_sched: the schedulers, sched-credit, sched-credit2 and sched-rtds -
 * xl's syntax and output.  Every libxl call here is synchronous (none
 * takes ao_how), made inside the dispatcher's synchronous section; the
 * command line is checked in full before anything changes.
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

#include "../core/status.h"
#include "../core/xlcfg.h"
#include "cmd.h"
#include "cmd_dom.h"
#include "json.h"
#include "out.h"
#include "parse.h"

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
