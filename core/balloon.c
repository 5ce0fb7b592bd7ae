/*
 * balloon: xl's lock and the memory creates in flight count on.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "balloon.h"

/*
 * xl's lock as this process holds it: one descriptor, however many
 * creates hold it, and the process's by nature (a POSIX lock is: another
 * descriptor of the file in this process would get it at once, and
 * closing either drops it).  owner: whose creates hold it, for as long
 * as any does.
 */
static int balloon_fd = -1;
static int balloon_holds;
static const void *balloon_owner;

/*
 * Xen's dom0_mem= takes a comma-separated list of amounts, each maybe
 * marked "min:" or "max:": a size (digits, maybe negative, maybe one
 * unit letter), or a percentage of the host (one or two digits and
 * '%'), maybe after a size and '+'.  Each parser below takes what it
 * knows from p and returns where it stopped, or NULL.
 */
static const char *balloon_size(const char *p)
{
    if (*p == '-')
        p++;
    if (!isdigit((unsigned char)*p))
        return NULL;
    while (isdigit((unsigned char)*p))
        p++;
    if (*p && strchr("bBkKmMgGtT", *p))
        p++;
    return p;
}

static const char *balloon_percent(const char *p)
{
    int n = 0;

    while (isdigit((unsigned char)p[n]) && n < 3)
        n++;
    return n >= 1 && n <= 2 && p[n] == '%' ? p + n + 1 : NULL;
}

static const char *balloon_amount(const char *p)
{
    const char *q;

    if (!strncmp(p, "min:", 4) || !strncmp(p, "max:", 4))
        p += 4;
    if ((q = balloon_percent(p)))
        return q;
    if (!(q = balloon_size(p)))
        return NULL;
    return *q == '+' ? balloon_percent(q + 1) : q;
}

bool balloon_cmdline_sets_dom0_mem(const char *cmdline)
{
    const char *w, *p, *end;

    for (w = cmdline; w && *w; w = end) {
        w += strspn(w, " ");
        end = w + strcspn(w, " ");
        if (strncmp(w, "dom0_mem=", 9))
            continue;
        /* Every amount of the value must read as one. */
        for (p = w + 9; p && p < end && *p != ','; ) {
            p = balloon_amount(p);
            if (p && p < end && *p == ',')
                p++;
        }
        if (p == end && end > w + 9)
            return true;
    }
    return false;
}

bool balloon_auto(libxl_ctx *ctx)
{
    const libxl_version_info *info = libxl_get_version_info(ctx);

    return !info || !balloon_cmdline_sets_dom0_mem(info->commandline);
}

int balloon_lock(const void *owner, const char *path, pid_t *holder_r)
{
    struct flock fl;
    int fd;

    *holder_r = 0;
    if (balloon_holds > 0) {
        /* Another loop's creates: it waits as another process would. */
        if (owner != balloon_owner) {
            *holder_r = getpid();
            return 1;
        }
        balloon_holds++;
        return 0;
    }
    fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return -1;
    memset(&fl, 0, sizeof(fl));
    fl.l_type = F_WRLCK;
    fl.l_whence = SEEK_SET;
    if (fcntl(fd, F_SETLK, &fl) < 0) {
        int e = errno;

        if (e == EACCES || e == EAGAIN) {
            memset(&fl, 0, sizeof(fl));
            fl.l_type = F_WRLCK;
            fl.l_whence = SEEK_SET;
            if (fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK)
                *holder_r = fl.l_pid;
            close(fd);
            return 1;
        }
        close(fd);
        errno = e;
        return -1;
    }
    balloon_fd = fd;
    balloon_holds = 1;
    balloon_owner = owner;
    return 0;
}

void balloon_unlock(void)
{
    if (balloon_holds <= 0 || --balloon_holds > 0)
        return;
    /* Closing the file drops the lock. */
    close(balloon_fd);
    balloon_fd = -1;
    balloon_owner = NULL;
}
