#!/bin/bash
# bench-cancel-one: cancel one create among N at once (default 32) from
# another process (`axl abort PID.K`, as a colleague's terminal would),
# ROUNDS times (default 3), two ways in one boot:
#   workers  axl's default: each build in a worker process (--workers)
#   inproc   --workers=0: every build in axl's own process, in turn
# Each guest: the lab's PV kernel, paused, MEM MiB, one disk whose
# hotplug script takes 2 s (tests/fixtures/block-slow), so that creates
# overlap.  The job cancelled, K, is drawn from SEED, and cancelled once
# `axl jobs` shows it in its hotplug script.  For each round: the
# cancel's "cancel to ao done" (axl --timings, from the moment the
# owner took the cancel), the abort's wall time (from before `axl
# abort` to its return: what the user waits), and how many of the N-1
# others were made.  xl has no cancel to compare with: its Ctrl-C kills
# the process.
#
# Run:  LAB_MEM=6144 LAB_DOM0_MEM=1024 scripts/lab run -- \
#           tests/bench/bench-cancel-one.sh
# N=, ROUNDS=, MEM=, SEED=, WAYS="workers inproc" choose.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/xen.sh

G=tests/guests
N=${N:-32}
ROUNDS=${ROUNDS:-3}
MEM=${MEM:-96}
SEED=${SEED:-$$}
WAYS=${WAYS:-"workers inproc"}
RANDOM=$SEED
bench_setup cancelone
SLOW="format=raw, vdev=xvda, access=ro, script=/axl/tests/fixtures/block-slow, target=$tmp/d.img"
echo "# $N creates of $MEM MiB at once, one cancelled; SEED=$SEED"


rows=
for way in $WAYS; do
    opts=
    [ $way = inproc ] && opts=--workers=0
    for r in $(seq "$ROUNDS"); do
        bench_settle
        k=$(( RANDOM % N + 1 ))
        for i in $(seq "$N"); do
            printf "create -q -p %s 'name=\"c-%s\"' memory=%s 'disk=[\"%s\"]' &\n" \
                "$G/pv.cfg" "$i" "$MEM" "$SLOW"
        done >"$tmp/cmds"
        echo wait >>"$tmp/cmds"
        # shellcheck disable=SC2086
        axl $opts --timings --keep-going -f "$tmp/cmds" >/dev/null \
            2>"$tmp/err" &
        pid=$!
        # Job K in its hotplug script, as `axl jobs` says (its words are
        # the line under its own).
        if ! wait_for 300 eval 'axl jobs 2>/dev/null |
                awk -v j="$pid.$k" '\''$1 == j { getline; print; exit }'\'' |
                grep -q "hotplug script"'; then
            echo "# $way round $r: job $k never reached its hotplug script"
        fi
        t0=$(now_us)
        axl abort --timeout=120s "$pid.$k" >"$tmp/abort" 2>&1
        t1=$(now_us)
        wait_exit "$pid" 600
        ao=$(sed -n "s/.*timing: create of 'c-$k'.*cancel to ao done \([0-9.]*\) ms.*/\1/p" \
            "$tmp/err" | head -1)
        made=$(( $(ndomains) - 1 ))
        # A cancel that came after its create had ended cancels nothing.
        took=yes
        dom_exists "c-$k" && took="no: it was made"
        [ -z "$ao" ] && [ "$took" = yes ] && took="no timing said"
        others=$(xl list | awk -v k="c-$k" 'NR > 2 && $1 != k' | wc -l)
        echo "# $way round $r: job $k: cancel to ao done ${ao:-?} ms," \
            "abort returned in $(( (t1 - t0) / 1000 )) ms; $others of" \
            "$((N - 1)) others made ($made domains); cancelled: $took"
        grep -E "cannot|error" "$tmp/err" | head -3 | sed 's/^/#   /'
        rows+="| $way | $r | $k | $took | ${ao:--} | $(( (t1 - t0) / 1000 )) | $others/$((N - 1)) |"$'\n'
    done
done
bench_settle

echo
echo "## cancel one of $N creates ($(grep -c ^processor /proc/cpuinfo) dom0 vCPUs)"
echo
echo "| way | round | job | cancelled | cancel to ao done ms | abort wall ms | others made |"
echo "|---|---|---|---|---|---|---|"
printf '%s' "$rows"
