#!/bin/bash
# bench-save: save, restore and migration, axl against xl in the same lab
# boot.  Prints markdown:
#  1. save and restore wall time of a 128 MiB and a 512 MiB PV guest
#     (medians of RUNS), axl/xl;
#  2. localhost live migration of a 128 MiB PVH guest: wall time and the
#     guest's downtime (the longest gap in the uptime its 0.1 s counter
#     prints, less the interval), axl/xl, the tools alternating;
#  3. a cancel in the middle of a save: signal to libxl's ao done, and
#     signal to the guest running again; what a SIGINT does to xl save and
#     xl migrate in the middle of the copy.
# The 512 MiB save file lives in dom0's RAM: run it with
#   LAB_MEM=4096 LAB_DOM0_MEM=1536 scripts/lab run -- tests/bench/bench-save.sh
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/xen.sh

RUNS=${RUNS:-3}
SSH=$PWD/tests/lib/local-ssh
mkdir -p /var/tmp
tmp=$(mktemp -d /var/tmp/bench.XXXXXX)
trap 'clean_domains; rm -rf "$tmp"' EXIT
LOGS=/var/log/xen

# cfg NAME TYPE MEM EXTRA: a guest config in $tmp/NAME.cfg.
cfg() {
    sed -e "s/^name = .*/name = \"$1\"/" -e "s/^memory = .*/memory = $3/" \
        -e "s/^extra = .*/extra = \"console=hvc0 quiet cryptomgr.notests $4\"/" \
        "tests/guests/$2.cfg" >"$tmp/$1.cfg"
}

# up NAME: wait until the guest has booted (its marker in its log).
up() {
    wait_for 120 grep -q AXL-GUEST-UP "$LOGS/guest-$1.log"
}


echo "## Save and restore (PV guest, medians of $RUNS)"
echo
echo "| memory | save xl ms | save axl ms | axl/xl | restore xl ms | restore axl ms | axl/xl |"
echo "|---|---|---|---|---|---|---|"
for mem in 128 512; do
    for tool in xl axl; do
        : >"$tmp/save.$tool"
        : >"$tmp/restore.$tool"
        N=b-$tool-$mem
        rm -f "$LOGS/guest-$N.log"
        cfg "$N" pv "$mem" ""
        xl create -q -e "$tmp/$N.cfg" && up "$N" || { echo "| $mem | $tool: no guest |"; continue; }
        for r in $(seq "$RUNS"); do
            timed "$tmp/save.$tool" $tool save "$N" "$tmp/s.sav"
            timed "$tmp/restore.$tool" $tool restore -e "$tmp/s.sav"
            rm -f "$tmp/s.sav"
        done
        xl destroy "$N"
    done
    sx=$(median <"$tmp/save.xl"); sa=$(median <"$tmp/save.axl")
    rx=$(median <"$tmp/restore.xl"); ra=$(median <"$tmp/restore.axl")
    echo "| $mem MiB | $sx | $sa | $(ratio "$sa" "$sx") | $rx | $ra | $(ratio "$ra" "$rx") |"
done
echo

echo "## Live migration to localhost (PVH guest, 128 MiB, medians of $RUNS)"
echo
echo "| tool | wall ms | downtime ms (the guest's uptime across the gap) |"
echo "|---|---|---|"
N=b-mig
rm -f "$LOGS"/guest-$N*.log
cfg "$N" pvh 128 "axl.counter=0.1"
xl create -q -e "$tmp/$N.cfg" && up "$N" || echo "| no PVH guest | | |"
# logs: the guest's console logs, one for each of its domains; after: a
# moment for the last counts to reach the log.
logs() { echo "$LOGS"/guest-$N*.log; }
after() { sleep 1; }
bench_migrations "$N" logs after
echo

echo "## A cancel in the middle of the copy"
echo
echo "| what | exit | signal to ao done ms | signal to exit ms | guest after | file left |"
echo "|---|---|---|---|---|---|"
size() { stat -c %s "$1" 2>/dev/null || echo 0; }
N=b-cancel
rm -f "$LOGS/guest-$N.log"
cfg "$N" pv 256 ""
xl create -q -e "$tmp/$N.cfg" && up "$N"
for tool in axl xl; do
    for r in $(seq "$RUNS"); do
        rm -f "$tmp/c.sav" "$tmp/c.sav.axl-tmp"
        if [ $tool = axl ]; then
            axl --timings save -c "$N" "$tmp/c.sav" >"$tmp/o" 2>&1 &
        else
            xl save -c "$N" "$tmp/c.sav" >"$tmp/o" 2>&1 &
        fi
        pid=$!
        wait_for 60 eval '[ $(( $(size "$tmp/c.sav") + $(size "$tmp/c.sav.axl-tmp") )) -ge $((64 << 20)) ]'
        t0=$(now_us)
        kill -INT $pid
        wait_exit $pid 120
        ex=$(ms_since "$t0")
        ao=$(sed -n 's/.*cancel to ao done \([0-9.]*\) ms.*/\1/p' "$tmp/o" | head -1)
        left=none
        [ -e "$tmp/c.sav" ] && left="$(( $(size "$tmp/c.sav") >> 20 )) MiB"
        [ -e "$tmp/c.sav.axl-tmp" ] && left="temporary file"
        echo "| $tool save -c, SIGINT at 64 MiB | $rc | ${ao:--} | $ex | $(dom_state "$N") | $left |"
        # xl: the guest is resumed by xl save -c itself if it finished.
        xl list "$N" >/dev/null 2>&1 || break
    done
done
xl destroy "$N" 2>/dev/null

# xl migrate, SIGINT in the middle of the copy: what is left?
N=b-mig
t0=$(now_us)
xl migrate -s '' "$N" "xl migrate-receive -e" >"$tmp/o" 2>&1 &
pid=$!
wait_for 60 eval '[ -n "$(procs_matching "libxl-save-helper --save-domain")" ]'
sleep 1
kill -INT $pid
wait_exit $pid 60
sleep 3
echo "| xl migrate, SIGINT 1 s into the copy | $rc | - | $(ms_since "$t0") | $(xl list | awk -v n=$N 'index($1, n) == 1 { printf "%s %s; ", $1, $5 }') | receivers left: $(procs_matching 'migrate-receive' | wc -l) |"
clean_domains
