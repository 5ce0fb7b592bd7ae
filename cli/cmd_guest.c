/*
 * cmd_guest: requests to a running guest that libxl makes as an ao:
 * vcpu-set, trigger, button-press and qemu-monitor-command.  Each runs
 * as an op, so it can be cancelled and takes --timeout; none leaves
 * anything to clean up.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxl.h>
#include <libxl_utils.h>

#include "../core/status.h"
#include "cmd.h"
#include "cmd_dom.h"
#include "out.h"
#include "parse.h"

/* The job for call's domain (argv[0]), with --timeout read. */
static struct job *cmd_guest_job(struct cli *cli, struct cmd_call *call,
                                 enum op_kind kind, uint64_t *timeout_ms,
                                 int *status)
{
    uint32_t domid;

    *status = AXL_EXIT_USAGE;
    if (cmd_timeout_opt(call, timeout_ms) < 0)
        return NULL;
    return cmd_domain_job(cli, call, call->argv[0], kind, &domid, status);
}

/*
 * xl's host check: more vCPUs than both the domain has online and the
 * host has CPUs is refused unless --ignore-host.
 */
static int cmd_vcpu_set_check(struct cli *cli, struct cmd_call *call,
                              uint32_t domid, unsigned long n)
{
    libxl_ctx *ctx = cli_libxl(cli);
    libxl_dominfo info;
    int host = libxl_get_max_cpus(ctx), r = 0;

    if (cmd_flag(call, "ignore-host"))
        return 0;
    libxl_dominfo_init(&info);
    if (libxl_domain_info(ctx, &info, domid) == 0 && host > 0 &&
        n > info.vcpu_online && n > (unsigned long)host)
        r = error("cannot set %lu vCPUs on domain %u: the host has %d "
                  "CPUs (--ignore-host allows it)", n, domid, host);
    libxl_dominfo_dispose(&info);
    return r;
}

static int cmd_vcpu_set_run(struct cli *cli, struct cmd_call *call)
{
    unsigned long n;
    uint64_t timeout_ms;
    struct job *job;
    int status;

    if (parse_uint(call->argv[1], INT_MAX, &n) < 0)
        return error("vcpu-set: invalid number of vCPUs '%s'",
                     call->argv[1]), AXL_EXIT_USAGE;
    job = cmd_guest_job(cli, call, OP_VCPU_SET, &timeout_ms, &status);
    if (!job)
        return status;
    if (cmd_vcpu_set_check(cli, call, op_domid(job_op(job)), n) < 0 ||
        op_set_vcpus(job_op(job), (unsigned)n) < 0) {
        job_forget(cli, job);
        return AXL_EXIT_FAIL;
    }
    return job_run(job, timeout_ms);
}

/* Send trigger to vCPU vcpu of call's domain, as an op. */
static int cmd_trigger_send(struct cli *cli, struct cmd_call *call,
                            libxl_trigger trigger, uint32_t vcpu)
{
    uint64_t timeout_ms;
    struct job *job;
    int status;

    job = cmd_guest_job(cli, call, OP_TRIGGER, &timeout_ms, &status);
    if (!job)
        return status;
    op_set_trigger(job_op(job), trigger, vcpu);
    return job_run(job, timeout_ms);
}

static int cmd_trigger_run(struct cli *cli, struct cmd_call *call)
{
    libxl_trigger trigger;
    unsigned long vcpu = 0;

    if (libxl_trigger_from_string(call->argv[1], &trigger) ||
        trigger == LIBXL_TRIGGER_UNKNOWN)
        return error("trigger: invalid trigger '%s' (use nmi, reset, init, "
                     "power, sleep or s3resume)", call->argv[1]),
               AXL_EXIT_USAGE;
    if (call->argc > 2 && parse_uint(call->argv[2], INT_MAX, &vcpu) < 0)
        return error("trigger: invalid vCPU '%s'", call->argv[2]),
               AXL_EXIT_USAGE;
    return cmd_trigger_send(cli, call, trigger, (uint32_t)vcpu);
}

