/*
 * cmd_vdev: the device kinds besides disks and network devices - vtpm-,
 * vkb-, vdispl-, vsnd-, usbctrl-, usbdev-, usb-list, pci-, channel-list
 * - and cd-insert, cd-eject: xl's syntax and list output; every attach,
 * detach and medium change runs as a cancellable op.  The device words
 * are read by xlcfg as the device lists of a configuration file are.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <libxl.h>
#include <libxl_utils.h>
#include <xen/io/sndif.h>

#include "../core/status.h"
#include "../core/xlcfg.h"
#include "cmd.h"
#include "cmd_dev.h"
#include "cmd_dom.h"
#include "cmd_xlcfg.h"
#include "json.h"
#include "out.h"
#include "parse.h"

/* A string as glibc's printf prints one that may be NULL, as xl does. */
static const char *cmd_vdev_s(const char *s)
{
    return s ? s : "(null)";
}

/* The kinds xlcfg reads, and libxl's JSON of each for -n. */
#define CMD_VDEV_JSON(k)                                                   \
    static char *cmd_##k##_json(libxl_ctx *ctx, void *dev)                \
    {                                                                     \
        return libxl_device_##k##_to_json(ctx, dev);                      \
    }

CMD_VDEV_JSON(vtpm)
CMD_VDEV_JSON(vkb)
CMD_VDEV_JSON(vdispl)
CMD_VDEV_JSON(vsnd)

static const struct cmd_dev_attach cmd_vdev_attach[] = {
    [OP_DEV_VTPM] = { OP_DEV_VTPM, "vtpm", "vtpm", xlcfg_dev_spec,
                      cmd_vtpm_json },
    [OP_DEV_VKB] = { OP_DEV_VKB, "vkb", "vkb", xlcfg_dev_spec,
                     cmd_vkb_json },
    [OP_DEV_VDISPL] = { OP_DEV_VDISPL, "vdispl", "vdispl", xlcfg_dev_spec,
                        cmd_vdispl_json },
    [OP_DEV_VSND] = { OP_DEV_VSND, "vsnd", "vsnd", xlcfg_dev_spec,
                      cmd_vsnd_json },
    [OP_DEV_USBCTRL] = { OP_DEV_USBCTRL, "usbctrl", "usbctrl",
                         xlcfg_dev_spec, NULL },
    [OP_DEV_USBDEV] = { OP_DEV_USBDEV, "usbdev", "usbdev", xlcfg_dev_spec,
                        NULL },
    [OP_DEV_PCI] = { OP_DEV_PCI, "pci", "pci", xlcfg_dev_spec, NULL },
};

/* What each attach command adds; the row's kind from its entry's name. */
#define CMD_VDEV_ATTACH_RUN(k, KIND)                                       \
    static int cmd_##k##_attach_run(struct cli *cli,                      \
                                    struct cmd_call *call)                \
    {                                                                     \
        return cmd_dev_attach(cli, call, &cmd_vdev_attach[KIND]);         \
    }

CMD_VDEV_ATTACH_RUN(vtpm, OP_DEV_VTPM)
CMD_VDEV_ATTACH_RUN(vkb, OP_DEV_VKB)
CMD_VDEV_ATTACH_RUN(vdispl, OP_DEV_VDISPL)
CMD_VDEV_ATTACH_RUN(vsnd, OP_DEV_VSND)
CMD_VDEV_ATTACH_RUN(usbctrl, OP_DEV_USBCTRL)
CMD_VDEV_ATTACH_RUN(usbdev, OP_DEV_USBDEV)
CMD_VDEV_ATTACH_RUN(pci, OP_DEV_PCI)

/* The command that lists a kind's devices, for messages. */
static const char *cmd_vdev_list_cmd(enum op_dev_kind kind)
{
    switch (kind) {
    case OP_DEV_VTPM: return "vtpm-list";
    case OP_DEV_VKB: return "vkb-list";
    case OP_DEV_VDISPL: return "vdispl-list";
    case OP_DEV_VSND: return "vsnd-list";
    case OP_DEV_PCI: return "pci-list";
    default: return "usb-list";
    }
}

/*
 * A detach: the job, then its device found by word or devid (see
 * op_find_dev()); what names the device is `what` in the message when
 * the domain has none.
 */
static int cmd_vdev_detach(struct cli *cli, struct cmd_call *call,
                           enum op_dev_kind kind, const char *word,
                           int devid, const char *what)
{
    struct job *job;
    uint64_t timeout_ms;
    uint32_t domid;
    int status, r;

    job = cmd_dev_job(cli, call, OP_DEV_REMOVE, kind, &timeout_ms, &domid,
                      &status);
    if (!job)
        return status;
    r = op_find_dev(job_op(job), cli_libxl(cli), kind, word, devid);
    if (r) {
        if (r < 0)
            error("%s: out of memory", call->cmd->name);
        else
            error("domain '%s' has no %s (see 'axl %s %s')", call->argv[0],
                  what, cmd_vdev_list_cmd(kind), call->argv[0]);
        job_forget(cli, job);
        return AXL_EXIT_FAIL;
    }
    return job_run(job, timeout_ms);
}

