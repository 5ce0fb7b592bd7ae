#!/bin/bash
# migrate and migrate-receive in one lab host (tests/lib/local-ssh plays
# ssh to localhost): axl to axl, axl to xl and xl to axl, each time with
# a guest that prints a counter every second (axl.counter) whose count
# goes on, so the guest really resumed and did not reboot.  Then cancels
# at several instants (before anything is sent, in the middle of the
# memory copy, near its end) by SIGINT, SIGTERM and --timeout, and a
# SIGINT to the receiver: afterwards exactly one copy of the guest exists
# and runs, nothing of the target is left (no domain, no process, no
# helper), and xl list agrees with what axl said.
#
# The lab's Xen has no shadow paging, so PV guests cannot be migrated
# live (xl fails the same way): the guest is PVH, whose log-dirty mode
# uses HAP.
#
# It runs first after the smoke test.  Under the lab's emulated CPU (TCG's
# nested SVM) a PVH guest now and then dies of a triple fault that is not
# the guest's doing (Xen has found Xen's own instruction pointer and stack
# in the guest's saved registers), and far more often late in a lab boot
# than early: in 5 of the 9 `make check` runs where this test ran after
# the others, none in 7 runs of it within 10 minutes of the boot
# (tests/bench/README.md, "A PVH guest that dies of a triple fault").
cd "$(dirname "$0")/.." || exit 1
. tests/lib/tap.sh
. tests/lib/xen.sh

tmp=$(mktemp -d)
trap 'clean_domains; rm -rf "$tmp"' EXIT
N=m-a
SSH=$PWD/tests/lib/local-ssh
# 96 MiB (its kernel and initrd need about 60): every case copies the
# guest, and there are many cases.
sed -e "s/^name = .*/name = \"$N\"/" -e 's/^memory = .*/memory = 96/' \
    -e 's/^extra = .*/extra = "console=hvc0 loglevel=6 cryptomgr.notests axl.counter"/' \
    tests/guests/pvh.cfg >"$tmp/$N.cfg"

