#!/bin/bash
# bench-shell-parallel: eight creates at once from one axl shell (batch
# mode: eight `create ... &` lines, then `wait`) against eight `xl create`
# one after another, in the same boot, with the same eight guests.  The
# time is wall time from the start to all eight domains running.
# Run it with: scripts/lab run -- tests/bench/bench-shell-parallel.sh
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/xen.sh

G=tests/guests
N=${N:-8}
RUNS=${RUNS:-3}
MEM=${MEM:-96}            # MiB per guest: eight must fit
tmp=$(mktemp -d)
trap 'clean_domains; rm -rf "$tmp"' EXIT

names() { seq -f 'g-bench%g' 1 "$N"; }

# all_running: every guest exists and is not paused (libxl unpaused it).
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
        xl create -q "$G/pv.cfg" "name=\"$n\"" "memory=$MEM" >/dev/null 2>>"$tmp/xl.err" ||
            return 1
    done
}

run_axl() {
    local n
    for n in $(names); do
        printf "create -q %s 'name=\"%s\"' memory=%s &\n" "$G/pv.cfg" "$n" "$MEM"
    done >"$tmp/cmds"
    echo wait >>"$tmp/cmds"
    axl -f "$tmp/cmds" >/dev/null 2>>"$tmp/axl.err"
}

: >"$tmp/xl.ms"; : >"$tmp/axl.ms"
clean_domains
for r in $(seq "$RUNS"); do
    for tool in xl axl; do
        t0=$(date +%s%N)
        if ! "run_$tool" || ! wait_for 60 all_running; then
            echo "# $tool run $r failed: $(tail -3 "$tmp/$tool.err")"
            clean_domains
            continue
        fi
        t1=$(date +%s%N)
        echo $(( (t1 - t0) / 1000000 )) >>"$tmp/$tool.ms"
        echo "# run $r: $tool $(( (t1 - t0) / 1000000 )) ms"
        clean_domains
        wait_for 30 eval '[ "$(ndomains)" -eq 1 ]'
    done
done
xl=$(median <"$tmp/xl.ms")
axl=$(median <"$tmp/axl.ms")
echo
echo "## $N PV guests to running: xl one after another vs one axl shell"
echo
echo "| measure (median of $RUNS, ms) | xl x$N sequential | axl $N x '&' + wait | xl/axl |"
echo "|---|---|---|---|"
echo "| wall time to all $N running | $xl | $axl | $(awk "BEGIN { printf \"%.2f\", ${xl:-0} / (${axl:-0} > 0 ? ${axl:-1} : 1) }") |"
