/*
 * xlcfg: xl.cfg(5) and libxl JSON domain configurations.
 *
 * The semantics (which key sets which libxl field, defaults, order, the
 * quirks) follow xl 4.17's parse_config_data() and create_domain() so that
 * `axl create -n` prints what `xl -N create` prints.  Where xl only warns
 * about a malformed value and carries on, axl reports an error instead.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <unistd.h>

#include <libxl.h>
#include <libxl_utils.h>
#include <libxlutil.h>
#include <xen/hvm/e820.h>
#include <xen/hvm/params.h>
#include <xen/io/kbdif.h>
#include <xen/io/sndif.h>

#include "xlcfg.h"

const char *const xlcfg_keys[] = {
    "acpi", "acpi_firmware", "acpi_laptop_slate", "acpi_s3", "acpi_s4",
    "altp2m", "altp2mhvm", "apic", "bios", "bios_path_override", "boot",
    "bootloader", "bootloader_args", "builder", "cap", "channel", "cmdline",
    "cpu_weight", "cpuid", "cpus", "cpus_soft", "device_model",
    "device_model_args", "device_model_args_hvm", "device_model_args_pv",
    "device_model_override", "device_model_stubdomain_override",
    "device_model_stubdomain_seclabel", "device_model_user",
    "device_model_version", "device_tree", "disk", "display", "dm_restrict",
    "driver_domain", "dtdev", "e820_host", "extra", "extratime", "firmware",
    "firmware_override", "gfx_passthru", "gic_version", "hap", "hdtype",
    "hpet", "init_seclabel", "iomem", "ioports", "irqs", "kernel", "keymap",
    "latency", "localtime", "max_event_channels", "max_grant_frames",
    "max_grant_version", "max_maptrack_frames", "maxmem", "maxvcpus",
    "mca_caps", "memory", "mmio_hole", "ms_vm_genid", "msr_relaxed", "name",
    "nestedhvm", "nographic", "nomigrate", "nx", "on_crash", "on_poweroff",
    "on_reboot", "on_soft_reset", "on_watchdog", "oos", "opengl", "p9",
    "pae", "passthrough", "pci", "pci_msitranslate", "pci_permissive",
    "pci_power_mgmt", "pci_seize", "period", "pool", "pvcalls", "pvshim",
    "pvshim_cmdline", "pvshim_extra", "pvshim_path", "ramdisk", "rdm",
    "rdm_mem_boundary", "root", "rtc_timeoffset", "sdl", "seclabel",
    "serial", "shadow_memory", "slice", "smbios_firmware", "soundhw",
    "spice", "spice_clipboard_sharing", "spice_image_compression",
    "spice_streaming_video", "spiceagent_mouse", "spicedisable_ticketing",
    "spicehost", "spicepasswd", "spiceport", "spicetls_port",
    "spiceusbredirection", "spicevdagent", "stdvga", "stubdomain_cmdline",
    "stubdomain_kernel", "stubdomain_memory", "stubdomain_ramdisk", "tee",
    "timer_mode", "tsc_mode", "type", "usb", "usbctrl", "usbdev",
    "usbdevice", "usbversion", "uuid", "vcpus", "vdispl", "vendor_device",
    "vfb", "vga", "videoram", "vif", "vif2", "viridian", "vkb",
    "vkb_device", "vmtrace_buf_kb", "vnc", "vncdisplay", "vnclisten",
    "vncpasswd", "vncunused", "vncviewer", "vnuma", "vpmu", "vpt_align",
    "vsnd", "vtpm", "vuart", "xauthority", "xen_platform_pci",
    "xend_suspend_evtchn_compat",
    NULL
};

/* xl.conf settings that end up in a domain configuration. */
struct xlcfg_global {
    int run_hotplug_scripts;
    char *vifscript;
    char *bridge;
    char *gatewaydev;
    char *vifbackend;
    char *blkdev_start;
    int claim_mode;
    long max_grant_frames;
    long max_maptrack_frames;
    long max_grant_version;
    libxl_bitmap vm_mask;
    libxl_bitmap hvm_mask;
    libxl_bitmap pv_mask;
};

/* One parse: where messages go and what libxlutil said. */
struct xlcfg_st {
    libxl_ctx *ctx;
    const struct xlcfg_opts *opts;
    XLU_Config *xlu;
    FILE *rep;              /* libxlutil's report stream (memstream) */
    char *rep_buf;
    size_t rep_size;
    size_t rep_off;         /* how much of rep_buf was already handled */
    const char *source;     /* the name libxlutil prefixes messages with */
    int ovr_line;           /* first line of the appended overrides */
    int cur_ovr;            /* override being checked alone, or -1 */
    int py_warned;
    int syntax_said;        /* syntax errors seen; only the first is said */
    int strict;             /* a command line: unknown parameters are errors */
    struct xlcfg_global g;
    char errbuf[128];
};

/* ---------------------------------------------------------------------
 * Messages
 */

static void xlcfg_vsay(struct xlcfg_st *st, int is_error, const char *fmt,
                       va_list ap)
{
    char *msg = NULL;

    if (vasprintf(&msg, fmt, ap) < 0) {
        st->opts->report(st->opts->user, is_error, "out of memory");
        return;
    }
    st->opts->report(st->opts->user, is_error, msg);
    free(msg);
}

/* Report an error; returns -1 so callers can `return xlcfg_err(...)`. */
static int __attribute__((format(printf, 2, 3)))
xlcfg_err(struct xlcfg_st *st, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    xlcfg_vsay(st, 1, fmt, ap);
    va_end(ap);
    return -1;
}

static void __attribute__((format(printf, 2, 3)))
xlcfg_warn(struct xlcfg_st *st, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    xlcfg_vsay(st, 0, fmt, ap);
    va_end(ap);
}

/* strerror() with a lowercase first letter, as axl's messages want. */
static const char *xlcfg_strerror(struct xlcfg_st *st, int e)
{
    snprintf(st->errbuf, sizeof(st->errbuf), "%s", strerror(e));
    st->errbuf[0] = tolower((unsigned char)st->errbuf[0]);
    return st->errbuf;
}

/* Where a line of the combined text came from, for messages. */
static void xlcfg_where(struct xlcfg_st *st, int line, char *buf,
                        size_t len)
{
    if (st->cur_ovr >= 0) {
        snprintf(buf, len, "override '%s'", st->opts->overrides[st->cur_ovr]);
        return;
    }
    if (st->ovr_line > 0 && line >= st->ovr_line) {
        int i = line - st->ovr_line;

        if (i < st->opts->n_overrides) {
            snprintf(buf, len, "override '%s'", st->opts->overrides[i]);
            return;
        }
    }
    snprintf(buf, len, "config file '%s' line %d", st->source, line);
}

/*
 * For a syntax error in an override whose value is a bare word (name=web),
 * the likely fix: xl.cfg strings are quoted, and the shell ate the quotes.
 */
static const char *xlcfg_quote_hint(struct xlcfg_st *st)
{
    const char *v;

    if (st->cur_ovr < 0)
        return "";
    v = strchr(st->opts->overrides[st->cur_ovr], '=');
    v = v ? v + 1 + strspn(v + 1, " \t") : "";
    if (!isalpha((unsigned char)*v) && *v != '/' && *v != '.')
        return "";
    return " (strings need quotes: key='value')";
}

/*
 * Turn one line libxlutil wrote to its report stream into an axl
 * message.  what, if not NULL, names the value being parsed ("disk
 * specification '...'"); is_error says how to report it.
 */
static void xlcfg_rep_line(struct xlcfg_st *st, char *line,
                           const char *what, int is_error)
{
    static const char *const noise[] = {
        "config parsing error in disk specification: ",
        "config parsing error in vif: ",
        "warning: ",
    };
    size_t srclen = strlen(st->source);
    char *p = line, *q, where[512];
    size_t n;
    long lineno = 0;
    unsigned i;

    n = strlen(p);
    while (n > 0 && (p[n - 1] == '\n' || p[n - 1] == ' ' ||
                     p[n - 1] == '.'))
        p[--n] = '\0';
    if (!*p)
        return;

    if (strstr(p, "looks like it contains Python")) {
        /* An override is one line; the guess is only noise there. */
        if (!st->py_warned && st->cur_ovr < 0)
            xlcfg_warn(st, "config file '%s' looks like python code, "
                       "which xl config files cannot contain", st->source);
        st->py_warned = 1;
        return;
    }
    if (!strncmp(p, "warning:  ", 10))
        return;     /* the rest of the python explanation */

    if (!strncmp(p, st->source, srclen) && p[srclen] == ':') {
        p += srclen + 1;
        if (isdigit((unsigned char)*p)) {
            lineno = strtol(p, &q, 10);
            p = q;
            if (*p == ':')
                p++;
            /* value messages add a column */
            if (isdigit((unsigned char)*p)) {
                strtol(p, &q, 10);
                p = q;
                if (*p == ':')
                    p++;
            }
        }
        while (*p == ' ')
            p++;
    }

    if (lineno > 0 && !strncmp(p, "config parsing error near ", 26)) {
        const char *msg, *tok = "end of input";
        char *end;

        /* The parser goes on after an error; the first one is the one. */
        if (st->syntax_said++)
            return;
        p += 26;
        xlcfg_where(st, (int)lineno, where, sizeof(where));
        if (*p == '`') {
            tok = ++p;
            end = strstr(p, "': ");
            if (!end)
                end = strstr(p, "'<newline>: ");
            if (!end) {
                xlcfg_err(st, "%s: syntax error", where);
                return;
            }
            *end = '\0';
            msg = strstr(end + 1, ": ") + 2;
            if (!*tok)
                tok = "end of input";
        } else {
            if (!strncmp(p, "<newline>", 9))
                tok = "end of line";
            q = strstr(p, ": ");
            msg = q ? q + 2 : "syntax error";
        }
        if (!strncmp(msg, "syntax error", 12) ||
            !strcmp(msg, "lexical error"))
            msg = "syntax error";
        if (*tok == 'e' && (!strcmp(tok, "end of input") ||
                            !strcmp(tok, "end of line")))
            xlcfg_err(st, "%s: %s at %s", where, msg, tok);
        else
            xlcfg_err(st, "%s: %s near '%s'%s", where, msg, tok,
                      xlcfg_quote_hint(st));
        return;
    }

    for (i = 0; i < sizeof(noise) / sizeof(noise[0]); i++) {
        n = strlen(noise[i]);
        if (!strncmp(p, noise[i], n))
            p += n;
    }
    /* disk and vif messages repeat the spec, which `what` already has */
    if (what && (q = strstr(p, " in `")) != NULL)
        *q = '\0';
    if ((q = strstr(p, ": near `")) != NULL)
        memmove(q, q + 1, strlen(q + 1) + 1);
    for (q = p; *q; q++)
        if (*q == '`')
            *q = '\'';
    *p = tolower((unsigned char)*p);

    if (what && lineno > 0) {
        xlcfg_where(st, (int)lineno, where, sizeof(where));
        if (is_error)
            xlcfg_err(st, "%s: invalid %s: %s", where, what, p);
        else
            xlcfg_warn(st, "%s: %s: %s", where, what, p);
    } else if (what) {
        if (is_error)
            xlcfg_err(st, "invalid %s: %s", what, p);
        else
            xlcfg_warn(st, "%s: %s", what, p);
    } else if (lineno > 0) {
        xlcfg_where(st, (int)lineno, where, sizeof(where));
        if (is_error)
            xlcfg_err(st, "%s: %s", where, p);
        else
            xlcfg_warn(st, "%s: %s", where, p);
    } else if (is_error) {
        xlcfg_err(st, "%s", p);
    } else {
        xlcfg_warn(st, "%s", p);
    }
}

/*
 * Report whatever libxlutil wrote since the last call.  Returns the
 * number of lines reported.
 */
static int xlcfg_drain(struct xlcfg_st *st, const char *what, int is_error)
{
    int n = 0;

    if (!st->rep)
        return 0;
    fflush(st->rep);
    while (st->rep_off < st->rep_size) {
        char *start = st->rep_buf + st->rep_off;
        char *nl = memchr(start, '\n', st->rep_size - st->rep_off);
        size_t len = nl ? (size_t)(nl - start) + 1
                        : st->rep_size - st->rep_off;
        char *line = strndup(start, len);

        st->rep_off += len;
        if (!line)
            return n;
        xlcfg_rep_line(st, line, what, is_error);
        free(line);
        n++;
    }
    return n;
}

/* ---------------------------------------------------------------------
 * Strict accessors.  Each returns 0 when the key is set and valid, 1 when
 * it is absent, -1 after reporting a bad value.
 */

static int xlcfg_is_list(struct xlcfg_st *st, const char *key)
{
    return xlu_cfg_get_list(st->xlu, key, NULL, NULL, 1) == 0;
}

static int xlcfg_str(struct xlcfg_st *st, const char *key, const char **v)
{
    int e = xlu_cfg_get_string(st->xlu, key, v, 1);

    if (e == ESRCH)
        return 1;
    if (e)
        return xlcfg_err(st, "invalid value for '%s': expected a single "
                         "value, not a list", key);
    return 0;
}

/* Replace *dst (freeing it) with a copy of the value of key. */
static int xlcfg_strdup(struct xlcfg_st *st, const char *key, char **dst)
{
    const char *v;
    int rc = xlcfg_str(st, key, &v);
    char *c;

    if (rc)
        return rc;
    c = strdup(v);
    if (!c)
        return xlcfg_err(st, "out of memory");
    free(*dst);
    *dst = c;
    return 0;
}

static int xlcfg_bounded(struct xlcfg_st *st, const char *key, long min,
                         long max, long *l)
{
    const char *v;
    char *ep;
    int e = xlu_cfg_get_bounded_long(st->xlu, key, min, max, l, 1);

    if (e == ESRCH)
        return 1;
    if (!e)
        return 0;
    if (xlcfg_str(st, key, &v))
        return -1;
    if (e == ERANGE)
        return xlcfg_err(st, "invalid value '%s' for '%s': out of range",
                         v, key);
    errno = 0;
    *l = strtol(v, &ep, 0);
    if (errno || *ep || ep == v)
        return xlcfg_err(st, "invalid value '%s' for '%s': not a number",
                         v, key);
    if (*l < min || *l > max)
        return xlcfg_err(st, "invalid value '%s' for '%s': out of range "
                         "(%ld to %ld)", v, key, min, max);
    return xlcfg_err(st, "invalid value for '%s': cannot use += with a "
                     "number", key);
}

static int xlcfg_long(struct xlcfg_st *st, const char *key, long *l)
{
    return xlcfg_bounded(st, key, LONG_MIN, LONG_MAX, l);
}

/* A size in MiB stored in KiB, as memory = 512 does. */
static int xlcfg_mb(struct xlcfg_st *st, const char *key, uint64_t *kb)
{
    long l;
    int rc = xlcfg_bounded(st, key, 0, LONG_MAX / 1024, &l);

    if (!rc)
        *kb = (uint64_t)l * 1024;
    return rc;
}

static int xlcfg_bool(struct xlcfg_st *st, const char *key,
                      libxl_defbool *b)
{
    long l;
    int rc = xlcfg_long(st, key, &l);

    if (!rc)
        libxl_defbool_set(b, !!l);
    return rc;
}

static int xlcfg_list(struct xlcfg_st *st, const char *key,
                      XLU_ConfigList **list, int *n)
{
    int e = xlu_cfg_get_list(st->xlu, key, list, n, 1);

    if (e == ESRCH)
        return 1;
    if (e)
        return xlcfg_err(st, "invalid value for '%s': expected a list",
                         key);
    return 0;
}

/* The i-th item of a list that must hold strings; NULL at the end. */
static int xlcfg_item(struct xlcfg_st *st, const char *key,
                      XLU_ConfigList *list, int i, const char **item)
{
    XLU_ConfigValue *v = xlu_cfg_get_listitem2(list, i);

    *item = NULL;
    if (!v)
        return 0;
    *item = xlu_cfg_get_listitem(list, i);
    if (!*item)
        return xlcfg_err(st, "invalid value for '%s': item %d is a list, "
                         "expected a string", key, i + 1);
    return 0;
}

static int xlcfg_strlist(struct xlcfg_st *st, const char *key,
                         libxl_string_list *sl)
{
    XLU_ConfigList *list;
    const char *item;
    int rc, n, i;

    rc = xlcfg_list(st, key, &list, &n);
    if (rc)
        return rc;
    for (i = 0; i < n; i++)
        if (xlcfg_item(st, key, list, i, &item))
            return -1;
    if (xlu_cfg_get_list_as_string_list(st->xlu, key, sl, 1))
        return xlcfg_err(st, "out of memory");
    return 0;
}

/* ---------------------------------------------------------------------
 * Small helpers
 */

/* Grow an array of libxl devices by one initialised element. */
static void *xlcfg_grow(struct xlcfg_st *st, void **array, int *count,
                        size_t size, void (*init)(void *))
{
    char *a = realloc(*array, size * (*count + 1));

    if (!a) {
        xlcfg_err(st, "out of memory");
        return NULL;
    }
    *array = a;
    a += size * *count;
    init(a);
    (*count)++;
    return a;
}

/* (void (*)(void)) first: it converts to any function type quietly */
#define XLCFG_GROW(st, arr, cnt, initfn)                                   \
    ((__typeof__(arr))xlcfg_grow((st), (void **)&(arr), &(cnt),            \
                                 sizeof(*(arr)),                          \
                                 (void (*)(void *))(void (*)(void))(initfn)))

