#!/bin/bash
# Devices on a running PV guest: block-attach/-detach/-list and
# network-attach/-detach/-list against xl's output; device-id completion;
# bad input; cancelling an attach that hangs in its hotplug script
# (SIGINT with --on-cancel=destroy and keep, --timeout, a second SIGINT
# while the half-attached disk is being removed).
cd "$(dirname "$0")/.." || exit 1
. tests/lib/tap.sh
. tests/lib/xen.sh

G=tests/guests
tmp=$(mktemp -d)
cleanup() {
    kill -9 $(fixture_procs) 2>/dev/null
    clean_domains
    rm -rf "$tmp" "$M"
}
trap cleanup EXIT

# backend_has ID DEVID: blkback still has the device in xenstore.
backend_has() {
    xenstore-read "/local/domain/0/backend/vbd/$1/$2/state" >/dev/null 2>&1
}
XVDC=51744                              # xvdc's devid
DISK="format=raw, vdev=xvdb, access=rw, target=$tmp/d.img"
# target= comes last: everything after it is the path.
HANG="format=raw, vdev=xvdc, access=rw,"
HANG+=" script=/axl/tests/fixtures/block-hang, target=$tmp/d.img"
truncate -s 16M "$tmp/d.img"

axl create -q "$G/pv.cfg" || bail "cannot create g-pv"
id=$(dom_id g-pv)

# ---- block ----
is "$(axl -N block-attach g-pv "$DISK")" \
    "$(xl -N block-attach g-pv "$DISK")" "block-attach -N prints what xl -N does"
ok "block-attach exits 0" axl block-attach g-pv "$DISK"
# The attach returns once the backend is ready; the guest connects its
# frontend afterwards, and the lists print that state.
ok "  the guest connects xvdb" wait_for 20 dev_connected "$id" vbd 51728
is "$(axl block-list g-pv)" "$(xl block-list g-pv)" \
    "block-list prints what xl block-list prints"
like "$(axl block-list g-pv)" "^51728 +0 +$id " "block-list shows xvdb"
is "$(axl __complete 3 axl block-detach g-pv "")" xvdb \
    "completion offers the domain's disks"
is "$(axl __complete 3 axl block-detach g-pv xvdz)" "" \
    "completion of a disk filters by prefix"

out=$(axl block-detach g-pv xvdz 2>&1); st=$?
is "$st" 1 "block-detach of a missing disk exits 1"
is "$out" "axl: domain 'g-pv' has no disk 'xvdz' (see 'axl block-list g-pv')" \
    "  and says so in one line"
out=$(axl block-attach g-pv "vdev=xvdd" 2>&1); st=$?
is "$st" 1 "block-attach of a bad specification exits 1"
is "$(printf '%s\n' "$out" | wc -l)" 1 "  with one line"
out=$(axl block-attach nosuch "$DISK" 2>&1); st=$?
is "$st:$out" "1:axl: no such domain 'nosuch'" \
    "block-attach to a missing domain: one line, exit 1"
out=$(axl block-attach g-pv 2>&1); st=$?
is "$st" 2 "block-attach without a specification is a usage error"

ok "block-detach exits 0" axl block-detach g-pv xvdb
unlike "$(axl block-list g-pv)" "^51728 " "xvdb is gone"

# ---- network ----
ok "network-attach exits 0" axl network-attach g-pv bridge=xenbr0
ok "  the guest connects vif 0" wait_for 20 dev_connected "$id" vif 0
is "$(axl network-list g-pv)" "$(xl network-list g-pv)" \
    "network-list prints what xl network-list prints"
like "$(axl network-list g-pv)" "^0 +0 +00:16:3e:" "network-list shows vif 0"
is "$(axl __complete 3 axl network-detach g-pv "")" 0 \
    "completion offers the domain's network devices"
out=$(axl network-attach g-pv colour=blue 2>&1); st=$?
is "$st:$out" "1:axl: unknown network device parameter 'colour=blue'" \
    "network-attach: an unknown parameter is one line, exit 1"
is "$(axl network-list g-pv | wc -l)" 2 "  and nothing was attached"
out=$(axl network-attach g-pv type=ioemu bridge=xenbr0 2>&1); st=$?
is "$st:$out" "1:axl: network-attach: an emulated nic (type=ioemu) cannot be added to a running guest, only a PV one (type=vif, the default); nothing was done" \
    "network-attach of an emulated nic: refused in one line, exit 1"
is "$(axl network-list g-pv | wc -l)" 2 "  and nothing was attached"
is "$(axl -N network-attach g-pv type=ioemu bridge=xenbr0)" \
    "$(xl -N network-attach g-pv type=ioemu bridge=xenbr0)" \
    "  its dry run (-N) prints what xl -N does"
out=$(axl network-detach g-pv 7 2>&1); st=$?
is "$st" 1 "network-detach of a missing device exits 1"
like "$out" "^axl: domain 'g-pv' has no network device '7'" "  and says so"
mac=$(axl network-list g-pv | awk 'NR == 2 { print $3 }')
ok "network-detach by MAC exits 0" axl network-detach g-pv "$mac"
is "$(axl network-list g-pv | wc -l)" 1 "vif 0 is gone"

