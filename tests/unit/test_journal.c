/*
 * Unit tests for the journal (core/journal.c): a record written by a
 * process that has gone reads back whole, with a save's or migration's
 * fields; a live owner's record is not an orphan; a record of an axl
 * from before those fields reads as no stream; a file name that cannot
 * be written on one line is left out rather than written torn; two
 * loops keep their live records and children apart.  Prints TAP.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"
#include "../../core/journal.h"
#include "../../core/loop.h"

struct found {
    struct journal_rec rec[4];
    int n;
};

static void collect(struct journal_rec *rec, void *user)
{
    struct found *f = user;

    if (f->n < 4)
        f->rec[f->n] = *rec;
    f->n++;
}

static struct found orphans(void)
{
    struct found f;

    memset(&f, 0, sizeof(f));
    journal_each_orphan(collect, &f);
    return f;
}

/* Write rec from a child process that then exits: an orphan. */
static int write_in_child(struct loop *lp, struct journal_rec *rec)
{
    int status;
    pid_t pid = fork();

    if (pid == 0)
        _exit(journal_write(lp, rec) == 0 ? 0 : 1);
    if (pid < 0 || waitpid(pid, &status, 0) != pid)
        return -1;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

int main(void)
{
    char dir[] = "/tmp/axl-test-journal-XXXXXX", cmd[300];
    struct journal_rec rec, mine;
    struct loop *lp;
    struct found f;
    FILE *fp;

    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    if (loop_init(&lp) < 0) {
        printf("Bail out! loop_init failed\n");
        return 1;
    }
    setenv("AXL_JOURNAL_DIR", dir, 1);

    /* A save killed half-way: its record, written by a process gone. */
    memset(&rec, 0, sizeof(rec));
    snprintf(rec.verb, sizeof(rec.verb), "save");
    snprintf(rec.name, sizeof(rec.name), "web1");
    libxl_uuid_generate(&rec.uuid);
    rec.domid = 7;
    rec.devid = -1;
    snprintf(rec.phase, sizeof(rec.phase), "writing\nmemory");
    rec.stream = rec.resume = true;
    snprintf(rec.file, sizeof(rec.file), "/var/lib/a b.sav.axl-tmp");
    snprintf(rec.final, sizeof(rec.final), "/var/lib/a b.sav");
    check(write_in_child(lp, &rec) == 0, "a record is written");
    f = orphans();
    check(f.n == 1, "its owner gone, it is an orphan");
    check(f.n >= 1 && !strcmp(f.rec[0].verb, "save") &&
          !strcmp(f.rec[0].name, "web1") && f.rec[0].domid == 7,
          "verb, name and domid read back");
    check(f.n >= 1 && !libxl_uuid_compare(&f.rec[0].uuid, &rec.uuid),
          "the uuid reads back");
    check(f.n >= 1 && f.rec[0].stream && f.rec[0].resume && !f.rec[0].saved,
          "stream, resume and saved read back");
    check(f.n >= 1 && !strcmp(f.rec[0].file, "/var/lib/a b.sav.axl-tmp") &&
          !strcmp(f.rec[0].final, "/var/lib/a b.sav"),
          "the file and its final name read back, spaces and all");
    check(f.n >= 1 && !strcmp(f.rec[0].phase, "writing memory"),
          "a newline in the phase cannot start a line of its own");
    if (f.n >= 1)
        journal_remove(NULL, &f.rec[0]);
    check(orphans().n == 0, "removed, it is gone");

    /* The same record, this process's own: not an orphan. */
    mine = rec;
    check(journal_write(lp, &mine) == 0 && orphans().n == 0,
          "a live owner's record is no orphan");
    mine.saved = true;
    mine.resume = false;
    check(journal_write(lp, &mine) == 0, "rewritten in place");
    journal_remove(lp, &mine);
    check(orphans().n == 0 && !mine.path[0], "removed by its owner");

    /* A receiver handed the guest over: go, its name to be, after. */
    memset(&mine, 0, sizeof(mine));
    snprintf(mine.verb, sizeof(mine.verb), "migrate-receive");
    snprintf(mine.name, sizeof(mine.name), "web1--incoming");
    mine.domid = 9;
    mine.devid = -1;
    mine.go = true;
    snprintf(mine.to, sizeof(mine.to), "web1\nkeep=1");
    mine.kind = JOURNAL_CREATE;
    mine.after = JOURNAL_AFTER_UNPAUSE;
    check(write_in_child(lp, &mine) == 0, "a receiver's record is written");
    f = orphans();
    check(f.n == 1 && f.rec[0].go && !strcmp(f.rec[0].to, "web1 keep=1") &&
          f.rec[0].after == JOURNAL_AFTER_UNPAUSE &&
          f.rec[0].kind == JOURNAL_CREATE && !f.rec[0].stream &&
          !f.rec[0].keep && !f.rec[0].left,
          "go, to, after and kind read back; a newline in to makes no "
          "key");
    if (f.n >= 1)
        journal_remove(NULL, &f.rec[0]);

    /* Left to the user by a live owner: an orphan all the same. */
    mine = rec;
    mine.file[0] = mine.final[0] = '\0';
    check(journal_write(lp, &mine) == 0 && orphans().n == 0,
          "before it is left, a live owner's record is no orphan");
    check(journal_leave(lp, &mine) == 0 && !mine.path[0],
          "left, this process forgets it");
    f = orphans();
    check(f.n == 1 && f.rec[0].left && f.rec[0].pid == getpid(),
          "left, it is an orphan while its owner lives");
    if (f.n >= 1)
        journal_remove(NULL, &f.rec[0]);
    check(orphans().n == 0, "and is gone once removed");

    /*
     * No fixed tables: 100 live records and 30 children at once; each
     * new child is written into every live record.
     */
    {
        static struct journal_rec many[100];
        pid_t kids[30], *now = NULL;
        int k, nk = 0, listed, all = 1;

        fflush(stdout);
        for (k = 0; k < 100; k++) {
            many[k] = rec;
            many[k].file[0] = many[k].final[0] = '\0';
            many[k].path[0] = '\0';
            if (journal_write(lp, &many[k]) < 0)
                all = 0;
        }
        for (k = 0; k < 30; k++) {
            kids[k] = fork();
            if (kids[k] == 0) {
                pause();
                _exit(0);
            }
            if (kids[k] > 0) {
                journal_child(lp, kids[k]);
                nk++;
            }
        }
        check(all && nk == 30 && journal_children(lp, &now) == 30,
              "30 children of 100 live records, all of them counted");
        free(now);
        for (k = 0, listed = 0; k < 100; k++) {
            char want[32];

            snprintf(want, sizeof(want), "%d:", (int)kids[0]);
            listed += strstr(many[k].children, want) != NULL;
        }
        check(listed == 100, "every live record names the first child too");
        for (k = 0; k < 30; k++)
            if (kids[k] > 0) {
                kill(kids[k], SIGKILL);
                waitpid(kids[k], NULL, 0);
            }
        for (k = 0; k < 100; k++)
            journal_remove(lp, &many[k]);
        check(orphans().n == 0, "and all 100 are removed");
    }

    /* A file name with a newline: left out, not written torn. */
    rec.phase[0] = '\0';
    snprintf(rec.file, sizeof(rec.file), "/tmp/x\nkeep=1.axl-tmp");
    check(write_in_child(lp, &rec) == 0,
          "a record with a newline in a name");
    f = orphans();
    check(f.n == 1 && !f.rec[0].file[0] && !f.rec[0].final[0] &&
          !f.rec[0].keep, "the names are left out, and make no key");
    if (f.n >= 1)
        journal_remove(NULL, &f.rec[0]);

    /* A record of an axl from before streams were recorded. */
    snprintf(cmd, sizeof(cmd), "%s/1-1-1.op", dir);
    fp = fopen(cmd, "w");
    if (fp) {
        fprintf(fp, "verb=create\nname=old\nuuid=%s\ndomid=3\ndev=\n"
                "vdev=\ndevid=-1\nkeep=0\nphase=\npid=999999999\n"
                "start=1\nchildren=\n",
                "00000000-0000-0000-0000-000000000000");
        fclose(fp);
    }
    f = orphans();
    check(f.n == 1 && !strcmp(f.rec[0].name, "old") && !f.rec[0].stream &&
          !f.rec[0].file[0], "an older record reads as no stream");
    check(f.n == 1 && f.rec[0].kind == JOURNAL_CREATE,
          "  and has its kind from its verb");
    if (f.n >= 1)
        journal_remove(NULL, &f.rec[0]);

    /* The kind, not the verb, says what a record is of. */
    snprintf(cmd, sizeof(cmd), "%s/1-1-2.op", dir);
    fp = fopen(cmd, "w");
    if (fp) {
        fprintf(fp, "verb=disk-plug\nname=new\nuuid=%s\ndomid=3\n"
                "dev=xvdb\nvdev=xvdb\ndevid=-1\nkeep=0\nphase=\n"
                "pid=999999999\nstart=1\nchildren=\nkind=attach\n"
                "devkind=disk\n", "00000000-0000-0000-0000-000000000000");
        fclose(fp);
    }
    f = orphans();
    check(f.n == 1 && f.rec[0].kind == JOURNAL_ATTACH &&
          !strcmp(f.rec[0].devkind, "disk"),
          "a verb renamed since: the record's kind and device kind hold");
    if (f.n >= 1)
        journal_remove(NULL, &f.rec[0]);
    check(journal_kind_by_name(journal_kind_name(JOURNAL_DUMP)) ==
              JOURNAL_DUMP &&
          journal_after_by_name(journal_after_name(JOURNAL_AFTER_PAUSE)) ==
              JOURNAL_AFTER_PAUSE &&
          journal_kind_by_name("frobnicate") == JOURNAL_UNKNOWN,
          "kinds and afters read back by name; an unknown name is none");

    /*
     * What the journal does not trust: a FIFO among the records (which
     * would hang a reader), a symlink, a record another user owns, and a
     * directory others can write.
     */
    {
        char p[600], target[600], cp[2000];
        char why[600];

        memset(&mine, 0, sizeof(mine));
        snprintf(mine.verb, sizeof(mine.verb), "create");
        snprintf(mine.name, sizeof(mine.name), "forged");
        mine.domid = 3;
        mine.devid = -1;
        check(write_in_child(lp, &mine) == 0, "a record to copy is written");
        f = orphans();
        snprintf(target, sizeof(target), "%s", f.n ? f.rec[0].path : "");
        snprintf(p, sizeof(p), "%s/fifo.op", dir);
        mkfifo(p, 0600);
        snprintf(p, sizeof(p), "%s/link.op", dir);
        if (symlink(target, p) < 0)
            perror("symlink");
        snprintf(p, sizeof(p), "%s/other.op", dir);
        snprintf(cp, sizeof(cp), "cp '%s' '%s' && chown nobody '%s'",
                 target, p, p);
        if (system(cp) != 0)
            printf("# cannot make a record another user owns\n");
        f = orphans();
        check(f.n == 1 && !strcmp(f.rec[0].name, "forged") &&
              !strcmp(f.rec[0].path, target),
              "a FIFO, a symlink and another user's record are not read");
        snprintf(p, sizeof(p), "%s/fifo.op", dir);
        unlink(p);
        snprintf(p, sizeof(p), "%s/link.op", dir);
        unlink(p);
        snprintf(p, sizeof(p), "%s/other.op", dir);
        unlink(p);

        chmod(dir, 0755);
        check(journal_dir_untrusted(why, sizeof(why)) != NULL &&
              strstr(why, "mode 755") != NULL,
              "a directory others can read or write is not trusted");
        check(orphans().n == 0, "and no record in it is acted on");
        mine.path[0] = '\0';
        check(journal_write(lp, &mine) < 0, "nor is one written there");
        chmod(dir, 0700);
        check(journal_dir_untrusted(why, sizeof(why)) == NULL,
              "root's own, mode 700: trusted");
        f = orphans();
        if (f.n >= 1)
            journal_remove(NULL, &f.rec[0]);
    }

    /*
     * Two loops (two libxl contexts) in one process: each rewrites only
     * its own live records when a child is forked for it, and counts
     * only its own children.  The second is disposed first: the signal
     * handling is the process's, made for the last loop (loop.c).
     */
    {
        struct journal_rec ra, rb;
        struct loop *lp2;
        pid_t kid, *now = NULL;
        char want[32], line[2600];
        int n, named = 0;

        if (loop_init(&lp2) < 0) {
            printf("Bail out! a second loop_init failed\n");
            return 1;
        }
        memset(&ra, 0, sizeof(ra));
        snprintf(ra.verb, sizeof(ra.verb), "create");
        snprintf(ra.name, sizeof(ra.name), "a");
        ra.domid = 4;
        ra.devid = -1;
        rb = ra;
        snprintf(rb.name, sizeof(rb.name), "b");
        check(journal_write(lp, &ra) == 0 && journal_write(lp2, &rb) == 0 &&
              strcmp(ra.path, rb.path) != 0,
              "two loops' records: a file each, never one name");
        fflush(stdout);
        kid = fork();
        if (kid == 0) {
            pause();
            _exit(0);
        }
        if (kid > 0)
            journal_child(lp, kid);
        snprintf(want, sizeof(want), "%d:", (int)kid);
        check(kid > 0 && strstr(ra.children, want) &&
              !strstr(rb.children, want),
              "a child forked for one loop is named in its records only");
        n = journal_children(lp2, &now);
        free(now);
        check(n == 0 && journal_children(lp, &now) == 1 && now[0] == kid,
              "each loop counts only its own children");
        free(now);
        journal_remove(lp2, &rb);
        loop_dispose(lp2);
        fp = fopen(ra.path, "r");
        while (fp && fgets(line, sizeof(line), fp))
            named |= !strncmp(line, "children=", 9) &&
                     !strncmp(line + 9, want, strlen(want));
        if (fp)
            fclose(fp);
        check(named && orphans().n == 0,
              "the other loop gone, the first's record on disk names it");
        if (kid > 0) {
            kill(kid, SIGKILL);
            waitpid(kid, NULL, 0);
        }
        journal_remove(lp, &ra);
        check(orphans().n == 0, "and is removed by its loop");
    }

    loop_dispose(lp);
    rmdir(dir);
    return tap_done();
}
