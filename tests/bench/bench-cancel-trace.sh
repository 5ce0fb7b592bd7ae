#!/bin/bash
# bench-cancel-trace: where a cancel's time goes, from axl's own log
# (`axl -vvv --timings` stamps every line with the time of day to the
# microsecond).  A SIGINT, RUNS times each, to the phases in PHASES:
#   bootloader  a create waiting on its bootloader
#   restore     a restore while libxl's save helper reads the file
#   hotplug     a create waiting on its disk's hotplug script
#   backend     a create waiting for a vtpm backend that never answers
#   migrate     a localhost migration of a PVH guest sending its memory
#   dm          an HVM create waiting for a device model that never starts
#   pygrub      a create waiting on the real pygrub at its menu
# For each: signal read (axl says "cancelling") to libxl's child reaped,
# to libxl's destroy of the domain begun, to the ao complete, and axl's
# own "cancel to ao done".  Prints a markdown table.  DUMP=1 also prints,
# after each row, every log line from "cancelling" to the ao's end with
# its ms since "cancelling": where the rest of the time goes.
#
# Run:  scripts/lab run -- tests/bench/bench-cancel-trace.sh
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/xen.sh

RUNS=${RUNS:-5}
PHASES=${PHASES:-"bootloader restore"}
DUMP=${DUMP:-}
want() { case " $PHASES " in *" $1 "*) return 0 ;; esac; return 1; }
tmp=$(mktemp -d)
sav=/run/axl-trace
trap 'clean_domains; umount "$sav" 2>/dev/null; rm -rf "$tmp"' EXIT

# breakdown LOG: "reaped | destroy begun | ao complete | axl's" in ms
# from axl's "cancelling" line.
breakdown() {
    awk '
    function t(s,  a) { split(s, a, ":"); return (a[1] * 3600 + a[2] * 60 + a[3]) * 1000 }
    /axl: cancelling / && !a { a = t($1) }
    /died due to fatal signal|reaped|exited with/ && a && !r { r = t($1) }
    /Forked pid [0-9]+ for destroy of domain/ && a && !d { d = t($1) }
    /ao 0x[0-9a-f]+: complete, rc=/ && a && !c { c = t($1) }
    /cancel to ao done/ { sub(/.*cancel to ao done /, ""); sub(/ ms.*/, ""); m = $0 }
    function f(x) { return x ? sprintf("%.1f", x - a) : "-" }
    END { printf "%s | %s | %s | %s\n", f(r), f(d), f(c), m }' "$1"
}

# dump LOG: with DUMP set, the lines from "cancelling" to the ao's end,
# each after its ms since "cancelling".
dump() {
    [ -n "$DUMP" ] || return 0
    awk '
    function t(s,  a) { split(s, a, ":"); return (a[1] * 3600 + a[2] * 60 + a[3]) * 1000 }
    /axl: cancelling / && !a { a = t($1) }
    a && !e { printf "    %8.1f  %s\n", t($1) - a, substr($0, length($1) + 2, 150) }
    /cancel to ao done/ && a { e = 1 }' "$1"
}

echo "| phase | run | signal to child reaped | to libxl's destroy begun | to ao complete | axl's cancel to ao done |"
echo "|---|---|---|---|---|---|"
F=/run/axl-fixture
want bootloader && for k in $(seq "$RUNS"); do
    rm -f "$F/bootloader-hang.pid"
    axl -vvv --timings create tests/guests/hang-bootloader.cfg >"$tmp/o" 2>&1 &
    pid=$!
    wait_for 30 test -s "$F/bootloader-hang.pid"
    sleep 0.5
    kill -INT $pid
    wait_exit $pid 30
    echo "| bootloader | $k | $(breakdown "$tmp/o") |"
    dump "$tmp/o"
    clean_domains
done

