/*
 * cmd: the command table, the single source of truth for axl's commands:
 * names, summaries, usage, options with their help, argument counts,
 * flags and handlers.  help, -h, completion and the man-page consistency
 * test all read it.
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
/*
 * A create's memory, as xl.conf says (autoballoon, lockfile): arm op
 * to balloon Domain-0 under xl's lock when autoballoon is on (or auto
 * and Xen's command line leaves dom0_mem unset).  0, or -1 after
 * reporting a bad xl.conf.
 */
int cmd_create_memory(struct cli *cli, struct op *op);
/*
 * libxl's JSON text (a -d/--debug configuration) on stderr, as one
 * message: its final newline is dropped (json is changed).
 */
void cmd_json_line(char *json);
/* xlcfg's report callback: errors and warnings as axl's messages. */
void cmd_xlcfg_report(void *user, int is_error, const char *msg);
/*
 * A domain name or id to a domid, and with name_r (else NULL) to its name
 * (malloc'd; spec if it has none).  -1 after "no such domain 'x'".
 */
int cmd_resolve_domain(struct cli *cli, const char *spec, uint32_t *domid_r,
                       char **name_r);
/*
 * The job of an op of the given kind, for call, on the domain spec names
 * (a name or an id), labelled with the domain's name, its domid set.
 * NULL after reporting, with *status_r the exit status to return.
 */
struct job *cmd_domain_job(struct cli *cli, struct cmd_call *call,
                           const char *spec, enum op_kind kind,
                           uint32_t *domid_r, int *status_r);

/*
 * What the listings share (cli/cmd_util.c), so that list, claims and
 * their --json agree column for column with each other and with xl.
 */
struct json;
/* xl list's header, up to Time(s), without a newline. */
extern const char cmd_dom_header[];
/* A domain's memory in MiB as xl's Mem columns: current and claimed. */
unsigned long cmd_dom_mib(const libxl_dominfo *d);
/* One domain's first six columns as xl list prints them, no newline. */
void cmd_dom_row(libxl_ctx *ctx, const libxl_dominfo *d);
/*
 * One domain's keys, written into the JSON object open on j: name,
 * domid, uuid, memory (MiB), vcpus, state, cpu_time (s), cpupool and
 * libxl's own dominfo (the schema axl(1) documents under list --json).
 */
void cmd_dom_json(libxl_ctx *ctx, struct json *j, const libxl_dominfo *d);
/* xl's six-letter state (r-----, --ps--, ...), written into buf. */
const char *cmd_dom_state(const libxl_dominfo *d, char buf[7]);
/* A CPU time in seconds, rounded through a float as xl's columns are. */
double cmd_cpu_seconds(uint64_t ns);
/*
 * The first n bits of a CPU or node map as xl prints them: "all" for
 * one run over every bit, "none" for none, else runs ("0-3,6").
 * malloc'd; NULL when out of memory.
 */
char *cmd_bitmap_text(const libxl_bitmap *map, int n);
/*
 * A cpupool name or id to its id.  -1 after "no such cpupool 'x'" (or
 * after saying why libxl cannot be opened).
 */
int cmd_resolve_cpupool(struct cli *cli, const char *spec,
                        uint32_t *poolid_r);
/*
 * A synchronous libxl call failed with rc: say "axl: MESSAGE: CAUSE" in
 * one line, the cause being the first error libxl logged since
 * log_clear_error() (clear it before the call), else rc's name.  Clears
 * the cause.  Returns -1.
 */
