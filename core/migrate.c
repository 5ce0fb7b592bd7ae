/*
 * migrate: xl's migration messages, sent and awaited.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "migrate.h"
#include "savefile.h"

static const struct {
    const char *text;
    bool nul;           /* its NUL travels too */
    const char *name;
} migrate_msgs[] = {
    [MIGRATE_BANNER] = { "xl migration receiver ready, send binary domain "
                         "data.\n", false, "banner" },
    [MIGRATE_READY] = { "domain received, ready to unpause", true,
                        "ready message" },
    [MIGRATE_GO] = { "domain is yours, you are cleared to unpause", true,
                     "go-ahead" },
    [MIGRATE_REPORT] = { "my copy unpause results are as follows", true,
                         "report" },
};

const void *migrate_msg_bytes(enum migrate_msg m, size_t *len_r)
{
    *len_r = strlen(migrate_msgs[m].text) + migrate_msgs[m].nul;
    return migrate_msgs[m].text;
}

const char *migrate_msg_name(enum migrate_msg m)
{
    return migrate_msgs[m].name;
}

int migrate_send(int fd, enum migrate_msg m, uint8_t status)
{
    size_t len;
    const void *b = migrate_msg_bytes(m, &len);

    if (savefile_write(fd, b, len) < 0)
        return -1;
    if (m == MIGRATE_REPORT && savefile_write(fd, &status, 1) < 0)
        return -1;
    return 0;
}

struct migrate_wait {
    struct loop *lp;
    int fd;                 /* -1 once no longer watched */
    enum migrate_msg m;
    char buf[64];
    size_t have, need;      /* need: the message and its status byte */
    migrate_wait_fn *fn;
    void *user;
};

static void migrate_wait_end(struct migrate_wait *w, int got, uint8_t status)
{
    if (w->fd >= 0) {
        loop_unwatch_fd(w->lp, w->fd);
        w->fd = -1;
    }
    w->fn(w, got, status, w->user);
}

static void migrate_wait_ready(struct loop *lp, int fd, short revents,
                               void *user)
{
    struct migrate_wait *w = user;
    size_t len;
    const void *want = migrate_msg_bytes(w->m, &len);
    ssize_t n;

    (void)lp;
    (void)revents;
    n = read(fd, w->buf + w->have, w->need - w->have);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return;
    if (n <= 0) {
        if (n == 0)
            errno = 0;
        migrate_wait_end(w, -1, 0);
        return;
    }
    w->have += (size_t)n;
    /* Say at once when what came is not the message. */
    if (memcmp(w->buf, want, w->have < len ? w->have : len)) {
        migrate_wait_end(w, 1, 0);
        return;
    }
    if (w->have < w->need)
        return;
    migrate_wait_end(w, 0, w->need > len ? (uint8_t)w->buf[len] : 0);
}

struct migrate_wait *migrate_wait_new(struct loop *lp, int fd,
                                      enum migrate_msg m,
                                      migrate_wait_fn *fn, void *user)
{
    struct migrate_wait *w = calloc(1, sizeof(*w));
    size_t len;

    if (!w)
        return NULL;
    migrate_msg_bytes(m, &len);
    w->lp = lp;
    w->m = m;
    w->need = len + (m == MIGRATE_REPORT);
    w->fn = fn;
    w->user = user;
    w->fd = fd;
    if (loop_watch_fd(lp, fd, POLLIN, migrate_wait_ready, w) < 0) {
        free(w);
        return NULL;
    }
    return w;
}

void migrate_wait_free(struct migrate_wait *w)
{
    if (!w)
        return;
    if (w->fd >= 0)
        loop_unwatch_fd(w->lp, w->fd);
    free(w);
}

static const char *migrate_copy_suffix(enum migrate_copy c)
{
    return c == MIGRATE_COPY_AWAY ? "--migratedaway" : "--incoming";
}

const char *migrate_copy_name(const char *name, enum migrate_copy c,
                              char *buf, size_t len)
{
    int n = snprintf(buf, len, "%s%s", name, migrate_copy_suffix(c));

    return n >= 0 && (size_t)n < len ? buf : NULL;
}

bool migrate_is_copy(const char *name, const char *guest,
                     enum migrate_copy c)
{
    size_t n = strlen(guest);

    return !strncmp(name, guest, n) &&
           !strcmp(name + n, migrate_copy_suffix(c));
}

const char *migrate_left_answers(uint32_t domid, char *buf, size_t len)
{
    snprintf(buf, len, "run 'axl cleanup' on the target first; if the guest "
             "then runs there, 'axl destroy %u' here; if the target has no "
             "copy of it, 'axl cleanup --resume %u' resumes it here", domid,
             domid);
    return buf;
}
