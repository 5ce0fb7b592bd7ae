#!/bin/bash
# bench-hvm: the guests admins run, axl against xl in the same lab boot,
# the tools alternating round by round.  Prints markdown:
#  1. create and destroy of an HVM guest (QEMU its device model) and of a
#     PVH guest, 128 MiB: wall time of each, medians of RUNS, axl/xl;
#  2. save and restore of a booted 128 MiB HVM guest (QEMU's state in the
#     file): wall time, medians of RUNS, axl/xl;
#  3. localhost live migration of that guest: wall time and the guest's
#     downtime (the longest gap in the uptime its 0.1 s counter prints on
#     its serial port, less the interval), medians of RUNS, axl/xl.
# Signal to ao done in the device model's start: bench-cancel-trace.sh
# with PHASES=dm.
#   scripts/lab run -- tests/bench/bench-hvm.sh
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/xen.sh

RUNS=${RUNS:-3}
mkdir -p /var/tmp
tmp=$(mktemp -d /var/tmp/bench.XXXXXX)
reader=
trap 'kill $reader 2>/dev/null; clean_domains; rm -rf "$tmp"' EXIT

# cfg NAME TYPE EXTRA: a 128 MiB guest config in $tmp/NAME.cfg.
cfg() {
    local con=hvc0
    [ "$2" = hvm ] && con=ttyS0
    sed -e "s/^name = .*/name = \"$1\"/" -e "s/^memory = .*/memory = 128/" \
        -e "s/^extra = .*/extra = \"console=$con quiet cryptomgr.notests $3\"/" \
        "tests/guests/$2.cfg" >"$tmp/$1.cfg"
}

echo "## Create and destroy (128 MiB, medians of $RUNS)"
echo
echo "| guest | create xl ms | create axl ms | axl/xl | destroy xl ms | destroy axl ms | axl/xl |"
echo "|---|---|---|---|---|---|---|"
for type in hvm pvh; do
    N=b-$type
    cfg "$N" "$type" ""
    for tool in xl axl; do
        : >"$tmp/c.$tool"
        : >"$tmp/d.$tool"
    done
    for r in $(seq "$RUNS"); do
        for tool in xl axl; do
            timed "$tmp/c.$tool" $tool create -q -e "$tmp/$N.cfg"
            timed "$tmp/d.$tool" $tool destroy "$N"
        done
    done
    cx=$(median <"$tmp/c.xl"); ca=$(median <"$tmp/c.axl")
    dx=$(median <"$tmp/d.xl"); da=$(median <"$tmp/d.axl")
    echo "| $type | $cx | $ca | $(ratio "$ca" "$cx") | $dx | $da | $(ratio "$da" "$dx") |"
done
echo

# One booted HVM guest, its serial port read by one console client per
# domain into $tmp/con.
N=b-hvm
cfg "$N" hvm "axl.counter=0.1"
listen() { serial_listen "$N" "$tmp/con"; }
: >"$tmp/con"
xl create -q -e "$tmp/$N.cfg" >/dev/null 2>&1
listen
wait_for 300 grep -q AXL-COUNT "$tmp/con" ||
    echo "# the HVM guest did not come up" >&2

echo "## Save and restore (HVM guest, 128 MiB, booted; medians of $RUNS)"
echo
echo "| save xl ms | save axl ms | axl/xl | restore xl ms | restore axl ms | axl/xl |"
echo "|---|---|---|---|---|---|"
for tool in xl axl; do
    : >"$tmp/save.$tool"
    : >"$tmp/restore.$tool"
done
for r in $(seq "$RUNS"); do
    for tool in xl axl; do
        timed "$tmp/save.$tool" $tool save "$N" "$tmp/s.sav"
        timed "$tmp/restore.$tool" $tool restore -e "$tmp/s.sav"
        rm -f "$tmp/s.sav"
    done
done
listen
sx=$(median <"$tmp/save.xl"); sa=$(median <"$tmp/save.axl")
rx=$(median <"$tmp/restore.xl"); ra=$(median <"$tmp/restore.axl")
echo "| $sx | $sa | $(ratio "$sa" "$sx") | $rx | $ra | $(ratio "$ra" "$rx") |"
echo

echo "## Live migration to localhost (HVM guest, 128 MiB; medians of $RUNS)"
echo
echo "| tool | wall ms | downtime ms (the guest's uptime across the gap) |"
echo "|---|---|---|"
# con: where the guest's counts are; after SINCE: a reader for the
# guest's new domain, and counts past SINCE.
con() { echo "$tmp/con"; }
after() {
    listen
    wait_for 30 eval '[ "$(max_count "$tmp/con")" -gt $(($1 + 10)) ]'
}
bench_migrations "$N" con after
echo
kill $reader 2>/dev/null
clean_domains
