#!/bin/bash
# migrate-soak: one PVH guest migrated to localhost again and again, for
# SECS seconds (default 480), by xl, by axl to the end, and by axl
# cancelled at a random instant (0.3 to 3.3 s) by SIGINT or by `axl
# abort` from another process; after each, the guest must run on, one
# copy, counting.  Stops at the first migration that leaves it otherwise
# and prints what Xen and the guest's console said last.  Prints TAP,
# then "N passed, N failed".  For a guest found shut down by itself
# (t0050, campaign run 10):
#   scripts/lab run -- env SECS=480 tests/bench/migrate-soak.sh
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/tap.sh
. tests/lib/xen.sh

N=soak-pvh
SSH=$PWD/tests/lib/local-ssh
tmp=$(mktemp -d)
trap 'clean_domains; rm -rf "$tmp"' EXIT
sed -e "s/^name = .*/name = \"$N\"/" \
    -e 's/^extra = .*/extra = "console=hvc0 quiet cryptomgr.notests axl.counter"/' \
    tests/guests/pvh.cfg >"$tmp/$N.cfg"
xl create -q -e "$tmp/$N.cfg" || bail "cannot create $N"
wait_for 90 grep -q AXL-COUNT "/var/log/xen/guest-$N.log" ||
    bail "$N does not count"

end=$(( $(date +%s) + ${SECS:-480} ))
failed=0
while [ "$(date +%s)" -lt "$end" ] && [ $failed = 0 ]; do
    before=$(max_count /var/log/xen/guest-$N*.log)
    case $((RANDOM % 4)) in
    0) how=xl
       xl migrate -s "$SSH" "$N" localhost >"$tmp/o" 2>&1 ;;
    1) how=axl
       axl migrate -s "$SSH" "$N" localhost >"$tmp/o" 2>&1 ;;
    *) d=$((300 + RANDOM % 3000))
       axl migrate -s "$SSH" "$N" localhost >"$tmp/o" 2>&1 &
       pid=$!
       sleep "$(awk -v d=$d 'BEGIN { print d / 1000 }')"
       if ((RANDOM % 2)); then
           how="axl, SIGINT at $d ms"
           kill -INT $pid 2>/dev/null
       else
           how="axl, axl abort at $d ms"
           axl abort "$N" >/dev/null 2>&1
       fi
       wait $pid ;;
    esac
    n=$(xl list | awk -v n="$N" 'NR > 1 && index($1, n) == 1' | wc -l)
    st=$(dom_state "$N")
    if [ "$n" = 1 ] && [[ $st == [rb-][rb-]---- ]] &&
        wait_for 10 eval '[ "$(max_count /var/log/xen/guest-$N*.log)" -gt "$before" ]'
    then
        pass "$how: one copy, running ($st), counting"
    else
        fail "$how: $n copies, $N is ${st:-gone}" "$(cat "$tmp/o")" \
            "xl dmesg: $(xl dmesg | tail -6)" \
            "console: $(tail -q -n 5 /var/log/xen/guest-$N*.log)"
        failed=1
    fi
done
printf '1..%d\n' "$tap_n"
echo "$((tap_n - tap_failed)) passed, $tap_failed failed"
[ "$tap_failed" = 0 ]
