/*
 * Unit tests for cli/words.c, the shell's sh-like word splitter: pure
 * logic, no Xen needed.  Prints TAP.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tap.h"
#include "../../cli/words.h"


/*
 * Split line and compare with the expected words (NULL-terminated), the
 * error and the background flag.
 */
static void check_split(const char *line, enum words_err want_err,
                        int want_bg, ...)
{
    struct words w;
    enum words_err err = words_split(line, &w);
    const char *want;
    char title[256];
    va_list ap;
    int i = 0, same = err == want_err && (int)w.background == want_bg;

    va_start(ap, want_bg);
    while ((want = va_arg(ap, const char *))) {
        if (i >= w.argc || strcmp(w.argv[i], want))
            same = 0;
        i++;
    }
    va_end(ap);
    if (i != w.argc || (w.argv && w.argv[w.argc]))
        same = 0;
    snprintf(title, sizeof(title), "split [%s]", line);
    check(same, title);
    if (!same) {
        printf("#   err %d (want %d), background %d, %d words:", err,
               want_err, w.background, w.argc);
        for (i = 0; i < w.argc; i++)
            printf(" <%s>", w.argv[i]);
        printf("\n");
    }
    words_free(&w);
}

int main(void)
{
    struct words w;

    check_split("", WORDS_OK, 0, NULL);
    check_split("   \t ", WORDS_OK, 0, NULL);
    check_split("list", WORDS_OK, 0, "list", NULL);
    check_split("  create  web.cfg  ", WORDS_OK, 0, "create", "web.cfg",
                NULL);
    check_split("create 'my web.cfg'", WORDS_OK, 0, "create", "my web.cfg",
                NULL);
    check_split("create \"my web.cfg\" name=\"a b\"", WORDS_OK, 0,
                "create", "my web.cfg", "name=a b", NULL);
    check_split("a'b'\"c\"d", WORDS_OK, 0, "abcd", NULL);
    check_split("'' \"\" x", WORDS_OK, 0, "", "", "x", NULL);
    check_split("'it''s'", WORDS_OK, 0, "its", NULL);
    check_split("'a \"b\" c'", WORDS_OK, 0, "a \"b\" c", NULL);
    check_split("\"a 'b' c\"", WORDS_OK, 0, "a 'b' c", NULL);
    check_split("\"a \\\"q\\\" \\\\ \\n\"", WORDS_OK, 0, "a \"q\" \\ \\n",
                NULL);
    check_split("'\\n'", WORDS_OK, 0, "\\n", NULL);
    check_split("a\\ b c\\'d", WORDS_OK, 0, "a b", "c'd", NULL);
    check_split("$HOME ~ *", WORDS_OK, 0, "$HOME", "~", "*", NULL);
    check_split("# a comment", WORDS_OK, 0, NULL);
    check_split("list # all of them", WORDS_OK, 0, "list", NULL);
    check_split("list a#b", WORDS_OK, 0, "list", "a#b", NULL);
    check_split("list '#x'", WORDS_OK, 0, "list", "#x", NULL);
    check_split("create web.cfg &", WORDS_OK, 1, "create", "web.cfg", NULL);
    check_split("create web.cfg&", WORDS_OK, 1, "create", "web.cfg", NULL);
    check_split("create web.cfg &  ", WORDS_OK, 1, "create", "web.cfg",
                NULL);
    check_split("create web.cfg & # bg", WORDS_OK, 1, "create", "web.cfg",
                NULL);
    check_split("create 'a&b' \"&\"", WORDS_OK, 0, "create", "a&b", "&",
                NULL);
    check_split("create a\\&", WORDS_OK, 0, "create", "a&", NULL);
    check_split("a & b", WORDS_EAMP, 0, "a", NULL);
    check_split("a && b", WORDS_EAMP, 0, "a", NULL);
    check_split("create 'web", WORDS_EQUOTE, 0, "create", "web", NULL);
    check_split("create \"a b", WORDS_EQUOTE, 0, "create", "a b", NULL);

    words_split("create web", &w);
    check(w.ends_in_word, "a line ending in a word says so");
    words_free(&w);
    words_split("create web ", &w);
    check(!w.ends_in_word, "a line ending in a space says so");
    words_free(&w);
    words_split("create 'my w", &w);
    check(w.open_quote && w.ends_in_word,
          "an open quote is the word being typed");
    words_free(&w);
    check(w.argc == 0 && !w.argv && !w.open_quote,
          "words_free leaves the words empty");
    words_free(&w);
    check(w.argc == 0 && !w.argv, "words_free twice is harmless");
    check(!strcmp(words_strerror(WORDS_EQUOTE), "unterminated quote"),
          "words_strerror names an open quote");

    return tap_done();
}
