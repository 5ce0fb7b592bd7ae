/*
 * savefile: xl's save-file header.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "savefile.h"

static const char savefile_magic[32] = "Xen saved domain, xl format\n \0 \r";
#define SAVEFILE_BYTEORDER 0x01020304u
#define SAVEFILE_FLAG_JSON 0x1u     /* the configuration is libxl JSON */
#define SAVEFILE_FLAG_V2   0x2u     /* libxl's stream is version 2 */
#define SAVEFILE_MAX_CONFIG (16u << 20)

struct savefile_header {
    char magic[32];
    uint32_t byteorder;
    uint32_t mandatory_flags;
    uint32_t optional_flags;
    uint32_t optional_data_len;
};

int savefile_write(int fd, const void *buf, size_t len)
{
    const char *p = buf;

    while (len > 0) {
        ssize_t n = write(fd, p, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* 1 when all was read, 0 at a short file, -1 on an error. */
static int savefile_read_all(int fd, void *buf, size_t len)
{
    char *p = buf;

    while (len > 0) {
        ssize_t n = read(fd, p, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            return 0;
        p += n;
        len -= (size_t)n;
    }
    return 1;
}

int savefile_write_header(int fd, const char *json)
{
    struct savefile_header h;
    uint32_t len = (uint32_t)strlen(json) + 1;

    memset(&h, 0, sizeof(h));
    memcpy(h.magic, savefile_magic, sizeof(h.magic));
    h.byteorder = SAVEFILE_BYTEORDER;
    h.mandatory_flags = SAVEFILE_FLAG_V2 | SAVEFILE_FLAG_JSON;
    h.optional_data_len = 4 + len;
    if (savefile_write(fd, &h, sizeof(h)) < 0 ||
        savefile_write(fd, &len, 4) < 0 ||
        savefile_write(fd, json, len) < 0)
        return -1;
    return 0;
}

int savefile_read_header(int fd, char **config_r, bool *json_r, char *err,
                         size_t errlen)
{
    struct savefile_header h;
    uint32_t len = 0;
    char *opt = NULL;
    int r;

    *config_r = NULL;
    *json_r = false;
    r = savefile_read_all(fd, &h, sizeof(h));
    if (r <= 0 || memcmp(h.magic, savefile_magic, sizeof(h.magic))) {
        snprintf(err, errlen, "%s", r < 0 ? strerror(errno)
                 : "not a save file of xl's or axl's");
        return -1;
    }
    if (h.byteorder != SAVEFILE_BYTEORDER) {
        snprintf(err, errlen, "saved on a host of the other byte order");
        return -1;
    }
    if (h.mandatory_flags & ~(SAVEFILE_FLAG_JSON | SAVEFILE_FLAG_V2)) {
        snprintf(err, errlen, "unknown mandatory flags 0x%x",
                 (unsigned)h.mandatory_flags);
        return -1;
    }
    if (!(h.mandatory_flags & SAVEFILE_FLAG_V2)) {
        snprintf(err, errlen, "an old (version 1) stream, which axl does "
                 "not restore");
        return -1;
    }
    if (h.optional_data_len > SAVEFILE_MAX_CONFIG + 4) {
        snprintf(err, errlen, "a configuration of %u bytes",
                 (unsigned)h.optional_data_len);
        return -1;
    }
    if (h.optional_data_len) {
        opt = malloc(h.optional_data_len + 1);
        if (!opt) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        if (savefile_read_all(fd, opt, h.optional_data_len) <= 0) {
            snprintf(err, errlen, "the file ends in its header");
            free(opt);
            return -1;
        }
        if (h.optional_data_len >= 4)
            memcpy(&len, opt, 4);
        if (len > h.optional_data_len - 4) {
            snprintf(err, errlen, "a damaged header");
            free(opt);
            return -1;
        }
        if (len) {
            *config_r = malloc(len + 1);
            if (!*config_r) {
                snprintf(err, errlen, "out of memory");
                free(opt);
                return -1;
            }
            memcpy(*config_r, opt + 4, len);
            (*config_r)[len] = '\0';
        }
        free(opt);
    }
    *json_r = (h.mandatory_flags & SAVEFILE_FLAG_JSON) != 0;
    return 0;
}
