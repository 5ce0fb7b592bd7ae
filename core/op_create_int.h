/*
 * op_create_int: the create family's phases.  A create, a restore and
 * an incoming migration are one kind (op_kind_create, op_create.c),
 * whose steps three files take: op_create.c (the build, create -c's
 * console, the unpause), op_balloon.c (the autoballoon before the
 * build), op_migrate.c (the receiving end's handover).  For those three
 * files only; no other names these phases.
 *
 * One numbering, since they are the phases of one row: op_create.c's
 * row names them all, in this order, which is the order a finished
 * op's record lists them in (op_phase_times()).
 */
#ifndef AXL_OP_CREATE_INT_H
#define AXL_OP_CREATE_INT_H

#include "op_int.h"

enum {
    OP_PHASE_UNPAUSE = OP_PHASE_OWN, /* op_create.c: unpausing the domain */
    OP_PHASE_CONSOLE,   /* op_create.c: create -c's client connects */
    OP_PHASE_LOCK,      /* op_balloon.c: waiting for xl's lock */
    OP_PHASE_BALLOON,   /* op_balloon.c: Domain-0 gives memory */
    OP_PHASE_MIG_GO,    /* op_migrate.c: built, paused; the go-ahead */
    OP_PHASE_MIG_DRAIN, /* op_migrate.c: failed; the sender's last words */
    OP_PHASE_CREATE_N
};
_Static_assert(OP_PHASE_CREATE_N <= OP_PHASE_MAX,
               "the create family's phases fit in op->phase_ms");

/* op_create.c: unpause the new domain now (the UNPAUSE phase's ao). */
void op_create_unpause(struct op *op);
/* op_migrate.c: the receiving end's own phases in words; false if not. */
bool op_mig_in_phase(struct op *op, char *buf, size_t len);

#endif