/* Is s a prefix of word?  ("" is a prefix of everything, as in xl.) */
static int xlcfg_abbrev(const char *s, const char *word)
{
    return !strncmp(s, word, strlen(s));
}

/* The value of "key=value" in token if it starts with "key=", or NULL. */
static const char *xlcfg_opt(const char *token, const char *key)
{
    size_t n = strlen(key);

    if (!strncmp(token, key, n) && token[n] == '=')
        return token + n + 1;
    return NULL;
}

static int xlcfg_set_str(struct xlcfg_st *st, char **dst, const char *v)
{
    char *c = strdup(v);

    if (!c)
        return xlcfg_err(st, "out of memory");
    free(*dst);
    *dst = c;
    return 0;
}

/*
 * Split str at any of delim into a NULL-terminated list of non-empty
 * pieces, as strtok does.  Returns NULL on allocation failure.
 */
static char **xlcfg_split(const char *str, const char *delim)
{
    char *s = strdup(str), *p, *save = NULL;
    char **sl = NULL, **nsl;
    int n = 0;

    if (!s)
        return NULL;
    sl = calloc(1, sizeof(*sl));
    if (!sl)
        goto fail;
    for (p = strtok_r(s, delim, &save); p; p = strtok_r(NULL, delim, &save)) {
        nsl = realloc(sl, (n + 2) * sizeof(*sl));
        if (!nsl)
            goto fail;
        sl = nsl;
        sl[n] = strdup(p);
        sl[n + 1] = NULL;
        if (!sl[n])
            goto fail;
        n++;
    }
    free(s);
    return sl;

fail:
    libxl_string_list_dispose(&sl);
    free(s);
    return NULL;
}

/*
 * xl's pair split: the first two pieces of str between delimiters (so
 * "a=b=c" gives "a" and "b").  Both are trimmed of white space.
 */
static int xlcfg_pair(const char *str, const char *delim, char **a_r,
                      char **b_r)
{
    char **sl = xlcfg_split(str, delim);
    int i, rc = -1;

    *a_r = *b_r = NULL;
    if (!sl || !sl[0] || !sl[1])
        goto out;
    for (i = 0; i < 2; i++) {
        char *p = sl[i], *e;

        while (isspace((unsigned char)*p))
            p++;
        e = p + strlen(p);
        while (e > p && isspace((unsigned char)e[-1]))
            e--;
        *e = '\0';
        if (i)
            *b_r = strdup(p);
        else
            *a_r = strdup(p);
    }
    if (*a_r && *b_r)
        rc = 0;
out:
    if (rc) {
        free(*a_r);
        free(*b_r);
        *a_r = *b_r = NULL;
    }
    libxl_string_list_dispose(&sl);
    return rc;
}

/* strtoul(base 10) as xl's parse_ulong, but also refusing trailing junk. */
static int xlcfg_ulong(struct xlcfg_st *st, const char *what,
                       const char *s, unsigned long *v)
{
    char *ep;

    errno = 0;
    *v = strtoul(s, &ep, 10);
    if (ep == s || *ep || *v == ULONG_MAX || errno)
        return xlcfg_err(st, "invalid value '%s' for '%s': not a number",
                         s, what);
    return 0;
}

/*
 * libxl_bitmap_alloc() dereferences its ctx, so allocate the way it does
 * (a calloc'ed byte map; libxl_bitmap_dispose() frees it) without one.
 */
static int xlcfg_bitmap_alloc(struct xlcfg_st *st, libxl_bitmap *bm,
                              int n_bits)
{
    int sz = (n_bits + 7) / 8;

    libxl_bitmap_init(bm);
    bm->map = calloc(sz ? sz : 1, 1);
    if (!bm->map)
        return xlcfg_err(st, "out of memory");
    bm->size = sz;
    return 0;
}

static int xlcfg_cpu_bitmap(struct xlcfg_st *st, libxl_bitmap *bm, int n)
{
    if (n < 0)
        return xlcfg_err(st, "invalid number of cpus %d", n);
    if (n == 0) {
        n = st->ctx ? libxl_get_max_cpus(st->ctx) : XLCFG_NOCTX_MAX_CPUS;
        if (n < 0)
            return xlcfg_err(st, "cannot get the number of host cpus");
    }
    return xlcfg_bitmap_alloc(st, bm, n);
}

static int xlcfg_bitmap_dup(struct xlcfg_st *st, libxl_bitmap *dst,
                            const libxl_bitmap *src)
{
    if (xlcfg_bitmap_alloc(st, dst, src->size * 8))
        return -1;
    memcpy(dst->map, src->map, src->size);
    return 0;
}

/* xl's parse_range: "N" or "N-M" in decimal, nothing after. */
static int xlcfg_range(const char *s, unsigned long *a, unsigned long *b)
{
    const char *n;
    char *ep;

    *a = *b = strtoul(s, &ep, 10);
    if (ep == s || *a == ULONG_MAX)
        return -1;
    if (*ep == '-') {
        n = ep + 1;
        *b = strtoul(n, &ep, 10);
        if (ep == n || *b == ULONG_MAX || *b < *a)
            return -1;
    }
    return *ep ? -1 : 0;
}

/* Add or remove one "[^][node[s]:]N[-M]" or "all" piece of a cpu list. */
static int xlcfg_cpurange_one(struct xlcfg_st *st, const char *what,
                              const char *str, libxl_bitmap *map)
{
    const char *s = str;
    unsigned long a, b;
    bool neg = false, nodes = false;
    libxl_bitmap nodemap;
    int rc = -1, i;

    libxl_bitmap_init(&nodemap);
    if (*s == '^') {
        neg = true;
        s++;
    }
    if (!strncmp(s, "node:", 5)) {
        nodes = true;
        s += 5;
    } else if (!strncmp(s, "nodes:", 6)) {
        nodes = true;
        s += 6;
    }
    if (!strcmp(s, "all")) {
        if (neg) {
            xlcfg_err(st, "invalid value '%s' for '%s': cannot combine "
                      "'^' and 'all'", str, what);
            goto out;
        }
        libxl_bitmap_set_any(map);
        rc = 0;
        goto out;
    }
    if (xlcfg_range(s, &a, &b)) {
        xlcfg_err(st, "invalid value '%s' for '%s': not a cpu range",
                  str, what);
        goto out;
    }
    if (nodes) {
        if (!st->ctx) {
            xlcfg_err(st, "invalid value '%s' for '%s': numa nodes need a "
                      "connection to xen", str, what);
            goto out;
        }
        if (libxl_node_bitmap_alloc(st->ctx, &nodemap, 0)) {
            xlcfg_err(st, "cannot allocate a node map");
            goto out;
        }
    }
    for (; a <= b; a++) {
        if (!nodes) {
            if (neg)
                libxl_bitmap_reset(map, a);
            else
                libxl_bitmap_set(map, a);
            continue;
        }
        if (libxl_node_to_cpumap(st->ctx, a, &nodemap)) {
            xlcfg_err(st, "invalid value '%s' for '%s': cannot get the cpus "
                      "of node %lu", str, what, a);
            goto out;
        }
        libxl_for_each_set_bit(i, nodemap) {
            if (neg)
                libxl_bitmap_reset(map, i);
            else
                libxl_bitmap_set(map, i);
        }
    }
    rc = 0;
out:
    libxl_bitmap_dispose(&nodemap);
    return rc;
}

/* A comma-separated cpu list, as xl's parse_cpurange. */
static int xlcfg_cpurange(struct xlcfg_st *st, const char *what,
                          const char *str, libxl_bitmap *map)
{
    char **sl = xlcfg_split(str, ",");
    int i, rc = 0;

    if (!sl)
        return xlcfg_err(st, "out of memory");
    for (i = 0; sl[i] && !rc; i++)
        rc = xlcfg_cpurange_one(st, what, sl[i], map);
    libxl_string_list_dispose(&sl);
    return rc;
}

/* ---------------------------------------------------------------------
 * Global configuration (xl.conf)
 */

static void xlcfg_global_init(struct xlcfg_global *g)
{
    memset(g, 0, sizeof(*g));
    g->run_hotplug_scripts = 1;
    g->claim_mode = 1;
    g->max_grant_frames = -1;
    g->max_maptrack_frames = -1;
    g->max_grant_version = LIBXL_MAX_GRANT_DEFAULT;
    libxl_bitmap_init(&g->vm_mask);
    libxl_bitmap_init(&g->hvm_mask);
    libxl_bitmap_init(&g->pv_mask);
}

static void xlcfg_global_dispose(struct xlcfg_global *g)
{
    free(g->vifscript);
    free(g->bridge);
    free(g->gatewaydev);
    free(g->vifbackend);
    free(g->blkdev_start);
    libxl_bitmap_dispose(&g->vm_mask);
    libxl_bitmap_dispose(&g->hvm_mask);
    libxl_bitmap_dispose(&g->pv_mask);
}

/* Read the whole of path; *data_r is NUL-terminated. Returns errno. */
static int xlcfg_slurp(const char *path, char **data_r, size_t *len_r)
{
    FILE *f = fopen(path, "r");
    char *data = NULL, *nd;
    size_t len = 0, cap = 0, n;
    int e = 0;

    *data_r = NULL;
    *len_r = 0;
    if (!f)
        return errno;
    for (;;) {
        if (cap - len < 4096) {
            cap = cap ? cap * 2 : 8192;
            nd = realloc(data, cap + 1);
            if (!nd) {
                e = ENOMEM;
                goto out;
            }
            data = nd;
        }
        n = fread(data + len, 1, cap - len, f);
        len += n;
        if (n == 0) {
            if (ferror(f))
                e = errno ? errno : EIO;
            break;
        }
    }
    data[len] = '\0';
out:
    fclose(f);
    if (e) {
        free(data);
        return e;
    }
    *data_r = data;
    *len_r = len;
    return 0;
}

static int xlcfg_global_mask(struct xlcfg_st *st, XLU_Config *xlu,
                             const char *key, libxl_bitmap *mask)
{
    const char *buf;

    if (xlcfg_cpu_bitmap(st, mask, 0))
        return -1;
    if (!xlu_cfg_get_string(xlu, key, &buf, 1))
        return xlcfg_cpurange(st, key, buf, mask);
    libxl_bitmap_set_any(mask);
    return 0;
}

/* Read xl.conf as xl does; a missing default file is no error. */
static int xlcfg_global_read(struct xlcfg_st *st)
{
    const char *path = st->opts->global_path;
    struct xlcfg_global *g = &st->g;
    XLU_Config *xlu = NULL;
    FILE *rep = NULL;
    char *rep_buf = NULL, *data = NULL;
    size_t rep_size = 0, len = 0;
    const char *buf;
    long l;
    int e, rc = -1, is_default = !path;

    if (!path)
        path = XLCFG_GLOBAL_DEFAULT;
    if (*path) {
        e = xlcfg_slurp(path, &data, &len);
        if (e && !(is_default && e == ENOENT)) {
            xlcfg_err(st, "global config file '%s': %s", path,
                      xlcfg_strerror(st, e));
            goto out;
        }
    }
    rep = open_memstream(&rep_buf, &rep_size);
    if (!rep) {
        xlcfg_err(st, "out of memory");
        goto out;
    }
    xlu = xlu_cfg_init(rep, path);
    if (!xlu) {
        xlcfg_err(st, "out of memory");
        goto out;
    }
    if (data && len > INT_MAX) {
        xlcfg_err(st, "global config file '%s': too big", path);
        goto out;
    }
    e = xlu_cfg_readdata(xlu, data ? data : "", (int)len);
    fflush(rep);
    if (e) {
        char *nl = rep_buf ? strchr(rep_buf, '\n') : NULL;

        if (nl)
            *nl = '\0';
        xlcfg_err(st, "global config file '%s': %s", path,
                  rep_buf && *rep_buf ? rep_buf : xlcfg_strerror(st, e));
        goto out;
    }

    if (!xlu_cfg_get_long(xlu, "run_hotplug_scripts", &l, 1))
        g->run_hotplug_scripts = l;
    if (!xlu_cfg_get_string(xlu, "vifscript", &buf, 1) &&
        xlcfg_set_str(st, &g->vifscript, buf))
        goto out;
    if (!xlu_cfg_get_string(xlu, "vif.default.script", &buf, 1) &&
        xlcfg_set_str(st, &g->vifscript, buf))
        goto out;
    if (!xlu_cfg_get_string(xlu, "defaultbridge", &buf, 1) &&
        xlcfg_set_str(st, &g->bridge, buf))
        goto out;
    if (!xlu_cfg_get_string(xlu, "vif.default.bridge", &buf, 1) &&
        xlcfg_set_str(st, &g->bridge, buf))
        goto out;
    if (!xlu_cfg_get_string(xlu, "vif.default.gatewaydev", &buf, 1) &&
        xlcfg_set_str(st, &g->gatewaydev, buf))
        goto out;
    if (!xlu_cfg_get_string(xlu, "vif.default.backend", &buf, 1) &&
        xlcfg_set_str(st, &g->vifbackend, buf))
        goto out;
    if (!xlu_cfg_get_string(xlu, "blkdev_start", &buf, 1) &&
        xlcfg_set_str(st, &g->blkdev_start, buf))
        goto out;
    if (!xlu_cfg_get_long(xlu, "claim_mode", &l, 1))
        g->claim_mode = l;

    e = xlu_cfg_get_bounded_long(xlu, "max_grant_frames", 0, INT_MAX,
                                 &l, 1);
    if (!e)
        g->max_grant_frames = l;
    else if (e != ESRCH) {
        xlcfg_err(st, "global config file '%s': invalid value for "
                  "'max_grant_frames'", path);
        goto out;
    }
    e = xlu_cfg_get_bounded_long(xlu, "max_maptrack_frames", 0, INT_MAX,
                                 &l, 1);
    if (!e)
        g->max_maptrack_frames = l;
    else if (e != ESRCH) {
        xlcfg_err(st, "global config file '%s': invalid value for "
                  "'max_maptrack_frames'", path);
        goto out;
    }
    e = xlu_cfg_get_bounded_long(xlu, "max_grant_version", 0, INT_MAX,
                                 &l, 1);
    if (!e)
        g->max_grant_version = l;
    else if (e != ESRCH) {
        xlcfg_err(st, "global config file '%s': invalid value for "
                  "'max_grant_version'", path);
        goto out;
    }

    if (xlcfg_global_mask(st, xlu, "vm.cpumask", &g->vm_mask) ||
        xlcfg_global_mask(st, xlu, "vm.hvm.cpumask", &g->hvm_mask) ||
        xlcfg_global_mask(st, xlu, "vm.pv.cpumask", &g->pv_mask))
        goto out;
    rc = 0;
out:
    xlu_cfg_destroy(xlu);
    if (rep)
        fclose(rep);
    free(rep_buf);
    free(data);
    return rc;
}

/* ---------------------------------------------------------------------
 * Unknown keys: libxlutil's XLU_Config is opaque, so scan the text with
 * the lexer's rules.  Values are only strings and numbers, so in a file
 * that parsed every identifier is a key.
 */

static int xlcfg_known(const char *key)
{
    int lo = 0, hi = -1, mid, c;

    while (xlcfg_keys[hi + 1])
        hi++;
    while (lo <= hi) {
        mid = (lo + hi) / 2;
        c = strcmp(key, xlcfg_keys[mid]);
        if (!c)
            return 1;
        if (c < 0)
            hi = mid - 1;
        else
            lo = mid + 1;
    }
    return 0;
}

static void xlcfg_scan_keys(struct xlcfg_st *st, const char *text,
                            const char *where)
{
    const char *p = text, *s;
    char **seen = NULL, **ns, *key;
    int nseen = 0, i, dup;

    while (*p) {
        if (*p == '#') {
            while (*p && *p != '\n')
                p++;
        } else if (*p == '\'' || *p == '"') {
            char q = *p++;

            while (*p && *p != q && *p != '\n') {
                if (*p == '\\' && p[1] && p[1] != '\n')
                    p++;
                p++;
            }
            if (*p == q)
                p++;
        } else if (isdigit((unsigned char)*p)) {
            while (isdigit((unsigned char)*p) || (*p >= 'a' && *p <= 'f') ||
                   *p == 'x')
                p++;
        } else if (*p >= 'a' && *p <= 'z') {
            s = p;
            while ((*p >= 'a' && *p <= 'z') || isdigit((unsigned char)*p) ||
                   *p == '.' || *p == '_')
                p++;
            key = strndup(s, p - s);
            if (!key)
                break;
            dup = xlcfg_known(key);
            for (i = 0; !dup && i < nseen; i++)
                dup = !strcmp(seen[i], key);
            if (dup) {
                free(key);
                continue;
            }
            xlcfg_warn(st, "unknown key '%s' in %s (ignored)", key, where);
            ns = realloc(seen, (nseen + 1) * sizeof(*seen));
            if (!ns) {
                free(key);
                break;
            }
            seen = ns;
            seen[nseen++] = key;
        } else {
            p++;
        }
    }
    for (i = 0; i < nseen; i++)
        free(seen[i]);
    free(seen);
}

/* ---------------------------------------------------------------------
 * Top-level keys
 */

