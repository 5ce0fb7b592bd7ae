#!/bin/bash
# Signal storms and a reader that goes away: 100 SIGINTs within a second
# at a create stuck in a hotplug script, SIGINT and SIGTERM alternating,
# and `axl list | head -1`.  No crash, no hang; the exit status is the
# documented one; what axl says is left is what is left, and `axl
# cleanup` then removes it.
cd "$(dirname "$0")/.." || exit 1
. tests/lib/tap.sh
. tests/lib/xen.sh
. tests/lib/cancel.sh

trap 'kill -9 $(fixture_procs) 2>/dev/null; clean_domains; rm -rf "$tmp"' EXIT
FX=hang-hotplug
NAME=$(cfg_name "$G/$FX.cfg")

# storm TITLE WANT_STATUS SIGNALS...: start a create, wait for its
# hotplug script, send SIGNALS (one word each, 10 ms apart), then check.
storm() {
    local title=$1 want=$2 s id err
    shift 2
    start "$FX"
    wait_for 60 in_phase "$FX" || { fail "$title: phase not reached"; return; }
    id=$(dom_id "$NAME")
    for s in "$@"; do
        kill "-$s" $pid 2>/dev/null
        nap 0.01
    done
    wait_exit $pid 60
    is "$rc" "$want" "$title: exit $want"
    err=$(cat "$tmp/err")
    unlike "$err" "Segmentation|Aborted|AddressSanitizer|runtime error" \
        "$title: no crash"
    # What axl said is left is what is left (by id: a destroy that was
    # cut short may have removed the name already).  libxl destroys a
    # domain from a child of its own, which may finish after axl exits:
    # axl then says so.
    if xl list | awk -v id="$id" 'NR > 1 && $2 == id { f = 1 } END { exit !f }'; then
        like "$err" "domain $id is (paused|running|shut down|dying) now|domain $id .*kept" \
            "$title: the domain is left, and axl said so"
    else
        like "$err" "domain $id is gone now|may still complete|destroyed|no domain is left" \
            "$title: no domain is left, and axl said so (or that it may go)"
    fi
    axl cleanup >"$tmp/clean" 2>&1
    is "$?" 0 "$title: axl cleanup exits 0"
    check_gone "$NAME" "$id" "$title: after cleanup"
}

sigs=()
for i in $(seq 100); do sigs+=(INT); done
storm "100 SIGINTs in a second" 130 "${sigs[@]}"

sigs=()
for i in $(seq 10); do sigs+=(INT TERM); done
storm "SIGINT and SIGTERM alternating" 143 "${sigs[@]}"

# A reader that goes away: exit 0 (all was written) or 141, no message.
axl create -q -e -p tests/guests/pv.cfg || bail "cannot create g-pv"
for cmd in "list" "list --json" "list -l"; do
    axl $cmd 2>"$tmp/e" | head -c 10 >/dev/null
    st=${PIPESTATUS[0]}
    like "$st" "^(0|141)$" "axl $cmd | head -c 10: exit 0 or 141"
    is "$(cat "$tmp/e")" "" "  and nothing on stderr"
done
xl destroy g-pv
done_testing
