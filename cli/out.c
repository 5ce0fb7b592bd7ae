/*
 * out: message formatting and the single place that writes to stderr
 * (libxl's log comes here too, through out_line()).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <string.h>
#include <time.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <libxl.h>

#include "../core/proc.h"
#include "../core/status.h"
#include "cli.h"
#include "out.h"

static bool out_stamps;
static bool out_fine_stamps;    /* --timings -v: the time of day, in us */
static bool out_progress_on;
static bool out_progress_set;
static void (*out_before)(void);
static void (*out_after)(void);

/* The status line, shown at the bottom of a terminal; "" for none. */
static char out_status_text[512];
static bool out_status_shown;

static void out_status_hide(void)
{
    if (!out_status_shown)
        return;
    fputs("\r\033[K", stderr);
    out_status_shown = false;
}

static void out_status_show(void)
{
    struct winsize ws;
    int cols = 80;

    if (!out_status_text[0])
        return;
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 1)
        cols = ws.ws_col;
    fprintf(stderr, "\r\033[K%.*s", cols - 1, out_status_text);
    fflush(stderr);
    out_status_shown = true;
}

void out_status(const char *text)
{
    if (!text)
        text = "";
    if (!strcmp(text, out_status_text) && out_status_shown == !!text[0])
        return;
    snprintf(out_status_text, sizeof(out_status_text), "%s", text);
    /* Control characters from a helper's command line stay out. */
    for (char *p = out_status_text; *p; p++)
        if ((unsigned char)*p < ' ')
            *p = ' ';
    if (out_before)
        out_before();
    out_status_hide();
    out_status_show();
    fflush(stderr);
    if (out_after)
        out_after();
}

/*
 * The time before a line: the date and time (the monitor's log), or the
 * time of day to the microsecond (--timings -v).
 */
static void out_stamp(void)
{
    struct timespec ts;
    struct tm tm;
    char when[32];

    if (clock_gettime(CLOCK_REALTIME, &ts) < 0 ||
        !localtime_r(&ts.tv_sec, &tm) ||
        !strftime(when, sizeof(when), out_fine_stamps ? "%H:%M:%S"
                                                      : "%Y-%m-%d %H:%M:%S",
                  &tm))
        return;
    if (out_fine_stamps)
        fprintf(stderr, "%s.%06ld ", when, ts.tv_nsec / 1000);
    else
        fprintf(stderr, "%s ", when);
}

void out_line(const char *line)
{
    bool status = out_status_shown;

    if (out_before)
        out_before();
    fflush(stdout);
    out_status_hide();
    if (out_stamps || out_fine_stamps)
        out_stamp();
    fprintf(stderr, "%s\n", line);
    if (status)
        out_status_show();
    fflush(stderr);
    if (out_after)
        out_after();
}

void out_child(void)
{
    out_before = out_after = NULL;
    out_status_shown = false;
    out_status_text[0] = '\0';
    __fpurge(stdout);
}

void out_set_stamps(bool on)
{
    out_stamps = on;
}

void out_set_fine_stamps(bool on)
{
    out_fine_stamps = on;
}

void out_log_line(const char *line, void *user)
{
    (void)user;
    out_line(line);
}

static void out_emit(const char *kind, const char *tail, const char *fmt,
                     va_list ap)
{
    char msg[1024], line[1200];

    vsnprintf(msg, sizeof(msg), fmt, ap);
    snprintf(line, sizeof(line), "axl: %s%s%s%s", kind, msg,
             tail ? ": " : "", tail ? tail : "");
    out_line(line);
}

int error(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    out_emit("", NULL, fmt, ap);
    va_end(ap);
    return -1;
}

int error_errno(const char *fmt, ...)
{
    const char *e = strerror(errno);
    va_list ap;

    va_start(ap, fmt);
    out_emit("", e, fmt, ap);
    va_end(ap);
    return -1;
}

int error_libxl(int rc, const char *fmt, ...)
{
    const char *e = libxl_error_to_string(rc);
    va_list ap;

    va_start(ap, fmt);
    out_emit("", e ? e : "unknown libxl error", fmt, ap);
    va_end(ap);
    return -1;
}

int warn(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    out_emit("warning: ", NULL, fmt, ap);
    va_end(ap);
    return -1;
}

