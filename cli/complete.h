/*
 * complete: completion candidates, all read from the command table and
 * from the live system (domain names, jobs).  One implementation serves
 * the shell's readline and `axl __complete`, which bash calls.
 */
#ifndef AXL_COMPLETE_H
#define AXL_COMPLETE_H

#include "cli.h"

/* What else, besides the emitted candidates, fits the word. */
enum complete_more {
    COMPLETE_DONE,      /* the emitted candidates are all */
    COMPLETE_FILES,     /* file names fit too: the caller completes them */
};

typedef void complete_emit_fn(const char *cand, void *user);

/*
 * Emit every candidate for words[cword] that starts with it, in table
 * order.  words is a command line as axl's argv has it: words[0] is the
 * program (ignored), global options may follow, then the command and its
 * options and arguments; cword may equal argc (a new, empty word).  An
 * option taking a value is offered as "--name=".  Shell-only commands
 * and jobs are offered when cli->interactive.  Domain names come from
 * libxl (opened on demand; nothing is offered on a host without Xen).
 * Returns what else fits.
 */
enum complete_more complete_words(struct cli *cli, int argc, char **words,
                                  int cword, complete_emit_fn *emit,
                                  void *user);

/*
 * Emit the paths that start with prefix, as the shell would complete
 * them: directories end with '/'.  For callers without a file completer
 * of their own.
 */
void complete_files(const char *prefix, complete_emit_fn *emit, void *user);

#endif
