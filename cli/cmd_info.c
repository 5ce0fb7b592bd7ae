/*
 * cmd_info: what the host and its domains are - info, uptime, domid,
 * domname, vm-list, vcpu-list, dmesg, claims, cpupool-list, sharing -
 * with xl's output, and --json for the listings.  None of the libxl calls here
 * takes ao_how: each is a plain call inside the dispatcher's synchronous
 * section.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <libxl.h>
#include <libxl_utils.h>

#include "../core/status.h"
#include "../core/xlcfg.h"
#include "cmd.h"
#include "cmd_dom.h"
#include "cmd_xlcfg.h"
#include "json.h"
#include "out.h"
#include "parse.h"


/* ---- info ---- */

static const struct cmd_opt cmd_info_opts[] = {
    { 'n', "numa", NULL, "add the CPU, device and NUMA node topology" },
    { 0, "json", NULL, "print it all as one JSON object (schema in "
      "axl(1))" },
    { 0 },
};

/* What info shows, read before anything is printed. */
struct info_data {
    struct utsname uts;
    bool have_uts;
    libxl_physinfo phys;
    const libxl_version_info *ver;
    int sched;
    int free_cpus;              /* -1: unknown (xl then omits the line) */
    bool numa;
    libxl_cputopology *cpus;
    int n_cpus;
    libxl_pcitopology *pci;     /* NULL: unknown (xl omits the section) */
    int n_pci;
    libxl_numainfo *nodes;
    int n_nodes;
};

/* The text lines, and the field that selects values (xl info FIELD). */
struct info_out {
    const char *field;
    bool oom;
};

/*
 * One line of text.  With a field, as xl does: only a line that begins
 * with the field's name, and of it only what follows ": ".
 */
