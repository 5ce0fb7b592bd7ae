/*
 * monitor: a shutdown's reason to an action, and an action to steps.
 */
#include <stdio.h>
#include <string.h>

#include "monitor.h"

libxl_action_on_shutdown monitor_action(const libxl_domain_config *cfg,
                                        libxl_shutdown_reason reason)
{
    switch (reason) {
    case LIBXL_SHUTDOWN_REASON_POWEROFF: return cfg->on_poweroff;
    case LIBXL_SHUTDOWN_REASON_REBOOT: return cfg->on_reboot;
    case LIBXL_SHUTDOWN_REASON_CRASH: return cfg->on_crash;
    case LIBXL_SHUTDOWN_REASON_WATCHDOG: return cfg->on_watchdog;
    case LIBXL_SHUTDOWN_REASON_SOFT_RESET: return cfg->on_soft_reset;
    case LIBXL_SHUTDOWN_REASON_SUSPEND:
        return LIBXL_ACTION_ON_SHUTDOWN_PRESERVE;
    default: return LIBXL_ACTION_ON_SHUTDOWN_DESTROY;
    }
}

unsigned monitor_steps(libxl_action_on_shutdown action)
{
    switch (action) {
    case LIBXL_ACTION_ON_SHUTDOWN_PRESERVE:
        return 0;
    case LIBXL_ACTION_ON_SHUTDOWN_RESTART:
        return MON_RELOAD | MON_DESTROY | MON_RESTART;
    case LIBXL_ACTION_ON_SHUTDOWN_RESTART_RENAME:
        return MON_RELOAD | MON_RENAME | MON_RESTART;
    case LIBXL_ACTION_ON_SHUTDOWN_COREDUMP_DESTROY:
        return MON_COREDUMP | MON_DESTROY;
    case LIBXL_ACTION_ON_SHUTDOWN_COREDUMP_RESTART:
        return MON_COREDUMP | MON_RELOAD | MON_DESTROY | MON_RESTART;
    case LIBXL_ACTION_ON_SHUTDOWN_SOFT_RESET:
        return MON_RELOAD | MON_SOFT_RESET;
    case LIBXL_ACTION_ON_SHUTDOWN_DESTROY:
    default:
        return MON_DESTROY;
    }
}

const char *monitor_reason_name(libxl_shutdown_reason reason)
{
    switch (reason) {
    case LIBXL_SHUTDOWN_REASON_POWEROFF: return "poweroff";
    case LIBXL_SHUTDOWN_REASON_REBOOT: return "reboot";
    case LIBXL_SHUTDOWN_REASON_SUSPEND: return "suspend";
    case LIBXL_SHUTDOWN_REASON_CRASH: return "crash";
    case LIBXL_SHUTDOWN_REASON_WATCHDOG: return "watchdog";
    case LIBXL_SHUTDOWN_REASON_SOFT_RESET: return "soft-reset";
    default: return "unknown reason";
    }
}

const char *monitor_action_name(libxl_action_on_shutdown action)
{
    switch (action) {
    case LIBXL_ACTION_ON_SHUTDOWN_DESTROY: return "destroy";
    case LIBXL_ACTION_ON_SHUTDOWN_RESTART: return "restart";
    case LIBXL_ACTION_ON_SHUTDOWN_RESTART_RENAME: return "rename-restart";
    case LIBXL_ACTION_ON_SHUTDOWN_PRESERVE: return "preserve";
    case LIBXL_ACTION_ON_SHUTDOWN_COREDUMP_DESTROY:
        return "coredump-destroy";
    case LIBXL_ACTION_ON_SHUTDOWN_COREDUMP_RESTART:
        return "coredump-restart";
    case LIBXL_ACTION_ON_SHUTDOWN_SOFT_RESET: return "soft-reset";
    default: return "destroy";
    }
}

const char *monitor_rename_suffix(time_t now, char *buf, size_t len)
{
    struct tm tm;

    if (!gmtime_r(&now, &tm) ||
        !strftime(buf, len, "-%Y%m%dT%H%MZ", &tm))
        snprintf(buf, len, "-%ld", (long)now);
    return buf;
}