/* vkb-, vdispl-, vsnd-, usbctrl-detach: the device by its index. */
static int cmd_vdev_detach_devid(struct cli *cli, struct cmd_call *call,
                                 enum op_dev_kind kind, const char *name)
{
    char what[64];
    int devid;

    if (cmd_devid_arg(call, call->argv[1], &devid) < 0)
        return AXL_EXIT_USAGE;
    snprintf(what, sizeof(what), "%s %d", name, devid);
    return cmd_vdev_detach(cli, call, kind, NULL, devid, what);
}

/* ---- vtpm ---- */

/* vtpm-detach names the vtpm by its index or its uuid. */
static int cmd_vtpm_detach_run(struct cli *cli, struct cmd_call *call)
{
    const char *id = call->argv[1];
    libxl_device_vtpm vtpm;
    libxl_uuid uuid;
    uint32_t domid;
    char what[80];
    int devid;

    if (libxl_uuid_from_string(&uuid, id))
        return cmd_vdev_detach_devid(cli, call, OP_DEV_VTPM, "vtpm");
    /* The uuid to the index, then as by index. */
    if (cmd_resolve_domain(cli, call->argv[0], &domid, NULL) < 0)
        return AXL_EXIT_FAIL;
    libxl_device_vtpm_init(&vtpm);
    devid = libxl_uuid_to_device_vtpm(cli_libxl(cli), domid, &uuid, &vtpm)
                ? -1 : vtpm.devid;
    libxl_device_vtpm_dispose(&vtpm);
    snprintf(what, sizeof(what), "vtpm with uuid %s", id);
    if (devid < 0) {
        error("domain '%s' has no %s (see 'axl %s %s')", call->argv[0],
              what, cmd_vdev_list_cmd(OP_DEV_VTPM), call->argv[0]);
        return AXL_EXIT_FAIL;
    }
    return cmd_vdev_detach(cli, call, OP_DEV_VTPM, NULL, devid, what);
}

static void cmd_vtpm_rows(libxl_ctx *ctx, uint32_t domid, struct json *j)
{
    libxl_device_vtpm *v = NULL;
    libxl_vtpminfo vi;
    int i, n = 0;

    v = libxl_device_vtpm_list(ctx, domid, &n);
    for (i = 0; v && i < n; i++) {
        if (libxl_device_vtpm_getinfo(ctx, domid, &v[i], &vi))
            continue;
        if (j)
            cmd_dev_json_pair(j, "config",
                              libxl_device_vtpm_to_json(ctx, &v[i]), "info",
                              libxl_vtpminfo_to_json(ctx, &vi));
        else
            printf("%-3d %-2d " LIBXL_UUID_FMT " %6d %5d %6d %8d %-30s\n",
                   vi.devid, vi.backend_id, LIBXL_UUID_BYTES(vi.uuid),
                   vi.devid, vi.state, vi.evtch, vi.rref,
                   cmd_vdev_s(vi.backend));
        libxl_vtpminfo_dispose(&vi);
    }
    if (v)
        libxl_device_vtpm_list_free(v, n);
}

static int cmd_vtpm_list_run(struct cli *cli, struct cmd_call *call)
{
    return cmd_dev_list(cli, call,
                        "Idx BE Uuid                                 handle "
                        "state evt-ch ring-ref BE-path   \n", cmd_vtpm_rows);
}

/* ---- vkb ---- */

static int cmd_vkb_detach_run(struct cli *cli, struct cmd_call *call)
{
    return cmd_vdev_detach_devid(cli, call, OP_DEV_VKB, "vkb");
}

static void cmd_vkb_rows(libxl_ctx *ctx, uint32_t domid, struct json *j)
{
    libxl_device_vkb *v;
    libxl_vkbinfo vi;
    int i, n = 0;

    v = libxl_device_vkb_list(ctx, domid, &n);
    for (i = 0; v && i < n; i++) {
        if (libxl_device_vkb_getinfo(ctx, domid, &v[i], &vi))
            continue;
        if (j)
            cmd_dev_json_pair(j, "config",
                              libxl_device_vkb_to_json(ctx, &v[i]), "info",
                              libxl_vkbinfo_to_json(ctx, &vi));
        else
            printf("%-3d %-2d %6d %5d %6d %6d %-10s %-10s %-30s\n",
                   vi.devid, vi.backend_id, vi.devid, vi.state, vi.evtch,
                   vi.rref, cmd_vdev_s(v[i].unique_id),
                   cmd_vdev_s(libxl_vkb_backend_to_string(v[i].backend_type)),
                   cmd_vdev_s(vi.backend));
        libxl_vkbinfo_dispose(&vi);
    }
    if (v)
        libxl_device_vkb_list_free(v, n);
}

static int cmd_vkb_list_run(struct cli *cli, struct cmd_call *call)
{
    return cmd_dev_list(cli, call,
                        "Idx BE handle state evt-ch    ref ID         "
                        "BE-type    BE-path                       \n",
                        cmd_vkb_rows);
}

/* ---- vdispl ---- */

static int cmd_vdispl_detach_run(struct cli *cli, struct cmd_call *call)
{
    return cmd_vdev_detach_devid(cli, call, OP_DEV_VDISPL, "vdispl");
}

