/*
 * axl: main - global options, the one-shot run of a command, and what
 * happens on a signal.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/status.h"
#include "cmd.h"
#include "out.h"
#include "shell.h"

/*
 * A cancelling signal in one-shot mode: the first cancels every running
 * op, the second abandons their cleanup, the third exits at once.
 */
static void axl_on_signal(struct loop *lp, int signo, void *user)
{
    struct cli *cli = user;

    (void)lp;
    cli->signals++;
    cli->last_signal = signo;
    if (jobs_all_done(cli)) {
        note("%s: nothing is running to cancel", strsignal(signo));
        return;
    }
    if (cli->signals >= 3) {
        note("%s again: exiting at once", strsignal(signo));
        jobs_report_left(cli);
        loop_die_of_signal(signo);
        exit(AXL_EXIT_SIGNAL + signo);
    }
    if (cli->signals == 2)
        note("%s again: abandoning cleanup (once more to exit at once)",
             strsignal(signo));
    jobs_abort_all(cli, signo);
}

static void axl_usage(FILE *f)
{
    fprintf(f, "usage: axl [-v] [-N] [--timings] <command> [options] "
               "[args]\n       axl -f FILE [--keep-going]\n       axl "
               "help\n");
}

int main(int argc, char **argv)
{
    static const struct option gopts[] = {
        { "verbose", no_argument, NULL, 'v' },
        { "dry-run", no_argument, NULL, 'N' },
        { "help", no_argument, NULL, 'h' },
        { "timings", no_argument, NULL, 'T' },
        { "version", no_argument, NULL, 'V' },
        { "file", required_argument, NULL, 'f' },
        { "keep-going", no_argument, NULL, 'k' },
        { NULL, 0, NULL, 0 },
    };
    struct cli cli;
    const char *batch = NULL;
    bool keep_going = false;
    int c, status = AXL_EXIT_FAIL;

    memset(&cli, 0, sizeof(cli));
    if (loop_init(&cli.lp) < 0) {
        error_errno("cannot set up the event loop");
        return AXL_EXIT_FAIL;
    }
    cli.log = log_init(stderr, XTL_NUM_LEVELS);
    if (!cli.log) {
        error("out of memory");
        goto out;
    }

    opterr = 0;
    while ((c = getopt_long(argc, argv, "+vNhf:", gopts, NULL)) != -1) {
        switch (c) {
        case 'v':
            cli.verbose++;
            break;
        case 'N':
            cli.dry_run = true;
            break;
        case 'T':
            cli.timings = true;
            break;
        case 'f':
            batch = optarg;
            break;
        case 'k':
            keep_going = true;
            break;
        case 'h':
            cmd_print_list();
            status = out_flush_stdout() < 0 ? AXL_EXIT_FAIL : AXL_EXIT_OK;
            goto out;
        case 'V':
            status = cmd_dispatch(&cli, 1, (char *[]){ "version", NULL });
            goto out;
        default:
            if (optopt)
                error("unknown option '-%c'", optopt);
            else
                error("unknown option '%s'", argv[optind - 1]);
            axl_usage(stderr);
            status = AXL_EXIT_USAGE;
            goto out;
        }
    }
    if (cli.verbose) {
        log_set_level(cli.log, log_level_for_verbosity(cli.verbose));
        out_set_progress(true);
    }
    loop_on_signal(cli.lp, axl_on_signal, &cli);

    if (batch || optind == argc ||
        (!strcmp(argv[optind], "shell") && optind + 1 == argc)) {
        if (optind < argc && strcmp(argv[optind], "shell")) {
            error("-f runs commands from a file: no command may follow");
            status = AXL_EXIT_USAGE;
            goto out;
        }
        status = shell_main(&cli, batch, keep_going);
        goto out;
    }

    cli.cmdline = argv[optind];
    status = cmd_dispatch(&cli, argc - optind, argv + optind);
    if (status == CMD_PENDING) {
        if (loop_run_until(cli.lp, jobs_all_done, &cli) < 0) {
            error_errno("event loop failed");
            status = AXL_EXIT_FAIL;
            goto out;
        }
        status = cli.jobs ? job_status(cli.jobs) : AXL_EXIT_FAIL;
        /* Cancelled by a signal: die of it, so callers see 128+N. */
        if (cli.jobs && status > AXL_EXIT_SIGNAL &&
            op_why(job_op(cli.jobs)) == status - AXL_EXIT_SIGNAL)
            cli.exit_signal = status - AXL_EXIT_SIGNAL;
    }
    if (out_flush_stdout() < 0 && status == AXL_EXIT_OK)
        status = AXL_EXIT_FAIL;
out:
    while (cli.jobs)
        job_forget(&cli, cli.jobs);
    loop_dispose(cli.lp);
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
