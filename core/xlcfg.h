/*
 * xlcfg: turn an xl.cfg(5) domain configuration file, or libxl's JSON
 * domain configuration, into a libxl_domain_config.
 *
 * Pure translation: nothing here creates, queries or changes a domain.
 */
#ifndef AXL_XLCFG_H
#define AXL_XLCFG_H

#include <libxl.h>

/*
 * Diagnostics go through this callback, one line each, without a prefix
 * or a trailing newline (the caller adds "axl: ").  is_error is 0 for a
 * warning (e.g. an unknown key), 1 for an error.
 */
typedef void xlcfg_report_fn(void *user, int is_error, const char *msg);

struct xlcfg_opts {
    const char *path;              /* config file; "-" is not accepted */
    const char *const *overrides;  /* "key=value" strings, applied last */
    int n_overrides;
    xlcfg_report_fn *report;       /* may not be NULL */
    void *user;
};

/*
 * Read opts->path (xl.cfg syntax, or libxl JSON if the first non-blank
 * character is '{') plus the overrides, and fill *cfg, which the caller
 * has initialised with libxl_domain_config_init() and disposes of with
 * libxl_domain_config_dispose() whatever the result.
 *
 * Returns 0 on success, -1 after reporting at least one error.  Never
 * exits and never prints directly.  ctx is used only for libxl's
 * parsing helpers; no domain is touched.
 */
int xlcfg_parse(libxl_ctx *ctx, const struct xlcfg_opts *opts,
                libxl_domain_config *cfg);

#endif
