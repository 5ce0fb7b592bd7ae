/*
 * complete: what may come next on a command line, from the table.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <libxl.h>
#include <libxl_utils.h>

#include "../core/names.h"
#include "cmd.h"
#include "complete.h"
#include "ctl.h"

static bool complete_prefix(const char *cand, const char *prefix)
{
    return !strncmp(cand, prefix, strlen(prefix));
}

static void complete_offer(const char *cand, const char *prefix,
                           complete_emit_fn *emit, void *user)
{
    if (complete_prefix(cand, prefix))
        emit(cand, user);
}

static bool complete_offers_cmd(const struct cli *cli,
                                const struct cmd_entry *e)
{
    if (e->flags & CMD_F_HIDDEN)
        return false;
    if (cli->interactive)
        return !(e->flags & CMD_F_EXEC);
    return !(e->flags & CMD_F_SHELL);
}

static void complete_commands(struct cli *cli, const char *prefix,
                              complete_emit_fn *emit, void *user)
{
    int i;

    for (i = 0; cmd_table[i]; i++)
        if (complete_offers_cmd(cli, cmd_table[i]))
            complete_offer(cmd_table[i]->name, prefix, emit, user);
}

static enum complete_more complete_arg(struct cli *cli,
                                       const struct cmd_entry *e,
                                       enum cmd_arg kind, const char *first,
                                       const char *prefix,
                                       complete_emit_fn *emit, void *user);

/*
 * A value for option o of e: file names for a FILE, domains for a
 * DOMAIN, cpupools for a CPUPOOL, each of its choices ("destroy|keep",
 * or a value written as choices, "pv|serial"); nothing else is known.
 */
static enum complete_more complete_value(struct cli *cli,
                                         const struct cmd_entry *e,
                                         const struct cmd_opt *o,
                                         const char *prefix,
                                         complete_emit_fn *emit, void *user)
{
    const char *p, *bar, *choices = o->choices ? o->choices : o->arg;
    char choice[64];

    if (!o->arg)
        return COMPLETE_DONE;
    if (!strcmp(o->arg, "FILE"))
        return COMPLETE_FILES;
    if (!strcmp(o->arg, "DOMAIN"))
        return complete_arg(cli, e, CMD_ARG_DOMAIN, NULL, prefix, emit,
                            user);
    if (!strcmp(o->arg, "CPUPOOL"))
        return complete_arg(cli, e, CMD_ARG_CPUPOOL, NULL, prefix, emit,
                            user);
    if (!strchr(choices, '|'))
        return COMPLETE_DONE;
    for (p = choices; *p; p = *bar ? bar + 1 : bar) {
        bar = strchr(p, '|');
        if (!bar)
            bar = p + strlen(p);
        snprintf(choice, sizeof(choice), "%.*s", (int)(bar - p), p);
        complete_offer(choice, prefix, emit, user);
    }
    return COMPLETE_DONE;
}

/* The option a word names: "--name", "--name=...", or "-x". */
static const struct cmd_opt *complete_find_opt(const struct cmd_entry *e,
                                               const char *w)
{
    const struct cmd_opt *o;
    int i;

    for (i = 0; (o = cmd_opt_at(e, i)); i++) {
        const char *names[2] = { o->long_name, o->alias };
        int k;

        if (w[0] != '-' || w[1] != '-') {
            if (w[0] == '-' && w[1] && o->short_name == w[1])
                return o;
            continue;
        }
        for (k = 0; k < 2; k++) {
            size_t n = names[k] ? strlen(names[k]) : 0;

            if (n && !strncmp(w + 2, names[k], n) &&
                (w[2 + n] == '\0' || w[2 + n] == '='))
                return o;
        }
    }
    return NULL;
}