# counted: the highest count in any of the guest's console logs (the
# target's copy logs as NAME--incoming).
counted() {
    max_count /var/log/xen/guest-$N*.log
}
# boots: how often the guest has come up (a reboot would print it again).
boots() {
    cat /var/log/xen/guest-$N*.log 2>/dev/null | grep -c AXL-GUEST-UP
}
# guest_said: what the guest's kernel, its monitors and Xen said last,
# for a copy that shut down, rebooted or stalled by itself (the lab's PVH
# guest dies of a triple fault now and then: see the top).  Xen's records
# of each save, load and restore are left out: they are most of its log.
guest_said() {
    diag "its console: $(cat /var/log/xen/guest-$N*.log 2>/dev/null |
        grep -v AXL-COUNT | tail -n 25)"
    diag "monitors: $(tail -q -n 6 /var/log/xen/axl-$N*.log 2>/dev/null)"
    diag "xl dmesg: $(xl dmesg | grep -v ' save: \| load: \| restore: ' | tail -n 40)"
    diag "triple faults: $(xl dmesg | grep -A 14 'Triple fault')"
}
# not_rebooted TITLE: the guest came up once; if not, what it said.
not_rebooted() {
    local b
    b=$(boots)
    is "$b" "$booted" "$1"
    [ "$b" = "$booted" ] && return
    guest_said
    booted=$b       # one reboot reads as one failure, not as every later case's
}
# counts_on: the guest prints counts beyond those it had printed before.
counts_on() {
    local before
    before=$(counted)
    wait_for 10 eval '[ "$(counted)" -gt "$before" ]'
}
# one_running: exactly one copy, called N, running or blocked.
one_running() {
    one_copy_runs "$N" && return
    diag "copies of $N: $(echo $(copies "$N"))"
    guest_said
    return 1
}
# fresh: a case starts from one copy, running and counting, with no
# record and nothing of a migration left; a case that failed may leave
# another state, put right here (and said), so that one defect reads as
# one failure and not as every later case's.
fresh() {
    if one_running >/dev/null && [ -z "$(leftovers)" ] &&
        [ -z "$(ls /run/axl/*.op 2>/dev/null)" ]; then
        return 0
    fi
    diag "the last case left $(echo $(copies "$N")); starting from a new '$N'"
    kill -KILL $(leftovers) 2>/dev/null
    for d in $(xl list | awk -v n="$N" 'NR > 1 && index($1, n) == 1 {
            print $2 }'); do
        xl destroy "$d"
    done
    rm -f /run/axl/*.op /var/log/xen/guest-$N*.log
    axl create -q -e "$tmp/$N.cfg" >"$tmp/fresh" 2>&1 &&
        wait_for 90 grep -q AXL-COUNT "/var/log/xen/guest-$N.log" ||
        bail "cannot create $N again: $(tail -2 "$tmp/fresh" | tr '\n' ' ')" \
            "($(echo $(copies "$N"))); its console: $(tail -3 \
            "/var/log/xen/guest-$N.log" 2>/dev/null | tr '\n' ';')"
    booted=$(boots)
}
# leftovers: processes of a migration still running.
leftovers() {
    procs_matching 'migrate-receive|libxl-save-helper|local-ssh'
}
# after_cancel TITLE OUT [WORDS]: the invariants after a cancelled
# migration; OUT must say the guest runs here (or match WORDS).
after_cancel() {
    ok "$1: exactly one copy, '$N', running" one_running
    ok "$1: no receiver, helper or transport left" \
        wait_for 10 eval '[ -z "$(leftovers)" ]'
    ok "$1: the counter goes on" counts_on
    not_rebooted "$1: the guest did not reboot"
    like "$2" "${3:-runs on here|resumed and runs on here}" \
        "$1: axl says the guest runs here"
}

rm -f /var/log/xen/guest-$N*.log    # an earlier run's boots are not ours
axl create -q "$tmp/$N.cfg" || bail "cannot create $N"
wait_for 90 grep -q AXL-COUNT "/var/log/xen/guest-$N.log" ||
    bail "$N does not count"
booted=$(boots)
old_id=$(dom_id "$N")
old_mon=$(procs_matching "^axl-$N monitor")

# ---- axl to axl, with monitors on both ends ----
out=$(axl -v migrate -s "$SSH" "$N" localhost 2>&1)
rc=$?
is "$rc" 0 "axl migrate to axl migrate-receive exits 0"
like "$out" "migrated domain $old_id \('$N'\): it runs on the target" \
    "  and says where the guest runs (-v: progress off a terminal)"
ok "  exactly one copy, '$N', running" one_running
down=$(printf '%s\n' "$out" | sed -n 's/.*runs on the target (downtime \([0-9]*\) ms).*/\1/p')
diag "downtime, as the sender measured it: ${down:-none} ms"
ok "  -v says the downtime it measured" test -n "$down"
last=$(axl jobs --done -n 1 --json)
like "$last" "\"operation\":\"migrate\".*\"downtime_ms\":$down[,}]" \
    "  jobs --done keeps the migration with its downtime"
el=$(printf '%s\n' "$last" | sed -n 's/.*"elapsed_ms":\([0-9]*\).*/\1/p')
ok "  the downtime is a part of the migration's time (${down:-?} of ${el:-?} ms)" \
    test -n "$down" -a "${down:-0}" -gt 0 -a "${down:-0}" -lt "${el:-0}"
new_id=$(dom_id "$N")
ok "  it is a new domain" test -n "$new_id" -a "$new_id" != "$old_id"
ok "  the counter goes on" counts_on
not_rebooted "  the guest did not reboot"
ok "  the target started a monitor for the new domain" \
    wait_for 15 eval '[ -n "$(procs_matching "^axl-$N monitor .* $new_id \$")" ]'
ok "  the old domain's monitor has ended" \
    wait_for 15 eval '! kill -0 $old_mon 2>/dev/null'
ok "  no receiver or helper left" wait_for 10 eval '[ -z "$(leftovers)" ]'

# ---- axl to xl ----
fresh
out=$(axl migrate -s "$SSH" --receiver=xl -e "$N" localhost 2>&1)
is "$?" 0 "axl migrate to xl migrate-receive exits 0"
ok "  exactly one copy, running" one_running
ok "  the counter goes on" counts_on
not_rebooted "  the guest did not reboot"

# ---- xl to axl ----
fresh
out=$(xl migrate -s '' "$N" "axl migrate-receive -e" 2>&1)
is "$?" 0 "xl migrate to axl migrate-receive exits 0"
ok "  exactly one copy, running" one_running
ok "  the counter goes on" counts_on
not_rebooted "  the guest did not reboot"
ok "  nothing of either end left" wait_for 10 eval '[ -z "$(leftovers)" ]'

# ---- cancels on the sending side ----
# Before anything is sent: the target is slow to answer.
fresh
axl migrate -s '' "$N" "sleep 30; axl migrate-receive -e" >"$tmp/o" 2>&1 &
pid=$!
sleep 1
kill -INT $pid
wait_exit $pid 20
is "$rc" 130 "SIGINT before the target answers: exit 130"
out=$(cat "$tmp/o")
like "$out" "cancelled during waiting for the target to answer.*nothing was sent" \
    "  axl says nothing was sent"
after_cancel "  before the target answers" "$out"
ok "  the slow target's command is gone too" \
    eval '[ -z "$(procs_matching "sleep 30")" ]'

# In the middle of the copy: once 24 MiB (of 96) are sent.
cancel_at() {   # BYTES SIGNAL: start a migration, signal it past BYTES
    at=$1
    fresh
    axl migrate -s "$SSH" -e "$N" localhost >"$tmp/o" 2>&1 &
    pid=$!
    wait_for 30 eval '[ "$(sent_bytes)" -ge $at ] || ! kill -0 $pid 2>/dev/null'
    kill "-$2" $pid
    wait_exit $pid 30
    out=$(cat "$tmp/o")
}
cancel_at $((24 << 20)) INT
is "$rc" 130 "SIGINT in the middle of the copy: exit 130"
like "$out" "migration of '$N' cancelled during sending memory" \
    "  axl names the phase it cancelled"
after_cancel "  mid-copy SIGINT" "$out"

cancel_at $((88 << 20)) TERM
is "$rc" 143 "SIGTERM near the end of the copy: exit 143"
after_cancel "  late SIGTERM" "$out"

# --timeout: wherever it lands, the same invariants.
fresh
out=$(axl migrate -s "$SSH" -e --timeout=1.5 "$N" localhost 2>&1)
is "$?" 124 "--timeout=1.5 ends the migration: exit 124"
after_cancel "  --timeout" "$out"

# ---- SIGKILL: what the journal lets 'axl cleanup' put right ----
cancel_at $((24 << 20)) KILL
is "$rc" 137 "SIGKILL in the middle of the copy: exit 137"
out=$(axl cleanup 2>&1)
is "$?" 0 "  axl cleanup exits 0"
# Killed during the copy, the guest was never suspended: nothing to say,
# unless the kill came after the last round (then it was resumed).
after_cancel "  SIGKILL, then cleanup" "$out" "^$|domain [0-9]+ \\('$N'\\) was resumed"
diag "cleanup said: $out"
ok "  no record is left" eval '[ -z "$(ls /run/axl/*.op 2>/dev/null)" ]'

# ---- kills around the go-ahead, at each step of either end ----
# AXL_TEST_STOP=POINT stops the end that reaches POINT (core/testpoint.h)
# exactly there; then one end or both are killed, or the other goes on.
# Whatever was killed, 'axl cleanup' and the answer a user gives to what
# it says must end with one copy, running, and no record:
#   sender:   send-renamed (the copy here is NAME--migratedaway; its
#             record still says resume), send-committed (the record says
#             the target may run the guest; no go-ahead sent),
#             send-go-sent, send-reported (the target runs the guest)
#   receiver: recv-go (the go-ahead read, nothing done), recv-go-recorded
#             (its record says the guest was handed over), recv-renamed
#             (named NAME, paused), recv-unpaused, recv-reported
# Variants: both killed; the stopped end killed and the other let go on.

# answer OUT EXPECT: what a user does with cleanup's word (OUT) of a copy
# it left suspended here: destroy it if the target runs the guest, else
# resume it.  EXPECT: "leave" (cleanup must leave one, and say both
# answers), "none" (it must not), "any" (the kill raced the last message).
answer() {
    local left
    left=$(printf '%s\n' "$1" | sed -n 's/.*cleanup: domain \([0-9]*\) (.*is left suspended.*/\1/p')
    case $2:${left:+left} in
    leave:left|any:left)
        like "$1" "axl destroy $left.*axl cleanup --resume $left" \
            "  $title: cleanup leaves domain $left to the user, with both answers" ;;
    none:|any:)
        is "$left" "" "  $title: cleanup leaves nothing to the user" ;;
    *)
        fail "  $title: cleanup leaves ${left:-no} domain to the user" ;;
    esac
    [ -n "$left" ] || return 0
    if [ "$(dom_id "$N")" != "$left" ] && dom_exists "$N"; then
        axl destroy "$left" >/dev/null 2>&1
    else
        axl cleanup --resume "$left" >/dev/null 2>&1
    fi
}
# go_case POINT VARIANT: one migration stopped at POINT, then VARIANT
# (both: kill both ends; stopped: kill the stopped end, the other goes on).
go_case() {
    local point=$1 variant=$2 send recv stop other out st expect
    title="$point, $variant killed"
    fresh
    AXL_TEST_STOP=$point axl migrate -s "$SSH" -e "$N" localhost \
        >"$tmp/o" 2>&1 &
    send=$!
    recv=
    wait_for 60 eval '{ recv=$(procs_matching "^axl migrate-receive");
        case $point in send-*) stopped $send ;; *) [ -n "$recv" ] &&
        stopped $recv ;; esac; } || ! kill -0 $send 2>/dev/null'
    case $point in
    send-*) stop=$send other=$recv ;;
    *) stop=$recv other=$send ;;
    esac
    if ! stopped "$stop"; then
        fail "  $title: the migration stops at $point"
        diag "$(cat "$tmp/o")"
        # Where each end is: its phase words, as its owner says them.
        diag "$(axl jobs --all 2>&1)"
        diag "$(xl list 2>&1)"
        guest_said
        diag "$(ps -o pid,stat,wchan:20,args -e 2>/dev/null |
            grep -E 'axl|save-helper|ssh' | grep -v grep)"
        kill -KILL $send $recv 2>/dev/null
        wait_exit $send 10
        return
    fi
    pass "  $title: the migration stops at $point"
    # The stopped end first: killing the sender while the receiver is
    # stopped would orphan the receiver's process group, and the kernel
    # then wakes it (SIGHUP, SIGCONT) before it could be killed.
    kill -KILL "$stop"
    if [ "$variant" = both ]; then
        [ -n "$other" ] && kill -KILL "$other" 2>/dev/null
    else
        kill -CONT "$other" 2>/dev/null
    fi
    wait_exit $send 30
    wait_for 30 eval '[ -z "$(procs_matching "^axl migrate-receive")" ]'
    diag "$title; the sender said: $(tail -3 "$tmp/o" | tr '\n' ' ')"
    out=$(axl cleanup 2>&1)
    st=$?
    diag "$title; cleanup said: $out"
    case $point:$variant in
    recv-go-recorded:*|recv-renamed:*)
        like "$out" "'$N'\\) was started: the migration is complete" \
            "  $title: cleanup finishes what the receiver was told" ;;
    esac
    case $point:$variant in
    send-renamed:*|send-reported:*|recv-reported:stopped) expect=none ;;
    recv-reported:both) expect=any ;;
    *) expect=leave ;;
    esac
    answer "$out" $expect
    is "$(axl cleanup 2>&1; echo "status $?")" "status 0" \
        "  $title: after the answer, cleanup has nothing to say"
    after_cancel "  $title" "$out" "^"
    ok "  $title: no record is left" \
        eval '[ -z "$(ls /run/axl/*.op 2>/dev/null)" ]'
}
# make check stops at every point once, the variant alternating from
# one point to the next, so each side meets both; AXL_MATRIX=full (make
# lab-matrix) runs both variants at every point: 18 cases, 3 more minutes.
i=0
for point in send-renamed send-committed send-go-sent send-reported \
             recv-go recv-go-recorded recv-renamed recv-unpaused \
             recv-reported; do
    if [ "${AXL_MATRIX-}" = full ]; then
        variants="both stopped"
    elif [ $((i % 2)) = 0 ]; then
        variants=both
    else
        variants=stopped
    fi
    for v in $variants; do
        go_case $point $v
    done
    i=$((i + 1))
