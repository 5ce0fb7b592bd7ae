#!/bin/bash
# bench-cancel-trace: where a cancel's time goes, from axl's own log
# (`axl -vvv --timings` stamps every line with the time of day to the
# microsecond).  A SIGINT to a create waiting on its bootloader, and to a
# restore while libxl's save helper reads the file; each RUNS times.  For
# each: signal read (axl says "cancelling") to libxl's child reaped, to
# libxl's destroy of the domain begun, to the ao complete, and axl's own
# "cancel to ao done".  Prints a markdown table.
#
# Run:  scripts/lab run -- tests/bench/bench-cancel-trace.sh
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/xen.sh

RUNS=${RUNS:-5}
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

echo "| phase | run | signal to child reaped | to libxl's destroy begun | to ao complete | axl's cancel to ao done |"
echo "|---|---|---|---|---|---|"
F=/run/axl-fixture
for k in $(seq "$RUNS"); do
    rm -f "$F/bootloader-hang.pid"
    axl -vvv --timings create tests/guests/hang-bootloader.cfg >"$tmp/o" 2>&1 &
    pid=$!
    wait_for 30 test -s "$F/bootloader-hang.pid"
    sleep 0.5
    kill -INT $pid
    wait_exit $pid 30
    echo "| bootloader | $k | $(breakdown "$tmp/o") |"
    clean_domains
done

# The restore: a save file of the lab's PV guest, in a tmpfs.
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
