/*
 * cmd_cleanup: what an axl that was killed left behind, from the journal
 * (core/journal.h): saying so once per command, marking it in `list`,
 * and `cleanup`, which applies the policy the op was started with.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <libxl.h>
#include <libxl_utils.h>

#include "../core/dom.h"
#include "../core/journal.h"
#include "../core/migrate.h"
#include "../core/status.h"
#include "cmd.h"
#include "cmd_cleanup.h"
#include "cmd_dom.h"
#include "out.h"

/* A migration's copy here, renamed at the go-ahead: NAME--migratedaway. */
static bool cleanup_away(const char *name, const char *recorded)
{
    return migrate_is_copy(name, recorded, MIGRATE_COPY_AWAY);
}

/*
 * Where a record's leftovers are now: 1 and *domid_r if its domain (and
 * device) still exist, 0 if they are gone, -1 if libxl cannot tell (the
 * record is then kept).
 */
static int cleanup_left(libxl_ctx *ctx, const struct journal_rec *r,
                        uint32_t *domid_r)
{
    libxl_dominfo *info;
    int i, n = 0, found = 0;

    info = libxl_list_domain(ctx, &n);
    if (!info)
        return -1;
    for (i = 0; i < n && !found; i++) {
        char *name;

        if (!libxl_uuid_is_nil(&r->uuid)) {
            /*
             * The uuid (and the id, once recorded), unless the domain has
             * another name: a migration to this host gives its two copies
             * one uuid (NAME and the recorded NAME--incoming).  A domain
             * whose destroy began may have no name left: it is the one.
             */
            found = !libxl_uuid_compare(&info[i].uuid, &r->uuid) &&
                    (r->domid == (uint32_t)INVALID_DOMID ||
                     info[i].domid == r->domid);
            if (found) {
                name = libxl_domid_to_name(ctx, info[i].domid);
                found = !name || !name[0] || !strcmp(name, r->name) ||
                        (r->stream && cleanup_away(name, r->name)) ||
                        (r->go && !strcmp(name, r->to));
                free(name);
            }
        } else if (r->domid != (uint32_t)INVALID_DOMID) {
            found = info[i].domid == r->domid;
        } else {
            name = libxl_domid_to_name(ctx, info[i].domid);
            found = name && !strcmp(name, r->name);
            free(name);
        }
        if (found)
            *domid_r = info[i].domid;
    }
    libxl_dominfo_list_free(info, n);
    if (!found || !r->dev[0])
        return found;
    /* The device: its kind (core/op_device.c) knows how to find it. */
    return op_dev_recorded(ctx, *domid_r, r);
}

/* What cleanup does with the domain a save or migration left. */
enum cleanup_act {
    CLEANUP_NONE,
    CLEANUP_RESUME,         /* suspended, the save or migration undone */
    CLEANUP_RESUME_PAUSED,  /* the same, paused: the save had asked so */
    CLEANUP_DESTROY,        /* the save was whole: its destroy goes on */
    CLEANUP_LEAVE,          /* the guest may run on a migration's target */
    CLEANUP_START,          /* handed over to a receiver: name, unpause */
};

/*
 * A save's, migration's or core dump's leftovers (journal.h, stream):
 * the file it was writing, and its domain.  *act_r says what is to be
 * done with the domain; returns as cleanup_left() does.
 */
