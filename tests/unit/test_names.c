/*
 * Unit tests for core/names.c: which host names reach ssh and which
 * domain names can be part of a path.  Prints TAP.
 */
#include <string.h>

#include "tap.h"
#include "../../core/names.h"

int main(void)
{
    static const char *const good_hosts[] = {
        "localhost", "host2.example.org", "root@10.0.0.7", "[fe80::1%eth0]",
        "fe80::1", "xen_b", "h-1",
    };
    static const char *const bad_hosts[] = {
        "", "-oProxyCommand=touch /tmp/x", "-p2222", "a;reboot", "$(reboot)",
        "`reboot`", "a b", "a\tb", "a\nb", "a|b", "a&b", "a>b", "'a'", "\"a\"",
        "a\\b", "a*", "~root", "a,b", "a/b",
    };
    char long_name[NAMES_DOMAIN_MAX + 2], buf[300];
    size_t i;
    int all;

    for (i = 0, all = 1; i < sizeof(good_hosts) / sizeof(*good_hosts); i++)
        all &= names_host_invalid(good_hosts[i]) == NULL;
    check(all, "host names, user@host and IPv6 addresses are taken");
    for (i = 0, all = 1; i < sizeof(bad_hosts) / sizeof(*bad_hosts); i++)
        all &= names_host_invalid(bad_hosts[i]) != NULL;
    check(all, "options, shell characters, white space and '' are refused");
    check(strstr(names_host_invalid("-oProxyCommand=x"), "option") != NULL,
          "a leading '-' is said to be taken for an option");

    check(!names_domain_invalid("web1") && !names_domain_invalid("a.b-c_d") &&
          !names_domain_invalid("m-a--incoming") &&
          !names_domain_invalid("name with spaces"),
          "ordinary domain names are taken");
    check(names_domain_invalid("../../etc/cron.d/x") &&
          names_domain_invalid("a/b") && names_domain_invalid("/abs") &&
          names_domain_invalid(".hidden") && names_domain_invalid("..") &&
          names_domain_invalid("") && names_domain_invalid("a\nb") &&
          names_domain_invalid("a\x7f"),
          "'/', a leading '.', control characters and '' are refused");
    memset(long_name, 'x', sizeof(long_name) - 1);
    long_name[sizeof(long_name) - 1] = '\0';
    check(names_domain_invalid(long_name) != NULL,
          "a name longer than NAMES_DOMAIN_MAX is refused");
    long_name[NAMES_DOMAIN_MAX] = '\0';
    check(names_domain_invalid(long_name) == NULL,
          "one of NAMES_DOMAIN_MAX bytes is taken");
    check(names_path(buf, sizeof(buf), "/var/log/xen", "axl-", long_name,
                     ".log") == 0 && strlen(strrchr(buf, '/') + 1) <= 255,
          "the longest name makes a file name that fits");

    check(names_path(buf, sizeof(buf), "/var/lib/xen/dump", "", "web1", "") ==
          0 && !strcmp(buf, "/var/lib/xen/dump/web1"), "a path is built");
    check(names_path(buf, sizeof(buf), "/var/lib/xen/dump", "",
                     "../../../etc/x", "") < 0 && !buf[0],
          "no path is built from a name that would leave its directory");
    check(names_path(buf, 20, "/var/lib/xen/dump", "", "web1", "") < 0 &&
          !buf[0], "nor one cut short");
    return tap_done();
}
