#!/bin/bash
# bench-shell-parallel: eight creates at once from one axl shell (batch
# mode: eight `create ... &` lines, then `wait`) against eight `xl create`
# one after another, in the same boot, with the same eight guests (one
# config, eight name= overrides).  Two guests: PV with no device (the
# domain build dominates, and libxl does it inside the initiating call, so
# it cannot overlap) and PV with a vif (its hotplug script runs
# asynchronously, so eight of them can overlap).
#
# Two measures, each the median of RUNS:
#   running  wall time from the start to all eight domains running
#            (created and unpaused): the issue's measure;
#   paused   the same with -p, to all eight created and paused: the
#            toolstack alone, with no guest kernel booting meanwhile.
# The guests are pinned to pCPU 1 (cpus="1") so that guests booting do
# not take dom0's CPU away from the toolstack being measured.  Creates
# get faster for a while after boot (Xen still scrubbing free memory,
# caches warming), so one discarded round of each tool goes first, and
# the order of the two tools alternates from run to run.
#
# Run it with: scripts/lab run -- tests/bench/bench-shell-parallel.sh
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/xen.sh

G=tests/guests
N=${N:-8}
RUNS=${RUNS:-3}
MEM=${MEM:-96}            # MiB per guest: eight must fit
CFGS=${CFGS:-"pv.cfg pv-vif.cfg"}
MODES=${MODES:-"paused running"}
PIN=${PIN-'cpus="1"'}
tmp=$(mktemp -d)
trap 'clean_domains; rm -rf "$tmp"' EXIT

names() { local i; for i in $(seq "$N"); do echo "g-bench$i"; done; }

# all_in STATE-CHAR: every guest exists; its p column is STATE-CHAR.
all_in() {
    local n
    for n in $(names); do
        [ "$(dom_state "$n" | cut -c3)" = "$1" ] || return 1
    done
}


run_xl() {
    local n
    for n in $(names); do
        xl create -q $popt "$G/$cfg" "name=\"$n\"" "memory=$MEM" $PIN \
            >/dev/null 2>>"$tmp/xl.err" || return 1
    done
}

run_axl() {
    local n
    for n in $(names); do
        printf "create -q %s %s 'name=\"%s\"' memory=%s '%s' &\n" \
            "$popt" "$G/$cfg" "$n" "$MEM" "$PIN"
    done >"$tmp/cmds"
    echo wait >>"$tmp/cmds"
    axl -f "$tmp/cmds" >/dev/null 2>>"$tmp/axl.err"
}

settle() {
    clean_domains
    wait_for 30 eval '[ "$(ndomains)" -eq 1 ]'
    sleep 1
}

rows=
for mode in $MODES; do
    if [ "$mode" = paused ]; then popt=-p; want=p; else popt=; want=-; fi
    for cfg in $CFGS; do
        : >"$tmp/xl.ms"; : >"$tmp/axl.ms"
        settle
        for tool in xl axl; do          # warm-up, not counted
            "run_$tool" && wait_for 120 all_in "$want"
            settle
        done
        for r in $(seq "$RUNS"); do
            order="xl axl"
            [ $((r % 2)) -eq 0 ] && order="axl xl"
            for tool in $order; do
                t0=$(now_us)
                if ! "run_$tool" || ! wait_for 120 all_in "$want"; then
                    echo "# $mode $cfg: $tool run $r failed:" \
                        "$(tail -3 "$tmp/$tool.err")"
                    settle
                    continue
                fi
                t1=$(now_us)
                echo $(( (t1 - t0) / 1000 )) >>"$tmp/$tool.ms"
                echo "# $mode $cfg run $r: $tool $(( (t1 - t0) / 1000 )) ms"
                settle
            done
        done
        xl=$(median <"$tmp/xl.ms")
        axl=$(median <"$tmp/axl.ms")
        rows+="| $mode | $cfg | ${xl:-?} | ${axl:-?} | $(awk "BEGIN { a = ${axl:-0}; printf \"%.2f\", (a > 0 ? ${xl:-0} / a : 0) }") |"$'\n'
    done
done
echo
echo "## $N PV guests: $N x xl create one after another vs one axl shell" \
    "with $N x 'create ... &' + wait (median of $RUNS, ms)"
echo
echo "| until all $N are | guest | xl sequential | axl parallel | xl/axl |"
echo "|---|---|---|---|---|"
printf '%s' "$rows"