static void info_line(struct info_out *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void info_line(struct info_out *o, const char *fmt, ...)
{
    va_list ap;
    char *s, *colon;
    int n;

    va_start(ap, fmt);
    n = vasprintf(&s, fmt, ap);
    va_end(ap);
    if (n < 0) {
        o->oom = true;
        return;
    }
    if (!o->field) {
        fputs(s, stdout);
    } else if (!strncmp(s, o->field, strlen(o->field))) {
        colon = strchr(s, ':');
        if (colon && colon[1] == ' ')
            fputs(colon + 2, stdout);
    }
    free(s);
}

/* xl's field name column: 23 wide, then ": ". */
#define INFO_F "%-23s: "

/* The MiB in a number of pages (0 for a page size Xen never has). */
static uint64_t info_mib(const struct info_data *d, uint64_t pages)
{
    uint32_t per_mib = d->ver->pagesize ? (1u << 20) / d->ver->pagesize : 0;

    return per_mib ? pages / per_mib : 0;
}

static int info_read(libxl_ctx *ctx, struct info_data *d)
{
    libxl_bitmap free_map;
    int rc, i;

    d->have_uts = uname(&d->uts) == 0;
    rc = libxl_get_physinfo(ctx, &d->phys);
    if (rc)
        return error_libxl(rc, "info: cannot read the host's physical "
                           "information");
    d->ver = libxl_get_version_info(ctx);
    if (!d->ver)
        return error("info: cannot read Xen's version information");
    d->sched = libxl_get_scheduler(ctx);
    if (d->sched < 0)
        return error_libxl(d->sched, "info: cannot read Xen's scheduler");
    libxl_bitmap_init(&free_map);
    d->free_cpus = -1;
    if (!libxl_get_freecpus(ctx, &free_map)) {
        d->free_cpus = 0;
        for (i = 0; i < (int)free_map.size * 8; i++)
            d->free_cpus += libxl_bitmap_test(&free_map, i);
    }
    libxl_bitmap_dispose(&free_map);
    if (!d->numa)
        return 0;
    d->cpus = libxl_get_cpu_topology(ctx, &d->n_cpus);
    if (!d->cpus)
        return error("info: cannot read the CPU topology");
    d->nodes = libxl_get_numainfo(ctx, &d->n_nodes);
    if (!d->nodes)
        return error("info: cannot read the NUMA nodes");
    /* xl goes on without it: so does axl, saying so. */
    d->pci = libxl_get_pci_topology(ctx, &d->n_pci);
    if (!d->pci)
        warn("info: cannot read the PCI device topology; it is left out");
    return 0;
}

static void info_dispose(struct info_data *d)
{
    libxl_physinfo_dispose(&d->phys);
    if (d->cpus)
        libxl_cputopology_list_free(d->cpus, d->n_cpus);
    if (d->pci)
        libxl_pcitopology_list_free(d->pci, d->n_pci);
    if (d->nodes)
        libxl_numainfo_list_free(d->nodes, d->n_nodes);
}

/* The virtualisation capabilities, each with a leading space. */
static void info_caps(const libxl_physinfo *p, char *buf, size_t len)
{
    const struct { bool on; const char *name; } caps[] = {
        { p->cap_pv, " pv" },
        { p->cap_hvm, " hvm" },
        { p->cap_hvm && p->cap_hvm_directio, " hvm_directio" },
        { p->cap_pv && p->cap_hvm_directio, " pv_directio" },
        { p->cap_hap, " hap" },
        { p->cap_shadow, " shadow" },
        { p->cap_iommu_hap_pt_share, " iommu_hap_pt_share" },
        { p->cap_vmtrace, " vmtrace" },
        { p->cap_vpmu, " vpmu" },
        { p->cap_gnttab_v1, " gnttab-v1" },
        { p->cap_gnttab_v2, " gnttab-v2" },
    };
    size_t i;

    buf[0] = '\0';
    for (i = 0; i < sizeof(caps) / sizeof(caps[0]); i++)
        if (caps[i].on)
            strncat(buf, caps[i].name, len - strlen(buf) - 1);
}

static void info_text_host(struct info_out *o, const struct info_data *d)
{
    const libxl_physinfo *p = &d->phys;
    char caps[256];

    if (d->have_uts) {
        info_line(o, INFO_F "%s\n", "host", d->uts.nodename);
        info_line(o, INFO_F "%s\n", "release", d->uts.release);
        info_line(o, INFO_F "%s\n", "version", d->uts.version);
        info_line(o, INFO_F "%s\n", "machine", d->uts.machine);
    }
    info_line(o, INFO_F "%d\n", "nr_cpus", p->nr_cpus);
    info_line(o, INFO_F "%d\n", "max_cpu_id", p->max_cpu_id);
    info_line(o, INFO_F "%d\n", "nr_nodes", p->nr_nodes);
    info_line(o, INFO_F "%d\n", "cores_per_socket", p->cores_per_socket);
    info_line(o, INFO_F "%d\n", "threads_per_core", p->threads_per_core);
    info_line(o, INFO_F "%d.%03d\n", "cpu_mhz", p->cpu_khz / 1000,
              p->cpu_khz % 1000);
    info_line(o, INFO_F "%08x:%08x:%08x:%08x:%08x:%08x:%08x:%08x\n",
              "hw_caps", p->hw_cap[0], p->hw_cap[1], p->hw_cap[2],
              p->hw_cap[3], p->hw_cap[4], p->hw_cap[5], p->hw_cap[6],
              p->hw_cap[7]);
    info_caps(p, caps, sizeof(caps));
    info_line(o, "%-23s:%s\n", "virt_caps", caps);
    info_line(o, INFO_F "%" PRIu64 "\n", "total_memory",
              info_mib(d, p->total_pages));
    info_line(o, INFO_F "%" PRIu64 "\n", "free_memory",
              info_mib(d, p->free_pages - p->outstanding_pages));
    info_line(o, INFO_F "%" PRIu64 "\n", "sharing_freed_memory",
              info_mib(d, p->sharing_freed_pages));
    info_line(o, INFO_F "%" PRIu64 "\n", "sharing_used_memory",
              info_mib(d, p->sharing_used_frames));
    info_line(o, INFO_F "%" PRIu64 "\n", "outstanding_claims",
              info_mib(d, p->outstanding_pages));
    if (d->free_cpus >= 0)
        info_line(o, INFO_F "%d\n", "free_cpus", d->free_cpus);
}

/* info -n: the CPUs, the PCI devices and the nodes (never filtered). */
static void info_text_topology(const struct info_data *d)
{
    int i, k, n = 0;

    printf("cpu_topology           :\ncpu:    core    socket     node\n");
    for (i = 0; i < d->n_cpus; i++)
        if (d->cpus[i].core != LIBXL_CPUTOPOLOGY_INVALID_ENTRY)
            printf("%3d:    %4d     %4d     %4d\n", i, d->cpus[i].core,
                   d->cpus[i].socket, d->cpus[i].node);
    if (d->pci) {
        printf("device topology        :\ndevice           node\n");
        for (i = 0; i < d->n_pci; i++) {
            const libxl_pcitopology *t = &d->pci[i];

            if (t->node == LIBXL_PCITOPOLOGY_INVALID_ENTRY)
                continue;
            printf("%04x:%02x:%02x.%01x      %d\n", t->seg, t->bus,
                   (t->devfn >> 3) & 0x1f, t->devfn & 7, t->node);
            n++;
        }
        if (!n)
            printf("No device topology data available\n");
    }
    printf("numa_info              :\nnode:    memsize    memfree    "
           "distances\n");
    for (i = 0; i < d->n_nodes; i++) {
        const libxl_numainfo *m = &d->nodes[i];

        if (m->size == LIBXL_NUMAINFO_INVALID_ENTRY)
            continue;
        printf("%4d:    %6" PRIu64 "     %6" PRIu64 "      %d", i,
               m->size >> 20, m->free >> 20, m->num_dists ? m->dists[0]
                                                          : 0);
        for (k = 1; k < m->num_dists; k++)
            printf(",%d", m->dists[k]);
        printf("\n");
    }
}

static void info_text_xen(struct info_out *o, const struct info_data *d)
{
    const libxl_version_info *v = d->ver;

    info_line(o, INFO_F "%d\n", "xen_major", v->xen_version_major);
    info_line(o, INFO_F "%d\n", "xen_minor", v->xen_version_minor);
    info_line(o, INFO_F "%s\n", "xen_extra", v->xen_version_extra);
    info_line(o, INFO_F "%d.%d%s\n", "xen_version", v->xen_version_major,
              v->xen_version_minor, v->xen_version_extra);
    info_line(o, INFO_F "%s\n", "xen_caps", v->capabilities);
    info_line(o, INFO_F "%s\n", "xen_scheduler",
              libxl_scheduler_to_string(d->sched));
    info_line(o, INFO_F "%u\n", "xen_pagesize", v->pagesize);
    info_line(o, INFO_F "virt_start=0x%" PRIx64 "\n", "platform_params",
              v->virt_start);
    info_line(o, INFO_F "%s\n", "xen_changeset", v->changeset);
    info_line(o, INFO_F "%s\n", "xen_commandline", v->commandline);
    info_line(o, INFO_F "%s\n", "cc_compiler", v->compiler);
    info_line(o, INFO_F "%s\n", "cc_compile_by", v->compile_by);
    info_line(o, INFO_F "%s\n", "cc_compile_domain", v->compile_domain);
    info_line(o, INFO_F "%s\n", "cc_compile_date", v->compile_date);
    info_line(o, INFO_F "%s\n", "build_id", v->build_id);
    info_line(o, INFO_F "4\n", "xend_config_format");
}

/*
 * key: an array of n values, the i-th being text (a libxl_*_to_json()
 * text, freed here; NULL writes null), i the index's name.
 */
#define INFO_JSON_LIST(j, key, n, i, text)                                \
    do {                                                                  \
        json_key(j, key);                                                 \
        json_open(j, '[');                                                \
        for (int i = 0; i < (n); i++) {                                   \
            char *text_ = (text);                                         \
            json_raw(j, text_);                                           \
            free(text_);                                                  \
        }                                                                 \
        json_close(j);                                                    \
    } while (0)

/* info -n --json: arrays indexed by CPU and node; the devices Xen
 * places on a node, as the text lists them. */
static void info_json_topology(libxl_ctx *ctx, struct json *j,
                               const struct info_data *d)
{
    int i;

    INFO_JSON_LIST(j, "cpu_topology", d->n_cpus, c,
                   d->cpus[c].core == LIBXL_CPUTOPOLOGY_INVALID_ENTRY ? NULL
                   : libxl_cputopology_to_json(ctx, &d->cpus[c]));
    INFO_JSON_LIST(j, "numa_info", d->n_nodes, m,
                   d->nodes[m].size == LIBXL_NUMAINFO_INVALID_ENTRY ? NULL
                   : libxl_numainfo_to_json(ctx, &d->nodes[m]));
    json_key(j, "device_topology");
    if (!d->pci) {
        json_null(j);
        return;
    }
    json_open(j, '[');
    for (i = 0; i < d->n_pci; i++)
        if (d->pci[i].node != LIBXL_PCITOPOLOGY_INVALID_ENTRY)
            json_raw_free(j, NULL, libxl_pcitopology_to_json(ctx,
                                                              &d->pci[i]));
    json_close(j);
}

static void info_json(libxl_ctx *ctx, const struct info_data *d)
{
    const libxl_physinfo *p = &d->phys;
    char ver[64];
    struct json j;

    json_init(&j, stdout);
    json_open(&j, '{');
    json_kstr(&j, "host", d->have_uts ? d->uts.nodename : NULL);
    json_kstr(&j, "release", d->have_uts ? d->uts.release : NULL);
    json_kstr(&j, "version", d->have_uts ? d->uts.version : NULL);
    json_kstr(&j, "machine", d->have_uts ? d->uts.machine : NULL);
    snprintf(ver, sizeof(ver), "%d.%d%s", d->ver->xen_version_major,
             d->ver->xen_version_minor, d->ver->xen_version_extra);
    json_kstr(&j, "xen_version", ver);
    json_kstr(&j, "xen_scheduler", libxl_scheduler_to_string(d->sched));
    json_kuint(&j, "total_memory", info_mib(d, p->total_pages));
    json_kuint(&j, "free_memory",
               info_mib(d, p->free_pages - p->outstanding_pages));
    json_kuint(&j, "sharing_freed_memory",
               info_mib(d, p->sharing_freed_pages));
    json_kuint(&j, "sharing_used_memory",
               info_mib(d, p->sharing_used_frames));
    json_kuint(&j, "outstanding_claims", info_mib(d, p->outstanding_pages));
    json_key(&j, "free_cpus");
    if (d->free_cpus >= 0)
        json_int(&j, d->free_cpus);
    else
        json_null(&j);
    json_kint(&j, "xend_config_format", 4);
    json_raw_free(&j, "physinfo",
                   libxl_physinfo_to_json(ctx, (libxl_physinfo *)p));
    json_raw_free(&j, "version_info", libxl_version_info_to_json(
                       ctx, (libxl_version_info *)d->ver));
    if (d->numa)
        info_json_topology(ctx, &j, d);
    json_end(&j);
}

static int cmd_info_run(struct cli *cli, struct cmd_call *call)
{
    struct info_data d;
    struct info_out o = { 0 };
    libxl_ctx *ctx;
    int status = AXL_EXIT_FAIL;

    memset(&d, 0, sizeof(d));
    d.numa = cmd_flag(call, "numa") > 0;
    /* As xl: a field selects values, but -n prints everything. */
    if (call->argc && !d.numa)
        o.field = call->argv[0];
    if (o.field && cmd_flag(call, "json"))
        return error("info: --json prints every field: give no field "
                     "name"), AXL_EXIT_USAGE;
    ctx = cli_libxl(cli);
    if (!ctx)
        return AXL_EXIT_FAIL;
    libxl_physinfo_init(&d.phys);
    if (info_read(ctx, &d) < 0)
        goto out;
    if (cmd_flag(call, "json")) {
        info_json(ctx, &d);
    } else {
        info_text_host(&o, &d);
        if (d.numa)
            info_text_topology(&d);
        info_text_xen(&o, &d);
    }
    status = AXL_EXIT_OK;
    if (o.oom) {
        error("info: out of memory");
        status = AXL_EXIT_FAIL;
    }
    status = out_status_flushed(status);
out:
    info_dispose(&d);
    return status;
}

const struct cmd_entry cmd_info_entry = {
    .name = "info",
    .summary = "show the host: its CPUs and memory, Xen's version and "
               "build",
    .usage = "[options] [<Field>]",
    .opts = cmd_info_opts,
    .min_args = 0,
    .max_args = 1,
    .first_arg = CMD_ARG_OTHER,
    .run = cmd_info_run,
};

/* ---- uptime ---- */

static const struct cmd_opt cmd_uptime_opts[] = {
    { 's', "short", NULL, "one line each, as uptime(1) prints it" },
    { 0, "json", NULL, "print the uptimes as a JSON array (schema in "
      "axl(1))" },
    { 0 },
};

struct uptime_row {
    uint32_t domid;
    char *name;                 /* NULL if the domain has none */
    unsigned long secs;
};

/* "3 days,  4:05:06", "1 day, ...", " 4:05:06"; without seconds for -s. */
static void uptime_text(unsigned long up, bool brief, char *buf,
                        size_t len)
{
    unsigned long day = up / 86400, hour = up / 3600 % 24;
    unsigned long min = up / 60 % 60, sec = up % 60;
    int k = 0;

    if (day)
        k = snprintf(buf, len, "%lu day%s, ", day, day > 1 ? "s" : "");
    k += snprintf(buf + k, len - k, "%2lu:%02lu", hour, min);
    if (!brief)
        snprintf(buf + k, len - k, ":%02lu", sec);
}

/* Domain-0's uptime is its kernel's, from /proc/uptime, as xl reads it. */
static int uptime_dom0(unsigned long *secs_r)
{
    FILE *f = fopen("/proc/uptime", "r");
    char buf[128];
    bool got;

    if (!f)
        return error_errno("uptime: cannot read Domain-0's uptime from "
                           "/proc/uptime");
    got = fgets(buf, sizeof(buf), f) != NULL;
    fclose(f);
    if (!got)
        return error("uptime: cannot read Domain-0's uptime from "
                     "/proc/uptime: empty file");
    /* xl keeps the whole seconds, in 32 bits. */
    *secs_r = (uint32_t)strtoul(buf, NULL, 10);
    return 0;
}

/*
 * One row for domid, appended to *rows; a guest whose start time is not
 * in xenstore (going away) is left out, as xl leaves it out.
 */
static int uptime_add(libxl_ctx *ctx, uint32_t domid, time_t now,
                      struct uptime_row *rows, int *n)
{
    unsigned long secs = 0;

    if (domid == 0) {
        if (uptime_dom0(&secs) < 0)
            return -1;
    } else {
        uint32_t start = libxl_vm_get_start_time(ctx, domid);

        if (start == (uint32_t)-1)
            return 0;
        secs = (uint32_t)(now - start);
    }
    rows[*n].domid = domid;
    rows[*n].name = libxl_domid_to_name(ctx, domid);
    rows[*n].secs = secs;
    (*n)++;
    return 0;
}

/* The domains asked for, or Domain-0 then every other VM, as xl lists. */
static int uptime_domids(struct cli *cli, struct cmd_call *call,
                         uint32_t **ids_r, int *n_r)
{
    libxl_vminfo *vms = NULL;
    uint32_t *ids;
    int i, n = 0, nvm = 0;

    if (call->argc == 0) {
        vms = libxl_list_vm(cli_libxl(cli), &nvm);
        if (!vms)
            return error("uptime: cannot list domains");
    }
    ids = calloc(call->argc + nvm + 1, sizeof(*ids));
    if (!ids) {
        if (vms)
            libxl_vminfo_list_free(vms, nvm);
        return error("uptime: out of memory");
    }
    for (i = 0; i < call->argc; i++)
        if (cmd_resolve_domain(cli, call->argv[i], &ids[n++], NULL) < 0) {
            free(ids);
            return -1;
        }
    if (vms) {
        ids[n++] = 0;
        for (i = 0; i < nvm; i++)
            if (vms[i].domid != 0)
                ids[n++] = vms[i].domid;
        libxl_vminfo_list_free(vms, nvm);
    }
    *ids_r = ids;
    *n_r = n;
    return 0;
}

static void uptime_print(const struct uptime_row *rows, int n, bool brief,
                         time_t now)
{
    char up[64], clock[16] = "";
    struct tm tm;
    int i;

    if (brief && localtime_r(&now, &tm))
        strftime(clock, sizeof(clock), "%H:%M:%S", &tm);
    if (!brief)
        printf("%-33s %4s %s\n", "Name", "ID", "Uptime");
    for (i = 0; i < n; i++) {
        const char *name = rows[i].name ? rows[i].name : "(null)";

        uptime_text(rows[i].secs, brief, up, sizeof(up));
        if (brief)
            printf(" %s up %s, %s (%u)\n", clock, up, name, rows[i].domid);
        else
            printf("%-33s %4u %s\n", name, rows[i].domid, up);
    }
}

static void uptime_json(const struct uptime_row *rows, int n)
{
    struct json j;
    int i;

    json_init(&j, stdout);
    json_open(&j, '[');
    for (i = 0; i < n; i++) {
        json_open(&j, '{');
        json_kstr(&j, "name", rows[i].name);
        json_kuint(&j, "domid", rows[i].domid);
        json_kuint(&j, "uptime", rows[i].secs);
        json_close(&j);
    }
    json_end(&j);
}

static int cmd_uptime_run(struct cli *cli, struct cmd_call *call)
{
    struct uptime_row *rows = NULL;
    uint32_t *ids = NULL;
    time_t now = time(NULL);
    int i, n = 0, nrows = 0, status = AXL_EXIT_FAIL;

    if (!cli_libxl(cli) || uptime_domids(cli, call, &ids, &n) < 0)
        return AXL_EXIT_FAIL;
    rows = calloc(n + 1, sizeof(*rows));
    if (!rows) {
        error("uptime: out of memory");
        goto out;
    }
    for (i = 0; i < n; i++)
        if (uptime_add(cli_libxl(cli), ids[i], now, rows, &nrows) < 0)
            goto out;
    if (cmd_flag(call, "json"))
        uptime_json(rows, nrows);
    else
        uptime_print(rows, nrows, cmd_flag(call, "short") > 0, now);
    status = out_status_flushed(AXL_EXIT_OK);
out:
    for (i = 0; rows && i < nrows; i++)
        free(rows[i].name);
    free(rows);
    free(ids);
    return status;
}

const struct cmd_entry cmd_uptime_entry = {
    .name = "uptime",
    .summary = "show how long domains have been running",
    .usage = "[options] [<Domain> ...]",
    .opts = cmd_uptime_opts,
    .min_args = 0,
    .max_args = -1,
    .first_arg = CMD_ARG_DOMAIN,
    .rest_args = CMD_ARG_DOMAIN,
    .run = cmd_uptime_run,
};

/* ---- domid, domname ---- */

static int cmd_domid_run(struct cli *cli, struct cmd_call *call)
{
    libxl_ctx *ctx = cli_libxl(cli);
    uint32_t domid;

    if (!ctx)
        return AXL_EXIT_FAIL;
    /* A name only, as xl: "0" is a name here, not an id. */
    if (libxl_name_to_domid(ctx, call->argv[0], &domid))
        return error("no such domain '%s'", call->argv[0]), AXL_EXIT_FAIL;
    printf("%u\n", domid);
    return out_status_flushed(AXL_EXIT_OK);
}

const struct cmd_entry cmd_domid_entry = {
    .name = "domid",
    .summary = "print the id of the domain with a given name",
    .usage = "<DomainName>",
    .min_args = 1,
    .max_args = 1,
    .first_arg = CMD_ARG_DOMAIN,
    .run = cmd_domid_run,
};

static int cmd_domname_run(struct cli *cli, struct cmd_call *call)
{
    unsigned long id;
    libxl_ctx *ctx;
    char *name;

    if (parse_uint(call->argv[0], UINT32_MAX, &id) < 0)
        return error("domname: invalid domain id '%s' (a number)",
                     call->argv[0]), AXL_EXIT_USAGE;
    ctx = cli_libxl(cli);
    if (!ctx)
        return AXL_EXIT_FAIL;
    name = libxl_domid_to_name(ctx, (uint32_t)id);
    if (!name)
        return error("no such domain '%s'", call->argv[0]), AXL_EXIT_FAIL;
    printf("%s\n", name);
    free(name);
    return out_status_flushed(AXL_EXIT_OK);
}

const struct cmd_entry cmd_domname_entry = {
    .name = "domname",
    .summary = "print the name of the domain with a given id",
    .usage = "<DomainId>",
    .min_args = 1,
    .max_args = 1,
    .first_arg = CMD_ARG_OTHER,
    .run = cmd_domname_run,
};

/* ---- vm-list ---- */

static const struct cmd_opt cmd_vm_list_opts[] = {
    { 0, "json", NULL, "print the domains as a JSON array (schema in "
      "axl(1))" },
    { 0 },
};

static void vm_list_json(libxl_ctx *ctx, libxl_vminfo *vms, int n)
{
    char uuid[LIBXL_UUID_FMTLEN + 1];
    struct json j;
    int i;

    json_init(&j, stdout);
    json_open(&j, '[');
    for (i = 0; i < n; i++) {
        char *name = libxl_domid_to_name(ctx, vms[i].domid);

        snprintf(uuid, sizeof(uuid), LIBXL_UUID_FMT,
                 LIBXL_UUID_BYTES(vms[i].uuid));
        json_open(&j, '{');
        json_kstr(&j, "uuid", uuid);
        json_kuint(&j, "domid", vms[i].domid);
        json_kstr(&j, "name", name);
        json_raw_free(&j, "vminfo", libxl_vminfo_to_json(ctx, &vms[i]));
        json_close(&j);
        free(name);
    }
    json_end(&j);
}

static int cmd_vm_list_run(struct cli *cli, struct cmd_call *call)
{
    libxl_ctx *ctx = cli_libxl(cli);
    libxl_vminfo *vms;
    int i, n = 0;

    if (!ctx)
        return AXL_EXIT_FAIL;
    vms = libxl_list_vm(ctx, &n);
    if (!vms)
        return error("vm-list: cannot list domains"), AXL_EXIT_FAIL;
    if (cmd_flag(call, "json")) {
        vm_list_json(ctx, vms, n);
    } else {
        printf("UUID                                  ID    name\n");
        for (i = 0; i < n; i++) {
            char *name = libxl_domid_to_name(ctx, vms[i].domid);

            printf(LIBXL_UUID_FMT "  %u    %-30s\n",
                   LIBXL_UUID_BYTES(vms[i].uuid), vms[i].domid,
                   name ? name : "(null)");
            free(name);
        }
    }
    libxl_vminfo_list_free(vms, n);
    return out_status_flushed(AXL_EXIT_OK);
}

const struct cmd_entry cmd_vm_list_entry = {
    .name = "vm-list",
    .summary = "list the domains that are not stub domains, with UUIDs",
    .usage = "[options]",
    .opts = cmd_vm_list_opts,
    .min_args = 0,
    .max_args = 0,
    .run = cmd_vm_list_run,
};

/* ---- dmesg ---- */

static const struct cmd_opt cmd_dmesg_opts[] = {
    { 'c', "clear", NULL, "clear Xen's console ring after reading it" },
    { 0 },
};

static int cmd_dmesg_run(struct cli *cli, struct cmd_call *call)
{
    libxl_ctx *ctx = cli_libxl(cli);
    libxl_xen_console_reader *cr;
    char *line;
    int rc;

    if (!ctx)
        return AXL_EXIT_FAIL;
    cr = libxl_xen_console_read_start(ctx, cmd_flag(call, "clear") > 0);
    if (!cr)
        return error("dmesg: cannot read Xen's console ring"),
               AXL_EXIT_FAIL;
    while ((rc = libxl_xen_console_read_line(ctx, cr, &line)) > 0)
        fputs(line, stdout);
    libxl_xen_console_read_finish(ctx, cr);
    if (rc < 0) {
        out_flush_stdout();
        error_libxl(rc, "dmesg: cannot read Xen's console ring");
        return AXL_EXIT_FAIL;
    }
    return out_status_flushed(AXL_EXIT_OK);
}

const struct cmd_entry cmd_dmesg_entry = {
    .name = "dmesg",
    .summary = "print Xen's console ring (its boot and log messages)",
    .usage = "[options]",
    .opts = cmd_dmesg_opts,
    .min_args = 0,
    .max_args = 0,
    .run = cmd_dmesg_run,
};

/* ---- claims ---- */

static const struct cmd_opt cmd_claims_opts[] = {
    { 0, "json", NULL, "print the domains as a JSON array (schema in "
      "axl(1))" },
    { 0 },
};

/* xl.conf's claim_mode: 1 or 0, or -1 after reporting a bad xl.conf. */
static int claims_mode(void)
{
    struct xlcfg_host host;
    struct xlcfg_opts xo;

    memset(&xo, 0, sizeof(xo));
    xo.report = cmd_xlcfg_report;
    if (xlcfg_host_read(&xo, &host) < 0)
        return -1;
    return host.claim_mode != 0;
}

/* The claimed memory, in MiB, as xl's Claimed column. */
static unsigned long claims_mib(const libxl_dominfo *d)
{
    return (unsigned long)d->outstanding_memkb / 1024;
}

static void claims_json(libxl_ctx *ctx, const libxl_dominfo *info, int n)
{
    struct json j;
    int i;

    json_init(&j, stdout);
    json_open(&j, '[');
    for (i = 0; i < n; i++) {
        json_open(&j, '{');
        cmd_dom_json(ctx, &j, &info[i]);
        json_kuint(&j, "claimed", claims_mib(&info[i]));
        json_close(&j);
    }
    json_end(&j);
}

static int cmd_claims_run(struct cli *cli, struct cmd_call *call)
{
    libxl_ctx *ctx = cli_libxl(cli);
    libxl_dominfo *info;
    int i, n = 0, mode = claims_mode();

    if (mode < 0 || !ctx)
        return AXL_EXIT_FAIL;
    if (!mode)
        warn("claims: claim_mode is off in xl.conf, so no domain claims "
             "memory (see xl.conf(5))");
    info = libxl_list_domain(ctx, &n);
    if (!info)
        return error("claims: cannot list domains"), AXL_EXIT_FAIL;
    if (cmd_flag(call, "json")) {
        claims_json(ctx, info, n);
    } else {
        printf("%s  Claimed\n", cmd_dom_header);
        for (i = 0; i < n; i++) {
            cmd_dom_row(ctx, &info[i]);
            printf(" %5lu\n", claims_mib(&info[i]));
        }
    }
    libxl_dominfo_list_free(info, n);
    return out_status_flushed(AXL_EXIT_OK);
}

const struct cmd_entry cmd_claims_entry = {
    .name = "claims",
    .summary = "list the memory domains have claimed and not yet "
               "allocated",
    .usage = "[options]",
    .opts = cmd_claims_opts,
    .min_args = 0,
    .max_args = 0,
    .run = cmd_claims_run,
};

/* ---- sharing ---- */

static const struct cmd_opt cmd_sharing_opts[] = {
    { 0, "json", NULL, "print the domains as a JSON array (schema in "
      "axl(1))" },
    { 0 },
};

/* The Shared column: the domain's pages shared with others, in MiB. */
static unsigned long sharing_mib(const libxl_dominfo *d)
{
    return (unsigned long)(d->shared_memkb / 1024);
}

static void sharing_out(libxl_ctx *ctx, const libxl_dominfo *info, int n,
                        bool json)
{
    struct json j;
    char *name;
    int i;

    json_init(&j, stdout);
    if (json)
        json_open(&j, '[');
    else
        printf("Name                                        ID   Mem "
               "Shared\n");
    for (i = 0; i < n; i++) {
        if (json) {
            json_open(&j, '{');
            cmd_dom_json(ctx, &j, &info[i]);
            json_kuint(&j, "shared", sharing_mib(&info[i]));
            json_close(&j);
            continue;
        }
        name = libxl_domid_to_name(ctx, info[i].domid);
        printf("%-40s %5d %5lu  %5lu\n", name ? name : "(null)",
               (int)info[i].domid, cmd_dom_mib(&info[i]),
               sharing_mib(&info[i]));
        free(name);
    }
    if (json)
        json_end(&j);
}

/*
 * The domains named (each resolved first: one bad name lists nothing),
 * into *info_r (n_r of them; free with libxl_dominfo_list_free).
 */
static int sharing_named(struct cli *cli, struct cmd_call *call,
                         libxl_dominfo **info_r, int *n_r)
{
    libxl_dominfo *info;
    uint32_t *ids;
    int i, rc = 0;

    ids = calloc(call->argc, sizeof(*ids));
    info = calloc(call->argc, sizeof(*info));
    if (!ids || !info) {
        free(ids);
        free(info);
        return error("sharing: out of memory");
    }
    for (i = 0; i < call->argc && rc == 0; i++)
        rc = cmd_resolve_domain(cli, call->argv[i], &ids[i], NULL);
    for (i = 0; i < call->argc; i++)
        libxl_dominfo_init(&info[i]);
    for (i = 0; i < call->argc && rc == 0; i++) {
        log_clear_error(cli->log);
        rc = libxl_domain_info(cli_libxl(cli), &info[i], ids[i]);
        if (rc)
            rc = cmd_libxl_failed(cli, rc, "sharing: cannot read domain "
                                  "'%s'", call->argv[i]);
    }
    free(ids);
    *info_r = info;
    *n_r = call->argc;
    return rc;
}

static int cmd_sharing_run(struct cli *cli, struct cmd_call *call)
{
    libxl_ctx *ctx = cli_libxl(cli);
    libxl_dominfo *info = NULL;
    int n = 0, status = AXL_EXIT_FAIL;

    if (!ctx)
        return AXL_EXIT_FAIL;
    if (call->argc == 0) {
        info = libxl_list_domain(ctx, &n);
        if (!info)
            return error("sharing: cannot list domains"), AXL_EXIT_FAIL;
    } else if (sharing_named(cli, call, &info, &n) < 0) {
        goto out;
    }
    sharing_out(ctx, info, n, cmd_flag(call, "json") > 0);
    status = out_status_flushed(AXL_EXIT_OK);
out:
    if (info)
        libxl_dominfo_list_free(info, n);
    return status;
}

const struct cmd_entry cmd_sharing_entry = {
    .name = "sharing",
    .summary = "show how much of each domain's memory is shared pages",
    .usage = "[options] [<Domain> ...]",
    .opts = cmd_sharing_opts,
    .min_args = 0,
    .max_args = -1,
    .first_arg = CMD_ARG_DOMAIN,
    .rest_args = CMD_ARG_DOMAIN,
    .run = cmd_sharing_run,
};
