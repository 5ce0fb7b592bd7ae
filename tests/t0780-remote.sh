#!/bin/bash
# Operations seen and cancelled from another process: jobs --all (table
# and JSON), abort by domain and by PID.N (each policy), abort --force,
# a save aborted in the middle of its copy, one background job of a shell
# running two (the other finishes), wait (its status is the operation's,
# 124 on --timeout), the refusals (nothing by that name, already over),
# and a socket left by a process killed with SIGKILL.
cd "$(dirname "$0")/.." || exit 1
. tests/lib/tap.sh
. tests/lib/xen.sh
. tests/lib/cancel.sh
. tests/lib/json.sh

mkdir -p /var/tmp
big=$(mktemp -d /var/tmp/axl.XXXXXX)
trap 'clean_domains; rm -rf "$tmp" "$big" "$M"' EXIT
H=$(cfg_name "$G/hang-hotplug.cfg")
J=/run/axl

# ops: how many operations jobs --all lists.
ops() { axl jobs --all --json | json_flat | grep -c '^\[[0-9]*\]\.id	'; }

# ---- one create hanging in its hotplug script, aborted by domain ----
t="abort by domain, destroy"
rm -rf "$M"; mkdir -p "$M"
axl --timings create "$G/hang-hotplug.cfg" >"$tmp/out" 2>"$tmp/err" &
pid=$!
if wait_for 60 in_phase hang-hotplug; then
    pass "$t: the create hangs in its hotplug script"
    id=$(dom_id "$H")
    out=$(axl jobs --all)
    like "$out" "^Id +Operation +Domain +State +Elapsed +Owner" \
        "jobs --all: a header"
    like "$out" "^$pid\\.1 +create +$H \\($id\\) +running .* $pid axl .*create" \
        "jobs --all: the create, its owner and its command line"
    like "$out" "hotplug script" "jobs --all: what it waits on"
    axl jobs --all --json >"$tmp/j.json"
    ok "jobs --all --json: one JSON document" eval \
        'json_flat <"$tmp/j.json" >"$tmp/j.flat"'
    is "$(json_get "$tmp/j.flat" '[0].id')/$(json_get "$tmp/j.flat" \
        '[0].operation')/$(json_get "$tmp/j.flat" '[0].domain')/$(json_get \
        "$tmp/j.flat" '[0].cancellable')" "$pid.1/create/$H/true" \
        "jobs --all --json: id, operation, domain, cancellable"
    # An owner that does not answer (stopped here) costs the list 3 s
    # at most, and is named.
    kill -STOP "$pid"
    t0=$(now_us)
    out=$(axl jobs --all 2>&1)
    t1=$(now_us)
    like "$out" "axl process $pid did not answer within 3(\\.0)? s" \
        "jobs --all: a process that does not answer is named"
    ok "  and costs the list 3 s at most ($(( (t1 - t0) / 1000 )) ms)" \
        test $(( (t1 - t0) / 1000 )) -lt 4500
    # Its queue of requests fills (20 TABs, each 0.3 s at most): then
    # it is named at once, and nothing waits on it.
    for i in $(seq 20); do axl __complete 2 axl abort '' >/dev/null 2>&1; done
    t0=$(now_us)
    out=$(timeout 10 axl jobs --all 2>&1)
    t1=$(now_us)
    kill -CONT "$pid"
    like "$out" "axl process $pid (does not answer|did not answer)" \
        "  with its queue full too"
    ok "  and still 3 s at most ($(( (t1 - t0) / 1000 )) ms)" \
        test $(( (t1 - t0) / 1000 )) -lt 4500
    ok "  going on, it answers again (its queue served)" \
        wait_for 10 eval 'axl jobs --all 2>&1 | grep -q "^$pid\\.1 "'
    is "$(axl __complete 2 axl abort '' | tr '\n' ' ')" "$pid.1 $H " \
        "completion of abort's argument: the job's id and its domain"
    is "$(axl __complete 2 axl wait "$pid" | tr '\n' ' ')" "$pid.1 " \
        "  and of wait's, by prefix"
    t0=$(now_us)
    out=$(axl abort "$H" 2>&1); st=$?
    t1=$(now_us)
    is "$st" 0 "$t: abort exits 0"
    like "$out" "$pid\\.1: .*(destroyed; nothing is left|no domain is left)" \
        "$t: abort says what is left, as the owner does"
    diag "abort to its answer: $(( (t1 - t0) / 1000 )) ms"
    wait_exit "$pid" 30
    is "$rc" 130 "$t: the owner ends as on its own Ctrl-C (130)"
    like "$(cat "$tmp/err")" "cancel asked by another axl process" \
        "$t: the owner says who cancelled"
    lats+=" $(sed -n 's/.*cancel to ao done \([0-9.]*\) ms.*/\1/p' \
              "$tmp/err")"
    check_gone "$H" "$id" "$t"
    ok "$t: the owner's socket is gone" test ! -e "$J/ctl-$pid"
    axl jobs --done --count=1 --json | json_flat >"$tmp/d.flat"
    is "$(json_get "$tmp/d.flat" '[0].operation')/$(json_get "$tmp/d.flat" \
        '[0].domain')/$(json_get "$tmp/d.flat" '[0].status')/$(json_get \
        "$tmp/d.flat" '[0].pid')" "create/$H/130/$pid" \
        "jobs --done: the create, its status and its owner"
    like "$(json_get "$tmp/d.flat" '[0].cancelled_by')" \
        "^axl abort \\(pid [0-9]+\\)$" "jobs --done: cancelled by axl abort"
    like "$(json_get "$tmp/d.flat" '[0].phases_ms.main')" '^[0-9]+$' \
        "jobs --done: the time in its phase"
    out=$(axl jobs --done --count=1)
    like "$out" "create +$H +130 " "jobs --done: the table's line"
    like "$out" "^ +cancelled by axl abort" "  and who cancelled it"
