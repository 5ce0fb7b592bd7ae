/*
 * parse: pure parsing of command-line values; no libxl, no output.
 */
#ifndef AXL_PARSE_H
#define AXL_PARSE_H

#include <stdint.h>

/*
 * Parse a duration: a positive number with an optional unit, "ms", "s"
 * (the default), "m" or "h" ("30s", "2m", "1h", "1.5s", "250ms").
 * Returns 0 and sets *ms_r, or -1 if s is not a valid duration.
 */
int parse_duration_ms(const char *s, uint64_t *ms_r);

/*
 * Parse a non-negative decimal integer no greater than max, with no
 * sign, no spaces and no trailing characters.  Returns 0 or -1.
 */
int parse_uint(const char *s, unsigned long max, unsigned long *v_r);

/* A PCI address: domain, bus, device (slot) and function. */
struct parse_bdf {
    unsigned domain, bus, dev, func;
};

/*
 * Parse a PCI address "[DDDD:]BB:DD.F" in hexadecimal, as xl takes it
 * (the domain is 0 when left out).  Returns 0 or -1.
 */
int parse_pci_bdf(const char *s, struct parse_bdf *bdf);

#endif
