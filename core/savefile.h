/*
 * savefile: the header of xl's save files, which axl reads and writes so
 * that `xl restore` takes what `axl save` writes and the other way round:
 * a 32-byte magic, the byte order, mandatory and optional flags, then
 * the optional data (the domain's configuration: its length and text,
 * libxl JSON or xl.cfg), then libxl's own stream (version 2).
 */
#ifndef AXL_SAVEFILE_H
#define AXL_SAVEFILE_H

#include <stdbool.h>
#include <stddef.h>

/* Write all of buf (retrying short writes): 0, or -1 with errno set. */
int savefile_write(int fd, const void *buf, size_t len);

/*
 * Write the header with the configuration json (NUL-terminated; its NUL
 * is written too, as xl writes it).  0, or -1 with errno set.
 */
int savefile_write_header(int fd, const char *json);

/*
 * Read a header from fd, leaving it at libxl's stream.  0 with *config_r
 * the configuration (malloc'd, NUL-terminated, NULL if the file has
 * none) and *json_r whether it is JSON; -1 with why in err.
 */
int savefile_read_header(int fd, char **config_r, bool *json_r, char *err,
                         size_t errlen);

#endif