/* xl's older spelling of 'trigger power' and 'trigger sleep'. */
static int cmd_button_press_run(struct cli *cli, struct cmd_call *call)
{
    const char *dom = call->argv[0], *b = call->argv[1];
    libxl_trigger trigger;

    if (!strcmp(b, "power"))
        trigger = LIBXL_TRIGGER_POWER;
    else if (!strcmp(b, "sleep"))
        trigger = LIBXL_TRIGGER_SLEEP;
    else
        return error("button-press: invalid button '%s' (use power or "
                     "sleep)", b), AXL_EXIT_USAGE;
    warn("button-press is deprecated: use 'axl trigger %s %s'",
         dom ? dom : "", b);
    return cmd_trigger_send(cli, call, trigger, 0);
}

/* The device model's answer, on stdout as xl prints it. */
static int cmd_qemu_monitor_done(struct job *job, int status, void *user)
{
    const char *out = op_monitor_output(job_op(job));

    (void)user;
    if (status == AXL_EXIT_OK && out) {
        printf("%s\n", out);
        if (out_flush_stdout() < 0)
            return AXL_EXIT_FAIL;
    }
    return status;
}

static int cmd_qemu_monitor_command_run(struct cli *cli,
                                        struct cmd_call *call)
{
    uint64_t timeout_ms;
    struct job *job;
    int status;

    job = cmd_guest_job(cli, call, OP_QEMU_MONITOR, &timeout_ms, &status);
    if (!job)
        return status;
    if (op_set_monitor_command(job_op(job), call->argv[1]) < 0) {
        job_forget(cli, job);
        return error("qemu-monitor-command: out of memory"), AXL_EXIT_FAIL;
    }
    job_on_done(job, cmd_qemu_monitor_done, NULL);
    return job_run(job, timeout_ms);
}

static const struct cmd_opt cmd_vcpu_set_opts[] = {
    { 'i', "ignore-host", NULL,
      "allow more vCPUs than the host has CPUs" },
    { 0 },
};

const struct cmd_entry cmd_vcpu_set_entry = {
    .name = "vcpu-set",
    .summary = "set how many vCPUs of a domain are online",
    .usage = "[options] <Domain> <vCPUs>",
    .opts = cmd_vcpu_set_opts,
    .min_args = 2,
    .max_args = 2,
    .first_arg = CMD_ARG_DOMAIN,
    .rest_args = CMD_ARG_OTHER,
    .flags = CMD_F_OP | CMD_F_DOM0,
    .run = cmd_vcpu_set_run,
};

const struct cmd_entry cmd_trigger_entry = {
    .name = "trigger",
    .summary = "send a trigger (nmi, reset, init, power, sleep, s3resume) "
               "to a domain",
    .usage = "[options] <Domain> <Trigger> [<vCPU>]",
    .min_args = 2,
    .max_args = 3,
    .first_arg = CMD_ARG_DOMAIN,
    .rest_args = CMD_ARG_OTHER,
    .flags = CMD_F_OP,
    .run = cmd_trigger_run,
};

const struct cmd_entry cmd_button_press_entry = {
    .name = "button-press",
    .summary = "press a domain's ACPI power or sleep button (deprecated: "
               "use trigger)",
    .usage = "[options] <Domain> <power|sleep>",
    .min_args = 2,
    .max_args = 2,
    .first_arg = CMD_ARG_DOMAIN,
    .rest_args = CMD_ARG_OTHER,
    .flags = CMD_F_OP,
    .run = cmd_button_press_run,
};

const struct cmd_entry cmd_qemu_monitor_command_entry = {
    .name = "qemu-monitor-command",
    .summary = "send a command to the monitor of a domain's device model",
    .usage = "[options] <Domain> <Command>",
    .min_args = 2,
    .max_args = 2,
    .first_arg = CMD_ARG_DOMAIN,
    .rest_args = CMD_ARG_OTHER,
    .flags = CMD_F_OP,
    .run = cmd_qemu_monitor_command_run,
};