static void complete_options(const struct cmd_entry *e, const char *prefix,
                             complete_emit_fn *emit, void *user)
{
    const struct cmd_opt *o;
    char buf[80];
    int i;

    for (i = 0; (o = cmd_opt_at(e, i)); i++) {
        snprintf(buf, sizeof(buf), "--%s%s", o->long_name,
                 o->arg ? "=" : "");
        complete_offer(buf, prefix, emit, user);
        if (!o->alias)
            continue;
        snprintf(buf, sizeof(buf), "--%s%s", o->alias, o->arg ? "=" : "");
        complete_offer(buf, prefix, emit, user);
    }
}

/* libxl for completion, or NULL on a host without Xen (no error then). */
static libxl_ctx *complete_ctx(struct cli *cli)
{
    libxl_ctx *ctx = loop_ctx(cli->lp);

    if (ctx)
        return ctx;
    /* Not a Xen host: say nothing rather than an error mid-line. */
    if (access("/dev/xen/privcmd", F_OK) != 0 &&
        access("/proc/xen/capabilities", F_OK) != 0)
        return NULL;
    return cli_libxl(cli);
}

static void complete_domains(struct cli *cli, const struct cmd_entry *e,
                             const char *prefix, complete_emit_fn *emit,
                             void *user)
{
    libxl_dominfo *info;
    libxl_ctx *ctx = complete_ctx(cli);
    int i, n = 0;

    if (!ctx)
        return;
    info = libxl_list_domain(ctx, &n);
    if (!info)
        return;
    for (i = 0; i < n; i++) {
        char *name;

        /* An operation on Domain-0 is refused: do not offer it. */
        if (info[i].domid == 0 && (e->flags & CMD_F_OP) &&
            !(e->flags & CMD_F_DOM0))
            continue;
        name = libxl_domid_to_name(ctx, info[i].domid);
        if (name)
            complete_offer(name, prefix, emit, user);
        free(name);
    }
    libxl_dominfo_list_free(info, n);
}

/* One kind of a domain's devices, each as the command line names it. */
typedef void complete_dev_fn(libxl_ctx *ctx, uint32_t domid,
                             const char *prefix, complete_emit_fn *emit,
                             void *user);

static void complete_disks(libxl_ctx *ctx, uint32_t domid,
                           const char *prefix, complete_emit_fn *emit,
                           void *user)
{
    libxl_device_disk *d;
    int i, n = 0;

    d = libxl_device_disk_list(ctx, domid, &n);
    for (i = 0; d && i < n; i++)
        if (d[i].vdev)
            complete_offer(d[i].vdev, prefix, emit, user);
    if (d)
        libxl_device_disk_list_free(d, n);
}

static void complete_pcis(libxl_ctx *ctx, uint32_t domid,
                          const char *prefix, complete_emit_fn *emit,
                          void *user)
{
    libxl_device_pci *p;
    char buf[24];
    int i, n = 0;

    p = libxl_device_pci_list(ctx, domid, &n);
    for (i = 0; p && i < n; i++) {
        snprintf(buf, sizeof(buf), "%04x:%02x:%02x.%01x", p[i].domain,
                 p[i].bus, p[i].dev, p[i].func);
        complete_offer(buf, prefix, emit, user);
    }
    if (p)
        libxl_device_pci_list_free(p, n);
}

/* The kinds named by their index. */
#define COMPLETE_DEVIDS(k)                                                 \
    static void complete_##k(libxl_ctx *ctx, uint32_t domid,              \
                             const char *prefix, complete_emit_fn *emit,  \
                             void *user)                                  \
    {                                                                     \
        libxl_device_##k *v;                                              \
        char buf[24];                                                     \
        int i, n = 0;                                                     \
                                                                          \
        v = libxl_device_##k##_list(ctx, domid, &n);                      \
        for (i = 0; v && i < n; i++) {                                    \
            snprintf(buf, sizeof(buf), "%d", v[i].devid);                 \
            complete_offer(buf, prefix, emit, user);                      \
        }                                                                 \
        if (v)                                                            \
            libxl_device_##k##_list_free(v, n);                           \
    }

