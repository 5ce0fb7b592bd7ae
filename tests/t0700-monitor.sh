#!/bin/bash
# The domain monitor's actions: guests that power off, reboot or crash
# by themselves (axl.then= on their kernel command line) under each
# action, next to xl's monitor with the same configuration in the same
# boot; create -e.  (t0705: -F, `axl monitor`, a hanging restart.)
cd "$(dirname "$0")/.." || exit 1
. tests/lib/tap.sh
. tests/lib/xen.sh
. tests/lib/monitor.sh

# Three pairs at once, axl's and xl's: they boot and end meanwhile.
ok "axl create: a guest that reboots" axl create -q "$(cfg m-ra reboot)"
id_a=$(dom_id m-ra)
ok "xl create: the same guest" xl create -q "$(cfg m-rx reboot)"
id_x=$(dom_id m-rx)
ok "axl create: a guest that powers off" axl create -q "$(cfg m-pa poweroff)"
ok "xl create: the same guest" xl create -q "$(cfg m-px poweroff)"
ok "axl create: a guest that crashes, preserve" \
    axl create -q "$(cfg m-ca crash 'on_crash = "preserve"')"
xl create -q "$(cfg m-cx crash 'on_crash = "preserve"')"

# ---- on_reboot = restart (the default), next to xl ----
ok "axl's monitor runs, named axl-m-ra" test -n "$(mon_of m-ra)"
ok "axl's guest restarts: up twice" wait_for 90 ups_at_least m-ra 2
ok "xl's guest restarts: up twice" wait_for 90 ups_at_least m-rx 2
ok "axl's guest has a new domid" test "$(dom_id m-ra)" != "$id_a"
ok "  as xl's has" test "$(dom_id m-rx)" != "$id_x"
like "$(log_of m-ra)" "has shut down \(reboot\): restart" \
    "the log says what happened"
like "$(log_of m-ra)" "domain 'm-ra' restarted as domain [0-9]+ \(was $id_a\)" \
    "  and the new domid"
like "$(log_of m-ra)" "^[0-9-]+ [0-9:]+ axl: monitoring domain $id_a " \
    "  with a timestamp on each line"
stop m-ra; stop m-rx

# ---- on_poweroff = destroy (the default) ----
ok "axl's monitor destroys it" wait_for 90 gone m-pa
ok "  as xl's does" wait_for 90 gone m-px
ok "axl's monitor is gone after it" wait_for 10 no_mon m-pa
like "$(log_of m-pa)" "has shut down \(poweroff\): destroy" "the log says why"
stop m-pa; stop m-px

# ---- on_crash = preserve ----
crashed() { dom_state "$1" | grep -q c; }
ok "axl's guest is kept, crashed" wait_for 90 crashed m-ca
ok "  as xl's is" wait_for 90 crashed m-cx
ok "axl's monitor has ended" wait_for 10 no_mon m-ca
like "$(log_of m-ca)" "is kept, shut down; remove it with 'axl destroy [0-9]+'" \
    "the log says it is kept and how to remove it"
stop m-ca; stop m-cx

# ---- on_crash = coredump-destroy: a core file as xl's ----
mkdir -p "$DUMP"
# One core at a time: dom0's /var/lib is in its RAM.
axl create -q "$(cfg m-da crash 'on_crash = "coredump-destroy"')"
ok "coredump-destroy: axl's guest is destroyed" wait_for 120 gone m-da
sa=$(stat -c %s "$DUMP/m-da" 2>/dev/null)
rm -f "$DUMP/m-da"
xl create -q "$(cfg m-dx crash 'on_crash = "coredump-destroy"')"
ok "  as xl's is" wait_for 120 gone m-dx
sx=$(stat -c %s "$DUMP/m-dx" 2>/dev/null)
rm -f "$DUMP/m-dx"
ok "axl wrote a core of more than 96 MiB" test "${sa:-0}" -gt 100663296
is "$sa" "$sx" "  the size of xl's core for the same guest"
stop m-da; stop m-dx

# ---- on_reboot = rename-restart, and create -e: together ----
axl create -q "$(cfg m-na reboot 'on_reboot = "rename-restart"')"
xl create -q "$(cfg m-nx reboot 'on_reboot = "rename-restart"')"
ok "create -e" axl create -q -e "$(cfg m-ea reboot)"
renamed() { xl list | awk '{ print $1 }' | grep -q "^$1-20[0-9]*T[0-9]*Z$"; }
ok "rename-restart: axl kept the old domain as m-na-DATE" wait_for 90 renamed m-na
ok "  as xl did (m-nx-DATE)" wait_for 90 renamed m-nx
ok "  and a new m-na runs" wait_for 90 ups_at_least m-na 2
stop m-na; stop m-nx

# ---- create -e: no monitor ----
ok "  starts no monitor" no_mon m-ea
shut() { dom_state "$1" | grep -q s; }
ok "  so the rebooted guest stays shut down" wait_for 90 shut m-ea
stop m-ea

# ---- a monitor slow to start freezes no other job ----
# Its create is done only once the monitor watches; meanwhile the loop
# runs on: another job of the same shell finishes.
mkfifo "$tmp/cmds"
AXL_TEST_STOP=mon-ready axl --keep-going -f "$tmp/cmds" >"$tmp/sout" \
    2>"$tmp/serr" &
shpid=$!
exec 7>"$tmp/cmds"
echo "create $(cfg m-sa none) &" >&7
mon_stopped() {
    local p=$(mon_of m-sa)
    [ -n "$p" ] && stopped "$p"
}
if wait_for 60 mon_stopped; then
    pass "a monitor stopped before it says it watches"
    echo "create -e -p $(cfg m-sb none) &" >&7
    ok "  another job of the shell finishes meanwhile" \
        wait_for 30 grep -q '\[2\] done: .*(status 0)' "$tmp/serr"
    ok "  while the first create is not done" \
        eval "! grep -q '\[1\] done' \"\$tmp/serr\""
    kill -CONT "$(mon_of m-sa)"
    ok "  which is done once its monitor watches" \
        wait_for 30 grep -q '\[1\] done: .*(status 0)' "$tmp/serr"
else
    fail "a monitor stopped before it says it watches" "$(cat "$tmp/serr")"
    kill -CONT "$(mon_of m-sa)" 2>/dev/null
fi
exec 7>&-
wait_exit "$shpid" 30
stop m-sa
xl destroy m-sb 2>/dev/null

ok "no monitor is left" test -z "$(monitors)"
done_testing