else
    fail "$t: the create hangs in its hotplug script" "$(cat "$tmp/err")"
    kill -9 "$pid"
fi
clean_domains

# ---- the same by PID.N, keeping the half-built domain ----
t="abort by id, keep"
rm -rf "$M"; mkdir -p "$M"
axl --timings create --on-cancel=keep "$G/hang-hotplug.cfg" >"$tmp/out" \
    2>"$tmp/err" &
pid=$!
if wait_for 60 in_phase hang-hotplug; then
    id=$(dom_id "$H")
    out=$(axl abort "$pid.1" 2>&1); st=$?
    is "$st" 0 "$t: abort exits 0"
    like "$out" "kept, paused" "$t: abort says the domain is kept"
    wait_exit "$pid" 30
    is "$rc" 130 "$t: the owner exits 130"
    like "$(dom_state "$H")" "^..p" "$t: the domain is kept, paused"
    lats+=" $(sed -n 's/.*cancel to ao done \([0-9.]*\) ms.*/\1/p' \
              "$tmp/err")"
    axl destroy "$H" 2>/dev/null
    check_gone "$H" "$id" "$t (after destroy)"
else
    fail "$t: the create hangs in its hotplug script" "$(cat "$tmp/err")"
    kill -9 "$pid"
fi
clean_domains

# ---- --force: the cleanup's destroy hangs too, and is abandoned ----
t="abort --force"
start hang-hotplug
touch "$M/block-hang.remove-hangs"
if wait_for 60 in_phase hang-hotplug; then
    id=$(dom_id "$H")
    out=$(axl abort --force "$H" 2>&1); st=$?
    is "$st" 0 "$t: abort exits 0"
    wait_exit "$pid" 30
    is "$rc" 130 "$t: the owner exits 130"
    like "$(cat "$tmp/err")$out" "abandon|left half-built|may be left" \
        "$t: the cleanup is abandoned, and what is left said"
