/*
 * journal: a record, under /run/axl/, of every operation that can leave
 * something behind (a create, a device attach) while it runs, so that a
 * half-built domain or half-attached device is not lost when axl itself
 * is killed (SIGKILL, the OOM killer, a closed ssh session).
 *
 * A record is one small file, written whole to a temporary name and
 * renamed over the old one, so that no reader ever sees it torn.  It
 * names its owner by pid and the pid's start time, so a pid that a
 * later process reused is not taken for a live axl.  Records of
 * different processes and of one process's parallel jobs never share a
 * file name.
 *
 * What the journal keeps in memory (the records it rewrites when a child
 * is forked, and those children) is a loop's (loop.h): the calls that
 * touch it take the loop whose ops the records are of.  None is for a
 * signal handler.
 */
#ifndef AXL_JOURNAL_H
#define AXL_JOURNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <libxl.h>

struct loop;

#define JOURNAL_DIR_DEFAULT "/run/axl"

/*
 * What a record is of, whatever the op's verb (words the user sees,
 * which may change): the record says it in words of its own
 * (journal_kind_name), read back by journal_kind_by_name.  A record an
 * axl wrote before records had a kind gets it from its verb.
 */
enum journal_kind {
    JOURNAL_UNKNOWN,
    JOURNAL_CREATE,     /* create, restore, incoming migration */
    JOURNAL_ATTACH,     /* a device attach (devkind says which) */
    JOURNAL_SAVE,
    JOURNAL_MIGRATE,    /* a migration's sending end */
    JOURNAL_DUMP,       /* dump-core */
};

/* What finishes a stream once its file is whole, or a handover. */
enum journal_after {
    JOURNAL_AFTER_NONE,
    JOURNAL_AFTER_DESTROY,  /* save (default), migrate: the copy goes */
    JOURNAL_AFTER_PAUSE,    /* save -p; incoming -p: left paused */
    JOURNAL_AFTER_RESUME,   /* save -c: runs on */
    JOURNAL_AFTER_UNPAUSE,  /* incoming: the guest starts here */
};

const char *journal_kind_name(enum journal_kind k);
enum journal_kind journal_kind_by_name(const char *s);
const char *journal_after_name(enum journal_after a);
enum journal_after journal_after_by_name(const char *s);

struct journal_rec {
    enum journal_kind kind;
    char verb[24];          /* "create", "block-attach", ...: for messages */
    char devkind[16];       /* JOURNAL_ATTACH: "disk", "nic", ... */
    char name[256];         /* the domain's name */
    libxl_uuid uuid;        /* a create's domain, if known (else nil) */
    uint32_t domid;         /* INVALID_DOMID until known */
    char dev[32];           /* a device op: "xvdb", "vif 1", "vtpm 0" */
    /*
     * How the device is found again (core/op_device.c): by a word - a
     * disk's vdev, a PCI device's address, a USB device's "CTRL PORT" -
     * or else by its index (nic, vtpm, vkb, ...); the verb names the kind.
     */
    char vdev[32];
    int devid;              /* the index; -1 if named by vdev */
    bool keep;              /* the on-cancel policy is keep */
    char phase[160];        /* what the op was waiting on, last known */
    pid_t pid;              /* the owner */
    unsigned long long start;   /* the owner's start time (clock ticks) */
    char path[512];         /* where the record is; "" if none */
    /*
     * The owner's children (hotplug scripts, bootloaders), pid:start,
     * newest first, as many as fit.
     */
    char children[2048];
    /*
     * A save, migrate or dump-core (stream): the domain may be left
     * suspended, and a file half-written.  resume: a cleanup resumes a
     * suspended domain (false once a migration's target was told to
     * start the guest: it may run there).  file: the temporary file
     * being written, final: its name once whole; saved: it is whole, so
     * a cleanup gives it that name instead of removing it.
     */
    bool stream;
    bool resume;
    bool saved;
    char file[512];
    char final[512];
    /*
     * What a save does once its file is whole: "destroy", "pause" or
     * "resume" (-c), so that a cleanup finishes it as asked.
     */
    enum journal_after after;
    /*
     * A migration's receiver, once the sender has handed the guest over
     * (go): the copy here is the guest, and a cleanup finishes what the
     * receiver was told to do: give it its name, to (until then it is
     * NAME--incoming, the record's name), and unpause it unless after
     * says "pause" (migrate-receive -p).
     */
    bool go;
    char to[256];
    /*
     * The owner left what the record names to the user and went on (a
     * migration whose target may or may not run the guest): the record
     * is an orphan even while its owner lives, so that every command
     * says so until the user answers.  It names no children: those of
     * a live owner are its other operations'.
     */
    bool left;
};

/*
 * The directory records go to: $AXL_JOURNAL_DIR if set (tests), else
 * JOURNAL_DIR_DEFAULT.
 */
const char *journal_dir(void);

