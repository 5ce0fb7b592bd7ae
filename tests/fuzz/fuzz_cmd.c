/*
 * fuzz_cmd: the input split at NUL bytes is a command line.  Its first
 * piece is looked up in cmd_table (cmd_find, as a command name or a
 * prefix); the rest are the arguments given to cmd_parse() for every
 * entry of cmd_table and for axl's global options (argv[0] being the
 * entry's name, a fresh copy of argv each time, as getopt permutes it).
 * Usage errors go to stderr (the make target closes it for speed).
 *
 * Contract checked: no crash, leak or undefined behaviour; a lookup
 * finds a command exactly when one matches; a parse that succeeds
 * leaves the positional arguments within the entry's counts and
 * pointing into argv, and every option recorded is one the entry takes,
 * with a value exactly when it takes one.
 */
#include "fuzz.h"
#include "../../cli/cmd.h"

static void fuzz_check_call(const struct cmd_entry *e, int argc,
                            char **argv, const struct cmd_call *call)
{
    int i;

    FUZZ_ASSERT(call->cmd == e);
    FUZZ_ASSERT(call->argc >= 0 && call->argc <= argc - 1);
    FUZZ_ASSERT(call->argc == 0 || (call->argv >= argv + 1 &&
                                    call->argv + call->argc <= argv + argc));
    if (e->flags & CMD_F_RAW)
        return;
    FUZZ_ASSERT(call->argc >= e->min_args);
    FUZZ_ASSERT(e->max_args < 0 || call->argc <= e->max_args);
    FUZZ_ASSERT(call->n_given >= 0 && call->n_given <= CMD_MAX_GIVEN);
    for (i = 0; i < call->n_given; i++) {
        const struct cmd_opt *o = cmd_opt_at(e, call->given[i].opt);

        FUZZ_ASSERT(o != NULL);
        FUZZ_ASSERT((o->arg != NULL) == (call->given[i].val != NULL));
    }
}

static void fuzz_parse_one(const struct cmd_entry *e, int n, char **piece)
{
    char *argv[FUZZ_MAX_PIECES + 2];
    struct cmd_call call;
    int argc = 0, i, rc;

    argv[argc++] = (char *)e->name;
    for (i = 1; i < n; i++)
        argv[argc++] = piece[i];
    argv[argc] = NULL;
    rc = cmd_parse(e, argc, argv, &call);
    FUZZ_ASSERT(rc >= -1 && rc <= 1);
    if (rc == 0)
        fuzz_check_call(e, argc, argv, &call);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *piece[FUZZ_MAX_PIECES + 1], *buf = NULL;
    const struct cmd_entry *found = NULL;
    int n, i, matches;

    n = fuzz_split(data, size, &buf, piece);
    if (n < 0)
        return 0;
    matches = cmd_find(cmd_table, piece[0], &found);
    FUZZ_ASSERT(matches >= 0 && (matches == 1) == (found != NULL));
    if (found)
        FUZZ_ASSERT(!strncmp(found->name, piece[0], strlen(piece[0])));

    for (i = 0; cmd_table[i]; i++)
        fuzz_parse_one(cmd_table[i], n, piece);
    fuzz_parse_one(&cmd_global_entry, n, piece);
    free(buf);
    return 0;
}