else
    fail "$t: the create hangs in its hotplug script" "$(cat "$tmp/err")"
    kill -9 "$pid"
fi
rm -f "$M/block-hang.remove-hangs"
kill -9 $(fixture_procs) 2>/dev/null
clean_domains

# ---- wait: the operation's status; 124 when its time runs out ----
t="wait"
rm -rf "$M"; mkdir -p "$M"
axl --timings create "$G/hang-hotplug.cfg" >"$tmp/out" 2>"$tmp/err" &
pid=$!
if wait_for 60 in_phase hang-hotplug; then
    axl wait --timeout=1s "$H" 2>"$tmp/w1"; st=$?
    is "$st" 124 "$t --timeout=1s: 124, the operation runs on"
    ok "$t: the create still runs" kill -0 "$pid"
    axl wait "$pid.1" 2>"$tmp/w2" &
    wpid=$!
    sleep 0.5
    axl abort "$H" >/dev/null 2>&1
    wait_exit "$wpid" 30
    is "$rc" 130 "$t: its status is the operation's (130, cancelled)"
    wait_exit "$pid" 30
    lats+=" $(sed -n 's/.*cancel to ao done \([0-9.]*\) ms.*/\1/p' \
              "$tmp/err")"
else
    fail "$t: the create hangs in its hotplug script" "$(cat "$tmp/err")"
    kill -9 "$pid"
fi
clean_domains

# The request reaches the op as fast as a signal: median of the three.
lat=$(printf '%s\n' $lats | median)
diag "abort request to the owner's ao done (ms):$lats; median $lat"
ok "abort to the owner's ao done: median within 50 ms ($lat ms)" \
    awk -v l="${lat:-999}" 'BEGIN { exit !(l != "" && l <= 50) }'

# ---- refusals ----
out=$(axl abort nosuch 2>&1); st=$?
is "$st:$out" "1:axl: abort: no axl operation 'nosuch' runs on this host" \
    "abort of nothing: one line, exit 1"
out=$(axl abort 1.x 2>&1); st=$?
like "$st:$out" "^1:axl: abort: invalid operation '1\\.x'" \
    "abort of a bad id: one line, exit 1"
out=$(axl abort 2>&1); st=$?
like "$st:$out" "^2:axl: abort: name the operation" \
    "abort without a name outside the shell: usage, exit 2"

# ---- a save aborted in the middle of its copy ----
N=r-s
LOG=/var/log/xen/guest-$N.log
sed -e "s/^name = .*/name = \"$N\"/" -e 's/^memory = .*/memory = 96/' \
    -e 's/^extra = .*/extra = "console=hvc0 quiet cryptomgr.notests axl.counter"/' \
    "$G/pv.cfg" >"$tmp/$N.cfg"
# A log of an earlier run in this boot would say the guest runs before it
# does (a save of a guest that has not set up its memory map yet fails).
rm -f "$LOG"
if axl create -q -e "$tmp/$N.cfg" && wait_for 60 grep -q AXL-COUNT "$LOG"
then
    # Held in the middle of its copy (hold_save) until the abort has
    # reached the owner: else a fast copy may end first, and the abort
    # rightly finds nothing to cancel.
    axl save "$N" "$big/s.sav" 2>"$tmp/serr" &
    spid=$!
    if hold_save "$big/s.sav.axl-tmp" 1048576; then
        axl abort "$N" >"$tmp/aout" 2>&1 &
        apid=$!
        wait_for 30 grep -q "cancelling save" "$tmp/serr" ||
            diag "the owner did not say it cancels: $(cat "$tmp/serr")"
        kill -CONT $helper
        wait_exit "$apid" 60
        out=$(cat "$tmp/aout"); st=$rc
        is "$st" 0 "save: abort in the middle of the copy exits 0"
        like "$out" "and runs on|runs on as it was" "save: abort says the guest runs on"
        wait_exit "$spid" 30
        is "$rc" 130 "save: the owner exits 130"
        ok "save: no file" test ! -e "$big/s.sav"
        ok "save: no temporary file" test ! -e "$big/s.sav.axl-tmp"
        like "$(dom_state "$N")" "^[rb-][rb-]-" "save: the guest runs"
        axl jobs --done --count=1 --json | json_flat >"$tmp/d.flat"
        ok "jobs --done: the save's stream had carried bytes" \
            test "$(json_get "$tmp/d.flat" '[0].bytes')" -gt 1048576
    else
        fail "save: the save is copying memory" "$(cat "$tmp/serr")"
        kill -9 "$spid"
    fi
    axl destroy "$N" 2>/dev/null