static void cmd_vdispl_text(const libxl_vdisplinfo *vi)
{
    int c;

    printf("DevId: %d, BE: %d, handle: %d, state: %d, be-alloc: %d, "
           "BE-path: %s, FE-path: %s\n", vi->devid, vi->backend_id,
           vi->frontend_id, vi->state, vi->be_alloc,
           cmd_vdev_s(vi->backend), cmd_vdev_s(vi->frontend));
    for (c = 0; c < vi->num_connectors; c++) {
        const libxl_connectorinfo *ci = &vi->connectors[c];

        printf("\tConnector: %d, id: %s, width: %d, height: %d, "
               "req-rref: %d, req-evtch: %d, evt-rref: %d, evt-evtch: %d\n",
               c, cmd_vdev_s(ci->unique_id), ci->width, ci->height,
               ci->req_rref, ci->req_evtch, ci->evt_rref, ci->evt_evtch);
    }
}

static void cmd_vdispl_rows(libxl_ctx *ctx, uint32_t domid, struct json *j)
{
    libxl_device_vdispl *v;
    libxl_vdisplinfo vi;
    int i, n = 0;

    v = libxl_device_vdispl_list(ctx, domid, &n);
    for (i = 0; v && i < n; i++) {
        libxl_vdisplinfo_init(&vi);
        if (!libxl_device_vdispl_getinfo(ctx, domid, &v[i], &vi)) {
            if (j)
                cmd_dev_json_pair(j, "config",
                                  libxl_device_vdispl_to_json(ctx, &v[i]),
                                  "info", libxl_vdisplinfo_to_json(ctx, &vi));
            else
                cmd_vdispl_text(&vi);
        }
        libxl_vdisplinfo_dispose(&vi);
    }
    if (v)
        libxl_device_vdispl_list_free(v, n);
}

static int cmd_vdispl_list_run(struct cli *cli, struct cmd_call *call)
{
    return cmd_dev_list(cli, call, NULL, cmd_vdispl_rows);
}

/* ---- vsnd ---- */

static int cmd_vsnd_detach_run(struct cli *cli, struct cmd_call *call)
{
    return cmd_vdev_detach_devid(cli, call, OP_DEV_VSND, "vsnd");
}

/*
 * A card's, pcm's or stream's parameters, as xl prints them, with xl's
 * quirk: the formats come under the sample rates' name.
 */
static void cmd_vsnd_params(const libxl_vsnd_params *p)
{
    int i;

    if (p->channels_min)
        printf(", " XENSND_FIELD_CHANNELS_MIN ": %u", p->channels_min);
    if (p->channels_max)
        printf(", " XENSND_FIELD_CHANNELS_MAX ": %u", p->channels_max);
    if (p->buffer_size)
        printf(", " XENSND_FIELD_BUFFER_SIZE ": %u", p->buffer_size);
    for (i = 0; i < p->num_sample_rates; i++)
        printf("%s%u", i ? ";" : ", " XENSND_FIELD_SAMPLE_RATES ": ",
               p->sample_rates[i]);
    for (i = 0; i < p->num_sample_formats; i++)
        printf("%s%s", i ? ";" : ", " XENSND_FIELD_SAMPLE_RATES ": ",
               cmd_vdev_s(libxl_vsnd_pcm_format_to_string(
                   p->sample_formats[i])));
    printf("\n");
}

static void cmd_vsnd_text(const libxl_device_vsnd *v,
                          const libxl_vsndinfo *vi)
{
    int p, s;

    printf("\ndevid: %d, be-domid: %d, handle: %d, state: %d, be-path: %s, "
           "fe-path: %s\n", vi->devid, vi->backend_id, vi->frontend_id,
           vi->state, cmd_vdev_s(vi->backend), cmd_vdev_s(vi->frontend));
    printf(XENSND_FIELD_VCARD_SHORT_NAME ": \"%s\", "
           XENSND_FIELD_VCARD_LONG_NAME ": \"%s\"",
           cmd_vdev_s(v->short_name), cmd_vdev_s(v->long_name));
    cmd_vsnd_params(&v->params);
    for (p = 0; p < vi->num_vsnd_pcms && p < v->num_vsnd_pcms; p++) {
        const libxl_vsnd_pcm *pcm = &v->pcms[p];

        printf("\tpcm: %d, " XENSND_FIELD_DEVICE_NAME ": \"%s\"", p,
               cmd_vdev_s(pcm->name));
        cmd_vsnd_params(&pcm->params);
        for (s = 0; s < pcm->num_vsnd_streams &&
                    s < vi->pcms[p].num_vsnd_streams; s++) {
            const libxl_vsnd_stream *st = &pcm->streams[s];
            const libxl_streaminfo *si = &vi->pcms[p].streams[s];

            printf("\t\tstream: %d, " XENSND_FIELD_STREAM_UNIQUE_ID
                   ": \"%s\", " XENSND_FIELD_TYPE ": %s", s,
                   cmd_vdev_s(st->unique_id),
                   cmd_vdev_s(libxl_vsnd_stream_type_to_string(st->type)));
            cmd_vsnd_params(&st->params);
            printf("\t\t\t" XENSND_FIELD_EVT_CHNL ": %d, "
                   XENSND_FIELD_RING_REF ": %d\n", si->req_evtch,
                   si->req_rref);
        }
    }
}

