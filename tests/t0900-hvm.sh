#!/bin/bash
# The guests admins run, next to xl in the same boot: an HVM guest with
# QEMU as its device model (the lab's kernel booted by QEMU through
# hvmloader and SeaBIOS, its console the emulated serial port), and a PV
# guest booted by the real pygrub from a disk with a GRUB menu.  Then the
# cancels of their new phases: the device model's start (a device model
# that never says it runs, so libxl would wait its 60 s) and pygrub
# waiting at its menu, under SIGINT, SIGTERM and --timeout with both
# policies (tests/lib/cancel.sh), and what xl leaves in the same cases.
#
# `make check` runs the HVM guest (its boot, under nested virtualisation in
# TCG, takes 40 s alone: nothing else runs beside it), its device model's
# cancel with the live status, and xl's HVM create and destroy beside
# axl's; AXL_GUESTS=full (`make lab-guests`) adds pygrub (axl's and xl's
# guests), the cancels under every signal and policy, and xl's leftovers.
cd "$(dirname "$0")/.." || exit 1
. tests/lib/tap.sh
. tests/lib/xen.sh
. tests/lib/cancel.sh

trap 'tmux -L axl0900 kill-server 2>/dev/null; kill -9 $(fixture_procs) 2>/dev/null; clean_domains; rm -rf "$tmp" "$M"' EXIT

# with_int: a command line's prefix that runs the command with SIGINT's
# default action and not blocked, as a terminal's program has it (the
# runner's background children inherit it ignored).  An array, not a
# function: "${with_int[@]}" CMD & is then CMD's own pid once it execs.
with_int=(python3 -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGINT])
os.execvp(sys.argv[1], sys.argv[1:])')

# qemu_of ID: the pid of domain ID's device model, as libxl recorded it.
qemu_of() {
    xenstore-read "/local/domain/$1/image/device-model-pid" 2>/dev/null
}

# dm_left ID PID: what a device model of domain ID (pid PID) left: its
# process, its xenstore node, its QMP sockets; nothing prints nothing.
dm_left() {
    local s
    [ -n "$2" ] && [ -d "/proc/$2" ] &&
        echo "process $2 ($(tr '\0' ' ' <"/proc/$2/cmdline" | cut -c1-60))"
    xenstore-exists "/local/domain/0/device-model/$1" 2>/dev/null &&
        echo "/local/domain/0/device-model/$1"
    for s in /var/run/xen/qmp-libxl-"$1" /var/run/xen/qmp-libxenstat-"$1"; do
        [ -e "$s" ] && echo "$s"
    done
}

# ---- an HVM guest with QEMU: axl, alone while it boots ----
t_hvm=$(now_us)
runs "axl create of an HVM guest exits 0" axl create tests/guests/hvm.cfg
diag "axl create of the HVM guest took $(( ($(now_us) - t_hvm) / 1000 )) ms"
hid=$(dom_id g-hvm)
is "$(xenstore-read "/local/domain/0/device-model/$hid/state" 2>/dev/null)" \
    running "  its device model says it runs"
hq=$(qemu_of "$hid")
like "$(tr '\0' ' ' <"/proc/$hq/cmdline" 2>/dev/null)" \
    "xen-qemu-system-i386 -xen-domid $hid " "  it is QEMU, for its domain (pid $hq)"
like "$(dom_state g-hvm)" "^..---" "  the guest runs (neither paused nor shut down)"
timeout 240 axl console -t serial g-hvm </dev/null >"$tmp/hvm.con" 2>&1 &
con=$!
ok "the HVM guest prints on its serial console (axl console -t serial)" \
    wait_for 180 grep -qs AXL-GUEST-UP "$tmp/hvm.con"
