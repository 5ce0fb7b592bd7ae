/*
 * fuzz_words: the input, cut at its first NUL byte, is one shell line
 * given to words_split().
 *
 * Contract checked: no crash, leak or undefined behaviour; argv holds
 * argc non-NULL words and a NULL; the flags agree with the result; and
 * when the line splits cleanly, its words quoted back with single quotes
 * and joined by spaces split again into the very same words.
 */
#include "fuzz.h"
#include "../../cli/words.h"

/* The words as one line, each in '...' (a ' inside as '\''). */
static char *fuzz_requote(const struct words *w)
{
    size_t len = 1;
    char *line, *p;
    int i;

    for (i = 0; i < w->argc; i++)
        len += 4 * strlen(w->argv[i]) + 3;
    line = malloc(len);
    if (!line)
        return NULL;
    p = line;
    for (i = 0; i < w->argc; i++) {
        const char *c;

        if (i)
            *p++ = ' ';
        *p++ = '\'';
        for (c = w->argv[i]; *c; c++) {
            if (*c == '\'') {
                memcpy(p, "'\\''", 4);
                p += 4;
            } else {
                *p++ = *c;
            }
        }
        *p++ = '\'';
    }
    *p = '\0';
    return line;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *line = fuzz_string(data, size), *again;
    struct words w, w2;
    enum words_err err;
    int i;

    if (!line)
        return 0;
    err = words_split(line, &w);
    FUZZ_ASSERT(err == WORDS_OK || err == WORDS_EQUOTE ||
                err == WORDS_EAMP || err == WORDS_ENOMEM);
    FUZZ_ASSERT(words_strerror(err) != NULL);
    if (err != WORDS_ENOMEM) {
        FUZZ_ASSERT(w.argc >= 0 && w.argv != NULL);
        for (i = 0; i < w.argc; i++)
            FUZZ_ASSERT(w.argv[i] != NULL);
        FUZZ_ASSERT(w.argv[w.argc] == NULL);
        FUZZ_ASSERT(w.open_quote == (err == WORDS_EQUOTE));
    }
    if (err == WORDS_OK && (again = fuzz_requote(&w))) {
        FUZZ_ASSERT(words_split(again, &w2) == WORDS_OK);
        FUZZ_ASSERT(w2.argc == w.argc && !w2.background);
        for (i = 0; i < w.argc; i++)
            FUZZ_ASSERT(!strcmp(w.argv[i], w2.argv[i]));
        words_free(&w2);
        free(again);
    }
    words_free(&w);
    free(line);
    return 0;
}
