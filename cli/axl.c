/*
 * axl: main - global options, the one-shot run of a command, and what
 * happens on a signal.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/op.h"
#include "../core/status.h"
#include "cmd.h"
#include "ctl.h"
#include "out.h"
#include "parse.h"
#include "shell.h"

/*
 * A cancelling signal in one-shot mode, counted on cli->esc: the first
 * cancels every running op, the second abandons their cleanup, the
 * third exits at once after saying what each leaves.
 */
static void axl_on_signal(struct loop *lp, int signo, void *user)
{
    struct cli *cli = user;
    bool taken = cli_sig_hooks_run(cli, signo);
    enum esc_step step = ESC_NONE;

    (void)lp;
    if (!taken)
        step = jobs_signal(cli, &cli->esc, signo, NULL, 0,
                           "exiting at once");
    if (step == ESC_NONE) {
        /*
         * Taken by a hook, or nothing to cancel while something holds
         * the run: it counts all the same, so a third always ends axl.
         */
        step = esc_count(&cli->esc, signo);
        if (step == ESC_FINAL)
            note("%s: exiting at once", esc_words(&cli->esc));
    }
    if (step != ESC_FINAL)
        return;
    jobs_exit_now(cli, esc_status_signal(&cli->esc));
}

int main(int argc, char **argv)
{
    struct cmd_call g;
    struct cli cli;
    int r, status = AXL_EXIT_FAIL;

    memset(&cli, 0, sizeof(cli));
    /* libxl's device models alone carry it: so axl's children know them. */
    unsetenv("XEN_DOMAIN_ID");
    /*
     * What axl was started with above stderr is not its children's (a
     * shell's lock file would outlive axl in a guest's QEMU): libxl's
     * children keep only the files libxl leaves open for them (proc.h).
     */
    close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
    if (loop_init(&cli.lp) < 0) {
        error_errno("cannot set up the event loop");
        return AXL_EXIT_FAIL;
    }
    cli.log = log_init(out_log_line, NULL, XTL_NUM_LEVELS);
    if (!cli.log) {
        error("out of memory");
        goto out;
    }
    esc_reset(&cli.esc);
    loop_sync_rules(cli.lp, true);
    loop_on_signal(cli.lp, axl_on_signal, &cli);
    /* Until the loop runs, a signal ends axl at once: nothing runs yet. */
    loop_sync_begin(cli.lp);

    r = cmd_parse(&cmd_global_entry, argc, argv, &g);
    if (r < 0) {
        status = AXL_EXIT_USAGE;
        goto out;
    }
    if (r > 0) {
        status = cmd_show_help(NULL);
        goto out;
    }
    if (cmd_flag(&g, "version")) {
        status = cmd_dispatch(&cli, 1, (char *[]){ "version", NULL });
        goto out;
    }
    cli.verbose = cmd_flag(&g, "verbose");
    cli.dry_run = cmd_flag(&g, "dry-run") > 0;
    cli.timings = cmd_flag(&g, "timings") > 0;
    if (cmd_opt(&g, "workers")) {
        unsigned long n;

        if (parse_uint(cmd_opt(&g, "workers"), 1024, &n) < 0) {
            error("invalid --workers '%s': a number from 0 to 1024 is "
                  "expected", cmd_opt(&g, "workers"));
            status = AXL_EXIT_USAGE;
            goto out;
        }
        op_set_workers(cli.lp, (int)n);
    }
    if (cli.verbose) {
        log_set_level(cli.log, log_level_for_verbosity(cli.verbose));
        out_set_progress(true);
        /* Where the time goes, read from -vvv: every line says when. */
        if (cli.timings)
            out_set_fine_stamps(true);
    }

    if (cmd_opt(&g, "file") || g.argc == 0 ||
        (!strcmp(g.argv[0], "shell") && g.argc == 1)) {
        if (g.argc && strcmp(g.argv[0], "shell")) {
            error("-f runs commands from a file: no command may follow");
            status = AXL_EXIT_USAGE;
            goto out;
        }
        status = shell_main(&cli, cmd_opt(&g, "file"),
                            cmd_flag(&g, "keep-going") > 0);
        goto out;
    }
    if (cmd_flag(&g, "keep-going")) {
        error("--keep-going goes with -f FILE");
        status = AXL_EXIT_USAGE;
        goto out;
    }

    cli.cmdline = g.argv[0];
    status = cmd_dispatch(&cli, g.argc, g.argv);
    /*
     * Jobs running: wait for them.  A command that said its own status
     * while jobs it started still ran (libxl's children are never left
     * behind) keeps it unless theirs is worse.
     */
    if (status == CMD_PENDING || !jobs_all_done(&cli)) {
        int own = status;

        if (loop_run_until(cli.lp, cli_idle, &cli) < 0) {
            error_errno("event loop failed");
            status = AXL_EXIT_FAIL;
            goto out;
        }
        if (cli.held && cli.hold_status >= 0)
            status = cli.hold_status;
        else
            status = cli.jobs ? jobs_status(&cli, &cli.esc, NULL, 0)
                              : AXL_EXIT_FAIL;
        if (own != CMD_PENDING && status == AXL_EXIT_OK)
            status = own;
        /* Cancelled by a signal: die of it, so callers see 128+N. */
        if (status > AXL_EXIT_SIGNAL && esc_status_signal(&cli.esc))
            cli.exit_signal = status - AXL_EXIT_SIGNAL;
    }
    if (out_flush_stdout() < 0 && status == AXL_EXIT_OK)
        status = AXL_EXIT_FAIL;
    /*
     * A signal after the work was done cancels nothing: say so, and keep
     * the status, rather than die of it with the work's outcome unsaid.
     */
    out_status(NULL);
    r = loop_end_signals(cli.lp);
    if (r && !cli.exit_signal)
        note("%s after the work was done: nothing was cancelled",
             esc_signame(r));
out:
    /* Its reader gone, axl ends as a pipeline's writer does: SIGPIPE. */
    if (out_stdout_gone() && !cli.exit_signal &&
        (status == AXL_EXIT_OK || status == AXL_EXIT_FAIL)) {
        cli.exit_signal = SIGPIPE;
        status = AXL_EXIT_SIGNAL + SIGPIPE;
    }
    out_status(NULL);
    ctl_close(&cli);        /* other processes no longer reach us */
    while (cli.jobs)
        job_forget(&cli, cli.jobs);
    loop_sync_end(cli.lp);
    r = loop_dispose(cli.lp);
    if (r) {
        fflush(NULL);
        raise(r);   /* the dispositions axl started with act on it */
    }
    log_dispose(cli.log);
    /*
     * Only a signal that cancelled the work is re-raised: a shell that
     * quits after a cancelled command exits with its status, so that the
     * parent shell does not take it for a Ctrl-C of its own.
     */
    if (cli.exit_signal)
        loop_die_of_signal(cli.exit_signal);
    return status;
}