static void cmd_vsnd_rows(libxl_ctx *ctx, uint32_t domid, struct json *j)
{
    libxl_device_vsnd *v;
    libxl_vsndinfo vi;
    int i, n = 0;

    v = libxl_device_vsnd_list(ctx, domid, &n);
    for (i = 0; v && i < n; i++) {
        libxl_vsndinfo_init(&vi);
        if (!libxl_device_vsnd_getinfo(ctx, domid, &v[i], &vi)) {
            if (j)
                cmd_dev_json_pair(j, "config",
                                  libxl_device_vsnd_to_json(ctx, &v[i]),
                                  "info", libxl_vsndinfo_to_json(ctx, &vi));
            else
                cmd_vsnd_text(&v[i], &vi);
        }
        libxl_vsndinfo_dispose(&vi);
    }
    if (v)
        libxl_device_vsnd_list_free(v, n);
}

static int cmd_vsnd_list_run(struct cli *cli, struct cmd_call *call)
{
    return cmd_dev_list(cli, call, NULL, cmd_vsnd_rows);
}

/* ---- usb ---- */

static int cmd_usbctrl_detach_run(struct cli *cli, struct cmd_call *call)
{
    return cmd_vdev_detach_devid(cli, call, OP_DEV_USBCTRL, "usbctrl");
}

/* usbdev-detach names the device by its controller and port. */
static int cmd_usbdev_detach_run(struct cli *cli, struct cmd_call *call)
{
    char word[32], what[64];
    int ctrl, port;

    if (cmd_devid_arg(call, call->argv[1], &ctrl) < 0 ||
        cmd_devid_arg(call, call->argv[2], &port) < 0)
        return AXL_EXIT_USAGE;
    snprintf(word, sizeof(word), "%d %d", ctrl, port);
    snprintf(what, sizeof(what), "USB device at controller %d port %d",
             ctrl, port);
    return cmd_vdev_detach(cli, call, OP_DEV_USBDEV, word, -1, what);
}

/* A controller's ports, as xl prints them, or as JSON. */
static void cmd_usb_ports(libxl_ctx *ctx, uint32_t domid,
                          const libxl_usbctrlinfo *ui, struct json *j)
{
    libxl_device_usbdev u;
    int p;

    for (p = 1; p <= ui->ports; p++) {
        int found;

        libxl_device_usbdev_init(&u);
        found = !libxl_ctrlport_to_device_usbdev(ctx, domid, ui->devid, p,
                                                 &u);
        if (j) {
            json_open(j, '{');
            json_kint(j, "port", p);
            json_kraw(j, "device", found
                      ? libxl_device_usbdev_to_json(ctx, &u) : NULL);
            json_close(j);
        } else if (found) {
            printf("  Port %d: Bus %03x Device %03x\n", p,
                   u.u.hostdev.hostbus, u.u.hostdev.hostaddr);
        } else {
            printf("  Port %d:\n", p);
        }
        libxl_device_usbdev_dispose(&u);
    }
}

static void cmd_usb_rows(libxl_ctx *ctx, uint32_t domid, struct json *j)
{
    libxl_device_usbctrl *c;
    libxl_usbctrlinfo ui;
    int i, n = 0;

    c = libxl_device_usbctrl_list(ctx, domid, &n);
    for (i = 0; c && i < n; i++) {
        if (!j)
            printf("%-6s %-12s %-3s %-5s %-7s %-5s\n", "Devid", "Type",
                   "BE", "state", "usb-ver", "ports");
        libxl_usbctrlinfo_init(&ui);
        if (libxl_device_usbctrl_getinfo(ctx, domid, &c[i], &ui)) {
            libxl_usbctrlinfo_dispose(&ui);
            continue;
        }
        if (j) {
            char *cfg = libxl_device_usbctrl_to_json(ctx, &c[i]);
            char *info = libxl_usbctrlinfo_to_json(ctx, &ui);

            json_open(j, '{');
            json_kraw(j, "config", cfg);
            json_kraw(j, "info", info);
            json_key(j, "ports");
            json_open(j, '[');
            cmd_usb_ports(ctx, domid, &ui, j);
            json_close(j);
            json_close(j);
            free(cfg);
            free(info);
        } else {
            printf("%-6d %-12s %-3d %-5d %-7d %-5d\n", ui.devid,
                   cmd_vdev_s(libxl_usbctrl_type_to_string(ui.type)),
                   ui.backend_id, ui.state, ui.version, ui.ports);
            cmd_usb_ports(ctx, domid, &ui, NULL);
        }
        libxl_usbctrlinfo_dispose(&ui);
    }
    if (c)
        libxl_device_usbctrl_list_free(c, n);
}

static int cmd_usb_list_run(struct cli *cli, struct cmd_call *call)
{
    return cmd_dev_list(cli, call, NULL, cmd_usb_rows);
}

/* ---- pci ---- */

#define CMD_PCI_BDF "%04x:%02x:%02x.%01x"

/*
 * pci-detach takes a PCI specification, as pci-attach does; the device
 * is the domain's one at that address.
 */
