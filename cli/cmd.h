/*
 * cmd: the command table, the single source of truth for axl's commands:
 * names, summaries, usage, options with their help, argument counts,
 * flags and handlers.  help, -h, completion and the man-page consistency
 * test all read it.  Also the parsing of a command line and the op
 * options (--timeout, --dry-run, --on-cancel): what every command file
 * uses.  What only some share is in cli/cmd_dom.h, cmd_dev.h,
 * cmd_create.h, cmd_cleanup.h and cmd_xlcfg.h.
 */
#ifndef AXL_CMD_H
#define AXL_CMD_H

#include "cli.h"

#define CMD_MAX_OPTS 24
/* How many option words a command line may hold, for cmd_opt_values(). */
#define CMD_MAX_GIVEN 64

/* What a positional argument is, for completion and the man page. */
enum cmd_arg {
    CMD_ARG_NONE,
    CMD_ARG_DOMAIN,
    CMD_ARG_FILE,
    CMD_ARG_KEYVAL,
    CMD_ARG_COMMAND,
    CMD_ARG_JOB,
    CMD_ARG_DISK,       /* a disk of the domain named by the first arg */
    CMD_ARG_NIC,        /* a network device of that domain */
    CMD_ARG_CPUPOOL,    /* a CPU pool's name */
    CMD_ARG_VTPM,       /* a vtpm's index in that domain, ... */
    CMD_ARG_VKB,
    CMD_ARG_VDISPL,
    CMD_ARG_VSND,
    CMD_ARG_USBCTRL,
    CMD_ARG_PCI,        /* the address of a PCI device passed through */
    CMD_ARG_HOST,       /* a host name (from /etc/hosts, ssh's files) */
    CMD_ARG_OTHER,
};

struct cmd_opt {
    char short_name;        /* 0: long form only */
    const char *long_name;  /* required: handlers look options up by it */
    const char *arg;        /* NULL for a flag, else the value's name */
    const char *help;
    const char *alias;      /* a second long spelling (xl's), or NULL */
    /* The values it takes, "a|b", for completion; NULL: any (see arg). */
    const char *choices;
};

/* Entry flags. */
#define CMD_F_OP      0x1u  /* runs an op: takes --timeout */
/* Only inside the shell: the dispatcher refuses it elsewhere. */
#define CMD_F_SHELL   0x2u
#define CMD_F_HIDDEN  0x4u  /* internal: not listed by help, not completed */
#define CMD_F_RAW     0x8u  /* arguments are passed as they are: no options */
#define CMD_F_DOM0    0x10u /* Domain-0 is a valid target (devices) */
/* Options end at the first argument (axl's own, before the command). */
#define CMD_F_STOP    0x20u
/*
 * Changes something without an op (a synchronous libxl call): the global
 * -N is its --dry-run, or it refuses, as for an op.
 */
#define CMD_F_CHANGES 0x40u
/*
 * Replaces axl with another program (xentop, a VNC viewer), as xl does:
 * a one-shot command only; the shell and batch mode refuse it.
 */
#define CMD_F_EXEC    0x80u

struct cmd_call;

struct cmd_entry {
    const char *name;
    const char *summary;        /* one line, lowercase, no period */
    const char *usage;          /* after the name, SYNOPSIS style */
    const struct cmd_opt *opts; /* terminated by a zero entry; may be NULL */
    int min_args;
    int max_args;               /* -1: no limit */
    enum cmd_arg first_arg;     /* kind of the first positional */
    enum cmd_arg rest_args;     /* kind of the others */
    unsigned flags;
    int (*run)(struct cli *cli, struct cmd_call *call);
};

/* A parsed command line. */
struct cmd_call {
    const struct cmd_entry *cmd;
    int argc;                   /* positional arguments */
    char **argv;
    const char *val[CMD_MAX_OPTS + 2];  /* last value per option */
    int count[CMD_MAX_OPTS + 2];        /* times given */
    /* Every option given, in order, for options a command repeats. */
    int n_given;
    struct {
        int opt;                        /* index, as for val[] */
        const char *val;                /* NULL for a flag */
    } given[CMD_MAX_GIVEN];
};

