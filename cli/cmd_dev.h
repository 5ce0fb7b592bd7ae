/*
 * cmd_dev: what the device commands share (cli/cmd_util.c): a device
 * op's job, the skeletons of an attach and a listing, and their options.
 * Used by cli/cmd_device.c (disks, network devices) and cli/cmd_vdev.c
 * (the other kinds).
 */
#ifndef AXL_CMD_DEV_H
#define AXL_CMD_DEV_H

#include <stdint.h>
#include <libxl.h>

#include "cli.h"
#include "cmd.h"

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
    /* Why libxl cannot add dev to a running domain; NULL if it can. */
    const char *(*refuse)(const void *dev);
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

#endif