static const char *const xlcfg_actions[] = {
    [LIBXL_ACTION_ON_SHUTDOWN_DESTROY] = "destroy",
    [LIBXL_ACTION_ON_SHUTDOWN_RESTART] = "restart",
    [LIBXL_ACTION_ON_SHUTDOWN_RESTART_RENAME] = "rename-restart",
    [LIBXL_ACTION_ON_SHUTDOWN_PRESERVE] = "preserve",
    [LIBXL_ACTION_ON_SHUTDOWN_COREDUMP_DESTROY] = "coredump-destroy",
    [LIBXL_ACTION_ON_SHUTDOWN_COREDUMP_RESTART] = "coredump-restart",
    [LIBXL_ACTION_ON_SHUTDOWN_SOFT_RESET] = "soft-reset",
};

static int xlcfg_action(struct xlcfg_st *st, const char *key,
                        const char *dflt, libxl_action_on_shutdown *a)
{
    const char *buf;
    unsigned i;
    int rc = xlcfg_str(st, key, &buf);

    if (rc < 0)
        return -1;
    if (rc)
        buf = dflt;
    for (i = 0; i < sizeof(xlcfg_actions) / sizeof(xlcfg_actions[0]); i++) {
        if (xlcfg_actions[i] && !strcmp(buf, xlcfg_actions[i])) {
            *a = i;
            return 0;
        }
    }
    return xlcfg_err(st, "invalid value '%s' for '%s': unknown action",
                     buf, key);
}

static int xlcfg_cmdline(struct xlcfg_st *st, char **cmdline)
{
    const char *cmd = NULL, *root = NULL, *extra = NULL;
    int r;

    if (xlcfg_str(st, "cmdline", &cmd) < 0 ||
        xlcfg_str(st, "root", &root) < 0 ||
        xlcfg_str(st, "extra", &extra) < 0)
        return -1;
    if (cmd) {
        if (root || extra)
            xlcfg_warn(st, "ignoring 'root' and 'extra' in favour of "
                       "'cmdline'");
        return xlcfg_set_str(st, cmdline, cmd);
    }
    if (root && extra)
        r = asprintf(cmdline, "root=%s %s", root, extra);
    else if (root)
        r = asprintf(cmdline, "root=%s", root);
    else if (extra)
        r = asprintf(cmdline, "%s", extra);
    else
        return 0;
    if (r < 0) {
        *cmdline = NULL;
        return xlcfg_err(st, "out of memory");
    }
    return 0;
}

/* cpus / cpus_soft: a string for every vcpu or a list, one per vcpu. */
static int xlcfg_affinity(struct xlcfg_st *st, libxl_domain_build_info *b,
                          const char *key, bool hard)
{
    XLU_ConfigList *list = NULL;
    const char *buf = NULL, *item;
    libxl_bitmap *maps;
    int n = 0, i, rc;

    if (xlcfg_is_list(st, key)) {
        rc = xlcfg_list(st, key, &list, &n);
    } else {
        rc = xlcfg_str(st, key, &buf);
    }
    if (rc)
        return rc < 0 ? -1 : 0;

    /* values for vcpus that do not exist are silently ignored */
    if (buf || n > b->max_vcpus)
        n = b->max_vcpus;
    maps = calloc(n ? n : 1, sizeof(*maps));
    if (!maps)
        return xlcfg_err(st, "out of memory");
    if (hard) {
        b->vcpu_hard_affinity = maps;
        b->num_vcpu_hard_affinity = n;
    } else {
        b->vcpu_soft_affinity = maps;
        b->num_vcpu_soft_affinity = n;
    }
    for (i = 0; i < n; i++)
        libxl_bitmap_init(&maps[i]);

    if (!buf) {
        for (i = 0; i < n; i++) {
            if (xlcfg_item(st, key, list, i, &item))
                return -1;
            if (xlcfg_cpu_bitmap(st, &maps[i], 0) ||
                xlcfg_cpurange(st, key, item, &maps[i]))
                return -1;
        }
        libxl_defbool_set(&b->numa_placement, false);
        return 0;
    }
    if (n == 0)
        return 0;
    if (xlcfg_cpu_bitmap(st, &maps[0], 0) ||
        xlcfg_cpurange(st, key, buf, &maps[0]))
        return -1;
    for (i = 1; i < n; i++)
        if (xlcfg_bitmap_dup(st, &maps[i], &maps[0]))
            return -1;
    if (!hard)
        libxl_defbool_set(&b->numa_placement, false);
    return 0;
}

static int xlcfg_vnuma(struct xlcfg_st *st, libxl_domain_build_info *b)
{
    XLU_ConfigList *vnuma, *opts;
    XLU_ConfigValue *spec, *opt;
    libxl_physinfo physinfo;
    libxl_bitmap *parsed = NULL;
    unsigned long max_vcpus = 0, val, s, e;
    uint64_t max_memkb = 0;
    uint32_t nr_nodes;
    char *option = NULL, *value = NULL, **sl = NULL, *buf;
    int n, i, j, k, rc = -1;

    rc = xlcfg_list(st, "vnuma", &vnuma, &n);
    if (rc)
        return rc < 0 ? -1 : 0;
    rc = -1;
    if (!n)
        return 0;
    if (!st->ctx)
        return xlcfg_err(st, "'vnuma' needs a connection to xen");
    libxl_physinfo_init(&physinfo);
    if (libxl_get_physinfo(st->ctx, &physinfo)) {
        libxl_physinfo_dispose(&physinfo);
        return xlcfg_err(st, "cannot get the host's physical information");
    }
    nr_nodes = physinfo.nr_nodes;
    libxl_physinfo_dispose(&physinfo);

    b->vnuma_nodes = calloc(n, sizeof(*b->vnuma_nodes));
    parsed = calloc(n, sizeof(*parsed));
    if (!b->vnuma_nodes || !parsed) {
        xlcfg_err(st, "out of memory");
        goto out;
    }
    b->num_vnuma_nodes = n;
    for (i = 0; i < n; i++) {
        libxl_vnode_info *p = &b->vnuma_nodes[i];

        libxl_vnode_info_init(p);
        p->distances = calloc(n, sizeof(*p->distances));
        if (!p->distances) {
            xlcfg_err(st, "out of memory");
            goto out;
        }
        p->num_distances = n;
        if (xlcfg_cpu_bitmap(st, &parsed[i], b->max_vcpus))
            goto out;
    }

    for (i = 0; i < n; i++) {
        libxl_vnode_info *p = &b->vnuma_nodes[i];

        spec = xlu_cfg_get_listitem2(vnuma, i);
        if (xlu_cfg_value_get_list(st->xlu, spec, &opts, 1)) {
            xlcfg_err(st, "invalid value for 'vnuma': node %d is not a "
                      "list", i);
            goto out;
        }
        for (j = 0; (opt = xlu_cfg_get_listitem2(opts, j)); j++) {
            if (xlu_cfg_value_type(opt) != XLU_STRING)
                continue;
            xlu_cfg_value_get_string(st->xlu, opt, &buf, 1);
            if (!buf)
                continue;
            if (xlcfg_pair(buf, "=", &option, &value)) {
                xlcfg_err(st, "invalid value '%s' for 'vnuma': expected "
                          "key=value", buf);
                goto out;
            }
            if (!strcmp(option, "pnode")) {
                if (xlcfg_ulong(st, "vnuma pnode", value, &val))
                    goto out;
                if (val >= nr_nodes) {
                    xlcfg_err(st, "invalid value '%s' for 'vnuma pnode': "
                              "no such node", value);
                    goto out;
                }
                p->pnode = val;
                libxl_defbool_set(&b->numa_placement, false);
            } else if (!strcmp(option, "size")) {
                if (xlcfg_ulong(st, "vnuma size", value, &val))
                    goto out;
                p->memkb = (uint64_t)val << 10;
                max_memkb += p->memkb;
            } else if (!strcmp(option, "vcpus")) {
                sl = xlcfg_split(value, ",");
                if (!sl) {
                    xlcfg_err(st, "out of memory");
                    goto out;
                }
                for (k = 0; sl[k]; k++) {
                    if (xlcfg_range(sl[k], &s, &e)) {
                        xlcfg_err(st, "invalid value '%s' for 'vnuma "
                                  "vcpus': not a range", sl[k]);
                        goto out;
                    }
                    for (; s <= e; s++) {
                        libxl_bitmap_set(&parsed[i], s);
                        max_vcpus++;
                    }
                }
                libxl_string_list_dispose(&sl);
            } else if (!strcmp(option, "vdistances")) {
                sl = xlcfg_split(value, ",");
                if (!sl) {
                    xlcfg_err(st, "out of memory");
                    goto out;
                }
                for (k = 0; sl[k]; k++) {
                    if (k >= n) {
                        xlcfg_err(st, "invalid value '%s' for 'vnuma "
                                  "vdistances': more distances than "
                                  "nodes", value);
                        goto out;
                    }
                    if (xlcfg_ulong(st, "vnuma vdistances", sl[k], &val))
                        goto out;
                    p->distances[k] = val;
                }
                libxl_string_list_dispose(&sl);
            }
            free(option);
            free(value);
            option = value = NULL;
        }
    }

    if (b->max_vcpus != 0) {
        if ((unsigned long)b->max_vcpus != max_vcpus) {
            xlcfg_err(st, "'vnuma' vcpus and 'maxvcpus' do not match");
            goto out;
        }
    } else {
        int host_cpus = libxl_get_online_cpus(st->ctx);

        if (host_cpus < 0) {
            xlcfg_err(st, "cannot get the number of online cpus");
            goto out;
        }
        if ((unsigned long)host_cpus < max_vcpus) {
            xlcfg_err(st, "'vnuma' has more vcpus than the host has cpus "
                      "(set 'maxvcpus' to override)");
            goto out;
        }
        b->max_vcpus = max_vcpus;
    }
    if (b->max_memkb != LIBXL_MEMKB_DEFAULT && b->max_memkb != max_memkb) {
        xlcfg_err(st, "'maxmem' and 'vnuma' memory sizes do not match");
        goto out;
    }
    b->max_memkb = max_memkb;
    for (i = 0; i < n; i++)
        if (xlcfg_bitmap_dup(st, &b->vnuma_nodes[i].vcpus, &parsed[i]))
            goto out;
    rc = 0;
out:
    free(option);
    free(value);
    libxl_string_list_dispose(&sl);
    for (i = 0; parsed && i < n; i++)
        libxl_bitmap_dispose(&parsed[i]);
    free(parsed);
    return rc;
}

/* An enumeration given by name, through libxl's *_from_string. */
#define XLCFG_ENUM(st, key, fn, dst)                                       \
    ({                                                                     \
        const char *enum_buf_;                                             \
        int enum_rc_ = xlcfg_str((st), (key), &enum_buf_);                 \
        if (!enum_rc_ && fn(enum_buf_, (dst)))                             \
            enum_rc_ = xlcfg_err((st), "invalid value '%s' for '%s'",      \
                                 enum_buf_, (key));                        \
        enum_rc_;                                                          \
    })

/* A key that is an enumeration name or, deprecated, its number. */
static int xlcfg_enum_or_long(struct xlcfg_st *st, const char *key,
                              long min, long max, int *dst,
                              int (*from_string)(const char *, void *),
                              const char *(*to_string)(int))
{
    const char *buf, *s;
    char *ep;
    long l;
    int rc = xlcfg_str(st, key, &buf);

    if (rc)
        return rc;
    errno = 0;
    l = strtol(buf, &ep, 0);
    if (!errno && *buf && !*ep && !xlu_cfg_get_long(st->xlu, key, &l, 1)) {
        s = to_string((int)l);
        if (s)
            xlcfg_warn(st, "'%s' as a number is deprecated, use "
                       "%s=\"%s\"", key, key, s);
        else
            xlcfg_warn(st, "'%s' as a number is deprecated", key);
        if (l < min || l > max)
            return xlcfg_err(st, "invalid value '%s' for '%s'", buf, key);
        *dst = (int)l;
        return 0;
    }
    if (from_string(buf, dst))
        return xlcfg_err(st, "invalid value '%s' for '%s'", buf, key);
    return 0;
}

static const char *xlcfg_tsc_name(int v)
{
    return libxl_tsc_mode_to_string(v);
}

static const char *xlcfg_timer_name(int v)
{
    return libxl_timer_mode_to_string(v);
}

static int xlcfg_tsc_from(const char *s, void *d)
{
    return libxl_tsc_mode_from_string(s, d);
}

static int xlcfg_timer_from(const char *s, void *d)
{
    return libxl_timer_mode_from_string(s, d);
}

static int xlcfg_viridian(struct xlcfg_st *st, libxl_domain_build_info *b)
{
    XLU_ConfigList *list;
    const char *buf;
    libxl_viridian_enlightenment v;
    libxl_bitmap *s, *r;
    int n, i;

    if (!xlcfg_is_list(st, "viridian")) {
        if (xlcfg_bool(st, "viridian", &b->u.hvm.viridian) < 0)
            return -1;
        return 0;
    }
    if (xlcfg_list(st, "viridian", &list, &n))
        return -1;
    if (n) {
        if (xlcfg_bitmap_alloc(st, &b->u.hvm.viridian_enable,
                LIBXL_BUILDINFO_HVM_VIRIDIAN_ENABLE_DISABLE_WIDTH) ||
            xlcfg_bitmap_alloc(st, &b->u.hvm.viridian_disable,
                LIBXL_BUILDINFO_HVM_VIRIDIAN_ENABLE_DISABLE_WIDTH))
            return -1;
    }
    for (i = 0; i < n; i++) {
        if (xlcfg_item(st, "viridian", list, i, &buf))
            return -1;
        if (!strcmp(buf, "all")) {
            libxl_bitmap_set_any(&b->u.hvm.viridian_enable);
        } else if (!strcmp(buf, "defaults")) {
            libxl_defbool_set(&b->u.hvm.viridian, true);
        } else {
            s = &b->u.hvm.viridian_enable;
            r = &b->u.hvm.viridian_disable;
            if (*buf == '!') {
                s = &b->u.hvm.viridian_disable;
                r = &b->u.hvm.viridian_enable;
                buf++;
            }
            if (libxl_viridian_enlightenment_from_string(buf, &v))
                return xlcfg_err(st, "invalid value '%s' for 'viridian': "
                                 "unknown enlightenment", buf);
            libxl_bitmap_set(s, v);
            libxl_bitmap_reset(r, v);
        }
    }
    return 0;
}

static int xlcfg_random(struct xlcfg_st *st, void *buf, size_t len)
{
    char *p = buf;
    ssize_t r;

    while (len) {
        r = getrandom(p, len, 0);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return xlcfg_err(st, "cannot get random bytes: %s",
                             xlcfg_strerror(st, errno));
        p += r;
        len -= r;
    }
    return 0;
}

static int xlcfg_hvm(struct xlcfg_st *st, libxl_domain_build_info *b)
{
    XLU_ConfigList *list;
    const char *buf;
    char *base;
    long l;
    int rc, n, i;

    base = libxl_basename(b->kernel);
    if (base && !strcmp(base, "hvmloader")) {
        xlcfg_warn(st, "ignoring 'kernel' = hvmloader for an hvm guest "
                   "(use 'firmware_override' for a non-default "
                   "firmware)");
        free(b->kernel);
        b->kernel = NULL;
    }
    free(base);

    if (xlcfg_strdup(st, "firmware_override", &b->u.hvm.firmware) < 0 ||
        xlcfg_strdup(st, "bios_path_override",
                     &b->u.hvm.system_firmware) < 0)
        return -1;
    rc = XLCFG_ENUM(st, "bios", libxl_bios_type_from_string, &b->u.hvm.bios);
    if (rc < 0)
        return -1;
    if (rc && b->u.hvm.system_firmware)
        xlcfg_warn(st, "'bios_path_override' given without 'bios'");

    if (xlcfg_bool(st, "pae", &b->u.hvm.pae) < 0 ||
        xlcfg_bool(st, "acpi_s3", &b->u.hvm.acpi_s3) < 0 ||
        xlcfg_bool(st, "acpi_s4", &b->u.hvm.acpi_s4) < 0 ||
        xlcfg_bool(st, "acpi_laptop_slate",
                   &b->u.hvm.acpi_laptop_slate) < 0 ||
        xlcfg_bool(st, "nx", &b->u.hvm.nx) < 0 ||
        xlcfg_bool(st, "hpet", &b->u.hvm.hpet) < 0 ||
        xlcfg_bool(st, "vpt_align", &b->u.hvm.vpt_align) < 0 ||
        xlcfg_bool(st, "apic", &b->apic) < 0)
        return -1;

    if (xlcfg_viridian(st, b))
        return -1;

    rc = xlcfg_long(st, "mmio_hole", &l);
    if (rc < 0)
        return -1;
    if (!rc) {
        uint64_t bytes = (uint64_t)l * 1024 * 1024;

        b->u.hvm.mmio_hole_memkb = (uint64_t)l * 1024;
        if (l < 0 || bytes < HVM_BELOW_4G_MMIO_LENGTH ||
            bytes > HVM_BELOW_4G_MMIO_START)
            return xlcfg_err(st, "invalid value '%ld' for 'mmio_hole': "
                             "out of range", l);
    }

    rc = xlcfg_bool(st, "altp2mhvm", &b->u.hvm.altp2m);
    if (rc < 0)
        return -1;
    if (!rc)
        xlcfg_warn(st, "'altp2mhvm' is deprecated, use 'altp2m'");

    if (xlcfg_strdup(st, "smbios_firmware", &b->u.hvm.smbios_firmware) < 0 ||
        xlcfg_strdup(st, "acpi_firmware", &b->u.hvm.acpi_firmware) < 0)
        return -1;

    rc = xlcfg_str(st, "ms_vm_genid", &buf);
    if (rc < 0)
        return -1;
    if (!rc) {
        if (!strcmp(buf, "generate")) {
            if (st->ctx) {
                if (libxl_ms_vm_genid_generate(st->ctx,
                                               &b->u.hvm.ms_vm_genid))
                    return xlcfg_err(st, "cannot generate a vm "
                                     "generation id");
            } else if (xlcfg_random(st, b->u.hvm.ms_vm_genid.bytes,
                                    LIBXL_MS_VM_GENID_LEN)) {
                return -1;
            }
        } else if (strcmp(buf, "none")) {
            return xlcfg_err(st, "invalid value '%s' for 'ms_vm_genid': "
                             "expected 'generate' or 'none'", buf);
        }
    }

    if (xlcfg_mb(st, "rdm_mem_boundary",
                 &b->u.hvm.rdm_mem_boundary_memkb) < 0)
        return -1;

    rc = xlcfg_list(st, "mca_caps", &list, &n);
    if (rc < 0)
        return -1;
    for (i = 0; !rc && i < n; i++) {
        if (xlcfg_item(st, "mca_caps", list, i, &buf))
            return -1;
        if (strcmp(buf, "lmce"))
            return xlcfg_err(st, "invalid value '%s' for 'mca_caps': "
                             "unknown capability", buf);
        b->u.hvm.mca_caps |= XEN_HVM_MCA_CAP_LMCE;
    }

    /*
     * firmware: a bios name, "uefi" (ovmf) or "bios" (the default, left to
     * libxl), or else a path; "uefi"/"bios" may be abbreviated as in xl.
     */
    rc = xlcfg_str(st, "firmware", &buf);
    if (rc < 0)
        return -1;
    if (!rc && libxl_bios_type_from_string(buf, &b->u.hvm.bios)) {
        if (xlcfg_abbrev(buf, "uefi"))
            b->u.hvm.bios = LIBXL_BIOS_TYPE_OVMF;
        else if (!xlcfg_abbrev(buf, "bios") &&
                 xlcfg_set_str(st, &b->u.hvm.firmware, buf))
            return -1;
    }
    return 0;
}

