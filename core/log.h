/*
 * log: the xentoollog logger axl hands to libxl.
 *
 * libxl's messages are shown on stderr only when the user asked for them
 * (-v), but the most recent error is always kept so that a failure can be
 * explained in axl's own one-line message.
 */
#ifndef AXL_LOG_H
#define AXL_LOG_H

#include <stdio.h>
#include <xentoollog.h>

struct log_sink;

/*
 * Create a logger writing libxl messages of level >= min_level to stream
 * (min_level XTL_NONE+1..XTL_NUM_LEVELS; XTL_NUM_LEVELS shows nothing).
 * Returns NULL on allocation failure.  Dispose with log_dispose().
 */
struct log_sink *log_init(FILE *stream, xentoollog_level min_level);
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
 * The text of the last message of level >= XTL_ERROR since the last
 * log_clear_error(), or NULL.  The pointer is valid until the next
 * message or clear.
 */
const char *log_last_error(const struct log_sink *ls);
void log_clear_error(struct log_sink *ls);

#endif
