#!/bin/bash
# bench-core: axl against xl in the same lab boot.  Prints markdown:
#  1. what a SIGINT in each slow phase leaves behind, xl vs axl;
#  2. cancel latency per fixture and policy (signal to ao completion,
#     as axl measures it, and signal to process exit);
#  3. create->destroy wall time and list time, medians, as ratios.
# Run it with: scripts/lab run -- tests/bench/bench-core.sh
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/xen.sh

G=tests/guests
RUNS=${RUNS:-5}
tmp=$(mktemp -d)


phase_reached() {
    case $1 in
    hang-hotplug) [ -s "$M/block-hang.pid" ] ;;
    hang-bootloader) [ -s "$M/bootloader-hang.pid" ] ;;
    hang-backend)
        local id
        id=$(dom_id "$(cfg_name "$G/$1.cfg")") &&
            [ "$(xenstore-read "/local/domain/0/backend/vtpm/$id/0/state" \
                2>/dev/null)" = 1 ] ;;
    esac
}

# leftovers NAME ID: "domain: state; xenstore: yes/no; scripts: N"
leftovers() {
    local st xs procs
    st=$(dom_state "$1")
    [ -n "$st" ] || st=none
    if xs_has_domain "$2"; then xs=yes; else xs=no; fi
    procs=$(fixture_procs | wc -l)
    echo "$st | $xs | $procs"
}

echo "## SIGINT in each slow phase: what is left behind"
echo
echo "| tool | fixture | exit | domain left (xl state) | /local/domain/ID | fixture processes |"
echo "|---|---|---|---|---|---|"
for fx in hang-hotplug hang-bootloader hang-backend; do
    name=$(cfg_name "$G/$fx.cfg")
    for tool in xl axl; do
        rm -rf "$M"; mkdir -p "$M"
        set -m
        $tool create "$G/$fx.cfg" >"$tmp/out" 2>&1 &
        pid=$!
        set +m
        if ! wait_for 60 phase_reached "$fx"; then
            echo "| $tool | $fx | (phase not reached) | | | |"
            kill -9 "$pid"; clean_domains; continue
        fi
        id=$(dom_id "$name")
        # As a terminal does: SIGINT to the whole foreground group.
        kill -INT -- "-$pid"
        wait_exit "$pid" 60
        sleep 1
        echo "| $tool | $fx | $rc | $(leftovers "$name" "$id") |"
        for p in $(fixture_procs); do
            kill -9 "$p" 2>/dev/null
        done
        clean_domains
    done
done

echo
echo "## Cancel latency (ms, median of $RUNS)"
echo
echo "| fixture | policy | signal to ao done | signal to exit |"
echo "|---|---|---|---|"
for fx in hang-hotplug hang-bootloader hang-backend; do
    for policy in destroy keep; do
        : >"$tmp/ao"; : >"$tmp/exit"
        for _ in $(seq "$RUNS"); do
            rm -rf "$M"; mkdir -p "$M"
            axl --timings create --on-cancel=$policy "$G/$fx.cfg" \
                >"$tmp/out" 2>"$tmp/err" &
            pid=$!
            wait_for 60 phase_reached "$fx" || { kill -9 $pid; continue; }
            t0=$(now_us)
            kill -INT "$pid"
            wait "$pid"
            t1=$(now_us)
            sed -n 's/.*cancel to ao done \([0-9.]*\) ms.*/\1/p' "$tmp/err" \
                >>"$tmp/ao"
            echo $(( (t1 - t0) / 1000 )) >>"$tmp/exit"
            clean_domains
        done
        echo "| $fx | $policy | $(median <"$tmp/ao") | $(median <"$tmp/exit") |"
    done
done

echo
echo "## axl vs xl, same boot (ms, median of $RUNS)"
echo
cfg=$G/pv.cfg
name=$(cfg_name "$cfg")
for tool in xl axl; do
    : >"$tmp/$tool.cd"
    for _ in $(seq "$RUNS"); do
        t0=$(now_us)
        $tool create "$cfg" >/dev/null 2>&1
        $tool destroy "$name" >/dev/null 2>&1
        t1=$(now_us)
        echo $(( (t1 - t0) / 1000 )) >>"$tmp/$tool.cd"
    done
    : >"$tmp/$tool.ls"
    for _ in $(seq $((RUNS * 4))); do
        t0=$(now_us)
        $tool list >/dev/null 2>&1
        t1=$(now_us)
        echo $(( (t1 - t0) / 1000 )) >>"$tmp/$tool.ls"
    done
done
xcd=$(median <"$tmp/xl.cd"); acd=$(median <"$tmp/axl.cd")
xls=$(median <"$tmp/xl.ls"); als=$(median <"$tmp/axl.ls")
echo "| measure | xl | axl | axl/xl |"
echo "|---|---|---|---|"
echo "| create+destroy of a PV guest | $xcd | $acd | $(awk "BEGIN{printf \"%.2f\", $acd/$xcd}") |"
echo "| list | $xls | $als | $(awk "BEGIN{printf \"%.2f\", $als/($xls>0?$xls:1)}") |"
rm -rf "$tmp" "$M"
