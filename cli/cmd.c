/*
 * cmd: command lookup, option parsing and help, all read from the table.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/log.h"
#include "../core/status.h"
#include "cmd.h"
#include "out.h"

const struct cmd_entry *const cmd_table[] = {
#define CMD(id) &cmd_##id##_entry,
#include "cmd_list.h"
#undef CMD
    NULL,
};

const struct cmd_opt cmd_op_opts[] = {
    { 0, "timeout", "DURATION",
      "cancel the operation if it has not finished after DURATION "
      "(e.g. 30s, 2m, 1h); exit status 124" },
    { 0 },
};

static const struct cmd_opt cmd_global_opts[] = {
    { 'v', "verbose", NULL, "show libxl's log on stderr (repeat for more)" },
    { 'N', "dry-run", NULL,
      "the command's own --dry-run; an operation without one refuses" },
    { 0, "timings", NULL,
      "after each operation, print how long it took and how long a "
      "cancel took; with -v, each message says when (to the us)" },
    { 0, "workers", "N",
      "build at most N new domains at once, each in a process of its "
      "own (default: one per CPU; 0: one after another in axl's own)" },
    { 0, "version", NULL, "print axl's version and exit" },
    { 'f', "file", "FILE", "run the commands in FILE, one a line" },
    { 0, "keep-going", NULL, "with -f: run every line, even after one "
      "fails" },
    { 0 },
};

const struct cmd_entry cmd_global_entry = {
    .name = "axl",
    .summary = "Xen domain control with operations that can be cancelled",
    .usage = "[options] <command> [options] [args]",
    .opts = cmd_global_opts,
    .max_args = -1,
    .flags = CMD_F_STOP,
};

static const struct cmd_opt cmd_help_opt = { 'h', "help", NULL,
                                             "show this help and exit" };

/*
 * Whether commands are typed to the shell: hints then name the shell's
 * words ("help", "list -h"), not a command line's ("axl help").  The
 * shell's, set while it reads commands; help and error wording only.
 */
static bool cmd_shell_words;

void cmd_in_shell(bool on)
{
    cmd_shell_words = on;
}

const struct cmd_entry *cmd_lookup(const char *name)
{
    return cmd_lookup_in(cmd_table, name);
}

int cmd_find(const struct cmd_entry *const *table, const char *name,
             const struct cmd_entry **found_r)
{
    int i, n = 0;

    *found_r = NULL;
    for (i = 0; table[i]; i++) {
        if (!strcmp(table[i]->name, name)) {
            *found_r = table[i];
            return 1;
        }
    }
    if (!*name)
        return 0;
    for (i = 0; table[i]; i++) {
        if (strncmp(table[i]->name, name, strlen(name)))
            continue;
        if (!n++)
            *found_r = table[i];
    }
    if (n > 1)
        *found_r = NULL;
    return n;
}

/* Add "PREFIXNAME" to a ", "-separated list of candidates. */
static void cmd_cand(char *buf, size_t len, const char *prefix,
                     const char *name)
{
    if (buf[0])
        strncat(buf, ", ", len - strlen(buf) - 1);
    strncat(buf, prefix, len - strlen(buf) - 1);
    strncat(buf, name, len - strlen(buf) - 1);
}

const struct cmd_entry *cmd_lookup_in(const struct cmd_entry *const *table,
                                      const char *name)
{
    const struct cmd_entry *found;
    char cands[512] = "";
    int i, n;

    n = cmd_find(table, name, &found);
    if (n == 1)
        return found;
    if (n > 1) {
        for (i = 0; table[i]; i++) {
            if (strncmp(table[i]->name, name, strlen(name)))
                continue;
            cmd_cand(cands, sizeof(cands), "", table[i]->name);
        }
        error("ambiguous command '%s': could be %s", name, cands);
        return NULL;
    }
    error("unknown command '%s' (try '%shelp')", name,
          cmd_shell_words ? "" : "axl ");
    return NULL;
}

