/*
 * cmd_dom: what the commands on domains and CPU pools share
 * (cli/cmd_util.c): a domain or a pool found by name or id, a domain's
 * job, xl list's columns and their JSON, CPU maps and times as xl prints
 * them, and a failed synchronous libxl call said by its cause.  Most
 * cli/cmd_*.c use it, and the unit tests of the listings and the CPU maps.
 */
#ifndef AXL_CMD_DOM_H
#define AXL_CMD_DOM_H

#include <stdint.h>
#include <stdio.h>
#include <libxl.h>

#include "cli.h"

struct cmd_call;

/*
 * A domain name or id to a domid, and with name_r (else NULL) to its name
 * (malloc'd; spec if it has none).  -1 after "no such domain 'x'".
 */
int cmd_resolve_domain(struct cli *cli, const char *spec, uint32_t *domid_r,
                       char **name_r);
/*
 * The job of an op of the given kind, for call, on the domain spec names
 * (a name or an id), labelled with the domain's name, its domid set.
 * NULL after reporting, with *status_r the exit status to return.
 */
struct job *cmd_domain_job(struct cli *cli, struct cmd_call *call,
                           const char *spec, enum op_kind kind,
                           uint32_t *domid_r, int *status_r);

/*
 * What the listings share (cli/cmd_util.c), so that list, claims and
 * their --json agree column for column with each other and with xl.
 */
struct json;
/* xl list's header, up to Time(s), without a newline. */
extern const char cmd_dom_header[];
/* A domain's memory in MiB as xl's Mem columns: current and claimed. */
unsigned long cmd_dom_mib(const libxl_dominfo *d);
/* One domain's first six columns as xl list prints them, no newline. */
void cmd_dom_row(libxl_ctx *ctx, const libxl_dominfo *d);
/*
 * One domain's keys, written into the JSON object open on j: name,
 * domid, uuid, memory (MiB), vcpus, state, cpu_time (s), cpupool and
 * libxl's own dominfo (the schema axl(1) documents under list --json).
 */
void cmd_dom_json(libxl_ctx *ctx, struct json *j, const libxl_dominfo *d);
/* xl's six-letter state (r-----, --ps--, ...), written into buf. */
const char *cmd_dom_state(const libxl_dominfo *d, char buf[7]);
/* A CPU time in seconds, rounded through a float as xl's columns are. */
double cmd_cpu_seconds(uint64_t ns);
/*
 * The first n bits of a CPU or node map as xl prints them: "all" for
 * one run over every bit, "none" for none, else runs ("0-3,6").
 * malloc'd; NULL when out of memory.
 */
char *cmd_bitmap_text(const libxl_bitmap *map, int n);
/*
 * A cpupool name or id to its id.  -1 after "no such cpupool 'x'" (or
 * after saying why libxl cannot be opened).
 */
int cmd_resolve_cpupool(struct cli *cli, const char *spec,
                        uint32_t *poolid_r);
/*
 * A synchronous libxl call failed with rc: say "axl: MESSAGE: CAUSE" in
 * one line, the cause being the first error libxl logged since
 * log_clear_error() (clear it before the call), else rc's name.  Clears
 * the cause.  Returns -1.
 */
int cmd_libxl_failed(struct cli *cli, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* cmd_bitmap_text(), written to f ("?" when out of memory). */
void cmd_print_bitmap(FILE *f, const libxl_bitmap *map, int n);

#endif