static int xlcfg_pv_firmware(struct xlcfg_st *st, libxl_domain_build_info *b)
{
    const char *buf;
    int rc = xlcfg_str(st, "firmware", &buf);

    if (rc < 0)
        return -1;
    if (!rc) {
        if (b->kernel)
            return xlcfg_err(st, "both 'kernel' and 'firmware' are set");
        if (!xlcfg_abbrev(buf, "pvgrub32") && !xlcfg_abbrev(buf, "pvgrub64"))
            return xlcfg_err(st, "invalid value '%s' for 'firmware': only "
                             "pvgrub32 and pvgrub64 are supported", buf);
        if (asprintf(&b->kernel, "%s/%s.bin", XLCFG_XENFIRMWAREDIR,
                     buf) < 0) {
            b->kernel = NULL;
            return xlcfg_err(st, "out of memory");
        }
    }
    if (!b->bootloader && !b->kernel)
        return xlcfg_err(st, "neither 'kernel' nor 'bootloader' is set");
    return 0;
}

static int xlcfg_ioports(struct xlcfg_st *st, libxl_domain_build_info *b)
{
    XLU_ConfigList *list;
    const char *buf, *b2;
    char *ep;
    unsigned long ul;
    uint32_t start, end;
    int n, i, rc = xlcfg_list(st, "ioports", &list, &n);

    if (rc)
        return rc < 0 ? -1 : 0;
    b->ioports = calloc(n ? n : 1, sizeof(*b->ioports));
    if (!b->ioports)
        return xlcfg_err(st, "out of memory");
    b->num_ioports = n;
    for (i = 0; i < n; i++) {
        if (xlcfg_item(st, "ioports", list, i, &buf))
            return -1;
        ul = strtoul(buf, &ep, 16);
        if (ep == buf || ul >= UINT32_MAX)
            goto bad;
        start = end = ul;
        if (*ep == '-') {
            b2 = ep + 1;
            ul = strtoul(b2, &ep, 16);
            if (ep == b2 || *ep || ul >= UINT32_MAX)
                goto bad;
            end = ul;
            if (start > end)
                goto bad;
        } else if (*ep) {
            goto bad;
        }
        b->ioports[i].first = start;
        b->ioports[i].number = end - start + 1;
    }
    return 0;
bad:
    return xlcfg_err(st, "invalid value '%s' for 'ioports': expected a hex "
                     "port or range", buf);
}

static int xlcfg_irqs(struct xlcfg_st *st, libxl_domain_build_info *b)
{
    XLU_ConfigList *list;
    const char *buf;
    char *ep;
    unsigned long ul;
    int n, i, rc = xlcfg_list(st, "irqs", &list, &n);

    if (rc)
        return rc < 0 ? -1 : 0;
    b->irqs = calloc(n ? n : 1, sizeof(*b->irqs));
    if (!b->irqs)
        return xlcfg_err(st, "out of memory");
    b->num_irqs = n;
    for (i = 0; i < n; i++) {
        if (xlcfg_item(st, "irqs", list, i, &buf))
            return -1;
        ul = strtoul(buf, &ep, 10);
        if (ep == buf || *ep || ul >= UINT32_MAX)
            return xlcfg_err(st, "invalid value '%s' for 'irqs': not an "
                             "irq number", buf);
        b->irqs[i] = ul;
    }
    return 0;
}

static int xlcfg_iomem(struct xlcfg_st *st, libxl_domain_build_info *b)
{
    XLU_ConfigList *list;
    const char *buf;
    int n, i, used, r, rc = xlcfg_list(st, "iomem", &list, &n);

    if (rc)
        return rc < 0 ? -1 : 0;
    b->iomem = calloc(n ? n : 1, sizeof(*b->iomem));
    if (!b->iomem)
        return xlcfg_err(st, "out of memory");
    b->num_iomem = n;
    for (i = 0; i < n; i++)
        libxl_iomem_range_init(&b->iomem[i]);
    for (i = 0; i < n; i++) {
        if (xlcfg_item(st, "iomem", list, i, &buf))
            return -1;
        used = 0;
        r = sscanf(buf, "%" SCNx64 ",%" SCNx64 "%n@%" SCNx64 "%n",
                   &b->iomem[i].start, &b->iomem[i].number, &used,
                   &b->iomem[i].gfn, &used);
        if (r < 2 || buf[used] != '\0')
            return xlcfg_err(st, "invalid value '%s' for 'iomem': expected "
                             "START,NUM[@GFN] in hex", buf);
    }
    return 0;
}

/* ---------------------------------------------------------------------
 * Devices
 */

static int xlcfg_disks(struct xlcfg_st *st, libxl_domain_config *d)
{
    XLU_ConfigList *list;
    const char *buf;
    char what[600];
    int n, i, e, rc = xlcfg_list(st, "disk", &list, &n);

    if (rc)
        return rc < 0 ? -1 : 0;
    for (i = 0; i < n; i++) {
        libxl_device_disk *disk;

        if (xlcfg_item(st, "disk", list, i, &buf))
            return -1;
        disk = XLCFG_GROW(st, d->disks, d->num_disks,
                          libxl_device_disk_init);
        if (!disk)
            return -1;
        snprintf(what, sizeof(what), "disk specification '%s'", buf);
        e = xlu_disk_parse(st->xlu, 1, &buf, disk);
        if (e) {
            if (!xlcfg_drain(st, what, 1))
                xlcfg_err(st, "invalid %s: %s", what,
                          xlcfg_strerror(st, e));
            return -1;
        }
        xlcfg_drain(st, what, 0);
    }
    return 0;
}

static int xlcfg_pcis(struct xlcfg_st *st, libxl_domain_config *d,
                      int msitranslate, int power_mgmt, int permissive,
                      int seize)
{
    XLU_ConfigList *list;
    const char *buf;
    char what[600];
    int n, i, e, rc = xlcfg_list(st, "pci", &list, &n);

    if (rc)
        return rc < 0 ? -1 : 0;
    for (i = 0; i < n; i++) {
        libxl_device_pci *pci;

        if (xlcfg_item(st, "pci", list, i, &buf))
            return -1;
        pci = XLCFG_GROW(st, d->pcidevs, d->num_pcidevs,
                         libxl_device_pci_init);
        if (!pci)
            return -1;
        pci->msitranslate = msitranslate;
        pci->power_mgmt = power_mgmt;
        pci->permissive = permissive;
        pci->seize = seize;
        /*
         * Per-device policy follows the global one.  xl reads it through
         * the hvm member whatever the type; for other types that memory
         * lies beyond their union member and is still zero.
         */
        pci->rdm_policy = d->b_info.u.hvm.rdm.policy;
        snprintf(what, sizeof(what), "pci specification '%s'", buf);
        e = xlu_pci_parse_spec_string(st->xlu, pci, buf);
        if (e) {
            if (!xlcfg_drain(st, what, 1))
                xlcfg_err(st, "invalid %s", what);
            return -1;
        }
        xlcfg_drain(st, what, 0);
    }
    if (d->num_pcidevs && d->c_info.type == LIBXL_DOMAIN_TYPE_PV)
        libxl_defbool_set(&d->b_info.u.pv.e820_host, true);
    return 0;
}

static int xlcfg_dtdevs(struct xlcfg_st *st, libxl_domain_config *d)
{
    XLU_ConfigList *list;
    const char *buf;
    int n, i, rc = xlcfg_list(st, "dtdev", &list, &n);

    if (rc)
        return rc < 0 ? -1 : 0;
    for (i = 0; i < n; i++) {
        libxl_device_dtdev *dt;

        if (xlcfg_item(st, "dtdev", list, i, &buf))
            return -1;
        dt = XLCFG_GROW(st, d->dtdevs, d->num_dtdevs,
                        libxl_device_dtdev_init);
        if (!dt || xlcfg_set_str(st, &dt->path, buf))
            return -1;
    }
    return 0;
}

/*
 * Walk the comma-separated "key=value" items of a device spec as xl does
 * (strtok, leading blanks skipped).  fn returns 0, or -1 after reporting;
 * a token without '=' stops the walk when stop_at_bare is set.
 */
typedef int xlcfg_tok_fn(struct xlcfg_st *st, void *dev, char *tok);

static int xlcfg_tokens(struct xlcfg_st *st, const char *spec, void *dev,
                        xlcfg_tok_fn *fn, bool stop_at_bare)
{
    char *buf = strdup(spec), *p, *save = NULL;
    int rc = 0;

    if (!buf)
        return xlcfg_err(st, "out of memory");
    for (p = strtok_r(buf, ",", &save); p && !rc;
         p = strtok_r(NULL, ",", &save)) {
        while (*p == ' ')
            p++;
        if (stop_at_bare && !strchr(p, '='))
            break;
        rc = fn(st, dev, p);
    }
    free(buf);
    return rc;
}

struct xlcfg_p9_acc {
    char *security_model, *path, *tag, *backend;
};

static int xlcfg_p9_tok(struct xlcfg_st *st, void *v, char *tok)
{
    struct xlcfg_p9_acc *a = v;
    char *val = strchr(tok, '=');

    *val++ = '\0';
    if (!strcmp(tok, "security_model"))
        return xlcfg_set_str(st, &a->security_model, val);
    if (!strcmp(tok, "path"))
        return xlcfg_set_str(st, &a->path, val);
    if (!strcmp(tok, "tag"))
        return xlcfg_set_str(st, &a->tag, val);
    if (!strcmp(tok, "backend"))
        return xlcfg_set_str(st, &a->backend, val);
    return xlcfg_err(st, "invalid value for 'p9': unknown parameter '%s'",
                     tok);
}

static int xlcfg_p9s(struct xlcfg_st *st, libxl_domain_config *d)
{
    /* xl keeps these across items: a later item inherits unset ones */
    struct xlcfg_p9_acc a = { NULL, NULL, NULL, NULL };
    XLU_ConfigList *list;
    const char *buf;
    int n, i, rc = xlcfg_list(st, "p9", &list, &n);

    if (rc)
        return rc < 0 ? -1 : 0;
    rc = -1;
    for (i = 0; i < n; i++) {
        libxl_device_p9 *p9;

        if (xlcfg_item(st, "p9", list, i, &buf))
            goto out;
        /* xl initialises twice, so devid ends up at its default */
        p9 = XLCFG_GROW(st, d->p9s, d->num_p9s, libxl_device_p9_init);
        if (!p9 || xlcfg_tokens(st, buf, &a, xlcfg_p9_tok, true))
            goto out;
        if (!a.path || !a.security_model || !a.tag) {
            xlcfg_err(st, "invalid value '%s' for 'p9': path, "
                      "security_model and tag are required", buf);
            goto out;
        }
        if (xlcfg_set_str(st, &p9->tag, a.tag) ||
            xlcfg_set_str(st, &p9->security_model, a.security_model) ||
            xlcfg_set_str(st, &p9->path, a.path) ||
            (a.backend && xlcfg_set_str(st, &p9->backend_domname,
                                        a.backend)))
            goto out;
    }
    rc = 0;
out:
    free(a.security_model);
    free(a.path);
    free(a.tag);
    free(a.backend);
    return rc;
}

struct xlcfg_vtpm_acc {
    libxl_device_vtpm *vtpm;
    bool got_backend;
};

static int xlcfg_vtpm_tok(struct xlcfg_st *st, void *v, char *tok)
{
    struct xlcfg_vtpm_acc *a = v;
    char *val = strchr(tok, '=');

    *val++ = '\0';
    if (!strcmp(tok, "backend")) {
        a->got_backend = true;
        return xlcfg_set_str(st, &a->vtpm->backend_domname, val);
    }
    if (!strcmp(tok, "uuid")) {
        if (libxl_uuid_from_string(&a->vtpm->uuid, val))
            return xlcfg_err(st, "invalid value '%s' for 'vtpm' uuid", val);
        return 0;
    }
    return xlcfg_err(st, "invalid value for 'vtpm': unknown parameter "
                     "'%s'", tok);
}

static int xlcfg_vtpms(struct xlcfg_st *st, libxl_domain_config *d)
{
    XLU_ConfigList *list;
    const char *buf;
    struct xlcfg_vtpm_acc a;
    int n, i, rc = xlcfg_list(st, "vtpm", &list, &n);

    if (rc)
        return rc < 0 ? -1 : 0;
    for (i = 0; i < n; i++) {
        if (xlcfg_item(st, "vtpm", list, i, &buf))
            return -1;
        a.vtpm = XLCFG_GROW(st, d->vtpms, d->num_vtpms,
                            libxl_device_vtpm_init);
        if (!a.vtpm)
            return -1;
        a.vtpm->devid = i;
        a.got_backend = false;
        if (xlcfg_tokens(st, buf, &a, xlcfg_vtpm_tok, true))
            return -1;
        if (!a.got_backend)
            return xlcfg_err(st, "invalid value '%s' for 'vtpm': backend "
                             "is required", buf);
    }
    return 0;
}

static int xlcfg_vdispl_tok(struct xlcfg_st *st, void *v, char *tok)
{
    libxl_device_vdispl *vd = v;
    const char *o;
    char **conns = NULL, *id, *res;
    int i, n, rc = -1;

    if ((o = xlcfg_opt(tok, "backend")))
        return xlcfg_set_str(st, &vd->backend_domname, o);
    if ((o = xlcfg_opt(tok, "be-alloc"))) {
        vd->be_alloc = strtoul(o, NULL, 0);
        return 0;
    }
    if (!(o = xlcfg_opt(tok, "connectors")))
        return xlcfg_err(st, "invalid value for 'vdispl': unknown "
                         "parameter '%s'", tok);
    conns = xlcfg_split(o, ";");
    if (!conns)
        return xlcfg_err(st, "out of memory");
    for (n = 0; conns[n]; n++)
        ;
    for (i = 0; i < vd->num_connectors; i++)
        libxl_connector_param_dispose(&vd->connectors[i]);
    free(vd->connectors);
    vd->connectors = calloc(n ? n : 1, sizeof(*vd->connectors));
    vd->num_connectors = 0;
    if (!vd->connectors) {
        xlcfg_err(st, "out of memory");
        goto out;
    }
    vd->num_connectors = n;
    for (i = 0; i < n; i++) {
        libxl_connector_param_init(&vd->connectors[i]);
        if (xlcfg_pair(conns[i], ":", &id, &res)) {
            xlcfg_err(st, "invalid value '%s' for 'vdispl' connector: "
                      "expected ID:WxH", conns[i]);
            goto out;
        }
        vd->connectors[i].unique_id = id;
        if (sscanf(res, "%ux%u", &vd->connectors[i].width,
                   &vd->connectors[i].height) != 2) {
            xlcfg_err(st, "invalid value '%s' for 'vdispl' connector: "
                      "bad resolution", conns[i]);
            free(res);
            goto out;
        }
        free(res);
    }
    rc = 0;
out:
    libxl_string_list_dispose(&conns);
    return rc;
}

static int xlcfg_vdispls(struct xlcfg_st *st, libxl_domain_config *d)
{
    XLU_ConfigList *list;
    const char *buf;
    int n, i, rc = xlcfg_list(st, "vdispl", &list, &n);

    if (rc)
        return rc < 0 ? -1 : 0;
    for (i = 0; i < n; i++) {
        libxl_device_vdispl *vd;

        if (xlcfg_item(st, "vdispl", list, i, &buf))
            return -1;
        vd = XLCFG_GROW(st, d->vdispls, d->num_vdispls,
                        libxl_device_vdispl_init);
        if (!vd)
            return -1;
        vd->devid = i;
        if (xlcfg_tokens(st, buf, vd, xlcfg_vdispl_tok, false))
            return -1;
        if (vd->num_connectors == 0)
            return xlcfg_err(st, "invalid value '%s' for 'vdispl': at "
                             "least one connector is required", buf);
    }
    return 0;
}

