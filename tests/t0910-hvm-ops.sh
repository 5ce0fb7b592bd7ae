#!/bin/bash
# One HVM guest (QEMU its device model), booted once and taken through
# what an admin does to one, each step next to xl in the same boot:
# create -V (no viewer in the lab: where QEMU's VNC server listens, and
# that it listens), vncviewer with a viewer (VNCVIEWER) and -a, the
# emulated CD drive (cd-insert, cd-eject: QEMU and the guest see the
# medium come and go), trigger nmi, mem-set, save and
# restore both ways with xl (QEMU's state in the file), a save
# cancelled in the middle of its copy, localhost migration axl to axl,
# axl to xl and xl to axl, and a migration cancelled in the middle of
# its copy, vcpu-set, and shutdown -w (the guest's PV drivers take it).  The
# guest prints a counter on its serial port (read with
# axl console -t serial); after each save, restore and migration the
# count goes on, so the guest really resumed.  At the end nothing of it
# or of its device model is left.
#
# Run by `make lab-guests`, not by make check: its boot alone takes 45 to
# 80 s under TCG, and each save, restore and migration copies 128 MiB.
# dump-core of this guest is not here: it took axl 237 s and xl 307 s
# (libxl's core dump of an HVM guest under TCG), over the file's 600 s.
# lab: only when named
cd "$(dirname "$0")/.." || exit 1
. tests/lib/tap.sh
. tests/lib/xen.sh

N=h-ops
SSH=$PWD/tests/lib/local-ssh
tmp=$(mktemp -d)
mkdir -p /var/tmp
big=$(mktemp -d /var/tmp/axl.XXXXXX)
trap 'kill $reader 2>/dev/null; clean_domains; rm -rf "$tmp" "$big"' EXIT
sed -e "s/^name = .*/name = \"$N\"/" \
    -e 's/^extra = .*/extra = "console=ttyS0 quiet cryptomgr.notests axl.counter axl.cd"/' \
    -e 's/^vnc = .*/vnc = 1/' tests/guests/hvm.cfg >"$tmp/$N.cfg"
cat >>"$tmp/$N.cfg" <<'EOF'
maxvcpus = 2
vnclisten = "127.0.0.1"
EOF
# The CD drive starts with a medium: one created empty is a failed PV
# backend in QEMU (it cannot make the qdisk of ''), and the first insert
# then kills QEMU, with xl as with axl.
head -c 524288 /dev/zero >"$tmp/cd0.iso"
echo "disk = [ \"vdev=hdc, devtype=cdrom, access=ro, format=raw, target=$tmp/cd0.iso\" ]" \
    >>"$tmp/$N.cfg"
# A viewer that writes down how it was started and what it read.
cat >"$tmp/viewer" <<EOF
#!/bin/sh
echo "\$*" >"$tmp/viewer.args"
cat >"$tmp/viewer.in"
EOF
chmod 755 "$tmp/viewer"

# took TITLE T0: a diag of the milliseconds since T0 (now_us).
took() { diag "$1 took $(( ($(now_us) - $2) / 1000 )) ms"; }

