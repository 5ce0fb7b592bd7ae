/*
 * shell: the interactive axl shell and batch mode (axl -f FILE, or
 * commands on a non-terminal stdin).
 */
#ifndef AXL_SHELL_H
#define AXL_SHELL_H

#include <stdbool.h>

#include "cli.h"

/*
 * Run the shell on cli's loop: interactive with readline when stdin is a
 * terminal and batch is NULL; otherwise read commands one per line from
 * batch (a path) or stdin, stopping at the first failure unless
 * keep_going.  Returns the exit status.
 */
int shell_main(struct cli *cli, const char *batch, bool keep_going);

#endif