static int cmd_pci_detach_run(struct cli *cli, struct cmd_call *call)
{
    const char *const words[1] = { call->argv[1] };
    libxl_device_pci pci;
    struct xlcfg_opts xo;
    char word[32], what[64];

    memset(&xo, 0, sizeof(xo));
    xo.overrides = words;
    xo.n_overrides = 1;
    xo.report = cmd_xlcfg_report;
    libxl_device_pci_init(&pci);
    if (xlcfg_dev_spec(&xo, "pci", &pci) < 0) {
        libxl_device_pci_dispose(&pci);
        return AXL_EXIT_USAGE;
    }
    snprintf(word, sizeof(word), CMD_PCI_BDF, pci.domain, pci.bus, pci.dev,
             pci.func);
    libxl_device_pci_dispose(&pci);
    snprintf(what, sizeof(what), "PCI device %s", word);
    return cmd_vdev_detach(cli, call, OP_DEV_PCI, word, -1, what);
}

static void cmd_pci_rows(libxl_ctx *ctx, uint32_t domid, struct json *j)
{
    libxl_device_pci *p;
    int i, n = 0;

    p = libxl_device_pci_list(ctx, domid, &n);
    if (p && !j)
        printf("Vdev Device\n");
    for (i = 0; p && i < n; i++) {
        if (j)
            cmd_dev_json_pair(j, "config",
                              libxl_device_pci_to_json(ctx, &p[i]), NULL,
                              NULL);
        else
            printf("%02x.%01x " CMD_PCI_BDF "\n", (p[i].vdevfn >> 3) & 0x1f,
                   p[i].vdevfn & 0x7, p[i].domain, p[i].bus, p[i].dev,
                   p[i].func);
    }
    if (p)
        libxl_device_pci_list_free(p, n);
}

static int cmd_pci_list_run(struct cli *cli, struct cmd_call *call)
{
    return cmd_dev_list(cli, call, NULL, cmd_pci_rows);
}

/* A BDF argument into pci: 0, or -1 after reporting. */
static int cmd_pci_bdf(const struct cmd_call *call, const char *s,
                       libxl_device_pci *pci)
{
    struct parse_bdf b;

    if (parse_pci_bdf(s, &b) < 0)
        return error("%s: invalid PCI address '%s' (use [DDDD:]BB:DD.F)",
                     call->cmd->name, s);
    pci->domain = b.domain;
    pci->bus = b.bus;
    pci->dev = b.dev;
    pci->func = b.func;
    return 0;
}

/* pci-assignable-add: bind the device to pciback (xl always rebinds). */
static int cmd_pci_assignable_add_run(struct cli *cli,
                                      struct cmd_call *call)
{
    const char *name = cmd_opt(call, "name");
    libxl_device_pci pci;
    int rc, status = AXL_EXIT_USAGE;

    libxl_device_pci_init(&pci);
    if (cmd_pci_bdf(call, call->argv[0], &pci) < 0)
        goto out;
    status = AXL_EXIT_FAIL;
    if (name && !(pci.name = strdup(name))) {
        error("pci-assignable-add: out of memory");
        goto out;
    }
    if (!cli_libxl(cli))
        goto out;
    rc = libxl_device_pci_assignable_add(cli_libxl(cli), &pci, 1);
    if (rc) {
        error_libxl(rc, "cannot make PCI device '%s' assignable",
                    call->argv[0]);
        goto out;
    }
    status = AXL_EXIT_OK;
out:
    libxl_device_pci_dispose(&pci);
    return status;
}

/*
 * pci-assignable-remove: the device by the name given to
 * pci-assignable-add -n, else by its address (as xl tries them).
 */
static int cmd_pci_assignable_remove_run(struct cli *cli,
                                         struct cmd_call *call)
{
    const char *id = call->argv[0];
    int rebind = cmd_flag(call, "rebind") > 0;
    libxl_device_pci pci;
    libxl_ctx *ctx = cli_libxl(cli);
    int rc, status = AXL_EXIT_FAIL;

    if (!ctx)
        return AXL_EXIT_FAIL;
    libxl_device_pci_init(&pci);
    pci.name = strdup(id);
    if (!pci.name) {
        error("pci-assignable-remove: out of memory");
        goto out;
    }
    rc = libxl_device_pci_assignable_remove(ctx, &pci, rebind);
    if (rc == ERROR_NOTFOUND) {
        libxl_device_pci_dispose(&pci);
        libxl_device_pci_init(&pci);
        if (cmd_pci_bdf(call, id, &pci) < 0) {
            status = AXL_EXIT_USAGE;
            goto out;
        }
        rc = libxl_device_pci_assignable_remove(ctx, &pci, rebind);
    }
    if (rc) {
        error_libxl(rc, "cannot remove PCI device '%s' from the assignable "
                    "ones", id);
        goto out;
    }
    status = AXL_EXIT_OK;
out:
    libxl_device_pci_dispose(&pci);
    return status;
}

static int cmd_pci_assignable_list_run(struct cli *cli,
                                       struct cmd_call *call)
{
    bool names = cmd_flag(call, "show-names") > 0;
    libxl_ctx *ctx = cli_libxl(cli);
    libxl_device_pci *p;
    struct json j;
    int i, n = 0;

