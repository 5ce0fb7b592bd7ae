/*
 * Unit tests for core/xlcfg.c: parse small xl.cfg texts written to temp
 * files, with no libxl context (no Xen needed), and check the resulting
 * libxl_domain_config and the exact messages.  Prints TAP.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxl_utils.h>

#include "../../core/xlcfg.h"

static int n, failed;
static char dir[] = "/tmp/test_xlcfg.XXXXXX";
static char path[256], gpath[256];

/* Messages of the last parse, "E: ..." or "W: ...", one a line. */
static char msgs[8192];

/*
 * Every key the parser reads, as the build finds them in its source
 * (tests/unit/xlcfg_reads.awk): what xlcfg_keys must list.
 */
static const char *const read_keys[] = {
#include "xlcfg_reads.h"
    NULL
};

static void check(int cond, const char *title)
{
    n++;
    if (!cond)
        failed++;
    printf("%sok %d - %s\n", cond ? "" : "not ", n, title);
    if (!cond && *msgs)
        printf("#   messages:\n#   %s\n", msgs);
}

static void collect(void *user, int is_error, const char *msg)
{
    size_t len = strlen(msgs);

    (void)user;
    snprintf(msgs + len, sizeof(msgs) - len, "%s%s: %s", len ? "\n#   " : "",
             is_error ? "E" : "W", msg);
}

static void write_file(const char *p, const char *text)
{
    FILE *f = fopen(p, "w");

    if (!f || fputs(text, f) < 0 || fclose(f)) {
        printf("Bail out! cannot write %s\n", p);
        exit(1);
    }
}

/*
 * Parse text (plus overrides, NULL-terminated) into *cfg, which is
 * (re)initialised; global is the xl.conf text or NULL for none.
 */
/* --ignore-global-affinity-masks for the next parse_g() only. */
static bool ignore_masks;

static int parse_g(libxl_domain_config *cfg, const char *global,
                   const char *text, ...)
{
    const char *over[8];
    struct xlcfg_opts o;
    va_list ap;
    int i = 0;

    va_start(ap, text);
    while (i < 7 && (over[i] = va_arg(ap, const char *)))
        i++;
    va_end(ap);
    over[i] = NULL;

    write_file(path, text);
    if (global)
        write_file(gpath, global);
    libxl_domain_config_dispose(cfg);
    libxl_domain_config_init(cfg);
    msgs[0] = '\0';
    memset(&o, 0, sizeof(o));
    o.path = path;
    o.overrides = over;
    o.n_overrides = i;
    o.report = collect;
    o.global_path = global ? gpath : "";
    o.ignore_global_masks = ignore_masks;
    ignore_masks = false;
    return xlcfg_parse(NULL, &o, cfg);
}

#define parse(cfg, ...) parse_g((cfg), NULL, __VA_ARGS__, (const char *)NULL)

/*
 * The keys of a that b lacks, each noted in msgs with why, which a failed
 * check shows; returns how many.  a and b end with NULL.
 */
static int keys_lacking(const char *const *a, const char *const *b,
                        const char *why)
{
    size_t len;
    int i, j, k = 0;

    msgs[0] = '\0';
    for (i = 0; a[i]; i++) {
        for (j = 0; b[j] && strcmp(a[i], b[j]); j++)
            ;
        if (b[j])
            continue;
        len = strlen(msgs);
        snprintf(msgs + len, sizeof(msgs) - len, "%s'%s' %s",
                 len ? "\n#   " : "", a[i], why);
        k++;
    }
    return k;
}

static int has_msg(const char *want)
{
    return strstr(msgs, want) != NULL;
}

static int count_msg(const char *what)
{
    const char *p = msgs;
    int k = 0;

    while ((p = strstr(p, what))) {
        k++;
        p++;
    }
    return k;
}

static int streq(const char *a, const char *b)
{
    return a && b && !strcmp(a, b);
}

static int bits(const libxl_bitmap *m, const char *want)
{
    char got[256] = "";
    int i;

    for (i = 0; i < (int)m->size * 8; i++)
        if (libxl_bitmap_test(m, i))
            snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%d",
                     *got ? "," : "", i);
    return !strcmp(got, want);
}

static const char *pv =
    "name = \"t1\"\n"
    "kernel = \"/lab/guest/vmlinux\"\n"
    "memory = 128\n"
    "vcpus = 2\n";