/* The table, NULL-terminated, in the order `help` lists it. */
extern const struct cmd_entry *const cmd_table[];

/* The options every CMD_F_OP command takes besides its own. */
extern const struct cmd_opt cmd_op_opts[];

/* axl's own options, before the command: parsed with cmd_parse(). */
extern const struct cmd_entry cmd_global_entry;

/*
 * The i-th option cmd takes: its own, then the op options (CMD_F_OP),
 * then --help; NULL past the last.  Parsing, help and completion all
 * walk the options through this.
 */
const struct cmd_opt *cmd_opt_at(const struct cmd_entry *cmd, int i);

/*
 * Find name in table, silently: an exact name wins, else every command
 * it is a prefix of.  Returns how many match; *found_r is the command
 * when exactly one does, else NULL.
 */
int cmd_find(const struct cmd_entry *const *table, const char *name,
             const struct cmd_entry **found_r);

/*
 * Find a command as cmd_find() does, in cmd_table.  Returns NULL after
 * reporting "unknown command" or "ambiguous command" with the
 * candidates.
 */
const struct cmd_entry *cmd_lookup(const char *name);
/* The same, in a given NULL-terminated table. */
const struct cmd_entry *cmd_lookup_in(const struct cmd_entry *const *table,
                                      const char *name);

/* "axl NAME USAGE" (no trailing space when there is no usage). */
const char *cmd_usage(const struct cmd_entry *cmd, char *buf, size_t len);

/*
 * Parse argv (argv[0] is the command name) into *call.  Returns 0, 1 if
 * -h/--help was given (the caller prints the help), or -1 after
 * reporting a usage error in one line.  call->argv points into argv.
 */
int cmd_parse(const struct cmd_entry *cmd, int argc, char **argv,
              struct cmd_call *call);

/* The value of option long_name, or NULL if not given. */
const char *cmd_opt(const struct cmd_call *call, const char *long_name);
/* How many times option long_name was given. */
int cmd_flag(const struct cmd_call *call, const char *long_name);
/*
 * The values option long_name was given, in command-line order: the
 * i-th (from 0), or NULL past the last.  For options a command takes
 * more than once (sched-rtds -v 0 -p ... -v 1 -p ...).
 */
const char *cmd_opt_value(const struct cmd_call *call, const char *long_name,
                          int i);

/* Print "usage: axl NAME USAGE" and the options, to stdout. */
void cmd_print_help(const struct cmd_entry *cmd);
/* Print the list of commands with their summaries, to stdout. */
void cmd_print_list(void);
/*
 * Whether commands are typed to the shell (on) or on a command line:
 * the list, the help and the hints in errors name commands as the user
 * types them there.
 */
void cmd_in_shell(bool on);
/*
 * cmd's help (NULL: the list of commands) on stdout, through a pager
 * on a terminal outside the shell (out_pager_begin()).  The status of a
 * help command: 0, or 1 if stdout could not be written.
 */
int cmd_show_help(const struct cmd_entry *cmd);

/*
 * Parse, then run one command line.  Returns the handler's status (or
 * CMD_PENDING), 2 for a usage error, 0 after -h.
 */
int cmd_dispatch(struct cli *cli, int argc, char **argv);

/* Helpers the command groups share (cli/cmd_util.c). */
/* --timeout: 0 and *ms_r (0 if not given), or -1 after reporting. */
int cmd_timeout_opt(const struct cmd_call *call, uint64_t *ms_r);
/* --dry-run with --on-cancel or --timeout: -1 after "NAME: --dry-run
 * DOES nothing: ...", else 0. */
int cmd_dry_run_check(const struct cmd_call *call, const char *does);
/* --on-cancel: 0 and *r (destroy if not given), or -1 after reporting. */
int cmd_on_cancel_opt(const struct cmd_call *call, enum op_on_cancel *r);

/* Every command's entry, each in the cli/cmd_*.c of its subject. */
#define CMD(id) extern const struct cmd_entry cmd_##id##_entry;
#include "cmd_list.h"
#undef CMD

#endif
