/*
 * xlcfg: turn an xl.cfg(5) domain configuration file, or libxl's JSON
 * domain configuration, into a libxl_domain_config.
 *
 * Pure translation: nothing here creates, queries or changes a domain.
 * The result is meant to be identical to what `xl -N create` prints for
 * the same file, overrides and global configuration (xl.conf).
 */
#ifndef AXL_XLCFG_H
#define AXL_XLCFG_H

#include <stdbool.h>
#include <libxl.h>

/* Where xl reads its global defaults from. */
#define XLCFG_GLOBAL_DEFAULT "/etc/xen/xl.conf"

/*
 * xl turns "firmware = pvgrubNN" into XENFIRMWAREDIR/pvgrubNN.bin, a
 * directory fixed when Xen is built.  This is Debian's, whose libxen-dev
 * axl builds against; build with -DXLCFG_XENFIRMWAREDIR=... elsewhere.
 */
#ifndef XLCFG_XENFIRMWAREDIR
#define XLCFG_XENFIRMWAREDIR "/usr/lib/xen-4.17/boot"
#endif

/*
 * Without a libxl context the host's CPU count is unknown; CPU maps
 * ("all", vcpus = 0, ...) are then sized for this many CPUs.
 */
#define XLCFG_NOCTX_MAX_CPUS 64

/*
 * Diagnostics go through this callback, one line each, without a prefix
 * or a trailing newline (the caller adds "axl: ").  is_error is 0 for a
 * warning (e.g. an unknown key), 1 for an error.
 */
typedef void xlcfg_report_fn(void *user, int is_error, const char *msg);

struct xlcfg_opts {
    const char *path;              /* config file; "-" is not accepted */
    const char *const *overrides;  /* "key=value" strings, applied last */
    int n_overrides;
    xlcfg_report_fn *report;       /* may not be NULL */
    void *user;
    /*
     * xl.conf-style global defaults (vif.default.*, blkdev_start,
     * claim_mode, max_grant_frames, vm.cpumask, ...), as xl applies them.
     * NULL means XLCFG_GLOBAL_DEFAULT, silently skipped when missing;
     * "" means none (built-in defaults only).
     */
    const char *global_path;
    /* xl create --ignore-global-affinity-masks: no vm.*cpumask. */
    bool ignore_global_masks;
    /*
     * The configuration's text, if not NULL, instead of reading path
     * (which then only names it in messages): what config-update
     * stored.
     */
    const char *text;
    size_t text_len;
};

/*
 * Every top-level key xlcfg_parse understands, NULL-terminated, sorted
 * (xlcfg_parse looks keys up by bisection).  Any other key in a file is
 * reported as a warning and ignored.
 */
extern const char *const xlcfg_keys[];

/*
 * Read opts->path (xl.cfg syntax, or libxl JSON if the first non-blank
 * character is '{') plus the overrides, and fill *cfg, which the caller
 * has initialised with libxl_domain_config_init() and disposes of with
 * libxl_domain_config_dispose() whatever the result.
 *
 * Overrides are appended to the file text as xl appends the key=value
 * arguments of `xl create`, so a later setting wins.  They are refused
 * for JSON files (xl has no such thing).
 *
 * Returns 0 on success, -1 after reporting at least one error.  Never
 * exits and never prints directly.  ctx is used only for libxl's
 * helpers that need a host; no domain is touched.
 *
 * ctx may be NULL (e.g. a host without Xen).  Then:
 *  - JSON configs are refused (libxl's JSON reader needs a context);
 *  - "vnuma" and "node:"/"nodes:" CPU ranges are refused;
 *  - CPU maps whose size comes from the host (cpus = "all", vcpus = 0,
 *    the xl.conf vm.*cpumask) use XLCFG_NOCTX_MAX_CPUS CPUs;
 *  - ms_vm_genid = "generate" uses getrandom(2) instead of libxl.
 * Everything else is pure parsing and behaves the same.
 */
int xlcfg_parse(libxl_ctx *ctx, const struct xlcfg_opts *opts,
                libxl_domain_config *cfg);

/*
 * One device from command-line words, as xl block-attach and
 * network-attach take them.  opts->overrides holds the words; path is
 * unused; global_path is read by xlcfg_nic_spec for the vif defaults.
 * The device was initialised by the caller.  Returns 0, or -1 after
 * reporting.
 *
 * xlcfg_disk_spec: the words are one disk specification, as in disk=[...]
 * ("format=raw, vdev=xvdb, target=/srv/d.img", or the same split into
 * several words, or the positional "phy:/dev/vg/d,xvdb,w").
 * xlcfg_nic_spec: each word is one or more comma-separated vif
 * parameters ("bridge=xenbr0", "mac=00:16:3e:00:00:01"); an unknown one
 * is an error here, not a warning as in a config file.
 */
