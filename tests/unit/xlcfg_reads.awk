#!/usr/bin/awk -f
#
# xlcfg_reads.awk FILE...: every key of a domain configuration that the
# parser reads, found in its source (core/xlcfg_int.h and the
# core/xlcfg*.c that read domain configurations); printed as C string
# literals, one a line, sorted, for test_xlcfg to hold against xlcfg_keys.
#
# A key is read in one of two ways:
#  - a call of a reader with a string literal as its key: libxlutil's
#    lookups (xlu_cfg_get_*), and any function or macro that passes a key
#    parameter of its own on to a reader (xlcfg_str, xlcfg_action,
#    XLCFG_ENUM, ...: found here, not listed);
#  - a row of a key table, an array of a structure whose rows are keys:
#    the first string of the row.
# The source must say which keys it reads in those terms: a reader given
# any other key (a variable, a constant's name), or a structure with a
# member "key" not declared below, stops the script with an error, so a
# read it cannot name fails the build instead of passing unseen.
#
# The tokenizer knows what this source needs of C: comments, strings,
# identifiers, and #define of function-like macros (read as functions);
# other preprocessor lines are skipped.

BEGIN {
    # libxlutil's lookups: the key is their second argument.
    split("xlu_cfg_get_string xlu_cfg_replace_string xlu_cfg_get_long " \
          "xlu_cfg_get_bounded_long xlu_cfg_get_defbool xlu_cfg_get_list " \
          "xlu_cfg_get_list_as_string_list", base, " ")
    for (i in base)
        reader[base[i]] = 2

    # The structures with a member "key": 1 if an array of them is a key
    # table, 0 if their keys are something else.
    rows["xlcfg_scalar"] = 1        # a key read into a field
    rows["xlcfg_dev_kind"] = 1      # a device list
    rows["xlcfg_res_kind"] = 1      # a resource list
    rows["xlcfg_field"] = 0         # a key=value inside a device's spec

    ntok = 0
    nerr = 0
}

FNR == 1 { files[++nfiles] = FILENAME }
{ text[FILENAME] = text[FILENAME] $0 "\n" }

END {
    for (f = 1; f <= nfiles; f++)
        tokenize(files[f], text[files[f]], 1, 1)
    pair_up()
    scan()
    find_readers()
    check_calls()
    if (nerr)
        exit 1
    print_keys()
}

function err(i, msg)
{
    printf "xlcfg_reads.awk: %s:%d: %s\n", tfile[i], tline[i], msg \
        > "/dev/stderr"
    nerr++
}

function emit(file, line, k, v)
{
    ntok++
    tok[ntok] = v
    kind[ntok] = k          # i identifier, s string, c char, n number, p
    tline[ntok] = line
    tfile[ntok] = file
}

# The tokens of s (file's text from line line0); pp: read preprocessor
# lines (0 inside a macro's body).
function tokenize(file, s, line0, pp,    n, i, j, c, c2, bol, line, w)
{
    n = length(s)
    line = line0
    bol = 1
    i = 1
    while (i <= n) {
        c = substr(s, i, 1)
        c2 = substr(s, i, 2)
        if (c == "\n") {
            line++
            bol = 1
            i++
        } else if (c ~ /[ \t\r\f\v]/) {
            i++
        } else if (pp && bol && c == "#") {
            # the logical line: to the first newline not escaped
            for (j = i; j <= n; j++)
                if (substr(s, j, 1) == "\n" && substr(s, j - 1, 1) != "\\")
                    break
            w = substr(s, i + 1, j - i - 1)
            directive(file, w, line)
            line += gsub(/\n/, "\n", w)
            i = j
        } else if (c2 == "/*") {
            j = index(substr(s, i + 2), "*/")
            if (!j)
                j = n
            w = substr(s, i, j + 3)
            line += gsub(/\n/, "\n", w)
            i += j + 3
        } else if (c2 == "//") {
            while (i <= n && substr(s, i, 1) != "\n")
                i++
        } else if (c == "\"" || c == "'") {
            for (j = i + 1; j <= n && (c2 = substr(s, j, 1)) != c; j++)
                if (c2 == "\\")
                    j++
            w = substr(s, i + 1, j - i - 1)
            # adjacent literals are one string, as in C
            if (c == "\"" && ntok && kind[ntok] == "s" && tfile[ntok] == file)
                tok[ntok] = tok[ntok] w
            else
                emit(file, line, c == "\"" ? "s" : "c", w)
            i = j + 1
            bol = 0
        } else if (c ~ /[0-9]/) {
            for (j = i; j <= n && substr(s, j, 1) ~ /[A-Za-z_0-9.]/; j++)
                ;
            emit(file, line, "n", substr(s, i, j - i))
            i = j
            bol = 0
        } else if (c ~ /[A-Za-z_]/) {
            for (j = i; j <= n && substr(s, j, 1) ~ /[A-Za-z_0-9]/; j++)
                ;
            emit(file, line, "i", substr(s, i, j - i))
            i = j
            bol = 0
        } else {
            if (c2 == "->")
                c = c2
            emit(file, line, "p", c)
            i += length(c)
            bol = 0
        }
    }
}

