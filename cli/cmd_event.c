/*
 * cmd_event: `axl event [DOM]`, what happens on the host as it happens:
 * every domain's life, whoever made it (created, paused, unpaused, shut
 * down and why, crashed, destroyed, renamed, a device added or removed),
 * and every axl operation's (started, its phases, cancelled and by whom,
 * ended), one line each or JSON lines, until Ctrl-C.
 *
 * Domains: a look at the hypervisor's list every 250 ms (a hypercall, no
 * xenstore: pausing has no xenstore event), names once a second, and
 * devices when xenstore says a backend changed (one watch).  Operations:
 * each axl process's socket (ctl.c), looked for anew every second.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <libxl.h>
#include <libxl_utils.h>
#include <xenstore.h>

#include "../core/status.h"
#include "cmd.h"
#include "ctl.h"
#include "json.h"
#include "out.h"
#include "parse.h"

#define EV_TICK_MS 250
#define EV_MAX_DEVS 64

/* What is known of a domain, to tell what changed. */
struct ev_dom {
    uint32_t domid;
    char name[128];
    bool paused, shutdown, dying;
    int reason;
    char devs[EV_MAX_DEVS][24];     /* "vif/0", "vbd/51712", ... */
    int n_devs;
    bool seen;                      /* still there at the last look */
    bool announced;                 /* its "created" was said */
    uint64_t t_new;                 /* when it was first seen (ms) */
};

struct ev {
    libxl_ctx *ctx;
    struct xs_handle *xs;
    const char *only;               /* DOM: a name or an id, or NULL */
    bool json;
    struct ev_dom *doms;
    int n_doms;
    struct { pid_t pid; int fd; } *subs;
    int n_subs;
};

static const char *ev_reason(int r)
{
    static const char *const names[] = { "poweroff", "reboot", "suspend",
                                         "crash", "watchdog", "soft_reset" };

    return r >= 0 && r < (int)(sizeof(names) / sizeof(names[0]))
           ? names[r] : "unknown";
}

/* Whether an event about this domain is one the user asked for. */
static bool ev_wanted(struct ev *e, uint32_t domid, const char *name)
{
    char id[16];

    if (!e->only)
        return true;
    snprintf(id, sizeof(id), "%u", domid);
    return !strcmp(e->only, id) || (name && !strcmp(e->only, name));
}

/* Print one event: a line, or a JSON line. */
static void ev_say(struct ev *e, const char *kind, uint32_t domid,
                   const char *name, const char *what, const char *id,
                   const char *op, const char *detail)
{
    char when[32];
    struct json j;
    struct tm tm;
    time_t now = time(NULL);

    if (!ev_wanted(e, domid, name))
        return;
    gmtime_r(&now, &tm);
    strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
    if (e->json) {
        json_init(&j, stdout);
        json_compact(&j);   /* JSON lines: one event, one line */
        json_open(&j, '{');
        json_kstr(&j, "time", when);
        json_kstr(&j, "kind", kind);
        json_key(&j, "domid");
        if (domid != (uint32_t)INVALID_DOMID)
            json_uint(&j, domid);
        else
            json_null(&j);
        json_kstr(&j, "domain", name && name[0] ? name : NULL);
        json_kstr(&j, "event", what);
        if (id) {
            json_kstr(&j, "id", id);
            json_kstr(&j, "operation", op);
        }
        json_kstr(&j, "detail", detail && detail[0] ? detail : NULL);
        json_close(&j);
        json_end(&j);
    } else if (id) {
        printf("%s operation %s: %s of '%s' %s%s%s\n", when, id, op,
               name && name[0] ? name : "?", what,
               detail && detail[0] ? ": " : "", detail ? detail : "");
    } else {
        printf("%s domain %u ('%s') %s%s%s\n", when, domid,
               name && name[0] ? name : "?", what,
               detail && detail[0] ? " " : "", detail ? detail : "");
    }
    fflush(stdout);
}

static struct ev_dom *ev_find(struct ev *e, uint32_t domid)
{
    int i;

    for (i = 0; i < e->n_doms; i++)
        if (e->doms[i].domid == domid)
            return &e->doms[i];
    return NULL;
}

/*
 * An event of a domain, after its "created" if that was not said yet: a
 * new domain is said once it has its name (libxl writes the name just
 * after it makes the domain), or after a second without one.
 */
static void ev_dom_say(struct ev *e, struct ev_dom *d, const char *what,
                       const char *detail)
{
    char *name;

    if (!d->announced) {
        if (!d->name[0] && (name = libxl_domid_to_name(e->ctx, d->domid))) {
            snprintf(d->name, sizeof(d->name), "%s", name);
            free(name);
        }
        d->announced = true;
        ev_say(e, "domain", d->domid, d->name, "created", NULL, NULL,
               d->paused ? "(paused)" : "");
    }
    if (what)
        ev_say(e, "domain", d->domid, d->name, what, NULL, NULL, detail);
}

