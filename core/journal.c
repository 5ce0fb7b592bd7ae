/*
 * journal: records of operations in flight, under /run/axl/.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "journal.h"
#include "loop.h"
#include "vec.h"

/*
 * The last number a record's file name took.  The process's, not a
 * loop's: the names of one process's records differ only by it (pid and
 * start time are the process's), so two loops counting each for itself
 * would name two records alike.
 */
static unsigned journal_seq;

/*
 * A loop's records on disk, and the children forked for it, for
 * journal_child: as many as there are (a storm of creates has hundreds
 * of each).  Its slot in the loop (LOOP_SLOT_JOURNAL).
 */
struct journal_state {
    struct journal_rec **live;
    size_t n_live, live_alloc;
    struct journal_kid {
        pid_t pid;
        unsigned long long start;
        const struct journal_rec *owner;    /* its op's; NULL: every op's */
    } *kids;
    size_t n_kids, kids_alloc;
    size_t kids_looked;     /* n_kids when the gone were last forgotten */
};

static void journal_state_free(void *state)
{
    struct journal_state *js = state;

    free(js->live);
    free(js->kids);
    free(js);
}

/* lp's state; NULL (none, and nothing kept) if it cannot be made. */
static struct journal_state *journal_state(struct loop *lp)
{
    return loop_slot(lp, LOOP_SLOT_JOURNAL, sizeof(struct journal_state),
                     journal_state_free);
}

/* Forget rec as one of lp's live records. */
static void journal_unlive(struct loop *lp, const struct journal_rec *rec,
                           bool forget_kids)
{
    struct journal_state *js = lp ? loop_slot(lp, LOOP_SLOT_JOURNAL, 0,
                                              NULL) : NULL;
    size_t i, k;

    /*
     * Its own children: forgotten with a record removed (its op is over:
     * what still runs is meant to outlive it, a guest's device model, and
     * no other record may name it for a cleanup to kill); every record's
     * with one left for the user.
     */
    for (i = k = 0; js && i < js->n_kids; i++) {
        if (js->kids[i].owner == rec) {
            if (forget_kids)
                continue;
            js->kids[i].owner = NULL;
        }
        js->kids[k++] = js->kids[i];
    }
    if (js) {
        js->n_kids = k;
        if (js->kids_looked > k)
            js->kids_looked = k;
    }
    for (i = 0; js && i < js->n_live; i++) {
        if (js->live[i] == rec) {
            js->live[i] = js->live[--js->n_live];
            return;
        }
    }
}

const char *journal_dir(void)
{
    const char *d = getenv("AXL_JOURNAL_DIR");

    return d && d[0] == '/' ? d : JOURNAL_DIR_DEFAULT;
}

const char *journal_dir_untrusted(char *why, size_t len)
{
    const char *dir = journal_dir();
    struct stat st;

    if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
        snprintf(why, len, "cannot make '%s': %s", dir, strerror(errno));
        return why;
    }
    if (lstat(dir, &st) < 0)
        snprintf(why, len, "cannot read '%s': %s", dir, strerror(errno));
    else if (!S_ISDIR(st.st_mode))
        snprintf(why, len, "'%s' is not a directory", dir);
    else if (st.st_uid != geteuid())
        snprintf(why, len, "'%s' belongs to another user (uid %u)", dir,
                 (unsigned)st.st_uid);
    else if (st.st_mode & 077)
        snprintf(why, len, "'%s' is open to others (mode %03o, not 700)",
                 dir, (unsigned)(st.st_mode & 0777));
    else
        return NULL;
    return why;
}

/*
 * pid's /proc/PID/stat from its third field on (the state), in buf; NULL
 * if it cannot be read.  The command before it may hold spaces and ')':
 * the fields count from the last ')'.
 */
static const char *journal_stat(pid_t pid, char *buf, size_t len)
{
    char path[64], *p;
    ssize_t n;
    int fd;

    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    n = read(fd, buf, len - 1);
    close(fd);
    if (n <= 0)
        return NULL;
    buf[n] = '\0';
    p = strrchr(buf, ')');
    return p && p[1] == ' ' ? p + 2 : NULL;
}