# The guest's serial port, read from its start to its end by one
# console client per domain (a save or migration makes a new one).
reader=
listen() { serial_listen "$N" "$tmp/con"; }
counted() { max_count "$tmp/con"; }
# counts_on: the guest counts beyond what it had counted.
counts_on() {
    local before
    before=$(counted)
    wait_for 30 eval '[ "$(counted)" -gt "$before" ]' || { guest_said; false; }
}
# said N ERE: the guest's serial port has at least N lines matching ERE.
said() { [ "$(grep -Ec -- "$2" "$tmp/con")" -ge "$1" ]; }
# sees SECS N ERE: said N ERE within SECS; if not, what the guest said.
sees() { wait_for "$1" said "$2" "$3" || { guest_said; false; }; }
# guest_said: once, after the first check about the guest that failed,
# what it printed last, its state, and Xen's word on it (under TCG's
# nested SVM a guest now and then dies by no doing of its own: t0050).
told=
guest_said() {
    [ -n "$told" ] && return
    told=1
    diag "the guest's serial port, last: $(tr -d '\r' <"$tmp/con" |
        grep -v '^AXL-COUNT' | tail -n 12)"
    diag "its last count: $(counted); xl list: $(xl list | tail -n +2)"
    diag "xl dmesg: $(xl dmesg | grep -v ' save: \| load: \| restore: ' | tail -n 12)"
}
# qemu_said: what the guest's device model wrote in its log, last.
qemu_said() { diag "QEMU's log: $(tail -n 8 "/var/log/xen/qemu-dm-$N.log" 2>&1)"; }
qemu_of() { xenstore-read "/local/domain/$1/image/device-model-pid" 2>/dev/null; }
monitor() { axl qemu-monitor-command "$N" "$1" 2>&1; }

# ---- create -V: no viewer here, so where the display is ----
: >"$tmp/con"
t0=$(now_us)
axl create -e -V "$tmp/$N.cfg" >"$tmp/out" 2>"$tmp/err"
is "$?" 0 "axl create -V of an HVM guest with VNC exits 0"
took "axl create -V" "$t0"
listen
addr=$(cat "$tmp/out")
like "$addr" '^127\.0\.0\.1:59[0-9][0-9]$' "  stdout: where its VNC server listens"
like "$(cat "$tmp/err")" "no VNC viewer 'vncviewer' here \\(set VNCVIEWER to one\\): domain '$N' shows its display at $addr" \
    "  stderr: why no viewer came"