/* The devices xenstore lists for a domain's backends, as "type/devid". */
static int ev_devices(struct ev *e, uint32_t domid,
                      char devs[EV_MAX_DEVS][24])
{
    static const char *const types[] = { "vif", "vbd", "qdisk", "vkbd",
                                         "vfb", "console", "vtpm", "9pfs",
                                         "vusb", "qusb", "pci", "vdispl",
                                         "vsnd", "pvcalls" };
    char path[96], **ids;
    unsigned int n, k;
    size_t t;
    int count = 0;

    if (!e->xs)
        return 0;
    for (t = 0; t < sizeof(types) / sizeof(types[0]); t++) {
        snprintf(path, sizeof(path), "/local/domain/0/backend/%s/%u",
                 types[t], domid);
        ids = xs_directory(e->xs, XBT_NULL, path, &n);
        for (k = 0; ids && k < n && count < EV_MAX_DEVS; k++)
            snprintf(devs[count++], sizeof(devs[0]), "%s/%s", types[t],
                     ids[k]);
        free(ids);
    }
    return count;
}

/* A device in a that b lacks: said as added (b old) or removed. */
static void ev_dev_diff(struct ev *e, struct ev_dom *d,
                        char a[EV_MAX_DEVS][24], int na,
                        char b[EV_MAX_DEVS][24], int nb, const char *what)
{
    int i, k;

    for (i = 0; i < na; i++) {
        for (k = 0; k < nb && strcmp(a[i], b[k]); k++)
            ;
        if (k == nb)
            ev_dom_say(e, d, what, a[i]);
    }
}

static void ev_look_devices(struct ev *e)
{
    char now[EV_MAX_DEVS][24];
    int i, n;

    for (i = 0; i < e->n_doms; i++) {
        struct ev_dom *d = &e->doms[i];

        n = ev_devices(e, d->domid, now);
        ev_dev_diff(e, d, now, n, d->devs, d->n_devs, "device added");
        ev_dev_diff(e, d, d->devs, d->n_devs, now, n, "device removed");
        memcpy(d->devs, now, sizeof(now));
        d->n_devs = n;
    }
}

/* The hypervisor's list against what was known: what changed, said. */
static void ev_look_domains(struct ev *e, bool names, bool quiet)
{
    libxl_dominfo *info;
    struct ev_dom *d, *nd;
    char *name;
    int n, i, k;

    info = libxl_list_domain(e->ctx, &n);
    if (!info)
        return;
    for (k = 0; k < e->n_doms; k++)
        e->doms[k].seen = false;
    for (i = 0; i < n; i++) {
        d = ev_find(e, info[i].domid);
        if (!d) {
            nd = realloc(e->doms, (e->n_doms + 1) * sizeof(*nd));
            if (!nd)
                break;
            e->doms = nd;
            d = &e->doms[e->n_doms++];
            memset(d, 0, sizeof(*d));
            d->domid = info[i].domid;
            name = libxl_domid_to_name(e->ctx, d->domid);
            snprintf(d->name, sizeof(d->name), "%s", name ? name : "");
            free(name);
            d->n_devs = ev_devices(e, d->domid, d->devs);
            d->paused = info[i].paused;
            d->shutdown = info[i].shutdown;
            d->dying = info[i].dying;
            d->reason = info[i].shutdown_reason;
            d->announced = quiet;   /* the ones there at the start: known */
            d->t_new = loop_now_ms();
        }
        d->seen = true;
        if (!d->announced) {
            if (!d->name[0] &&
                (name = libxl_domid_to_name(e->ctx, d->domid))) {
                snprintf(d->name, sizeof(d->name), "%s", name);
                free(name);
            }
            if (d->name[0] || loop_now_ms() - d->t_new >= 1000)
                ev_dom_say(e, d, NULL, NULL);
        }
        if (names) {
            name = libxl_domid_to_name(e->ctx, d->domid);
            if (name && strcmp(name, d->name)) {
                /* A name first seen now was not there yet: no rename. */
                if (d->name[0])
                    ev_dom_say(e, d, "renamed", name);
                snprintf(d->name, sizeof(d->name), "%s", name);
            }
            free(name);
        }
        if (info[i].shutdown && !d->shutdown)
            ev_dom_say(e, d, info[i].shutdown_reason ==
                       LIBXL_SHUTDOWN_REASON_CRASH ? "crashed" : "shut down",
                       ev_reason(info[i].shutdown_reason));
        else if (d->announced && !info[i].shutdown && !info[i].dying &&
                 info[i].paused != d->paused)
            ev_dom_say(e, d, info[i].paused ? "paused" : "unpaused", "");
        d->paused = info[i].paused;
        d->shutdown = info[i].shutdown;
        d->dying = info[i].dying;
    }
    libxl_dominfo_list_free(info, n);
    for (k = 0; k < e->n_doms; ) {
        if (e->doms[k].seen) {
            k++;
            continue;
        }
        ev_dom_say(e, &e->doms[k], "destroyed", "");
        e->doms[k] = e->doms[--e->n_doms];
    }
}