done
out=$(axl cleanup --resume "$N" 2>&1)
is "$?" 1 "cleanup --resume of a domain no migration left: exit 1"
like "$out" "nothing was resumed" "  and says nothing was resumed"

# ---- a cancel on the receiving side ----
fresh
axl migrate -s "$SSH" -e "$N" localhost >"$tmp/o" 2>&1 &
pid=$!
wait_for 30 eval '[ "$(sent_bytes)" -ge $((24 << 20)) ]'
kill -INT $(procs_matching '^axl migrate-receive')
wait_exit $pid 30
out=$(cat "$tmp/o")
is "$rc" 1 "SIGINT to migrate-receive: the sender fails (exit 1)"
like "$out" "incoming migration of '$N--incoming' cancelled" \
    "  the receiver says it cancelled"
after_cancel "  receiver SIGINT" "$out"

# ---- axl abort from another terminal, before and after the go-ahead ----
fresh
axl migrate -s "$SSH" -e "$N" localhost >"$tmp/o" 2>&1 &
pid=$!
wait_for 30 eval '[ "$(sent_bytes)" -ge $((24 << 20)) ]' ||
    diag "the copy did not reach 24 MiB (sent $(sent_bytes) bytes)"
out=$(axl abort "$N" 2>&1); st=$?
wait_exit $pid 30
is "$st" 0 "abort of a migration while it copies: exit 0"
is "$rc" 130 "  the migration ends as on its own Ctrl-C (130)"
like "$out" "$pid\\.1: .*runs on here" "  abort says the guest runs on here"
after_cancel "  abort while copying" "$(cat "$tmp/o")"