unsigned long long journal_proc_start(pid_t pid)
{
    char buf[1024];
    const char *p = journal_stat(pid, buf, sizeof(buf));
    int i;

    /* Field 22 is the start time; p is field 3. */
    for (i = 3; i < 22 && p; i++) {
        p = strchr(p, ' ');
        if (p)
            p++;
    }
    return p ? strtoull(p, NULL, 10) : 0;
}

/* A zombie has exited: its record's owner is gone. */
static bool journal_zombie(pid_t pid)
{
    char buf[1024];
    const char *p = journal_stat(pid, buf, sizeof(buf));

    return p && *p == 'Z';
}

int journal_sync_file(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK), e;

    if (fd < 0)
        return -1;
    if (fsync(fd) < 0) {
        e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    return close(fd);
}

bool journal_owner_alive(const struct journal_rec *rec)
{
    if (rec->pid <= 0 || (kill(rec->pid, 0) < 0 && errno == ESRCH))
        return false;
    return rec->start && journal_proc_start(rec->pid) == rec->start &&
           !journal_zombie(rec->pid);
}

int journal_write(struct loop *lp, struct journal_rec *rec)
{
    struct journal_state *js = journal_state(lp);
    char tmp[600], uuid[40];
    FILE *f;
    int e;

    if (!rec->path[0]) {
        char why[600];

        if (journal_dir_untrusted(why, sizeof(why))) {
            errno = EPERM;
            return -1;
        }
        rec->pid = getpid();
        rec->start = journal_proc_start(rec->pid);
        snprintf(rec->path, sizeof(rec->path), "%s/%d-%llu-%u.op",
                 journal_dir(), (int)rec->pid, rec->start, ++journal_seq);
    }
    /* Without a state, it is written all the same, naming no child. */
    rec->children[0] = '\0';
    if (js) {
        size_t i, k = 0;

        for (i = 0; i < js->n_live && js->live[i] != rec; i++)
            ;
        /* Without room it is written all the same, only not rewritten. */
        if (i == js->n_live &&
            vec_room(&js->live, js->n_live, &js->live_alloc,
                     sizeof(*js->live)) == 0)
            js->live[js->n_live++] = rec;
        /* The newest children first: the ones most likely still there. */
        for (i = rec->left ? 0 : js->n_kids; i-- > 0;) {
            int w;

            if (js->kids[i].owner && js->kids[i].owner != rec)
                continue;
            w = snprintf(rec->children + k, sizeof(rec->children) - k,
                             "%s%d:%llu", k ? " " : "",
                             (int)js->kids[i].pid, js->kids[i].start);

            if (w < 0 || (size_t)w >= sizeof(rec->children) - k) {
                rec->children[k] = '\0';   /* whole entries only */
                break;
            }
            k += (size_t)w;
        }
    }
    snprintf(tmp, sizeof(tmp), "%s.tmp", rec->path);
    snprintf(uuid, sizeof(uuid), LIBXL_UUID_FMT, LIBXL_UUID_BYTES(rec->uuid));
    /* One value a line: a newline in a phase must not make a key. */
    for (char *p = rec->phase; *p; p++)
        if ((unsigned char)*p < ' ')
            *p = ' ';
    for (char *p = rec->name; *p; p++)
        if ((unsigned char)*p < ' ')
            *p = ' ';
    for (char *p = rec->to; *p; p++)
        if ((unsigned char)*p < ' ')
            *p = ' ';
    /* A file name with a newline cannot be written: none is better. */
    if (strchr(rec->file, '\n') || strchr(rec->final, '\n'))
        rec->file[0] = rec->final[0] = '\0';
    f = fopen(tmp, "we");
    if (!f)
        return -1;
    fprintf(f, "verb=%s\nname=%s\nuuid=%s\ndomid=%u\ndev=%s\nvdev=%s\n"
            "devid=%d\nkeep=%d\nphase=%s\npid=%d\nstart=%llu\nchildren=%s\n"
            "kind=%s\n",
            rec->verb, rec->name, uuid, rec->domid, rec->dev, rec->vdev,
            rec->devid, rec->keep, rec->phase, (int)rec->pid, rec->start,
            rec->children, journal_kind_name(rec->kind));
    if (rec->devkind[0])
        fprintf(f, "devkind=%s\n", rec->devkind);
    if (rec->stream)
        fprintf(f, "stream=1\nresume=%d\nsaved=%d\nfile=%s\nfinal=%s\n",
                rec->resume, rec->saved, rec->file, rec->final);
    if (rec->after != JOURNAL_AFTER_NONE)
        fprintf(f, "after=%s\n", journal_after_name(rec->after));
    if (rec->go)
        fprintf(f, "go=1\nto=%s\n", rec->to);
    if (rec->left)
        fprintf(f, "left=1\n");
    if (fclose(f) == EOF || rename(tmp, rec->path) < 0) {
        e = errno;
        unlink(tmp);
        errno = e;
        return -1;
    }
    return 0;
}

