/*
 * wait: facts about what an operation waits on.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <libxl.h>
#include <xenstore.h>

#include "journal.h"
#include "loop.h"
#include "vec.h"
#include "wait.h"

/* A loop's connections and watches: its slot (LOOP_SLOT_WAIT). */
struct wait_state {
    /* Read-only, opened on first use: libxl's own handle is not ours. */
    struct xs_handle *xs;
    /*
     * The suspend watches (wait_suspend_watch()): a connection of their
     * own, and how many times each domain's control/shutdown was
     * written; as many as there are saves and migrations at once.
     */
    struct xs_handle *wx;
    struct wait_w {
        uint32_t domid;
        bool used;
        unsigned writes;    /* events, the one on registering included */
    } *w;
    size_t n_w, w_alloc;
    /*
     * The children as last seen (wait_children()): one look at /proc
     * for every op that asks within WAIT_FRESH_MS, and what does not
     * change while a child lives (its XENBUS_PATH, its device's name,
     * the script libxl started) read once.
     */
    struct wait_child *kids;
    size_t n_kids;
    uint64_t kids_ms;           /* when they were looked at; 0: never */
    char *self;                 /* axl's own command line */
    ssize_t self_len;
};

/* How long one look at the children serves every op that asks. */
#define WAIT_FRESH_MS 100

/* The loop is disposed: its connections close. */
static void wait_state_free(void *state)
{
    struct wait_state *ws = state;

    if (ws->xs)
        xs_close(ws->xs);
    if (ws->wx)
        xs_close(ws->wx);
    free(ws->w);
    free(ws->kids);
    free(ws->self);
    free(ws);
}

/* lp's state; NULL if it cannot be made (nothing is known then). */
static struct wait_state *wait_state(struct loop *lp)
{
    return loop_slot(lp, LOOP_SLOT_WAIT, sizeof(struct wait_state),
                     wait_state_free);
}

/* lp's read-only connection, opened on first use; NULL if none. */
static struct xs_handle *wait_xsh(struct loop *lp)
{
    struct wait_state *ws = wait_state(lp);

    if (!ws)
        return NULL;
    if (!ws->xs)
        ws->xs = xs_open(XS_OPEN_READONLY);
    return ws->xs;
}


static char *wait_read(struct loop *lp, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Read a whole /proc file of pid, however long; NULL on failure. */
static char *wait_proc_all(pid_t pid, const char *what, ssize_t *len_r)
{
    char path[64], *buf = NULL, *nb;
    size_t cap = 0, len = 0;
    ssize_t n;
    int fd;

    snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, what);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    for (;;) {
        if (cap - len < 4096) {
            if (cap >= (1u << 20))
                break;          /* a megabyte of environment is enough */
            cap = cap ? 2 * cap : 8192;
            nb = realloc(buf, cap + 1);
            if (!nb)
                break;
            buf = nb;
        }
        n = read(fd, buf + len, cap - len);
        if (n <= 0)
            break;
        len += n;
    }
    close(fd);
    if (buf)
        buf[len] = '\0';
    *len_r = len;
    return buf;
}

static void wait_xenbus(struct wait_child *c, const char *env, ssize_t n)
{
    const char *p = env, *end = env + n;

    c->domid = (uint32_t)INVALID_DOMID;
    c->dm_domid = (uint32_t)INVALID_DOMID;
    c->devid = -1;
    for (; p < end; p += strlen(p) + 1) {
        unsigned domid;
        int devid;
        char type[16];

        if (!strncmp(p, "XEN_DOMAIN_ID=", 14)) {
            if (sscanf(p + 14, "%u", &domid) == 1)
                c->dm_domid = domid;
            continue;
        }
        if (strncmp(p, "XENBUS_PATH=", 12))
            continue;
        if (sscanf(p + 12, "backend/%15[^/]/%u/%d", type, &domid,
                   &devid) == 3) {
            snprintf(c->type, sizeof(c->type), "%s", type);
            c->domid = domid;
            c->devid = devid;
        }
    }
}

/* Whether prog runs a script named by its first argument. */
static bool wait_interpreter(const char *prog)
{
    static const char *const shells[] = { "sh", "bash", "dash", "ash",
                                          "python3", "python", "perl" };
    size_t i;

    for (i = 0; i < sizeof(shells) / sizeof(shells[0]); i++)
        if (!strcmp(prog, shells[i]))
            return true;
    return false;
}

