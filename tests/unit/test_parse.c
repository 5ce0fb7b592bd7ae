/*
 * Unit tests for cli/parse.c and the command table lookup: pure logic,
 * no Xen needed.  Prints TAP.
 */
#include <stdio.h>
#include <string.h>

#include "tap.h"
#include "../../cli/cmd.h"
#include "../../cli/parse.h"


static void check_dur(const char *s, long long want)
{
    uint64_t ms = 0;
    char title[128];
    int r = parse_duration_ms(s, &ms);

    snprintf(title, sizeof(title), "duration '%s' -> %lld", s, want);
    if (want < 0)
        check(r == -1, title);
    else
        check(r == 0 && ms == (uint64_t)want, title);
}

int main(void)
{
    unsigned long v;
    const struct cmd_entry *e;
    int i;

    check_dur("30s", 30000);
    check_dur("30", 30000);
    check_dur("2m", 120000);
    check_dur("1h", 3600000);
    check_dur("250ms", 250);
    check_dur("1.5s", 1500);
    check_dur("0", -1);
    check_dur("-5s", -1);
    check_dur("", -1);
    check_dur("5x", -1);
    check_dur("s", -1);
    check_dur("1e400", -1);
    check_dur("9999h", -1);
    check_dur(" 5s", -1);
    check_dur("0x10", -1);
    check_dur("1e3", -1);
    check_dur("1e3s", -1);
    check_dur("+5s", -1);
    check_dur(".5s", 500);
    check_dur(".s", -1);
    check_dur("5.s", 5000);
    check_dur("1.2.3s", -1);
    check_dur("5 s", -1);
    check_dur("inf", -1);
    check_dur("nan", -1);

    check(parse_uint("42", 100, &v) == 0 && v == 42, "uint 42");
    check(parse_uint("101", 100, &v) == -1, "uint over max");
    check(parse_uint("-1", 100, &v) == -1, "uint negative");
    {
        struct parse_bdf b;

        check(parse_pci_bdf("0000:00:02.1", &b) == 0 && b.domain == 0 &&
              b.bus == 0 && b.dev == 2 && b.func == 1, "bdf with domain");
        check(parse_pci_bdf("0a:1f.7", &b) == 0 && b.domain == 0 &&
              b.bus == 0xa && b.dev == 0x1f && b.func == 7,
              "bdf without domain");
        check(parse_pci_bdf("00:20.0", &b) == -1, "bdf: slot over 1f");
        check(parse_pci_bdf("00:02.8", &b) == -1, "bdf: function over 7");
        check(parse_pci_bdf("00:02", &b) == -1, "bdf: no function");
        check(parse_pci_bdf("1:2:3:4.0", &b) == -1, "bdf: too many colons");
        check(parse_pci_bdf("00:02.1x", &b) == -1, "bdf: trailing junk");
        check(parse_pci_bdf("web1", &b) == -1, "bdf: a name");
    }
    check(parse_uint("4x", 100, &v) == -1, "uint trailing junk");

    /* Exact, prefix, ambiguous and unknown lookups. */
    e = cmd_lookup("create");
    check(e && !strcmp(e->name, "create"), "lookup exact 'create'");
    e = cmd_lookup("cr");
    check(e && !strcmp(e->name, "create"), "lookup unique prefix 'cr'");
    fprintf(stderr, "(ambiguous and unknown lookups follow)\n");
    check(cmd_lookup("frobnicate") == NULL, "lookup unknown command");
    check(cmd_lookup("") == NULL, "lookup empty name");
    {
        static const struct cmd_entry a = { .name = "pause" },
                                      b = { .name = "pci-attach" },
                                      c = { .name = "pci" };
        static const struct cmd_entry *const t[] = { &a, &b, &c, NULL };

        check(cmd_lookup_in(t, "p") == NULL, "ambiguous prefix 'p'");
        check(cmd_lookup_in(t, "pa") == &a, "unique prefix 'pa'");
        check(cmd_lookup_in(t, "pci") == &c, "exact match wins over prefix");
        check(cmd_lookup_in(t, "pci-") == &b, "unique prefix 'pci-'");
    }

    /* Table sanity: unique names, usage and summary on every entry. */
    for (i = 0; cmd_table[i]; i++) {
        int k, dup = 0;

        for (k = 0; k < i; k++)
            dup |= !strcmp(cmd_table[k]->name, cmd_table[i]->name);
        check(!dup && cmd_table[i]->summary && cmd_table[i]->usage &&
                  cmd_table[i]->run,
              cmd_table[i]->name);
    }

    return tap_done();
}