COMPLETE_DEVIDS(nic)
COMPLETE_DEVIDS(vtpm)
COMPLETE_DEVIDS(vkb)
COMPLETE_DEVIDS(vdispl)
COMPLETE_DEVIDS(vsnd)
COMPLETE_DEVIDS(usbctrl)

static const struct {
    enum cmd_arg kind;
    complete_dev_fn *fn;
} complete_dev_kinds[] = {
    { CMD_ARG_DISK, complete_disks },   { CMD_ARG_NIC, complete_nic },
    { CMD_ARG_VTPM, complete_vtpm },    { CMD_ARG_VKB, complete_vkb },
    { CMD_ARG_VDISPL, complete_vdispl }, { CMD_ARG_VSND, complete_vsnd },
    { CMD_ARG_USBCTRL, complete_usbctrl }, { CMD_ARG_PCI, complete_pcis },
};

/*
 * The devices of the domain dom of the kind the argument is; false if
 * the argument is no device.
 */
static bool complete_devices(struct cli *cli, enum cmd_arg kind,
                             const char *dom, const char *prefix,
                             complete_emit_fn *emit, void *user)
{
    libxl_ctx *ctx;
    uint32_t domid;
    size_t i;

    for (i = 0; i < sizeof(complete_dev_kinds) /
                    sizeof(complete_dev_kinds[0]); i++) {
        if (complete_dev_kinds[i].kind != kind)
            continue;
        ctx = complete_ctx(cli);
        if (ctx && dom && !libxl_domain_qualifier_to_domid(ctx, dom, &domid))
            complete_dev_kinds[i].fn(ctx, domid, prefix, emit, user);
        return true;
    }
    return false;
}

static void complete_cpupools(struct cli *cli, const char *prefix,
                              complete_emit_fn *emit, void *user)
{
    libxl_cpupoolinfo *pools;
    libxl_ctx *ctx = complete_ctx(cli);
    int i, n = 0;

    if (!ctx)
        return;
    pools = libxl_list_cpupool(ctx, &n);
    if (!pools)
        return;
    for (i = 0; i < n; i++)
        if (pools[i].pool_name)
            complete_offer(pools[i].pool_name, prefix, emit, user);
    libxl_cpupoolinfo_list_free(pools, n);
}

/*
 * Host names from one file: /etc/hosts (every name after the address),
 * ssh's known_hosts (the plain names before the key; hashed ones cannot
 * be read) or ssh's config (its Host lines without patterns).
 */
enum complete_hosts_file { HOSTS_ETC, HOSTS_KNOWN, HOSTS_SSH_CONFIG };

/* A host name is offered only if migrate would take it. */
static void complete_host(const char *host, const char *prefix,
                          complete_emit_fn *emit, void *user)
{
    if (!names_host_invalid(host))
        complete_offer(host, prefix, emit, user);
}

static void complete_hosts_from(const char *path,
                                enum complete_hosts_file kind,
                                const char *prefix, complete_emit_fn *emit,
                                void *user)
{
    FILE *f = fopen(path, "r");
    char line[1024], *tok, *save, *p;
    int field;

    if (!f)
        return;
    while (fgets(line, sizeof(line), f)) {
        if ((p = strchr(line, '#')) && kind != HOSTS_KNOWN)
            *p = '\0';
        for (field = 0, tok = strtok_r(line, " \t\r\n", &save); tok;
             field++, tok = strtok_r(NULL, " \t\r\n", &save)) {
            if (kind == HOSTS_ETC && field > 0) {
                complete_host(tok, prefix, emit, user);
            } else if (kind == HOSTS_SSH_CONFIG && field == 0) {
                if (strcasecmp(tok, "host"))
                    break;
            } else if (kind == HOSTS_SSH_CONFIG) {
                if (!strpbrk(tok, "*?!"))
                    complete_host(tok, prefix, emit, user);
            } else if (kind == HOSTS_KNOWN && field == 0) {
                char *h, *hs;

                if (tok[0] == '|' || tok[0] == '@')
                    break;
                for (h = strtok_r(tok, ",", &hs); h;
                     h = strtok_r(NULL, ",", &hs)) {
                    if (h[0] == '[') {      /* [host]:port */
                        h++;
                        if ((p = strchr(h, ']')))
                            *p = '\0';
                    }
                    if (!strpbrk(h, "*?!"))
                        complete_host(h, prefix, emit, user);
                }
                break;
            }
        }
    }
    fclose(f);
}

