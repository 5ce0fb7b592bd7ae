/*
 * test_json: the --json writer: nesting, commas, escapes, embedded libxl
 * text re-indented.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../cli/json.h"
#include "tap.h"

static void is_str(const char *got, const char *want, const char *title)
{
    check(got && strcmp(got, want) == 0, title);
    if (got && strcmp(got, want))
        printf("# got:\n%s# want:\n%s", got, want);
}

/* Run fn on a writer to memory; return the text (malloc'd). */
static char *capture(void (*fn)(struct json *))
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    struct json j;

    json_init(&j, f);
    fn(&j);
    fclose(f);
    return buf;
}

static void doc_empty(struct json *j)
{
    json_open(j, '[');
    json_close(j);
    json_end(j);
}

static void doc_nested(struct json *j)
{
    json_open(j, '[');
    json_open(j, '{');
    json_kstr(j, "name", "a\"b\\c\n\x01");
    json_kint(j, "id", -3);
    json_kuint(j, "mem", 18446744073709551615ull);
    json_kdouble(j, "cpu", 1.25, 1);
    json_kbool(j, "ok", true);
    json_kstr(j, "none", NULL);
    json_key(j, "list");
    json_open(j, '[');
    json_int(j, 1);
    json_int(j, 2);
    json_close(j);
    json_close(j);
    json_end(j);    /* closes the array */
}

static void doc_raw(struct json *j)
{
    json_open(j, '{');
    json_kraw(j, "config", "{\n    \"a\": 1\n}\n");
    json_end(j);
}

int main(void)
{
    char *s;

    s = capture(doc_empty);
    is_str(s, "[]\n", "an empty array is []");
    free(s);
    s = capture(doc_nested);
    is_str(s, "[\n    {\n        \"name\": \"a\\\"b\\\\c\\n\\u0001\",\n"
              "        \"id\": -3,\n"
              "        \"mem\": 18446744073709551615,\n"
              "        \"cpu\": 1.2,\n"
              "        \"ok\": true,\n"
              "        \"none\": null,\n"
              "        \"list\": [\n            1,\n            2\n"
              "        ]\n    }\n]\n",
           "nesting, commas, escapes; json_end closes what is open");
    free(s);
    s = capture(doc_raw);
    is_str(s, "{\n    \"config\": {\n        \"a\": 1\n    }\n}\n",
           "libxl's text is indented to its depth");
    free(s);
    return tap_done();
}