fresh
AXL_TEST_STOP=recv-go axl migrate -s "$SSH" -e "$N" localhost \
    >"$tmp/o" 2>&1 &
pid=$!
recv=
wait_for 60 eval '{ recv=$(procs_matching "^axl migrate-receive");
    [ -n "$recv" ] && stopped $recv; } || ! kill -0 $pid 2>/dev/null'
if [ -n "$recv" ] && stopped "$recv"; then
    pass "a migration past its go-ahead (the target stopped there)"
    like "$(axl jobs --all)" "cannot be cancelled: past the go-ahead" \
        "  jobs --all says it cannot be cancelled, and why"
    out=$(axl abort --timeout=5s "$N" 2>&1); st=$?
    is "$st" 1 "  abort then: exit 1"
    like "$out" "cannot be cancelled: past the go-ahead" "  with the reason"
    kill -CONT "$recv"
    wait_exit $pid 60
    is "$rc" 0 "  the migration goes on to its end (exit 0)"
    ok "  exactly one copy, '$N', running" one_running
    ok "  the counter goes on" counts_on
else
    fail "a migration past its go-ahead (the target stopped there)"
    kill -KILL $pid $recv 2>/dev/null
    wait_exit $pid 10
fi

# ---- the guest shuts down during its migration: axl says it does not run ----
# The save helper is held (SIGSTOP) in the middle of the copy while the
# guest powers off, so that it is down before the suspend, always.  (xl
# sysrq c is no crash here: the guest's kernel masks that key.)
fresh
axl migrate -s "$SSH" -e "$N" localhost >"$tmp/o" 2>&1 &
pid=$!
wait_for 30 eval '[ "$(sent_bytes)" -ge $((8 << 20)) ]' ||
    diag "the copy did not reach 8 MiB (sent $(sent_bytes) bytes)"