int journal_remove(struct loop *lp, struct journal_rec *rec)
{
    int rc = 0;

    journal_unlive(lp, rec, true);
    if (!rec->path[0])
        return 0;
    if (unlink(rec->path) < 0 && errno != ENOENT)
        rc = -1;
    rec->path[0] = '\0';
    return rc;
}

int journal_leave(struct loop *lp, struct journal_rec *rec)
{
    int rc;

    if (!rec->path[0])
        return 0;
    rec->left = true;
    /* Unwritten, the record as it was stays: an orphan once we exit. */
    rc = journal_write(lp, rec);
    journal_unlive(lp, rec, false);
    rec->path[0] = '\0';
    return rc;
}

void journal_child(struct loop *lp, pid_t pid)
{
    journal_child_at(lp, pid, journal_proc_start(pid));
}

void journal_child_at(struct loop *lp, pid_t pid, unsigned long long start)
{
    journal_child_of(lp, NULL, pid, start);
}

void journal_child_of(struct loop *lp, struct journal_rec *rec,
                      pid_t pid, unsigned long long start)
{
    struct journal_state *js = journal_state(lp);
    size_t i, k;

    if (!js)
        return;
    /*
     * Forget children gone (their start time is another process's), once
     * the list has doubled since the last look: a look per child would
     * read /proc for every child of a storm's hundreds.
     */
    if (js->n_kids >= 2 * js->kids_looked + 8) {
        for (i = k = 0; i < js->n_kids; i++)
            if (journal_proc_start(js->kids[i].pid) == js->kids[i].start)
                js->kids[k++] = js->kids[i];
        js->n_kids = js->kids_looked = k;
    }
    for (i = 0; rec && i < js->n_live && js->live[i] != rec; i++)
        ;
    if (rec && i == js->n_live)
        rec = NULL;             /* not a live record: every record's */
    if (vec_room(&js->kids, js->n_kids, &js->kids_alloc,
                 sizeof(*js->kids)) == 0) {
        js->kids[js->n_kids].pid = pid;
        js->kids[js->n_kids].start = start;
        js->kids[js->n_kids].owner = rec;
        js->n_kids++;
    }
    if (rec) {
        journal_write(lp, rec);
        return;
    }
    for (i = 0; i < js->n_live; i++)
        if (js->live[i]->path[0])
            journal_write(lp, js->live[i]);
}

int journal_children_started(struct loop *lp, pid_t **pids_r,
                           unsigned long long **starts_r)
{
    struct journal_state *js = journal_state(lp);
    size_t n_kids = js ? js->n_kids : 0, i;
    pid_t *v = malloc(sizeof(*v) * (n_kids ? n_kids : 1));
    unsigned long long *st = starts_r ? malloc(sizeof(*st) *
                                               (n_kids ? n_kids : 1))
                                      : NULL;
    int n = 0;

    *pids_r = v;
    if (starts_r)
        *starts_r = st;
    if (!v || (starts_r && !st))
        return 0;
    /* The gone are forgotten here too: this look read them all. */
    for (i = 0; i < n_kids; i++)
        if (journal_proc_start(js->kids[i].pid) == js->kids[i].start) {
            if (st)
                st[n] = js->kids[i].start;
            v[n] = js->kids[i].pid;
            js->kids[n++] = js->kids[i];
        }
    if (js)
        js->n_kids = js->kids_looked = (size_t)n;
    return n;
}