static int cleanup_stream_left(libxl_ctx *ctx, const struct journal_rec *r,
                               uint32_t *domid_r, enum cleanup_act *act_r)
{
    int found = cleanup_left(ctx, r, domid_r);
    bool susp;

    if (found < 0)
        return -1;
    susp = found && r->kind != JOURNAL_DUMP &&
           dom_suspended(ctx, *domid_r);
    if (r->saved && r->after == JOURNAL_AFTER_DESTROY)
        *act_r = found ? CLEANUP_DESTROY : CLEANUP_NONE;
    else if (!susp)
        *act_r = CLEANUP_NONE;
    else if (!r->resume)
        *act_r = CLEANUP_LEAVE;
    else if (r->saved && r->after == JOURNAL_AFTER_PAUSE)
        *act_r = CLEANUP_RESUME_PAUSED;
    else
        *act_r = CLEANUP_RESUME;
    return *act_r != CLEANUP_NONE || (r->file[0] && access(r->file, F_OK) == 0);
}
/*
 * A receiver killed after the sender handed the guest over (journal.h,
 * go): 1 with *act_r CLEANUP_START while its copy lacks its name or, as
 * asked, its unpause; 0 when there is nothing left to finish.
 */
static int cleanup_go_left(libxl_ctx *ctx, const struct journal_rec *r,
                           uint32_t *domid_r, enum cleanup_act *act_r)
{
    int found = cleanup_left(ctx, r, domid_r);
    enum dom_state st;
    char *name;
    bool named;

    if (found <= 0)
        return found;
    name = libxl_domid_to_name(ctx, *domid_r);
    named = name && !strcmp(name, r->to);
    free(name);
    st = dom_state_of(ctx, *domid_r);
    if (st == DOM_UNKNOWN)
        return -1;      /* libxl cannot tell: kept for later */
    if (named && (r->after != JOURNAL_AFTER_UNPAUSE || st != DOM_PAUSED))
        return 0;
    *act_r = CLEANUP_START;
    return 1;
}

/* Any kind of record's leftovers (*act_r: CLEANUP_NONE for a build). */
static int cleanup_rec_left(libxl_ctx *ctx, const struct journal_rec *r,
                            uint32_t *domid_r, enum cleanup_act *act_r)
{
    *act_r = CLEANUP_NONE;
    if (r->go)
        return cleanup_go_left(ctx, r, domid_r, act_r);
    return r->stream ? cleanup_stream_left(ctx, r, domid_r, act_r)
                     : cleanup_left(ctx, r, domid_r);
}

/* The two answers to a copy a killed migration left suspended. */
static void cleanup_leave_say(uint32_t domid)
{
    char answers[300];

    note("%s", migrate_left_answers(domid, answers, sizeof(answers)));
}

/* What a stream left, and what cleanup does with it, in words. */
static void cleanup_stream_say(const struct journal_rec *r, uint32_t domid,
                               enum cleanup_act act)
{
    static const char *const todo_dom[] = {
        [CLEANUP_RESUME] = "resumes the domain",
        [CLEANUP_RESUME_PAUSED] = "resumes the domain, paused, as the save "
                                  "asked",
        [CLEANUP_DESTROY] = "destroys the domain, as the save or "
                            "migration asked",
        [CLEANUP_LEAVE] = "leaves the domain to you (the guest may run "
                          "on the target)",
        [CLEANUP_START] = "names the domain and starts it",
    };
    bool file = r->file[0] && access(r->file, F_OK) == 0;
    char what[900], todo[700];
    size_t n = 0;