/* New axl processes: listen to them too. */
static void ev_look_processes(struct ev *e)
{
    pid_t *pids;
    int n, i, k, fd;
    void *ns;

    n = ctl_pids(&pids);
    for (i = 0; i < n; i++) {
        for (k = 0; k < e->n_subs && e->subs[k].pid != pids[i]; k++)
            ;
        if (k < e->n_subs || (fd = ctl_subscribe(pids[i])) < 0)
            continue;
        ns = realloc(e->subs, (e->n_subs + 1) * sizeof(*e->subs));
        if (!ns) {
            close(fd);
            break;
        }
        e->subs = ns;
        e->subs[e->n_subs].pid = pids[i];
        e->subs[e->n_subs++].fd = fd;
    }
    free(pids);
}

/* An operation's event from process pid. */
static void ev_op(struct ev *e, pid_t pid, char *line)
{
    char *f[6], *p = line, id[32];
    int n = 0;

    while (n < 6) {
        f[n++] = p;
        p = strchr(p, '\t');
        if (!p)
            break;
        *p++ = '\0';
    }
    if (n != 6)
        return;
    snprintf(id, sizeof(id), "%d.%s", (int)pid, f[1]);
    ev_say(e, "operation", (uint32_t)strtoul(f[4], NULL, 10), f[3], f[0],
           id, f[2], f[5]);
}

static int cmd_event_run(struct cli *cli, struct cmd_call *call)
{
    struct ev e;
    struct pollfd *p = NULL;
    uint64_t next_names = 0, next_procs = 0, now;
    char line[1024];
    int i, n, r;

    memset(&e, 0, sizeof(e));
    e.only = call->argc ? call->argv[0] : NULL;
    e.json = cmd_flag(call, "json") > 0;
    e.ctx = cli_libxl(cli);
    if (!e.ctx)
        return AXL_EXIT_FAIL;
    e.xs = xs_open(XS_OPEN_READONLY);
    if (!e.xs || !xs_watch(e.xs, "/local/domain/0/backend", "backend"))
        warn("event: no device events: %s", strerror(errno));
    ev_look_domains(&e, false, true);
    /* Until Ctrl-C, which ends axl at once (nothing here to cancel). */
    for (;;) {
        now = loop_now_ms();
        if (now >= next_procs) {
            ev_look_processes(&e);
            next_procs = now + 1000;
        }
        free(p);
        p = calloc(e.n_subs + 1, sizeof(*p));
        if (!p)
            return error("event: out of memory"), AXL_EXIT_FAIL;
        n = 0;
        if (e.xs) {
            p[n].fd = xs_fileno(e.xs);
            p[n++].events = POLLIN;
        }
        for (i = 0; i < e.n_subs; i++) {
            p[n].fd = e.subs[i].fd;
            p[n++].events = POLLIN;
        }
        r = poll(p, n, EV_TICK_MS);
        if (r < 0 && errno != EINTR)
            return error_errno("event: poll"), AXL_EXIT_FAIL;
        /* Operations first: their end comes before the domain's. */
        for (i = 0; i < e.n_subs; ) {
            int k = ctl_event_read(e.subs[i].fd, line, sizeof(line));

            if (k > 0) {
                ev_op(&e, e.subs[i].pid, line);
                continue;
            }
            if (k < 0) {
                close(e.subs[i].fd);
                e.subs[i] = e.subs[--e.n_subs];
                continue;
            }
            i++;
        }
        now = loop_now_ms();
        ev_look_domains(&e, now >= next_names, false);
        if (now >= next_names)
            next_names = now + 1000;
        if (e.xs && r > 0 && (p[0].revents & POLLIN)) {
            unsigned int k;
            char **w = xs_read_watch(e.xs, &k);

            free(w);
            ev_look_devices(&e);
        }
        if (ferror(stdout))
            return AXL_EXIT_FAIL;
    }
}

static const struct cmd_opt cmd_event_opts[] = {
    { 0, "json", NULL, "one JSON object a line (time, kind, domid, "
      "domain, event, id, operation, detail)" },
    { 0 },
};

const struct cmd_entry cmd_event_entry = {
    .name = "event",
    .summary = "follow domains' and axl operations' events as they happen",
    .usage = "[options] [<Domain>]",
    .opts = cmd_event_opts,
    .min_args = 0,
    .max_args = 1,
    .first_arg = CMD_ARG_DOMAIN,
    .run = cmd_event_run,
};
