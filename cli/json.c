/*
 * json: the writer behind every --json listing.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

void json_init(struct json *j, FILE *f)
{
    memset(j, 0, sizeof(*j));
    j->f = f;
}

void json_compact(struct json *j)
{
    j->compact = true;
}

static void json_indent(struct json *j)
{
    int i;

    if (j->compact)
        return;
    fputc('\n', j->f);
    for (i = 0; i < j->depth; i++)
        fputs("    ", j->f);
}

/* Before any value: the comma and the new line an item needs. */
static void json_before(struct json *j)
{
    if (j->after_key) {
        j->after_key = false;
        return;
    }
    if (j->depth == 0)
        return;
    if (j->has_items[j->depth])
        fputc(',', j->f);
    j->has_items[j->depth] = true;
    json_indent(j);
}

void json_open(struct json *j, char c)
{
    json_before(j);
    fputc(c, j->f);
    /* Deeper than any listing goes: keep writing, at the last level. */
    if (j->depth < JSON_MAX_DEPTH - 1)
        j->depth++;
    j->closer[j->depth] = c == '{' ? '}' : ']';
    j->has_items[j->depth] = false;
}

void json_close(struct json *j)
{
    char c;

    if (j->depth == 0)
        return;
    c = j->closer[j->depth];
    j->depth--;
    if (j->has_items[j->depth + 1])
        json_indent(j);
    fputc(c, j->f);
}

/* A string in quotes, escaped. */
static void json_quote(struct json *j, const char *s)
{
    const unsigned char *p;

    fputc('"', j->f);
    for (p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", j->f); break;
        case '\\': fputs("\\\\", j->f); break;
        case '\n': fputs("\\n", j->f); break;
        case '\r': fputs("\\r", j->f); break;
        case '\t': fputs("\\t", j->f); break;
        case '\b': fputs("\\b", j->f); break;
        case '\f': fputs("\\f", j->f); break;
        default:
            if (*p < 0x20)
                fprintf(j->f, "\\u%04x", *p);
            else
                fputc(*p, j->f);
        }
    }
    fputc('"', j->f);
}

void json_key(struct json *j, const char *key)
{
    json_before(j);
    json_quote(j, key);
    fputs(j->compact ? ":" : ": ", j->f);
    j->after_key = true;
}

void json_str(struct json *j, const char *s)
{
    if (!s) {
        json_null(j);
        return;
    }
    json_before(j);
    json_quote(j, s);
}

void json_int(struct json *j, long long v)
{
    json_before(j);
    fprintf(j->f, "%lld", v);
}

void json_uint(struct json *j, unsigned long long v)
{
    json_before(j);
    fprintf(j->f, "%llu", v);
}

void json_double(struct json *j, double v, int decimals)
{
    if (!isfinite(v)) {
        json_null(j);
        return;
    }
    json_before(j);
    fprintf(j->f, "%.*f", decimals, v);
}

void json_bool(struct json *j, bool v)
{
    json_before(j);
    fputs(v ? "true" : "false", j->f);
}

void json_null(struct json *j)
{
    json_before(j);
    fputs("null", j->f);
}

/*
 * libxl's generators indent from column 0: each of the text's lines
 * after the first is indented to the current depth so the document
 * stays aligned.  Trailing white space is dropped.
 */
void json_raw(struct json *j, const char *text)
{
    size_t n;
    const char *p;
    int i;

    if (!text) {
        json_null(j);
        return;
    }
    json_before(j);
    n = strlen(text);
    while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == ' '))
        n--;
    for (p = text; p < text + n; p++) {
        fputc(*p, j->f);
        if (*p == '\n')
            for (i = 0; i < j->depth; i++)
                fputs("    ", j->f);
    }
}

void json_end(struct json *j)
{
    while (j->depth > 0)
        json_close(j);
    fputc('\n', j->f);
}

void json_kstr(struct json *j, const char *key, const char *s)
{
    json_key(j, key);
    json_str(j, s);
}

void json_kint(struct json *j, const char *key, long long v)
{
    json_key(j, key);
    json_int(j, v);
}

void json_kuint(struct json *j, const char *key, unsigned long long v)
{
    json_key(j, key);
    json_uint(j, v);
}

void json_kdouble(struct json *j, const char *key, double v, int decimals)
{
    json_key(j, key);
    json_double(j, v, decimals);
}

void json_kbool(struct json *j, const char *key, bool v)
{
    json_key(j, key);
    json_bool(j, v);
}

void json_kraw(struct json *j, const char *key, const char *text)
{
    json_key(j, key);
    json_raw(j, text);
}

void json_raw_free(struct json *j, const char *key, char *text)
{
    if (key)
        json_key(j, key);
    json_raw(j, text);
    free(text);
}