    what[0] = todo[0] = '\0';
    if (act != CLEANUP_NONE)
        n += snprintf(what, sizeof(what), "domain %u ('%s') was left %s",
                      domid, r->name, act != CLEANUP_DESTROY ? "suspended"
                      : r->kind == JOURNAL_MIGRATE
                      ? "suspended (the target runs the guest)"
                      : "saved, not yet destroyed");
    if (file)
        snprintf(what + n, sizeof(what) - n, "%s'%s' was left %s",
                 n ? " and " : "", r->file,
                 r->saved ? "whole" : "partly written");
    n = 0;
    if (act != CLEANUP_NONE)
        n += snprintf(todo, sizeof(todo), "%s", todo_dom[act]);
    if (file && r->saved)
        snprintf(todo + n, sizeof(todo) - n, "%sgives the file its name "
                 "'%s'", n ? " and " : "", r->final);
    else if (file)
        snprintf(todo + n, sizeof(todo) - n, "%sremoves the file",
                 n ? " and " : "");
    note("%s by 'axl %s' (pid %d, %s%s%s); 'axl cleanup' %s", what,
         r->verb, (int)r->pid, r->left ? "which lost its target" : "killed",
         r->phase[0] ? " during " : "", r->phase, todo);
    if (act == CLEANUP_LEAVE)
        cleanup_leave_say(domid);
}
/* What a receiver killed after the handover left, in words. */
static void cleanup_go_say(const struct journal_rec *r, uint32_t domid)
{
    note("domain %u ('%s') was handed over by its migration's sender, but "
         "'axl %s' (pid %d) was killed%s%s before it %s; it is the guest "
         "(never resume the sender's copy): 'axl cleanup' names it '%s'%s",
         domid, r->name, r->verb, (int)r->pid,
         r->phase[0] ? " during " : "", r->phase,
         r->after != JOURNAL_AFTER_UNPAUSE ? "named it" : "started it",
         r->to, r->after != JOURNAL_AFTER_UNPAUSE ? "" : " and unpauses it");
}

/* "domain 7 ('web') was left half-built by 'axl create' (pid ...)". */
static void cleanup_say(const struct journal_rec *r, uint32_t domid)
{
    char what[400];

    if (r->dev[0])
        snprintf(what, sizeof(what), "%s of domain %u ('%s') was left "
                 "half-attached", r->dev, domid, r->name);
    else
        snprintf(what, sizeof(what), "domain %u ('%s') was left "
                 "half-built", domid, r->name);
    note("%s by 'axl %s' (pid %d, killed%s%s); 'axl cleanup' %s it",
         what, r->verb, (int)r->pid, r->phase[0] ? " during " : "",
         r->phase, r->keep ? "keeps" : "removes");
}

struct cleanup_scan {
    libxl_ctx *ctx;
    bool say;
    uint32_t *domids;   /* half-built domains found, for list */
    int n, cap;
};

/*
 * journal_dm_goes_fn: a device model goes with a record's cleanup if its
 * domain is gone or dying, or is the record's own (its uuid); one that
 * serves another domain, or whose domain libxl cannot tell of, stays.
 */
static bool cleanup_dm_goes(uint32_t domid, const struct journal_rec *r,
                            void *user)
{
    libxl_ctx *ctx = user;
    libxl_dominfo info;
    bool goes;
    int rc;

    libxl_dominfo_init(&info);
    rc = libxl_domain_info(ctx, &info, domid);
    if (rc == ERROR_DOMAIN_NOTFOUND)
        goes = true;
    else
        goes = rc == 0 && (info.dying ||
                           !libxl_uuid_compare(&info.uuid, &r->uuid));
    libxl_dominfo_dispose(&info);
    return goes;
}

static void cleanup_scan_one(struct journal_rec *r, void *user)
{
    struct cleanup_scan *sc = user;
    uint32_t domid;
    enum cleanup_act act;
    int left = cleanup_rec_left(sc->ctx, r, &domid, &act);

    if (left < 0)
        return;                 /* libxl cannot tell: keep it for later */
    if (!left) {
        /*
         * Nothing left but maybe its helpers: stop them, forget it.  A
         * guest handed over runs: what its receiver started is its own.
         */
        if (!r->go)
            journal_kill_children(r, true, cleanup_dm_goes, sc->ctx);
        journal_remove(NULL, r);
        return;
    }
    if (r->stream || r->go) {
        if (sc->say && r->go)
            cleanup_go_say(r, domid);
        else if (sc->say)
            cleanup_stream_say(r, domid, act);
        return;
    }
    if (sc->say)
        cleanup_say(r, domid);
    if (r->dev[0])
        return;
    if (sc->n == sc->cap) {
        int cap = sc->cap ? 2 * sc->cap : 8;
        uint32_t *v = realloc(sc->domids, cap * sizeof(*v));

        if (!v)
            return;
        sc->domids = v;
        sc->cap = cap;
    }
    sc->domids[sc->n++] = domid;
}

