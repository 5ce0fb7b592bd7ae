/*
 * log: the xentoollog logger axl hands to libxl.
 *
 * libxl's messages are shown on stderr only when the user asked for them
 * (-v), but the first error of a failing step is always kept so that a
 * failure can be explained in axl's own one-line message by its cause,
 * not by the last of the wrappers libxl adds on its way out.
 */
#ifndef AXL_LOG_H
#define AXL_LOG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <xentoollog.h>

struct log_sink;

/* Where shown messages go: one line, without its newline. */
typedef void log_emit_fn(const char *line, void *user);

/*
 * Create a logger handing libxl messages of level >= min_level to emit
 * (min_level XTL_NONE+1..XTL_NUM_LEVELS; XTL_NUM_LEVELS shows nothing).
 * Returns NULL on allocation failure.  Dispose with log_dispose().
 */
struct log_sink *log_init(log_emit_fn *emit, void *user,
                          xentoollog_level min_level);
void log_dispose(struct log_sink *ls);

/* The logger to pass to libxl_ctx_alloc; owned by ls. */
xentoollog_logger *log_logger(struct log_sink *ls);

/*
 * The level to show for a -v count, as xl maps it: none without -v,
 * progress with one, detail with two, debug with three or more.
 */
xentoollog_level log_level_for_verbosity(int verbose);

/* Change the level shown (e.g. after parsing -v). */
void log_set_level(struct log_sink *ls, xentoollog_level min_level);

/*
 * The cause of a failure: the first message of level >= XTL_ERROR since
 * the last log_clear_error() (libxl's or libxc's), or NULL if there was
 * none.  Without where, in words only: libxl's and libxc's source
 * location, function name, "Domain N:" and "panic:" prefixes are left
 * out ("failed to open file '/x': No such file or directory"); with
 * where, as libxl logged it, context first.  The pointer is valid until
 * the next call.
 */
const char *log_cause(struct log_sink *ls, bool where);
void log_clear_error(struct log_sink *ls);

/*
 * One cause among many operations at once.  Every error is kept (the
 * last 1024), with the domain its message names ("Domain 5: ...") and
 * the owner set when it was logged, and nothing clears them.  An
 * operation takes log_mark() when it starts, and names itself the
 * owner (log_owner(), a nonzero number of its own) while it is inside
 * a libxl call of its own, where every error is its own: a domain's
 * build among them.  Its cause is then the first error since the mark
 * that it owns or that names its domain; failing that, the first that
 * names no domain and no other owner (libxl's, between calls, before
 * its domain exists), so never one that another owns or that names
 * another domain.  alone: no other operation ran meanwhile (and no
 * command has cleared the errors since the mark: it said those), so
 * every error not another's is its own (the first).
 * NULL if none.  Same wording and lifetime as log_cause().
 */
#define LOG_NO_DOMID 0xffffffffu
/*
 * The owner of what a command logs outside any operation's call (its
 * synchronous libxl calls): log_cause() reads those, an op never.
 */
#define LOG_OWNER_CMD UINT64_MAX
uint64_t log_mark(const struct log_sink *ls);
/* Returns the owner before, to be put back (calls nest).  ls may be NULL. */
uint64_t log_owner(struct log_sink *ls, uint64_t owner);
const char *log_cause_of(struct log_sink *ls, uint64_t since, uint32_t domid,
                         uint64_t owner, bool alone, bool where);
/*
 * An error logged in another process for this one (the core dump's
 * call runs in a child, whose log dies with it).  log_pass(), in the
 * child: write the first error kept since the mark to fd as one record
 * (context and message, as logged), in one write under a pipe's atomic
 * size; nothing if there is none.  log_take(), in the parent once the
 * child has ended: read such a record from fd and keep it as if logged
 * here now, under the current owner, without showing it (the child
 * showed it if asked to).  True if one was kept.
 */
void log_pass(const struct log_sink *ls, uint64_t since, int fd);
bool log_take(struct log_sink *ls, int fd);
/* The sink whose logger lg is (log_logger()); NULL if another's. */
struct log_sink *log_sink_of(xentoollog_logger *lg);

#endif
