/*
 * cmd_cleanup: the orphans of killed axls, as the commands outside
 * cli/cmd_cleanup.c see them: said once per run when libxl is opened
 * (cli/cli.c), and the half-built domains `list` marks
 * (cli/cmd_domain.c).
 */
#ifndef AXL_CMD_CLEANUP_H
#define AXL_CMD_CLEANUP_H

#include <stdint.h>
#include <libxl.h>

/*
 * The journal's orphans (cli/cmd_cleanup.c): cleanup_report() says, one
 * line each, what killed axls left that still exists (and forgets what
 * is gone); cleanup_half_built() gives the domids of the half-built
 * domains (malloc'd) and returns how many.
 */
void cleanup_report(libxl_ctx *ctx);
int cleanup_half_built(libxl_ctx *ctx, uint32_t **domids_r);

#endif