port=${addr##*:}
banner=
if exec 3<>"/dev/tcp/127.0.0.1/$port"; then
    read -r -t 10 banner <&3
    exec 3<&- 3>&-
fi
like "$banner" "^RFB [0-9]{3}\\.[0-9]{3}" "  QEMU's VNC server answers there"
ok "the guest comes up and counts on its serial port" \
    wait_for 240 grep -q AXL-COUNT "$tmp/con"
took "the boot to its first count" "$t0"
id=$(dom_id "$N")
q=$(qemu_of "$id")

# ---- vncviewer, with a viewer ----
rm -f "$tmp/viewer.args"
runs "axl vncviewer with a viewer (VNCVIEWER) exits 0" \
    env VNCVIEWER="$tmp/viewer" axl vncviewer "$N" </dev/null
is "$(cat "$tmp/viewer.args" 2>/dev/null)" "127.0.0.1:$((port - 5900))" \
    "  the viewer was given host:display"
axl_args=$(cat "$tmp/viewer.args" 2>/dev/null)
VNCVIEWER="$tmp/viewer" xl vncviewer "$N" </dev/null >/dev/null 2>&1
is "$(cat "$tmp/viewer.args" 2>/dev/null)" "$axl_args" "  as xl gives it"
# The lab's QEMU takes no VNC password (vncpasswd: "Cipher backend does
# not support DES algorithm", and no device model): it is put where
# libxl would have put it.
xenstore-write "/local/domain/$id/console/vnc-pass" axl-pw
runs "axl vncviewer -a exits 0" env VNCVIEWER="$tmp/viewer" axl vncviewer -a "$N"
is "$(cat "$tmp/viewer.args")" "127.0.0.1:$((port - 5900)) -autopass" \
    "  the viewer was told -autopass"
is "$(cat "$tmp/viewer.in")" "axl-pw" "  and read the password on its stdin"
axl_in=$(cat "$tmp/viewer.in")
rm -f "$tmp/viewer.in"
VNCVIEWER="$tmp/viewer" xl vncviewer -a "$N" </dev/null >/dev/null 2>&1
is "$(cat "$tmp/viewer.args" 2>/dev/null)/$(cat "$tmp/viewer.in" 2>/dev/null)" \
    "127.0.0.1:$((port - 5900)) -autopass/$axl_in" "  as xl gives both"

# ---- the CD drive: QEMU and the guest see the medium come and go ----
head -c 1048576 /dev/zero >"$tmp/cd1.iso"
head -c 2097152 /dev/zero >"$tmp/cd2.iso"
ok "the guest has a CD drive with the config's medium (512 KiB)" \
    sees 30 1 "^AXL-CD 524288"
is "$(axl block-list "$N")" "$(xl block-list "$N")" "  block-list as xl's"
runs "axl cd-eject exits 0" axl cd-eject "$N" hdc
like "$(monitor "info block")" "not inserted" "  QEMU has no medium"
ok "  the guest sees it go" sees 30 1 "^AXL-CD none"
runs "axl cd-insert exits 0" axl cd-insert "$N" hdc "$tmp/cd1.iso"
unlike "$(monitor "info block")" "not inserted" "  QEMU has a medium"
ok "  the guest sees it (1 MiB)" sees 30 1 "^AXL-CD 1048576"
is "$(axl block-list "$N")" "$(xl block-list "$N")" "  block-list as xl's"
runs "xl cd-eject, for comparison" xl cd-eject "$N" hdc
ok "  the guest sees xl's eject" sees 30 2 "^AXL-CD none"
runs "xl cd-insert" xl cd-insert "$N" hdc "$tmp/cd2.iso"
ok "  the guest sees xl's medium (2 MiB)" sees 30 1 "^AXL-CD 2097152"
runs "axl cd-eject of xl's medium" axl cd-eject "$N" hdc
ok "  the guest sees it go" sees 30 3 "^AXL-CD none"

# ---- trigger nmi, mem-set ----
runs "axl trigger nmi exits 0" axl trigger "$N" nmi
ok "  the guest's kernel got the NMI" sees 20 1 "NMI received"
runs "xl trigger nmi, for comparison" xl trigger "$N" nmi
ok "  the guest's kernel got xl's too" sees 20 2 "NMI received"
runs "axl mem-set 100m exits 0" axl mem-set "$N" 100m
at=$(xenstore-read "/local/domain/$id/memory/target")
xl mem-set "$N" 100m
is "$at" "$(xenstore-read "/local/domain/$id/memory/target")" \
    "  the same target as xl's mem-set 100m ($at KiB)"
ok "  the guest's balloon gives memory back" \
    wait_for 60 eval '[ "$(xl list "$N" | awk "NR == 2 { print \$3 }")" -le 104 ]'
runs "axl mem-set 128m" axl mem-set "$N" 128m

# ---- save and restore, both ways with xl ----
t0=$(now_us)
runs "axl save exits 0" axl save "$N" "$big/a.sav"
took "axl save" "$t0"
ok "  the guest is gone" eval '! dom_exists "$N"'
ok "  QEMU's state is in the file, at its end" eval 'tail -c 8388608 "$big/a.sav" | grep -q QEVM'
ok "  nothing of its device model is left" \
    wait_for 10 eval '! xenstore-exists "/local/domain/0/device-model/$id" && ! [ -d "/proc/$q" ]'
t0=$(now_us)
runs "xl restore of axl's file exits 0" xl restore -e "$big/a.sav" || qemu_said
took "xl restore" "$t0"
listen
ok "  the guest counts on" counts_on
rm -f "$big/a.sav"
runs "xl save, for axl to restore" xl save "$N" "$big/x.sav"
rm -f "$tmp/viewer.args"
t0=$(now_us)
runs "axl restore -A of xl's file exits 0" \
    env VNCVIEWER="$tmp/viewer" axl restore -e -A "$big/x.sav" || qemu_said
took "axl restore" "$t0"
listen
ok "  the guest counts on" counts_on
ok "  -A started the viewer on the restored guest's display" \
    wait_for 10 grep -Eqxs "127\.0\.0\.1:[0-9]+" "$tmp/viewer.args"
rm -f "$big/x.sav"
id=$(dom_id "$N")

# ---- a save cancelled in the middle of its copy: the guest runs on ----
axl save "$N" "$big/c.sav" >"$tmp/o" 2>&1 &
pid=$!
if hold_save "$big/c.sav.axl-tmp" 4194304; then
    kill -INT $pid
    kill -CONT $helper
    wait_exit $pid 60
    is "$rc" 130 "SIGINT in the middle of an HVM save: exit 130"
    like "$(cat "$tmp/o")" "runs on" "  axl says the guest runs on"
    ok "  no file" test ! -e "$big/c.sav"
    ok "  no temporary file" test ! -e "$big/c.sav.axl-tmp"
    ok "  the guest counts on" counts_on
else
    fail "an HVM save reaches its copy" "$(cat "$tmp/o")"
    kill -CONT $helper 2>/dev/null
    wait_exit $pid 60
fi
rm -f "$big"/c.sav*

# ---- localhost migration: axl to axl, axl to xl, xl to axl ----
for how in axl-axl axl-xl xl-axl; do
    t0=$(now_us)
    case $how in
    axl-axl) out=$(axl migrate -s "$SSH" -e "$N" localhost 2>&1) ;;
    axl-xl) out=$(axl migrate -s "$SSH" --receiver=xl -e "$N" localhost 2>&1) ;;
    xl-axl) out=$(xl migrate -s '' "$N" "axl migrate-receive -e" 2>&1) ;;
    esac
    st=$?
    is "$st" 0 "migration $how exits 0" || diag "$out"
    took "migration $how" "$t0"
    ok "  one copy, '$N', runs" one_copy_runs "$N"
    listen
    ok "  the guest counts on" counts_on