const struct cmd_opt *cmd_opt_at(const struct cmd_entry *cmd, int i)
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

/* How a message about cmd's command line starts: "NAME: ", or nothing
 * for axl's own options. */
static const char *cmd_who(const struct cmd_entry *cmd, char *buf,
                           size_t len)
{
    if (cmd == &cmd_global_entry)
        return "";
    snprintf(buf, len, "%s: ", cmd->name);
    return buf;
}

/* "axl NAME", or "axl" for axl's own options: what -h follows. */
static const char *cmd_try(const struct cmd_entry *cmd, char *buf,
                           size_t len)
{
    if (cmd == &cmd_global_entry)
        snprintf(buf, len, "axl");
    else
        snprintf(buf, len, "%s%s", cmd_shell_words ? "" : "axl ",
                 cmd->name);
    return buf;
}

/*
 * The long option word (without "--" and "=value") names no option, or
 * more than one by prefix: say which, in one line.
 */
static int cmd_bad_long(const struct cmd_entry *cmd, const char *word)
{
    const char *name = word + 2;
    size_t len = strcspn(name, "=");
    const struct cmd_opt *o;
    char who[64], u[80], cands[256] = "";
    const char *w;
    int i, n = 0;

    for (i = 0; (o = cmd_opt_at(cmd, i)); i++) {
        const char *names[2] = { o->long_name, o->alias };
        int k;

        for (k = 0; k < 2; k++) {
            if (!names[k] || strncmp(names[k], name, len))
                continue;
            n++;
            cmd_cand(cands, sizeof(cands), "--", names[k]);
        }
    }
    w = cmd_who(cmd, who, sizeof(who));
    if (n > 1)
        return error("%sambiguous option '--%.*s': could be %s", w,
                     (int)len, name, cands);
    return error("%sunknown option '--%.*s' (try '%s -h')", w, (int)len,
                 name, cmd_try(cmd, u, sizeof(u)));
}

/* getopt_long's '?' or ':' for the word argv[optind - 1], in words. */
static int cmd_parse_error(const struct cmd_entry *cmd, int c, char **argv)
{
    const char *word = argv[optind - 1], *w;
    char who[64], u[80];

    /*
     * optopt tells a short option (its letter) from a long one (its val,
     * 256 and up, or 0 when unknown); word is the long option's, but a
     * short one's may still be its cluster's predecessor.
     */
    w = cmd_who(cmd, who, sizeof(who));
    if (c == ':' && optopt > 0 && optopt < 256)
        return error("%soption '-%c' needs a value", w, optopt);
    if (c == ':')
        return error("%soption '%.*s' needs a value", w,
                     (int)strcspn(word, "="), word);
    if (optopt >= 256)      /* a long option that takes none got one */
        return error("%soption '%.*s' takes no value", w,
                     (int)strcspn(word, "="), word);
    if (optopt > 0)
        return error("%sunknown option '-%c' (try '%s -h')", w, optopt,
                     cmd_try(cmd, u, sizeof(u)));
    return cmd_bad_long(cmd, word);
}

int cmd_parse(const struct cmd_entry *cmd, int argc, char **argv,
              struct cmd_call *call)
{
    struct option lopts[2 * CMD_MAX_OPTS + 5];
    char sopts[3 * CMD_MAX_OPTS + 8];
    const struct cmd_opt *o;
    char who[64];
    int i, n = 0, s = 0, c, idx;

