/*
 * shell: the interactive axl shell and batch mode (axl -f FILE, or
 * commands on a non-terminal stdin).
 */
#ifndef AXL_SHELL_H
#define AXL_SHELL_H

#include <stdbool.h>
#include <sys/types.h>

#include "cli.h"

/*
 * Run the shell on cli's loop: interactive with readline when stdin is a
 * terminal and batch is NULL; otherwise read commands one per line from
 * batch (a path) or stdin, stopping at the first failure unless
 * keep_going.  Returns the exit status.
 */
int shell_main(struct cli *cli, const char *batch, bool keep_going);

/*
 * For the shell's own commands (cli/cmd_shell.c), while shell_main()
 * runs.  shell_wait() makes job (NULL: every job still listed) the
 * foreground, so the shell waits for it and Ctrl-C cancels it; it
 * returns CMD_PENDING, or the status at once if nothing runs.
 * shell_quit() leaves the shell once the foreground is done, asking
 * first on a terminal if jobs still run; it returns the status to
 * report.
 */
int shell_wait(struct cli *cli, struct job *job);
/*
 * Give the terminal to pid, a child that reads it (a console client):
 * the shell stops reading until the child ends (and the foreground jobs
 * are done), then reads on; with status_counts the child's exit status
 * is the command's.  Background jobs run on meanwhile.  Returns
 * CMD_PENDING; or, if pid had already ended, the command's status at
 * once (its exit status with status_counts, else 0).
 */
int shell_child(struct cli *cli, pid_t pid, bool status_counts);
int shell_quit(struct cli *cli);

#endif