    if (!ctx)
        return AXL_EXIT_FAIL;
    p = libxl_device_pci_assignable_list(ctx, &n);
    if (cmd_flag(call, "json")) {
        json_init(&j, stdout);
        json_open(&j, '[');
    }
    for (i = 0; p && i < n; i++) {
        if (cmd_flag(call, "json")) {
            char *t = libxl_device_pci_to_json(ctx, &p[i]);

            json_raw(&j, t);
            free(t);
        } else {
            printf(CMD_PCI_BDF " %s\n", p[i].domain, p[i].bus, p[i].dev,
                   p[i].func, names && p[i].name ? p[i].name : "");
        }
    }
    if (cmd_flag(call, "json")) {
        json_close(&j);
        json_end(&j);
    }
    if (p)
        libxl_device_pci_assignable_list_free(p, n);
    return out_flush_stdout() < 0 ? AXL_EXIT_FAIL : AXL_EXIT_OK;
}

/* ---- channel ---- */

static void cmd_channel_rows(libxl_ctx *ctx, uint32_t domid, struct json *j)
{
    libxl_device_channel *c;
    libxl_channelinfo ci;
    int i, n = 0;

    c = libxl_device_channel_list(ctx, domid, &n);
    for (i = 0; c && i < n; i++) {
        if (libxl_device_channel_getinfo(ctx, domid, &c[i], &ci))
            continue;
        if (j) {
            cmd_dev_json_pair(j, "config",
                              libxl_device_channel_to_json(ctx, &c[i]),
                              "info", libxl_channelinfo_to_json(ctx, &ci));
        } else {
            printf("%-3d %-2d %-5d %-6d %-8d %-10s ", c[i].devid,
                   ci.backend_id, ci.state, ci.evtch, ci.rref,
                   cmd_vdev_s(libxl_channel_connection_to_string(
                       c[i].connection)));
            if (c[i].connection == LIBXL_CHANNEL_CONNECTION_PTY)
                printf("%-30s ", cmd_vdev_s(ci.u.pty.path));
            printf("\n");
        }
        libxl_channelinfo_dispose(&ci);
    }
    for (i = 0; c && i < n; i++)
        libxl_device_channel_dispose(&c[i]);
    free(c);
}

static int cmd_channel_list_run(struct cli *cli, struct cmd_call *call)
{
    return cmd_dev_list(cli, call,
                        "Idx BE state evt-ch ring-ref connection "
                        "                              \n",
                        cmd_channel_rows);
}

/* ---- cd-insert, cd-eject ---- */

/*
 * Whether domid is an HVM guest, the only kind with an emulated cd
 * drive: 0, or -1 after saying why not.
 */
static int cmd_cd_hvm(struct cli *cli, struct cmd_call *call,
                      uint32_t domid)
{
    libxl_dominfo info;
    int rc;

    libxl_dominfo_init(&info);
    rc = libxl_domain_info(cli_libxl(cli), &info, domid);
    if (!rc && info.domain_type != LIBXL_DOMAIN_TYPE_HVM)
        rc = ERROR_INVAL;
    libxl_dominfo_dispose(&info);
    if (rc == ERROR_INVAL)
        return error("%s: domain '%s' is not an HVM guest: only HVM guests "
                     "have a cd drive", call->cmd->name, call->argv[0]);
    if (rc)
        return error_libxl(rc, "%s: cannot look up domain '%s'",
                           call->cmd->name, call->argv[0]);
    return 0;
}

/*
 * The drive call->argv[1] with the medium target ("" to eject), in the
 * words xl builds: a read-only cdrom, target last.
 */
static int cmd_cd_disk(struct cmd_call *call, const char *target,
                       libxl_device_disk *disk)
{
    char *w[4] = { NULL };
    struct xlcfg_opts xo;
    int i, rc = -1;

    if (asprintf(&w[0], "vdev=%s", call->argv[1]) < 0 ||
        !(w[1] = strdup("access=r")) || !(w[2] = strdup("devtype=cdrom")) ||
        asprintf(&w[3], "target=%s", target) < 0) {
        error("%s: out of memory", call->cmd->name);
        w[3] = NULL;
        goto out;
    }
    memset(&xo, 0, sizeof(xo));
    xo.overrides = (const char *const *)w;
    xo.n_overrides = 4;
    xo.report = cmd_xlcfg_report;
    rc = xlcfg_disk_spec(&xo, disk);
out:
    for (i = 0; i < 4; i++)
        free(w[i]);
    return rc;
}

static int cmd_cd_change(struct cli *cli, struct cmd_call *call,
                         enum op_kind kind, const char *target)
{
    libxl_device_disk *disk;
    struct stat st;
    struct job *job;
    uint64_t timeout_ms;
    uint32_t domid;
    int status;

    job = cmd_dev_job(cli, call, kind, OP_DEV_DISK, &timeout_ms, &domid,
                      &status);
    if (!job)
        return status;
    disk = op_dev(job_op(job));
    status = AXL_EXIT_FAIL;
    if (cmd_cd_hvm(cli, call, domid) < 0 ||
        cmd_cd_disk(call, target, disk) < 0)
        goto fail;
    /* libxl takes any path for qdisk: a missing file would "succeed" */
    if (disk->format != LIBXL_DISK_FORMAT_EMPTY &&
        stat(disk->pdev_path, &st) < 0) {
        error_errno("%s: cannot use '%s'", call->cmd->name, disk->pdev_path);
        goto fail;
    }
    return job_run(job, timeout_ms);
fail:
    job_forget(cli, job);
    return status;
}