    memset(call, 0, sizeof(*call));
    call->cmd = cmd;
    if (cmd->flags & CMD_F_RAW) {
        call->argc = argc - 1;
        call->argv = argv + 1;
        return 0;
    }
    if (cmd->flags & CMD_F_STOP)
        sopts[s++] = '+';   /* options end at the first argument */
    sopts[s++] = ':';       /* report a missing value as ':' */
    for (i = 0; (o = cmd_opt_at(cmd, i)) && i < CMD_MAX_OPTS + 2; i++) {
        const char *names[2] = { o->long_name, o->alias };
        int k;

        for (k = 0; k < 2; k++) {
            if (!names[k])
                continue;
            lopts[n].name = names[k];
            lopts[n].has_arg = o->arg ? required_argument : no_argument;
            lopts[n].flag = NULL;
            lopts[n].val = 256 + i;
            n++;
        }
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
        if (c == '?' || c == ':')
            return cmd_parse_error(cmd, c, argv);
        if (c >= 256) {
            idx = c - 256;
        } else {
            for (i = 0; (o = cmd_opt_at(cmd, i)); i++)
                if (o->short_name == c)
                    idx = i;
        }
        if (idx < 0)
            return error("%scannot parse options", cmd_who(cmd, who,
                                                             sizeof(who)));
        if (call->n_given == CMD_MAX_GIVEN)
            return error("%smore than %d options", cmd_who(cmd, who,
                         sizeof(who)), CMD_MAX_GIVEN);
        call->given[call->n_given].opt = idx;
        call->given[call->n_given++].val = optarg;
        call->count[idx]++;
        call->val[idx] = optarg;
    }
    if (cmd_flag(call, "help"))
        return 1;
    call->argc = argc - optind;
    call->argv = argv + optind;
    if (call->argc < cmd->min_args) {
        char u[256];

        return error("%smissing argument (usage: %s)", cmd_who(cmd, who,
                     sizeof(who)), cmd_usage(cmd, u, sizeof(u)));
    }
    if (cmd->max_args >= 0 && call->argc > cmd->max_args) {
        char u[256];

        return error("%sunexpected argument '%s' (usage: %s)",
                     cmd_who(cmd, who, sizeof(who)),
                     call->argv[cmd->max_args], cmd_usage(cmd, u,
                                                          sizeof(u)));
    }
    return 0;
}

