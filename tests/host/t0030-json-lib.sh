#!/bin/bash
# tests/lib/json.sh, the JSON checker the lab tests use in dom0 (which
# has busybox awk, no python, no jq): it accepts exactly one valid
# document, flattens it to PATH<TAB>VALUE leaves, and refuses the rest in
# one line.  Run with every awk at hand, busybox's first.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/tap.sh
. tests/lib/json.sh

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

awks=()
command -v busybox >/dev/null && busybox awk 'BEGIN {}' 2>/dev/null &&
    awks+=("busybox awk")
awks+=(awk)

doc='[
    {
        "name": "Domain-0",
        "domid": 0,
        "cpu_time": 12.5,
        "dominfo": {
            "uuid": "00000000-0000-0000-0000-000000000000",
            "paused": false
        },
        "cpus": [0, 1],
        "none": null,
        "empty": {},
        "list": [],
        "s": "a \"q\" \\ \u00e9 \n"
    },
    { "name": "g", "domid": -1e3 }
]'
want='[0].name	"Domain-0"
[0].domid	0
[0].cpu_time	12.5
[0].dominfo.uuid	"00000000-0000-0000-0000-000000000000"
[0].dominfo.paused	false
[0].cpus[0]	0
[0].cpus[1]	1
[0].none	null
[0].empty	{}
[0].list	[]
[0].s	"a \"q\" \\ \u00e9 \n"
[1].name	"g"
[1].domid	-1e3'

for JSON_AWK in "${awks[@]}"; do
    export JSON_AWK
    got=$(printf '%s\n' "$doc" | json_flat)
    is "$?:$got" "0:$want" "$JSON_AWK: a document's leaves"
    printf '%s\n' "$got" >"$tmp/flat"
    is "$(json_get "$tmp/flat" '[0].dominfo.uuid')" \
        00000000-0000-0000-0000-000000000000 "$JSON_AWK: json_get a string"
    is "$(json_get "$tmp/flat" '[1].domid')" -1e3 "$JSON_AWK: json_get a number"
    is "$(printf '{}' | json_flat)" "	{}" "$JSON_AWK: an empty object"
    while IFS= read -r bad; do
        printf '%s' "$bad" | json_flat >/dev/null 2>"$tmp/err"
        st=$?
        is "$st:$(wc -l <"$tmp/err" | tr -d ' ')" "1:1" \
            "$JSON_AWK: refuses '$bad' in one line"
    done <<'BAD'

[
[1,]
{"a" 1}
{"a":1,}
{a:1}
01
1.
-
"abc
"a	b"
"\x"
"\u12g4"
[1 2]
tru
nul
[1] [2]
{"a":1}}
BAD
done
done_testing
