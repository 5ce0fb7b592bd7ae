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

# ms_since T0: milliseconds from T0 (now_us) to now.
ms_since() { echo $(( ($(now_us) - $1) / 1000 )); }

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
            t0=$(now_us)
            $tool create -q -e "$tmp/$N.cfg" >/dev/null 2>&1 ||
                echo "# $tool create of $type failed" >&2
            ms_since "$t0" >>"$tmp/c.$tool"
            t0=$(now_us)
            $tool destroy "$N" >/dev/null 2>&1 ||
                echo "# $tool destroy of $type failed" >&2
            ms_since "$t0" >>"$tmp/d.$tool"
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
        t0=$(now_us)
        $tool save "$N" "$tmp/s.sav" >/dev/null 2>&1 || echo "# $tool save failed" >&2
        ms_since "$t0" >>"$tmp/save.$tool"
        t0=$(now_us)
        $tool restore -e "$tmp/s.sav" >/dev/null 2>&1 || echo "# $tool restore failed" >&2
        ms_since "$t0" >>"$tmp/restore.$tool"
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
for r in $(seq "$RUNS"); do
    for tool in xl axl; do
        since=$(max_count "$tmp/con")
        t0=$(now_us)
        if [ "$tool" = xl ]; then
            xl migrate -s '' "$N" "xl migrate-receive -e" >/dev/null 2>&1
        else
            axl migrate -s '' -e "$N" "axl migrate-receive -e" >/dev/null 2>&1
        fi
        st=$?
        ms_since "$t0" >>"$tmp/wall.$tool"
        [ $st = 0 ] || echo "# $tool migrate exited $st" >&2
        listen
        wait_for 30 eval '[ "$(max_count "$tmp/con")" -gt $((since + 10)) ]'
        downtime "$since" "$tmp/con" >>"$tmp/down.$tool"
        echo >>"$tmp/down.$tool"
    done
done
for tool in xl axl; do
    echo "| $tool | $(median <"$tmp/wall.$tool") | $(grep . "$tmp/down.$tool" | median) |"
done
wx=$(median <"$tmp/wall.xl"); wa=$(median <"$tmp/wall.axl")
dx=$(grep . "$tmp/down.xl" | median); da=$(grep . "$tmp/down.axl" | median)
echo "| axl/xl | $(ratio "$wa" "$wx") | $(ratio "$da" "$dx") |"
echo
kill $reader 2>/dev/null
clean_domains