const char *cmd_usage(const struct cmd_entry *cmd, char *buf, size_t len)
{
    if (cmd == &cmd_global_entry)
        snprintf(buf, len, "axl%s%s", cmd->usage[0] ? " " : "",
                 cmd->usage);
    else
        snprintf(buf, len, "axl %s%s%s", cmd->name,
                 cmd->usage[0] ? " " : "", cmd->usage);
    return buf;
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

const char *cmd_opt_value(const struct cmd_call *call, const char *long_name,
                          int i)
{
    int k, idx = cmd_opt_index(call, long_name);

    for (k = 0; idx >= 0 && k < call->n_given; k++)
        if (call->given[k].opt == idx && i-- == 0)
            return call->given[k].val;
    return NULL;
}

/* The options of cmd, one a line, as -h shows them. */
static void cmd_print_opts(const struct cmd_entry *cmd)
{
    const struct cmd_opt *o;
    int i;

    for (i = 0; (o = cmd_opt_at(cmd, i)); i++) {
        char left[96];
        int k = 0;

        if (o->short_name)
            k = snprintf(left, sizeof(left), "-%c, ", o->short_name);
        k += snprintf(left + k, sizeof(left) - k, "--%s%s%s", o->long_name,
                      o->arg ? "=" : "", o->arg ? o->arg : "");
        if (o->alias)
            snprintf(left + k, sizeof(left) - k, ", --%s%s%s", o->alias,
                     o->arg ? "=" : "", o->arg ? o->arg : "");
        if (strlen(left) > 26)
            printf("  %s\n  %-26s ", left, "");
        else
            printf("  %-26s ", left);
        out_wrap(29, 29, o->help);
    }
}

void cmd_print_help(const struct cmd_entry *cmd)
{
    char u[256];

    /* A long usage goes on under its first argument, as a synopsis. */
    cmd_usage(cmd, u, sizeof(u));
    printf("usage: ");
    if (cmd_shell_words)
        out_wrap(7, 8 + (int)strlen(cmd->name), u + strlen("axl "));
    else
        out_wrap(7, 12 + (int)strlen(cmd->name), u);
    putchar('\n');
    out_wrap(0, 0, cmd->summary);
    printf("\noptions:\n");
    cmd_print_opts(cmd);
}

void cmd_print_list(void)
{
    const struct cmd_entry *e;
    const char *mark;
    char u[256], text[256];
    int i, w = 0;

    for (i = 0; cmd_table[i]; i++)
        if ((int)strlen(cmd_table[i]->name) > w)
            w = (int)strlen(cmd_table[i]->name);
    if (cmd_shell_words)
        printf("commands (each as on axl's command line, without 'axl'):\n");
    else
        printf("usage: %s\n"
               "       axl                 (interactive shell on a "
               "terminal)\n\ncommands:\n",
               cmd_usage(&cmd_global_entry, u, sizeof(u)));
    for (i = 0; (e = cmd_table[i]); i++) {
        if (e->flags & CMD_F_HIDDEN)
            continue;
        /* The shell's own commands: a command line has no use for them. */
        mark = (e->flags & CMD_F_SHELL) && !cmd_shell_words ? "(shell) "
                                                             : "";
        snprintf(text, sizeof(text), "%s%s", mark, e->summary);
        printf("  %-*s  ", w, e->name);
        out_wrap(w + 4, w + 4, text);
    }
    if (cmd_shell_words) {
        printf("\n'help <command>' or '<command> -h' shows a command's "
               "options.  A line\nending in '&' runs in the background; "
               "Ctrl-C cancels the foreground.\n");
        return;
    }
    printf("\noptions:\n");
    cmd_print_opts(&cmd_global_entry);
    printf("\n'axl help <command>' or 'axl <command> -h' shows a "
           "command's options;\n(shell) marks the shell's own commands.\n");
}

int cmd_show_help(const struct cmd_entry *cmd)
{
    /* A pager for a reader at a terminal; the shell keeps its own. */
    pid_t pager = cmd_shell_words ? 0 : out_pager_begin();

    if (cmd)
        cmd_print_help(cmd);
    else
        cmd_print_list();
    out_pager_end(pager);
    return out_flush_stdout() < 0 ? AXL_EXIT_FAIL : AXL_EXIT_OK;
}

int cmd_dispatch(struct cli *cli, int argc, char **argv)
{
    const struct cmd_entry *cmd;
    struct cmd_call call;
    uint64_t owner;
    int r;

    cmd = cmd_lookup(argv[0]);
    if (!cmd)
        return AXL_EXIT_USAGE;
    r = cmd_parse(cmd, argc, argv, &call);
    if (r < 0)
        return AXL_EXIT_USAGE;
    if (r > 0)
        return cmd_show_help(cmd);
    /*
     * The global -N is the command's own --dry-run; an operation, or any
     * command that changes something, without one refuses it rather than
     * act.
     */
    if (cli->dry_run && (cmd->flags & (CMD_F_OP | CMD_F_CHANGES))) {
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
    if ((cmd->flags & CMD_F_EXEC) && cli->interactive) {
        error("%s: replaces axl with another program: run it as 'axl %s', "
              "not in the shell", cmd->name, cmd->name);
        return AXL_EXIT_USAGE;
    }
    /*
     * What the handler does before its op runs (opening libxl, reading
     * xenstore, parsing) cannot be aborted: let a signal end it.
     */
    loop_sync_begin(cli->lp);
    /* Its own libxl calls' errors are its own, never a job's cause. */
    owner = log_owner(cli->log, LOG_OWNER_CMD);
    r = cmd->run(cli, &call);
    log_owner(cli->log, owner);
    loop_sync_end(cli->lp);
    /* An exit status is 0 to 255; anything else but pending fails. */
    if (r != CMD_PENDING && (r < 0 || r > 255))
        r = AXL_EXIT_FAIL;
    return r;
}
