/*
 * monitor_int: what the domain monitor's two files share: the monitor
 * itself (cli/cmd_monitor.c: watching, its steps, the command) and its
 * process (cli/monitor_proc.c: the lock that says which process
 * monitors a domain, and spawning a monitor in a process of its own).
 */
#ifndef AXL_MONITOR_INT_H
#define AXL_MONITOR_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <libxl.h>

#include "../core/op.h"
#include "cli.h"

#define MON_LOG_DIR   "/var/log/xen"
#define MON_DUMP_DIR  "/var/lib/xen/dump"
/* How long a starting monitor has to say it watches the domain. */
#define MON_READY_MS  20000
/* How long a monitor waits for the one of a migration's other copy. */
#define MON_TWIN_MS   10000
/* The userdata key that marks a domain axl created (and monitors). */
#define MON_USERDATA  "axl"
/* The environment a spawned monitor reads. */
#define MON_ENV_DAEMON "AXL_MONITOR_DAEMON"
#define MON_ENV_READY  "AXL_MONITOR_READY_FD"

struct mon {
    struct cli_sig_hook hook;   /* a signal: stop watching */
    struct cli *cli;
    uint32_t domid;
    char *name;
    libxl_uuid uuid;
    enum op_on_cancel on_cancel;
    libxl_domain_config cfg;    /* the actions, and what a restart makes */
    libxl_evgen_domain_death *deathw;
    libxl_evgen_disk_eject **ejectw;    /* one per removable disk */
    int n_ejectw;
    struct loop_event_sink sink;
    unsigned steps;             /* MON_* still to do for this shutdown */
    struct job *job;            /* the step running now */
    struct job *last;           /* the previous step's job, done */
    bool stopping;              /* a signal: end after the running step */
    bool ended;
    int status;
    int lock_fd;
    int ready_fd;               /* tells the spawner we watch; -1 */
};

/* The lock monitoring uuid holds, and who holds it ("PID DOMID"). */
pid_t mon_holder(const libxl_uuid *uuid, uint32_t *domid_r);
/* Write "PID DOMID" into the held lock (again after a restart). */
int mon_lock_say(struct mon *m);
/* Take the domain's lock: 0, or -1 after reporting who holds it. */
int mon_lock(struct mon *m);
void mon_unlock(struct mon *m);
/* Tell the spawner (if any) whether monitoring started. */
void mon_ready(struct mon *m, bool ok);
/* DIR/PREFIXNAMESUFFIX for domain NAME, never outside DIR. */
const char *mon_path(char *buf, size_t len, const char *dir,
                     const char *prefix, const char *name, uint32_t domid,
                     const char *suffix);
/*
 * Start a monitor for domid in a process of its own; wait until it
 * watches (bounded: MON_READY_MS), in this call.  For `axl monitor`,
 * which has nothing else to do.  0, or -1 after reporting.
 */
int mon_spawn(uint32_t domid, const char *name, enum op_on_cancel on_cancel);
/*
 * As mon_spawn(), but the wait is the loop's, which runs on meanwhile
 * (other jobs are not frozen for it): fn is called once from the loop,
 * after what happened is said, with whether the monitor watches.
 * Returns 0, or -1 after reporting (then fn is never called).
 */
typedef void mon_spawned_fn(void *user, bool ok);
int mon_spawn_then(struct loop *lp, uint32_t domid, const char *name,
                   enum op_on_cancel on_cancel, mon_spawned_fn *fn,
                   void *user);

#endif