helper=$(procs_matching 'libxl-save-helper --save-domain')
stop_helper $helper
xl shutdown "$N" >/dev/null # the guest powers off (no monitor: it stays)
wait_for 30 eval 'dom_state "$N" | grep -q "^...s"' ||
    diag "the guest did not shut down: $(dom_state "$N")"
kill -CONT $helper
wait_exit $pid 60
out=$(cat "$tmp/o")
is "$rc" 1 "a guest that shuts down during its migration: exit 1"
like "$out" "does not run( here)?: it has shut down \(poweroff\)" \
    "  axl says the guest does not run, and why"
unlike "$out" "runs on" "  and never that it runs on"
ok "  nothing of the target is left, one copy" \
    wait_for 10 eval '[ -z "$(leftovers)" ] && [ "$(copies "$N" | wc -l)" = 1 ]'
xl destroy "$N" 2>/dev/null

# ---- bad input: one line, nonzero, nothing lost ----
fresh
out=$(axl migrate "$N" 2>&1)
is "$?" 2 "migrate without a host: exit 2"
out=$(axl migrate --receiver='xl; reboot' "$N" localhost 2>&1)
is "$?" 2 "a --receiver that is no program name: exit 2"
is "$(printf '%s\n' "$out" | grep -c .)" 1 "  in one line"
out=$(axl migrate -s "$SSH" nosuchdomain localhost 2>&1)
is "$?" 1 "migrate of a domain that does not exist: exit 1"
out=$(axl migrate -s "$SSH" Domain-0 localhost 2>&1)
is "$?" 1 "migrate of Domain-0: exit 1"
out=$(printf 'not a migration stream' | axl migrate-receive 2>"$tmp/e")
is "$?" 1 "migrate-receive of garbage: exit 1"
is "$(cat "$tmp/e" | grep -c '^axl: cannot restore')" 1 \
    "  one line says why"
like "$out" "^xl migration receiver ready" "  after xl's banner on stdout"
out=$(axl migrate -s /bin/false -e "$N" localhost 2>&1)
is "$?" 1 "a transport that fails at once: exit 1"
like "$out" "closed the stream before the banner" "  axl says the target never answered"
ok "  the guest runs on" one_running
out=$(axl migrate-receive -r 2>&1 </dev/null)
is "$?" 2 "migrate-receive -r (Remus): exit 2, not supported"

# A PV guest: this Xen cannot migrate it live; axl says why.
P=m-pv
sed -e "s/^name = .*/name = \"$P\"/" tests/guests/pv.cfg >"$tmp/$P.cfg"
axl create -q -e -p "$tmp/$P.cfg" || bail "cannot create $P"
out=$(axl migrate -s "$SSH" -e "$P" localhost 2>&1)
is "$?" 1 "a PV guest on a Xen without shadow paging: exit 1"
like "$out" "no shadow paging" "  axl says why"
is "$(dom_state "$P")" "--p---" "  the guest is as it was (paused)"
xl destroy "$P"

ok "no receiver, helper or transport left at the end" \
    eval '[ -z "$(leftovers)" ]'
axl destroy "$N" >/dev/null 2>&1
done_testing