static int cmd_cd_insert_run(struct cli *cli, struct cmd_call *call)
{
    return cmd_cd_change(cli, call, OP_CD_INSERT, call->argv[2]);
}

static int cmd_cd_eject_run(struct cli *cli, struct cmd_call *call)
{
    return cmd_cd_change(cli, call, OP_CD_EJECT, "");
}

/* ---- the entries ---- */

/* An attach, detach or list entry with what they all share. */
#define CMD_VDEV_ATTACH(NAME, SUM, USAGE, OPTS, MIN, RUN)                  \
    { .name = NAME, .summary = SUM, .usage = USAGE, .opts = OPTS,          \
      .min_args = MIN, .max_args = -1, .first_arg = CMD_ARG_DOMAIN,        \
      .rest_args = CMD_ARG_KEYVAL, .flags = CMD_F_OP | CMD_F_DOM0,         \
      .run = RUN }
#define CMD_VDEV_DETACH(NAME, SUM, USAGE, OPTS, N, REST, RUN)              \
    { .name = NAME, .summary = SUM, .usage = USAGE, .opts = OPTS,          \
      .min_args = N, .max_args = N, .first_arg = CMD_ARG_DOMAIN,           \
      .rest_args = REST, .flags = CMD_F_OP | CMD_F_DOM0, .run = RUN }
#define CMD_VDEV_LIST(NAME, SUM, USAGE, MAX, RUN)                          \
    { .name = NAME, .summary = SUM, .usage = USAGE,                        \
      .opts = cmd_dev_list_opts, .min_args = 1, .max_args = MAX,           \
      .first_arg = CMD_ARG_DOMAIN, .rest_args = CMD_ARG_DOMAIN,            \
      .run = RUN }

const struct cmd_entry cmd_vtpm_attach_entry = CMD_VDEV_ATTACH(
    "vtpm-attach", "attach a virtual TPM to a domain",
    "[options] <Domain> [uuid=<UUID>] [backend=<BackDomain>]",
    cmd_attach_opts, 1, cmd_vtpm_attach_run);
const struct cmd_entry cmd_vtpm_detach_entry = CMD_VDEV_DETACH(
    "vtpm-detach", "detach a virtual TPM from a domain",
    "[options] <Domain> <DevId|UUID>", cmd_detach_opts, 2, CMD_ARG_VTPM,
    cmd_vtpm_detach_run);
const struct cmd_entry cmd_vtpm_list_entry = CMD_VDEV_LIST(
    "vtpm-list", "list a domain's virtual TPMs", "[--json] <Domain> ...",
    -1, cmd_vtpm_list_run);

const struct cmd_entry cmd_vkb_attach_entry = CMD_VDEV_ATTACH(
    "vkb-attach", "attach a virtual keyboard to a domain",
    "[options] <Domain> <key=value> ...", cmd_attach_opts, 2,
    cmd_vkb_attach_run);
const struct cmd_entry cmd_vkb_detach_entry = CMD_VDEV_DETACH(
    "vkb-detach", "detach a virtual keyboard from a domain",
    "[options] <Domain> <DevId>", cmd_detach_opts, 2, CMD_ARG_VKB,
    cmd_vkb_detach_run);
const struct cmd_entry cmd_vkb_list_entry = CMD_VDEV_LIST(
    "vkb-list", "list a domain's virtual keyboards", "[--json] <Domain> ...",
    -1, cmd_vkb_list_run);

const struct cmd_entry cmd_vdispl_attach_entry = CMD_VDEV_ATTACH(
    "vdispl-attach", "attach a virtual display to a domain",
    "[options] <Domain> [key=value ...]", cmd_attach_opts, 1,
    cmd_vdispl_attach_run);
const struct cmd_entry cmd_vdispl_detach_entry = CMD_VDEV_DETACH(
    "vdispl-detach", "detach a virtual display from a domain",
    "[options] <Domain> <DevId>", cmd_detach_opts, 2, CMD_ARG_VDISPL,
    cmd_vdispl_detach_run);
const struct cmd_entry cmd_vdispl_list_entry = CMD_VDEV_LIST(
    "vdispl-list", "list a domain's virtual displays",
    "[--json] <Domain> ...", -1, cmd_vdispl_list_run);

const struct cmd_entry cmd_vsnd_attach_entry = CMD_VDEV_ATTACH(
    "vsnd-attach", "attach a virtual sound card to a domain",
    "[options] <Domain> <VsndItem> ...", cmd_attach_opts, 2,
    cmd_vsnd_attach_run);
const struct cmd_entry cmd_vsnd_detach_entry = CMD_VDEV_DETACH(
    "vsnd-detach", "detach a virtual sound card from a domain",
    "[options] <Domain> <DevId>", cmd_detach_opts, 2, CMD_ARG_VSND,
    cmd_vsnd_detach_run);
const struct cmd_entry cmd_vsnd_list_entry = CMD_VDEV_LIST(
    "vsnd-list", "list a domain's virtual sound cards",
    "[--json] <Domain> ...", -1, cmd_vsnd_list_run);