int journal_children(struct loop *lp, pid_t **pids_r)
{
    return journal_children_started(lp, pids_r, NULL);
}

/*
 * Whether /proc/PID/WHAT (NUL-separated words) has a word starting with
 * prefix, read a page at a time (a word longer than a page is not one);
 * the rest of that word in val (len bytes, if any).
 */
static bool journal_proc_find(pid_t pid, const char *what, const char *prefix,
                              char *val, size_t len)
{
    char path[64], buf[4096];
    size_t keep = 0, plen = strlen(prefix);
    ssize_t n;
    bool found = false, skip = false;
    int fd;

    snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, what);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    while (!found) {
        char *p = buf, *end, *z;

        n = read(fd, buf + keep, sizeof(buf) - 1 - keep);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        end = buf + keep + n;
        while (!found && (z = memchr(p, '\0', (size_t)(end - p)))) {
            found = !skip && !strncmp(p, prefix, plen);
            if (found && len)
                snprintf(val, len, "%s", p + plen);
            skip = false;
            p = z + 1;
        }
        keep = (size_t)(end - p);
        if (keep == sizeof(buf) - 1) {
            keep = 0;           /* too long to be the one: its rest too */
            skip = true;
        }
        memmove(buf, p, keep);
    }
    close(fd);
    return found;
}

/*
 * Whether pid is a device model: libxl gives an HVM guest's XEN_DOMAIN_ID
 * in its environment, and every QEMU it starts (a PV guest's disk or
 * framebuffer backend too) -xen-domid among its arguments.
 */
static bool journal_device_model(pid_t pid)
{
    return journal_proc_find(pid, "environ", "XEN_DOMAIN_ID=", NULL, 0) ||
           journal_proc_find(pid, "cmdline", "-xen-domid", NULL, 0);
}

bool journal_kill_device_model(pid_t pid, unsigned long long start,
                               uint32_t domid)
{
    char val[16];

    if (pid <= 1 || journal_proc_start(pid) != start ||
        !journal_proc_find(pid, "environ", "XEN_DOMAIN_ID=", val, sizeof(val)) ||
        strtoul(val, NULL, 10) != domid)
        return false;
    kill(pid, SIGKILL);
    return true;
}

bool journal_kill_child(pid_t pid, unsigned long long start, bool group)
{
    /* Still the process named: the same start time, a session's leader. */
    if (pid <= 1 || journal_proc_start(pid) != start || getsid(pid) != pid)
        return false;
    if (group)
        kill(-pid, SIGKILL);    /* its session's group */
    kill(pid, SIGKILL);
    return true;
}

/*
 * The domain a device model serves: XEN_DOMAIN_ID in its environment
 * (an HVM guest's), else the word after -xen-domid among its arguments
 * (any QEMU libxl starts); INVALID_DOMID if neither.
 */
static uint32_t journal_dm_domid(pid_t pid)
{
    char path[64], buf[4096], val[16], *p, *end, *e;
    unsigned long id = ~0ul;
    ssize_t n;
    int fd;

    if (journal_proc_find(pid, "environ", "XEN_DOMAIN_ID=", val,
                          sizeof(val))) {
        id = strtoul(val, &e, 10);
        if (*e || e == val)
            id = ~0ul;
    }
    if (id == ~0ul) {
        snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
        if (fd >= 0)
            close(fd);
        if (n > 0) {
            buf[n] = '\0';
            for (p = buf, end = buf + n; p < end; p += strlen(p) + 1)
                if (!strcmp(p, "-xen-domid") && p + strlen(p) + 1 < end) {
                    p += strlen(p) + 1;
                    id = strtoul(p, &e, 10);
                    if (*e || e == p)
                        id = ~0ul;
                    break;
                }
        }
    }
    return id > UINT32_MAX ? (uint32_t)INVALID_DOMID : (uint32_t)id;
}

