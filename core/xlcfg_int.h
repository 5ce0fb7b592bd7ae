/*
 * xlcfg's private header: what the xlcfg*.c files share and nothing
 * outside core/xlcfg*.c may use.  The public interface is xlcfg.h.
 *
 * Files by subject: xlcfg.c (entry points, top-level keys), xlcfg_util.c
 * (messages, accessors, small parsers), xlcfg_global.c (xl.conf),
 * xlcfg_cpu.c (CPU maps, affinity, vNUMA, cpuid), xlcfg_hvm.c (HVM,
 * display, device model), xlcfg_dev.c (device lists), xlcfg_dev_item.c
 * (disks, passthrough, channels, sound: items with their own grammar),
 * xlcfg_res.c (ioports, irqs, iomem), xlcfg_pool.c (CPU lists and pools
 * from the command line).
 *
 * Every xlcfg_* function taking a struct xlcfg_st reports its own errors
 * through st and returns -1 after doing so, unless its comment says
 * otherwise.  None calls back into the caller.
 */
#ifndef AXL_XLCFG_INT_H
#define AXL_XLCFG_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <libxl.h>
#include <libxlutil.h>

#include "xlcfg.h"

/* xl.conf settings that end up in a domain configuration. */
struct xlcfg_global {
    int run_hotplug_scripts;
    char *vifscript;
    char *bridge;
    char *gatewaydev;
    char *vifbackend;
    char *blkdev_start;
    int claim_mode;
    int autoballoon;        /* 1 on, 0 off, -1 auto */
    char *lockfile;         /* xl's lock; NULL: the default */
    long max_grant_frames;
    long max_maptrack_frames;
    long max_grant_version;
    libxl_bitmap vm_mask;
    libxl_bitmap hvm_mask;
    libxl_bitmap pv_mask;
};

/* The pci_* keys: defaults for every pci = [...] device. */
struct xlcfg_pci_defaults {
    int msitranslate;
    int power_mgmt;
    int permissive;
    int seize;
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
    const char *text;       /* the config file's text, for where a key is */
    struct xlcfg_global g;
    struct xlcfg_pci_defaults pci;
    char errbuf[128];
};

#define XLCFG_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ---------------------------------------------------------------------
 * Messages (xlcfg_util.c)
 */

/* Report an error; returns -1 so callers can `return xlcfg_err(...)`. */
int __attribute__((format(printf, 2, 3)))
xlcfg_err(struct xlcfg_st *st, const char *fmt, ...);

/* Report a warning. */
void __attribute__((format(printf, 2, 3)))
xlcfg_warn(struct xlcfg_st *st, const char *fmt, ...);

/* strerror(e) with a lowercase first letter; valid until the next call. */
const char *xlcfg_strerror(struct xlcfg_st *st, int e);

/*
 * Report whatever libxlutil wrote to st->rep since the last call, as
 * errors or warnings about `what` (may be NULL).  Returns the number of
 * lines reported.
 */
int xlcfg_drain(struct xlcfg_st *st, const char *what, int is_error);

/*
 * After a libxlutil parser returned e for `what`: report what it said,
 * or, if it said nothing, "invalid WHAT" (with strerror(e) when
 * say_errno).  Returns 0 when e is 0, else -1.
 */
int xlcfg_xlu_result(struct xlcfg_st *st, const char *what, int e,
                     bool say_errno);

/* ---------------------------------------------------------------------
 * Accessors (xlcfg_util.c).  Each returns 0 when the key is set and
 * valid, 1 when it is absent, -1 after reporting a bad value.
 */

/* Whether key is set to a list (never reports). */
int xlcfg_is_list(struct xlcfg_st *st, const char *key);
/* *v points into the parsed configuration. */
int xlcfg_str(struct xlcfg_st *st, const char *key, const char **v);
/* Replace *dst (freeing it) with a copy of the value of key. */
int xlcfg_strdup(struct xlcfg_st *st, const char *key, char **dst);
int xlcfg_bounded(struct xlcfg_st *st, const char *key, long min, long max,
                  long *l);
int xlcfg_long(struct xlcfg_st *st, const char *key, long *l);
/* Stores the value, converted, only when the key is set. */
int xlcfg_int(struct xlcfg_st *st, const char *key, int *dst);
/* A size in MiB stored in KiB, as memory = 512 does. */
int xlcfg_mb(struct xlcfg_st *st, const char *key, uint64_t *kb);
int xlcfg_bool(struct xlcfg_st *st, const char *key, libxl_defbool *b);
/* *list belongs to the parsed configuration. */
int xlcfg_list(struct xlcfg_st *st, const char *key, XLU_ConfigList **list,
               int *n);
