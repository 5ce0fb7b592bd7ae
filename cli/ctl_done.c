/*
 * ctl_done: the record of finished operations on this host, which every
 * axl process appends to (one JSON line each) and jobs --done reads.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <libxl.h>

#include "../core/esc.h"
#include "../core/op.h"
#include "../core/status.h"
#include "cli.h"
#include "ctl.h"
#include "json.h"
#include "out.h"

#define CTL_DONE_DIR "/var/lib/axl"
#define CTL_DONE_MAX (256 * 1024)   /* then the file becomes done.1 */

/* Where the record lives: AXL_STATE_DIR (absolute), or /var/lib/axl. */
static const char *ctl_done_dir(void)
{
    const char *d = getenv("AXL_STATE_DIR");

    return d && d[0] == '/' ? d : CTL_DONE_DIR;
}

/*
 * The record's directory, made root's and 0700 if missing; 0 if it is
 * root's and no one else can write in it (the journal's rule), else -1.
 */
static int ctl_done_dir_ok(void)
{
    const char *dir = ctl_done_dir();
    struct stat st;

    if (mkdir(dir, 0700) < 0 && errno == ENOENT) {
        /* A dom0 without /var/lib: its parents, as a package would. */
        char parent[PATH_MAX], *p;

        snprintf(parent, sizeof(parent), "%s", dir);
        for (p = strchr(parent + 1, '/'); p; p = strchr(p + 1, '/')) {
            *p = '\0';
            if (mkdir(parent, 0755) < 0 && errno != EEXIST)
                return -1;
            *p = '/';
        }
        mkdir(dir, 0700);
    }
    if (lstat(dir, &st) < 0 || !S_ISDIR(st.st_mode) || st.st_uid != 0 ||
        (st.st_mode & 022))
        return -1;
    return 0;
}

/* Who cancelled the job, in words; NULL if no one did. */
static const char *ctl_canceller(struct job *j, char *buf, size_t len)
{
    int why = op_why(job_op(j));

    if (job_canceller(j)[0])
        return job_canceller(j);
    if (why == OP_WHY_TIMEOUT)
        return "--timeout";
    if (why > 0) {
        snprintf(buf, len, "signal %d (%s)", why, esc_signame(why));
        return buf;
    }
    return NULL;
}

/*
 * Append one JSON line for a finished job to CTL_DONE_DIR/done: when,
 * who ran it, what it did, its outcome and who cancelled it, the time in
 * each phase, and for a stream the bytes and the rate.  Nothing is said
 * if it cannot be written: the operation's own outcome is what counts.
 */
void ctl_log_done(struct job *j)
{
    struct op *op = job_op(j);
    const char *keys[32], *who;
    uint32_t ms[32];
    char path[PATH_MAX - 8], old[PATH_MAX], when[32], wbuf[96];
    char *line = NULL;
    size_t len = 0;
    struct stat st;
    struct json js;
    struct tm tm;
    FILE *f;
    time_t now = time(NULL);
    double total = op_ms_total(op);
    uint64_t bytes = op_stream_total(op);
    int fd, n, i;

    if (ctl_done_dir_ok() < 0)
        return;
    snprintf(path, sizeof(path), "%s/done", ctl_done_dir());
    if (lstat(path, &st) == 0 && st.st_size > CTL_DONE_MAX) {
        snprintf(old, sizeof(old), "%s.1", path);
        rename(path, old);
    }
    f = open_memstream(&line, &len);
    if (!f)
        return;
    gmtime_r(&now, &tm);
    strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
    json_init(&js, f);
    json_compact(&js);      /* one record, one line */
    json_open(&js, '{');
    json_kstr(&js, "time", when);
    json_kint(&js, "pid", getpid());
    json_kint(&js, "job", job_id(j));
    json_kstr(&js, "operation", op_verb(op));
    json_kstr(&js, "domain", op_label(op));
    json_key(&js, "domid");
    if (op_domid(op) != (uint32_t)INVALID_DOMID)
        json_uint(&js, op_domid(op));
    else
        json_null(&js);
    json_kint(&js, "status", job_status(j));
    json_kstr(&js, "outcome", job_last(j));
    who = ctl_canceller(j, wbuf, sizeof(wbuf));
    json_kstr(&js, "cancelled_by", who);
    json_kdouble(&js, "elapsed_ms", total < 0 ? 0 : total, 1);
    json_key(&js, "phases_ms");
    json_open(&js, '{');
    n = op_phase_times(op, keys, ms, 32);
    for (i = 0; i < n; i++)
        json_kuint(&js, keys[i], ms[i]);
    json_close(&js);
    if (bytes) {
        json_kuint(&js, "bytes", bytes);
        if (total > 0)
            json_kdouble(&js, "mib_per_s", (double)bytes / 1048576 /
                         (total / 1000), 1);
    }
    if (op_mig_downtime_ms(op) >= 0)
        json_kuint(&js, "downtime_ms", (uint64_t)op_mig_downtime_ms(op));
    json_close(&js);
    json_end(&js);
    if (fclose(f) != 0 || !line) {
        free(line);
        return;
    }
    /* Root's file, appended to in one write: never through a symlink. */
    fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
              0600);
    if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
        st.st_uid == 0 && write(fd, line, len) < 0)
        len = 0;
    if (fd >= 0)
        close(fd);
    free(line);
}

