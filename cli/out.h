/*
 * out: axl's messages to the user.  Data goes to stdout; messages and
 * progress go to stderr as "axl: message".
 */
#ifndef AXL_OUT_H
#define AXL_OUT_H

#include <stdbool.h>
#include <sys/types.h>

/* Print "axl: message" on stderr; return -1 (for `return error(...)`). */
int error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* As error(), with ": strerror(errno)" appended. */
int error_errno(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* As error(), with ": " and the libxl error's name appended. */
int error_libxl(int rc, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* "axl: warning: message"; returns -1 like error(). */
int warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "axl: message", always shown (cancellation, outcomes). */
void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "axl: message", shown only if progress is enabled. */
void progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * The status line: text (no newline) kept at the bottom of the terminal,
 * redrawn under every message; NULL or "" removes it.  For a terminal
 * only: the caller checks.
 */
void out_status(const char *text);

/* One line on stderr, as it is (no "axl: "), through the async hooks. */
void out_line(const char *line);
/* The same, as core/log's emit callback for libxl's messages. */
void out_log_line(const char *line, void *user);

/* Start every line with the local time (a log file: the monitor's). */
void out_set_stamps(bool on);
/*
 * In a child that runs on without exec (a create's worker, the core
 * dump's): no shell hooks, no status line, nothing of stdout's buffer,
 * all of which are the parent's; its messages go out as plain lines.
 */
void out_child(void);
/* Start every line with the time of day to the microsecond (--timings
 * with -v: where an operation's time goes). */
void out_set_fine_stamps(bool on);

/* Whether progress lines are shown (default: stderr is a terminal). */
void out_set_progress(bool on);
bool out_progress_enabled(void);
/* Whether stderr is a terminal (asked of the kernel once). */
bool out_err_tty(void);

/*
 * Hooks the interactive shell sets so that a message printed while the
 * user is typing does not garble the line: before() hides the prompt and
 * line, after() redraws them.  NULL for none.
 */
void out_set_async_hooks(void (*before)(void), void (*after)(void));

/* The width help is kept within: a terminal's usual 80 columns. */
#define OUT_HELP_WIDTH 80
/*
 * Print text on stdout from column col (what is already on the line),
 * its words wrapped within OUT_HELP_WIDTH, each further line indented
 * by indent spaces; then a newline.  A word longer than a line has one
 * of its own.
 */
void out_wrap(int col, int indent, const char *text);

/*
 * Long text for a reader at a terminal goes through a pager, as git's
 * does: $PAGER (its words split at spaces, never run by a shell), else
 * less (with LESS=FRX unless LESS is set: it quits at once on a page
 * that fits and keeps colours).  out_pager_begin() points stdout at it
 * if stdout is a terminal and a pager can be run, and returns its pid;
 * 0 if stdout stays as it is.  out_pager_end() flushes, gives stdout
 * back and waits for the pager to end.
 */
pid_t out_pager_begin(void);
void out_pager_end(pid_t pid);

/* Flush stdout; returns -1 after reporting a write error on it. */
int out_flush_stdout(void);
/* status, once stdout is flushed; 1 (said) if it cannot be. */
int out_status_flushed(int status);
/*
 * Whether stdout's reader has gone (EPIPE: `axl list | head -1`): the
 * flush then said nothing, and axl ends as if killed by SIGPIPE (141).
 */
bool out_stdout_gone(void);

#endif