void cleanup_report(libxl_ctx *ctx)
{
    struct cleanup_scan sc = { .ctx = ctx, .say = true };

    journal_each_orphan(cleanup_scan_one, &sc);
    free(sc.domids);
}

int cleanup_half_built(libxl_ctx *ctx, uint32_t **domids_r)
{
    struct cleanup_scan sc = { .ctx = ctx };

    journal_each_orphan(cleanup_scan_one, &sc);
    *domids_r = sc.domids;
    return sc.n;
}

/* ---- axl cleanup ---- */

static const struct cmd_opt cmd_cleanup_opts[] = {
    { 'a', "all", NULL, "everything a killed axl left (the default)" },
    { 'k', "keep", NULL, "keep what was left and forget the record: "
      "the domain or device is yours to use or remove" },
    { 'r', "resume", NULL, "resume the Domain a migration killed after its "
      "go-ahead left suspended here (the guest does not run on the "
      "target)" },
    { 0 },
};

struct cleanup_ctx {
    struct cli *cli;
    const char *only;       /* the domain asked for, or NULL */
    uint32_t only_domid;
    bool keep;
    bool resume;            /* --resume: the Domain's copy is the guest */
    bool resumed;           /* a record of the Domain was resumed */
    uint64_t timeout_ms;
    int status;
    int started;
    struct cleanup_run *run;
};

/*
 * What the command said itself (a copy left to the user) outlives it:
 * the last of its jobs to end carries it into the run's status.
 */
struct cleanup_run {
    int status;
    int refs;               /* the jobs running, and the command */
};

/* Drops a reference; the last one's status, worse of the two, is kept. */
static int cleanup_run_put(struct cleanup_run *run, int status)
{
    if (--run->refs == 0) {
        if (status == AXL_EXIT_OK)
            status = run->status;
        free(run);
    }
    return status;
}

/* A record being cleaned up, with what its job's end needs. */
struct cleanup_item {
    struct journal_rec rec;
    libxl_ctx *ctx;
    const char *said;   /* what a job that worked did ("resumed"), or NULL */
    struct cleanup_run *run;
};

/* A removal's job is done: forget the record if nothing is left. */
static int cleanup_done(struct job *job, int status, void *user)
{
    struct cleanup_item *it = user;
    enum cleanup_act act;
    uint32_t domid;

    (void)job;
    if (status == AXL_EXIT_OK && it->said)
        note("domain %u ('%s') was %s", it->rec.domid,
             it->rec.go ? it->rec.to : it->rec.name, it->said);
    if (status == AXL_EXIT_OK ||
        !cleanup_rec_left(it->ctx, &it->rec, &domid, &act))
        journal_remove(NULL, &it->rec);
    status = cleanup_run_put(it->run, status);
    free(it);
    return status;
}

/*
 * A job of kind on domid for record r, ending in cleanup_done(); NULL
 * (said) when out of memory.
 */
static struct job *cleanup_job(struct cleanup_ctx *cc,
                               const struct journal_rec *r,
                               enum op_kind kind, uint32_t domid)
{
    struct cleanup_item *it = malloc(sizeof(*it));
    struct job *job = it ? job_new(cc->cli, kind, r->go ? r->to : r->name)
                         : NULL;

    if (!job) {
        free(it);
        cc->status = AXL_EXIT_FAIL;
        error("cleanup: out of memory");
        return NULL;
    }
    it->rec = *r;
    it->rec.domid = domid;
    it->ctx = cli_libxl(cc->cli);
    it->said = kind == OP_RESUME ? "resumed"
               : kind == OP_UNPAUSE ? "started: the migration is complete"
               : NULL;
    op_set_domid(job_op(job), domid);
    if (kind == OP_DEV_REMOVE) {
        op_set_force(job_op(job), true);
        /* cleanup_left() found the kind: this cannot fail but for memory */
        if (op_set_dev_recorded(job_op(job), it->ctx, r) < 0) {
            job_forget(cc->cli, job);
            free(it);
            cc->status = AXL_EXIT_FAIL;
            error("cleanup: out of memory");
            return NULL;
        }
    }
    it->run = cc->run;
    cc->run->refs++;
    job_on_done(job, cleanup_done, it);
    return job;
}