/*
 * Why the journal's directory cannot be trusted (made first if missing),
 * in why, or NULL if it can: a real directory of the effective user's
 * (root's) own, mode 0700.  Untrusted, axl neither writes records there
 * nor acts on any it finds (journal_write() fails with EPERM,
 * journal_each_orphan() finds none); the caller says so.
 */
const char *journal_dir_untrusted(char *why, size_t len);

/*
 * Write rec (first time: give it a file of its own, made from this
 * process's pid, start time and a counter) whole, atomically, naming the
 * children forked for lp; rec is one of lp's live records from now on,
 * rewritten by journal_child() until journal_remove() or journal_leave():
 * the caller keeps it where it is until then.  Returns 0 or -1 with
 * errno set; the op goes on without a record then.
 */
int journal_write(struct loop *lp, struct journal_rec *rec);

/*
 * Remove rec's file, if any: 0, or -1 if it could not be (it stays on
 * disk for a cleanup to read; rec no longer names it).  lp: the loop rec
 * is a live record of, or NULL for one read back (journal_each_orphan()),
 * which no loop holds.
 */
int journal_remove(struct loop *lp, struct journal_rec *rec);

/*
 * A child forked for lp (libxl's, or axl's own as libxl's are): every
 * live record of lp names it from now on, so that whoever cleans up
 * after a killed axl can stop the helpers it left running.  Runs in the
 * parent, after the fork.
 */
void journal_child(struct loop *lp, pid_t pid);
/*
 * The same for a child another process forked and read the start time
 * of (journal_proc_start()) while it could not have ended: a create's
 * worker's.
 */
void journal_child_at(struct loop *lp, pid_t pid, unsigned long long start);
/*
 * The same for a child that is one op's alone (a create's worker and the
 * children libxl forks in it): only rec, a live record of lp's, names it,
 * and only rec is rewritten (a storm of N creates would otherwise rewrite
 * N records per child).  rec NULL: every record, as journal_child_at().
 * Once rec is removed the child is forgotten (what outlives its op, a
 * device model, is no later record's to kill); once left, it is every
 * record's.
 */
void journal_child_of(struct loop *lp, struct journal_rec *rec,
                      pid_t pid, unsigned long long start);

/*
 * The children journal_child() was told of for lp that still run, in
 * *pids_r (malloc'd; the caller frees it, even when none is counted).
 * Returns how many.
 */
int journal_children(struct loop *lp, pid_t **pids_r);
/* The same, and each one's start time (journal_proc_start()) in *starts_r. */
int journal_children_started(struct loop *lp, pid_t **pids_r,
                           unsigned long long **starts_r);

/*
 * Whether a device model serving domid may go with rec's cleanup: true
 * if domid is gone, or is rec's own domain; the caller, who can ask
 * libxl, says.
 */
typedef bool journal_dm_goes_fn(uint32_t domid, const struct journal_rec *rec,
                                void *user);

/*
 * Kill (SIGKILL) each child rec names that is still the same process,
 * and with group its whole process group too (what it started), as
 * journal_kill_child() does.  A device model goes only if dm_goes says
 * so (none without dm_goes): one forked in axl's own process is named in
 * every record, and may serve another domain that lives on.  Returns
 * how many were killed.
 */
int journal_kill_children(const struct journal_rec *rec, bool group,
                          journal_dm_goes_fn *dm_goes, void *user);

/*
 * Kill (SIGKILL) pid if it is still the child that started at start and
 * leads its own session (as every child axl forks), and with group its
 * session's group too.  True if it was killed.  A device model goes too:
 * which ones may, journal_kill_children() decides.
 */
bool journal_kill_child(pid_t pid, unsigned long long start, bool group);

/*
 * Kill (SIGKILL) pid if it is still the process that started at start
 * and is domid's device model (XEN_DOMAIN_ID in its environment).  True
 * if it was killed.
 */
bool journal_kill_device_model(pid_t pid, unsigned long long start,
                               uint32_t domid);

/*
 * Sync the file at path (a record's file, whole) to disk: 0, or -1 with
 * errno.  Its writer's descriptor may be gone: this opens it anew.
 */
int journal_sync_file(const char *path);

/*
 * Leave rec's file on disk for the user (rec->left is written first):
 * lp, whose live record it was, forgets it.  0, or -1 with errno if it
 * could not be rewritten (the file stays as it was: an orphan once this
 * process ends).
 */
int journal_leave(struct loop *lp, struct journal_rec *rec);

/* Whether rec's owner is still running (the same process, not a reuse). */
bool journal_owner_alive(const struct journal_rec *rec);

/*
 * Call fn for each record whose owner is gone, with its path.  fn may
 * remove the file.  Unreadable or foreign files are skipped.
 */
void journal_each_orphan(void (*fn)(struct journal_rec *rec, void *user),
                         void *user);

/* This process's start time, as journal records name it. */
unsigned long long journal_proc_start(pid_t pid);

#endif
