/*
 * axl's exit statuses: the one place that defines them.  Scripts may rely
 * on these values; the man page documents them.
 */
#ifndef AXL_STATUS_H
#define AXL_STATUS_H

#define AXL_EXIT_OK        0   /* the operation did what was asked */
#define AXL_EXIT_FAIL      1   /* the operation failed */
#define AXL_EXIT_USAGE     2   /* bad command line; nothing was done */
#define AXL_EXIT_TIMEOUT   124 /* --timeout ran out; cancelled */
#define AXL_EXIT_SIGNAL    128 /* + N: cancelled by signal N */

#include <sys/wait.h>

/* A program's end (a wait status) as a command's status: a shell's $?. */
static inline int axl_status_of_wait(int wstatus)
{
    return WIFEXITED(wstatus) ? WEXITSTATUS(wstatus)
           : WIFSIGNALED(wstatus) ? AXL_EXIT_SIGNAL + WTERMSIG(wstatus)
           : AXL_EXIT_FAIL;
}

#endif
