/*
 * words: sh-like splitting of one shell line into words.
 */
#include <stdlib.h>
#include <string.h>

#include "words.h"

/* A growing word and a growing vector of words. */
struct words_buf {
    char *s;
    size_t len, cap;
};

static int words_putc(struct words_buf *b, char c)
{
    if (b->len + 2 > b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 32;
        char *s = realloc(b->s, cap);

        if (!s)
            return -1;
        b->s = s;
        b->cap = cap;
    }
    b->s[b->len++] = c;
    b->s[b->len] = '\0';
    return 0;
}

/* Move the word in b to the end of w; b is left empty. */
static int words_push(struct words *w, struct words_buf *b)
{
    char **v = realloc(w->argv, (w->argc + 2) * sizeof(*v));

    if (!v)
        return -1;
    w->argv = v;
    if (!b->s && words_putc(b, '\0') < 0)
        return -1;
    w->argv[w->argc++] = b->s;
    w->argv[w->argc] = NULL;
    b->s = NULL;
    b->len = b->cap = 0;
    return 0;
}

static bool words_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

enum words_err words_split(const char *line, struct words *w)
{
    struct words_buf b = { NULL, 0, 0 };
    enum words_err err = WORDS_OK;
    const char *p = line;
    bool in_word = false;
    char quote = 0;

    memset(w, 0, sizeof(*w));
    w->argv = calloc(1, sizeof(*w->argv));
    if (!w->argv)
        return WORDS_ENOMEM;

    for (; *p; p++) {
        char c = *p;

        if (quote == '\'') {
            if (c == '\'')
                quote = 0;
            else if (words_putc(&b, c) < 0)
                goto nomem;
            continue;
        }
        if (quote == '"') {
            if (c == '"') {
                quote = 0;
                continue;
            }
            if (c == '\\' && p[1] && strchr("\"\\$`", p[1]))
                c = *++p;
            if (words_putc(&b, c) < 0)
                goto nomem;
            continue;
        }
        if (words_space(c)) {
            if (in_word && words_push(w, &b) < 0)
                goto nomem;
            in_word = false;
            continue;
        }
        if (c == '#' && !in_word)
            break;
        if (c == '&') {
            const char *q = p + 1;

            while (words_space(*q))
                q++;
            if (*q && *q != '#') {
                err = WORDS_EAMP;
                goto out;
            }
            if (in_word && words_push(w, &b) < 0)
                goto nomem;
            in_word = false;
            w->background = true;
            goto out;
        }
        if (!in_word) {
            in_word = true;
            /* An empty quoted word ('' or "") must still count. */
            if (!b.s && words_putc(&b, '\0') < 0)
                goto nomem;
            b.len = 0;
        }
        if (c == '\'' || c == '"') {
            quote = c;
            continue;
        }
        if (c == '\\') {
            if (!p[1])
                break;          /* a trailing backslash: nothing to quote */
            c = *++p;
        }
        if (words_putc(&b, c) < 0)
            goto nomem;
    }
    if (quote) {
        w->open_quote = true;
        err = WORDS_EQUOTE;
    }
    if (in_word) {
        w->ends_in_word = !*p;
        if (words_push(w, &b) < 0)
            goto nomem;
    }
    goto out;
nomem:
    err = WORDS_ENOMEM;
out:
    free(b.s);
    return err;
}

void words_free(struct words *w)
{
    int i;

    if (!w->argv)
        return;
    for (i = 0; i < w->argc; i++)
        free(w->argv[i]);
    free(w->argv);
    memset(w, 0, sizeof(*w));
}

const char *words_strerror(enum words_err err)
{
    switch (err) {
    case WORDS_OK:
        return "no error";
    case WORDS_EQUOTE:
        return "unterminated quote";
    case WORDS_EAMP:
        return "'&' may only end a command";
    case WORDS_ENOMEM:
        return "out of memory";
    }
    return "unknown error";
}