done

# ---- a migration cancelled in the middle of its copy ----
axl migrate -s "$SSH" -e "$N" localhost >"$tmp/o" 2>&1 &
pid=$!
if wait_for 60 eval '[ "$(sent_bytes)" -ge $((8 << 20)) ]'; then
    kill -INT $pid
    wait_exit $pid 60
    is "$rc" 130 "SIGINT in the middle of an HVM migration: exit 130"
    ok "  one copy, '$N', runs" wait_for 10 one_copy_runs "$N"
    ok "  no receiver or helper left" wait_for 10 eval \
        '[ -z "$(procs_matching "migrate-receive|libxl-save-helper")" ]'
    listen
    ok "  the guest counts on" counts_on
else
    fail "an HVM migration reaches 8 MiB" "$(cat "$tmp/o")"
    wait_exit $pid 60
fi

# ---- vcpu-set: a vCPU added through QEMU (last: in one run of this
# file the guest rebooted by itself at its next save after it) ----
id=$(dom_id "$N")
runs "axl vcpu-set 2 exits 0" axl vcpu-set "$N" 2
is "$(monitor "info cpus" | grep -c "CPU #")" 2 "  QEMU has two vCPUs"
is "$(xenstore-read "/local/domain/$id/cpu/1/availability" 2>/dev/null)" \
    online "  the second is online in xenstore"
ok "  the guest counts on" counts_on

# ---- shutdown -w: the guest's PV drivers take the request ----
q=$(qemu_of "$id")
t0=$(now_us)
runs "axl shutdown -w of the HVM guest exits 0" axl shutdown -w "$N"
took "axl shutdown -w" "$t0"
ok "  the guest took it (its init powers off)" said 1 AXL-GUEST-POWEROFF
like "$(dom_state "$N")" "^...s" "  the domain has shut down"

# ---- destroy: nothing left ----
runs "axl destroy of the HVM guest" axl destroy "$N"
ok "  nothing of it or of its device model is left" wait_for 10 eval \
    '! dom_exists "$N" && ! xenstore-exists "/local/domain/0/device-model/$id" && ! [ -d "/proc/$q" ]'
kill $reader 2>/dev/null
done_testing