/* One field of a line ctl_log_done() wrote, as text ("" if none). */
static const char *ctl_done_field(const char *line, const char *key,
                                  char *buf, size_t len)
{
    char pat[64];
    const char *p;
    size_t k = 0;

    buf[0] = '\0';
    snprintf(pat, sizeof(pat), "\"%s\":", key);
    p = strstr(line, pat);
    if (!p)
        return buf;
    p += strlen(pat);
    if (*p == '"') {
        for (p++; *p && *p != '"' && k + 1 < len; p++) {
            if (*p == '\\' && p[1] == 'n')
                break;      /* a table shows the first line */
            if (*p == '\\' && p[1])
                p++;
            buf[k++] = *p;
        }
    } else {
        while (*p && *p != ',' && *p != '}' && k + 1 < len)
            buf[k++] = *p++;
    }
    buf[k] = '\0';
    return strcmp(buf, "null") ? buf : (buf[0] = '\0', buf);
}

int ctl_show_done(int count, bool as_json)
{
    const char *names[2] = { "done.1", "done" };
    char path[PATH_MAX], **lines = NULL, **nl, *line = NULL;
    char t[32], op[32], dom[128], st[16], el[32], by[96], out[256];
    char by_[32], rate[32], down[32];
    size_t cap = 0, n = 0, i, first;
    ssize_t r;
    FILE *f;
    int k;

    if (ctl_done_dir_ok() < 0)
        return error("'%s' is not root's alone: no record is read from it",
                     ctl_done_dir());
    for (k = 0; k < 2; k++) {
        int fd;

        snprintf(path, sizeof(path), "%s/%s", ctl_done_dir(), names[k]);
        fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
            continue;
        f = fdopen(fd, "r");
        if (!f) {
            close(fd);
            continue;
        }
        while ((r = getline(&line, &cap, f)) > 0) {
            if (line[r - 1] == '\n')
                line[r - 1] = '\0';
            nl = realloc(lines, (n + 1) * sizeof(*lines));
            if (!nl)
                break;
            lines = nl;
            lines[n] = strdup(line);
            if (lines[n])
                n++;
        }
        fclose(f);
    }
    free(line);
    first = count > 0 && n > (size_t)count ? n - (size_t)count : 0;
    if (as_json) {
        printf("[");
        for (i = first; i < n; i++)
            printf("%s\n%s", i > first ? "," : "", lines[i]);
        printf("%s]\n", n > first ? "\n" : "");
    } else {
        if (n > first)
            printf("%-20s %-12s %-16s %6s %9s  %s\n", "Ended (UTC)",
                   "Operation", "Domain", "Status", "Elapsed", "Outcome");
        for (i = first; i < n; i++) {
            ctl_done_field(lines[i], "time", t, sizeof(t));
            ctl_done_field(lines[i], "operation", op, sizeof(op));
            ctl_done_field(lines[i], "domain", dom, sizeof(dom));
            ctl_done_field(lines[i], "status", st, sizeof(st));
            ctl_done_field(lines[i], "elapsed_ms", el, sizeof(el));
            ctl_done_field(lines[i], "cancelled_by", by, sizeof(by));
            ctl_done_field(lines[i], "outcome", out, sizeof(out));
            ctl_done_field(lines[i], "bytes", by_, sizeof(by_));
            ctl_done_field(lines[i], "mib_per_s", rate, sizeof(rate));
            ctl_done_field(lines[i], "downtime_ms", down, sizeof(down));
            printf("%-20s %-12s %-16s %6s %8.1fs  %s\n", t, op, dom, st,
                   atof(el) / 1000, out);
            if (by[0])
                printf("%-20s cancelled by %s\n", "", by);
            if (by_[0])
                printf("%-20s %.1f MiB at %s MiB/s%s%s%s\n", "",
                       atof(by_) / 1048576, rate[0] ? rate : "?",
                       down[0] ? ", downtime " : "", down,
                       down[0] ? " ms" : "");
        }
    }
    for (i = 0; i < n; i++)
        free(lines[i]);
    free(lines);
    return out_flush_stdout() < 0 ? AXL_EXIT_FAIL : AXL_EXIT_OK;
}

