/*
 * balloon: making room for a new domain when the host lacks free memory,
 * as xl's autoballoon does: Domain-0 is asked to give memory back, under
 * xl's lock (the file xl.conf's lockfile names), so that an axl and an xl
 * creating at once do not both count on the same free memory.  Within
 * one axl's loop, the create op (core/op_balloon.c) counts what the
 * creates in flight still need, so that parallel jobs do not either, and
 * does the waiting: these are the facts and the lock it works with.
 */
#ifndef AXL_BALLOON_H
#define AXL_BALLOON_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <libxl.h>

/*
 * xl's "auto": balloon unless Xen's command line sets dom0_mem (then
 * Domain-0 has a fixed size and the host keeps the rest free).
 */
bool balloon_auto(libxl_ctx *ctx);
/* Whether a Xen command line sets dom0_mem (balloon_auto()'s rule). */
bool balloon_cmdline_sets_dom0_mem(const char *cmdline);

/*
 * Take xl's lock at path for owner (a loop: whose creates count on
 * memory together), without waiting: 0 when held (counted: each 0 needs
 * a balloon_unlock()), 1 when another process, or another owner in this
 * one, holds it (*holder_r its pid, 0 if unknown), -1 with errno set.
 * Another owner waits as another process would, so that no two owners
 * count on the same free memory.  Process-wide (the lock is the
 * process's): not for a signal handler, nor for two threads at once.
 */
int balloon_lock(const void *owner, const char *path, pid_t *holder_r);
/* One hold of balloon_lock()'s goes; the last drops the lock. */
void balloon_unlock(void);

#endif