const struct cmd_entry cmd_usbctrl_attach_entry = CMD_VDEV_ATTACH(
    "usbctrl-attach", "attach a virtual USB controller to a domain",
    "[options] <Domain> [key=value ...]", CMD_ATTACH_NODRY_OPTS, 1,
    cmd_usbctrl_attach_run);
const struct cmd_entry cmd_usbctrl_detach_entry = CMD_VDEV_DETACH(
    "usbctrl-detach", "detach a virtual USB controller from a domain",
    "[options] <Domain> <DevId>", cmd_detach_opts, 2, CMD_ARG_USBCTRL,
    cmd_usbctrl_detach_run);
const struct cmd_entry cmd_usbdev_attach_entry = CMD_VDEV_ATTACH(
    "usbdev-attach", "attach a host USB device to a domain",
    "[options] <Domain> <key=value> ...", CMD_ATTACH_NODRY_OPTS, 2,
    cmd_usbdev_attach_run);
const struct cmd_entry cmd_usbdev_detach_entry = CMD_VDEV_DETACH(
    "usbdev-detach", "detach a USB device from a domain",
    "[options] <Domain> <Controller> <Port>", NULL, 3, CMD_ARG_OTHER,
    cmd_usbdev_detach_run);
const struct cmd_entry cmd_usb_list_entry = CMD_VDEV_LIST(
    "usb-list", "list a domain's USB controllers and devices",
    "[--json] <Domain>", 1, cmd_usb_list_run);

const struct cmd_entry cmd_pci_attach_entry = CMD_VDEV_DETACH(
    "pci-attach", "pass a host PCI device through to a domain",
    "[options] <Domain> <PciSpec>", CMD_ATTACH_NODRY_OPTS, 2,
    CMD_ARG_OTHER, cmd_pci_attach_run);
const struct cmd_entry cmd_pci_detach_entry = CMD_VDEV_DETACH(
    "pci-detach", "remove a passed-through PCI device from a domain",
    "[options] <Domain> <PciSpec>", cmd_detach_opts, 2, CMD_ARG_PCI,
    cmd_pci_detach_run);
const struct cmd_entry cmd_pci_list_entry = CMD_VDEV_LIST(
    "pci-list", "list a domain's passed-through PCI devices",
    "[--json] <Domain>", 1, cmd_pci_list_run);

static const struct cmd_opt cmd_pci_assignable_add_opts[] = {
    { 'n', "name", "NAME", "name the device, for pci-assignable-remove" },
    { 0 },
};

static const struct cmd_opt cmd_pci_assignable_remove_opts[] = {
    { 'r', "rebind", NULL, "give the device back to its original driver" },
    { 0 },
};

static const struct cmd_opt cmd_pci_assignable_list_opts[] = {
    { 'n', "show-names", NULL, "print each device's name, if it has one" },
    { 0, "json", NULL, "print the devices as one JSON document" },
    { 0 },
};

const struct cmd_entry cmd_pci_assignable_add_entry = {
    .name = "pci-assignable-add",
    .summary = "make a host PCI device assignable to domains",
    .usage = "[options] <BDF>",
    .opts = cmd_pci_assignable_add_opts,
    .min_args = 1,
    .max_args = 1,
    .first_arg = CMD_ARG_OTHER,
    .run = cmd_pci_assignable_add_run,
};

const struct cmd_entry cmd_pci_assignable_remove_entry = {
    .name = "pci-assignable-remove",
    .summary = "make a host PCI device no longer assignable",
    .usage = "[options] <BDF|Name>",
    .opts = cmd_pci_assignable_remove_opts,
    .min_args = 1,
    .max_args = 1,
    .first_arg = CMD_ARG_OTHER,
    .run = cmd_pci_assignable_remove_run,
};

const struct cmd_entry cmd_pci_assignable_list_entry = {
    .name = "pci-assignable-list",
    .summary = "list the host PCI devices that can be assigned",
    .usage = "[options]",
    .opts = cmd_pci_assignable_list_opts,
    .min_args = 0,
    .max_args = 0,
    .run = cmd_pci_assignable_list_run,
};

const struct cmd_entry cmd_channel_list_entry = CMD_VDEV_LIST(
    "channel-list", "list a domain's channels", "[--json] <Domain> ...", -1,
    cmd_channel_list_run);

const struct cmd_entry cmd_cd_insert_entry = {
    .name = "cd-insert",
    .summary = "insert a medium into an HVM guest's cd drive",
    .usage = "[options] <Domain> <Vdev> <Target>",
    .min_args = 3,
    .max_args = 3,
    .first_arg = CMD_ARG_DOMAIN,
    .rest_args = CMD_ARG_OTHER,
    .flags = CMD_F_OP,
    .run = cmd_cd_insert_run,
};

const struct cmd_entry cmd_cd_eject_entry = {
    .name = "cd-eject",
    .summary = "eject the medium from an HVM guest's cd drive",
    .usage = "[options] <Domain> <Vdev>",
    .min_args = 2,
    .max_args = 2,
    .first_arg = CMD_ARG_DOMAIN,
    .rest_args = CMD_ARG_DISK,
    .flags = CMD_F_OP,
    .run = cmd_cd_eject_run,
};
