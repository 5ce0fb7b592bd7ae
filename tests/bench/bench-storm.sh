#!/bin/bash
# bench-storm: a host's boot storm, N creates at once (default 100), in
# one lab boot, three ways:
#   axl-shell  one axl shell, N `create -p ... &` lines and `wait`;
#   axl-procs  N `axl create -p` processes started together (a shell
#              script of `axl create ... &` lines);
#   xl         N `xl create -p` processes started together.
# Each guest: the lab's PV kernel, paused, MEM MiB, one disk whose
# hotplug script is /usr/bin/true (libxl runs it as any script; 100
# bash scripts under TCG would measure bash).  For each: wall time to
# all N made, how many were made, and every failure's line (sorted,
# counted): a failure must say its own cause.
#
# Run:  LAB_MEM=12288 LAB_DOM0_MEM=1024 scripts/lab run -- \
#           tests/bench/bench-storm.sh
# and with both CPUs for dom0: add LAB_XEN_OPTS=dom0_max_vcpus=2.
# N=, MEM=, WAYS="axl-shell axl-procs xl" choose; AXL= another axl
# binary, AXL_OPTS= its options (-v: libxl's messages in the failures);
# LIMIT=S stops a way of processes after S seconds (its processes are
# killed, what they made is counted and said; 0, the default: none).
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/xen.sh

G=tests/guests
N=${N:-100}
MEM=${MEM:-96}
WAYS=${WAYS:-"axl-shell axl-procs xl"}
AXL=${AXL:-axl}
AXL_OPTS=${AXL_OPTS:-}
LIMIT=${LIMIT:-0}
bench_setup storm
echo "# $N creates of $MEM MiB at once"


rows=
for way in $WAYS; do
    bench_settle
    : >"$tmp/err"
    stopped=
    t0=$(now_us)
    case $way in
    axl-shell)
        for i in $(seq "$N"); do
            printf "create -q -p %s 'name=\"s-%s\"' memory=%s 'disk=[\"%s\"]' &\n" \
                "$G/pv.cfg" "$i" "$MEM" "$DISK"
        done >"$tmp/cmds"
        echo wait >>"$tmp/cmds"
        # shellcheck disable=SC2086
        $AXL $AXL_OPTS --keep-going -f "$tmp/cmds" >/dev/null 2>>"$tmp/err"
        ;;
    axl-procs | xl)
        tool=xl opts=
        [ $way = axl-procs ] && tool=$AXL opts=$AXL_OPTS
        pids=
        for i in $(seq "$N"); do
            # shellcheck disable=SC2086
            $tool $opts create -q -p "$G/pv.cfg" "name=\"s-$i\"" "memory=$MEM" \
                "disk=[\"$DISK\"]" >/dev/null 2>>"$tmp/err" &
            pids+=" $!"
        done
        # How it goes, every 30 s: made so far, processes still running.
        while :; do
            left=0
            for p in $pids; do kill -0 "$p" 2>/dev/null && left=$((left + 1)); done
            [ "$left" = 0 ] && break
            if [ "$LIMIT" -gt 0 ] &&
               [ $(( ($(now_us) - t0) / 1000000 )) -ge "$LIMIT" ]; then
                stopped=" (stopped at $LIMIT s, $left processes left)"
                made_then=$(( $(ndomains) - 1 ))
                # shellcheck disable=SC2086
                kill -KILL $pids 2>/dev/null
                wait 2>/dev/null
                break
            fi
            sleep 1
            [ $(( ($(now_us) - t0) / 1000000 % 30 )) = 0 ] &&
                echo "# $way: $(( ($(now_us) - t0) / 1000000 )) s:" \
                    "$(( $(ndomains) - 1 )) domains, $left processes left"
        done
        wait
        ;;
    esac
    t1=$(now_us)
    made=$(( $(ndomains) - 1 ))
    [ -n "$stopped" ] && made=$made_then
    ms=$(( (t1 - t0) / 1000 ))
    echo "# $way: $made of $N made in $ms ms$stopped"
    nfail=$(grep -c "cannot create" "$tmp/err")
    if [ -s "$tmp/err" ]; then
        echo "# $way: what was said ($(wc -l <"$tmp/err") lines):"
        grep -Ei "error|cannot|critical|fail" "$tmp/err" |
            sed -E "s/'s-[0-9]+'/'s-N'/g; s/[Dd]omain [0-9]+/domain N/g; s/\[[0-9]+\]/[PID]/g; s/[0-9]+ ms/N ms/g" |
            sort | uniq -c | sort -rn | head -20 | sed 's/^/#   /'
    fi
    rows+="| $way | $made$stopped | $ms | $nfail |"$'\n'
done
bench_settle

echo
echo "## $N creates at once ($(grep -c ^processor /proc/cpuinfo) dom0 vCPUs)"
echo
echo "| way | made | wall ms | failure lines |"
echo "|---|---|---|---|"
printf '%s' "$rows"