static void cleanup_run(struct cleanup_ctx *cc, struct job *job)
{
    job_run(job, cc->timeout_ms);
    cc->started++;
}

/*
 * A copy about to be resumed that a migration had renamed away gets its
 * name back (the target never started the guest, or destroyed its copy).
 */
static void cleanup_name_back(libxl_ctx *ctx, const struct journal_rec *r,
                              uint32_t domid)
{
    char *name = libxl_domid_to_name(ctx, domid);

    if (name && cleanup_away(name, r->name)) {
        if (libxl_domain_rename(ctx, domid, name, r->name) == 0)
            note("domain %u is '%s' again", domid, r->name);
        else
            warn("cannot rename domain %u from '%s' back to '%s' (is the "
                 "name taken?); it is resumed as '%s'", domid, name,
                 r->name, name);
    }
    free(name);
}

/*
 * Whether the file a record names is its own: FINAL.axl-tmp, and (if it
 * is there) a regular file of root's (ours), not a symlink.  A record
 * that says otherwise is not acted on.
 */
static bool cleanup_file_ours(const struct journal_rec *r)
{
    size_t n = strlen(r->final);
    struct stat st;

    if (!n || strncmp(r->file, r->final, n) || strcmp(r->file + n, ".axl-tmp"))
        return false;
    if (lstat(r->file, &st) < 0)
        return errno == ENOENT;
    return S_ISREG(st.st_mode) && st.st_uid == geteuid();
}

/*
 * What a killed save, migration or core dump left: its file is removed
 * (or named, if whole) at once; a suspended domain is resumed by a job,
 * unless a migration's target may run the guest.
 */
static void cleanup_stream(struct cleanup_ctx *cc, struct journal_rec *r,
                           uint32_t domid, enum cleanup_act act)
{
    struct job *job;

    /* The save helper first; the domain's device model serves it still. */
    journal_kill_children(r, !cc->keep, NULL, NULL);
    if (cc->keep) {
        note("what 'axl %s' of '%s' left is kept as it is, as asked; the "
             "record is removed", r->verb, r->name);
        journal_remove(NULL, r);
        return;
    }
    if (r->file[0] && !cleanup_file_ours(r)) {
        /* The file is left alone; the domain is still seen to. */
        warn("cleanup: the record of 'axl %s' of '%s' names '%s', which is "
             "not its own temporary file; it is left alone", r->verb,
             r->name, r->file);
        r->file[0] = r->final[0] = '\0';
    }
    if (r->file[0] && r->saved && access(r->file, F_OK) == 0) {
        /* Whole as its writer left it: synced before it is named. */
        if (journal_sync_file(r->file) < 0 ||
            rename(r->file, r->final) < 0) {
            cc->status = AXL_EXIT_FAIL;
            error_errno("cleanup: cannot give '%s' its name '%s'", r->file,
                        r->final);
            return;
        }
        note("'%s' was whole: it is now '%s'", r->file, r->final);
    } else if (r->file[0] && !r->saved) {
        if (unlink(r->file) == 0)
            note("removed the partly written '%s'", r->file);
        else if (errno != ENOENT) {
            cc->status = AXL_EXIT_FAIL;
            error_errno("cleanup: cannot remove '%s'", r->file);
            return;
        }
    }
    if (act == CLEANUP_LEAVE && cc->resume)
        act = CLEANUP_RESUME;
    if (act == CLEANUP_LEAVE) {
        /*
         * Only the user can tell whether the guest runs on the target:
         * the record stays (every command says so) until the copy here
         * is destroyed or resumed, and the status says it needs them.
         */
        char *now = libxl_domid_to_name(cli_libxl(cc->cli), domid);

        cc->status = AXL_EXIT_FAIL;
        error("cleanup: domain %u ('%s') is left suspended: 'axl %s' of "
              "'%s' %s after the target was told to start the guest",
              domid, now ? now : r->name, r->verb, r->name,
              r->left ? "lost its target" : "was killed");
        cleanup_leave_say(domid);
        free(now);
        return;
    }
    if (act == CLEANUP_NONE) {
        journal_remove(NULL, r);
        return;
    }
    if (act != CLEANUP_DESTROY) {
        cleanup_name_back(cli_libxl(cc->cli), r, domid);
        cc->resumed = true;
    }
    job = cleanup_job(cc, r, act == CLEANUP_DESTROY ? OP_DESTROY : OP_RESUME,
                      domid);
    if (!job)
        return;
    op_set_start_paused(job_op(job), act == CLEANUP_RESUME_PAUSED);
    cleanup_run(cc, job);
}
/*
 * Where r's leftovers are: 1 to act on them (*domid_r, and for a stream
 * *act_r, set), 0 if there is nothing to do here; a record with nothing
 * left is forgotten.
 */
