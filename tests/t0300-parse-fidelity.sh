#!/bin/bash
# Parse fidelity: for every config in tests/configs/ and tests/guests/
# (written here; the lab's HVM, PVH and pygrub guests among them) and
# every example config Debian's xen-utils installs (/etc/xen/xlexample.*,
# real input nobody here wrote), `axl create -n` and `xl -N create` must
# print byte-identical libxl domain configurations.
# Configs without a uuid get one on the command line (the same for both),
# since otherwise each run generates a random one; that also exercises
# key=value overrides.  Each axl result must then read back unchanged as
# a libxl JSON config.
cd "$(dirname "$0")/.." || exit 1
. tests/lib/tap.sh

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
uuid='uuid="3b2c7f4e-0d1a-4e5b-9c8d-7a6f5e4d3c2b"'

# show_diff A B: the unified diff of two files as TAP diagnostics.
show_diff() {
    diff -u "$1" "$2" | sed 's/^/# /'
}

examples=$(ls /etc/xen/xlexample.* 2>/dev/null | wc -l)
if [ "$examples" -ge 3 ]; then
    pass "the lab has Debian's $examples example configs"
else
    fail "the lab has Debian's example configs" "found $examples"
fi

for cfg in tests/configs/* tests/guests/*.cfg /etc/xen/xlexample.*; do
    [ -f "$cfg" ] || continue
    base=$(basename "$cfg")
    set --
    grep -Eq '^[[:space:]]*uuid[[:space:]]*=' "$cfg" || set -- "$uuid"

    xl -N create "$cfg" "$@" >"$tmp/xl.out" 2>"$tmp/xl.err"
    xl_rc=$?
    axl create -n "$cfg" "$@" >"$tmp/axl.out" 2>"$tmp/axl.err"
    axl_rc=$?
    if [ "$xl_rc" -ne 0 ]; then
        fail "$base: xl -N create accepts it" "exit $xl_rc" \
             "$(cat "$tmp/xl.err")"
        continue
    fi
    if [ "$axl_rc" -eq 0 ]; then
        pass "$base: axl create -n exits 0"
    else
        fail "$base: axl create -n exits 0" "exit $axl_rc" \
             "$(cat "$tmp/axl.err")"
    fi
    if cmp -s "$tmp/xl.out" "$tmp/axl.out"; then
        pass "$base: same json as xl"
    else
        fail "$base: same json as xl"
        show_diff "$tmp/xl.out" "$tmp/axl.out"
    fi

    # the json axl printed reads back as the same configuration
    cp "$tmp/axl.out" "$tmp/$base.json"
    axl create -n "$tmp/$base.json" >"$tmp/again.out" 2>"$tmp/again.err"
    if [ $? -eq 0 ] && cmp -s "$tmp/axl.out" "$tmp/again.out"; then
        pass "$base: json round trip"
    else
        fail "$base: json round trip" "$(cat "$tmp/again.err")"
        show_diff "$tmp/axl.out" "$tmp/again.out"
    fi
done

done_testing