int journal_kill_children(const struct journal_rec *rec, bool group,
                          journal_dm_goes_fn *dm_goes, void *user)
{
    const char *p = rec->children;
    int n = 0;

    while (*p) {
        char *end;
        long pid = strtol(p, &end, 10);
        unsigned long long start;

        if (end == p || *end != ':')
            break;
        start = strtoull(end + 1, &end, 10);
        p = end + strspn(end, " ");
        if (pid <= 1 || pid > INT_MAX)
            continue;
        /* A device model goes only where dm_goes says (journal.h). */
        if (journal_proc_start((pid_t)pid) != start)
            continue;           /* gone, or another process now */
        if (journal_device_model((pid_t)pid)) {
            uint32_t domid = journal_dm_domid((pid_t)pid);

            if (!dm_goes || domid == (uint32_t)INVALID_DOMID ||
                !dm_goes(domid, rec, user))
                continue;
        }
        if (journal_kill_child((pid_t)pid, start, group))
            n++;
    }
    return n;
}

/* Copy a value (the rest of the line) into dst. */
static const char *const journal_kinds[] = {
    [JOURNAL_UNKNOWN] = "unknown", [JOURNAL_CREATE] = "create",
    [JOURNAL_ATTACH] = "attach", [JOURNAL_SAVE] = "save",
    [JOURNAL_MIGRATE] = "migrate", [JOURNAL_DUMP] = "dump",
};

static const char *const journal_afters[] = {
    [JOURNAL_AFTER_NONE] = "", [JOURNAL_AFTER_DESTROY] = "destroy",
    [JOURNAL_AFTER_PAUSE] = "pause", [JOURNAL_AFTER_RESUME] = "resume",
    [JOURNAL_AFTER_UNPAUSE] = "unpause",
};

#define JOURNAL_N(a) (sizeof(a) / sizeof((a)[0]))

const char *journal_kind_name(enum journal_kind k)
{
    return (unsigned)k < JOURNAL_N(journal_kinds) ? journal_kinds[k]
                                                  : "unknown";
}

enum journal_kind journal_kind_by_name(const char *s)
{
    unsigned i;

    for (i = 1; i < JOURNAL_N(journal_kinds); i++)
        if (!strcmp(journal_kinds[i], s))
            return (enum journal_kind)i;
    return JOURNAL_UNKNOWN;
}

const char *journal_after_name(enum journal_after a)
{
    return (unsigned)a < JOURNAL_N(journal_afters) ? journal_afters[a] : "";
}

enum journal_after journal_after_by_name(const char *s)
{
    unsigned i;

    for (i = 1; i < JOURNAL_N(journal_afters); i++)
        if (!strcmp(journal_afters[i], s))
            return (enum journal_after)i;
    return JOURNAL_AFTER_NONE;
}

/* A record written before records had a kind: the verbs axl used then. */
static enum journal_kind journal_kind_of_verb(const char *verb)
{
    size_t n = strlen(verb);

    if (!strcmp(verb, "create") || !strcmp(verb, "incoming migration"))
        return JOURNAL_CREATE;
    if (!strcmp(verb, "save"))
        return JOURNAL_SAVE;
    if (!strcmp(verb, "migrate"))
        return JOURNAL_MIGRATE;
    if (!strcmp(verb, "dump-core"))
        return JOURNAL_DUMP;
    if (n > 7 && !strcmp(verb + n - 7, "-attach"))
        return JOURNAL_ATTACH;
    return JOURNAL_UNKNOWN;
}

static void journal_val(char *dst, size_t len, const char *v)
{
    snprintf(dst, len, "%.*s", (int)strcspn(v, "\n"), v);
}

