/*
 * fuzz_override: the input split at NUL bytes is a list of key=value
 * words, given as the overrides of xlcfg_parse() on a small valid PV
 * configuration, as the words of a device specification
 * (xlcfg_disk_spec, xlcfg_nic_spec, xlcfg_dev_spec for every kind) and
 * as the overrides of a command-line CPU pool (xlcfg_cpupool_parse).
 * No Xen, no file, no xl.conf.
 *
 * Contract checked: none of these crashes, leaks or hits undefined
 * behaviour, and each reports at least one error whenever it fails.
 */
#include "fuzz.h"
#include "../../core/xlcfg.h"

static const char base[] =
    "name = \"fuzz\"\n"
    "type = \"pv\"\n"
    "kernel = \"/boot/vmlinuz\"\n"
    "memory = 128\n"
    "vcpus = 2\n"
    "disk = [ 'phy:/dev/vg/fuzz,xvda,w' ]\n"
    "vif = [ 'bridge=xenbr0' ]\n";

struct fuzz_seen {
    int errors;
};

static void fuzz_report(void *user, int is_error, const char *msg)
{
    struct fuzz_seen *seen = user;

    FUZZ_ASSERT(msg != NULL);
    seen->errors += is_error;
}

/* One device kind of xlcfg_dev_spec(): the same key, init and dispose. */
static void fuzz_dev(const struct xlcfg_opts *o, const char *key)
{
    struct fuzz_seen *seen = o->user;
    int before = seen->errors, rc = 0;

#define FUZZ_DEV(kind)                                                   \
    if (!strcmp(key, #kind)) {                                           \
        libxl_device_##kind dev;                                         \
                                                                         \
        libxl_device_##kind##_init(&dev);                                \
        rc = xlcfg_dev_spec(o, key, &dev);                               \
        libxl_device_##kind##_dispose(&dev);                             \
    }
    FUZZ_DEV(vtpm)
    FUZZ_DEV(vkb)
    FUZZ_DEV(vdispl)
    FUZZ_DEV(vsnd)
    FUZZ_DEV(usbctrl)
    FUZZ_DEV(usbdev)
    FUZZ_DEV(pci)
#undef FUZZ_DEV
    FUZZ_ASSERT(rc == 0 || seen->errors > before);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const kinds[] = {
        "vtpm", "vkb", "vdispl", "vsnd", "usbctrl", "usbdev", "pci",
    };
    char *piece[FUZZ_MAX_PIECES + 1], *buf = NULL;
    struct fuzz_seen seen = { 0 };
    struct xlcfg_opts o;
    libxl_domain_config cfg;
    libxl_device_disk disk;
    libxl_device_nic nic;
    struct xlcfg_cpupool pool;
    int n, rc;
    size_t i;

    n = fuzz_split(data, size, &buf, piece);
    if (n < 0)
        return 0;

    memset(&o, 0, sizeof(o));
    o.path = "fuzz.cfg";
    o.global_path = "";
    o.report = fuzz_report;
    o.user = &seen;
    o.text = base;
    o.text_len = sizeof(base) - 1;
    o.overrides = (const char *const *)piece;
    o.n_overrides = n;

    libxl_domain_config_init(&cfg);
    rc = xlcfg_parse(NULL, &o, &cfg);
    FUZZ_ASSERT(rc == 0 || seen.errors > 0);
    libxl_domain_config_dispose(&cfg);

    seen.errors = 0;
    libxl_device_disk_init(&disk);
    rc = xlcfg_disk_spec(&o, &disk);
    FUZZ_ASSERT(rc == 0 || seen.errors > 0);
    libxl_device_disk_dispose(&disk);

    seen.errors = 0;
    libxl_device_nic_init(&nic);
    rc = xlcfg_nic_spec(&o, &nic);
    FUZZ_ASSERT(rc == 0 || seen.errors > 0);
    libxl_device_nic_dispose(&nic);

    for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        fuzz_dev(&o, kinds[i]);

    seen.errors = 0;
    o.path = NULL;
    o.text = NULL;
    o.text_len = 0;
    xlcfg_cpupool_init(&pool);
    rc = xlcfg_cpupool_parse(NULL, &o, &pool);
    FUZZ_ASSERT(rc == 0 || seen.errors > 0);
    xlcfg_cpupool_dispose(&pool);

    free(buf);
    return 0;
}