int main(void)
{
    libxl_domain_config c;
    libxl_domain_build_info *b = &c.b_info;
    char buf[4096], want[512];
    int rc, i, sorted;

    if (!mkdtemp(dir)) {
        printf("Bail out! mkdtemp failed\n");
        return 1;
    }
    snprintf(path, sizeof(path), "%s/t.cfg", dir);
    snprintf(gpath, sizeof(gpath), "%s/xl.conf", dir);
    libxl_domain_config_init(&c);

    /* --- the basics of a PV guest --- */
    rc = parse(&c, pv);
    check(rc == 0 && !*msgs, "minimal pv config parses without messages");
    check(c.c_info.type == LIBXL_DOMAIN_TYPE_PV, "type defaults to pv");
    check(streq(c.c_info.name, "t1"), "name");
    check(b->target_memkb == 131072 && b->max_memkb == 131072,
          "memory sets target and max memory in KiB");
    check(b->max_vcpus == 2 && bits(&b->avail_vcpus, "0,1"),
          "vcpus sets max_vcpus and avail_vcpus");
    check(streq(b->kernel, "/lab/guest/vmlinux"), "kernel");
    check(c.on_poweroff == LIBXL_ACTION_ON_SHUTDOWN_DESTROY &&
          c.on_reboot == LIBXL_ACTION_ON_SHUTDOWN_RESTART &&
          c.on_crash == LIBXL_ACTION_ON_SHUTDOWN_DESTROY &&
          c.on_soft_reset == LIBXL_ACTION_ON_SHUTDOWN_SOFT_RESET,
          "default shutdown actions as xl");
    check(libxl_defbool_val(b->claim_mode) &&
          libxl_defbool_val(c.c_info.run_hotplug_scripts),
          "claim_mode and run_hotplug_scripts default on");
    check(!libxl_uuid_is_nil(&c.c_info.uuid), "a uuid is generated");

    /* --- type, builder and their errors --- */
    rc = parse(&c, "name='x'\ntype='h'\n");
    check(rc == 0 && c.c_info.type == LIBXL_DOMAIN_TYPE_HVM,
          "type accepts a prefix, as xl ('h' is hvm)");
    rc = parse(&c, "name='x'\ntype='pvh'\nkernel='/k'\n");
    check(rc == 0 && c.c_info.type == LIBXL_DOMAIN_TYPE_PVH, "type pvh");
    rc = parse(&c, "name='x'\ntype='xen'\n");
    check(rc == -1 && has_msg("E: invalid value 'xen' for 'type': expected "
                              "pv, pvh or hvm"), "unknown type is an error");
    rc = parse(&c, "name='x'\ntype='pv'\nbuilder='hvm'\nkernel='/k'\n");
    check(rc == -1 && has_msg("E: 'builder' and 'type' contradict each "
                              "other"), "contradicting builder and type");
    rc = parse(&c, "kernel='/k'\n");
    snprintf(want, sizeof(want), "E: config file '%s': 'name' is not set",
             path);
    check(rc == -1 && has_msg(want), "missing name is an error");
    rc = parse(&c, "name='x'\nmemory=64\n");
    check(rc == -1 && has_msg("E: neither 'kernel' nor 'bootloader' is set"),
          "pv without kernel or bootloader is an error");

    /* --- bad values --- */
    rc = parse(&c, "name='x'\nkernel='/k'\nmemory='abc'\n");
    check(rc == -1 && has_msg("E: invalid value 'abc' for 'memory': not a "
                              "number"), "non-numeric memory");
    snprintf(want, sizeof(want), "E: invalid value 'abc' for 'memory': not "
             "a number (config file '%s' line 3)", path);
    check(has_msg(want), "  said with the file and line that set it");
    rc = parse(&c, "name='x'\nkernel='/k'\nmemory=[1]\n");
    check(rc == -1 && has_msg("E: invalid value for 'memory': expected a "
                              "single value, not a list"), "memory list");
    rc = parse(&c, "name='x'\nkernel='/k'\nmemory=1\nmemory+=2\n");
    check(rc == -1 && has_msg("E: invalid value for 'memory': cannot use += "
                              "with a number"), "+= on a number");
    rc = parse(&c, "name='x'\nkernel='/k'\non_poweroff='explode'\n");
    check(rc == -1 && has_msg("E: invalid value 'explode' for "
                              "'on_poweroff': unknown action"),
          "unknown on_poweroff action");
    rc = parse(&c, "name='x'\nkernel='/k'\nvcpus=4\nmaxvcpus=2\n");
    check(rc == -1 && has_msg("E: 'maxvcpus' (2) is less than 'vcpus' (4)"),
          "maxvcpus below vcpus");
    rc = parse(&c, "name='x'\nkernel='/k'\ndisk=['xvda,raw']\n");
    check(rc == -1 && has_msg("E: invalid disk specification 'xvda,raw': "),
          "unparsable disk spec: " "one error line naming the spec");
    rc = parse(&c, "name='x'\nkernel='/k'\ndisk='/d,raw,xvda,rw'\n");
    check(rc == -1 && has_msg("E: invalid value for 'disk': expected a "
                              "list"), "disk must be a list");
    rc = parse(&c, "name='x'\nkernel='/k'\nuuid='not-a-uuid'\n");
    check(rc == -1 && has_msg("E: invalid value 'not-a-uuid' for 'uuid'"),
          "bad uuid");
    rc = parse(&c, "name='x'\nkernel='/k'\ncpus='3-1'\nvcpus=1\n");
    check(rc == -1 && has_msg("E: invalid value '3-1' for 'cpus': not a cpu "
                              "range"), "bad cpu range");
    rc = parse(&c, "name='x'\nkernel='/k'\n"
               "channel=['name=c, connection=socket']\n");
    check(rc == -1 && has_msg("connection=socket requires path"),
          "socket channel without path");
    rc = parse(&c, "name='x'\nkernel='/k'\nvkb=['unique-id=k']\n");
    check(rc == -1 && has_msg("backend-type is required"),
          "vkb without backend-type");

    /* --- file-level errors --- */
    rc = parse(&c, "name = \"x\"\nmemory = = 5\n");
    snprintf(want, sizeof(want), "E: config file '%s' line 2: syntax error "
             "near '='", path);
    check(rc == -1 && has_msg(want), "syntax error names file, line, token");
    rc = parse(&c, "name = \"x\"\nmemory = 5 $\n");
    snprintf(want, sizeof(want), "E: config file '%s' line 2: syntax error "
             "near '$'", path);
    check(rc == -1 && has_msg(want), "lexical error names file and line");
    {
        struct xlcfg_opts o;

        memset(&o, 0, sizeof(o));
        o.path = "/nonexistent/x.cfg";
        o.report = collect;
        o.global_path = "";
        msgs[0] = '\0';
        rc = xlcfg_parse(NULL, &o, &c);
        check(rc == -1 && has_msg("E: config file '/nonexistent/x.cfg': no "
                                  "such file or directory"),
              "missing file");
    }
    rc = parse(&c, "{ \"c_info\": { \"name\": \"j\" } }\n");
    check(rc == -1 && has_msg("needs a connection to xen"),
          "json without a libxl context is refused");

    /* --- unknown keys --- */
    rc = parse(&c, "name='x'\nkernel='/k'\nfrobnicate=1\n"
               "extra='quiet nope=1' # memry = 3\nfrobnicate=2\n");
    /* Said with where it is set last (the setting xl would take). */
    snprintf(want, sizeof(want), "W: unknown key 'frobnicate', ignored "
             "(config file '%s' line 5)", path);
    check(rc == 0 && has_msg(want), "unknown key warns and is ignored");
    check(!has_msg("'nope'") && !has_msg("'memry'") && !has_msg("'quiet'"),
          "no key found inside strings or comments");
    check(count_msg("frobnicate") == 1, "each unknown key is reported once");

    /* A name that would be a path: refused, whoever wrote it. */
    rc = parse(&c, "name = \"../../etc/cron.d/x\"\nkernel = \"/k\"\n");
    check(rc < 0 && has_msg("invalid domain name '../../etc/cron.d/x'") &&
          has_msg("it starts with '.'"), "a name with '..' and '/' is refused");
    rc = parse(&c, pv, "name=\"a/b\"");
    check(rc < 0 && has_msg("it holds '/'"), "so is one set by an override");
    rc = parse(&c, "name = \"x\\ny\"\nkernel = \"/k\"\n");
    check(rc < 0 && has_msg("invalid domain name 'x?y'"),
          "a control character is refused, and not printed");
    rc = parse(&c, pv, "colour=\"red\"");
    check(rc == 0 && has_msg("W: unknown key 'colour', ignored (override "
                             "'colour=\"red\"')"),
          "unknown key in an override");
    /* The table of known keys: xlcfg_parse bisects it. */
    msgs[0] = '\0';
    sorted = 1;
    for (i = 1; xlcfg_keys[i]; i++)
        if (strcmp(xlcfg_keys[i - 1], xlcfg_keys[i]) >= 0)
            sorted = 0;
    check(sorted, "the key table is sorted");
    check(!keys_lacking(read_keys, xlcfg_keys, "is read, and not in "
                        "xlcfg_keys"),
          "every key the parser reads is in the key table");
    check(!keys_lacking(xlcfg_keys, read_keys, "is in xlcfg_keys, and "
                        "nothing reads it"),
          "every key in the key table is read by the parser");

    /* --- overrides --- */
    rc = parse(&c, pv, "memory=512", "name=\"t2\"");
    check(rc == 0 && b->target_memkb == 524288 && streq(c.c_info.name, "t2"),
          "overrides win over the file");
    rc = parse(&c, pv, "vcpus");
    check(rc == -1 && has_msg("E: invalid override 'vcpus': expected "
                              "key=value"), "override without '='");
    rc = parse(&c, pv, "memory=[");
    check(rc == -1 && has_msg("E: override 'memory=[': syntax error"),
          "syntax error in an override names the override");
    rc = parse(&c, pv, "name=g-1");
    check(rc == -1 && count_msg("E: ") == 1 && !count_msg("W: ") &&
          has_msg("E: override 'name=g-1': syntax error near 'g' "
                  "(strings need quotes: key='value')"),
          "an unquoted string override: one error naming the override");

    /* --- kernel command line --- */
    rc = parse(&c, "name='x'\nkernel='/k'\nroot='/dev/xvda1'\n"
               "extra='quiet'\n");
    check(rc == 0 && streq(b->cmdline, "root=/dev/xvda1 quiet"),
          "root and extra make the command line");
    rc = parse(&c, "name='x'\nkernel='/k'\nroot='/dev/xvda1'\n"
               "cmdline='ro'\n");
    check(rc == 0 && streq(b->cmdline, "ro") &&
          has_msg("W: ignoring 'root' and 'extra' in favour of 'cmdline'"),
          "cmdline wins over root/extra, with a warning");
    rc = parse(&c, "name='x'\nkernel='/k'\nextra='a'\nextra+=' b'\n");
    check(rc == 0 && streq(b->cmdline, "a b"), "+= concatenates strings");

    /* --- cpus --- */
    rc = parse(&c, "name='x'\nkernel='/k'\nvcpus=2\ncpus='0-3,^1'\n");
    check(rc == 0 && b->num_vcpu_hard_affinity == 2 &&
          bits(&b->vcpu_hard_affinity[0], "0,2,3") &&
          bits(&b->vcpu_hard_affinity[1], "0,2,3"),
          "cpus string applies to every vcpu");
    check(libxl_defbool_is_default(b->numa_placement),
          "a hard affinity string keeps numa placement");
    rc = parse(&c, "name='x'\nkernel='/k'\nvcpus=2\n"
               "cpus_soft=['1', '2-3', '5']\n");
    check(rc == 0 && b->num_vcpu_soft_affinity == 2 &&
          bits(&b->vcpu_soft_affinity[0], "1") &&
          bits(&b->vcpu_soft_affinity[1], "2,3") &&
          !libxl_defbool_val(b->numa_placement),
          "cpus_soft list: one per vcpu, extras ignored, no placement");
    rc = parse(&c, "name='x'\nkernel='/k'\nvcpus=1\ncpus='all'\n");
    check(rc == 0 && b->vcpu_hard_affinity[0].size * 8 ==
                         XLCFG_NOCTX_MAX_CPUS &&
          libxl_bitmap_is_full(&b->vcpu_hard_affinity[0]),
          "cpus all without a context covers XLCFG_NOCTX_MAX_CPUS");
    rc = parse(&c, "name='x'\nkernel='/k'\nvcpus=1\ncpus='node:0'\n");
    check(rc == -1 && has_msg("numa nodes need a connection to xen"),
          "numa node ranges need a context");

    /* --- devices --- */
    rc = parse(&c, "name='x'\nkernel='/k'\n"
               "disk=['/d/a.img,qcow2,xvda,r']\n"
               "disk+=['vdev=xvdb, access=rw, target=/d/b.img']\n");
    check(rc == 0 && c.num_disks == 2 &&
          streq(c.disks[0].pdev_path, "/d/a.img") &&
          c.disks[0].format == LIBXL_DISK_FORMAT_QCOW2 &&
          c.disks[0].readwrite == 0 && streq(c.disks[1].vdev, "xvdb") &&
          c.disks[1].readwrite == 1, "disks, += appends to a list");
    rc = parse(&c, "name='x'\nkernel='/k'\nvif=['', 'mac=00:16:3e:0a:0b:0c,"
               "bridge=br1, model=e1000, rate=1Mb/s, mtu=1400, frob=1']\n");
    check(rc == 0 && c.num_nics == 2 && c.nics[0].devid == 0 &&
          c.nics[1].devid == 1 && c.nics[1].mac[5] == 0x0c &&
          streq(c.nics[1].bridge, "br1") && streq(c.nics[1].model, "e1000") &&
          c.nics[1].mtu == 1400 && c.nics[1].rate_bytes_per_interval > 0,
          "vif options");
    check(has_msg("W: unknown 'vif' parameter 'frob=1' (ignored)"),
          "unknown vif option warns, as xl carries on");
    rc = parse(&c, "name='x'\nkernel='/k'\nvif=['mac=zz']\n");
    check(rc == -1 && has_msg("E: invalid value 'zz' for 'vif' mac"),
          "bad mac is an error");
    rc = parse(&c, "name='x'\nkernel='/k'\n"
               "vif=['mac=00:16:3e:01:02,bridge=xenbr0']\n");
    check(rc == -1 && has_msg("E: invalid value '00:16:3e:01:02' for 'vif' "
                              "mac"), "a mac of five octets is an error");
    rc = parse(&c, "name='x'\nkernel='/k'\nvif=['mac=00:16:3e:01:02:03x']\n");
    check(rc == -1, "a mac with something after it is an error");
    rc = parse(&c, "name='x'\nkernel='/k'\ncpus='0-18446744073709551614'\n");
    check(rc == 0, "a huge cpu range ends at once");
    rc = parse(&c, "name='x'\nkernel='/k'\npci=['01:00.0,permissive=1']\n");
    check(rc == 0 && c.num_pcidevs == 1 && c.pcidevs[0].bus == 1 &&
          c.pcidevs[0].permissive &&
          libxl_defbool_val(b->u.pv.e820_host),
          "pci on a pv guest turns on e820_host");
    rc = parse(&c, "name='x'\nkernel='/k'\n"
               "p9=['tag=a, security_model=none, path=/a, backend=d1', "
               "'tag=b']\n"
               "vtpm=['backend=d0']\n"
               "channel=['name=n0, connection=pty', "
               "'name=n1, connection=socket, path=/s']\n");
    check(rc == 0 && c.num_p9s == 2 && c.p9s[0].devid == -1 &&
          streq(c.p9s[1].path, "/a") && streq(c.p9s[1].backend_domname, "d1"),
          "p9: later items inherit unset fields, as in xl");
    check(c.num_vtpms == 1 && streq(c.vtpms[0].backend_domname, "d0") &&
          c.num_channels == 2 && c.channels[1].devid == 1 &&
          c.channels[1].connection == LIBXL_CHANNEL_CONNECTION_SOCKET &&
          streq(c.channels[1].u.socket.path, "/s"), "vtpm and channels");
    rc = parse(&c, "name='x'\nkernel='/k'\nvnc=1\nvncdisplay=3\n"
               "keymap='de'\n");
    check(rc == 0 && c.num_vfbs == 1 && c.num_vkbs == 1 &&
          libxl_defbool_val(c.vfbs[0].vnc.enable) &&
          c.vfbs[0].vnc.display == 3 && streq(c.vfbs[0].keymap, "de"),
          "top-level vnc on a pv guest makes a vfb and a vkb");
    rc = parse(&c, "name='x'\ntype='pvh'\nkernel='/k'\n"
               "vsnd=[['card, short-name=S', 'pcm, name=p0', "
               "'stream, unique-id=s0, type=p']]\n"
               "vdispl=['connectors=c0:640x480;c1:800x600']\n");
    check(rc == 0 && c.num_vsnds == 1 && streq(c.vsnds[0].short_name, "S") &&
          c.vsnds[0].num_vsnd_pcms == 1 &&
          c.vsnds[0].pcms[0].num_vsnd_streams == 1 &&
          c.vsnds[0].pcms[0].streams[0].type == LIBXL_VSND_STREAM_TYPE_P &&
          c.num_vdispls == 1 && c.vdispls[0].num_connectors == 2 &&
          c.vdispls[0].connectors[1].width == 800, "vsnd and vdispl");

    /* --- hvm --- */
    rc = parse(&c, "name='h'\ntype='hvm'\nfirmware='uefi'\nboot='dc'\n"
               "vga='stdvga'\nserial=['pty','null']\n"
               "viridian=['defaults','!apic_assist']\nvnc=1\n"
               "usbdevice='tablet'\nkernel='/x/hvmloader'\n");
    check(rc == 0 && b->u.hvm.bios == LIBXL_BIOS_TYPE_OVMF &&
          streq(b->u.hvm.boot, "dc") &&
          b->u.hvm.vga.kind == LIBXL_VGA_INTERFACE_TYPE_STD &&
          streq(b->u.hvm.serial_list[1], "null") &&
          libxl_defbool_val(b->u.hvm.viridian) &&
          libxl_bitmap_test(&b->u.hvm.viridian_disable,
                            LIBXL_VIRIDIAN_ENLIGHTENMENT_APIC_ASSIST) &&
          libxl_defbool_val(b->u.hvm.vnc.enable) &&
          streq(b->u.hvm.usbdevice, "tablet") && !b->kernel,
          "hvm options; hvmloader as kernel is dropped");
    rc = parse(&c, "name='h'\nbuilder='hvm'\nstdvga=0\nviridian=1\n"
               "tsc_mode=1\ngfx_passthru=1\n");
    check(rc == 0 && b->u.hvm.vga.kind == LIBXL_VGA_INTERFACE_TYPE_CIRRUS &&
          libxl_defbool_val(b->u.hvm.viridian) &&
          b->tsc_mode == LIBXL_TSC_MODE_ALWAYS_EMULATE &&
          libxl_defbool_val(b->u.hvm.gfx_passthru) &&
          has_msg("W: 'tsc_mode' as a number is deprecated, use "
                  "tsc_mode=\"always_emulate\""),
          "legacy hvm spellings");
    rc = parse(&c, "name='h'\ntype='hvm'\nmsr_relaxed=1\n");
    check(rc == 0 && libxl_defbool_val(b->arch_x86.msr_relaxed) &&
          has_msg("W: 'msr_relaxed' is deprecated and may go away: if a "
                  "guest needs it, tell the Xen developers "
                  "(xen-devel@lists.xenproject.org)"),
          "msr_relaxed is set, with a warning");

    /* --- cpuid --- */
    rc = parse(&c, "name='x'\nkernel='/k'\ncpuid='host,frob=1'\n");
    check(rc == -1 && has_msg("E: cpuid: unknown feature 'frob'"),
          "cpuid: unknown feature");
    rc = parse(&c, "name='x'\nkernel='/k'\ncpuid='host,aes'\n");
    check(rc == -1 && has_msg("E: cpuid: 'aes' is not feature=value"),
          "cpuid: feature without a value");
    rc = parse(&c, "name='x'\nkernel='/k'\ncpuid='host,aes=q'\n");
    check(rc == -1 && has_msg("E: cpuid: bad setting 'q' for feature 'aes' "
                              "(0, 1, x, k or s)"),
          "cpuid: bad feature setting");
    rc = parse(&c, "name='x'\nkernel='/k'\ncpuid='aes=1'\n");
    check(rc == -1 && has_msg("E: cpuid: 'aes=1' does not start with "
                              "'host'"), "cpuid: 'host' comes first");
    rc = parse(&c, "name='x'\nkernel='/k'\ncpuid=['zz:eax=0']\n");
    check(rc == -1 && has_msg("E: cpuid: cannot apply 'zz:eax=0': the leaf "
                              "is not a number"), "cpuid: xend bad leaf");
    rc = parse(&c, "name='x'\nkernel='/k'\ncpuid=['1']\n");
    check(rc == -1 && has_msg("E: cpuid: cannot apply '1': no ':' after the "
                              "leaf"), "cpuid: xend leaf without colon");
    rc = parse(&c, "name='x'\nkernel='/k'\ncpuid=['1:efx=0']\n");
    check(rc == -1 && has_msg("E: cpuid: cannot apply '1:efx=0': the "
                              "register is not eax, ebx, ecx or edx"),
          "cpuid: xend bad register");
    rc = parse(&c, "name='x'\nkernel='/k'\ncpuid=['1:eax=01']\n");
    check(rc == -1 && has_msg("E: cpuid: cannot apply '1:eax=01': the "
                              "register needs 32 characters of 0, 1, x, k "
                              "or s"), "cpuid: xend short register");

    /* --- numbers refused, not wrapped --- */
    rc = parse(&c, "name='x'\nkernel='/k'\nirqs=['+5']\n");
    check(rc == -1 && has_msg("E: invalid value '+5' for 'irqs': not an irq "
                              "number"), "a signed irq is refused");
    rc = parse(&c, "name='x'\nkernel='/k'\nioports=['3f8-3ff', ' 60']\n"
               "iomem=['a0,2@b0']\n");
    check(rc == 0 && b->num_ioports == 2 && b->ioports[0].first == 0x3f8 &&
          b->ioports[0].number == 8 && b->ioports[1].first == 0x60 &&
          b->num_iomem == 1 && b->iomem[0].gfn == 0xb0,
          "ioports and iomem in hex");

    rc = parse(&c, "name='p'\ntimer_mode='delay_for_missed_ticks'\n"
               "kernel='/k'\n");
    check(rc == -1 && has_msg("'timer_mode' is not supported for pv"),
          "timer_mode on pv is an error");
    rc = parse(&c, "name='h'\ntype='hvm'\n"
               "rdm='strategy=host,policy=strict'\n");
    check(rc == 0 && has_msg("W: ignoring invalid rdm specification"),
          "rdm with policy is ignored, as xl (libxlutil 4.17 bug)");
    rc = parse(&c, "name='h'\ntype='hvm'\nrdm='strategy=host'\n");
    check(rc == 0 &&
          b->u.hvm.rdm.strategy == LIBXL_RDM_RESERVE_STRATEGY_HOST,
          "rdm strategy");

    /* --- pv firmware, bootloader, numa --- */
    rc = parse(&c, "name='x'\nfirmware='pvgrub64'\n");
    check(rc == 0 && streq(b->kernel, XLCFG_XENFIRMWAREDIR "/pvgrub64.bin"),
          "pv firmware becomes the pvgrub kernel");
    rc = parse(&c, "name='x'\nbootloader='pygrub'\n"
               "bootloader_args='-q  --entry=1'\n");
    check(rc == 0 && streq(b->bootloader_args[0], "-q") &&
          streq(b->bootloader_args[1], "--entry=1") &&
          !b->bootloader_args[2] &&
          has_msg("W: 'bootloader_args' as a string is deprecated"),
          "bootloader_args as a string is split, with a warning");
    rc = parse(&c, "name='x'\nkernel='/k'\nvnuma=[['pnode=0']]\n");
    check(rc == -1 && has_msg("E: 'vnuma' needs a connection to xen"),
          "vnuma needs a context");

    /* --- global configuration --- */
    rc = parse_g(&c, "vif.default.bridge = \"xenbr9\"\n"
                 "vif.default.script = \"vif-x\"\n"
                 "max_grant_frames = 32\nblkdev_start = \"xvdb\"\n"
                 "claim_mode = 0\nvm.pv.cpumask = \"0-1\"\n",
                 "name='x'\nkernel='/k'\nvcpus=2\nvif=['','bridge=b2']\n",
                 (const char *)NULL);
    check(rc == 0 && streq(c.nics[0].bridge, "xenbr9") &&
          streq(c.nics[0].script, "vif-x") && streq(c.nics[1].bridge, "b2"),
          "xl.conf vif defaults, overridden per vif");
    check(b->max_grant_frames == 32 && streq(b->blkdev_start, "xvdb") &&
          !libxl_defbool_val(b->claim_mode),
          "xl.conf max_grant_frames, blkdev_start, claim_mode");
    check(b->num_vcpu_hard_affinity == 2 &&
          bits(&b->vcpu_hard_affinity[1], "0,1"),
          "xl.conf vm.pv.cpumask restricts every vcpu");
    rc = parse_g(&c, "vm.cpumask = \"2\"\n",
                 "name='x'\nkernel='/k'\nvcpus=1\ncpus='0'\n",
                 (const char *)NULL);
    check(rc == -1 && has_msg("E: the hard affinity of vcpu 0 is empty"),
          "affinity outside vm.cpumask is an error, as in xl");
    ignore_masks = true;
    rc = parse_g(&c, "vm.cpumask = \"2\"\n",
                 "name='x'\nkernel='/k'\nvcpus=1\ncpus='0'\n",
                 (const char *)NULL);
    check(rc == 0 && b->num_vcpu_hard_affinity == 1 &&
          bits(&b->vcpu_hard_affinity[0], "0"),
          "--ignore-global-affinity-masks: vm.cpumask is not applied");

    /* --- the json libxl prints (no context needed) --- */
    rc = parse(&c, pv, "uuid=\"11111111-2222-4333-8444-555555555555\"");
    {
        char *json = rc ? NULL : libxl_domain_config_to_json(NULL, &c);

        snprintf(buf, sizeof(buf), "%s", json ? json : "");
        free(json);
    }
    check(strstr(buf, "\"uuid\": \"11111111-2222-4333-8444-555555555555\"") &&
          strstr(buf, "\"avail_vcpus\": [\n            0,\n            1\n") &&
          strstr(buf, "\"on_soft_reset\": \"soft_reset\""),
          "domain config converts to json");

    /* --- one device from command-line words --- */
    {
        const char *w1[] = { "format=raw, vdev=xvdb, target=/srv/d.img" };
        const char *w2[] = { "phy:/dev/vg/d,xvdc,r" };
        const char *w3[] = { "vdev=xvdb" };
        const char *n1[] = { "bridge=br9", "mac=00:16:3e:01:02:03",
                             "type=vif" };
        const char *n2[] = { "colour=blue" };
        const char *n3[] = { "bridge" };
        libxl_device_disk d;
        libxl_device_nic v;
        struct xlcfg_opts o;

        memset(&o, 0, sizeof(o));
        o.report = collect;
        o.global_path = "";
        libxl_device_disk_init(&d);
        msgs[0] = '\0';
        o.overrides = w1;
        o.n_overrides = 1;
        rc = xlcfg_disk_spec(&o, &d);
        check(rc == 0 && streq(d.vdev, "xvdb") &&
              streq(d.pdev_path, "/srv/d.img") &&
              d.format == LIBXL_DISK_FORMAT_RAW && d.readwrite,
              "block-attach: a key=value disk specification");
        libxl_device_disk_dispose(&d);
        libxl_device_disk_init(&d);
        o.overrides = w2;
        rc = xlcfg_disk_spec(&o, &d);
        check(rc == 0 && streq(d.vdev, "xvdc") &&
              streq(d.pdev_path, "/dev/vg/d") && !d.readwrite,
              "block-attach: a positional disk specification");
        libxl_device_disk_dispose(&d);
        libxl_device_disk_init(&d);
        msgs[0] = '\0';
        o.overrides = w3;
        rc = xlcfg_disk_spec(&o, &d);
        check(rc == -1 && count_msg("E: ") == 1 &&
              has_msg("disk specification 'vdev=xvdb'"),
              "block-attach: a disk with no target is one error naming it");
        libxl_device_disk_dispose(&d);

        libxl_device_nic_init(&v);
        o.overrides = n1;
        o.n_overrides = 3;
        rc = xlcfg_nic_spec(&o, &v);
        check(rc == 0 && streq(v.bridge, "br9") && v.mac[5] == 3 &&
              v.nictype == LIBXL_NIC_TYPE_VIF && v.devid == -1,
              "network-attach: key=value parameters; libxl picks the id");
        libxl_device_nic_dispose(&v);
        libxl_device_nic_init(&v);
        msgs[0] = '\0';
        o.overrides = n2;
        o.n_overrides = 1;
        rc = xlcfg_nic_spec(&o, &v);
        check(rc == -1 && has_msg("E: unknown network device parameter "
                                  "'colour=blue'"),
              "network-attach: an unknown parameter is an error");
        libxl_device_nic_dispose(&v);
        libxl_device_nic_init(&v);
        msgs[0] = '\0';
        o.overrides = n3;
        rc = xlcfg_nic_spec(&o, &v);
        check(rc == -1 && count_msg("E: ") == 1 &&
              has_msg("'bridge': expected key=value"),
              "network-attach: a bare word is an error");
        libxl_device_nic_dispose(&v);
        libxl_device_nic_init(&v);
        write_file(gpath, "vif.default.bridge = \"brg\"\n");
        o.global_path = gpath;
        o.n_overrides = 0;
        rc = xlcfg_nic_spec(&o, &v);
        check(rc == 0 && streq(v.bridge, "brg"),
              "network-attach: xl.conf's vif defaults apply");
        libxl_device_nic_dispose(&v);
    }

    /* --- the other device kinds from command-line words --- */
    {
        const char *t1[] = { "uuid=11111111-2222-4333-8444-555555555555",
                             "backend=0" };
        const char *t2[] = { "backend" };
        const char *k1[] = { "backend-type=linux", "unique-id=k0" };
        const char *k2[] = { "unique-id=k0" };
        const char *d1[] = { "backend=0", "connectors=c0:800x600;c1:64x48" };
        const char *s1[] = { "card, short-name=sc", "pcm, name=p0",
                             "stream, unique-id=s0, type=p" };
        const char *u1[] = { "hostbus=1", "hostaddr=3" };
        const char *c1[] = { "type=pv", "version=2", "ports=4" };
        const char *p1[] = { "0000:00:02.1,permissive=1" };
        libxl_device_vtpm t;
        libxl_device_vkb k;
        libxl_device_vdispl dp;
        libxl_device_vsnd sn;
        libxl_device_usbdev ud;
        libxl_device_usbctrl uc;
        libxl_device_pci pc;
        struct xlcfg_opts o;

        memset(&o, 0, sizeof(o));
        o.report = collect;
        o.global_path = "";
#define SPEC(words, key, dev)                                              \
    (o.overrides = (words), o.n_overrides = sizeof(words) / sizeof(*words), \
     msgs[0] = '\0', xlcfg_dev_spec(&o, (key), (dev)))
        libxl_device_vtpm_init(&t);
        rc = SPEC(t1, "vtpm", &t);
        check(rc == 0 && streq(t.backend_domname, "0") && t.devid == -1 &&
              t.uuid.uuid[0] == 0x11, "vtpm-attach: uuid= and backend=");
        libxl_device_vtpm_dispose(&t);
        libxl_device_vtpm_init(&t);
        o.n_overrides = 0;
        msgs[0] = '\0';
        check(xlcfg_dev_spec(&o, "vtpm", &t) == 0,
              "vtpm-attach: no words, as xl (libxl picks the backend)");
        libxl_device_vtpm_dispose(&t);
        libxl_device_vtpm_init(&t);
        rc = SPEC(t2, "vtpm", &t);
        check(rc == -1 && count_msg("E: ") == 1 &&
              has_msg("invalid vtpm parameter 'backend': expected key=value"),
              "vtpm-attach: a bare word is one error");
        libxl_device_vtpm_dispose(&t);

        libxl_device_vkb_init(&k);
        rc = SPEC(k1, "vkb", &k);
        check(rc == 0 && k.backend_type == LIBXL_VKB_BACKEND_LINUX &&
              streq(k.unique_id, "k0"), "vkb-attach: backend-type, id");
        libxl_device_vkb_dispose(&k);
        libxl_device_vkb_init(&k);
        rc = SPEC(k2, "vkb", &k);
        check(rc == -1 && has_msg("backend-type is required"),
              "vkb-attach: backend-type is required, as in xl");
        libxl_device_vkb_dispose(&k);

        libxl_device_vdispl_init(&dp);
        rc = SPEC(d1, "vdispl", &dp);
        check(rc == 0 && dp.num_connectors == 2 &&
              streq(dp.connectors[1].unique_id, "c1") &&
              dp.connectors[1].height == 48, "vdispl-attach: connectors");
        libxl_device_vdispl_dispose(&dp);
        libxl_device_vdispl_init(&dp);
        o.n_overrides = 0;
        msgs[0] = '\0';
        check(xlcfg_dev_spec(&o, "vdispl", &dp) == -1 &&
              has_msg("at least one connector is required"),
              "vdispl-attach: a connector is required, as in xl");
        libxl_device_vdispl_dispose(&dp);

        libxl_device_vsnd_init(&sn);
        rc = SPEC(s1, "vsnd", &sn);
        check(rc == 0 && streq(sn.short_name, "sc") && sn.num_vsnd_pcms == 1 &&
              sn.pcms[0].num_vsnd_streams == 1 &&
              streq(sn.pcms[0].streams[0].unique_id, "s0"),
              "vsnd-attach: each word one item of the card");
        libxl_device_vsnd_dispose(&sn);

        libxl_device_usbdev_init(&ud);
        rc = SPEC(u1, "usbdev", &ud);
        check(rc == 0 && ud.u.hostdev.hostbus == 1 &&
              ud.u.hostdev.hostaddr == 3 && ud.ctrl == -1,
              "usbdev-attach: hostbus, hostaddr; libxl picks the port");
        libxl_device_usbdev_dispose(&ud);
        libxl_device_usbctrl_init(&uc);
        rc = SPEC(c1, "usbctrl", &uc);
        check(rc == 0 && uc.type == LIBXL_USBCTRL_TYPE_PV &&
              uc.version == 2 && uc.ports == 4, "usbctrl-attach: type, "
              "version, ports");
        libxl_device_usbctrl_dispose(&uc);

        libxl_device_pci_init(&pc);
        rc = SPEC(p1, "pci", &pc);
        check(rc == 0 && pc.dev == 2 && pc.func == 1 && pc.permissive,
              "pci-attach: a PCI specification");
        libxl_device_pci_dispose(&pc);
#undef SPEC
    }

    /*
     * Found by tests/fuzz: a NUL byte inside a quoted string made
     * libxlutil's lexer abort on an assertion; it is refused first.
     */
    {
        static const char nul[] = "name = \"a\0b\"\nmemory = 64\n";
        struct xlcfg_opts o;
        FILE *f;

        memset(&o, 0, sizeof(o));
        o.path = "nul.cfg";
        o.report = collect;
        o.global_path = "";
        o.text = nul;
        o.text_len = sizeof(nul) - 1;
        libxl_domain_config_dispose(&c);
        libxl_domain_config_init(&c);
        msgs[0] = '\0';
        rc = xlcfg_parse(NULL, &o, &c);
        check(rc == -1 && count_msg("E: ") == 1 &&
              has_msg("E: config file 'nul.cfg': contains a NUL byte"),
              "a NUL byte in a config is one error, not an abort");

        f = fopen(gpath, "w");
        if (!f || fwrite(nul, 1, sizeof(nul) - 1, f) != sizeof(nul) - 1 ||
            fclose(f)) {
            printf("Bail out! cannot write %s\n", gpath);
            return 1;
        }
        o.text = "name = \"g\"\nmemory = 64\n";
        o.text_len = strlen(o.text);
        o.global_path = gpath;
        libxl_domain_config_dispose(&c);
        libxl_domain_config_init(&c);
        msgs[0] = '\0';
        rc = xlcfg_parse(NULL, &o, &c);
        check(rc == -1 && has_msg("contains a NUL byte"),
              "a NUL byte in xl.conf is an error, not an abort");
    }

    /*
     * Found by tests/fuzz: words longer together than the message buffer
     * made xlcfg_disk_spec and xlcfg_dev_spec point past it (UBSan).
     */
    {
        char big[400];
        const char *w[3] = { big, big, big };
        libxl_device_disk d;
        libxl_device_vtpm t;
        struct xlcfg_opts o;

        memset(big, 'x', sizeof(big) - 1);
        big[sizeof(big) - 1] = '\0';
        memcpy(big, "vdev=", 5);
        memset(&o, 0, sizeof(o));
        o.report = collect;
        o.global_path = "";
        o.overrides = w;
        o.n_overrides = 3;
        libxl_device_disk_init(&d);
        msgs[0] = '\0';
        rc = xlcfg_disk_spec(&o, &d);
        check(rc == -1 && count_msg("E: ") == 1 &&
              has_msg("disk specification 'vdev=xxx"),
              "block-attach: 1200 characters of words, one error");
        libxl_device_disk_dispose(&d);
        memcpy(big, "uuid=", 5);
        libxl_device_vtpm_init(&t);
        msgs[0] = '\0';
        rc = xlcfg_dev_spec(&o, "vtpm", &t);
        check(rc == -1 && count_msg("E: ") == 1,
              "vtpm-attach: 1200 characters of words, one error");
        libxl_device_vtpm_dispose(&t);
    }

    /*
     * Found by tests/fuzz: libxlutil's disk lexer exits the process on a
     * newline in the words, and its pci parser crashes on a malformed
     * address or key; both are refused before libxlutil sees them.
     */
    {
        const char *w[] = { "vdev=xvdb\n\n\ntarget=/x" };
        static const char *const pcis[] = {
            "pci = [ \"0000:01:0\xcc.0\" ]\n",
            "pci = [ \"0000:01=1,vnclisten=127.0.0.1\" ]\n",
            "pci = [ \"01:00.0,colour=blue\" ]\n",
        };
        libxl_device_disk d;
        struct xlcfg_opts o;
        char text[200];
        unsigned k;

        memset(&o, 0, sizeof(o));
        o.report = collect;
        o.global_path = "";
        o.overrides = w;
        o.n_overrides = 1;
        libxl_device_disk_init(&d);
        msgs[0] = '\0';
        rc = xlcfg_disk_spec(&o, &d);
        check(rc == -1 && has_msg("holds a control character"),
              "block-attach: a newline in the words is an error, not an "
              "exit");
        libxl_device_disk_dispose(&d);
        for (k = 0; k < sizeof(pcis) / sizeof(pcis[0]); k++) {
            snprintf(text, sizeof(text), "name = \"p\"\nmemory = 64\n%s",
                     pcis[k]);
            memset(&o, 0, sizeof(o));
            o.path = "pci.cfg";
            o.report = collect;
            o.global_path = "";
            o.text = text;
            o.text_len = strlen(text);
            libxl_domain_config_dispose(&c);
            libxl_domain_config_init(&c);
            msgs[0] = '\0';
            rc = xlcfg_parse(NULL, &o, &c);
            check(rc == -1 && has_msg("invalid pci specification"),
                  "a malformed pci item is an error, not a crash");
        }
    }

    /*
     * Found by tests/fuzz: a disk specification holding the words of
     * libxlutil's Python guess failed with no message at all.
     */
    {
        const char *w[] = { "vdev=xvdb looks like it contains Python" };
        libxl_device_disk d;
        struct xlcfg_opts o;

        memset(&o, 0, sizeof(o));
        o.report = collect;
        o.global_path = "";
        o.overrides = w;
        o.n_overrides = 1;
        libxl_device_disk_init(&d);
        msgs[0] = '\0';
        rc = xlcfg_disk_spec(&o, &d);
        check(rc == -1 && count_msg("E: ") == 1 &&
              has_msg("E: invalid disk specification 'vdev=xvdb looks"),
              "block-attach: words like a python guess, still one error");
        libxl_device_disk_dispose(&d);
    }

    libxl_domain_config_dispose(&c);
    unlink(path);
    unlink(gpath);
    rmdir(dir);
    printf("1..%d\n", n);
    return failed ? 1 : 0;
}
