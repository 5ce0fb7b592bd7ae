/*
 * words: split a shell line into words, with sh's quoting: '...' keeps
 * everything literally, "..." keeps everything but \" \\ \$ \`, and a
 * backslash outside quotes takes the next character literally.  A '#' at
 * the start of a word begins a comment; an unquoted '&' ending the line
 * asks for a background run.  Nothing is expanded.  Pure: no I/O.
 */
#ifndef AXL_WORDS_H
#define AXL_WORDS_H

#include <stdbool.h>

enum words_err {
    WORDS_OK = 0,
    WORDS_EQUOTE,   /* a quote is not closed */
    WORDS_EAMP,     /* '&' somewhere other than at the end */
    WORDS_ENOMEM,
};

struct words {
    int argc;
    char **argv;        /* argc words and a NULL; owned */
    bool background;    /* the line ended with an unquoted '&' */
    bool open_quote;    /* the line ended inside quotes (see below) */
    bool ends_in_word;  /* the last word runs to the end of the line */
};

/*
 * Split line into w (overwritten; release with words_free() whatever the
 * result).  Returns WORDS_OK or an error; with WORDS_EQUOTE, w still
 * holds the words so far, the unterminated one last (what completion
 * needs).
 */
enum words_err words_split(const char *line, struct words *w);

void words_free(struct words *w);

/* A message for an error: "unterminated quote", ... */
const char *words_strerror(enum words_err err);

#endif
