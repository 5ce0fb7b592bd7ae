/*
 * Unit tests for the domain monitor's decisions (core/monitor.c: reason
 * to action, action to steps, rename-restart's suffix) and for
 * autoballoon's reading of Xen's command line (core/balloon.c), and
 * xl's lock taken once per process, by one owner (a loop) at a time.
 * Prints TAP.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"
#include "../../core/balloon.h"
#include "../../core/monitor.h"

int main(void)
{
    libxl_domain_config cfg;
    char buf[32], path[] = "/tmp/axl-test-lock-XXXXXX";
    pid_t holder;
    int fd, loop_a, loop_b;     /* two owners: only their addresses */

    libxl_domain_config_init(&cfg);
    cfg.on_poweroff = LIBXL_ACTION_ON_SHUTDOWN_DESTROY;
    cfg.on_reboot = LIBXL_ACTION_ON_SHUTDOWN_RESTART;
    cfg.on_crash = LIBXL_ACTION_ON_SHUTDOWN_COREDUMP_RESTART;
    cfg.on_watchdog = LIBXL_ACTION_ON_SHUTDOWN_RESTART_RENAME;
    cfg.on_soft_reset = LIBXL_ACTION_ON_SHUTDOWN_SOFT_RESET;
    check(monitor_action(&cfg, LIBXL_SHUTDOWN_REASON_POWEROFF) ==
          LIBXL_ACTION_ON_SHUTDOWN_DESTROY, "poweroff: on_poweroff");
    check(monitor_action(&cfg, LIBXL_SHUTDOWN_REASON_REBOOT) ==
          LIBXL_ACTION_ON_SHUTDOWN_RESTART, "reboot: on_reboot");
    check(monitor_action(&cfg, LIBXL_SHUTDOWN_REASON_CRASH) ==
          LIBXL_ACTION_ON_SHUTDOWN_COREDUMP_RESTART, "crash: on_crash");
    check(monitor_action(&cfg, LIBXL_SHUTDOWN_REASON_WATCHDOG) ==
          LIBXL_ACTION_ON_SHUTDOWN_RESTART_RENAME, "watchdog: on_watchdog");
    check(monitor_action(&cfg, LIBXL_SHUTDOWN_REASON_SOFT_RESET) ==
          LIBXL_ACTION_ON_SHUTDOWN_SOFT_RESET, "soft reset: on_soft_reset");
    check(monitor_action(&cfg, LIBXL_SHUTDOWN_REASON_SUSPEND) ==
          LIBXL_ACTION_ON_SHUTDOWN_PRESERVE, "suspend: the domain is left");
    check(monitor_action(&cfg, (libxl_shutdown_reason)99) ==
          LIBXL_ACTION_ON_SHUTDOWN_DESTROY, "an unknown reason: destroy");

    check(monitor_steps(LIBXL_ACTION_ON_SHUTDOWN_PRESERVE) == 0,
          "preserve: no step");
    check(monitor_steps(LIBXL_ACTION_ON_SHUTDOWN_DESTROY) == MON_DESTROY,
          "destroy: destroy");
    check(monitor_steps(LIBXL_ACTION_ON_SHUTDOWN_RESTART) ==
          (MON_RELOAD | MON_DESTROY | MON_RESTART),
          "restart: read the config, destroy, create");
    check(monitor_steps(LIBXL_ACTION_ON_SHUTDOWN_RESTART_RENAME) ==
          (MON_RELOAD | MON_RENAME | MON_RESTART),
          "rename-restart: keep the old one renamed, create");
    check(monitor_steps(LIBXL_ACTION_ON_SHUTDOWN_COREDUMP_DESTROY) ==
          (MON_COREDUMP | MON_DESTROY), "coredump-destroy: dump first");
    check(monitor_steps(LIBXL_ACTION_ON_SHUTDOWN_COREDUMP_RESTART) ==
          (MON_COREDUMP | MON_RELOAD | MON_DESTROY | MON_RESTART),
          "coredump-restart: dump, then restart");
    check(monitor_steps(LIBXL_ACTION_ON_SHUTDOWN_SOFT_RESET) ==
          (MON_RELOAD | MON_SOFT_RESET), "soft-reset: in place");
    check(!strcmp(monitor_action_name(LIBXL_ACTION_ON_SHUTDOWN_RESTART_RENAME),
                  "rename-restart"), "action names as config files say");
    check(!strcmp(monitor_rename_suffix(1795824000, buf, sizeof(buf)),
                  "-20261128T0000Z"), "rename suffix: -YYYYMMDDTHHMMZ, UTC");

    check(balloon_cmdline_sets_dom0_mem("dom0_mem=512M,max:512M console=com1"),
          "dom0_mem=512M,max:512M sets it");
    check(balloon_cmdline_sets_dom0_mem("noreboot dom0_mem=1G"),
          "dom0_mem at the end sets it");
    check(balloon_cmdline_sets_dom0_mem("dom0_mem=10%"), "a percentage");
    check(!balloon_cmdline_sets_dom0_mem("console=com1 noreboot"),
          "no dom0_mem: autoballoon");
    check(!balloon_cmdline_sets_dom0_mem("xdom0_mem=1G"),
          "a key that only ends in dom0_mem does not count");
    check(balloon_cmdline_sets_dom0_mem("a dom0_mem=min:1G,max:2G b"),
          "min: and max: amounts");
    check(balloon_cmdline_sets_dom0_mem("dom0_mem=1G+10%"),
          "a size plus a percentage");
    check(balloon_cmdline_sets_dom0_mem("dom0_mem=-512m"),
          "a negative size (all but that much)");
    check(!balloon_cmdline_sets_dom0_mem("dom0_mem= console=com1"),
          "an empty value does not count");
    check(!balloon_cmdline_sets_dom0_mem("dom0_mem=lots"),
          "a value that is no amount does not count");
    check(!balloon_cmdline_sets_dom0_mem("dom0_mem=1G,,2G"),
          "an empty amount between commas does not count");
    check(!balloon_cmdline_sets_dom0_mem("dom0_mem=150%"),
          "a percentage of three digits does not count");
    check(!balloon_cmdline_sets_dom0_mem(NULL), "no command line");

    fd = mkstemp(path);
    check(fd >= 0, "a lock file");
    close(fd);
    check(balloon_lock(&loop_a, path, &holder) == 0, "xl's lock: taken");
    check(balloon_lock(&loop_a, path, &holder) == 0,
          "  again by this process");
    check(balloon_lock(&loop_b, path, &holder) == 1 && holder == getpid(),
          "  another loop of it waits, as another process would");
    balloon_unlock();
    check(balloon_lock(&loop_b, path, &holder) == 1,
          "  while any hold of the first loop's is left");
    balloon_unlock();
    check(balloon_lock(&loop_b, path, &holder) == 0,
          "  and takes it once the first loop's holds are gone");
    balloon_unlock();
    unlink(path);
    libxl_domain_config_dispose(&cfg);
    return tap_done();
}