diag "the HVM guest was up $(( ($(now_us) - t_hvm) / 1000 )) ms after its create"
kill $con 2>/dev/null
wait $con 2>/dev/null
runs "axl pause of the HVM guest" axl pause g-hvm
like "$(dom_state g-hvm)" "^..p" "  it is paused"
# Xen pauses the vCPUs; QEMU's own VM runs on ("VM status: running").
out=$(axl qemu-monitor-command g-hvm "info status" 2>&1)
like "$out" "^VM status: " "  QEMU's monitor answers (qemu-monitor-command info status)"
is "$out" "$(xl qemu-monitor-command g-hvm "info status" 2>&1)" \
    "  the same answer as xl's"
runs "axl unpause of the HVM guest" axl unpause g-hvm
unlike "$(dom_state g-hvm)" "^..p" "  it is not paused"

# ---- destroy: nothing of the device model is left ----
t0=$(now_us)
runs "axl destroy of the HVM guest" axl destroy g-hvm
diag "axl destroy of the HVM guest took $(( ($(now_us) - t0) / 1000 )) ms"
ok "  no domain left" eval "! dom_exists g-hvm"
ok "  nothing of its device model is left" \
    wait_for 10 eval '[ -z "$(dm_left "$hid" "$hq")" ]'

# ---- the same HVM guest with xl, in the same boot ----
t0=$(now_us)
runs "xl create of the same HVM guest exits 0" xl create tests/guests/hvm.cfg
diag "xl create of the HVM guest took $(( ($(now_us) - t0) / 1000 )) ms"
xid=$(dom_id g-hvm)
xq=$(qemu_of "$xid")
t0=$(now_us)
xl destroy g-hvm
is "$?" 0 "  xl destroy of it"
diag "xl destroy of the HVM guest took $(( ($(now_us) - t0) / 1000 )) ms"
ok "  nothing of its device model is left after xl either" \
    wait_for 10 eval '[ -z "$(dm_left "$xid" "$xq")" ]'

# ---- the device model's start, cancelled: the live status names it ----
rm -rf "$M"
mkdir -p "$M"
axl -v --timings create tests/guests/hang-dm.cfg >"$tmp/o" 2>&1 &
pid=$!
if wait_for 60 in_phase hang-dm; then
    dpid=$(cat "$M/dm-hang.pid")
    did=$(dom_id g-hang-dm)
    wait_for 5 grep -q "starting the device model" "$tmp/o"
    kill -INT $pid
    wait_exit $pid 30
    is "$rc" 130 "SIGINT while libxl waits for the device model: exit 130"
    like "$(tr '\r' '\n' <"$tmp/o")" \
        "create g-hang-dm: starting the device model dm-hang \\(pid $dpid\\)" \
        "  the status named the device model libxl waited for, with its pid"
    like "$(cat "$tmp/o")" "cancelled during starting the device model dm-hang \\(pid $dpid\\).*destroyed; nothing is left" \
        "  the cancel says what it interrupted, and that nothing is left"
    ok "  no domain, and nothing of the device model, is left" \
        wait_for 10 eval '! dom_exists g-hang-dm && [ -z "$(dm_left "$did" "$dpid")" ]'
    diag "$(grep 'timing:' "$tmp/o")"
else
    fail "SIGINT while libxl waits for the device model" "$(cat "$tmp/o")"
    kill -9 $pid
fi
clean_domains

if [ "${AXL_GUESTS:-}" != full ]; then
    done_testing
    exit
fi

# ---- PV booted by the real pygrub: axl's guest and xl's ----
for tool in axl xl; do
    n=g-pygrub-$tool
    rm -f "/var/log/xen/guest-$n.log"
    t0=$(now_us)
    runs "$tool create through pygrub exits 0" \
        $tool create tests/guests/pv-pygrub.cfg "name=\"$n\""
    diag "$tool create through pygrub took $(( ($(now_us) - t0) / 1000 )) ms"
    ok "  $tool: pygrub has ended" eval '[ -z "$(procs_matching "bin/pygrub ")" ]'
    ok "  $tool: pygrub's copies of the kernel are removed" \
        eval '[ -z "$(ls /var/lib/xen/ | grep bootloader)" ]'
