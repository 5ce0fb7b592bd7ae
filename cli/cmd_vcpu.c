/*
 * cmd_vcpu: vcpu-list and vcpu-pin, as xl's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
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
#include "cmd_dom.h"
#include "cmd_xlcfg.h"
#include "json.h"
#include "out.h"
#include "parse.h"

/* ---- vcpu-list ---- */

static const struct cmd_opt cmd_vcpu_list_opts[] = {
    { 0, "json", NULL, "print the vCPUs as a JSON array (schema in "
      "axl(1))" },
    { 0 },
};

/* What the vCPU rows of one command share. */
struct vcpu_list {
    libxl_ctx *ctx;
    int nr_cpus;                /* bits of a map shown: max_cpu_id + 1 */
    struct json *j;             /* NULL: text */
    bool oom;
};

/* xl's State column: running or blocked, or "--p" when offline. */
static const char *vcpu_state(const libxl_vcpuinfo *v, char buf[4])
{
    if (!v->online)
        return "--p";
    buf[0] = v->running ? 'r' : '-';
    buf[1] = v->blocked ? 'b' : '-';
    buf[2] = '-';
    buf[3] = '\0';
    return buf;
}

static void vcpu_row(struct vcpu_list *l, uint32_t domid, const char *name,
                     libxl_vcpuinfo *v)
{
    char *hard = cmd_bitmap_text(&v->cpumap, l->nr_cpus);
    char *soft = cmd_bitmap_text(&v->cpumap_soft, l->nr_cpus);
    char st[4];

    if (!hard || !soft) {
        l->oom = true;
    } else if (!l->j) {
        const char *s = vcpu_state(v, st);

        printf("%-32s %5u %5u", name ? name : "(null)", domid, v->vcpuid);
        if (v->online)
            printf("%5u %3c%c%c ", v->cpu, s[0], s[1], s[2]);
        else
            printf("%5c %3c%c%c ", '-', s[0], s[1], s[2]);
        printf("%9.1f  %s / %s\n", cmd_cpu_seconds(v->vcpu_time), hard,
               soft);
    } else {
        json_open(l->j, '{');
        json_kstr(l->j, "name", name);
        json_kuint(l->j, "domid", domid);
        json_kuint(l->j, "vcpu", v->vcpuid);
        json_key(l->j, "cpu");
        if (v->online)
            json_uint(l->j, v->cpu);
        else
            json_null(l->j);
        json_kstr(l->j, "state", vcpu_state(v, st));
        json_kdouble(l->j, "time", cmd_cpu_seconds(v->vcpu_time), 1);
        json_kstr(l->j, "affinity_hard", hard);
        json_kstr(l->j, "affinity_soft", soft);
        json_raw_free(l->j, "vcpuinfo", libxl_vcpuinfo_to_json(l->ctx, v));
        json_close(l->j);
    }
    free(hard);
    free(soft);
}

/* One domain's vCPUs; a domain gone meanwhile has none, as in xl. */
static void vcpu_domain(struct vcpu_list *l, uint32_t domid)
{
    libxl_vcpuinfo *v;
    char *name;
    int i, n = 0, nr_cpus = 0;

    v = libxl_list_vcpu(l->ctx, domid, &n, &nr_cpus);
    if (!v)
        return;
    name = libxl_domid_to_name(l->ctx, domid);
    for (i = 0; i < n; i++)
        vcpu_row(l, domid, name, &v[i]);
    free(name);
    libxl_vcpuinfo_list_free(v, n);
}

/* The domains asked for (resolved before anything is printed), or all. */
static int vcpu_domids(struct cli *cli, struct cmd_call *call,
                       uint32_t **ids_r, int *n_r)
{
    libxl_dominfo *info = NULL;
    uint32_t *ids;
    int i, n = 0;

    if (call->argc == 0) {
        info = libxl_list_domain(cli_libxl(cli), &n);
        if (!info)
            return error("vcpu-list: cannot list domains");
    } else {
        n = call->argc;
    }
    ids = calloc(n + 1, sizeof(*ids));
    for (i = 0; ids && i < n; i++) {
        if (info)
            ids[i] = info[i].domid;
        else if (cmd_resolve_domain(cli, call->argv[i], &ids[i], NULL) < 0)
            break;
    }
    if (info)
        libxl_dominfo_list_free(info, n);
    if (!ids)
        return error("vcpu-list: out of memory");
    if (i < n) {
        free(ids);
        return -1;
    }
    *ids_r = ids;
    *n_r = n;
    return 0;
}

static int cmd_vcpu_list_run(struct cli *cli, struct cmd_call *call)
{
    struct vcpu_list l = { .ctx = cli_libxl(cli) };
    libxl_physinfo phys;
    struct json j;
    uint32_t *ids = NULL;
    int i, n = 0, rc, status = AXL_EXIT_FAIL;

    if (!l.ctx)
        return AXL_EXIT_FAIL;
    libxl_physinfo_init(&phys);
    rc = libxl_get_physinfo(l.ctx, &phys);
    if (rc) {
        error_libxl(rc, "vcpu-list: cannot read the host's CPUs");
        goto out;
    }
    l.nr_cpus = (int)phys.max_cpu_id + 1;
    if (vcpu_domids(cli, call, &ids, &n) < 0)
        goto out;
    if (cmd_flag(call, "json")) {
        l.j = &j;
        json_init(&j, stdout);
        json_open(&j, '[');
    } else {
        printf("%-32s %5s %5s %5s %5s %9s %s\n", "Name", "ID", "VCPU", "CPU",
               "State", "Time(s)", "Affinity (Hard / Soft)");
    }
    for (i = 0; i < n; i++)
        vcpu_domain(&l, ids[i]);
    if (l.j)
        json_end(&j);
    status = AXL_EXIT_OK;
    if (l.oom) {
        error("vcpu-list: out of memory");
        status = AXL_EXIT_FAIL;
    }
    status = out_status_flushed(status);
out:
    free(ids);
    libxl_physinfo_dispose(&phys);
    return status;
}

const struct cmd_entry cmd_vcpu_list_entry = {
    .name = "vcpu-list",
    .summary = "list the vCPUs of domains: where they run, their "
               "affinity",
    .usage = "[options] [<Domain> ...]",
    .opts = cmd_vcpu_list_opts,
    .min_args = 0,
    .max_args = -1,
    .first_arg = CMD_ARG_DOMAIN,
    .rest_args = CMD_ARG_DOMAIN,
    .run = cmd_vcpu_list_run,
};

/* ---- vcpu-pin ---- */

static const struct cmd_opt cmd_vcpu_pin_opts[] = {
    { 'f', "force", NULL, "drop the affinity the guest's own kernel "
      "forced on the vCPU (one vCPU, not all)" },
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
