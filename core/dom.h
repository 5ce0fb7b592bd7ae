/*
 * dom: finding domains and describing the state they are in.
 */
#ifndef AXL_DOM_H
#define AXL_DOM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <libxl.h>

enum dom_state {
    DOM_GONE,       /* no such domain */
    DOM_RUNNING,
    DOM_PAUSED,
    DOM_SHUTDOWN,   /* shut down, not yet destroyed */
    DOM_DYING,
    DOM_UNKNOWN,    /* libxl could not tell */
};

/*
 * Resolve spec, a domain name or a decimal domain id, to a domid.
 * Returns 0, ERROR_DOMAIN_NOTFOUND if no domain has that name or id, or
 * another libxl error.
 */
int dom_resolve(libxl_ctx *ctx, const char *spec, uint32_t *domid_r);

/* The state of domid right now. */
enum dom_state dom_state_of(libxl_ctx *ctx, uint32_t domid);

/*
 * Whether domid is down though not suspended: shut down for another
 * reason (a crash, a reboot, a triple fault), dying, or gone; its state
 * in words ("has shut down (reboot)") into buf.
 */
bool dom_down(libxl_ctx *ctx, uint32_t domid, char *buf, size_t len);

/* Whether domid is suspended (shut down for a save or migration). */
bool dom_suspended(libxl_ctx *ctx, uint32_t domid);

/*
 * Reset domid as a PC's reset button would: Xen shuts it down with the
 * reason reboot, as when the guest resets itself, and its on_reboot
 * action follows (a monitor starts it again).  Xen on x86 has no reset
 * trigger (libxl_send_trigger()'s reset fails, not implemented), so this
 * asks through the device-model interface, as QEMU does when the guest
 * resets.  Not for a PV guest, nor one already shut down or dying (Xen
 * would keep its first reason, and nothing would happen).  What
 * libxenctrl's layers log goes to lg.  0, or -1 with why the reason in
 * words ("a PV guest has no reset button").
 */
int dom_reset(libxl_ctx *ctx, uint32_t domid, xentoollog_logger *lg,
              const char **why);

/* A short word for a state: "running", "paused", "gone", ... */
const char *dom_state_name(enum dom_state st);

#endif