# A preprocessor line (w: what follows '#').  A function-like macro is
# read as a function of its parameters whose body is its expansion.
function directive(file, w, line,    name, p)
{
    if (!match(w, /^[ \t]*define[ \t]+[A-Za-z_][A-Za-z_0-9]*\(/))
        return
    name = substr(w, 1, RLENGTH - 1)
    sub(/^[ \t]*define[ \t]+/, "", name)
    w = substr(w, RLENGTH)
    gsub(/\\\n/, " \n", w)
    p = index(w, ")")
    tokenize(file, name substr(w, 1, p) " {" substr(w, p + 1) " }", line, 0)
}

# mate[i]: where the bracket at i closes or opens.
function pair_up(    i, sp, t)
{
    sp = 0
    for (i = 1; i <= ntok; i++) {
        if (kind[i] != "p")
            continue
        t = tok[i]
        if (t == "(" || t == "[" || t == "{") {
            stack[++sp] = i
        } else if (t == ")" || t == "]" || t == "}") {
            if (!sp) {
                err(i, "unbalanced '" t "'")
                continue
            }
            mate[i] = stack[sp]
            mate[stack[sp--]] = i
        }
    }
    if (sp)
        err(stack[sp], "unbalanced '" tok[stack[sp]] "'")
}

# The pieces of the bracketed list opening at o, split at its commas:
# from[1..n], to[1..n]; returns n.
function pieces(o, from, to,    i, n)
{
    n = 0
    from[1] = o + 1
    for (i = o + 1; i < mate[o]; i++) {
        if (kind[i] == "p" && (tok[i] == "(" || tok[i] == "[" ||
                               tok[i] == "{")) {
            i = mate[i]
        } else if (kind[i] == "p" && tok[i] == ",") {
            to[++n] = i - 1
            from[n + 1] = i + 1
        }
    }
    if (from[n + 1] < mate[o])
        to[++n] = mate[o] - 1
    return n
}

# What tokens s..e are, their brackets aside: "lit" (one string), "id"
# (one identifier), "row" (the member key of something), else "other".
# Sets a_s, a_e to the unbracketed range.
function what(s, e)
{
    while (tok[s] == "(" && kind[s] == "p" && mate[s] == e) {
        s++
        e--
    }
    a_s = s
    a_e = e
    if (s == e && kind[s] == "s")
        return "lit"
    if (s == e && kind[s] == "i")
        return "id"
    if (e - s >= 2 && tok[e] == "key" && (tok[e - 1] == "." ||
                                          tok[e - 1] == "->"))
        return "row"
    return "other"
}

function text_of(s, e,    i, t)
{
    t = ""
    for (i = s; i <= e; i++)
        t = t (i > s ? " " : "") (kind[i] == "s" ? "\"" tok[i] "\"" : tok[i])
    return t
}

# Functions (and macros) with their parameters, the calls in their
# bodies, structures with a member key, and the rows of key tables.
function scan(    i, j, b, n, k, from, to, fn)
{
    for (i = 1; i <= ntok; i++) {
        # a definition: NAME ( ... ) { at file level
        if (kind[i] == "i" && tok[i + 1] == "(" && depth_at(i) == 0 &&
            tok[mate[i + 1] + 1] == "{") {
            fn = tok[i]
            n = pieces(i + 1, from, to)
            nparams[fn] = n
            for (k = 1; k <= n; k++)
                param[fn, k] = last_ident(from[k], to[k])
            b = mate[i + 1] + 1
            for (j = b + 1; j < mate[b]; j++)
                if (kind[j] == "i" && tok[j + 1] == "(" &&
                    tok[j - 1] != "." && tok[j - 1] != "->")
                    add_call(fn, j)
            i = mate[b]
        }
    }
    for (i = 1; i <= ntok; i++)
        if (tok[i] == "struct" && kind[i] == "i")
            struct_at(i)
}

# Brace depth at token i (only asked at candidates; cached by walking).
function depth_at(i)
{
    while (dpos < i) {
        dpos++
        if (kind[dpos] == "p" && tok[dpos] == "{")
            dcur++
        else if (kind[dpos] == "p" && tok[dpos] == "}")
            dcur--
    }
    return dcur - (kind[i] == "p" && tok[i] == "{")
}

# The parameter's name: its last identifier outside brackets.
function last_ident(s, e,    i, name)
{
    name = ""
    for (i = s; i <= e; i++) {
        if (kind[i] == "p" && (tok[i] == "(" || tok[i] == "["))
            i = mate[i]
        else if (kind[i] == "i")
            name = tok[i]
    }
    return name
}

function add_call(fn, j,    n, k, from, to)
{
    ncalls++
    c_caller[ncalls] = fn
    c_callee[ncalls] = tok[j]
    c_at[ncalls] = j
    n = pieces(j + 1, from, to)
    c_nargs[ncalls] = n
    for (k = 1; k <= n; k++) {
        c_from[ncalls, k] = from[k]
        c_to[ncalls, k] = to[k]
    }
}

# struct NAME { ... } or struct { ... }: a member key must be declared
# above; an array of a key table's structure gives its rows.
function struct_at(i,    name, b, j, n, k, from, to, key)
{
    name = ""
    b = i + 1
    if (kind[b] == "i") {
        name = tok[b]
        b++
    }
    if (tok[b] == "{" && kind[b] == "p") {
        for (j = b + 1; j < mate[b]; j++) {
            if (kind[j] == "p" && (tok[j] == "{" || tok[j] == "("))
                j = mate[j]
            else if (tok[j] == "key" && kind[j] == "i" &&
                     (tok[j + 1] == ";" || tok[j + 1] == "," ||
                      tok[j + 1] == "["))
                break
        }
        if (j < mate[b] && name == "")
            err(j, "a structure without a name has a member key: name it, " \
                "and say in xlcfg_reads.awk whether its rows are keys")
        else if (j < mate[b] && !(name in rows))
            err(j, "struct " name " has a member key: say in " \
                "xlcfg_reads.awk whether its rows are keys")
        return
    }
    # struct NAME IDENT [ ... ] = { rows }
    if (name == "" || !rows[name])
        return
    j = b
    while (kind[j] == "i" || tok[j] == "*")
        j++
    if (tok[j] != "[" || tok[mate[j] + 1] != "=" || tok[mate[j] + 2] != "{")
        return
    b = mate[j] + 2
    n = pieces(b, from, to)
    for (k = 1; k <= n; k++) {
        key = row_key(from[k], to[k])
        if (key == "")
            err(from[k], "a row of " tok[j - 1] " without its key as a " \
                "string")
        else
            keys[key] = 1
    }
}

# A row's key: its first string.
function row_key(s, e,    i)
{
    for (i = s; i <= e; i++)
        if (kind[i] == "s")
            return tok[i]
    return ""
}

# A function passing a parameter of its own as a reader's key is a
# reader, whose key is that parameter.
function find_readers(    c, changed, pos, k, fn)
{
    do {
        changed = 0
        for (c = 1; c <= ncalls; c++) {
            fn = c_caller[c]
            if (!(c_callee[c] in reader) || fn in reader)
                continue
            pos = reader[c_callee[c]]
            if (pos > c_nargs[c])
                continue
            if (what(c_from[c, pos], c_to[c, pos]) != "id")
                continue
            for (k = 1; k <= nparams[fn]; k++)
                if (param[fn, k] == tok[a_s]) {
                    reader[fn] = k
                    changed = 1
                }
        }
    } while (changed)
}

# Every reader's key: a string (a key read), a parameter (its caller is
# a reader), or a key table's member key; anything else is an error.
function check_calls(    c, pos, w, k, fn, ok)
{
    for (c = 1; c <= ncalls; c++) {
        if (!(c_callee[c] in reader))
            continue
        pos = reader[c_callee[c]]
        fn = c_caller[c]
        if (pos > c_nargs[c]) {
            err(c_at[c], c_callee[c] "() with fewer arguments than its key")
            continue
        }
        w = what(c_from[c, pos], c_to[c, pos])
        if (w == "lit") {
            keys[tok[a_s]] = 1
            continue
        }
        ok = w == "row"
        for (k = 1; w == "id" && k <= nparams[fn]; k++)
            if (param[fn, k] == tok[a_s])
                ok = 1
        if (!ok)
            err(c_at[c], fn "() reads the key '" text_of(a_s, a_e) \
                "' through " c_callee[c] "(): write the key as a string")
    }
}

function print_keys(    k, n, i, j, t, sorted)
{
    n = 0
    for (k in keys)
        sorted[++n] = k
    for (i = 2; i <= n; i++) {
        t = sorted[i]
        for (j = i - 1; j >= 1 && sorted[j] > t; j--)
            sorted[j + 1] = sorted[j]
        sorted[j + 1] = t
    }
    print "/* Generated by tests/unit/xlcfg_reads.awk: do not edit. */"
    for (i = 1; i <= n; i++)
        printf "\"%s\",\n", sorted[i]
}
