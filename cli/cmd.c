/*
 * cmd: command lookup, option parsing and help, all read from the table.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/status.h"
#include "cmd.h"
#include "out.h"

const struct cmd_entry *const cmd_table[] = {
    &cmd_create_entry,
    &cmd_list_entry,
    &cmd_destroy_entry,
    &cmd_pause_entry,
    &cmd_unpause_entry,
    &cmd_shutdown_entry,
    &cmd_reboot_entry,
    &cmd_block_attach_entry,
    &cmd_block_detach_entry,
    &cmd_block_list_entry,
    &cmd_network_attach_entry,
    &cmd_network_detach_entry,
    &cmd_network_list_entry,
    &cmd_help_entry,
    &cmd_version_entry,
    &cmd_shell_entry,
    &cmd_jobs_entry,
    &cmd_abort_entry,
    &cmd_wait_entry,
    &cmd_quit_entry,
    &cmd_exit_entry,
    &cmd_complete_entry,
    NULL,
};

const struct cmd_opt cmd_op_opts[] = {
    { 0, "timeout", "DURATION",
      "cancel the operation if it has not finished after DURATION "
      "(e.g. 30s, 2m, 1h); exit status 124" },
    { 0 },
};

static const struct cmd_opt cmd_help_opt = { 'h', "help", NULL,
                                             "show this help and exit" };

const struct cmd_entry *cmd_lookup(const char *name)
{
    return cmd_lookup_in(cmd_table, name);
}

const struct cmd_entry *cmd_lookup_in(const struct cmd_entry *const *table,
                                      const char *name)
{
    const struct cmd_entry *found = NULL;
    char cands[512] = "";
    int i, n = 0;

    for (i = 0; table[i]; i++)
        if (!strcmp(table[i]->name, name))
            return table[i];
    if (!*name)
        goto unknown;
    for (i = 0; table[i]; i++) {
        if (strncmp(table[i]->name, name, strlen(name)))
            continue;
        found = table[i];
        if (n++)
            strncat(cands, ", ", sizeof(cands) - strlen(cands) - 1);
        strncat(cands, table[i]->name, sizeof(cands) - strlen(cands) - 1);
    }
    if (n == 1)
        return found;
    if (n > 1) {
        error("ambiguous command '%s': could be %s", name, cands);
        return NULL;
    }
unknown:
    error("unknown command '%s' (try 'axl help')", name);
    return NULL;
}

/* Visit the command's own options, then the common ones, then -h. */
static const struct cmd_opt *cmd_opt_at(const struct cmd_entry *cmd, int i)
{
    int n = 0;

    if (cmd->opts) {
        for (; cmd->opts[n].long_name; n++)
            if (n == i)
                return &cmd->opts[n];
    }
    if (cmd->flags & CMD_F_OP) {
        int k;

        for (k = 0; cmd_op_opts[k].long_name; k++, n++)
            if (n == i)
                return &cmd_op_opts[k];
    }
    if (n == i)
        return &cmd_help_opt;
    return NULL;
}

int cmd_parse(const struct cmd_entry *cmd, int argc, char **argv,
              struct cmd_call *call)
{
    struct option lopts[CMD_MAX_OPTS + 3];
    char sopts[3 * CMD_MAX_OPTS + 4];
    const struct cmd_opt *o;
    int i, n = 0, s = 0, c, idx;

    memset(call, 0, sizeof(*call));
    call->cmd = cmd;
    if (cmd->flags & CMD_F_RAW) {
        call->argc = argc - 1;
        call->argv = argv + 1;
        return 0;
    }
    sopts[s++] = ':';       /* report a missing value as ':' */
    for (i = 0; (o = cmd_opt_at(cmd, i)) && i < CMD_MAX_OPTS + 2; i++) {
        lopts[n].name = o->long_name;
        lopts[n].has_arg = o->arg ? required_argument : no_argument;
        lopts[n].flag = NULL;
        lopts[n].val = 256 + i;
        n++;
        if (o->short_name) {
            sopts[s++] = o->short_name;
            if (o->arg)
                sopts[s++] = ':';
        }
    }
    memset(&lopts[n], 0, sizeof(lopts[n]));
    sopts[s] = '\0';

