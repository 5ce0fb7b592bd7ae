/*
 * cmd_cpupool: every cpupool command, as xl's: cpupool-list, -create,
 * -destroy, -rename, -cpu-add, -cpu-remove, -migrate, -numa-split.
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

/* ---- cpupool-list ---- */

static const struct cmd_opt cmd_cpupool_list_opts[] = {
    { 'c', "cpus", NULL, "list each pool's CPUs instead of its counts" },
    { 0, "json", NULL, "print the pools as a JSON array (schema in "
      "axl(1))" },
    { 0 },
};

static void cpupool_row(const libxl_cpupoolinfo *p, bool cpus)
{
    int c, n = 0;

    printf("%-19s", p->pool_name ? p->pool_name : "(null)");
    for (c = 0; c < (int)p->cpumap.size * 8; c++) {
        if (!libxl_bitmap_test(&p->cpumap, c))
            continue;
        if (cpus)
            printf(n ? ",%d" : "%d", c);
        n++;
    }
    if (!cpus)
        printf("%3d %9s       y       %4u", n,
               libxl_scheduler_to_string(p->sched), p->n_dom);
    printf("\n");
}

static void cpupool_json(libxl_ctx *ctx, struct json *j,
                         libxl_cpupoolinfo *p)
{
    int c;

    json_open(j, '{');
    json_kstr(j, "name", p->pool_name);
    json_kuint(j, "poolid", p->poolid);
    json_key(j, "cpus");
    json_open(j, '[');
    for (c = 0; c < (int)p->cpumap.size * 8; c++)
        if (libxl_bitmap_test(&p->cpumap, c))
            json_int(j, c);
    json_close(j);
    json_kstr(j, "sched", libxl_scheduler_to_string(p->sched));
    json_kbool(j, "active", true);
    json_kuint(j, "n_dom", p->n_dom);
    json_raw_free(j, "cpupoolinfo", libxl_cpupoolinfo_to_json(ctx, p));
    json_close(j);
}

static int cmd_cpupool_list_run(struct cli *cli, struct cmd_call *call)
{
    libxl_ctx *ctx = cli_libxl(cli);
    libxl_cpupoolinfo *pools;
    bool cpus = cmd_flag(call, "cpus") > 0, json = cmd_flag(call, "json");
    uint32_t poolid = 0;
    struct json j;
    int i, n = 0;

    if (!ctx)
        return AXL_EXIT_FAIL;
    if (call->argc && cmd_resolve_cpupool(cli, call->argv[0], &poolid) < 0)
        return AXL_EXIT_FAIL;
    pools = libxl_list_cpupool(ctx, &n);
    if (!pools)
        return error("cpupool-list: cannot list CPU pools"), AXL_EXIT_FAIL;
    if (json) {
        json_init(&j, stdout);
        json_open(&j, '[');
    } else {
        printf("%-19s%s\n", "Name", cpus ? "CPU list"
               : "CPUs   Sched     Active   Domain count");
    }
    for (i = 0; i < n; i++) {
        if (call->argc && pools[i].poolid != poolid)
            continue;
        if (json)
            cpupool_json(ctx, &j, &pools[i]);
        else
            cpupool_row(&pools[i], cpus);
    }
    if (json)
        json_end(&j);
    libxl_cpupoolinfo_list_free(pools, n);
    return out_status_flushed(AXL_EXIT_OK);
}

const struct cmd_entry cmd_cpupool_list_entry = {
    .name = "cpupool-list",
    .summary = "list CPU pools: their CPUs, scheduler and domains",
    .usage = "[options] [<CpuPool>]",
    .opts = cmd_cpupool_list_opts,
    .min_args = 0,
    .max_args = 1,
    .first_arg = CMD_ARG_CPUPOOL,
    .run = cmd_cpupool_list_run,
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
