/*
 * names: what axl accepts as a migration target's host name and as a
 * domain's name, before either reaches a program's argument vector or
 * a path.  axl runs as root: a host name must never become an option or
 * shell text, and a domain's name (which a config, or a migration's
 * sender, chooses) must never leave the directory a path puts it in.
 */
#ifndef AXL_NAMES_H
#define AXL_NAMES_H

#include <stddef.h>

/*
 * The longest domain name: a file name (255 bytes) less the longest
 * decoration a path made of it gets ("axl-" and ".log", or xenconsoled's
 * "guest-" and ".log": 10) and a migration's "--migratedaway" (14).
 */
#define NAMES_DOMAIN_MAX 231

/*
 * Why host cannot be given to ssh as a host name (in words, for "invalid
 * host 'X': WHY"), or NULL if it can: letters, digits and . - _ : @ [ ]
 * % only, not empty, not starting with '-' (ssh would read an option).
 */
const char *names_host_invalid(const char *host);

/*
 * Why name cannot be a domain's name (in words), or NULL if it can: not
 * empty, no '/', no control character, not starting with '.', at most
 * NAMES_DOMAIN_MAX bytes.  Such a name is a file name of its own.
 */
const char *names_domain_invalid(const char *name);

/*
 * DIR/PREFIXNAMESUFFIX in buf (len bytes) when name is a valid domain
 * name and it fits: 0, or -1 (buf then "").
 */
int names_path(char *buf, size_t len, const char *dir, const char *prefix,
               const char *name, const char *suffix);

#endif
