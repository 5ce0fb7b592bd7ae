/*
 * op_simple: the kinds that are one libxl ao and nothing else: destroy,
 * pause, unpause, retrieve, vcpu-set, trigger, qemu-monitor-command and
 * soft-reset.  op.c's common answers serve them all (op_simple_done()).
 */
#include <stdlib.h>
#include <string.h>

#include <libxl_utils.h>

#include "dom.h"
#include "loop.h"
#include "op.h"

#include "op_int.h"

/* The calls that take nothing but the domain. */
#define OP_CALL_DOMID(NAME, FN)                                           \
    static int op_call_##NAME(struct op *op, libxl_ctx *ctx,              \
                              libxl_asyncop_how *how)                     \
    {                                                                     \
        return FN(ctx, op->domid, how);                                   \
    }

OP_CALL_DOMID(destroy, libxl_domain_destroy)
OP_CALL_DOMID(pause, libxl_domain_pause)
OP_CALL_DOMID(unpause, libxl_domain_unpause)

static int op_call_retrieve(struct op *op, libxl_ctx *ctx,
                            libxl_asyncop_how *how)
{
    return libxl_retrieve_domain_configuration(ctx, op->domid, &op->config,
                                               how);
}

/* vcpu-set: the vCPUs to have online. */
struct op_vcpus {
    libxl_bitmap map;
};

/* trigger: which, and to which vCPU. */
struct op_trigger {
    libxl_trigger trigger;
    uint32_t vcpu;
};

/* qemu-monitor-command: the command, and what the device model said. */
struct op_qmp {
    char *cmd;
    char *out;
};

static int op_call_vcpu_set(struct op *op, libxl_ctx *ctx,
                            libxl_asyncop_how *how)
{
    struct op_vcpus *v = op->priv;

    return libxl_set_vcpuonline(ctx, op->domid, &v->map, how);
}

static void op_vcpus_dispose(struct op *op)
{
    struct op_vcpus *v = op->priv;

    libxl_bitmap_dispose(&v->map);
}

int op_call_reset(struct op *op, libxl_ctx *ctx)
{
    const char *why;
    char d[160];

    if (dom_reset(ctx, op->domid, loop_logger(op->lp), &why) == 0) {
        op_main_done(ctx, 0, op);
        return 0;
    }
    op_note(op, OP_NOTE_ERROR, "cannot reset %s: %s",
            op_dom_desc(op, d, sizeof(d)), why);
    op_finish(op, OP_RESULT_FAILED);
    return 0;
}

/* The reset is op_call_reset()'s: Xen on x86 has no reset trigger. */
static int op_call_trigger(struct op *op, libxl_ctx *ctx,
                           libxl_asyncop_how *how)
{
    struct op_trigger *t = op->priv;

    if (t->trigger == LIBXL_TRIGGER_RESET)
        return op_call_reset(op, ctx);
    return libxl_send_trigger(ctx, op->domid, t->trigger, t->vcpu, how);
}

static int op_call_qemu_monitor(struct op *op, libxl_ctx *ctx,
                                libxl_asyncop_how *how)
{
    struct op_qmp *q = op->priv;

    return libxl_qemu_monitor_command(ctx, op->domid, q->cmd, &q->out, how);
}

static void op_qmp_dispose(struct op *op)
{
    struct op_qmp *q = op->priv;

    free(q->cmd);
    free(q->out);
}

static int op_call_soft_reset(struct op *op, libxl_ctx *ctx,
                              libxl_asyncop_how *how)
{
    return libxl_domain_soft_reset(ctx, &op->config, op->domid, how, NULL);
}

const struct op_kind_row op_kind_destroy = {
    .verb = "destroy", .call = op_call_destroy,
    .left = "domain %u may be partly destroyed; run 'axl destroy %u' "
            "again",
};

const struct op_kind_row op_kind_pause = {
    .verb = "pause", .call = op_call_pause,
    .left = "a pause leaves nothing to clean up (see 'axl list %u')",
};

const struct op_kind_row op_kind_unpause = {
    .verb = "unpause", .call = op_call_unpause,
    .left = "an unpause leaves nothing to clean up (see 'axl list %u')",
};

const struct op_kind_row op_kind_retrieve = {
    .verb = "retrieve", .flags = OPK_READ, .call = op_call_retrieve,
    .left = "reading a configuration leaves nothing to clean up",
};

const struct op_kind_row op_kind_vcpu_set = {
    .verb = "vcpu-set", .call = op_call_vcpu_set,
    .priv_size = sizeof(struct op_vcpus), .dispose = op_vcpus_dispose,
    .left = "some vCPUs of domain %u may have changed; check with 'axl "
            "vcpu-list %u'",
};

const struct op_kind_row op_kind_trigger = {
    .verb = "trigger", .call = op_call_trigger,
    .priv_size = sizeof(struct op_trigger),
    .left = "the trigger may have reached domain %u; nothing to clean up",
};

const struct op_kind_row op_kind_qemu_monitor = {
    .verb = "qemu-monitor-command", .call = op_call_qemu_monitor,
    .priv_size = sizeof(struct op_qmp), .dispose = op_qmp_dispose,
    .left = "the command may have reached the device model of domain %u; "
            "nothing to clean up",
};

const struct op_kind_row op_kind_soft_reset = {
    .verb = "soft-reset", .call = op_call_soft_reset,
    .left = "domain %u may be left half-reset; check 'axl list %u'",
};

int op_set_vcpus(struct op *op, unsigned n)
{
    struct op_vcpus *v = op->priv;
    unsigned i;

    if (op->k != &op_kind_vcpu_set)
        return -1;
    libxl_bitmap_dispose(&v->map);
    libxl_bitmap_init(&v->map);
    if (libxl_cpu_bitmap_alloc(loop_ctx(op->lp), &v->map, (int)n))
        return -1;
    for (i = 0; i < n; i++)
        libxl_bitmap_set(&v->map, i);
    return 0;
}

int op_set_trigger(struct op *op, libxl_trigger trigger, uint32_t vcpu)
{
    struct op_trigger *t = op->priv;

    if (op->k != &op_kind_trigger)
        return -1;
    t->trigger = trigger;
    t->vcpu = vcpu;
    return 0;
}

int op_set_monitor_command(struct op *op, const char *command)
{
    struct op_qmp *q = op->priv;

    if (op->k != &op_kind_qemu_monitor)
        return -1;
    free(q->cmd);
    q->cmd = strdup(command);
    return q->cmd ? 0 : -1;
}

const char *op_monitor_output(const struct op *op)
{
    const struct op_qmp *q = op->priv;

    return op->k == &op_kind_qemu_monitor ? q->out : NULL;
}