static void complete_hosts(const char *prefix, complete_emit_fn *emit,
                           void *user)
{
    const char *home = getenv("HOME");
    char path[512];

    complete_hosts_from("/etc/hosts", HOSTS_ETC, prefix, emit, user);
    if (!home)
        return;
    snprintf(path, sizeof(path), "%s/.ssh/known_hosts", home);
    complete_hosts_from(path, HOSTS_KNOWN, prefix, emit, user);
    snprintf(path, sizeof(path), "%s/.ssh/config", home);
    complete_hosts_from(path, HOSTS_SSH_CONFIG, prefix, emit, user);
}

static void complete_jobs(struct cli *cli, const char *prefix,
                          complete_emit_fn *emit, void *user)
{
    struct job *j;
    struct ctl_job *all = NULL;
    int n = 0, i, k, *ids;
    char buf[24];

    /* Every process's jobs in flight, by PID.N and by domain. */
    n = ctl_list_all(cli, &all, 300, true);   /* a TAB: not long, not a word */
    for (i = k = 0; i < n; i++)     /* others' in flight (own: %N below) */
        if (strcmp(all[i].state, "done") && all[i].pid != getpid())
            all[k++] = all[i];
    for (n = k, i = 0; i < n; i++) {
        snprintf(buf, sizeof(buf), "%d.%d", (int)all[i].pid, all[i].id);
        complete_offer(buf, prefix, emit, user);
        for (k = 0; k < i; k++)     /* a domain once, however many jobs */
            if (!strcmp(all[k].label, all[i].label))
                break;
        if (all[i].label[0] && k == i)
            complete_offer(all[i].label, prefix, emit, user);
    }
    free(all);
    n = 0;
    if (!cli->interactive)
        return;
    for (j = cli->jobs; j; j = job_next(j))
        n++;
    ids = calloc(n ? n : 1, sizeof(*ids));
    if (!ids)
        return;
    /* cli->jobs is newest first: offer them oldest first. */
    for (i = n, j = cli->jobs; j; j = job_next(j))
        ids[--i] = job_id(j);
    for (i = 0; i < n; i++) {
        snprintf(buf, sizeof(buf), "%%%d", ids[i]);
        complete_offer(buf, prefix, emit, user);
    }
    free(ids);
}

static enum complete_more complete_arg(struct cli *cli,
                                       const struct cmd_entry *e,
                                       enum cmd_arg kind, const char *first,
                                       const char *prefix,
                                       complete_emit_fn *emit, void *user)
{
    if (complete_devices(cli, kind, first, prefix, emit, user))
        return COMPLETE_DONE;
    switch (kind) {
    case CMD_ARG_DOMAIN:
        complete_domains(cli, e, prefix, emit, user);
        break;
    case CMD_ARG_CPUPOOL:
        complete_cpupools(cli, prefix, emit, user);
        break;
    case CMD_ARG_HOST:
        complete_hosts(prefix, emit, user);
        break;
    case CMD_ARG_FILE:
        return COMPLETE_FILES;
    case CMD_ARG_COMMAND:
        complete_commands(cli, prefix, emit, user);
        break;
    case CMD_ARG_JOB:
        complete_jobs(cli, prefix, emit, user);
        break;
    default:
        break;
    }
    return COMPLETE_DONE;
}