# ---- cancelling an attach that hangs in its hotplug script ----
# in_hotplug: the xvdc attach hangs in its hotplug script: the script has
# marked itself and still runs, and blkback waits for it in InitWait (2).
in_hotplug() {
    local p
    p=$(cat "$M/block-hang.pid" 2>/dev/null) && [ -n "$p" ] &&
        kill -0 "$p" 2>/dev/null &&
        [ "$(xenstore-read "/local/domain/0/backend/vbd/$id/$XVDC/state" \
            2>/dev/null)" = 2 ]
}

# attach_hang ARGS...: start block-attach of xvdc in the background and
# wait until it hangs in the hotplug script; sets $pid.
attach_hang() {
    rm -rf "$M"
    mkdir -p "$M"
    axl block-attach "$@" g-pv "$HANG" >"$tmp/out" 2>"$tmp/err" &
    pid=$!
    wait_for 60 in_hotplug
}

# sigint_hang TITLE ARGS...: attach_hang ARGS, then SIGINT; exit 130.
sigint_hang() {
    local t=$1
    shift
    ok "$t: the attach hangs in hotplug" attach_hang "$@"
    kill -INT "$pid"
    wait "$pid"
    is "$?" 130 "$t: exit 130"
}

# open_pipes PID: the pipes and sockets PID holds above stderr: what axl
# (or libxenstore inside it) let leak into a program it started; this
# shell's nap pipe (xen.sh) among them, which axl inherits and must not
# pass on.
open_pipes() {
    local f t
    for f in /proc/$1/fd/*; do
        [ "${f##*/}" -gt 2 ] 2>/dev/null || continue
        t=$(readlink "$f") || continue
        case $t in pipe:*|socket:*|anon_inode:*) echo "${f##*/} -> $t" ;; esac
    done
}

ok "fds: the attach hangs in hotplug" attach_hang
hp=$(cat "$M/block-hang.pid" 2>/dev/null)
leak=$(open_pipes "$hp")
is "$leak" "" "the hotplug script holds no pipe or socket of axl's"
kill -INT "$pid"
wait "$pid"
sigint_hang SIGINT/destroy
like "$(cat "$tmp/err")" "removed xvdc from domain $id \('g-pv'\); nothing is left" \
    "SIGINT/destroy: says the half-attached disk was removed"
ok "SIGINT/destroy: no backend left" eval "! backend_has $id $XVDC"
unlike "$(axl block-list g-pv)" "^$XVDC " "SIGINT/destroy: block-list is empty"
ok "SIGINT/destroy: no hotplug script left" \
    wait_for 10 eval '[ -z "$(fixture_procs)" ]'

sigint_hang SIGINT/keep --on-cancel=keep
like "$(cat "$tmp/err")" "xvdc kept, half-attached \(remove it with 'axl block-detach -f $id xvdc'\)" \
    "SIGINT/keep: says what is kept and how to remove it"
like "$(axl block-list g-pv)" "^$XVDC " "SIGINT/keep: the disk is still listed"
ok "SIGINT/keep: the command it gave removes it" axl block-detach -f "$id" xvdc
ok "SIGINT/keep: then no backend is left" eval "! backend_has $id $XVDC"

rm -rf "$M"; mkdir -p "$M"
t0=$(now_us)
axl block-attach --timeout=3s g-pv "$HANG" >"$tmp/out" 2>"$tmp/err"; st=$?
t1=$(now_us)
is "$st" 124 "--timeout: exit 124"
ok "--timeout: within 20 s" test $(( (t1 - t0) / 1000000 )) -lt 20
ok "--timeout: no backend left" eval "! backend_has $id $XVDC"

# A second SIGINT while the removal itself hangs abandons it and says
# what is left.
ok "second SIGINT: the attach hangs in hotplug" attach_hang
# The removal's script looks for this file when it starts, after the
# SIGINT below.
touch "$M/block-hang.remove-hangs"
kill -INT "$pid"
ok "second SIGINT: the removal hangs" wait_for 30 test -s "$M/block-hang.remove.pid"
kill -INT "$pid"
wait "$pid"; st=$?
is "$st" 130 "second SIGINT: exit 130"
like "$(cat "$tmp/err")" "cancelling the removal of xvdc from domain $id" \
    "second SIGINT: says it cancels the removal"
# libxl may finish a forced removal even when its script is killed: the
# last line must say what is left, and be right.
case $(tail -1 "$tmp/err") in
*"nothing is left"* | *"no device is left"*) left=no ;;
*"half-attached"* | *"still attached"*) left=yes ;;
*) left=unsaid ;;
esac
unlike "$left" "^unsaid$" "second SIGINT: the last line says what is left"
if [ "$left" = yes ]; then
    ok "second SIGINT: and it is left" backend_has "$id" "$XVDC"
else
    ok "second SIGINT: and nothing is left" eval "! backend_has $id $XVDC"
fi
rm -f "$M/block-hang.remove-hangs"
axl block-detach -f g-pv xvdc >/dev/null 2>&1
ok "afterwards: no backend left" eval "! backend_has $id $XVDC"

ok "destroy g-pv" axl destroy g-pv
is "$(ndomains)" 1 "afterwards xl list shows only Domain-0"
done_testing