static int cleanup_find(struct cleanup_ctx *cc, struct journal_rec *r,
                        uint32_t *domid_r, enum cleanup_act *act_r)
{
    int left = cleanup_rec_left(cli_libxl(cc->cli), r, domid_r, act_r);

    if (left < 0) {
        cc->status = AXL_EXIT_FAIL;
        error("cleanup: cannot list domains; nothing was removed");
        return 0;
    }
    if (!left) {
        if (!r->go)
            journal_kill_children(r, true, cleanup_dm_goes,
                                  cli_libxl(cc->cli));
        journal_remove(NULL, r);
        return 0;
    }
    return !cc->only || *domid_r == cc->only_domid;
}

/*
 * What a receiver killed after the handover left: the guest, paused or
 * without its name.  It is the only copy (its sender destroys its own or
 * leaves it to the user): give it its name now, and unpause it by a job
 * unless the receiver was to leave it paused.  Nothing is killed: its
 * helpers are done, and a device model it started is the guest's.
 */
static void cleanup_go(struct cleanup_ctx *cc, struct journal_rec *r,
                       uint32_t domid)
{
    libxl_ctx *ctx = cli_libxl(cc->cli);
    char *name = libxl_domid_to_name(ctx, domid);
    enum dom_state st;
    struct job *job;

    if (cc->keep) {
        note("domain %u of '%s' kept as it is, as asked; the record is "
             "removed", domid, r->to);
        free(name);
        journal_remove(NULL, r);
        return;
    }
    if (name && strcmp(name, r->to)) {
        if (libxl_domain_rename(ctx, domid, name, r->to) != 0) {
            cc->status = AXL_EXIT_FAIL;
            error("cleanup: cannot rename domain %u from '%s' to '%s' (is the "
                  "name taken?); if a domain '%s' runs the guest (its "
                  "sender's copy was resumed), 'axl destroy %u' this copy; "
                  "if not, 'axl rename %u %s' and 'axl unpause %u' finish "
                  "the migration", domid, name, r->to, r->to, domid, domid,
                  r->to, domid);
            free(name);
            return;
        }
        note("domain %u is now '%s', as its migration's sender asked", domid,
             r->to);
    }
    free(name);
    st = dom_state_of(ctx, domid);
    if (st == DOM_UNKNOWN) {
        cc->status = AXL_EXIT_FAIL;
        error("cleanup: cannot tell the state of domain %u; its record is "
              "kept", domid);
        return;
    }
    if (r->after != JOURNAL_AFTER_UNPAUSE || st != DOM_PAUSED) {
        journal_remove(NULL, r);
        return;
    }
    job = cleanup_job(cc, r, OP_UNPAUSE, domid);
    if (job)
        cleanup_run(cc, job);
}

