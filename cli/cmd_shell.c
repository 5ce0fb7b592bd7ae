/*
 * cmd_shell: the shell's own commands - quit, exit, shell - and the
 * hidden __complete that bash's completion calls (jobs, abort and wait,
 * which also work outside the shell: cmd_jobs.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/status.h"
#include "cmd.h"
#include "complete.h"
#include "out.h"
#include "parse.h"
#include "shell.h"

static int cmd_quit_run(struct cli *cli, struct cmd_call *call)
{
    return shell_quit(cli);
}

const struct cmd_entry cmd_quit_entry = {
    .name = "quit",
    .summary = "leave the shell (asks first if jobs are running)",
    .usage = "",
    .min_args = 0,
    .max_args = 0,
    .flags = CMD_F_SHELL,
    .run = cmd_quit_run,
};

const struct cmd_entry cmd_exit_entry = {
    .name = "exit",
    .summary = "leave the shell, as quit",
    .usage = "",
    .min_args = 0,
    .max_args = 0,
    .flags = CMD_F_SHELL,
    .run = cmd_quit_run,
};

static int cmd_shell_run(struct cli *cli, struct cmd_call *call)
{
    if (cli->interactive)
        return error("shell: already in the shell"), AXL_EXIT_USAGE;
    return shell_main(cli, NULL, false);
}

const struct cmd_entry cmd_shell_entry = {
    .name = "shell",
    .summary = "start the interactive shell",
    .usage = "",
    .min_args = 0,
    .max_args = 0,
    .run = cmd_shell_run,
};

static void cmd_complete_print(const char *cand, void *user)
{
    (void)user;
    printf("%s\n", cand);
}

static int cmd_complete_run(struct cli *cli, struct cmd_call *call)
{
    unsigned long cword;
    int nwords = call->argc - 1;

    if (call->argc < 1 || parse_uint(call->argv[0], 4096, &cword) < 0)
        return error("__complete: usage: axl __complete <cword> "
                     "<word>..."), AXL_EXIT_USAGE;
    if ((long)cword > nwords)
        cword = nwords;
    if (complete_words(cli, nwords, call->argv + 1, (int)cword,
                       cmd_complete_print, NULL) == COMPLETE_FILES)
        complete_files((int)cword < nwords ? call->argv[1 + cword] : "",
                       cmd_complete_print, NULL);
    return out_flush_stdout() < 0 ? AXL_EXIT_FAIL : AXL_EXIT_OK;
}

const struct cmd_entry cmd_complete_entry = {
    .name = "__complete",
    .summary = "print completion candidates for words[cword], one a line",
    .usage = "<cword> <word>...",
    .min_args = 0,
    .max_args = -1,
    .flags = CMD_F_HIDDEN | CMD_F_RAW,
    .run = cmd_complete_run,
};