void note(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    out_emit("", NULL, fmt, ap);
    va_end(ap);
}

void progress(const char *fmt, ...)
{
    va_list ap;

    if (!out_progress_enabled())
        return;
    va_start(ap, fmt);
    out_emit("", NULL, fmt, ap);
    va_end(ap);
}

void out_set_progress(bool on)
{
    out_progress_on = on;
    out_progress_set = true;
}

bool out_err_tty(void)
{
    static int tty = -1;

    /* Asked on every look of every job: one system call, once. */
    if (tty < 0)
        tty = isatty(STDERR_FILENO);
    return tty;
}

bool out_progress_enabled(void)
{
    if (!out_progress_set) {
        out_progress_on = out_err_tty();
        out_progress_set = true;
    }
    return out_progress_on;
}

void out_set_async_hooks(void (*before)(void), void (*after)(void))
{
    out_before = before;
    out_after = after;
}

void out_wrap(int col, int indent, const char *text)
{
    const char *p = text, *end;
    bool first = true;
    int len;

    for (;;) {
        p += strspn(p, " ");
        if (!*p)
            break;
        end = p + strcspn(p, " ");
        len = (int)(end - p);
        if (col + !first + len > OUT_HELP_WIDTH && col > indent) {
            /* It does not fit: it begins the next line. */
            printf("\n%*s", indent, "");
            col = indent;
        } else if (!first) {
            putchar(' ');
            col++;
        }
        printf("%.*s", len, p);
        col += len;
        first = false;
        p = end;
    }
    putchar('\n');
}

/* Where stdout was while the pager has it. */
static int out_pager_saved = -1;

pid_t out_pager_begin(void)
{
    struct proc_spec spec = PROC_SPEC(PROC_FOREGROUND);
    const char *env = getenv("PAGER");
    char words[256], *argv[16], *save = NULL, *w;
    int p[2], n = 0;
    pid_t pid;

    if (!isatty(STDOUT_FILENO) || out_pager_saved >= 0)
        return 0;
    snprintf(words, sizeof(words), "%s", env && *env ? env : "less");
    for (w = strtok_r(words, " \t", &save); w && n < 15;
         w = strtok_r(NULL, " \t", &save))
        argv[n++] = w;
    argv[n] = NULL;
    /* PAGER=cat, or none that runs: straight to the terminal. */
    if (!n || !strcmp(argv[0], "cat") || !proc_runnable(argv[0]))
        return 0;
    fflush(stdout);
    if (pipe2(p, O_CLOEXEC) < 0)
        return 0;
    setenv("LESS", getenv("LESS") ? getenv("LESS") : "FRX", 1);
    spec.fd[0] = p[0];
    spec.end = cli_child_end;
    pid = proc_fork(&spec);
    if (pid == 0) {
        execvp(argv[0], argv);
        _exit(127);
    }
    close(p[0]);
    if (pid < 0 || (out_pager_saved = dup(STDOUT_FILENO)) < 0 ||
        dup2(p[1], STDOUT_FILENO) < 0) {
        close(p[1]);
        if (pid > 0) {
            kill(pid, SIGTERM);
            waitpid(pid, NULL, 0);
        }
        if (out_pager_saved >= 0)
            close(out_pager_saved);
        out_pager_saved = -1;
        return 0;
    }
    close(p[1]);
    return pid;
}

void out_pager_end(pid_t pid)
{
    if (!pid)
        return;
    fflush(stdout);
    dup2(out_pager_saved, STDOUT_FILENO);
    close(out_pager_saved);
    out_pager_saved = -1;
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
        ;
}

static bool out_stdout_gone_flag;

int out_flush_stdout(void)
{
    if (fflush(stdout) == EOF || ferror(stdout)) {
        /* The reader went away (axl list | head -1): not axl's error. */
        if (errno == EPIPE) {
            out_stdout_gone_flag = true;
            return -1;
        }
        return error_errno("cannot write to standard output");
    }
    return 0;
}

int out_status_flushed(int status)
{
    return out_flush_stdout() < 0 ? AXL_EXIT_FAIL : status;
}

bool out_stdout_gone(void)
{
    return out_stdout_gone_flag;
}