static int xlcfg_pvcalls_tok(struct xlcfg_st *st, void *v, char *tok)
{
    char **backend = v;
    char *val = strchr(tok, '=');

    *val++ = '\0';
    if (!strcmp(tok, "backend"))
        return xlcfg_set_str(st, backend, val);
    return xlcfg_err(st, "invalid value for 'pvcalls': unknown parameter "
                     "'%s'", tok);
}

static int xlcfg_pvcalls(struct xlcfg_st *st, libxl_domain_config *d)
{
    XLU_ConfigList *list;
    const char *buf;
    char *backend = NULL;
    int n, i, rc = xlcfg_list(st, "pvcalls", &list, &n);

    if (rc)
        return rc < 0 ? -1 : 0;
    for (i = 0; i < n; i++) {
        libxl_device_pvcallsif *pc;

        if (xlcfg_item(st, "pvcalls", list, i, &buf))
            return -1;
        pc = XLCFG_GROW(st, d->pvcallsifs, d->num_pvcallsifs,
                        libxl_device_pvcallsif_init);
        if (!pc)
            return -1;
        pc->devid = i;
        backend = NULL;
        if (xlcfg_tokens(st, buf, &backend, xlcfg_pvcalls_tok, true)) {
            free(backend);
            return -1;
        }
        if (backend) {
            free(pc->backend_domname);
            pc->backend_domname = backend;
        }
    }
    return 0;
}

/* vsnd: parameters shared by cards, pcms and streams. 1 = not ours. */
static int xlcfg_vsnd_params(struct xlcfg_st *st, libxl_vsnd_params *p,
                             const char *tok)
{
    const char *o;
    char **sl;
    int i, n;

    if ((o = xlcfg_opt(tok, XENSND_FIELD_SAMPLE_RATES))) {
        sl = xlcfg_split(o, ";");
        if (!sl)
            return xlcfg_err(st, "out of memory");
        for (n = 0; sl[n]; n++)
            ;
        free(p->sample_rates);
        p->sample_rates = calloc(n ? n : 1, sizeof(*p->sample_rates));
        p->num_sample_rates = p->sample_rates ? n : 0;
        for (i = 0; i < p->num_sample_rates; i++)
            p->sample_rates[i] = strtoul(sl[i], NULL, 0);
        libxl_string_list_dispose(&sl);
        return p->sample_rates ? 0 : xlcfg_err(st, "out of memory");
    }
    if ((o = xlcfg_opt(tok, XENSND_FIELD_SAMPLE_FORMATS))) {
        sl = xlcfg_split(o, ";");
        if (!sl)
            return xlcfg_err(st, "out of memory");
        for (n = 0; sl[n]; n++)
            ;
        free(p->sample_formats);
        p->sample_formats = calloc(n ? n : 1, sizeof(*p->sample_formats));
        p->num_sample_formats = p->sample_formats ? n : 0;
        for (i = 0; i < p->num_sample_formats; i++) {
            if (libxl_vsnd_pcm_format_from_string(sl[i],
                                                  &p->sample_formats[i])) {
                xlcfg_err(st, "invalid value '%s' for 'vsnd': unknown pcm "
                          "format", sl[i]);
                libxl_string_list_dispose(&sl);
                return -1;
            }
        }
        libxl_string_list_dispose(&sl);
        return p->sample_formats ? 0 : xlcfg_err(st, "out of memory");
    }
    if ((o = xlcfg_opt(tok, XENSND_FIELD_CHANNELS_MIN))) {
        p->channels_min = strtoul(o, NULL, 0);
        return 0;
    }
    if ((o = xlcfg_opt(tok, XENSND_FIELD_CHANNELS_MAX))) {
        p->channels_max = strtoul(o, NULL, 0);
        return 0;
    }
    if ((o = xlcfg_opt(tok, XENSND_FIELD_BUFFER_SIZE))) {
        p->buffer_size = strtoul(o, NULL, 0);
        return 0;
    }
    return 1;
}

