/*
 * balloon: xl's lock and the memory creates in flight count on.
 */
#include <errno.h>
#include <fcntl.h>
#include <regex.h>
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

bool balloon_cmdline_sets_dom0_mem(const char *cmdline)
{
    /* dom0_mem=SIZE, min:SIZE, max:SIZE or a percentage, comma-joined. */
    static const char pattern[] =
        "(^| )dom0_mem=((|min:|max:)(-?[0-9]+[bBkKmMgGtT]?|"
        "(-?[0-9]+[bBkKmMgGtT]?\\+)?[0-9]{1,2}%),?)+($| )";
    regex_t re;
    bool sets;

    if (!cmdline || regcomp(&re, pattern, REG_NOSUB | REG_EXTENDED))
        return false;
    sets = regexec(&re, cmdline, 0, NULL, 0) == 0;
    regfree(&re);
    return sets;
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
