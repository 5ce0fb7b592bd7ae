/*
 * fuzz_xlcfg: the whole input is a domain configuration's text, given to
 * xlcfg_parse() through opts->text (no file is read, no xl.conf).
 * xl.cfg syntax, or libxl JSON when it starts with '{'.  Without Xen
 * (no libxl context can be opened) JSON only reaches its refusal; on a
 * Xen host the context is used and libxl's JSON reader runs too.
 *
 * Contract checked: xlcfg_parse() never crashes, leaks or hits undefined
 * behaviour, reports at least one error whenever it fails, and a
 * configuration it accepts can be written out by libxl as JSON.
 */
#include <xentoollog.h>

#include "fuzz.h"
#include "../../core/xlcfg.h"

static libxl_ctx *ctx;

struct fuzz_seen {
    int errors;
};

static void fuzz_report(void *user, int is_error, const char *msg)
{
    struct fuzz_seen *seen = user;

    FUZZ_ASSERT(msg != NULL);
    seen->errors += is_error;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    xentoollog_logger *lg;

    /* Only a Xen host gives a context; here NULL is the normal case. */
    lg = (xentoollog_logger *)xtl_createlogger_stdiostream(stderr,
                                                            XTL_CRITICAL, 0);
    if (lg && libxl_ctx_alloc(&ctx, LIBXL_VERSION, 0, lg)) {
        ctx = NULL;
        xtl_logger_destroy(lg);
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_seen seen = { 0 };
    struct xlcfg_opts o;
    libxl_domain_config cfg;
    int rc;

    memset(&o, 0, sizeof(o));
    o.path = "fuzz.cfg";
    o.global_path = "";
    o.report = fuzz_report;
    o.user = &seen;
    o.text = (const char *)data;
    o.text_len = size;

    libxl_domain_config_init(&cfg);
    rc = xlcfg_parse(ctx, &o, &cfg);
    FUZZ_ASSERT(rc == 0 || rc == -1);
    FUZZ_ASSERT(rc == 0 || seen.errors > 0);
    if (rc == 0) {
        char *json = libxl_domain_config_to_json(ctx, &cfg);

        FUZZ_ASSERT(json != NULL);
        free(json);
    }
    libxl_domain_config_dispose(&cfg);
    return 0;
}