/* One "card,...", "pcm,..." or "stream,..." item of a vsnd card. */
static int xlcfg_vsnd_item(struct xlcfg_st *st, libxl_device_vsnd *v,
                           const char *spec)
{
    char *buf = strdup(spec), *tok, *save = NULL, *key = NULL;
    libxl_vsnd_pcm *pcm;
    libxl_vsnd_stream *str;
    const char *o;
    int rc = -1;

    if (!buf)
        return xlcfg_err(st, "out of memory");
    for (tok = strtok_r(buf, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        while (*tok == ' ')
            tok++;
        if (!key) {
            key = tok;
            if (!strcasecmp(key, "card")) {
                /* the card itself exists already */
            } else if (!strcasecmp(key, "pcm")) {
                if (!XLCFG_GROW(st, v->pcms, v->num_vsnd_pcms,
                                libxl_vsnd_pcm_init))
                    goto out;
            } else if (!strcasecmp(key, "stream")) {
                if (!v->num_vsnd_pcms &&
                    !XLCFG_GROW(st, v->pcms, v->num_vsnd_pcms,
                                libxl_vsnd_pcm_init))
                    goto out;
                pcm = &v->pcms[v->num_vsnd_pcms - 1];
                if (!XLCFG_GROW(st, pcm->streams, pcm->num_vsnd_streams,
                                libxl_vsnd_stream_init))
                    goto out;
            } else {
                xlcfg_err(st, "invalid value '%s' for 'vsnd': expected "
                          "card, pcm or stream", key);
                goto out;
            }
            continue;
        }
        if (!strcasecmp(key, "card")) {
            int r = xlcfg_vsnd_params(st, &v->params, tok);

            if (r < 0)
                goto out;
            if (!r)
                continue;
            if ((o = xlcfg_opt(tok, "backend"))) {
                if (xlcfg_set_str(st, &v->backend_domname, o))
                    goto out;
            } else if ((o = xlcfg_opt(tok, XENSND_FIELD_VCARD_SHORT_NAME))) {
                if (xlcfg_set_str(st, &v->short_name, o))
                    goto out;
            } else if ((o = xlcfg_opt(tok, XENSND_FIELD_VCARD_LONG_NAME))) {
                if (xlcfg_set_str(st, &v->long_name, o))
                    goto out;
            } else {
                xlcfg_err(st, "invalid value for 'vsnd': unknown card "
                          "parameter '%s'", tok);
                goto out;
            }
        } else if (!strcasecmp(key, "pcm")) {
            int r;

            pcm = &v->pcms[v->num_vsnd_pcms - 1];
            r = xlcfg_vsnd_params(st, &pcm->params, tok);
            if (r < 0)
                goto out;
            if (!r)
                continue;
            if ((o = xlcfg_opt(tok, XENSND_FIELD_DEVICE_NAME))) {
                if (xlcfg_set_str(st, &pcm->name, o))
                    goto out;
            } else {
                xlcfg_err(st, "invalid value for 'vsnd': unknown pcm "
                          "parameter '%s'", tok);
                goto out;
            }
        } else {
            int r;

            pcm = &v->pcms[v->num_vsnd_pcms - 1];
            str = &pcm->streams[pcm->num_vsnd_streams - 1];
            r = xlcfg_vsnd_params(st, &str->params, tok);
            if (r < 0)
                goto out;
            if (!r)
                continue;
            if ((o = xlcfg_opt(tok, XENSND_FIELD_STREAM_UNIQUE_ID))) {
                if (xlcfg_set_str(st, &str->unique_id, o))
                    goto out;
            } else if ((o = xlcfg_opt(tok, XENSND_FIELD_TYPE))) {
                if (libxl_vsnd_stream_type_from_string(o, &str->type)) {
                    xlcfg_err(st, "invalid value '%s' for 'vsnd': unknown "
                              "stream type", o);
                    goto out;
                }
            } else {
                xlcfg_err(st, "invalid value for 'vsnd': unknown stream "
                          "parameter '%s'", tok);
                goto out;
            }
        }
    }
    rc = 0;
out:
    free(buf);
    return rc;
}

static int xlcfg_vsnds(struct xlcfg_st *st, libxl_domain_config *d)
{
    XLU_ConfigList *cards, *items;
    XLU_ConfigValue *card;
    const char *item;
    int n, i, j, rc = xlcfg_list(st, "vsnd", &cards, &n);

    if (rc)
        return rc < 0 ? -1 : 0;
    for (i = 0; (card = xlu_cfg_get_listitem2(cards, i)); i++) {
        libxl_device_vsnd *v;

        if (xlu_cfg_value_get_list(st->xlu, card, &items, 1))
            return xlcfg_err(st, "invalid value for 'vsnd': card %d is not "
                             "a list", i + 1);
        v = XLCFG_GROW(st, d->vsnds, d->num_vsnds, libxl_device_vsnd_init);
        if (!v)
            return -1;
        v->devid = i;
        for (j = 0; (item = xlu_cfg_get_listitem(items, j)); j++)
            if (xlcfg_vsnd_item(st, v, item))
                return -1;
    }
    return 0;
}

static int xlcfg_channels(struct xlcfg_st *st, libxl_domain_config *d)
{
    XLU_ConfigList *list;
    const char *buf;
    char **pairs = NULL, *key = NULL, *value = NULL, *path = NULL;
    int n, i, j, rc = xlcfg_list(st, "channel", &list, &n);

    if (rc)
        return rc < 0 ? -1 : 0;
    rc = -1;
    for (i = 0; i < n; i++) {
        libxl_device_channel *chn;

        if (xlcfg_item(st, "channel", list, i, &buf))
            goto out;
        chn = XLCFG_GROW(st, d->channels, d->num_channels,
                         libxl_device_channel_init);
        if (!chn)
            goto out;
        chn->devid = i;
        pairs = xlcfg_split(buf, ",");
        if (!pairs) {
            xlcfg_err(st, "out of memory");
            goto out;
        }
        for (j = 0; pairs[j]; j++) {
            if (xlcfg_pair(pairs[j], "=", &key, &value)) {
                xlcfg_err(st, "invalid value '%s' for 'channel': expected "
                          "key=value", pairs[j]);
                goto out;
            }
            if (!strcmp(key, "backend")) {
                if (xlcfg_set_str(st, &chn->backend_domname, value))
                    goto out;
            } else if (!strcmp(key, "name")) {
                if (xlcfg_set_str(st, &chn->name, value))
                    goto out;
            } else if (!strcmp(key, "path")) {
                if (xlcfg_set_str(st, &path, value))
                    goto out;
            } else if (!strcmp(key, "connection")) {
                if (!strcmp(value, "pty")) {
                    chn->connection = LIBXL_CHANNEL_CONNECTION_PTY;
                } else if (!strcmp(value, "socket")) {
                    chn->connection = LIBXL_CHANNEL_CONNECTION_SOCKET;
                } else {
                    xlcfg_err(st, "invalid value '%s' for 'channel' "
                              "connection", value);
                    goto out;
                }
            } else {
                xlcfg_warn(st, "unknown channel parameter '%s' (ignored)",
                           key);
            }
            free(key);
            free(value);
            key = value = NULL;
        }
        switch (chn->connection) {
        case LIBXL_CHANNEL_CONNECTION_SOCKET:
            if (!path) {
                xlcfg_err(st, "invalid value '%s' for 'channel': "
                          "connection=socket requires path", buf);
                goto out;
            }
            chn->u.socket.path = path;
            path = NULL;
            break;
        case LIBXL_CHANNEL_CONNECTION_PTY:
            break;
        default:
            xlcfg_err(st, "invalid value '%s' for 'channel': connection "
                      "is required", buf);
            goto out;
        }
        libxl_string_list_dispose(&pairs);
        free(path);
        path = NULL;
    }
    rc = 0;
out:
    libxl_string_list_dispose(&pairs);
    free(key);
    free(value);
    free(path);
    return rc;
}

#define XLCFG_NIC_STR(name) { #name, offsetof(libxl_device_nic, name) }

/* The vif options that simply store a string. */
static const struct {
    const char *key;
    size_t off;
} xlcfg_nic_strs[] = {
    { "bridge", offsetof(libxl_device_nic, bridge) },
    { "gatewaydev", offsetof(libxl_device_nic, gatewaydev) },
    { "ip", offsetof(libxl_device_nic, ip) },
    { "script", offsetof(libxl_device_nic, script) },
    { "backend", offsetof(libxl_device_nic, backend_domname) },
    { "vifname", offsetof(libxl_device_nic, ifname) },
    { "model", offsetof(libxl_device_nic, model) },
    { "forwarddev", offsetof(libxl_device_nic, coloft_forwarddev) },
    XLCFG_NIC_STR(colo_sock_mirror_id),
    XLCFG_NIC_STR(colo_sock_mirror_ip),
    XLCFG_NIC_STR(colo_sock_mirror_port),
    XLCFG_NIC_STR(colo_sock_compare_sec_in_id),
    XLCFG_NIC_STR(colo_sock_compare_sec_in_ip),
    XLCFG_NIC_STR(colo_sock_compare_sec_in_port),
    XLCFG_NIC_STR(colo_sock_redirector0_id),
    XLCFG_NIC_STR(colo_sock_redirector0_ip),
    XLCFG_NIC_STR(colo_sock_redirector0_port),
    XLCFG_NIC_STR(colo_sock_redirector1_id),
    XLCFG_NIC_STR(colo_sock_redirector1_ip),
    XLCFG_NIC_STR(colo_sock_redirector1_port),
    XLCFG_NIC_STR(colo_sock_redirector2_id),
    XLCFG_NIC_STR(colo_sock_redirector2_ip),
    XLCFG_NIC_STR(colo_sock_redirector2_port),
    XLCFG_NIC_STR(colo_sock_compare_pri_in_id),
    XLCFG_NIC_STR(colo_sock_compare_pri_in_ip),
    XLCFG_NIC_STR(colo_sock_compare_pri_in_port),
    XLCFG_NIC_STR(colo_sock_compare_notify_id),
    XLCFG_NIC_STR(colo_sock_compare_notify_ip),
    XLCFG_NIC_STR(colo_sock_compare_notify_port),
    XLCFG_NIC_STR(colo_filter_mirror_queue),
    XLCFG_NIC_STR(colo_filter_mirror_outdev),
    XLCFG_NIC_STR(colo_filter_redirector0_queue),
    XLCFG_NIC_STR(colo_filter_redirector0_indev),
    XLCFG_NIC_STR(colo_filter_redirector0_outdev),
    XLCFG_NIC_STR(colo_filter_redirector1_queue),
    XLCFG_NIC_STR(colo_filter_redirector1_indev),
    XLCFG_NIC_STR(colo_filter_redirector1_outdev),
    XLCFG_NIC_STR(colo_compare_pri_in),
    XLCFG_NIC_STR(colo_compare_sec_in),
    XLCFG_NIC_STR(colo_compare_out),
    XLCFG_NIC_STR(colo_compare_notify_dev),
    XLCFG_NIC_STR(colo_sock_sec_redirector0_id),
    XLCFG_NIC_STR(colo_sock_sec_redirector0_ip),
    XLCFG_NIC_STR(colo_sock_sec_redirector0_port),
    XLCFG_NIC_STR(colo_sock_sec_redirector1_id),
    XLCFG_NIC_STR(colo_sock_sec_redirector1_ip),
    XLCFG_NIC_STR(colo_sock_sec_redirector1_port),
    XLCFG_NIC_STR(colo_filter_sec_redirector0_queue),
    XLCFG_NIC_STR(colo_filter_sec_redirector0_indev),
    XLCFG_NIC_STR(colo_filter_sec_redirector0_outdev),
    XLCFG_NIC_STR(colo_filter_sec_redirector1_queue),
    XLCFG_NIC_STR(colo_filter_sec_redirector1_indev),
    XLCFG_NIC_STR(colo_filter_sec_redirector1_outdev),
    XLCFG_NIC_STR(colo_filter_sec_rewriter0_queue),
    XLCFG_NIC_STR(colo_checkpoint_host),
    XLCFG_NIC_STR(colo_checkpoint_port),
};

static int xlcfg_nic_tok(struct xlcfg_st *st, void *v, char *tok)
{
    libxl_device_nic *nic = v;
    const char *o;
    char *ep, what[600];
    unsigned long val;
    unsigned i;
    int e;

    for (i = 0; i < sizeof(xlcfg_nic_strs) / sizeof(xlcfg_nic_strs[0]);
         i++) {
        if ((o = xlcfg_opt(tok, xlcfg_nic_strs[i].key)))
            return xlcfg_set_str(st, (char **)((char *)nic +
                                               xlcfg_nic_strs[i].off), o);
    }
    if ((o = xlcfg_opt(tok, "type"))) {
        if (!strcmp(o, "vif"))
            nic->nictype = LIBXL_NIC_TYPE_VIF;
        else if (!strcmp(o, "ioemu"))
            nic->nictype = LIBXL_NIC_TYPE_VIF_IOEMU;
        else
            return xlcfg_err(st, "invalid value '%s' for 'vif' type", o);
        return 0;
    }
    if ((o = xlcfg_opt(tok, "mac"))) {
        const char *p = o;

        for (i = 0; i < 6; i++) {
            val = strtoul(p, &ep, 16);
            if (ep == p || val > 255)
                return xlcfg_err(st, "invalid value '%s' for 'vif' mac", o);
            nic->mac[i] = val;
            p = ep + 1;
        }
        return 0;
    }
    if ((o = xlcfg_opt(tok, "netdev"))) {
        xlcfg_warn(st, "'vif' netdev is deprecated, use gatewaydev");
        return xlcfg_set_str(st, &nic->gatewaydev, o);
    }
    if ((o = xlcfg_opt(tok, "rate"))) {
        snprintf(what, sizeof(what), "vif rate '%s'", o);
        e = xlu_vif_parse_rate(st->xlu, o, nic);
        if (e) {
            if (!xlcfg_drain(st, what, 1))
                xlcfg_err(st, "invalid %s", what);
            return -1;
        }
        xlcfg_drain(st, what, 0);
        return 0;
    }
    if ((o = xlcfg_opt(tok, "accel"))) {
        xlcfg_warn(st, "'vif' accel is not supported (ignored)");
        return 0;
    }
    if ((o = xlcfg_opt(tok, "devid"))) {
        if (xlcfg_ulong(st, "vif devid", o, &val))
            return -1;
        nic->devid = val;
        return 0;
    }
    if ((o = xlcfg_opt(tok, "mtu"))) {
        if (xlcfg_ulong(st, "vif mtu", o, &val))
            return -1;
        nic->mtu = val;
        return 0;
    }
    if (!strcmp(tok, "trusted")) {
        libxl_defbool_set(&nic->trusted, true);
        return 0;
    }
    if (!strcmp(tok, "untrusted")) {
        libxl_defbool_set(&nic->trusted, false);
        return 0;
    }
    if (st->strict)
        return xlcfg_err(st, "unknown network device parameter '%s'", tok);
    /* xl carries on after an unknown vif option in a file, so only warn */
    xlcfg_warn(st, "unknown 'vif' parameter '%s' (ignored)", tok);
    return 0;
}

static int xlcfg_nics(struct xlcfg_st *st, libxl_domain_config *d)
{
    XLU_ConfigList *list;
    const char *buf;
    int n, i, rc = xlcfg_list(st, "vif", &list, &n);

    if (rc)
        return rc < 0 ? -1 : 0;
    for (i = 0; i < n; i++) {
        libxl_device_nic *nic;

        if (xlcfg_item(st, "vif", list, i, &buf))
            return -1;
        nic = XLCFG_GROW(st, d->nics, d->num_nics, libxl_device_nic_init);
        if (!nic)
            return -1;
        nic->devid = i;
        if ((st->g.vifscript &&
             xlcfg_set_str(st, &nic->script, st->g.vifscript)) ||
            (st->g.bridge && xlcfg_set_str(st, &nic->bridge, st->g.bridge)) ||
            (st->g.gatewaydev &&
             xlcfg_set_str(st, &nic->gatewaydev, st->g.gatewaydev)) ||
            (st->g.vifbackend &&
             xlcfg_set_str(st, &nic->backend_domname, st->g.vifbackend)))
            return -1;
        if (xlcfg_tokens(st, buf, nic, xlcfg_nic_tok, false))
            return -1;
    }
    return 0;
}

static int xlcfg_vfb_tok(struct xlcfg_st *st, void *v, char *tok)
{
    libxl_device_vfb *vfb = v;
    char *val = strchr(tok, '=');

    *val++ = '\0';
    if (!strcmp(tok, "vnc"))
        libxl_defbool_set(&vfb->vnc.enable, atoi(val));
    else if (!strcmp(tok, "vnclisten"))
        return xlcfg_set_str(st, &vfb->vnc.listen, val);
    else if (!strcmp(tok, "vncpasswd"))
        return xlcfg_set_str(st, &vfb->vnc.passwd, val);
    else if (!strcmp(tok, "vncdisplay"))
        vfb->vnc.display = atoi(val);
    else if (!strcmp(tok, "vncunused"))
        libxl_defbool_set(&vfb->vnc.findunused, atoi(val));
    else if (!strcmp(tok, "keymap"))
        return xlcfg_set_str(st, &vfb->keymap, val);
    else if (!strcmp(tok, "sdl"))
        libxl_defbool_set(&vfb->sdl.enable, atoi(val));
    else if (!strcmp(tok, "opengl"))
        libxl_defbool_set(&vfb->sdl.opengl, atoi(val));
    else if (!strcmp(tok, "display"))
        return xlcfg_set_str(st, &vfb->sdl.display, val);
    else if (!strcmp(tok, "xauthority"))
        return xlcfg_set_str(st, &vfb->sdl.xauthority, val);
    else
        xlcfg_warn(st, "unknown 'vfb' parameter '%s' (ignored)", tok);
    return 0;
}

static int xlcfg_vfbs(struct xlcfg_st *st, libxl_domain_config *d)
{
    XLU_ConfigList *list;
    const char *buf;
    int n, i, rc = xlcfg_list(st, "vfb", &list, &n);

    if (rc)
        return rc < 0 ? -1 : 0;
    for (i = 0; i < n; i++) {
        libxl_device_vfb *vfb;
        libxl_device_vkb *vkb;

        if (xlcfg_item(st, "vfb", list, i, &buf))
            return -1;
        vfb = XLCFG_GROW(st, d->vfbs, d->num_vfbs, libxl_device_vfb_init);
        if (!vfb)
            return -1;
        vfb->devid = d->num_vfbs - 1;
        vkb = XLCFG_GROW(st, d->vkbs, d->num_vkbs, libxl_device_vkb_init);
        if (!vkb)
            return -1;
        vkb->devid = d->num_vkbs - 1;
        if (xlcfg_tokens(st, buf, vfb, xlcfg_vfb_tok, true))
            return -1;
    }
    return 0;
}

static int xlcfg_usbctrl_tok(struct xlcfg_st *st, void *v, char *tok)
{
    libxl_device_usbctrl *u = v;
    const char *o;

    if ((o = xlcfg_opt(tok, "type"))) {
        if (libxl_usbctrl_type_from_string(o, &u->type))
            return xlcfg_err(st, "invalid value '%s' for 'usbctrl' type",
                             o);
    } else if ((o = xlcfg_opt(tok, "version"))) {
        u->version = atoi(o);
    } else if ((o = xlcfg_opt(tok, "ports"))) {
        u->ports = atoi(o);
    } else {
        return xlcfg_err(st, "invalid value for 'usbctrl': unknown "
                         "parameter '%s'", tok);
    }
    return 0;
}

static int xlcfg_usbdev_tok(struct xlcfg_st *st, void *v, char *tok)
{
    libxl_device_usbdev *u = v;
    const char *o;

    if ((o = xlcfg_opt(tok, "type"))) {
        if (libxl_usbdev_type_from_string(o, &u->type))
            return xlcfg_err(st, "invalid value '%s' for 'usbdev' type", o);
    } else if ((o = xlcfg_opt(tok, "hostbus"))) {
        u->u.hostdev.hostbus = strtoul(o, NULL, 0);
    } else if ((o = xlcfg_opt(tok, "hostaddr"))) {
        u->u.hostdev.hostaddr = strtoul(o, NULL, 0);
    } else if ((o = xlcfg_opt(tok, "controller"))) {
        u->ctrl = atoi(o);
    } else if ((o = xlcfg_opt(tok, "port"))) {
        u->port = atoi(o);
    } else {
        return xlcfg_err(st, "invalid value for 'usbdev': unknown "
                         "parameter '%s'", tok);
    }
    return 0;
}

static int xlcfg_usb(struct xlcfg_st *st, libxl_domain_config *d)
{
    XLU_ConfigList *list;
    const char *buf;
    int n, i, rc;

    rc = xlcfg_list(st, "usbctrl", &list, &n);
    if (rc < 0)
        return -1;
    for (i = 0; !rc && i < n; i++) {
        libxl_device_usbctrl *u;

        if (xlcfg_item(st, "usbctrl", list, i, &buf))
            return -1;
        u = XLCFG_GROW(st, d->usbctrls, d->num_usbctrls,
                       libxl_device_usbctrl_init);
        if (!u)
            return -1;
        u->devid = i;
        if (xlcfg_tokens(st, buf, u, xlcfg_usbctrl_tok, false))
            return -1;
    }

    rc = xlcfg_list(st, "usbdev", &list, &n);
    if (rc < 0)
        return -1;
    for (i = 0; !rc && i < n; i++) {
        libxl_device_usbdev *u;

        if (xlcfg_item(st, "usbdev", list, i, &buf))
            return -1;
        u = XLCFG_GROW(st, d->usbdevs, d->num_usbdevs,
                       libxl_device_usbdev_init);
        if (!u || xlcfg_tokens(st, buf, u, xlcfg_usbdev_tok, false))
            return -1;
    }
    return 0;
}

static int xlcfg_cpuid(struct xlcfg_st *st, libxl_domain_build_info *b)
{
    static const char *const xend_err[] = {
        NULL, "illegal leaf number", "illegal subleaf number",
        "missing colon", "invalid register name (must be e[abcd]x)",
        "policy string must be exactly 32 characters long",
    };
    XLU_ConfigList *list;
    const char *buf;
    char *copy, *p, *save = NULL;
    int n, i, e, rc;

    if (xlcfg_is_list(st, "cpuid")) {
        if (xlcfg_list(st, "cpuid", &list, &n))
            return -1;
        for (i = 0; i < n; i++) {
            if (xlcfg_item(st, "cpuid", list, i, &buf))
                return -1;
            e = libxl_cpuid_parse_config_xend(&b->cpuid, buf);
            if (e)
                return xlcfg_err(st, "invalid value '%s' for 'cpuid': %s",
                                 buf, e > 0 && e < 6 ? xend_err[e]
                                                     : "unknown error");
        }
        return 0;
    }
    rc = xlcfg_str(st, "cpuid", &buf);
    if (rc)
        return rc < 0 ? -1 : 0;
    copy = strdup(buf);
    if (!copy)
        return xlcfg_err(st, "out of memory");
    rc = 0;
    p = strtok_r(copy, ",", &save);
    if (p && strcmp(p, "host")) {
        rc = xlcfg_err(st, "invalid value '%s' for 'cpuid': the first word "
                       "must be 'host'", buf);
        p = NULL;
    }
    while (p && !rc && (p = strtok_r(NULL, ",", &save))) {
        e = libxl_cpuid_parse_config(&b->cpuid, p);
        if (e == 1)
            rc = xlcfg_err(st, "invalid value '%s' for 'cpuid': missing "
                           "'=' in key=value", p);
        else if (e == 2)
            rc = xlcfg_err(st, "invalid value '%s' for 'cpuid': unknown "
                           "flag", p);
        else if (e == 3)
            rc = xlcfg_err(st, "invalid value '%s' for 'cpuid': value must "
                           "be 0, 1, x, k or s", p);
        else if (e)
            rc = xlcfg_err(st, "invalid value '%s' for 'cpuid'", p);
    }
    free(copy);
    return rc;
}

static int xlcfg_vkb_tok(struct xlcfg_st *st, void *v, char *tok)
{
    libxl_device_vkb *vkb = v;
    const char *o;
    static const struct {
        const char *key;
        size_t off;
        bool is_bool;
    } nums[] = {
        { XENKBD_FIELD_FEAT_DSBL_KEYBRD,
          offsetof(libxl_device_vkb, feature_disable_keyboard), true },
        { XENKBD_FIELD_FEAT_DSBL_POINTER,
          offsetof(libxl_device_vkb, feature_disable_pointer), true },
        { XENKBD_FIELD_FEAT_ABS_POINTER,
          offsetof(libxl_device_vkb, feature_abs_pointer), true },
        { XENKBD_FIELD_FEAT_RAW_POINTER,
          offsetof(libxl_device_vkb, feature_raw_pointer), true },
        { XENKBD_FIELD_FEAT_MTOUCH,
          offsetof(libxl_device_vkb, feature_multi_touch), true },
        { XENKBD_FIELD_MT_WIDTH,
          offsetof(libxl_device_vkb, multi_touch_width), false },
        { XENKBD_FIELD_MT_HEIGHT,
          offsetof(libxl_device_vkb, multi_touch_height), false },
        { XENKBD_FIELD_MT_NUM_CONTACTS,
          offsetof(libxl_device_vkb, multi_touch_num_contacts), false },
        { XENKBD_FIELD_WIDTH, offsetof(libxl_device_vkb, width), false },
        { XENKBD_FIELD_HEIGHT, offsetof(libxl_device_vkb, height), false },
    };
    unsigned i;

    if ((o = xlcfg_opt(tok, "backend")))
        return xlcfg_set_str(st, &vkb->backend_domname, o);
    if ((o = xlcfg_opt(tok, "backend-type"))) {
        if (libxl_vkb_backend_from_string(o, &vkb->backend_type))
            return xlcfg_err(st, "invalid value '%s' for 'vkb' "
                             "backend-type", o);
        return 0;
    }
    if ((o = xlcfg_opt(tok, XENKBD_FIELD_UNIQUE_ID)))
        return xlcfg_set_str(st, &vkb->unique_id, o);
    for (i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
        if ((o = xlcfg_opt(tok, nums[i].key))) {
            unsigned long num = strtoul(o, NULL, 0);
            char *field = (char *)vkb + nums[i].off;

            if (nums[i].is_bool)
                *(bool *)field = num;
            else
                *(uint32_t *)field = num;
            return 0;
        }
    }
    return xlcfg_err(st, "invalid value for 'vkb': unknown parameter '%s'",
                     tok);
}

static int xlcfg_vkbs(struct xlcfg_st *st, libxl_domain_config *d)
{
    XLU_ConfigList *list;
    const char *buf;
    int n, i, rc = xlcfg_list(st, "vkb", &list, &n);

    if (rc)
        return rc < 0 ? -1 : 0;
    for (i = 0; i < n; i++) {
        libxl_device_vkb *vkb;

        if (xlcfg_item(st, "vkb", list, i, &buf))
            return -1;
        vkb = XLCFG_GROW(st, d->vkbs, d->num_vkbs, libxl_device_vkb_init);
        if (!vkb)
            return -1;
        vkb->devid = d->num_vkbs - 1;
        if (xlcfg_tokens(st, buf, vkb, xlcfg_vkb_tok, false))
            return -1;
        if (vkb->backend_type == LIBXL_VKB_BACKEND_UNKNOWN)
            return xlcfg_err(st, "invalid value '%s' for 'vkb': "
                             "backend-type is required", buf);
        if (vkb->multi_touch_height || vkb->multi_touch_width ||
            vkb->multi_touch_num_contacts)
            vkb->feature_multi_touch = true;
        if (vkb->feature_multi_touch &&
            !(vkb->multi_touch_height || vkb->multi_touch_width ||
              vkb->multi_touch_num_contacts))
            return xlcfg_err(st, "invalid value '%s' for 'vkb': multi-touch "
                             "needs its width, height and contacts", buf);
    }
    return 0;
}

/* ---------------------------------------------------------------------
 * Device model, display and the rest of the HVM options
 */

static int xlcfg_dm(struct xlcfg_st *st, libxl_domain_config *d)
{
    libxl_domain_build_info *b = &d->b_info;
    const char *buf;
    int rc;

    rc = xlcfg_str(st, "device_model", &buf);
    if (rc < 0)
        return -1;
    if (!rc) {
        xlcfg_warn(st, "ignoring 'device_model' (use "
                   "'device_model_override' for a non-default device "
                   "model)");
        if (strstr(buf, "stubdom-dm")) {
            if (d->c_info.type == LIBXL_DOMAIN_TYPE_HVM)
                xlcfg_warn(st, "use 'device_model_stubdomain_override' to "
                           "enable stub domains");
            else
                xlcfg_warn(st, "stub domains are ignored for a pv guest");
        }
    }
    if (xlcfg_strdup(st, "device_model_override", &b->device_model) < 0)
        return -1;
    rc = xlcfg_str(st, "device_model_version", &buf);
    if (rc < 0)
        return -1;
    if (!rc) {
        if (!strcmp(buf, "qemu-xen-traditional"))
            b->device_model_version =
                LIBXL_DEVICE_MODEL_VERSION_QEMU_XEN_TRADITIONAL;
        else if (!strcmp(buf, "qemu-xen"))
            b->device_model_version = LIBXL_DEVICE_MODEL_VERSION_QEMU_XEN;
        else
            return xlcfg_err(st, "invalid value '%s' for "
                             "'device_model_version'", buf);
    } else if (b->device_model) {
        xlcfg_warn(st, "'device_model_override' given without "
                   "'device_model_version'");
    }
    if (xlcfg_bool(st, "device_model_stubdomain_override",
                   &b->device_model_stubdomain) < 0 ||
        xlcfg_strdup(st, "device_model_stubdomain_seclabel",
                     &b->device_model_ssid_label) < 0 ||
        xlcfg_strdup(st, "device_model_user", &b->device_model_user) < 0 ||
        xlcfg_strdup(st, "stubdomain_kernel", &b->stubdomain_kernel) < 0 ||
        xlcfg_strdup(st, "stubdomain_cmdline",
                     &b->stubdomain_cmdline) < 0 ||
        xlcfg_strdup(st, "stubdomain_ramdisk",
                     &b->stubdomain_ramdisk) < 0 ||
        xlcfg_mb(st, "stubdomain_memory", &b->stubdomain_memkb) < 0 ||
        xlcfg_strlist(st, "device_model_args", &b->extra) < 0 ||
        xlcfg_strlist(st, "device_model_args_pv", &b->extra_pv) < 0 ||
        xlcfg_strlist(st, "device_model_args_hvm", &b->extra_hvm) < 0)
        return -1;
    return 0;
}

static int xlcfg_vnc_sdl(struct xlcfg_st *st, libxl_vnc_info *vnc,
                         libxl_sdl_info *sdl)
{
    long l;
    int rc;

    if (xlcfg_bool(st, "vnc", &vnc->enable) < 0 ||
        xlcfg_strdup(st, "vnclisten", &vnc->listen) < 0 ||
        xlcfg_strdup(st, "vncpasswd", &vnc->passwd) < 0)
        return -1;
    rc = xlcfg_long(st, "vncdisplay", &l);
    if (rc < 0)
        return -1;
    if (!rc)
        vnc->display = l;
    if (xlcfg_bool(st, "vncunused", &vnc->findunused) < 0 ||
        xlcfg_bool(st, "sdl", &sdl->enable) < 0 ||
        xlcfg_bool(st, "opengl", &sdl->opengl) < 0 ||
        xlcfg_strdup(st, "display", &sdl->display) < 0 ||
        xlcfg_strdup(st, "xauthority", &sdl->xauthority) < 0)
        return -1;
    return 0;
}

static int xlcfg_display(struct xlcfg_st *st, libxl_domain_config *d)
{
    libxl_domain_build_info *b = &d->b_info;
    libxl_device_vfb *vfb;
    libxl_device_vkb *vkb;
    long l = 0;

    /* a pv guest with vfb = [...] ignores the top-level vnc options */
    if (d->c_info.type == LIBXL_DOMAIN_TYPE_PV && !d->num_vfbs) {
        if (xlcfg_long(st, "vnc", &l) < 0)
            return -1;
        if (!l)
            return 0;
        vfb = XLCFG_GROW(st, d->vfbs, d->num_vfbs, libxl_device_vfb_init);
        if (!vfb)
            return -1;
        vfb->devid = d->num_vfbs - 1;
        vkb = XLCFG_GROW(st, d->vkbs, d->num_vkbs, libxl_device_vkb_init);
        if (!vkb)
            return -1;
        vkb->devid = d->num_vkbs - 1;
        if (xlcfg_vnc_sdl(st, &vfb->vnc, &vfb->sdl) ||
            xlcfg_strdup(st, "keymap", &vfb->keymap) < 0)
            return -1;
        return 0;
    }
    /*
     * As in xl, a pv guest with vfbs, or a pvh guest, stores these in the
     * hvm member of the union; the json printer never shows them.
     */
    return xlcfg_vnc_sdl(st, &b->u.hvm.vnc, &b->u.hvm.sdl);
}

/* A key that may be a list of strings or a single string. */
static int xlcfg_str_or_list(struct xlcfg_st *st, const char *key,
                             libxl_string_list *sl, char **s)
{
    if (xlcfg_is_list(st, key))
        return xlcfg_strlist(st, key, sl) < 0 ? -1 : 0;
    return xlcfg_strdup(st, key, s) < 0 ? -1 : 0;
}

static int xlcfg_hvm_late(struct xlcfg_st *st, libxl_domain_build_info *b)
{
    const char *buf;
    long l;
    int rc;

    rc = xlcfg_str(st, "vga", &buf);
    if (rc < 0)
        return -1;
    if (!rc) {
        if (!strcmp(buf, "stdvga"))
            b->u.hvm.vga.kind = LIBXL_VGA_INTERFACE_TYPE_STD;
        else if (!strcmp(buf, "cirrus"))
            b->u.hvm.vga.kind = LIBXL_VGA_INTERFACE_TYPE_CIRRUS;
        else if (!strcmp(buf, "none"))
            b->u.hvm.vga.kind = LIBXL_VGA_INTERFACE_TYPE_NONE;
        else if (!strcmp(buf, "qxl"))
            b->u.hvm.vga.kind = LIBXL_VGA_INTERFACE_TYPE_QXL;
        else
            return xlcfg_err(st, "invalid value '%s' for 'vga'", buf);
    } else {
        rc = xlcfg_long(st, "stdvga", &l);
        if (rc < 0)
            return -1;
        if (!rc)
            b->u.hvm.vga.kind = l ? LIBXL_VGA_INTERFACE_TYPE_STD
                                  : LIBXL_VGA_INTERFACE_TYPE_CIRRUS;
    }
    if (XLCFG_ENUM(st, "hdtype", libxl_hdtype_from_string,
                   &b->u.hvm.hdtype) < 0)
        return -1;

    if (xlcfg_strdup(st, "keymap", &b->u.hvm.keymap) < 0 ||
        xlcfg_bool(st, "spice", &b->u.hvm.spice.enable) < 0)
        return -1;
    rc = xlcfg_long(st, "spiceport", &l);
    if (rc < 0)
        return -1;
    if (!rc)
        b->u.hvm.spice.port = l;
    rc = xlcfg_long(st, "spicetls_port", &l);
    if (rc < 0)
        return -1;
    if (!rc)
        b->u.hvm.spice.tls_port = l;
    if (xlcfg_strdup(st, "spicehost", &b->u.hvm.spice.host) < 0 ||
        xlcfg_bool(st, "spicedisable_ticketing",
                   &b->u.hvm.spice.disable_ticketing) < 0 ||
        xlcfg_strdup(st, "spicepasswd", &b->u.hvm.spice.passwd) < 0 ||
        xlcfg_bool(st, "spiceagent_mouse",
                   &b->u.hvm.spice.agent_mouse) < 0 ||
        xlcfg_bool(st, "spicevdagent", &b->u.hvm.spice.vdagent) < 0 ||
        xlcfg_bool(st, "spice_clipboard_sharing",
                   &b->u.hvm.spice.clipboard_sharing) < 0)
        return -1;
    rc = xlcfg_long(st, "spiceusbredirection", &l);
    if (rc < 0)
        return -1;
    if (!rc)
        b->u.hvm.spice.usbredirection = l;
    if (xlcfg_strdup(st, "spice_image_compression",
                     &b->u.hvm.spice.image_compression) < 0 ||
        xlcfg_strdup(st, "spice_streaming_video",
                     &b->u.hvm.spice.streaming_video) < 0 ||
        xlcfg_bool(st, "nographic", &b->u.hvm.nographic) < 0)
        return -1;

    /* gfx_passthru: a boolean number or the kind of passthrough */
    rc = xlcfg_str(st, "gfx_passthru", &buf);
    if (rc < 0)
        return -1;
    if (!rc) {
        if (!xlu_cfg_get_long(st->xlu, "gfx_passthru", &l, 1)) {
            libxl_defbool_set(&b->u.hvm.gfx_passthru, l);
        } else {
            if (libxl_gfx_passthru_kind_from_string(buf,
                    &b->u.hvm.gfx_passthru_kind))
                return xlcfg_err(st, "invalid value '%s' for "
                                 "'gfx_passthru'", buf);
            libxl_defbool_set(&b->u.hvm.gfx_passthru, true);
        }
    }

    if (xlcfg_str_or_list(st, "serial", &b->u.hvm.serial_list,
                          &b->u.hvm.serial) ||
        xlcfg_strdup(st, "boot", &b->u.hvm.boot) < 0 ||
        xlcfg_bool(st, "usb", &b->u.hvm.usb) < 0)
        return -1;
    rc = xlcfg_long(st, "usbversion", &l);
    if (rc < 0)
        return -1;
    if (!rc)
        b->u.hvm.usbversion = l;
    if (xlcfg_str_or_list(st, "usbdevice", &b->u.hvm.usbdevice_list,
                          &b->u.hvm.usbdevice) ||
        xlcfg_bool(st, "vkb_device", &b->u.hvm.vkb_device) < 0 ||
        xlcfg_strdup(st, "soundhw", &b->u.hvm.soundhw) < 0 ||
        xlcfg_bool(st, "xen_platform_pci",
                   &b->u.hvm.xen_platform_pci) < 0)
        return -1;

    if (b->u.hvm.vnc.listen && b->u.hvm.vnc.display &&
        strchr(b->u.hvm.vnc.listen, ':'))
        return xlcfg_err(st, "the display is set both in 'vnclisten' and "
                         "in 'vncdisplay'");

    if (XLCFG_ENUM(st, "vendor_device", libxl_vendor_device_from_string,
                   &b->u.hvm.vendor_device) < 0)
        return -1;
    return 0;
}

/* ---------------------------------------------------------------------
 * The whole file, in xl's order
 */

static int xlcfg_domain(struct xlcfg_st *st, libxl_domain_config *d)
{
    libxl_domain_create_info *c = &d->c_info;
    libxl_domain_build_info *b = &d->b_info;
    const char *buf;
    long l, vcpus = 0;
    int rc, pci_msitranslate = 0, pci_power_mgmt = 0;
    int pci_permissive = 0, pci_seize = 0;

    if (xlcfg_strdup(st, "init_seclabel", &c->ssid_label) < 0)
        return -1;
    rc = xlcfg_str(st, "seclabel", &buf);
    if (rc < 0)
        return -1;
    if (!rc && xlcfg_set_str(st, c->ssid_label ? &b->exec_ssid_label
                                               : &c->ssid_label, buf))
        return -1;

    libxl_defbool_set(&c->run_hotplug_scripts, st->g.run_hotplug_scripts);

    rc = xlcfg_str(st, "type", &buf);
    if (rc < 0)
        return -1;
    if (!rc) {
        /* xl accepts any prefix, tried in this order */
        if (xlcfg_abbrev(buf, "hvm"))
            c->type = LIBXL_DOMAIN_TYPE_HVM;
        else if (xlcfg_abbrev(buf, "pv"))
            c->type = LIBXL_DOMAIN_TYPE_PV;
        else if (xlcfg_abbrev(buf, "pvh"))
            c->type = LIBXL_DOMAIN_TYPE_PVH;
        else
            return xlcfg_err(st, "invalid value '%s' for 'type': expected "
                             "pv, pvh or hvm", buf);
    }
    rc = xlcfg_str(st, "builder", &buf);
    if (rc < 0)
        return -1;
    if (!rc) {
        libxl_domain_type t;

        if (xlcfg_abbrev(buf, "hvm"))
            t = LIBXL_DOMAIN_TYPE_HVM;
        else if (xlcfg_abbrev(buf, "generic"))
            t = LIBXL_DOMAIN_TYPE_PV;
        else
            return xlcfg_err(st, "invalid value '%s' for 'builder': "
                             "expected generic or hvm", buf);
        if (c->type != LIBXL_DOMAIN_TYPE_INVALID && c->type != t)
            return xlcfg_err(st, "'builder' and 'type' contradict each "
                             "other");
        c->type = t;
    }
    if (c->type == LIBXL_DOMAIN_TYPE_INVALID)
#if defined(__arm__) || defined(__aarch64__)
        c->type = LIBXL_DOMAIN_TYPE_PVH;
#else
        c->type = LIBXL_DOMAIN_TYPE_PV;
#endif

    if (xlcfg_bool(st, "hap", &c->hap) < 0)
        return -1;
    rc = xlcfg_strdup(st, "name", &c->name);
    if (rc < 0)
        return -1;
    if (rc)
        return xlcfg_err(st, "config file '%s': 'name' is not set",
                         st->source);

    rc = xlcfg_str(st, "uuid", &buf);
    if (rc < 0)
        return -1;
    if (!rc) {
        if (libxl_uuid_from_string(&c->uuid, buf))
            return xlcfg_err(st, "invalid value '%s' for 'uuid'", buf);
    } else {
        libxl_uuid_generate(&c->uuid);
    }
    if (xlcfg_bool(st, "oos", &c->oos) < 0 ||
        xlcfg_strdup(st, "pool", &c->pool_name) < 0)
        return -1;

    libxl_domain_build_info_init_type(b, c->type);

    if (b->type == LIBXL_DOMAIN_TYPE_PVH &&
        (xlcfg_bool(st, "pvshim", &b->u.pvh.pvshim) < 0 ||
         xlcfg_strdup(st, "pvshim_path", &b->u.pvh.pvshim_path) < 0 ||
         xlcfg_strdup(st, "pvshim_cmdline", &b->u.pvh.pvshim_cmdline) < 0 ||
         xlcfg_strdup(st, "pvshim_extra", &b->u.pvh.pvshim_extra) < 0))
        return -1;

    if (st->g.blkdev_start &&
        xlcfg_set_str(st, &b->blkdev_start, st->g.blkdev_start))
        return -1;

#define XLCFG_INT(key, lval)                                               \
    do {                                                                   \
        rc = xlcfg_long(st, (key), &l);                                    \
        if (rc < 0)                                                        \
            return -1;                                                     \
        if (!rc)                                                           \
            (lval) = l;                                                    \
    } while (0)

    XLCFG_INT("cpu_weight", b->sched_params.weight);
    XLCFG_INT("cap", b->sched_params.cap);
    XLCFG_INT("period", b->sched_params.period);
    XLCFG_INT("slice", b->sched_params.slice);
    XLCFG_INT("latency", b->sched_params.latency);
    XLCFG_INT("extratime", b->sched_params.extratime);

    if (xlcfg_mb(st, "memory", &b->target_memkb) < 0 ||
        xlcfg_mb(st, "maxmem", &b->max_memkb) < 0)
        return -1;

    rc = xlcfg_bounded(st, "vcpus", 0, INT_MAX, &l);
    if (rc < 0)
        return -1;
    if (!rc) {
        vcpus = l;
        if (xlcfg_cpu_bitmap(st, &b->avail_vcpus, (int)l))
            return -1;
        libxl_bitmap_set_none(&b->avail_vcpus);
        while (l-- > 0)
            libxl_bitmap_set(&b->avail_vcpus, l);
    }
    rc = xlcfg_bounded(st, "maxvcpus", 0, INT_MAX, &l);
    if (rc < 0)
        return -1;
    if (!rc)
        b->max_vcpus = l;

    if (XLCFG_ENUM(st, "vuart", libxl_vuart_type_from_string,
                   &b->arch_arm.vuart) < 0)
        return -1;

    if (xlcfg_vnuma(st, b))
        return -1;

    if (b->max_memkb == LIBXL_MEMKB_DEFAULT)
        b->max_memkb = b->target_memkb;
    if (b->max_vcpus == 0)
        b->max_vcpus = vcpus;
    if (b->max_vcpus < vcpus)
        return xlcfg_err(st, "'maxvcpus' (%d) is less than 'vcpus' (%ld)",
                         b->max_vcpus, vcpus);

    if (xlcfg_affinity(st, b, "cpus", true) ||
        xlcfg_affinity(st, b, "cpus_soft", false))
        return -1;

    rc = xlcfg_bounded(st, "max_grant_frames", 0, INT_MAX, &l);
    if (rc < 0)
        return -1;
    b->max_grant_frames = rc ? st->g.max_grant_frames : l;
    rc = xlcfg_bounded(st, "max_maptrack_frames", 0, INT_MAX, &l);
    if (rc < 0)
        return -1;
    b->max_maptrack_frames = rc ? st->g.max_maptrack_frames : l;
    rc = xlcfg_bounded(st, "max_grant_version", 0, INT_MAX, &l);
    if (rc < 0)
        return -1;
    b->max_grant_version = rc ? st->g.max_grant_version : l;

    libxl_defbool_set(&b->claim_mode, st->g.claim_mode);

    if (xlcfg_action(st, "on_poweroff", "destroy", &d->on_poweroff) ||
        xlcfg_action(st, "on_reboot", "restart", &d->on_reboot) ||
        xlcfg_action(st, "on_watchdog", "destroy", &d->on_watchdog) ||
        xlcfg_action(st, "on_crash", "destroy", &d->on_crash) ||
        xlcfg_action(st, "on_soft_reset", "soft-reset", &d->on_soft_reset))
        return -1;

    if (c->type == LIBXL_DOMAIN_TYPE_PV &&
        xlcfg_bool(st, "e820_host", &b->u.pv.e820_host) < 0)
        return -1;

    XLCFG_INT("pci_msitranslate", pci_msitranslate);
    XLCFG_INT("pci_power_mgmt", pci_power_mgmt);
    XLCFG_INT("pci_permissive", pci_permissive);
    XLCFG_INT("pci_seize", pci_seize);

    rc = xlcfg_str(st, "rdm", &buf);
    if (rc < 0)
        return -1;
    if (!rc) {
        /*
         * libxlutil 4.17 fails on any "policy=" (its check is inverted)
         * and xl then ignores rdm altogether; do the same, but say so.
         * Fields not given keep their defaults (xl leaves them unset).
         */
        libxl_rdm_reserve rdm = b->u.hvm.rdm;
        char what[600];

        snprintf(what, sizeof(what), "rdm specification '%s'", buf);
        if (xlu_rdm_parse(st->xlu, &rdm, buf)) {
            xlcfg_drain(st, what, 0);
            xlcfg_warn(st, "ignoring invalid %s", what);
        } else {
            xlcfg_drain(st, what, 0);
            /* as xl, through the hvm member whatever the type */
            b->u.hvm.rdm.strategy = rdm.strategy;
            b->u.hvm.rdm.policy = rdm.policy;
        }
    }

    if (xlcfg_pcis(st, d, pci_msitranslate, pci_power_mgmt, pci_permissive,
                   pci_seize) ||
        xlcfg_dtdevs(st, d))
        return -1;

    if (XLCFG_ENUM(st, "passthrough", libxl_passthrough_from_string,
                   &c->passthrough) < 0)
        return -1;

    if (xlcfg_mb(st, "shadow_memory", &b->shadow_memkb) < 0 ||
        xlcfg_bool(st, "nomigrate", &b->disable_migrate) < 0)
        return -1;

    {
        int mode = b->tsc_mode;

        if (xlcfg_enum_or_long(st, "tsc_mode", LIBXL_TSC_MODE_DEFAULT,
                               LIBXL_TSC_MODE_NATIVE_PARAVIRT, &mode,
                               xlcfg_tsc_from, xlcfg_tsc_name) < 0)
            return -1;
        b->tsc_mode = mode;
    }

    XLCFG_INT("rtc_timeoffset", b->rtc_timeoffset);
    rc = xlcfg_long(st, "vncviewer", &l);
    if (rc < 0)
        return -1;
    if (!rc)
        xlcfg_warn(st, "ignoring 'vncviewer' (use 'create -V' to start a "
                   "vnc viewer)");
    if (xlcfg_bool(st, "localtime", &b->localtime) < 0 ||
        xlcfg_mb(st, "videoram", &b->video_memkb) < 0)
        return -1;
    XLCFG_INT("max_event_channels", b->event_channels);

    if (xlcfg_strdup(st, "kernel", &b->kernel) < 0 ||
        xlcfg_strdup(st, "ramdisk", &b->ramdisk) < 0 ||
        xlcfg_strdup(st, "device_tree", &b->device_tree) < 0 ||
        xlcfg_cmdline(st, &b->cmdline))
        return -1;

    if (xlcfg_bool(st, "driver_domain", &c->driver_domain) < 0 ||
        xlcfg_bool(st, "acpi", &b->acpi) < 0 ||
        xlcfg_strdup(st, "bootloader", &b->bootloader) < 0)
        return -1;

    if (xlcfg_is_list(st, "bootloader_args")) {
        if (xlcfg_strlist(st, "bootloader_args", &b->bootloader_args) < 0)
            return -1;
    } else {
        rc = xlcfg_str(st, "bootloader_args", &buf);
        if (rc < 0)
            return -1;
        if (!rc) {
            xlcfg_warn(st, "'bootloader_args' as a string is deprecated, "
                       "use a list");
            b->bootloader_args = xlcfg_split(buf, " \t\n");
            if (!b->bootloader_args)
                return xlcfg_err(st, "out of memory");
        }
    }

    if (!xlu_cfg_get_string(st->xlu, "timer_mode", &buf, 1) &&
        b->type == LIBXL_DOMAIN_TYPE_PV)
        return xlcfg_err(st, "'timer_mode' is not supported for pv "
                         "guests");
    {
        int mode = b->timer_mode;

        if (xlcfg_enum_or_long(st, "timer_mode",
                               LIBXL_TIMER_MODE_DELAY_FOR_MISSED_TICKS,
                               LIBXL_TIMER_MODE_ONE_MISSED_TICK_PENDING,
                               &mode, xlcfg_timer_from,
                               xlcfg_timer_name) < 0)
            return -1;
        b->timer_mode = mode;
    }

    if (xlcfg_bool(st, "nestedhvm", &b->nested_hvm) < 0)
        return -1;

    if (b->type == LIBXL_DOMAIN_TYPE_HVM) {
        if (xlcfg_hvm(st, b))
            return -1;
    } else if (xlcfg_pv_firmware(st, b)) {
        return -1;
    }

    {
        libxl_altp2m_mode mode = b->altp2m;

        rc = xlcfg_str(st, "altp2m", &buf);
        if (rc < 0)
            return -1;
        if (!rc) {
            if (!xlu_cfg_get_long(st->xlu, "altp2m", &l, 1)) {
                if (l < LIBXL_ALTP2M_MODE_DISABLED ||
                    l > LIBXL_ALTP2M_MODE_LIMITED)
                    return xlcfg_err(st, "invalid value '%s' for 'altp2m'",
                                     buf);
                mode = l;
            } else if (libxl_altp2m_mode_from_string(buf, &mode)) {
                return xlcfg_err(st, "invalid value '%s' for 'altp2m'", buf);
            }
            b->altp2m = mode;
        }
    }

    rc = xlcfg_bounded(st, "vmtrace_buf_kb", INT_MIN, INT_MAX, &l);
    if (rc < 0)
        return -1;
    if (!rc && l)
        b->vmtrace_buf_kb = l;

    if (xlcfg_ioports(st, b) || xlcfg_irqs(st, b) || xlcfg_iomem(st, b))
        return -1;

    if (xlcfg_disks(st, d) || xlcfg_p9s(st, d) || xlcfg_vtpms(st, d) ||
        xlcfg_vdispls(st, d) || xlcfg_pvcalls(st, d) || xlcfg_vsnds(st, d) ||
        xlcfg_channels(st, d) || xlcfg_nics(st, d))
        return -1;

    if (!xlu_cfg_get_list(st->xlu, "vif2", NULL, NULL, 1))
        xlcfg_warn(st, "ignoring 'vif2' (netchannel2 is not supported)");

    if (xlcfg_vfbs(st, d) || xlcfg_usb(st, d) || xlcfg_cpuid(st, b) ||
        xlcfg_dm(st, d) || xlcfg_display(st, d))
        return -1;

    if (xlcfg_bool(st, "dm_restrict", &b->dm_restrict) < 0)
        return -1;

    if (c->type == LIBXL_DOMAIN_TYPE_HVM && xlcfg_hvm_late(st, b))
        return -1;

    if (XLCFG_ENUM(st, "gic_version", libxl_gic_version_from_string,
                   &b->arch_arm.gic_version) < 0 ||
        XLCFG_ENUM(st, "tee", libxl_tee_type_from_string, &b->tee) < 0)
        return -1;

    if (xlcfg_vkbs(st, d))
        return -1;

    if (xlcfg_bool(st, "xend_suspend_evtchn_compat",
                   &c->xend_suspend_evtchn_compat) < 0)
        return -1;
    rc = xlcfg_bool(st, "msr_relaxed", &b->arch_x86.msr_relaxed);
    if (rc < 0)
        return -1;
    if (!rc)
        xlcfg_warn(st, "'msr_relaxed' will be removed in future versions "
                   "(if it fixes an issue for you, please report to "
                   "xen-devel@lists.xenproject.org)");
    if (xlcfg_bool(st, "vpmu", &b->vpmu) < 0)
        return -1;
#undef XLCFG_INT
    return 0;
}

/*
 * What xl create does after parsing: restrict hard affinity to the
 * xl.conf masks (vm.cpumask and the per-type one).
 */
static int xlcfg_masks(struct xlcfg_st *st, libxl_domain_build_info *b)
{
    libxl_bitmap *type_mask = b->type == LIBXL_DOMAIN_TYPE_PV
                              ? &st->g.pv_mask : &st->g.hvm_mask;
    libxl_bitmap *m;
    int i, j, n;

    if (b->num_vcpu_hard_affinity == 0 &&
        (!libxl_bitmap_is_full(&st->g.vm_mask) ||
         !libxl_bitmap_is_full(type_mask))) {
        n = b->max_vcpus;
        b->vcpu_hard_affinity = calloc(n ? n : 1, sizeof(libxl_bitmap));
        if (!b->vcpu_hard_affinity)
            return xlcfg_err(st, "out of memory");
        b->num_vcpu_hard_affinity = n;
        for (i = 0; i < n; i++)
            libxl_bitmap_init(&b->vcpu_hard_affinity[i]);
        for (i = 0; i < n; i++) {
            if (xlcfg_cpu_bitmap(st, &b->vcpu_hard_affinity[i], 0))
                return -1;
            libxl_bitmap_set_any(&b->vcpu_hard_affinity[i]);
        }
    }
    for (i = 0; i < b->num_vcpu_hard_affinity; i++) {
        m = &b->vcpu_hard_affinity[i];
        n = m->size;
        if ((int)st->g.vm_mask.size < n)
            n = st->g.vm_mask.size;
        if ((int)type_mask->size < n)
            n = type_mask->size;
        for (j = 0; j < n; j++)
            m->map[j] &= st->g.vm_mask.map[j] & type_mask->map[j];
        /* the and of different sizes has the smaller size */
        m->size = n;
        if (libxl_bitmap_is_empty(m))
            return xlcfg_err(st, "the hard affinity of vcpu %d is empty", i);
    }
    return 0;
}

static int xlcfg_json(struct xlcfg_st *st, const char *data,
                      libxl_domain_config *cfg)
{
    if (st->opts->n_overrides)
        return xlcfg_err(st, "config file '%s': overrides cannot be applied "
                         "to a json configuration", st->source);
    if (!st->ctx)
        return xlcfg_err(st, "config file '%s': reading a json "
                         "configuration needs a connection to xen",
                         st->source);
    if (libxl_domain_config_from_json(st->ctx, cfg, data))
        return xlcfg_err(st, "config file '%s': invalid json domain "
                         "configuration", st->source);
    return 0;
}

/*
 * Parse text alone, only to report its syntax errors against the right
 * source: the file, or override number ovr (then ovr >= 0).
 */
static int xlcfg_syntax(struct xlcfg_st *st, const char *text, size_t len,
                        int ovr)
{
    XLU_Config *xlu = xlu_cfg_init(st->rep, st->source);
    int e;

    if (!xlu)
        return xlcfg_err(st, "out of memory");
    st->cur_ovr = ovr;
    e = xlu_cfg_readdata(xlu, text, (int)len);
    if (e && !xlcfg_drain(st, NULL, 1))
        xlcfg_err(st, "%s '%s': %s", ovr >= 0 ? "override" : "config file",
                  ovr >= 0 ? st->opts->overrides[ovr] : st->source,
                  xlcfg_strerror(st, e));
    xlcfg_drain(st, NULL, 0);
    st->cur_ovr = -1;
    xlu_cfg_destroy(xlu);
    return e ? -1 : 0;
}

int xlcfg_parse(libxl_ctx *ctx, const struct xlcfg_opts *opts,
                libxl_domain_config *cfg)
{
    struct xlcfg_st st;
    char *data = NULL, *all = NULL, where[600];
    const char *p;
    size_t len = 0, total;
    int e, i, rc = -1, lines = 0;

    memset(&st, 0, sizeof(st));
    st.ctx = ctx;
    st.opts = opts;
    st.source = opts->path ? opts->path : "";
    st.cur_ovr = -1;
    xlcfg_global_init(&st.g);

    if (!opts->path || !*opts->path || !strcmp(opts->path, "-")) {
        xlcfg_err(&st, "no config file given");
        goto out;
    }
    e = xlcfg_slurp(opts->path, &data, &len);
    if (e) {
        xlcfg_err(&st, "config file '%s': %s", opts->path,
                  xlcfg_strerror(&st, e));
        goto out;
    }
    for (p = data; isspace((unsigned char)*p); p++)
        ;
    if (*p == '{') {
        rc = xlcfg_json(&st, data, cfg);
        goto out;
    }

    for (i = 0; i < opts->n_overrides; i++) {
        if (!strchr(opts->overrides[i], '=')) {
            xlcfg_err(&st, "invalid override '%s': expected key=value",
                      opts->overrides[i]);
            goto out;
        }
    }

    if (xlcfg_global_read(&st))
        goto out;

    /* the file, then "\n", the overrides one a line, and "\n" */
    total = len + 3;
    for (i = 0; i < opts->n_overrides; i++)
        total += strlen(opts->overrides[i]) + 1;
    if (total > INT_MAX) {
        xlcfg_err(&st, "config file '%s': too big", opts->path);
        goto out;
    }
    all = malloc(total);
    if (!all) {
        xlcfg_err(&st, "out of memory");
        goto out;
    }
    memcpy(all, data, len);
    total = len;
    if (opts->n_overrides) {
        for (p = data; p < data + len; p++)
            lines += *p == '\n';
        st.ovr_line = lines + 2;
        all[total++] = '\n';
        for (i = 0; i < opts->n_overrides; i++) {
            size_t n = strlen(opts->overrides[i]);

            memcpy(all + total, opts->overrides[i], n);
            total += n;
            all[total++] = '\n';
        }
        all[total++] = '\n';
    }
    all[total] = '\0';

    st.rep = open_memstream(&st.rep_buf, &st.rep_size);
    if (!st.rep) {
        xlcfg_err(&st, "out of memory");
        goto out;
    }
    /*
     * With overrides, check the pieces alone first: an unclosed list in
     * one would otherwise be reported at the end of the combined text.
     */
    if (opts->n_overrides) {
        if (xlcfg_syntax(&st, data, len, -1))
            goto out;
        for (i = 0; i < opts->n_overrides; i++) {
            char *one = NULL;
            int r;

            if (asprintf(&one, "%s\n", opts->overrides[i]) < 0) {
                xlcfg_err(&st, "out of memory");
                goto out;
            }
            r = xlcfg_syntax(&st, one, strlen(one), i);
            free(one);
            if (r)
                goto out;
        }
    }
    st.xlu = xlu_cfg_init(st.rep, opts->path);
    if (!st.xlu) {
        xlcfg_err(&st, "out of memory");
        goto out;
    }
    e = xlu_cfg_readdata(st.xlu, all, (int)total);
    if (e) {
        if (!xlcfg_drain(&st, NULL, 1))
            xlcfg_err(&st, "config file '%s': %s", opts->path,
                      xlcfg_strerror(&st, e));
        goto out;
    }
    xlcfg_drain(&st, NULL, 0);

    snprintf(where, sizeof(where), "'%s'", opts->path);
    xlcfg_scan_keys(&st, data, where);
    for (i = 0; i < opts->n_overrides; i++) {
        snprintf(where, sizeof(where), "override '%s'", opts->overrides[i]);
        xlcfg_scan_keys(&st, opts->overrides[i], where);
    }

    if (xlcfg_domain(&st, cfg) || xlcfg_masks(&st, &cfg->b_info))
        goto out;
    xlcfg_drain(&st, NULL, 0);
    rc = 0;
out:
    xlu_cfg_destroy(st.xlu);
    if (st.rep)
        fclose(st.rep);
    free(st.rep_buf);
    xlcfg_global_dispose(&st.g);
    free(all);
    free(data);
    return rc;
}

/* ---------------------------------------------------------------------
 * Device specifications from a command line (block-attach,
 * network-attach).
 */

static int xlcfg_spec_open(struct xlcfg_st *st, const struct xlcfg_opts *o)
{
    memset(st, 0, sizeof(*st));
    st->opts = o;
    st->source = "command line";
    st->cur_ovr = -1;
    st->strict = 1;
    xlcfg_global_init(&st->g);
    st->rep = open_memstream(&st->rep_buf, &st->rep_size);
    if (st->rep)
        st->xlu = xlu_cfg_init(st->rep, st->source);
    if (!st->xlu)
        return xlcfg_err(st, "out of memory");
    return 0;
}

static void xlcfg_spec_close(struct xlcfg_st *st)
{
    xlu_cfg_destroy(st->xlu);
    if (st->rep)
        fclose(st->rep);
    free(st->rep_buf);
    xlcfg_global_dispose(&st->g);
}

int xlcfg_disk_spec(const struct xlcfg_opts *opts, libxl_device_disk *disk)
{
    struct xlcfg_st st;
    char what[600];
    size_t n = 0;
    int i, e, rc = -1;

    if (xlcfg_spec_open(&st, opts))
        goto out;
    what[0] = '\0';
    for (i = 0; i < opts->n_overrides; i++)
        n += snprintf(what + n, n < sizeof(what) ? sizeof(what) - n : 0,
                      "%s%s", i ? " " : "disk specification '",
                      opts->overrides[i]);
    if (n < sizeof(what) - 1)
        strcat(what, "'");
    e = xlu_disk_parse(st.xlu, opts->n_overrides,
                       (const char **)opts->overrides, disk);
    if (e) {
        if (!xlcfg_drain(&st, what, 1))
            xlcfg_err(&st, "invalid %s: %s", what, xlcfg_strerror(&st, e));
        goto out;
    }
    xlcfg_drain(&st, what, 0);
    rc = 0;
out:
    xlcfg_spec_close(&st);
    return rc;
}

int xlcfg_nic_spec(const struct xlcfg_opts *opts, libxl_device_nic *nic)
{
    struct xlcfg_st st;
    int i, rc = -1;

    if (xlcfg_spec_open(&st, opts) || xlcfg_global_read(&st))
        goto out;
    if ((st.g.vifscript && xlcfg_set_str(&st, &nic->script, st.g.vifscript)) ||
        (st.g.bridge && xlcfg_set_str(&st, &nic->bridge, st.g.bridge)) ||
        (st.g.gatewaydev &&
         xlcfg_set_str(&st, &nic->gatewaydev, st.g.gatewaydev)) ||
        (st.g.vifbackend &&
         xlcfg_set_str(&st, &nic->backend_domname, st.g.vifbackend)))
        goto out;
    for (i = 0; i < opts->n_overrides; i++) {
        if (!strchr(opts->overrides[i], '=') &&
            strcmp(opts->overrides[i], "trusted") &&
            strcmp(opts->overrides[i], "untrusted")) {
            xlcfg_err(&st, "invalid network device parameter '%s': "
                      "expected key=value", opts->overrides[i]);
            goto out;
        }
        if (xlcfg_tokens(&st, opts->overrides[i], nic, xlcfg_nic_tok,
                         false))
            goto out;
    }
    rc = 0;
out:
    xlcfg_spec_close(&st);
    return rc;
}