/* The i-th item of a list that must hold strings; NULL past the end. */
int xlcfg_item(struct xlcfg_st *st, const char *key, XLU_ConfigList *list,
               int i, const char **item);
/* A list of strings, copied into *sl. */
int xlcfg_strlist(struct xlcfg_st *st, const char *key,
                  libxl_string_list *sl);
/* A list of strings into *sl, or a single string into *s; 0 or -1. */
int xlcfg_str_or_list(struct xlcfg_st *st, const char *key,
                      libxl_string_list *sl, char **s);
/*
 * A key that is an enumeration name or, deprecated, its number between
 * min and max.  *dst is left alone when the key is absent.
 */
int xlcfg_enum_or_long(struct xlcfg_st *st, const char *key, long min,
                       long max, int *dst,
                       int (*from_string)(const char *, void *),
                       const char *(*to_string)(int));

/* How a key of a scalar table is read, and what it is stored in. */
enum xlcfg_type {
    XLCFG_T_INT,        /* int, by xlcfg_int */
    XLCFG_T_BOOL,       /* libxl_defbool */
    XLCFG_T_STR,        /* char *, a copy */
    XLCFG_T_MB,         /* uint64_t KiB from MiB */
    XLCFG_T_STRLIST,    /* libxl_string_list */
};

/* One key of a scalar table: where in the base structure it goes. */
struct xlcfg_scalar {
    const char *key;
    enum xlcfg_type type;
    size_t off;
};

#define XLCFG_SCALAR(key, type, base, field)                               \
    { (key), (type), offsetof(base, field) }

/* Read the n keys of table t, in order, into base; 0 or -1. */
int xlcfg_scalars(struct xlcfg_st *st, void *base,
                  const struct xlcfg_scalar *t, size_t n);
#define XLCFG_SCALARS(st, base, table)                                     \
    xlcfg_scalars((st), (base), (table), XLCFG_ARRAY_SIZE(table))

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

/* ---------------------------------------------------------------------
 * Small helpers (xlcfg_util.c)
 */

/*
 * Grow an array of libxl devices by one element, initialised by init.
 * Returns the new element, or NULL after reporting.
 */
void *xlcfg_grow(struct xlcfg_st *st, void **array, int *count, size_t size,
                 void (*init)(void *));

/* (void (*)(void)) first: it converts to any function type quietly */
#define XLCFG_INIT_FN(fn) ((void (*)(void *))(void (*)(void))(fn))
#define XLCFG_GROW(st, arr, cnt, initfn)                                   \
    ((__typeof__(arr))xlcfg_grow((st), (void **)&(arr), &(cnt),            \
                                 sizeof(*(arr)), XLCFG_INIT_FN(initfn)))

/* Is s a prefix of word?  ("" is a prefix of everything, as in xl.) */
int xlcfg_abbrev(const char *s, const char *word);
/* The value of "key=value" in token if it starts with "key=", or NULL. */
const char *xlcfg_opt(const char *token, const char *key);
/* Replace *dst (freeing it) with a copy of v. */
int xlcfg_set_str(struct xlcfg_st *st, char **dst, const char *v);
/*
 * Split str at any of delim into a NULL-terminated list of non-empty
 * pieces, as strtok does; the caller disposes of it with
 * libxl_string_list_dispose().  NULL on allocation failure (unreported).
 */
char **xlcfg_split(const char *str, const char *delim);
/*
 * The first two pieces of str between delimiters (so "a=b=c" gives "a"
 * and "b"), trimmed of white space, newly allocated.  -1 (unreported)
 * when there are fewer than two.
 */
int xlcfg_pair(const char *str, const char *delim, char **a_r, char **b_r);

/*
 * A number, or a range "N-M" with N <= M, in base 10 or 16, each at most
 * max, with nothing after it.  Blanks may precede a number (as strtoul
 * lets xl accept "0, 2"); signs may not.  A single number gives
 * *first_r == *last_r.  Returns 0, or -1 (unreported).
 */
int xlcfg_range(const char *s, int base, uint64_t max, uint64_t *first_r,
                uint64_t *last_r);
/*
 * One number as xlcfg_range reads it.  With end_r, *end_r is set to what
 * follows it; without, nothing may follow.  0 or -1 (unreported).
 */
