/*
 * op_stream: the stream family's phases.  A save, a resume (both
 * op_save.c's) and a migration's sending end (op_migrate.c) share the
 * steps around the stream: the configuration to store or send, then the
 * guest paused, resumed or destroyed.  For op_save.c and op_migrate.c
 * only; no other names these phases.
 *
 * A migration's own phases (waiting for the target) are op_migrate.c's
 * alone, numbered from OP_PHASE_STREAM_OWN, after these, so that a
 * finished op's record lists them in this order (op_phase_times()).
 */
#ifndef AXL_OP_STREAM_H
#define AXL_OP_STREAM_H

#include "op_int.h"

enum {
    OP_PHASE_SAVE_CONFIG = OP_PHASE_OWN, /* the configuration to store */
    OP_PHASE_SAVE_PAUSE,   /* save -p, a paused resume: pausing first */
    OP_PHASE_SAVE_RESUME,  /* save -c/-p, or after a cancel: resuming */
    OP_PHASE_SAVE_DESTROY, /* the saved or migrated domain goes */
    OP_PHASE_STREAM_OWN    /* the first of a migration's own */
};

/*
 * The short names of these phases, as designated initializers for the
 * rows' tables (struct op_kind_row's phase_keys): the save's, the
 * resume's, and the migration's, which adds its own.
 */
#define OP_STREAM_PHASE_KEYS                                              \
    [OP_PHASE_SAVE_CONFIG] = "config", [OP_PHASE_SAVE_PAUSE] = "pause",   \
    [OP_PHASE_SAVE_RESUME] = "resume", [OP_PHASE_SAVE_DESTROY] = "destroy"

/*
 * op_save.c: a save or migration is done with the guest here: destroy
 * it now (the SAVE_DESTROY phase's ao, whose end op_save_done() says).
 */
void op_save_destroy(struct op *op);

#endif
