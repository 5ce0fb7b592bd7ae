#!/bin/bash
# bench-shell-parallel: eight creates at once from one axl shell (batch
# mode: eight `create ... &` lines, then `wait`) against eight `xl create`
# one after another, in the same boot, with the same eight guests (one
# config, eight name= overrides).  The time is wall time from the start
# to all eight domains running (created and unpaused).  Two guests: PV
# with no device (the domain build dominates, and libxl does it inside
# the initiating call, so it cannot overlap) and PV with a vif (its
# hotplug script runs asynchronously, so eight of them overlap).
# Run it with: scripts/lab run -- tests/bench/bench-shell-parallel.sh
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/xen.sh

G=tests/guests
N=${N:-8}
RUNS=${RUNS:-3}
MEM=${MEM:-96}            # MiB per guest: eight must fit
CFGS=${CFGS:-"pv.cfg pv-vif.cfg"}
tmp=$(mktemp -d)
trap 'clean_domains; rm -rf "$tmp"' EXIT

names() { local i; for i in $(seq "$N"); do echo "g-bench$i"; done; }

# all_running: every guest exists and is not paused.
all_running() {
    local n
    for n in $(names); do
        [ "$(dom_state "$n" | cut -c3)" = - ] || return 1
    done
}

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

run_xl() {
    local n
    for n in $(names); do
        xl create -q "$G/$cfg" "name=\"$n\"" "memory=$MEM" \
            >/dev/null 2>>"$tmp/xl.err" || return 1
    done
}

run_axl() {
    local n
    for n in $(names); do
        printf "create -q %s 'name=\"%s\"' memory=%s &\n" "$G/$cfg" "$n" \
            "$MEM"
    done >"$tmp/cmds"
    echo wait >>"$tmp/cmds"
    axl -f "$tmp/cmds" >/dev/null 2>>"$tmp/axl.err"
}

rows=
for cfg in $CFGS; do
    : >"$tmp/xl.ms"; : >"$tmp/axl.ms"
    clean_domains
    for r in $(seq "$RUNS"); do
        for tool in xl axl; do
            t0=$(now_us)
            if ! "run_$tool" || ! wait_for 60 all_running; then
                echo "# $cfg: $tool run $r failed: $(tail -3 "$tmp/$tool.err")"
                clean_domains
                continue
            fi
            t1=$(now_us)
            echo $(( (t1 - t0) / 1000 )) >>"$tmp/$tool.ms"
            echo "# $cfg run $r: $tool $(( (t1 - t0) / 1000 )) ms"
            clean_domains
            wait_for 30 eval '[ "$(ndomains)" -eq 1 ]'
        done
    done
    xl=$(median <"$tmp/xl.ms")
    axl=$(median <"$tmp/axl.ms")
    rows+="| $cfg | ${xl:-?} | ${axl:-?} | $(awk "BEGIN { a = ${axl:-0}; printf \"%.2f\", a > 0 ? ${xl:-0} / a : 0 }") |"$'\n'
done
echo
echo "## $N PV guests to running: $N x xl create, one after another, vs one axl shell with $N x 'create ... &' + wait"
echo
echo "| guest (median of $RUNS, ms) | xl sequential | axl parallel | xl/axl |"
echo "|---|---|---|---|"
printf '%s' "$rows"
