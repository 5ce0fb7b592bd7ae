/*
 * migrate: xl's migration protocol, which axl speaks on both ends so
 * that `axl migrate` can send to `xl migrate-receive` and `xl migrate`
 * to `axl migrate-receive`.
 *
 * The sender runs a command (ssh HOST xl migrate-receive) with two pipes:
 * the receiver's stdin carries the sender's messages and the domain's
 * stream, its stdout the receiver's replies.
 *
 *   receiver: BANNER
 *   sender:   the save-file header (core/savefile.h), libxl's stream
 *   receiver: READY             the domain is built, paused
 *   sender:   GO                renamed away here: start it there
 *   receiver: REPORT, a byte    0: it runs there; else it failed, and
 *   receiver: GO                (after a failure) our copy is gone:
 *                               resume yours
 *
 * The texts are xl's; some travel with their NUL, as xl sends them.
 */
#ifndef AXL_MIGRATE_H
#define AXL_MIGRATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "loop.h"

enum migrate_msg {
    MIGRATE_BANNER,
    MIGRATE_READY,
    MIGRATE_GO,
    MIGRATE_REPORT,
};

/* The bytes of a message as they travel; *len_r their number. */
const void *migrate_msg_bytes(enum migrate_msg m, size_t *len_r);
/* "banner", "ready message", ...: for messages to the user. */
const char *migrate_msg_name(enum migrate_msg m);

/* Send a message (and, for MIGRATE_REPORT, its status byte): 0 or -1. */
int migrate_send(int fd, enum migrate_msg m, uint8_t status);

/*
 * Wait, from the loop, for one message on fd, reading exactly its bytes
 * (and the status byte after a MIGRATE_REPORT).  fn gets 0 and the byte
 * when it came; -1 when the stream ended or failed first (errno set:
 * 0 for its end), 1 when other bytes came instead.  fn runs once, after
 * the wait has stopped watching fd; free the wait afterwards, or before
 * to stop waiting.
 */
struct migrate_wait;
typedef void migrate_wait_fn(struct migrate_wait *w, int got, uint8_t status,
                             void *user);
struct migrate_wait *migrate_wait_new(struct loop *lp, int fd,
                                      enum migrate_msg m,
                                      migrate_wait_fn *fn, void *user);
void migrate_wait_free(struct migrate_wait *w);

/*
 * The two answers to a copy a migration left suspended here once the
 * target may run the guest (domid: the copy here), in buf: what the
 * sender and 'axl cleanup' both say.
 */
const char *migrate_left_answers(uint32_t domid, char *buf, size_t len);

/*
 * A guest's copies while it migrates, named as xl names them: the
 * sender's is NAME--migratedaway from the go-ahead on, the receiver's
 * NAME--incoming until then.
 */
enum migrate_copy { MIGRATE_COPY_AWAY, MIGRATE_COPY_INCOMING };
/* name's copy c, in buf; NULL if it does not fit. */
const char *migrate_copy_name(const char *name, enum migrate_copy c,
                              char *buf, size_t len);
/* Whether name is the copy c of a guest named guest. */
bool migrate_is_copy(const char *name, const char *guest,
                     enum migrate_copy c);

#endif
