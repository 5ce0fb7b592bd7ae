# json.sh: check and read JSON in shell tests, with awk alone (dom0 has
# busybox and neither python nor jq).
#
#   json_flat <DOC >FLAT   exits 0 if stdin is exactly one JSON document
#                          (RFC 8259), else 1 with a one-line reason on
#                          stderr; prints one line per leaf value,
#                          "PATH<TAB>VALUE", PATH as .key and [index]
#                          from the root ("[0].name"), VALUE as written
#                          in the document ("\"g-pv\"", 12, null); an
#                          empty object or array is the leaf {} or [].
#   json_get FLAT PATH     the VALUE of PATH in FLAT, strings unquoted
#                          (escapes kept as written).
#
# JSON_AWK names the awk to run (default: awk).

json_flat() {
    ${JSON_AWK:-awk} '
        function fail(why) {
            if (!failed)
                printf "json: %s at offset %d\n", why, pos - 1 >"/dev/stderr"
            failed = 1
            pos = len + 2
            return 0
        }
        function ws(c) {
            while (pos <= len) {
                c = substr(doc, pos, 1)
                if (c != " " && c != "\t" && c != "\n" && c != "\r")
                    break
                pos++
            }
        }
        function leaf(path, v) {
            if (!failed)
                printf "%s\t%s\n", path, v
        }
        function value(path, c, v) {
            ws()
            if (pos > len)
                return fail("a value expected")
            c = substr(doc, pos, 1)
            if (c == "{")
                return object(path)
            if (c == "[")
                return array(path)
            if (c == "\"") {
                v = str()
                leaf(path, v)
                return !failed
            }
            if (c == "-" || (c >= "0" && c <= "9"))
                return number(path)
            if (substr(doc, pos, 4) == "true" || substr(doc, pos, 4) == "null") {
                leaf(path, substr(doc, pos, 4))
                pos += 4
                return 1
            }
            if (substr(doc, pos, 5) == "false") {
                leaf(path, "false")
                pos += 5
                return 1
            }
            return fail("unexpected character \"" c "\"")
        }
        # A string at pos (the opening quote): returns it as written.
        function str(start, c) {
            start = pos
            pos++
            while (pos <= len) {
                c = substr(doc, pos, 1)
                if (c == "\"") {
                    pos++
                    return substr(doc, start, pos - start)
                }
                if (index(ctrl, c))
                    return fail("a control character in a string")
                if (c == "\\") {
                    c = substr(doc, pos + 1, 1)
                    if (c == "u") {
                        if (substr(doc, pos + 2, 4) !~ /^[0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f]$/)
                            return fail("a bad \\u escape")
                        pos += 6
                        continue
                    }
                    if (c == "" || index("\"\\/bfnrt", c) == 0)
                        return fail("a bad escape")
                    pos += 2
                    continue
                }
                pos++
            }
            return fail("an unterminated string")
        }
        function number(path, rest, c) {
            rest = substr(doc, pos, 400)
            if (!match(rest, /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?/))
                return fail("a bad number")
            leaf(path, substr(rest, 1, RLENGTH))
            pos += RLENGTH
            c = substr(doc, pos, 1)
            if (c >= "0" && c <= "9" || c == ".")
                return fail("a bad number")
            return 1
        }
        function object(path, k, n, c) {
            pos++
            ws()
            if (substr(doc, pos, 1) == "}") {
                pos++
                leaf(path, "{}")
                return 1
            }
            for (n = 0; ; n++) {
                ws()
                if (substr(doc, pos, 1) != "\"")
                    return fail("a key expected")
                k = str()
                if (failed)
                    return 0
                ws()
                if (substr(doc, pos, 1) != ":")
                    return fail("\":\" expected")
                pos++
                if (!value(path "." substr(k, 2, length(k) - 2)))
                    return 0
                ws()
                c = substr(doc, pos, 1)
                pos++
                if (c == "}")
                    return 1
                if (c != ",")
                    return fail("\",\" or \"}\" expected")
            }
        }
        function array(path, i, c) {
            pos++
            ws()
            if (substr(doc, pos, 1) == "]") {
                pos++
                leaf(path, "[]")
                return 1
            }
            for (i = 0; ; i++) {
                if (!value(path "[" i "]"))
                    return 0
                ws()
                c = substr(doc, pos, 1)
                pos++
                if (c == "]")
                    return 1
                if (c != ",")
                    return fail("\",\" or \"]\" expected")
            }
        }
        { doc = doc $0 "\n" }
        END {
            for (i = 1; i < 32; i++)
                ctrl = ctrl sprintf("%c", i)
            len = length(doc)
            pos = 1
            value("")
            ws()
            if (!failed && pos <= len)
                fail("text after the document")
            exit failed
        }'
}

json_get() {
    awk -F '\t' -v p="$2" '
        $1 == p { v = substr($0, length($1) + 2)
                  if (v ~ /^".*"$/) v = substr(v, 2, length(v) - 2)
                  print v; exit }' "$1"
}