int xlcfg_number(const char *s, char **end_r, int base, uint64_t max,
                 uint64_t *v);
/* A decimal number; reports "not a number" naming what. */
int xlcfg_ulong(struct xlcfg_st *st, const char *what, const char *s,
                unsigned long *v);

/*
 * Walk the comma-separated "key=value" items of a device spec as xl does
 * (strtok, leading blanks skipped), calling fn on each with dev.  fn
 * returns 0, or -1 after reporting; a token without '=' stops the walk
 * when stop_at_bare is set.
 */
typedef int xlcfg_tok_fn(struct xlcfg_st *st, void *dev, char *tok);
int xlcfg_tokens(struct xlcfg_st *st, const char *spec, void *dev,
                 xlcfg_tok_fn *fn, bool stop_at_bare);

/* Read the whole of path; *data_r is NUL-terminated.  Returns errno. */
int xlcfg_slurp(const char *path, char **data_r, size_t *len_r);

/*
 * Read data (len bytes, the file's text; may be empty) with the
 * overrides of st->opts appended one a line, as xl appends them, into
 * st->xlu, reporting syntax errors against st->source or the override
 * at fault.  Sets st->rep and st->xlu, which the caller disposes of
 * (xlcfg.c).
 */
int xlcfg_read_text(struct xlcfg_st *st, const char *data, size_t len);

/* ---------------------------------------------------------------------
 * xl.conf (xlcfg_global.c)
 */

void xlcfg_global_init(struct xlcfg_global *g);
void xlcfg_global_dispose(struct xlcfg_global *g);
/* Read st->opts->global_path into st->g; a missing default is no error. */
int xlcfg_global_read(struct xlcfg_st *st);
/* Give nic the xl.conf vif defaults (script, bridge, gatewaydev, backend). */
int xlcfg_global_nic(struct xlcfg_st *st, libxl_device_nic *nic);
/* Restrict hard affinity to the xl.conf CPU masks, as xl create does. */
int xlcfg_global_masks(struct xlcfg_st *st, libxl_domain_build_info *b);

/* ---------------------------------------------------------------------
 * CPUs (xlcfg_cpu.c)
 */

/*
 * Allocate *bm for n_bits bits without a libxl context (libxl's own
 * allocator needs one); libxl_bitmap_dispose() frees it.
 */
int xlcfg_bitmap_alloc(struct xlcfg_st *st, libxl_bitmap *bm, int n_bits);
/* A CPU map for n CPUs, or for every host CPU when n is 0. */
int xlcfg_cpu_bitmap(struct xlcfg_st *st, libxl_bitmap *bm, int n);
/* Add to *map the comma-separated CPU list str (xl's cpus syntax). */
int xlcfg_cpurange(struct xlcfg_st *st, const char *what, const char *str,
                   libxl_bitmap *map);
/* cpus / cpus_soft (hard selects which). */
int xlcfg_affinity(struct xlcfg_st *st, libxl_domain_build_info *b,
                   const char *key, bool hard);
/* vnuma = [...]; needs st->ctx when the list is not empty. */
int xlcfg_vnuma(struct xlcfg_st *st, libxl_domain_build_info *b);
/* cpuid, in libxl's "host,..." form or xend's list form. */
int xlcfg_cpuid(struct xlcfg_st *st, libxl_domain_build_info *b);

/* ---------------------------------------------------------------------
 * HVM, display, device model (xlcfg_hvm.c)
 */

/* The HVM keys read where xl reads them, before the device lists. */
int xlcfg_hvm(struct xlcfg_st *st, libxl_domain_build_info *b);
/* The HVM keys xl reads after the device model (vga, spice, ...). */
int xlcfg_hvm_late(struct xlcfg_st *st, libxl_domain_build_info *b);
/* firmware for a non-HVM guest, and the kernel/bootloader check. */
int xlcfg_pv_firmware(struct xlcfg_st *st, libxl_domain_build_info *b);
/* device_model*, stubdomain_* keys. */
int xlcfg_dm(struct xlcfg_st *st, libxl_domain_config *d);
/* vnc, sdl and keymap: into a new vfb for a PV guest, else into hvm. */
int xlcfg_display(struct xlcfg_st *st, libxl_domain_config *d);

/* ---------------------------------------------------------------------
 * Devices (xlcfg_dev.c: the lists and the kinds given as "key=value";
 * xlcfg_dev_item.c: the kinds whose items have a grammar of their own)
 */