# The restore: a save file of the lab's PV guest, in a tmpfs.
want restore && {
sed 's/^name = .*/name = "trace-r"/' tests/guests/pv.cfg >"$tmp/r.cfg"
axl create -q "$tmp/r.cfg" &&
    wait_for 60 grep -qs AXL-GUEST-UP /var/log/xen/guest-trace-r.log ||
    { echo "cannot start the guest to save" >&2; exit 1; }
mkdir -p "$sav" && mount -t tmpfs -o size=300m tmpfs "$sav" &&
    axl save trace-r "$sav/r.sav" >/dev/null 2>&1 ||
    { echo "cannot save the guest" >&2; exit 1; }
for k in $(seq "$RUNS"); do
    axl -vvv --timings restore -p "$sav/r.sav" >"$tmp/o" 2>&1 &
    pid=$!
    wait_for 30 eval '[ -n "$(procs_matching "libxl-save-helper --restore")" ]'
    sleep 0.3
    kill -INT $pid
    wait_exit $pid 30
    echo "| restore helper | $k | $(breakdown "$tmp/o") |"
    clean_domains
done
}

# trace_create PHASE LABEL CFG SETTLE READY...: RUNS times, a create of
# CFG, SIGINT once READY (a command) holds and SETTLE seconds more; a row
# each, LABEL its phase's name.
trace_create() {
    local phase=$1 label=$2 cfg=$3 settle=$4 k
    shift 4
    want "$phase" || return 0
    for k in $(seq "$RUNS"); do
        rm -rf "$F"
        axl -vvv --timings create "$cfg" >"$tmp/o" 2>&1 &
        pid=$!
        wait_for 30 "$@"
        sleep "$settle"
        kill -INT $pid
        wait_exit $pid 30
        echo "| $label | $k | $(breakdown "$tmp/o") |"
        dump "$tmp/o"
        kill -9 $(fixture_procs) 2>/dev/null
        clean_domains
    done
}

# In its disk's hotplug script, which never finishes; in libxl's wait for
# an HVM guest's device model that never starts; with the real pygrub
# waiting at its menu; in libxl's wait for a vtpm backend that never
# answers (no child of libxl's runs: a xenstore watch and a timeout).
trace_create hotplug "hotplug script (create)" tests/guests/hang-hotplug.cfg 0.5 \
    test -s "$F/block-hang.pid"
trace_create dm "device model's start" tests/guests/hang-dm.cfg 0.5 \
    test -s "$F/dm-hang.pid"
trace_create pygrub "pygrub at its menu" tests/guests/hang-pygrub.cfg 3 \
    eval '[ -n "$(procs_matching "bin/pygrub .*/lab/pygrub.img")" ]'
trace_create backend "vtpm backend" tests/guests/hang-backend.cfg 0.5 \
    eval '[ "$(xenstore-read "/local/domain/0/backend/vtpm/$(xl domid g-hang-be 2>/dev/null)/0/state" 2>/dev/null)" = 1 ]'

# A localhost migration of a PVH guest, once 24 MiB of its 128 are sent;
# the guest is started afresh for each run.
want migrate && for k in $(seq "$RUNS"); do
    sed 's/^name = .*/name = "trace-m"/' tests/guests/pvh.cfg >"$tmp/m.cfg"
    xl create -q -e "$tmp/m.cfg" &&
        wait_for 90 grep -qs AXL-GUEST-UP /var/log/xen/guest-trace-m.log ||
        { echo "cannot start the PVH guest to migrate" >&2; exit 1; }
    axl -vvv --timings migrate -s "$PWD/tests/lib/local-ssh" -e trace-m localhost \
        >"$tmp/o" 2>&1 &
    pid=$!
    wait_for 60 eval '[ "$(sent_bytes)" -ge $((24 << 20)) ] || ! kill -0 $pid 2>/dev/null'
    kill -INT $pid
    wait_exit $pid 30
    echo "| sending memory (migrate) | $k | $(breakdown "$tmp/o") |"
    dump "$tmp/o"
    wait_for 10 eval '[ -z "$(procs_matching "libxl-save-helper|migrate-receive|local-ssh")" ]'
    clean_domains
    rm -f /var/log/xen/guest-trace-m.log
done
