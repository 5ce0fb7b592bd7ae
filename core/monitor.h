/*
 * monitor: what happens to a domain when it shuts down, as xl's monitor
 * decides it: the configuration's on_poweroff, on_reboot, on_watchdog,
 * on_crash and on_soft_reset, each one of xl's actions, broken into the
 * steps that carry it out.  Pure logic: the steps run as ops, driven by
 * cli/cmd_monitor.c.
 */
#ifndef AXL_MONITOR_H
#define AXL_MONITOR_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include <libxl.h>

/* The steps, in the order they run. */
#define MON_COREDUMP   0x1u  /* write a core file (coredump-*) */
#define MON_RELOAD     0x2u  /* read the configuration to restart with */
#define MON_RENAME     0x4u  /* keep the old domain under a new name */
#define MON_DESTROY    0x8u
#define MON_RESTART    0x10u /* create it again */
#define MON_SOFT_RESET 0x20u /* reset it in place */
/* The monitor runs the steps lowest bit first: their bits are their order. */
_Static_assert(MON_COREDUMP < MON_RELOAD && MON_RELOAD < MON_RENAME &&
               MON_RENAME < MON_DESTROY && MON_DESTROY < MON_RESTART,
               "the monitor's steps run in the order of their bits");

/*
 * The action cfg gives for a shutdown with this reason.  A suspend is
 * someone saving the domain: preserve (the monitor's work is over); an
 * unknown reason is destroy, as xl.
 */
libxl_action_on_shutdown monitor_action(const libxl_domain_config *cfg,
                                        libxl_shutdown_reason reason);

/* The steps that carry out action (MON_* bits). */
unsigned monitor_steps(libxl_action_on_shutdown action);

/* "reboot", "crash", ...: a reason in xl's words. */
const char *monitor_reason_name(libxl_shutdown_reason reason);

/* "restart", "rename-restart", ...: an action as a config file says it. */
const char *monitor_action_name(libxl_action_on_shutdown action);

/*
 * The suffix rename-restart gives the old domain, from the time (UTC):
 * "-20261128T0612Z", as xl.  Returns buf.
 */
const char *monitor_rename_suffix(time_t now, char *buf, size_t len);

#endif