int xlcfg_disk_spec(const struct xlcfg_opts *opts, libxl_device_disk *disk);
int xlcfg_nic_spec(const struct xlcfg_opts *opts, libxl_device_nic *nic);
/*
 * The same for the other kinds, named by their list's key in xl.cfg
 * ("vtpm", "vkb", "vdispl", "vsnd", "usbctrl", "usbdev", "pci"); dev is
 * a libxl_device_<kind>, initialised.  For vsnd each word is one item of
 * a card ("card, short-name=...", "pcm, name=...", "stream, ..."), for
 * pci the word is a PCI specification ("0000:00:02.0,permissive=1");
 * for the others each word holds key=value parameters ("backend=0",
 * "connectors=id0:800x600").  What the kind requires is checked as xl's
 * KIND-attach checks it (a vkb's backend-type, a vdispl's connectors).
 */
int xlcfg_dev_spec(const struct xlcfg_opts *opts, const char *key,
                   void *dev);

/* xl's lock, when xl.conf names none. */
#define XLCFG_LOCKFILE_DEFAULT "/var/lock/xl"

/* What xl.conf says about the host's memory. */
struct xlcfg_host {
    int claim_mode;         /* 1 unless claim_mode=0 */
    int autoballoon;        /* 1 on, 0 off, -1 auto (on unless Xen's
                             * command line sets dom0_mem) */
    char lockfile[256];     /* the lock xl's create takes to balloon */
};

/*
 * Read xl.conf (opts->global_path as for xlcfg_parse; the other fields
 * but report and user are unused) into *h, with xl's defaults where the
 * file or a key is missing.  0, or -1 after reporting.
 */
int xlcfg_host_read(const struct xlcfg_opts *opts, struct xlcfg_host *h);

/*
 * Add the CPUs of str, a CPU list in xl's syntax ("all", "0-3,^2",
 * "nodes:0-1"), to *map, which the caller allocated for the host's CPUs
 * (CPUs past its end are left out, as xl leaves them).  Errors go to
 * report, naming what ("hard affinity") and the piece at fault; ctx may
 * be NULL, and node ranges are then refused.  Returns 0, or -1 after
 * reporting.  Never calls back re-entrantly.
 */
int xlcfg_cpu_list(libxl_ctx *ctx, const char *what, const char *str,
                   libxl_bitmap *map, xlcfg_report_fn *report, void *user);

/*
 * Restrict *hard, the hard affinity of a vCPU of a domain of the given
 * type, to the global configuration's vm.cpumask and vm.pv.cpumask (PV)
 * or vm.hvm.cpumask (HVM and PVH), as xl vcpu-pin does.  Reads
 * opts->global_path, report and user only.  Returns 0, or -1 after
 * reporting, also when the masks leave no CPU.
 */
int xlcfg_global_affinity(libxl_ctx *ctx, const struct xlcfg_opts *opts,
                          libxl_domain_type type, libxl_bitmap *hard);

/* A CPU pool's configuration, as xl cpupool-create reads it. */
enum xlcfg_pool_cpus {
    XLCFG_POOL_NO_CPUS,     /* neither nodes nor cpus: an empty pool */
    XLCFG_POOL_CPUS,        /* cpus = [ N, ... ] or cpus = "LIST" */
    XLCFG_POOL_NODES,       /* nodes = [ N, ... ]: their free CPUs */
};

struct xlcfg_cpupool {
    char *name;             /* name =, or NULL */
    bool has_sched;
    libxl_scheduler sched;  /* sched =, when has_sched */
    enum xlcfg_pool_cpus from;
    libxl_bitmap map;       /* the CPUs (CPUS) or the nodes (NODES) */
};

void xlcfg_cpupool_init(struct xlcfg_cpupool *pool);
void xlcfg_cpupool_dispose(struct xlcfg_cpupool *pool);

/*
 * Read a CPU pool configuration (xlcpupool.cfg(5): name, sched, nodes,
 * cpus; nodes wins over cpus, as in xl) from opts->path, or from nothing
 * when it is NULL (messages then say "command line"), with
 * opts->overrides appended as xl appends them.  Which CPUs are free is
 * the caller's to check.  ctx may be NULL (maps are then sized for
 * XLCFG_NOCTX_MAX_CPUS CPUs and 64 nodes).  Returns 0, or -1 after
 * reporting; *pool is the caller's to dispose of either way.
 */
int xlcfg_cpupool_parse(libxl_ctx *ctx, const struct xlcfg_opts *opts,
                        struct xlcfg_cpupool *pool);

#endif
