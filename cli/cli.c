/*
 * cli: state shared by every command handler.
 */
#include <unistd.h>

#include "../core/journal.h"
#include "cli.h"
#include "cmd_cleanup.h"
#include "out.h"

libxl_ctx *cli_libxl(struct cli *cli)
{
    libxl_ctx *ctx = loop_ctx(cli->lp);
    int rc;

    if (ctx)
        return ctx;
    rc = loop_open_libxl(cli->lp, log_logger(cli->log));
    if (rc) {
        const char *why = log_cause(cli->log, cli->verbose > 0);

        if (access("/proc/xen/capabilities", F_OK) != 0 &&
            access("/dev/xen/privcmd", F_OK) != 0)
            error("cannot open libxl: this is not a Xen host (no "
                  "/dev/xen/privcmd)");
        else
            error("cannot open libxl: %s", why ? why : "unknown error");
        return NULL;
    }
    /* What a killed axl left is said once, by the next one to look. */
    if (!cli->quiet_orphans)
        cleanup_report(loop_ctx(cli->lp));
    {
        char why[600];

        if (journal_dir_untrusted(why, sizeof(why)))
            warn("the journal is not used: %s; a killed axl's leftovers "
                 "cannot be found", why);
    }
    return loop_ctx(cli->lp);
}

void cli_hold(struct cli *cli)
{
    if (!cli->held)
        cli->hold_status = -1;
    cli->holds++;
    cli->held = true;
}

void cli_child_end(int status)
{
    _exit(status);
}

void cli_release(struct cli *cli, int status)
{
    if (cli->holds > 0)
        cli->holds--;
    if (status >= 0)
        cli->hold_status = status;
}

void cli_sig_hook_add(struct cli *cli, struct cli_sig_hook *h)
{
    h->next = cli->sig_hooks;
    cli->sig_hooks = h;
}

void cli_sig_hook_remove(struct cli *cli, struct cli_sig_hook *h)
{
    struct cli_sig_hook **pp;

    for (pp = &cli->sig_hooks; *pp; pp = &(*pp)->next)
        if (*pp == h) {
            *pp = h->next;
            h->next = NULL;
            return;
        }
}

bool cli_sig_hooks_run(struct cli *cli, int signo)
{
    struct cli_sig_hook *h, *next;
    bool taken = false;

    /* A hook may remove itself (its holder ends): next is read first. */
    for (h = cli->sig_hooks; h; h = next) {
        next = h->next;
        taken |= h->fn(cli, signo, h->user);
    }
    return taken;
}

bool cli_idle(void *user)
{
    struct cli *cli = user;

    return cli->holds == 0 && jobs_all_done(cli);
}
