/*
 * Unit tests for what the memory, vCPU, scheduler and cpupool commands
 * parse without Xen: memory sizes, the scheduler commands' option
 * combinations, CPU lists, cpupool configurations, CPU maps as xl prints
 * them.  (The command-line errors, one line naming the bad word and
 * exit 2, are checked on the binary by tests/host/t0020-options.sh.)
 * Prints TAP.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxl_utils.h>

#include "tap.h"
#include "../../cli/cmd_dom.h"
#include "../../cli/parse.h"
#include "../../core/xlcfg.h"

/* The last report, "E: ..." or "W: ...". */
static char msg[512];

static void report(void *user, int is_error, const char *m)
{
    (void)user;
    snprintf(msg, sizeof(msg), "%s: %s", is_error ? "E" : "W", m);
}

static void check_mem(const char *s, long long want)
{
    uint64_t kb = 0;
    char title[128];
    int r = parse_mem_kb(s, &kb);

    snprintf(title, sizeof(title), "mem size '%s' -> %lld KiB", s, want);
    if (want < 0)
        check(r == -1, title);
    else
        check(r == 0 && kb == (uint64_t)want, title);
}

static void check_sched(unsigned given, const char *want, const char *title)
{
    char err[256] = "";
    int r = parse_sched_check(given, err, sizeof(err));

    if (!want)
        check(r == 0, title);
    else
        check(r == -1 && !strcmp(err, want), title);
    if (want && strcmp(err, want))
        printf("#   got '%s'\n", err);
}

/*
 * sched-rtds's options from a word of letters, one per option given:
 * d c j (--json), v (-v N), a (-v all), p b e.
 */
static void check_rtds(const char *opts, const char *want)
{
    struct parse_rtds r = { 0 };
    char err[256] = "", title[128];
    const char *o;
    int rc;

    for (o = opts; *o; o++) {
        r.domain += *o == 'd';
        r.cpupool += *o == 'c';
        r.json += *o == 'j';
        r.vcpus += *o == 'v';
        r.all += *o == 'a';
        r.period += *o == 'p';
        r.budget += *o == 'b';
        r.extratime += *o == 'e';
    }
    rc = parse_rtds_check(&r, err, sizeof(err));
    snprintf(title, sizeof(title), "sched-rtds: '%s' %s", opts,
             want ? "refused" : "accepted");
    if (!want)
        check(rc == 0, title);
    else
        check(rc == -1 && !strcmp(err, want), title);
    if (want && strcmp(err, want))
        printf("#   got '%s'\n", err);
}

/* A map of 8 CPUs from str (ctx-less); "" when it fails. */
static const char *cpus(const char *str)
{
    static char out[64];
    libxl_bitmap map;
    FILE *f;

    msg[0] = '\0';
    out[0] = '\0';
    libxl_bitmap_init(&map);
    map.map = calloc(1, 1);
    map.size = 1;
    if (xlcfg_cpu_list(NULL, "cpus", str, &map, report, NULL) == 0) {
        f = fmemopen(out, sizeof(out), "w");
        cmd_print_bitmap(f, &map, 8);
        fclose(f);
    }
    libxl_bitmap_dispose(&map);
    return out;
}

/* Parse a cpupool config text (and overrides) without Xen. */
static int pool(struct xlcfg_cpupool *p, const char *text,
                const char *over)
{
    char path[] = "/tmp/test_sched.XXXXXX";
    const char *ovs[1] = { over };
    struct xlcfg_opts o = { .report = report, .global_path = "" };
    int fd = mkstemp(path), rc;

    if (fd < 0 || write(fd, text, strlen(text)) < 0)
        return -2;
    close(fd);
    o.path = text[0] ? path : NULL;
    o.overrides = ovs;
    o.n_overrides = over ? 1 : 0;
    msg[0] = '\0';
    xlcfg_cpupool_dispose(p);
    rc = xlcfg_cpupool_parse(NULL, &o, p);
    unlink(path);
    return rc;
}

