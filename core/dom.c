/*
 * dom: domain lookup and state, from libxl.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxl_utils.h>
#include <xendevicemodel.h>
#include <xen/sched.h>

#include "dom.h"
#include "monitor.h"

/* Xen reserves domain ids from 0x7FF0 up (DOMID_FIRST_RESERVED). */
#define DOM_FIRST_RESERVED 0x7FF0u

int dom_resolve(libxl_ctx *ctx, const char *spec, uint32_t *domid_r)
{
    libxl_dominfo info;
    char *end;
    unsigned long v;
    int rc;

    if (!*spec)
        return ERROR_INVAL;
    errno = 0;
    v = strtoul(spec, &end, 10);
    if (*spec >= '0' && *spec <= '9' && !*end && !errno &&
        v < DOM_FIRST_RESERVED) {
        libxl_dominfo_init(&info);
        rc = libxl_domain_info(ctx, &info, (uint32_t)v);
        libxl_dominfo_dispose(&info);
        if (rc)
            return rc;
        *domid_r = (uint32_t)v;
        return 0;
    }
    rc = libxl_name_to_domid(ctx, spec, domid_r);
    if (rc == ERROR_INVAL)
        return ERROR_DOMAIN_NOTFOUND;
    return rc;
}

enum dom_state dom_state_of(libxl_ctx *ctx, uint32_t domid)
{
    libxl_dominfo info;
    enum dom_state st;
    int rc;

    if (domid == (uint32_t)INVALID_DOMID)
        return DOM_GONE;
    libxl_dominfo_init(&info);
    rc = libxl_domain_info(ctx, &info, domid);
    if (rc == ERROR_DOMAIN_NOTFOUND)
        st = DOM_GONE;
    else if (rc)
        st = DOM_UNKNOWN;
    else if (info.dying)
        st = DOM_DYING;
    else if (info.shutdown)
        st = DOM_SHUTDOWN;
    else if (info.paused)
        st = DOM_PAUSED;
    else
        st = DOM_RUNNING;
    libxl_dominfo_dispose(&info);
    return st;
}

const char *dom_state_name(enum dom_state st)
{
    switch (st) {
    case DOM_GONE: return "gone";
    case DOM_RUNNING: return "running";
    case DOM_PAUSED: return "paused";
    case DOM_SHUTDOWN: return "shut down";
    case DOM_DYING: return "dying";
    default: return "in an unknown state";
    }
}

bool dom_down(libxl_ctx *ctx, uint32_t domid, char *buf, size_t len)
{
    libxl_dominfo info;
    bool down = false;

    libxl_dominfo_init(&info);
    if (libxl_domain_info(ctx, &info, domid) != 0) {
        snprintf(buf, len, "is gone");
        down = dom_state_of(ctx, domid) == DOM_GONE;
    } else if (info.dying) {
        snprintf(buf, len, "is being destroyed");
        down = true;
    } else if (info.shutdown &&
               info.shutdown_reason != LIBXL_SHUTDOWN_REASON_SUSPEND) {
        snprintf(buf, len, "has shut down (%s)",
                 monitor_reason_name(info.shutdown_reason));
        down = true;
    }
    libxl_dominfo_dispose(&info);
    return down;
}

bool dom_suspended(libxl_ctx *ctx, uint32_t domid)
{
    libxl_dominfo info;
    bool s = false;

    libxl_dominfo_init(&info);
    if (libxl_domain_info(ctx, &info, domid) == 0)
        s = info.shutdown &&
            info.shutdown_reason == LIBXL_SHUTDOWN_REASON_SUSPEND;
    libxl_dominfo_dispose(&info);
    return s;
}

int dom_reset(libxl_ctx *ctx, uint32_t domid, xentoollog_logger *lg,
              const char **why)
{
    xendevicemodel_handle *dm;
    libxl_dominfo info;
    int rc, err;

    libxl_dominfo_init(&info);
    rc = libxl_domain_info(ctx, &info, domid);
    *why = rc == ERROR_DOMAIN_NOTFOUND ? "it is gone"
         : rc ? "libxl cannot tell what it is"
         : info.domain_type == LIBXL_DOMAIN_TYPE_PV
             ? "a PV guest has no reset button"
         : info.dying ? "it is being destroyed"
         : info.shutdown ? "it has already shut down"
         : NULL;
    libxl_dominfo_dispose(&info);
    if (*why)
        return -1;
    errno = 0;
    dm = xendevicemodel_open(lg, 0);
    if (!dm) {
        *why = strerror(errno ? errno : EIO);
        return -1;
    }
    rc = xendevicemodel_shutdown(dm, (domid_t)domid, SHUTDOWN_reboot);
    err = errno;
    xendevicemodel_close(dm);
    if (rc < 0) {
        *why = strerror(err ? err : EIO);
        return -1;
    }
    return 0;
}