/*
 * What a hotplug child was started for, read once: the device's name
 * and the script libxl named in the device's backend (the child may
 * since have exec'd a helper of its own).
 */
static void wait_device(struct loop *lp, struct wait_child *c)
{
    char *script;
    const char *slash;

    wait_dev_name(lp, c->type, c->domid, c->devid, c->dev, sizeof(c->dev));
    script = wait_read(lp, "/local/domain/0/backend/%s/%u/%d/script",
                       c->type, c->domid, c->devid);
    slash = script ? strrchr(script, '/') : NULL;
    snprintf(c->script, sizeof(c->script), "%.63s",
             slash ? slash + 1 : script ? script : "");
    free(script);
}

/* Look at one child: false if it has not exec'd (or is gone). */
static bool wait_look(struct loop *lp, struct wait_state *ws,
                      struct wait_child *c, const struct wait_child *was)
{
    char *cmd, *env, *argv0;
    const char *slash;
    ssize_t len, env_len;
    pid_t pid = c->pid;

    cmd = wait_proc_all(pid, "cmdline", &len);
    /* Not exec'd yet: it still runs axl's own command line. */
    if (!cmd || len <= 0 ||
        (ws->self && len == ws->self_len && !memcmp(cmd, ws->self, len))) {
        free(cmd);
        return false;
    }
    /* The same child keeps what it was started for; what runs is new. */
    if (was)
        *c = *was;
    else
        memset(c, 0, sizeof(*c));
    c->pid = pid;
    c->arg[0] = '\0';
    /* A script runs as "/bin/sh /path/script arg": name the script. */
    argv0 = cmd;
    slash = strrchr(argv0, '/');
    if (wait_interpreter(slash ? slash + 1 : argv0) &&
        (ssize_t)strlen(argv0) + 1 < len && argv0[strlen(argv0) + 1] == '/')
        argv0 += strlen(argv0) + 1;
    snprintf(c->path, sizeof(c->path), "%.127s", argv0);
    slash = strrchr(argv0, '/');
    snprintf(c->prog, sizeof(c->prog), "%.63s", slash ? slash + 1 : argv0);
    if (argv0 + strlen(argv0) + 1 < cmd + len)
        snprintf(c->arg, sizeof(c->arg), "%.31s", argv0 + strlen(argv0) + 1);
    free(cmd);
    if (was)
        return true;
    /* libxl adds XENBUS_PATH after the whole inherited environment */
    env = wait_proc_all(pid, "environ", &env_len);
    wait_xenbus(c, env ? env : "", env ? env_len : 0);
    free(env);
    if (c->domid != (uint32_t)INVALID_DOMID) {
        wait_device(lp, c);
        /* Its argument as libxl gave it, if it still runs the script. */
        if (!strcmp(c->prog, c->script))
            memcpy(c->script_arg, c->arg, sizeof(c->arg));
    }
    return true;
}

/* lp's children, looked at again if the last look is WAIT_FRESH_MS old. */
static void wait_look_all(struct loop *lp, struct wait_state *ws)
{
    struct wait_child *v;
    pid_t *pids;
    unsigned long long *starts;
    uint64_t now = loop_now_ms();
    size_t i, k = 0;
    int n;

    if (ws->kids_ms && now - ws->kids_ms < WAIT_FRESH_MS)
        return;
    if (!ws->self)
        ws->self = wait_proc_all(getpid(), "cmdline", &ws->self_len);
    n = journal_children_started(lp, &pids, &starts);
    v = calloc(n > 0 ? n : 1, sizeof(*v));
    if (!v) {
        free(pids);
        free(starts);
        return;
    }
    for (i = 0; i < (size_t)n; i++) {
        const struct wait_child *was = NULL;
        size_t j;

        for (j = 0; j < ws->n_kids && !was; j++)
            if (ws->kids[j].pid == pids[i] && ws->kids[j].start == starts[i])
                was = &ws->kids[j];
        v[k].pid = pids[i];
        if (wait_look(lp, ws, &v[k], was)) {
            v[k].start = starts[i];
            k++;
        }
    }
    free(pids);
    free(starts);
    free(ws->kids);
    ws->kids = v;
    ws->n_kids = k;
    ws->kids_ms = now;
}