else
    fail "save: the guest runs"
fi
rm -f "$big"/s.sav*

# ---- three operations in two processes; a shell's job aborted while
# its other job finishes ----
t="shell"
rm -rf "$M"; mkdir -p "$M"
mkfifo "$tmp/cmds"
# --keep-going: the cancelled jobs must not stop the batch.
axl --keep-going -f "$tmp/cmds" >"$tmp/sout" 2>"$tmp/serr" &
shpid=$!
exec 7>"$tmp/cmds"
echo "create $G/hang-hotplug.cfg &" >&7
echo "create $G/hang-bootloader.cfg &" >&7
axl create "$G/hang-hotplug.cfg" 'name="r-h2"' >"$tmp/o3" 2>&1 &
third=$!
B=$(cfg_name "$G/hang-bootloader.cfg")
# running PIDS: how many operations jobs --all lists as running, and
# from how many processes.
running_in() {
    axl jobs --all | awk '/ running / { n++; split($1, p, "."); \
        if (!(p[1] in seen)) { seen[p[1]] = 1; k++ } } \
        END { print n + 0, k + 0 }'
}
if wait_for 60 eval '[ "$(running_in)" = "3 2" ]'; then
    pass "jobs --all: three operations running in two processes"
    out=$(axl abort r-h2 2>&1); st=$?
    is "$st" 0 "abort of the one-shot's create exits 0"
    wait_exit "$third" 30
    is "$rc" 130 "  the one-shot exits 130"
    out=$(axl abort "$shpid.2" 2>&1); st=$?
    is "$st" 0 "$t: abort of its job 2 (bootloader) exits 0"
    P=$(cfg_name "$G/pv.cfg")
    echo "create -p $G/pv.cfg &" >&7
    out=$(axl abort "$shpid.1" 2>&1); st=$?
    is "$st" 0 "$t: abort of its job 1 while job 3 runs exits 0"
    ok "$t: job 3 finishes: its domain is made" wait_for 60 dom_exists "$P"
    ok "$t: the shell runs on" kill -0 "$shpid"
    echo "wait" >&7
    echo "destroy $P" >&7
    exec 7>&-
    wait_exit "$shpid" 60
    is "$rc" 130 "$t: the batch's status is its first failure's (130)"
    like "$(cat "$tmp/serr")" "cancel asked by another axl process" \
        "$t: the shell says its jobs were cancelled from elsewhere"
    ok "$t: the hanging creates left nothing" \
        eval "! dom_exists $H && ! dom_exists $B && ! dom_exists r-h2"
else
    fail "jobs --all: three operations running in two processes" \
        "$(axl jobs --all 2>&1; cat "$tmp/serr" "$tmp/o3")"
    exec 7>&-
    kill -9 "$shpid" "$third" 2>/dev/null
fi
kill -9 $(fixture_procs) 2>/dev/null
clean_domains

# ---- await: a domain's state, for scripts ----
A=r-aw
sed -e "s/^name = .*/name = \"$A\"/" "$G/pv.cfg" >"$tmp/$A.cfg"
axl await --until=gone "$A"
is "$?" 0 "await --until=gone of no such domain: 0 at once"
axl create -q -p "$tmp/$A.cfg"
axl await --until=running --timeout=1s "$A" 2>"$tmp/aw"; st=$?
is "$st" 124 "await --until=running of a paused domain: 124 on --timeout"
like "$(cat "$tmp/aw")" "is not running after 1000 ms" "  and says so"
axl unpause "$A"
ok "await --until=running once it runs" \
    axl await --until=running --timeout=10s "$A"
