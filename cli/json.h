/*
 * json: axl's one JSON writer, for every --json listing.  It writes one
 * document to a stream, indented by four spaces as libxl's own
 * generators indent, so that a libxl_*_to_json() text can be embedded as
 * a value (json_raw) and still line up.
 *
 * Usage: json_init(), then values; objects and arrays are opened with
 * json_open('{' or '[') and closed with json_close(); inside an object
 * every value follows json_key() (or use the json_k*() shorthands).
 * json_end() ends the document with a newline.  Writing never fails
 * here: the caller checks the stream (out_flush_stdout()).
 */
#ifndef AXL_JSON_H
#define AXL_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 32

struct json {
    FILE *f;
    int depth;
    bool has_items[JSON_MAX_DEPTH]; /* something written at this depth */
    char closer[JSON_MAX_DEPTH];    /* '}' or ']' for each open level */
    bool after_key;                 /* a key waits for its value */
    bool compact;                   /* one line: JSON lines, records */
};

void json_init(struct json *j, FILE *f);
/* Write the document on one line, no blanks (a JSON line), from now. */
void json_compact(struct json *j);
/* '{' or '['. */
void json_open(struct json *j, char c);
void json_close(struct json *j);
/* The key of the next value, inside an object. */
void json_key(struct json *j, const char *key);
/* A string, escaped; NULL writes null. */
void json_str(struct json *j, const char *s);
void json_int(struct json *j, long long v);
void json_uint(struct json *j, unsigned long long v);
/* A number with the given digits after the point (not NaN or inf). */
void json_double(struct json *j, double v, int decimals);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);
/* A value that is JSON already (libxl_*_to_json); NULL writes null. */
void json_raw(struct json *j, const char *text);
/* text (malloc'd, freed here) as key's value; no key: an array's item. */
void json_raw_free(struct json *j, const char *key, char *text);
/* End the document: a final newline. */
void json_end(struct json *j);

/* Shorthands: a key and its value. */
void json_kstr(struct json *j, const char *key, const char *s);
void json_kint(struct json *j, const char *key, long long v);
void json_kuint(struct json *j, const char *key, unsigned long long v);
void json_kdouble(struct json *j, const char *key, double v, int decimals);
void json_kbool(struct json *j, const char *key, bool v);
void json_kraw(struct json *j, const char *key, const char *text);

#endif