void wait_children_stale(struct loop *lp)
{
    struct wait_state *ws = wait_state(lp);

    /* A look made this millisecond stands: a cancel of many jobs looks once. */
    if (ws && ws->kids_ms != loop_now_ms())
        ws->kids_ms = 0;
}

int wait_children(struct loop *lp, uint32_t domid, struct wait_child *v,
                  int max)
{
    struct wait_state *ws = wait_state(lp);
    size_t i;
    int k = 0;

    if (!ws)
        return 0;
    wait_look_all(lp, ws);
    for (i = 0; i < ws->n_kids && k < max; i++) {
        const struct wait_child *c = &ws->kids[i];

        /* A device model is its domain's alone, as a hotplug script is. */
        if (c->dm_domid != (uint32_t)INVALID_DOMID ? c->dm_domid == domid
                                                   : c->domid == domid ||
                                                     c->domid == (uint32_t)INVALID_DOMID)
            v[k++] = *c;
    }
    return k;
}

bool wait_dm_recorded(struct loop *lp, uint32_t domid)
{
    static const char *const nodes[] = { "device-model-pid",
                                         "device-model-kill-uid" };
    struct xs_handle *h = wait_xsh(lp);
    char path[96];
    unsigned int len;
    size_t i;

    if (!h)
        return true;            /* cannot tell: as if it were */
    for (i = 0; i < sizeof(nodes) / sizeof(nodes[0]); i++) {
        void *v;

        snprintf(path, sizeof(path), "/local/domain/%u/image/%s", domid,
                 nodes[i]);
        v = xs_read(h, XBT_NULL, path, &len);
        if (v || errno != ENOENT) {
            free(v);
            return true;        /* there, or cannot tell */
        }
    }
    return false;
}

bool wait_dm_starting(struct loop *lp, const struct wait_child *c)
{
    struct wait_state *ws = wait_state(lp);
    char *stat, *cmd, *p;
    ssize_t len, cmd_len;
    long ppid = 0;
    bool waits;

    if (!ws || !ws->self)
        return false;
    /* "PID (COMM) STATE PPID ...": COMM may hold anything but the last ')'. */
    stat = wait_proc_all(c->pid, "stat", &len);
    p = stat ? strrchr(stat, ')') : NULL;
    if (p)
        sscanf(p + 1, " %*c %ld", &ppid);
    free(stat);
    if (ppid <= 1)
        return false;
    cmd = wait_proc_all((pid_t)ppid, "cmdline", &cmd_len);
    waits = cmd && cmd_len == ws->self_len && !memcmp(cmd, ws->self, cmd_len);
    free(cmd);
    return waits;
}

/* Whether pid runs libxl's save (or restore) helper for domid. */
static bool wait_is_save_helper(pid_t pid, uint32_t domid, const char *mode)
{
    char *cmd, *p, *end, *argv[5];
    ssize_t len;
    bool yes = false;
    int a;

    /* libxl-save-helper --save-domain STREAM_FD BACK_FD DOMID ... */
    cmd = wait_proc_all(pid, "cmdline", &len);
    if (!cmd || len <= 0) {
        free(cmd);
        return false;
    }
    for (a = 0, p = cmd, end = cmd + len; a < 5 && p < end; a++) {
        argv[a] = p;
        p += strlen(p) + 1;
    }
    if (a == 5 && !strcmp(argv[1], mode) &&
        strtoul(argv[4], NULL, 10) == domid) {
        p = strrchr(argv[0], '/');
        yes = !strcmp(p ? p + 1 : argv[0], "libxl-save-helper");
    }
    free(cmd);
    return yes;
}

/*
 * The helper of domid in mode, in *pid_r (the one found last time, if it
 * still is one: no scan); false if none runs.
 */