(sleep 0.5; xl destroy "$A") &
ok "await --until=gone once xl destroys it" \
    axl await --until=gone --timeout=30s "$A"
wait
out=$(axl await --until=soon "$A" 2>&1); st=$?
is "$st:$out" "2:axl: await: invalid value 'soon' for --until (gone, \
running or shutdown)" "await of a bad state: one line, exit 2"
clean_domains

# ---- event: a guest xl makes, pauses and destroys; axl's operations ----
E=r-ev
sed -e "s/^name = .*/name = \"$E\"/" "$G/pv.cfg" >"$tmp/$E.cfg"
axl event --json >"$tmp/ev" 2>"$tmp/everr" &
evpid=$!
sleep 1.5
xl create -p "$tmp/$E.cfg" >/dev/null 2>&1
sleep 1
xl unpause "$E"; sleep 1
xl pause "$E"; sleep 1
xl destroy "$E"; sleep 1
rm -rf "$M"; mkdir -p "$M"
axl create "$G/hang-hotplug.cfg" >"$tmp/out" 2>"$tmp/err" &
pid=$!
if wait_for 60 in_phase hang-hotplug; then
    sleep 1.5       # event looks for new axl processes once a second
    axl abort "$H" >/dev/null 2>&1
    wait_exit "$pid" 30
else
    fail "event: the create hangs" "$(cat "$tmp/err")"
    kill -9 "$pid"
fi
sleep 1
kill -INT "$evpid" ||
    diag "axl event had ended by itself: $(tail -5 "$tmp/everr")"
wait "$evpid" 2>/dev/null
ok "event --json: every line is one JSON object" eval \
    '( while IFS= read -r l; do printf "%s" "$l" | json_flat >/dev/null ||
     exit 1; done <"$tmp/ev" )'
evs() {
    grep "\"domain\":\"$1\"" "$tmp/ev" | grep "\"kind\":\"$2\"" |
        sed 's/.*"event":"\([^"]*\)".*/\1/' | tr '\n' ' '
}
is "$(evs "$E" domain | sed 's/device [a-z]* //g')" \
    "created unpaused paused destroyed " \
    "event: xl's guest created, unpaused, paused, destroyed, in order"
like "$(evs "$E" domain)" "^created device added .*device removed " \
    "event: its devices added after it was created, removed before the end"
like "$(evs "$H" operation)" "^start .*cancel (phase )*end $" \
    "event: axl's create started, went through its phases, cancelled, ended"
like "$(grep '"event":"cancel"' "$tmp/ev")" "axl abort \\(pid [0-9]+\\)" \
    "event: who cancelled it"
like "$(grep "\"domain\":\"$H\"" "$tmp/ev" | grep '"event":"end"')" \
    '"detail":"status 130: ' "event: how it ended"
kill -9 $(fixture_procs) 2>/dev/null
clean_domains

# ---- a socket a SIGKILLed process left ----
start hang-hotplug
if wait_for 60 in_phase hang-hotplug; then
    kill -9 "$pid"
    wait "$pid" 2>/dev/null
    ok "SIGKILL leaves the socket" test -S "$J/ctl-$pid"
    out=$(axl jobs --all 2>&1); st=$?
    is "$st:$out" "0:" "jobs --all: a dead process's operation is not listed"
    ok "jobs --all removes the dead process's socket" test ! -e "$J/ctl-$pid"
    axl cleanup >/dev/null 2>&1
else
    fail "SIGKILL: the create hangs" "$(cat "$tmp/err")"
    kill -9 "$pid"
fi
kill -9 $(fixture_procs) 2>/dev/null
clean_domains
done_testing