static void cleanup_one(struct journal_rec *r, void *user)
{
    struct cleanup_ctx *cc = user;
    struct job *job;
    uint32_t domid = INVALID_DOMID;
    enum cleanup_act act = CLEANUP_NONE;

    if (!cleanup_find(cc, r, &domid, &act))
        return;
    if (r->go) {
        cleanup_go(cc, r, domid);
        return;
    }
    if (r->stream) {
        cleanup_stream(cc, r, domid, act);
        return;
    }
    /*
     * The killed axl's helpers (a hung hotplug script) go first; with
     * keep, only they, not whatever they started (a device model).
     */
    journal_kill_children(r, !(cc->keep || r->keep),
                          cc->keep || r->keep ? NULL : cleanup_dm_goes,
                          cli_libxl(cc->cli));
    if (cc->keep || r->keep) {
        if (cc->keep)
            note("%s of '%s' kept as it is, as asked; the record is "
                 "removed", r->dev[0] ? r->dev : "the domain", r->name);
        else
            note("%s of '%s' kept as it is, as 'axl %s --on-cancel=keep' "
                 "asked; the record is removed",
                 r->dev[0] ? r->dev : "the domain", r->name, r->verb);
        journal_remove(NULL, r);
        return;
    }
    job = cleanup_job(cc, r, r->dev[0] ? OP_DEV_REMOVE : OP_DESTROY, domid);
    if (job)
        cleanup_run(cc, job);
}

static int cmd_cleanup_run(struct cli *cli, struct cmd_call *call)
{
    struct cleanup_ctx cc = { .cli = cli, .status = AXL_EXIT_OK };

    if (cmd_timeout_opt(call, &cc.timeout_ms) < 0)
        return AXL_EXIT_USAGE;
    if (call->argc && cmd_flag(call, "all"))
        return error("cleanup: give a domain or --all, not both"),
               AXL_EXIT_USAGE;
    cc.keep = cmd_flag(call, "keep") > 0;
    cc.resume = cmd_flag(call, "resume") > 0;
    if (cc.resume && (cc.keep || !call->argc))
        return error("cleanup: --resume needs the Domain%s",
                     cc.keep ? ", and not --keep" : ""),
               AXL_EXIT_USAGE;
    cli->quiet_orphans = true;      /* cleanup says what it does itself */
    if (!cli_libxl(cli))
        return AXL_EXIT_FAIL;
    if (call->argc) {
        cc.only = call->argv[0];
        if (cmd_resolve_domain(cli, cc.only, &cc.only_domid, NULL) < 0)
            return AXL_EXIT_FAIL;
    }
    cc.run = calloc(1, sizeof(*cc.run));
    if (!cc.run)
        return error("cleanup: out of memory"), AXL_EXIT_FAIL;
    cc.run->refs = 1;
    journal_each_orphan(cleanup_one, &cc);
    if (cc.resume && !cc.resumed && cc.status == AXL_EXIT_OK) {
        error("cleanup: no killed save or migration left '%s' suspended; "
              "nothing was resumed", cc.only);
        cc.status = AXL_EXIT_FAIL;
    }
    /* Jobs still running report the command's own failure at their end. */
    cc.run->status = cc.status;
    if (cc.run->refs > 1) {
        cc.run->refs--;
        return CMD_PENDING;
    }
    free(cc.run);
    if (cc.status != AXL_EXIT_OK || !cc.started)
        return cc.status;
    return CMD_PENDING;     /* its jobs are done: theirs is the status */
}

const struct cmd_entry cmd_cleanup_entry = {
    .name = "cleanup",
    .summary = "remove what a killed axl left half-built or half-attached",
    .usage = "[options] [Domain]",
    .opts = cmd_cleanup_opts,
    .min_args = 0,
    .max_args = 1,
    .first_arg = CMD_ARG_DOMAIN,
    .flags = CMD_F_OP,
    .run = cmd_cleanup_run,
};