static bool wait_helper_find(struct loop *lp, uint32_t domid,
                             const char *mode, pid_t *pid_r)
{
    pid_t *pids;
    int i, n;

    if (domid == (uint32_t)INVALID_DOMID)
        return false;
    if (*pid_r <= 0 || !wait_is_save_helper(*pid_r, domid, mode)) {
        *pid_r = 0;
        n = journal_children(lp, &pids);
        for (i = 0; i < n && !*pid_r; i++)
            if (wait_is_save_helper(pids[i], domid, mode))
                *pid_r = pids[i];
        free(pids);
    }
    return *pid_r > 0;
}

/* The helper's count of bytes ("wchar:" or "rchar:") in /proc/PID/io. */
static int64_t wait_helper_io(struct loop *lp, uint32_t domid,
                              const char *mode, const char *field,
                              pid_t *pid_r)
{
    int64_t written = -1;
    ssize_t len;
    char *io, *p;

    if (!wait_helper_find(lp, domid, mode, pid_r))
        return -1;
    io = wait_proc_all(*pid_r, "io", &len);
    p = io ? strstr(io, field) : NULL;
    if (p)
        written = strtoll(p + strlen(field), NULL, 10);
    free(io);
    return written;
}

int64_t wait_save_helper_written(struct loop *lp, uint32_t domid,
                                 pid_t *pid_r)
{
    return wait_helper_io(lp, domid, "--save-domain", "wchar:", pid_r);
}

int64_t wait_save_helper_read(struct loop *lp, uint32_t domid, pid_t *pid_r)
{
    return wait_helper_io(lp, domid, "--restore-domain", "rchar:", pid_r);
}

pid_t wait_save_on_dm(struct loop *lp, uint32_t domid, pid_t *pid_r)
{
    char *sc, *v, *end = NULL, want[32];
    ssize_t len;
    bool waits;
    long dm = 0;

    if (!wait_helper_find(lp, domid, "--save-domain", pid_r))
        return 0;
    /* /proc/PID/syscall: the call's number, then its arguments (hex). */
    snprintf(want, sizeof(want), "%d 0x0 ", (int)SYS_read);
    sc = wait_proc_all(*pid_r, "syscall", &len);
    waits = sc && !strncmp(sc, want, strlen(want));
    free(sc);
    if (!waits)
        return 0;
    v = wait_read(lp, "/local/domain/%u/image/device-model-pid", domid);
    if (v) {
        errno = 0;
        dm = strtol(v, &end, 10);
        if (errno || end == v || *end || dm <= 0 || dm > INT32_MAX)
            dm = 0;
    }
    free(v);
    return (pid_t)dm;
}

/* Read one xenstore node as a string; NULL if absent.  Caller frees. */
static char *wait_read(struct loop *lp, const char *fmt, ...)
{
    struct xs_handle *h = wait_xsh(lp);
    char path[256];
    unsigned int len;
    va_list ap;

    if (!h)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(path, sizeof(path), fmt, ap);
    va_end(ap);
    return xs_read(h, XBT_NULL, path, &len);
}

bool wait_suspend_asked(struct loop *lp, uint32_t domid)
{
    char *v = wait_read(lp, "/local/domain/%u/control/shutdown", domid);
    bool asked = v && !strcmp(v, "suspend");

    free(v);
    return asked;
}

static void wait_w_path(uint32_t domid, char *path, size_t len,
                        char *token, size_t tlen)
{
    snprintf(path, len, "/local/domain/%u/control/shutdown", domid);
    snprintf(token, tlen, "axl-suspend-%u", domid);
}

int wait_suspend_watch(struct loop *lp, uint32_t domid)
{
    struct wait_state *ws = wait_state(lp);
    char path[64], token[32];
    int i, free_i = -1;

    if (!ws)
        return -1;
    for (i = 0; i < (int)ws->n_w; i++) {
        if (ws->w[i].used && ws->w[i].domid == domid)
            return 0;
        if (!ws->w[i].used && free_i < 0)
            free_i = i;
    }
    if (free_i < 0) {
        if (vec_room(&ws->w, ws->n_w, &ws->w_alloc, sizeof(*ws->w)) < 0)
            return -1;
        free_i = (int)ws->n_w++;
    }
    if (!ws->wx && !(ws->wx = xs_open(0)))
        return -1;
    wait_w_path(domid, path, sizeof(path), token, sizeof(token));
    if (!xs_watch(ws->wx, path, token))
        return -1;
    ws->w[free_i].used = true;
    ws->w[free_i].domid = domid;
    ws->w[free_i].writes = 0;
    return 0;
}

