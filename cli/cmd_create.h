/*
 * cmd_create: what a command that creates a domain does besides its op:
 * the memory xl.conf asks for, the -d configuration on stderr, and what
 * follows (the monitor, cli/cmd_monitor.c; the console,
 * cli/cmd_console.c).  Used by create (cli/cmd_domain.c), restore and
 * migrate-receive (cli/cmd_save.c) and the monitor's restart.
 */
#ifndef AXL_CMD_CREATE_H
#define AXL_CMD_CREATE_H

#include <stdbool.h>
#include <stdint.h>

#include "cli.h"

struct cmd_call;

/*
 * A create's memory, as xl.conf says (autoballoon, lockfile): arm op
 * to balloon Domain-0 under xl's lock when autoballoon is on (or auto
 * and Xen's command line leaves dom0_mem unset).  0, or -1 after
 * reporting a bad xl.conf or a lack of memory.
 */
int cmd_create_memory(struct cli *cli, struct op *op);
/*
 * libxl's JSON text (a -d/--debug configuration) on stderr, as one
 * message: its final newline is dropped (json is changed).
 */
void cmd_json_line(char *json);

/*
 * The domain monitor (cli/cmd_monitor.c).  monitor_mark() records in
 * libxl's userdata that axl created the domain (`axl monitor` refuses
 * others without -f); 0 or -1 after reporting.
 *
 * monitor_after_create() monitors a domain create just made.  In a
 * process of its own: it returns 1, and once the monitor watches (or
 * failed to, said) calls started(user, ok) from the loop, which runs on
 * meanwhile.  With foreground, in this one, from the loop, holding the
 * run (cli_hold) until monitoring ends: it returns 0 and never calls
 * started.  -1 after reporting.
 */
int monitor_mark(struct cli *cli, uint32_t domid);
int monitor_after_create(struct cli *cli, uint32_t domid, const char *name,
                         enum op_on_cancel policy, bool foreground,
                         void (*started)(void *user, bool ok), void *user);

/*
 * create -c (cli/cmd_console.c): console_for_create() makes the create
 * job attach to the console as soon as libxl says it is ready, the
 * create waiting for the client before it unpauses the domain;
 * console_create_done() is called when that create is done.
 */
void console_for_create(struct job *job);
/*
 * What follows a create or a restore that worked, as call's options say
 * (-F, -e, -c): the domain's monitor and console.  0, or -1 after
 * reporting.
 */
int cmd_create_follow(struct cli *cli, struct cmd_call *call,
                      struct job *job, enum op_on_cancel policy);
void console_create_done(struct cli *cli, struct op *op);

/*
 * Show domain domid's display in a VNC viewer (cli/cmd_host.c): replace
 * axl with the viewer (vncviewer), or start it in a process of its own
 * (create -V, -A).  With no viewer installed, the display's address goes
 * to stdout.  0, or -1 after saying why not.
 */
int vnc_show(struct cli *cli, uint32_t domid, const char *name,
             bool autopass, bool replace);

#endif
