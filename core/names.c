/*
 * names: host and domain names axl accepts (names.h).
 */
#include <stdio.h>
#include <string.h>

#include "names.h"

const char *names_host_invalid(const char *host)
{
    static const char ok[] = "abcdefghijklmnopqrstuvwxyz"
                             "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                             "0123456789.-_:@[]%";
    const char *p;

    if (!host[0])
        return "it is empty";
    if (host[0] == '-')
        return "it starts with '-' (ssh would take it for an option)";
    for (p = host; *p; p++) {
        if (*p == ' ' || *p == '\t' || *p == '\n')
            return "it holds white space";
        if (!strchr(ok, *p))
            return "only letters, digits and . - _ : @ [ ] % make a host "
                   "name";
    }
    return NULL;
}

const char *names_domain_invalid(const char *name)
{
    const unsigned char *p;

    if (!name[0])
        return "it is empty";
    if (name[0] == '.')
        return "it starts with '.'";
    if (strlen(name) > NAMES_DOMAIN_MAX)
        return "it is longer than 231 bytes";
    for (p = (const unsigned char *)name; *p; p++) {
        if (*p == '/')
            return "it holds '/'";
        if (*p < ' ' || *p == 0x7f)
            return "it holds a control character";
    }
    return NULL;
}

int names_path(char *buf, size_t len, const char *dir, const char *prefix,
               const char *name, const char *suffix)
{
    int n;

    if (len)
        buf[0] = '\0';
    if (names_domain_invalid(name))
        return -1;
    n = snprintf(buf, len, "%s/%s%s%s", dir, prefix, name, suffix);
    if (n < 0 || (size_t)n >= len) {
        if (len)
            buf[0] = '\0';
        return -1;
    }
    return 0;
}