    optind = 0;     /* reset getopt: the shell parses many lines */
    opterr = 0;
    for (;;) {
        idx = -1;
        c = getopt_long(argc, argv, sopts, lopts, NULL);
        if (c == -1)
            break;
        if (c == '?') {
            if (optopt)
                error("%s: unknown option '-%c' (try 'axl %s -h')",
                      cmd->name, optopt, cmd->name);
            else
                error("%s: unknown option '%s' (try 'axl %s -h')",
                      cmd->name, argv[optind - 1], cmd->name);
            return -1;
        }
        if (c == ':') {
            error("%s: option '%s' needs a value", cmd->name,
                  argv[optind - 1]);
            return -1;
        }
        if (c >= 256) {
            idx = c - 256;
        } else {
            for (i = 0; (o = cmd_opt_at(cmd, i)); i++)
                if (o->short_name == c)
                    idx = i;
        }
        if (idx < 0)
            return error("%s: cannot parse options", cmd->name);
        call->count[idx]++;
        call->val[idx] = optarg;
    }
    if (cmd_flag(call, "help")) {
        cmd_print_help(cmd);
        return 1;
    }
    call->argc = argc - optind;
    call->argv = argv + optind;
    if (call->argc < cmd->min_args) {
        error("%s: missing argument (usage: axl %s %s)", cmd->name,
              cmd->name, cmd->usage);
        return -1;
    }
    if (cmd->max_args >= 0 && call->argc > cmd->max_args) {
        error("%s: unexpected argument '%s' (usage: axl %s %s)", cmd->name,
              call->argv[cmd->max_args], cmd->name, cmd->usage);
        return -1;
    }
    return 0;
}

static int cmd_opt_index(const struct cmd_call *call, const char *long_name)
{
    const struct cmd_opt *o;
    int i;

    for (i = 0; (o = cmd_opt_at(call->cmd, i)); i++)
        if (!strcmp(o->long_name, long_name))
            return i;
    return -1;
}

const char *cmd_opt(const struct cmd_call *call, const char *long_name)
{
    int i = cmd_opt_index(call, long_name);

    return i < 0 ? NULL : call->val[i];
}

int cmd_flag(const struct cmd_call *call, const char *long_name)
{
    int i = cmd_opt_index(call, long_name);

    return i < 0 ? 0 : call->count[i];
}

void cmd_print_help(const struct cmd_entry *cmd)
{
    const struct cmd_opt *o;
    int i;

    printf("usage: axl %s %s\n\n%s\n", cmd->name, cmd->usage, cmd->summary);
    printf("\noptions:\n");
    for (i = 0; (o = cmd_opt_at(cmd, i)); i++) {
        char left[64];
        int k = 0;

        if (o->short_name)
            k = snprintf(left, sizeof(left), "-%c, ", o->short_name);
        snprintf(left + k, sizeof(left) - k, "--%s%s%s", o->long_name,
                 o->arg ? "=" : "", o->arg ? o->arg : "");
        printf("  %-26s %s\n", left, o->help);
    }
}

void cmd_print_list(void)
{
    int i, w = 0;

    for (i = 0; cmd_table[i]; i++)
        if ((int)strlen(cmd_table[i]->name) > w)
            w = (int)strlen(cmd_table[i]->name);
    printf("usage: axl [-v] [-N] [--timings] <command> [options] [args]\n"
           "       axl                 (interactive shell on a terminal)\n"
           "\ncommands:\n");
    for (i = 0; cmd_table[i]; i++)
        if (!(cmd_table[i]->flags & CMD_F_HIDDEN))
            printf("  %-*s  %s\n", w, cmd_table[i]->name,
                   cmd_table[i]->summary);
    printf("\n'axl help <command>' or 'axl <command> -h' shows a "
           "command's options.\n");
}

int cmd_dispatch(struct cli *cli, int argc, char **argv)
{
    const struct cmd_entry *cmd;
    struct cmd_call call;
    int r;

    cmd = cmd_lookup(argv[0]);
    if (!cmd)
        return AXL_EXIT_USAGE;
    r = cmd_parse(cmd, argc, argv, &call);
    if (r < 0)
        return AXL_EXIT_USAGE;
    if (r > 0)
        return AXL_EXIT_OK;
    /*
     * The global -N is the command's own --dry-run; an operation without
     * one refuses it rather than act.
     */
    if (cli->dry_run && (cmd->flags & CMD_F_OP)) {
        int i = cmd_opt_index(&call, "dry-run");

        if (i < 0) {
            error("%s: has no dry run (-N); nothing was done", cmd->name);
            return AXL_EXIT_USAGE;
        }
        call.count[i]++;
    }
    if ((cmd->flags & CMD_F_SHELL) && !cli->interactive) {
        error("%s: works only inside the shell (run 'axl shell')",
              cmd->name);
        return AXL_EXIT_USAGE;
    }
    return cmd->run(cli, &call);
}