/* When xl reads each device list, relative to the other keys. */
enum xlcfg_dev_stage {
    XLCFG_DEV_PASSTHROUGH,  /* pci, dtdev: after the pci_* defaults */
    XLCFG_DEV_MAIN,         /* disk ... vif: after the resources */
    XLCFG_DEV_LATE,         /* vfb, usb: before cpuid */
    XLCFG_DEV_LAST,         /* vkb: after everything else */
};

/* Parse every device list of that stage into d, in xl's order. */
int xlcfg_devices(struct xlcfg_st *st, libxl_domain_config *d,
                  enum xlcfg_dev_stage stage);
/*
 * Append a device of the kind read from key ("vfb") to d, initialised
 * and numbered as in a list.  NULL after reporting.
 */
void *xlcfg_dev_add(struct xlcfg_st *st, libxl_domain_config *d,
                    const char *key);
/*
 * The comma-separated "key=value" parameters of a device of the kind
 * read from key, as that list's items are parsed ("vif" for the words
 * of network-attach).
 */
int xlcfg_dev_tokens(struct xlcfg_st *st, const char *key, void *dev,
                     const char *spec);
/*
 * One device of the kind read from key from command-line words (see
 * xlcfg_dev_spec() in xlcfg.h): each word one item (vsnd, pci) or
 * key=value parameters; then what the kind requires and checks.
 */
int xlcfg_dev_words(struct xlcfg_st *st, const char *key, void *dev,
                    const char *const *words, int n);
/* ioports, irqs and iomem. */
int xlcfg_resources(struct xlcfg_st *st, libxl_domain_build_info *b);

/* How the value of a "key=value" device parameter is stored. */
enum xlcfg_conv {
    XLCFG_F_STR,        /* char *, a copy */
    XLCFG_F_ATOI,       /* int, by atoi as xl does */
    XLCFG_F_ATOI_DEFBOOL, /* libxl_defbool, by atoi */
    XLCFG_F_U8,         /* uint8_t, by strtoul base 0 */
    XLCFG_F_U32,        /* uint32_t, by strtoul base 0 */
    XLCFG_F_BOOL,       /* bool, by strtoul base 0 */
    XLCFG_F_ENUM,       /* an enumeration, by name through from */
};

/* A "key=value" device parameter simply stored at off. */
struct xlcfg_field {
    const char *key;
    size_t off;
    enum xlcfg_conv conv;
    int (*from)(const char *s, void *e);    /* libxl's *_from_string */
};

/*
 * If tok is "key=value" with the key of one of the n fields f, store the
 * value in dev (a device of the list kind, which messages name): 0, or
 * -1 after reporting.  1, and nothing stored, when no field has that key.
 */
int xlcfg_field_tok(struct xlcfg_st *st, const char *kind, void *dev,
                    const char *tok, const struct xlcfg_field *f, size_t n);
#define XLCFG_FIELD_TOK(st, kind, dev, tok, fields)                        \
    xlcfg_field_tok((st), (kind), (dev), (tok), (fields),                  \
                    XLCFG_ARRAY_SIZE(fields))

/*
 * What a kind does with one item of its list, besides or instead of its
 * tokens: d is the configuration (empty for command-line words), dev the
 * new device, spec the item.  0, or -1 after reporting.
 */
typedef int xlcfg_item_fn(struct xlcfg_st *st, libxl_domain_config *d,
                          void *dev, const char *spec);

/*
 * The item functions of xlcfg_dev_item.c: each parses the whole
 * specification spec into dev.  A pci device takes the pci_* defaults
 * (st->pci) and the rdm policy of d, and makes a PV guest use the host's
 * memory map.
 */
int xlcfg_disk_item(struct xlcfg_st *st, libxl_domain_config *d, void *dev,
                    const char *spec);
int xlcfg_pci_item(struct xlcfg_st *st, libxl_domain_config *d, void *dev,
                   const char *spec);
int xlcfg_dtdev_item(struct xlcfg_st *st, libxl_domain_config *d, void *dev,
                     const char *spec);
int xlcfg_channel_item(struct xlcfg_st *st, libxl_domain_config *d,
                       void *dev, const char *spec);
/* spec is one "card, ...", "pcm, ..." or "stream, ..." of the card dev. */
int xlcfg_vsnd_item(struct xlcfg_st *st, libxl_domain_config *d, void *dev,
                    const char *spec);

/* -1 after reporting if s holds a control character (what names it). */
int xlcfg_no_ctrl(struct xlcfg_st *st, const char *what, const char *s);

#endif