enum complete_more complete_words(struct cli *cli, int argc, char **words,
                                  int cword, complete_emit_fn *emit,
                                  void *user)
{
    const struct cmd_entry *e = NULL;
    const struct cmd_opt *o;
    const char *cur = cword < argc ? words[cword] : "";
    const char *prev = cword >= 1 ? words[cword - 1] : "";
    const char *first = NULL;   /* the first positional argument */
    int i, npos = 0;
    bool opts_end = false;

    /* Global options, then the command. */
    for (i = 1; i < cword; i++) {
        if (words[i][0] != '-')
            break;
        o = complete_find_opt(&cmd_global_entry, words[i]);
        if (o && o->arg && !strchr(words[i], '=') && ++i == cword)
            return complete_value(cli, e, o, cur, emit, user);
    }
    if (i == cword) {
        if (cur[0] == '-')
            complete_options(&cmd_global_entry, cur, emit, user);
        else
            complete_commands(cli, cur, emit, user);
        return COMPLETE_DONE;
    }
    /* The command, as cmd_lookup() finds it: exact, or a unique prefix. */
    if (cmd_find(cmd_table, words[i], &e) != 1 || (e->flags & CMD_F_RAW))
        return COMPLETE_DONE;

    /*
     * The option value being typed: "--config FILE", or "--config=FILE"
     * split at '=' by readline ("--config=" then the value) or by bash
     * ("--config" "=" then the value).
     */
    if (!opts_end && prev[0] == '-' && prev[1] &&
        (o = complete_find_opt(e, prev)) && o->arg) {
        size_t n = strlen(prev);

        if (prev[1] != '-' ? prev[2] == '\0'
                           : !strchr(prev, '=') || prev[n - 1] == '=')
            return complete_value(cli, e, o, cur, emit, user);
    }
    if (cword >= 2 && !strcmp(prev, "=") &&
        (o = complete_find_opt(e, words[cword - 2])) && o->arg)
        return complete_value(cli, e, o, cur, emit, user);

    /* Count the positional arguments before the word. */
    for (i++; i < cword; i++) {
        const char *w = words[i];

        if (opts_end || w[0] != '-' || !w[1]) {
            if (!npos++)
                first = w;
            continue;
        }
        if (!strcmp(w, "--")) {
            opts_end = true;
            continue;
        }
        o = complete_find_opt(e, w);
        if (!o || !o->arg)
            continue;
        if (w[1] == '-' ? !strchr(w, '=') : w[2] == '\0')
            i++;                        /* the value is the next word */
        else if (w[1] == '-' && i + 1 < cword && !strcmp(words[i + 1], "="))
            i += 2;                     /* bash split "--opt=val" */
    }
    if (!opts_end && cur[0] == '-') {
        complete_options(e, cur, emit, user);
        return COMPLETE_DONE;
    }
    if (e->max_args >= 0 && npos >= e->max_args)
        return COMPLETE_DONE;
    return complete_arg(cli, e, npos == 0 ? e->first_arg : e->rest_args,
                        first, cur, emit, user);
}

void complete_files(const char *prefix, complete_emit_fn *emit, void *user)
{
    const char *slash = strrchr(prefix, '/');
    const char *base = slash ? slash + 1 : prefix;
    char *dir = NULL;
    struct dirent *de;
    DIR *d = NULL;

    if (slash) {
        dir = strndup(prefix, slash - prefix + 1);
        if (!dir)
            return;
    }
    d = opendir(dir ? dir : ".");
    if (!d)
        goto out;
    while ((de = readdir(d))) {
        struct stat st;
        char *path = NULL;

        if (!complete_prefix(de->d_name, base))
            continue;
        if (de->d_name[0] == '.' && base[0] != '.')
            continue;
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        if (asprintf(&path, "%s%s", dir ? dir : "", de->d_name) < 0)
            break;
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
            char *p2 = NULL;

            if (asprintf(&p2, "%s/", path) >= 0)
                emit(p2, user);
            free(p2);
        } else {
            emit(path, user);
        }
        free(path);
    }
out:
    if (d)
        closedir(d);
    free(dir);
}
