/*
 * Unit tests for core/migrate.c without Xen: the messages are xl's bytes
 * (some with their NUL), and a wait reads exactly one message from a
 * pipe, however it arrives, tells other bytes and the stream's end
 * apart, and leaves what follows unread.  Prints TAP.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"
#include "../../core/loop.h"
#include "../../core/migrate.h"

static int got = 99;
static uint8_t status = 99;
static bool called;

static void on_msg(struct migrate_wait *w, int g, uint8_t st, void *user)
{
    (void)w;
    (void)user;
    got = g;
    status = st;
    called = true;
}

/* Run the loop until the wait has said something (or 100 turns). */
static void spin(struct loop *lp)
{
    int i;

    for (i = 0; i < 100 && !called; i++)
        loop_iterate(lp, 10);
}

static int wait_for(struct loop *lp, int fd, enum migrate_msg m)
{
    struct migrate_wait *w;

    called = false;
    got = 99;
    w = migrate_wait_new(lp, fd, m, on_msg, NULL);
    if (!w)
        return -1;
    spin(lp);
    migrate_wait_free(w);
    return 0;
}

int main(void)
{
    struct loop *lp;
    size_t len;
    const char *b;
    char rest[8];
    int p[2];

    if (loop_init(&lp) < 0 || pipe(p) < 0) {
        printf("Bail out! no loop or pipe\n");
        return 1;
    }
    b = migrate_msg_bytes(MIGRATE_BANNER, &len);
    check(len == 54 && b[len - 1] == '\n',
          "the banner is xl's 54 bytes, without its NUL");
    b = migrate_msg_bytes(MIGRATE_READY, &len);
    check(len == 34 && b[len - 1] == '\0',
          "the ready message travels with its NUL");
    b = migrate_msg_bytes(MIGRATE_GO, &len);
    check(len == 44 && b[len - 1] == '\0', "so does the go-ahead");
    b = migrate_msg_bytes(MIGRATE_REPORT, &len);
    check(len == 39 && b[len - 1] == '\0', "so does the report");

    /* A message in two pieces, then bytes that must stay unread. */
    b = migrate_msg_bytes(MIGRATE_READY, &len);
    check(write(p[1], b, 10) == 10, "first piece written");
    called = false;
    {
        struct migrate_wait *w = migrate_wait_new(lp, p[0], MIGRATE_READY,
                                                  on_msg, NULL);

        loop_iterate(lp, 10);
        check(!called, "half a message is no message");
        check(write(p[1], b + 10, len - 10) == (ssize_t)(len - 10) &&
              write(p[1], "NEXT", 4) == 4, "the rest, and more");
        spin(lp);
        migrate_wait_free(w);
    }
    check(called && got == 0, "the message in two pieces is the message");
    check(read(p[0], rest, 4) == 4 && !memcmp(rest, "NEXT", 4),
          "what follows it is left unread");

    /* The report's status byte. */
    check(migrate_send(p[1], MIGRATE_REPORT, 3) == 0, "report sent");
    wait_for(lp, p[0], MIGRATE_REPORT);
    check(got == 0 && status == 3, "the report brings its status byte");

    /* Other bytes, at once. */
    check(write(p[1], "xl migration receiver broke", 27) == 27,
          "other bytes sent");
    wait_for(lp, p[0], MIGRATE_BANNER);
    check(got == 1, "other bytes than the banner are said to be so");

    /* The end of the stream. */
    close(p[1]);
    wait_for(lp, p[0], MIGRATE_GO);
    check(got == -1 && errno == 0, "the stream's end before the message");
    close(p[0]);
    loop_dispose(lp);
    return tap_done();
}