done
for tool in axl xl; do
    n=g-pygrub-$tool
    ok "  $tool's pygrub guest boots the kernel pygrub took from its disk" \
        wait_for 90 grep -qs AXL-GUEST-UP "/var/log/xen/guest-$n.log"
    $tool destroy "$n"
    is "$?" 0 "  $tool destroy of the pygrub guest"
done

# ---- create -c through pygrub's menu, on a terminal: axl's and xl's ----
# hang-pygrub.cfg's pygrub shows its menu (no -q); the console shows it,
# the second entry is chosen with the arrow key, and the guest boots it.
T="tmux -L axl0900"
export TERM=${TERM:-xterm}
screen() { $T capture-pane -p -t c; }
for tool in axl xl; do
    n=g-menu-$tool
    $T new-session -d -x 120 -y 30 -s c "$tool create -c tests/guests/hang-pygrub.cfg 'name=\"$n\"'; echo EXIT=\$?; sleep 600"
    if wait_for 90 eval 'screen | grep -q "axl lab guest, second entry"'; then
        pass "$tool create -c: pygrub's menu on the terminal"
        $T send-keys -t c Down
        nap 0.5
        $T send-keys -t c Enter
        ok "  $tool: the guest boots the second entry, on the same terminal" \
            wait_for 120 eval 'screen | grep -q "AXL-ENTRY 1"'
        ok "  $tool: and comes up" wait_for 60 eval 'screen | grep -q AXL-GUEST-UP'
    else
        fail "$tool create -c: pygrub's menu on the terminal" "$(screen)"
    fi
    diag "$tool's terminal, last: $(screen | grep -v '^$' | tail -n 4 | tr '\n' '|')"
    $T kill-server 2>/dev/null
    runs "  $tool destroy of it" $tool destroy "$n"
done
ok "  no pygrub left" eval '[ -z "$(procs_matching "bin/pygrub ")" ]'

# ---- the cancels (tests/lib/cancel.sh) ----
scenario hang-dm INT destroy 130
scenario hang-dm INT keep 130
scenario hang-dm TERM destroy 143
scenario hang-dm timeout keep 124
scenario hang-pygrub INT destroy 130
scenario hang-pygrub INT keep 130
scenario hang-pygrub TERM destroy 143
scenario hang-pygrub timeout destroy 124

rm -rf "$M"
mkdir -p "$M"
axl -v create tests/guests/hang-pygrub.cfg >"$tmp/o" 2>&1 &
pid=$!
if wait_for 60 in_phase hang-pygrub; then
    wait_for 5 grep -q "bootloader pygrub" "$tmp/o"
    kill -INT $pid
    wait_exit $pid 30
    like "$(tr '\r' '\n' <"$tmp/o")" "create g-hang-pygrub: bootloader pygrub" \
        "the status names pygrub"
else
    fail "the status names pygrub" "$(cat "$tmp/o")"
    kill -9 $pid
fi
clean_domains

# What xl leaves when its create gets a terminal's SIGINT in the same
# phases (xl has no cancel: it dies), for the README's table.
for fx in hang-dm hang-pygrub; do
    rm -rf "$M"
    mkdir -p "$M"
    name=$(cfg_name "$G/$fx.cfg")
    "${with_int[@]}" xl create "$G/$fx.cfg" >"$tmp/xo" 2>&1 &
    pid=$!
    if wait_for 60 in_phase "$fx"; then
        kill -INT $pid
        wait_exit $pid 30
        left=$(dom_exists "$name" && echo "domain $name ($(dom_state "$name"))")
        diag "xl, SIGINT in $fx: exit $rc; left: ${left:-no domain}; processes: $(fixture_procs | tr '\n' ' ')"
        is "$rc" 130 "xl's create in $fx dies of the SIGINT (what it left is above)"
    else
        fail "xl's create reaches $fx" "$(cat "$tmp/xo")"
        kill -9 $pid
    fi
    kill -9 $(fixture_procs) 2>/dev/null
    clean_domains
done

clean_domains
done_testing