/* Read one record; 0, or -1 if it is not one of ours. */
static int journal_read(const char *path, struct journal_rec *rec)
{
    char line[sizeof(rec->children) + 600];
    struct stat st;
    FILE *f = NULL;
    int fields = 0;
    /* No symlink, no FIFO to hang on, only root's (our) own files. */
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);

    if (fd < 0)
        return -1;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
        st.st_uid != geteuid() || !(f = fdopen(fd, "r"))) {
        close(fd);
        return -1;
    }
    memset(rec, 0, sizeof(*rec));
    rec->devid = -1;
    rec->domid = (uint32_t)INVALID_DOMID;
    while (fgets(line, sizeof(line), f)) {
        char *v = strchr(line, '=');

        if (!v)
            continue;
        *v++ = '\0';
        fields++;
        if (!strcmp(line, "verb"))
            journal_val(rec->verb, sizeof(rec->verb), v);
        else if (!strcmp(line, "name"))
            journal_val(rec->name, sizeof(rec->name), v);
        else if (!strcmp(line, "uuid")) {
            char u[40];

            journal_val(u, sizeof(u), v);
            libxl_uuid_from_string(&rec->uuid, u);
        } else if (!strcmp(line, "domid"))
            rec->domid = (uint32_t)strtoul(v, NULL, 10);
        else if (!strcmp(line, "dev"))
            journal_val(rec->dev, sizeof(rec->dev), v);
        else if (!strcmp(line, "vdev"))
            journal_val(rec->vdev, sizeof(rec->vdev), v);
        else if (!strcmp(line, "devid"))
            rec->devid = atoi(v);
        else if (!strcmp(line, "keep"))
            rec->keep = atoi(v) != 0;
        else if (!strcmp(line, "phase"))
            journal_val(rec->phase, sizeof(rec->phase), v);
        else if (!strcmp(line, "pid"))
            rec->pid = (pid_t)atoi(v);
        else if (!strcmp(line, "start"))
            rec->start = strtoull(v, NULL, 10);
        else if (!strcmp(line, "children"))
            journal_val(rec->children, sizeof(rec->children), v);
        else if (!strcmp(line, "stream"))
            rec->stream = atoi(v) != 0;
        else if (!strcmp(line, "resume"))
            rec->resume = atoi(v) != 0;
        else if (!strcmp(line, "saved"))
            rec->saved = atoi(v) != 0;
        else if (!strcmp(line, "file"))
            journal_val(rec->file, sizeof(rec->file), v);
        else if (!strcmp(line, "final"))
            journal_val(rec->final, sizeof(rec->final), v);
        else if (!strcmp(line, "after")) {
            char a[16];

            journal_val(a, sizeof(a), v);
            rec->after = journal_after_by_name(a);
        } else if (!strcmp(line, "kind")) {
            char k[16];

            journal_val(k, sizeof(k), v);
            rec->kind = journal_kind_by_name(k);
        } else if (!strcmp(line, "devkind"))
            journal_val(rec->devkind, sizeof(rec->devkind), v);
        else if (!strcmp(line, "go"))
            rec->go = atoi(v) != 0;
        else if (!strcmp(line, "to"))
            journal_val(rec->to, sizeof(rec->to), v);
        else if (!strcmp(line, "left"))
            rec->left = atoi(v) != 0;
        else
            fields--;
    }
    fclose(f);
    snprintf(rec->path, sizeof(rec->path), "%s", path);
    if (rec->kind == JOURNAL_UNKNOWN)
        rec->kind = journal_kind_of_verb(rec->verb);
    return fields >= 12 && rec->verb[0] ? 0 : -1;
}

void journal_each_orphan(void (*fn)(struct journal_rec *rec, void *user),
                         void *user)
{
    struct dirent *de;
    char why[600];
    DIR *d;

    if (journal_dir_untrusted(why, sizeof(why)))
        return;
    d = opendir(journal_dir());
    if (!d)
        return;
    while ((de = readdir(d))) {
        struct journal_rec rec;
        char path[400];
        size_t n = strlen(de->d_name);

        if (n > 7 && !strcmp(de->d_name + n - 7, ".op.tmp")) {
            /* A write its owner never finished: moot once it is gone. */
            struct journal_rec who = { .pid = 0 };
            int pid;

            if (sscanf(de->d_name, "%d-%llu-", &pid, &who.start) == 2) {
                who.pid = pid;
                snprintf(path, sizeof(path), "%s/%s", journal_dir(),
                         de->d_name);
                if (!journal_owner_alive(&who))
                    unlink(path);
            }
            continue;
        }
        if (n < 4 || strcmp(de->d_name + n - 3, ".op"))
            continue;
        snprintf(path, sizeof(path), "%s/%s", journal_dir(), de->d_name);
        if (journal_read(path, &rec) < 0 ||
            (!rec.left && journal_owner_alive(&rec)))
            continue;
        fn(&rec, user);
    }
    closedir(d);
}
