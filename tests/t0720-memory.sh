#!/bin/bash
# Memory, as xl.conf says: with autoballoon="on", a create the host lacks
# free memory for asks Domain-0 for it; two parallel creates in one axl
# do not count on the same free memory; xl's lock is honoured (an xl
# create that holds it makes axl wait, cancellably); xl does the same in
# the same boot.  Domain-0's memory and xl.conf are put back at the end.
cd "$(dirname "$0")/.." || exit 1
. tests/lib/tap.sh
. tests/lib/xen.sh

G=tests/guests
tmp=$(mktemp -d)
conf=/etc/xen/xl.conf
cp "$conf" "$tmp/xl.conf.orig" 2>/dev/null || : >"$tmp/xl.conf.orig"
dom0_mib=$(xl list 0 | awk 'NR == 2 { print $3 }')

cleanup() {
    cp "$tmp/xl.conf.orig" "$conf"
    kill -9 $(fixture_procs) 2>/dev/null
    clean_domains
    xl mem-set 0 "${dom0_mib}m" >/dev/null 2>&1
    rm -rf "$tmp" "$M"
}
trap cleanup EXIT

{ cat "$tmp/xl.conf.orig"; echo 'autoballoon="on"'; } >"$conf"

# cfg NAME MIB: a guest of that size.
cfg() {
    sed -e "s/^name = .*/name = \"$1\"/" -e "s/^memory = .*/memory = $2/" \
        "$G/pv.cfg" >"$tmp/$1.cfg"
    echo "$tmp/$1.cfg"
}
free_mib() { xl info free_memory; }
dom0_now() { xl list 0 | awk 'NR == 2 { print $3 }'; }
dom0_back() {
    xl mem-set 0 "${dom0_mib}m" >/dev/null 2>&1
    wait_for 30 eval '[ "$(dom0_now)" -ge $((dom0_mib - 2)) ]'
}

# ---- two parallel creates that together need Domain-0's memory ----
free=$(free_mib)
each=$(( (free + 96) / 2 ))
diag "free $free MiB, Domain-0 $dom0_mib MiB: two guests of $each MiB"
axl -f /dev/stdin >"$tmp/out" 2>"$tmp/err" <<EOF
create $(cfg m-a $each) &
create $(cfg m-b $each) &
wait
EOF
st=$?
is "$st" 0 "two parallel creates that need ballooning: exit 0"
ok "  both guests exist" eval "dom_exists m-a && dom_exists m-b"
like "$(cat "$tmp/err")" "asking Domain-0 for [0-9]+ MiB" \
    "  Domain-0 was asked for memory"
like "$(cat "$tmp/err")" "the rest counted on by other creates" \
    "  the second create counted what the first had reserved"
ok "  Domain-0 gave memory back" test "$(dom0_now)" -lt "$dom0_mib"
xl destroy m-a; xl destroy m-b
ok "Domain-0 takes its memory back" dom0_back

# ---- the same with xl, in the same boot ----
free=$(free_mib)
big=$(( free + 48 ))
xl create -q "$(cfg m-x $big)" >/dev/null 2>&1
is "$?" 0 "xl create of a guest larger than the free memory: exit 0"
ok "  xl too took memory from Domain-0" test "$(dom0_now)" -lt "$dom0_mib"
xl destroy m-x
ok "Domain-0 takes its memory back" dom0_back
axl create -q "$(cfg m-y $big)" 2>"$tmp/err"
is "$?" 0 "axl create of the same guest: exit 0"
like "$(cat "$tmp/err")" "^axl: asking Domain-0 for [0-9]+ MiB \([0-9]+ MiB free" \
    "  says, even with -q, that it asks Domain-0 for memory"
like "$(cat "$tmp/err")" "Domain-0 gave back memory: its target is now [0-9]+ MiB" \
    "  and what Domain-0's target is now"
xl destroy m-y
dom0_back

# ---- xl's lock: an xl create holds it while its bootloader hangs ----
rm -rf "$M"; mkdir -p "$M"
xl create "$G/hang-bootloader.cfg" >/dev/null 2>&1 &
xpid=$!
ok "xl create hangs in its bootloader (holding xl's lock)" \
    wait_for 30 eval '[ -s "$M/bootloader-hang.pid" ]'
axl create "$(cfg m-l 128)" >"$tmp/out" 2>"$tmp/err" &
pid=$!
# The journal's record of the create says what it waits on.
waiting_lock() { grep -qs "^phase=waiting for xl's lock" /run/axl/*.op; }
ok "axl create waits for xl's lock" wait_for 10 waiting_lock
ok "  and has built nothing" eval '! dom_exists m-l'
kill -INT $pid
wait_exit $pid 10
is "$rc" 130 "SIGINT while waiting for the lock: exit 130"
like "$(cat "$tmp/err")" "create of 'm-l' cancelled during waiting for xl's lock /var/lock/xl \(held by pid [0-9]+\).*; nothing was built" \
    "  says what it waited on and that nothing was built"
ok "  no domain m-l" eval '! dom_exists m-l'
kill -9 $(cat "$M/bootloader-hang.pid") 2>/dev/null
wait_exit $xpid 60
ok "xl's create ends (its bootloader killed)" test "$rc" != timeout
ok "axl create goes through once xl's lock is free" \
    axl create -q "$(cfg m-l 128)"
xl destroy m-l

# ---- autoballoon off: no ballooning, xl's message ----
cp "$tmp/xl.conf.orig" "$conf"
echo 'autoballoon="off"' >>"$conf"
free=$(free_mib)
out=$(axl create -q "$(cfg m-o $((free + 64)))" 2>&1); st=$?
is "$st" 1 "autoballoon off: a guest larger than the free memory fails"
ok "  and Domain-0 kept its memory" test "$(dom0_now)" -ge $((dom0_mib - 2))
ok "  no domain is left" eval '! dom_exists m-o'
echo 'autoballoon="sometimes"' >>"$conf"
out=$(axl create -q "$(cfg m-o 64)" 2>&1); st=$?
is "$st" 1 "a bad autoballoon value: exit 1"
like "$out" "invalid value 'sometimes' for 'autoballoon'" "  says so"
done_testing
