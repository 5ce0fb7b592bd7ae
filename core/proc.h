#ifndef AXL_PROC_H
#define AXL_PROC_H
/*
 * proc: every process axl makes, made one way.  Whatever the child is
 * (one of libxl's, the core dump's call, the console client, the
 * monitor, a migration's transport), it gets the signal mask and
 * dispositions axl started with, a place toward the terminal chosen
 * from three, its standard descriptors, at most one more descriptor
 * meant for it, and nothing else of axl's.
 */
#include <stdbool.h>
#include <sys/types.h>

struct loop;
struct journal_rec;

/* Where a child stands toward the terminal and its signals. */
enum proc_place {
    /*
     * A session of its own, without a terminal: a terminal's Ctrl-C
     * reaches axl alone, and axl decides (libxl's children, the core
     * dump, the monitor).  A session, not only a group, so that libxl's
     * bootloader child can make the pty it needs its terminal.
     */
    PROC_SESSION,
    /*
     * A process group of its own in axl's session: the terminal's
     * signals do not reach it, and axl ends it and what it runs as one
     * group (a migration's transport).
     */
    PROC_GROUP,
    /*
     * axl's own group: it shares the terminal with axl (the console
     * client, which puts the terminal in raw mode and reads it).
     */
    PROC_FOREGROUND,
};

struct proc_spec {
    enum proc_place place;
    /*
     * The loop whose journal records name the child, so that a cleanup
     * after a killed axl stops it; NULL for none.  Only a session's
     * leader can be named (cleanup kills only what still leads the
     * session it recorded), so only with PROC_SESSION and not detach.
     */
    struct loop *journal;
    /* With journal: the one record that names it; NULL: every record. */
    struct journal_rec *journal_rec;
    /*
     * Or, where no loop is (a create's worker, whose journal is its
     * parent's): name(pid, name_user) is called where the journal would
     * be, in the parent before the child is let go.
     */
    void (*name)(pid_t pid, void *user);
    void *name_user;
    /*
     * A daemon: an intermediate child forks it and exits at once, and is
     * reaped here.  The daemon is no child of axl's, and its pid is not
     * known here.
     */
    bool detach;
    /* The child's stdin, stdout and stderr from these; -1 keeps axl's. */
    int fd[3];
    /* One more descriptor the child keeps across exec, or -1. */
    int pass;
    /*
     * libxl's children: regular files and sockets libxl left open
     * without close-on-exec stay so (pipes do not: libxenstore's watch
     * pipe).  libxl hands QEMU a restored guest's saved state that way
     * ("-incoming fd:N"), and with dm_restrict its QMP socket (-chardev
     * socket,fd=N): made close-on-exec, QEMU read another file in its
     * place, and no HVM guest could be restored or received.  axl's own
     * descriptors all have the flag, and those it inherited are given it
     * at its start.
     */
    bool keep_files;
    /*
     * How the child ends when its setup fails (a descriptor that cannot
     * be set) or, with detach, how the intermediate child ends: only
     * cli/ decides how a process ends (its _exit).  Needed with detach
     * or fd[]; a child without either never calls it.
     */
    void (*end)(int status);
};

/* A spec for place with nothing else set. */
#define PROC_SPEC(p) \
    ((struct proc_spec){ .place = (p), .fd = { -1, -1, -1 }, .pass = -1 })

/*
 * Fork a child as spec says.  As fork(): 0 in the child (which must only
 * exec or _exit, with async-signal-safe calls between), the child's pid
 * in the parent, or -1 with errno set.  With spec->detach, the parent
 * gets a positive number that is no pid (the intermediate child, already
 * reaped), and 0 is returned in the daemon.  Every descriptor of axl's
 * is made close-on-exec first, in this process too (libxenstore 4.17
 * makes its watch pipe without the flag), but what keep_files keeps.
 */
pid_t proc_fork(const struct proc_spec *spec);

/*
 * In a child that runs on without exec (a create's worker): close every
 * descriptor above stderr but the n_keep in keep.
 */
void proc_close_all_but(const int *keep, size_t n_keep);

/* Whether prog (a path, or a name looked up in $PATH) can be run. */
bool proc_runnable(const char *prog);

#endif