void wait_suspend_unwatch(struct loop *lp, uint32_t domid)
{
    struct wait_state *ws = loop_slot(lp, LOOP_SLOT_WAIT, 0, NULL);
    char path[64], token[32];
    int i;

    for (i = 0; ws && i < (int)ws->n_w; i++) {
        if (!ws->w[i].used || ws->w[i].domid != domid)
            continue;
        wait_w_path(domid, path, sizeof(path), token, sizeof(token));
        xs_unwatch(ws->wx, path, token);
        ws->w[i].used = false;
    }
}

bool wait_suspend_acked(struct loop *lp, uint32_t domid)
{
    struct wait_state *ws = wait_state(lp);
    char path[64], token[32], **ev;
    unsigned int len;
    int i;
    char *v;
    bool acked;

    if (!ws)
        return false;
    for (i = 0; i < (int)ws->n_w; i++)
        if (ws->w[i].used && ws->w[i].domid == domid)
            break;
    if (i == (int)ws->n_w || !ws->wx)
        return false;
    wait_w_path(domid, path, sizeof(path), token, sizeof(token));
    /* Read first: every write before it has its event queued by then. */
    v = xs_read(ws->wx, XBT_NULL, path, &len);
    while ((ev = xs_check_watch(ws->wx))) {
        int k;

        for (k = 0; k < (int)ws->n_w; k++) {
            char t[32], p[64];

            if (!ws->w[k].used)
                continue;
            wait_w_path(ws->w[k].domid, p, sizeof(p), t, sizeof(t));
            if (!strcmp(ev[XS_WATCH_TOKEN], t))
                ws->w[k].writes++;
        }
        free(ev);
    }
    /*
     * Registering is one event, libxl's request a second, the guest's
     * answer (it empties the node) a third: it was taken.
     */
    acked = ws->w[i].writes >= 3 && !(v && !strcmp(v, "suspend"));
    free(v);
    return acked;
}

const char *wait_dev_name(struct loop *lp, const char *type, uint32_t domid,
                          int devid, char *buf, size_t len)
{
    char *dev = NULL;

    if (!strcmp(type, "vbd") || !strcmp(type, "qdisk"))
        dev = wait_read(lp, "/local/domain/0/backend/%s/%u/%d/dev", type,
                        domid, devid);
    if (dev)
        snprintf(buf, len, "%s", dev);
    else
        snprintf(buf, len, "%s %d", type, devid);
    free(dev);
    return buf;
}

static const char *wait_state_name(int st)
{
    static const char *const names[] = {
        "Unknown", "Initialising", "InitWait", "Initialised", "Connected",
        "Closing", "Closed", "Reconfiguring", "Reconfigured",
    };

    return st >= 0 && st < (int)(sizeof(names) / sizeof(names[0]))
               ? names[st] : "unknown";
}

bool wait_backend(struct loop *lp, uint32_t domid, char *buf, size_t len)
{
    struct xs_handle *h = wait_xsh(lp);
    char path[128], **types, **devs;
    unsigned int nt = 0, nd = 0, i, j;
    bool found = false;

    if (!h)
        return false;
    types = xs_directory(h, XBT_NULL, "/local/domain/0/backend", &nt);
    for (i = 0; types && i < nt && !found; i++) {
        /* xenconsoled drives no xenbus state; libxl does not wait on it */
        if (!strcmp(types[i], "console"))
            continue;
        snprintf(path, sizeof(path), "/local/domain/0/backend/%s/%u",
                 types[i], domid);
        devs = xs_directory(h, XBT_NULL, path, &nd);
        for (j = 0; devs && j < nd && !found; j++) {
            char *st = wait_read(lp, "%s/%s/state", path, devs[j]), n[64];
            int state = st ? atoi(st) : 0;

            free(st);
            if (state >= 2)
                continue;
            wait_dev_name(lp, types[i], domid, atoi(devs[j]), n, sizeof(n));
            snprintf(buf, len, "waiting for %s backend to connect (state "
                     "%s)", n, wait_state_name(state));
            found = true;
        }
        free(devs);
    }
    free(types);
    return found;
}