int cmd_libxl_failed(struct cli *cli, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* cmd_bitmap_text(), written to f ("?" when out of memory). */
void cmd_print_bitmap(FILE *f, const libxl_bitmap *map, int n);

/*
 * The device commands' skeletons (cli/cmd_device.c, cli/cmd_vdev.c).
 *
 * cmd_dev_job: the job of an OP_DEV_* op on a device of kind dev (its
 * device set up, still empty), or of an OP_CD_* op, for call on the
 * domain argv[0], with --timeout, --on-cancel and -f applied.  NULL after
 * reporting, with *status_r the exit status to return.
 */
struct job *cmd_dev_job(struct cli *cli, struct cmd_call *call,
                        enum op_kind kind, enum op_dev_kind dev,
                        uint64_t *timeout_ms, uint32_t *domid_r,
                        int *status_r);

/*
 * Their options: an attach's (-n, --on-cancel), the same without -n, a
 * detach's (-f), a listing's (--json).
 */
extern const struct cmd_opt cmd_attach_opts[], cmd_detach_opts[],
    cmd_dev_list_opts[];
#define CMD_ATTACH_NODRY_OPTS (cmd_attach_opts + 1)

struct xlcfg_opts;

/* How an attach command reads its device, and prints it for -n. */
struct cmd_dev_attach {
    enum op_dev_kind kind;
    const char *key;        /* xlcfg's name of the kind ("vtpm") */
    const char *json_tag;   /* xl -N's prefix ("disk", "vif", "vtpm") */
    /* The words after the domain into dev: 0, or -1 after reporting. */
    int (*parse)(const struct xlcfg_opts *xo, const char *key, void *dev);
    /* libxl_device_<kind>_to_json; NULL if the command has no -n. */
    char *(*to_json)(libxl_ctx *ctx, void *dev);
};

/*
 * An attach command: call->argv[0] the domain, the rest the device in
 * xl's words; with --dry-run print it as xl -N does ("vtpm: {...}"),
 * else run the attach as a job.
 */
int cmd_dev_attach(struct cli *cli, struct cmd_call *call,
                   const struct cmd_dev_attach *a);

/* A device index argument: 0 and *devid_r, or -1 after reporting. */
int cmd_devid_arg(const struct cmd_call *call, const char *s, int *devid_r);

struct json;

/*
 * One domain's devices for a listing: as text rows on stdout (j NULL),
 * or as the items of the open JSON array j.
 */
typedef void cmd_dev_rows_fn(libxl_ctx *ctx, uint32_t domid,
                             struct json *j);

/*
 * A -list command over the domains in call->argv (all resolved first:
 * one bad name lists nothing): header (may be NULL) and each domain's
 * rows; with --json one document, an array of
 * { "domid", "name", "devices": [ what rows writes ] }.
 */
int cmd_dev_list(struct cli *cli, struct cmd_call *call, const char *header,
                 cmd_dev_rows_fn *rows);

/*
 * Write { key1: json1, key2: json2 } (libxl's JSON texts, either may be
 * NULL and is then null; a NULL key leaves its member out) and free
 * both texts.
 */
void cmd_dev_json_pair(struct json *j, const char *key1, char *json1,
                       const char *key2, char *json2);

/*
 * The journal's orphans (cli/cmd_cleanup.c): cleanup_report() says, one
 * line each, what killed axls left that still exists (and forgets what
 * is gone); cleanup_half_built() gives the domids of the half-built
 * domains (malloc'd) and returns how many.
 */
void cleanup_report(libxl_ctx *ctx);
int cleanup_half_built(libxl_ctx *ctx, uint32_t **domids_r);

/*
 * The domain monitor (cli/cmd_monitor.c).  monitor_mark() records in
 * libxl's userdata that axl created the domain (`axl monitor` refuses
 * others without -f).  monitor_after_create() monitors a domain create
 * just made: in a process of its own (waits until it watches), or with
 * foreground in this one, from the loop, holding the run (cli_hold)
 * until monitoring ends.  Both return 0 or -1 after reporting.
 */
int monitor_mark(struct cli *cli, uint32_t domid);
int monitor_after_create(struct cli *cli, uint32_t domid, const char *name,
                         enum op_on_cancel policy, bool foreground);

/*
 * create -c (cli/cmd_console.c): console_for_create() makes the create
 * job attach to the console as soon as libxl says it is ready, the
 * create waiting for the client before it unpauses the domain;
 * console_create_done() is called when that create is done.
 */
void console_for_create(struct job *job);
/*
 * What follows a create or a restore that worked, as call's options say
 * (-F, -e, -c): the domain's monitor and console.  0, or -1 after
 * reporting.
 */
int cmd_create_follow(struct cli *cli, struct cmd_call *call,
                      struct job *job, enum op_on_cancel policy);
void console_create_done(struct cli *cli, struct op *op);

/* Every command's entry, each in the cli/cmd_*.c of its subject. */
#define CMD(id) extern const struct cmd_entry cmd_##id##_entry;
#include "cmd_list.h"
#undef CMD

#endif
