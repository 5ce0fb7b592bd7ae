#!/bin/bash
# The lab itself works: Xen answers, a PV guest with a disk and a vif
# boots and is destroyed cleanly, and each slow fixture really hangs in the
# phase it is meant to catch.  Runs in dom0.
cd "$(dirname "$0")/.." || exit 1
. tests/lib/tap.sh
. tests/lib/xen.sh

G=tests/guests
tmp=$(mktemp -d)

# --- Xen and xl ---
info=$(xl info 2>&1)
is "$?" 0 "xl info exits 0"
like "$info" "^xen_major +: 4$" "xl info reports Xen 4"
like "$info" "^xen_minor +: 17$" "xl info reports Xen 4.17"
is "$(xl list | awk 'NR == 2 { print $1 }')" Domain-0 "Domain-0 is named"

# --- a PV guest with a disk and a vif, start to finish ---
xl create "$G/pv-full.cfg" >"$tmp/out" 2>&1
rc=$?
is "$rc" 0 "xl create pv-full.cfg exits 0"
[ "$rc" -eq 0 ] || diag "$(cat "$tmp/out")"
ok "xl list shows g-full" dom_exists g-full
id=$(dom_id g-full)
log=/var/log/xen/guest-g-full.log
ok "guest prints AXL-GUEST-UP on its console" \
    wait_for 60 grep -q AXL-GUEST-UP "$log"
ok "guest sees its 64 MiB disk" \
    grep -q "disk xvda 67108864 bytes" "$log"
ok "guest brings its NIC up" grep -q "nic eth0 up" "$log"
ok "xl console shows the marker" \
    eval 'timeout 3 xl console g-full </dev/null 2>/dev/null |
          grep -q AXL-GUEST-UP'
xl destroy g-full >"$tmp/out" 2>&1
is "$?" 0 "xl destroy g-full exits 0"
ok "g-full gone from xl list" eval '! dom_exists g-full'
is "$(ndomains)" 1 "only Domain-0 left"
ok "no /local/domain/$id in xenstore" eval "! xs_has_domain $id"

# --- a PVH guest (needs SVM+NPT from QEMU's CPU model) ---
xl create "$G/pvh.cfg" >"$tmp/out" 2>&1
is "$?" 0 "xl create pvh.cfg exits 0"
ok "PVH guest prints AXL-GUEST-UP" \
    wait_for 60 grep -q AXL-GUEST-UP /var/log/xen/guest-g-pvh.log
xl destroy g-pvh >/dev/null 2>&1
ok "g-pvh gone after destroy" eval '! dom_exists g-pvh'

# --- slow fixtures: each hangs in its phase ---

# hang_fixture CFG NAME MARKER: start `xl create CFG` in the background,
# check it reaches the phase MARKER records, then clean up.
hang_fixture() {
    local cfg=$1 name=$2 marker=$M/$3.pid xlpid fpid
    rm -f "$marker"
    xl create "$G/$cfg" >"$tmp/$name.out" 2>&1 &
    xlpid=$!
    ok "$cfg: reaches its phase ($3 runs)" wait_for 60 test -s "$marker"
    fpid=$(cat "$marker" 2>/dev/null)
    ok "$cfg: domain $name exists meanwhile" dom_exists "$name"
    sleep 2
    ok "$cfg: $3 is still blocked" kill -0 "${fpid:-0}"
    ok "$cfg: xl create is still waiting" kill -0 "$xlpid"
    kill -KILL "$xlpid" 2>/dev/null
    wait "$xlpid" 2>/dev/null
    [ -n "$fpid" ] && kill -KILL "$fpid" 2>/dev/null
    xl destroy "$name" >/dev/null 2>&1
    ok "$cfg: clean after destroy" eval "! dom_exists $name"
    rm -f "$marker"
}

hang_fixture hang-hotplug.cfg g-hang-hotplug block-hang
hang_fixture hang-bootloader.cfg g-hang-boot bootloader-hang

# hang-backend: no marker file; the backend's xenstore state says it.
be_state() {
    local id
    id=$(dom_id g-hang-be) || return 1
    [ "$(xenstore-read "/local/domain/0/backend/vtpm/$id/0/state" \
        2>/dev/null)" = 1 ]
}
xl create "$G/hang-backend.cfg" >"$tmp/be.out" 2>&1 &
xlpid=$!
ok "hang-backend.cfg: libxl waits on the vtpm backend (state 1)" \
    wait_for 30 be_state
sleep 2
ok "hang-backend.cfg: still waiting 2 s later" be_state
ok "hang-backend.cfg: create gives up after libxl's 10 s timeout" \
    wait_exit "$xlpid" 30
isnt_zero() { [ "$rc" != 0 ] && [ "$rc" != timeout ]; }
ok "hang-backend.cfg: xl create fails (status $rc)" isnt_zero
like "$(cat "$tmp/be.out")" "unable to add device" \
    "hang-backend.cfg: libxl reports the device it waited for"
ok "hang-backend.cfg: libxl destroyed the domain itself" \
    wait_for 10 eval '! dom_exists g-hang-be'
xl destroy g-hang-be >/dev/null 2>&1

# --- tmux works in dom0 (later tests drive axl's shell through it) ---
ok "tmux starts a detached session" \
    tmux -L lab-smoke new-session -d -x 80 -y 24 'sleep 30'
ok "tmux lists it" eval 'tmux -L lab-smoke list-sessions | grep -q "^0:"'
tmux -L lab-smoke kill-server 2>/dev/null

rm -rf "$tmp"
done_testing