int main(void)
{
    struct xlcfg_cpupool p;

    check_mem("512", 512 * 1024);
    check_mem("512m", 512 * 1024);
    check_mem("512M", 512 * 1024);
    check_mem("1g", 1024 * 1024);
    check_mem("1t", 1024LL * 1024 * 1024);
    check_mem("2048k", 2048);
    check_mem("4096b", 4);
    check_mem("1000b", 0);
    check_mem("0", 0);
    check_mem("", -1);
    check_mem("m", -1);
    check_mem("-5", -1);
    check_mem("+5", -1);
    check_mem(" 5", -1);
    check_mem("5mb", -1);
    check_mem("5x", -1);
    check_mem("1.5g", -1);
    check_mem("99999999999999999999", -1);
    check_mem("9007199254740992t", -1);

    check_sched(0, NULL, "sched: no option lists");
    check_sched(PARSE_SCHED_POOL | PARSE_SCHED_JSON, NULL,
                "sched: -p --json lists one pool");
    check_sched(PARSE_SCHED_DOMAIN | PARSE_SCHED_WEIGHT | PARSE_SCHED_CAP,
                NULL, "sched: -d -w -c sets a domain");
    check_sched(PARSE_SCHED_PARAM | PARSE_SCHED_POOL | PARSE_SCHED_TSLICE,
                NULL, "sched: -s -p -t sets a pool");
    check_sched(PARSE_SCHED_WEIGHT,
                "-w and -c set a domain's values: give the domain with -d",
                "sched: -w without -d");
    check_sched(PARSE_SCHED_PARAM | PARSE_SCHED_DOMAIN,
                "-s and -p cannot be combined with -d, -w or -c",
                "sched: -s with -d");
    check_sched(PARSE_SCHED_POOL | PARSE_SCHED_CAP,
                "-s and -p cannot be combined with -d, -w or -c",
                "sched: -p with -c");
    check_sched(PARSE_SCHED_RATE,
                "-r sets a cpupool's parameters: give -s with it",
                "sched: -r without -s");
    check_sched(PARSE_SCHED_TSLICE | PARSE_SCHED_DELAY,
                "-t and -m set a cpupool's parameters: give -s with them",
                "sched: -t -m without -s");
    check_sched(PARSE_SCHED_DOMAIN | PARSE_SCHED_WEIGHT | PARSE_SCHED_JSON,
                "--json goes with a listing, not with -w, -c, -t, -r or -m",
                "sched: --json with a setting");

    check_rtds("", NULL);
    check_rtds("cj", NULL);
    check_rtds("a", NULL);
    check_rtds("d", NULL);
    check_rtds("dvv", NULL);
    check_rtds("dvpbe", NULL);
    check_rtds("dvvppbbee", NULL);
    check_rtds("dapbe", NULL);
    check_rtds("dc", "-c cannot be combined with -d, -v, -p, -b or -e");
    check_rtds("ca", "-c cannot be combined with -d, -v, -p, -b or -e");
    check_rtds("v",
               "-v VCPU, -p, -b and -e act on a domain: give it with -d");
    check_rtds("apbe",
               "-v VCPU, -p, -b and -e act on a domain: give it with -d");
    check_rtds("dav", "-v all cannot be combined with -v VCPU");
    check_rtds("dpbe", "-p, -b and -e set vcpus: give them with -v");
    check_rtds("dvpb", "give one -p, one -b and one -e for each -v");
    check_rtds("dvvpbe", "give one -p, one -b and one -e for each -v");
    check_rtds("dappbbee", "give one -p, one -b and one -e for each -v");
    check_rtds("dvpbej",
               "--json goes with a listing, not with -p, -b or -e");

    check(!strcmp(cpus("0-3,6"), "0-3,6"), "cpus '0-3,6'");
    check(!strcmp(cpus("all"), "all"), "cpus 'all'");
    check(!strcmp(cpus("all,^1"), "0,2-7"), "cpus 'all,^1'");
    check(!strcmp(cpus("7,0"), "0,7"), "cpus '7,0'");
    check(!strcmp(cpus("0-2,^0-2"), "none"), "cpus '0-2,^0-2' is none");
    check(!strcmp(cpus("0-100"), "all"), "cpus past the host are left out");
    check(!*cpus("3x") &&
              !strcmp(msg, "E: invalid value '3x' for 'cpus': not a cpu "
                           "range"), "cpus '3x': names the bad word");
    check(!*cpus("0,,x-1") && strstr(msg, "'x-1'"),
          "cpus '0,,x-1': names the bad piece");
    check(!*cpus("3-1") && strstr(msg, "'3-1'"), "cpus '3-1' refused");
    check(!*cpus("^all") && strstr(msg, "'^all'"), "cpus '^all' refused");
    check(!*cpus("") && strstr(msg, "''"), "an empty cpu list refused");
    check(!*cpus("node:0") && strstr(msg, "numa nodes"),
          "cpus 'node:0' needs xen");

    xlcfg_cpupool_init(&p);
    check(pool(&p, "name = \"p1\"\nsched = \"credit\"\ncpus = \"1-2\"\n",
               NULL) == 0 && p.name && !strcmp(p.name, "p1") &&
              p.has_sched && p.sched == LIBXL_SCHEDULER_CREDIT &&
              p.from == XLCFG_POOL_CPUS && libxl_bitmap_test(&p.map, 1) &&
              libxl_bitmap_test(&p.map, 2) && !libxl_bitmap_test(&p.map, 0),
          "cpupool config: name, sched, cpus string");
    check(pool(&p, "cpus = [ \"0\", \"3\" ]\n", "name=\"p2\"") == 0 &&
              !strcmp(p.name, "p2") && !p.has_sched &&
              libxl_bitmap_test(&p.map, 3) && libxl_bitmap_test(&p.map, 0),
          "cpupool config: cpus list, name override");
    check(pool(&p, "", "name='p3'") == 0 && !strcmp(p.name, "p3") &&
              p.from == XLCFG_POOL_NO_CPUS, "cpupool config: words alone");
    check(pool(&p, "nodes = [ \"0\" ]\ncpus = \"1\"\n", NULL) == 0 &&
              p.from == XLCFG_POOL_NODES && libxl_bitmap_test(&p.map, 0),
          "cpupool config: nodes win over cpus");
    check(pool(&p, "sched = \"fifo\"\n", NULL) == -1 &&
              strstr(msg, "'fifo'"), "cpupool config: unknown scheduler");
    check(pool(&p, "cpus = [ \"1x\" ]\n", NULL) == -1 &&
              strstr(msg, "'1x'"), "cpupool config: bad cpu names it");
    check(pool(&p, "cpus = \"1-x\"\n", NULL) == -1 && strstr(msg, "'1-x'"),
          "cpupool config: bad cpu list names it");
    check(pool(&p, "nodes = \"0\"\n", NULL) == -1 &&
              strstr(msg, "expected a list"),
          "cpupool config: nodes must be a list");
    check(pool(&p, "name = \"p\"\ncpus = [ 1\n", NULL) == -1 && msg[0],
          "cpupool config: a syntax error is reported");
    check(pool(&p, "", "name=p4") == -1 && strstr(msg, "'name=p4'"),
          "cpupool config: an unquoted word is a syntax error, as in xl");
    xlcfg_cpupool_dispose(&p);

    return tap_done();
}
