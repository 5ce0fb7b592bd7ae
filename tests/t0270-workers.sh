#!/bin/bash
# Creates built in worker processes (--workers, core/op_worker.c): the
# worker is axl forked, leads a session of its own and is the parent of
# libxl's children; a build past --workers waits its turn, and a cancel
# of a waiting one ends it with nothing built while the others go on; a
# cancel that reaches a worker before its build has begun stops it; a
# worker that dies is said, and what it made and started is removed;
# --workers=0 builds in axl's own process; separate axl processes share
# the host's build slots (one per CPU), and a create waiting for one is
# said, and cancelled at once.  (A bad --workers is a host test:
# tests/host/t0020-options.sh.)
cd "$(dirname "$0")/.." || exit 1
. tests/lib/tap.sh
. tests/lib/xen.sh

G=tests/guests
M=/run/axl-fixture
tmp=$(mktemp -d)
# A failure must not leave its guests to the next case, or to the next
# file (run-lab counts a domain left as a failure of its own).
# A worker stopped at its testpoint holds one of the host's build slots
# and leads a session of its own: it is killed here, or every later
# create on the host would wait for its slot.
hwks=() wk=
trap 'for p in "${hwks[@]}" $wk; do
          stopped "$p" && kill -KILL "$p"
      done
      for d in w1 w2 w3 g-hang-hotplug $(xl list | awk "/^h[0-9]/ { print \$1 }")
      do xl destroy "$d" >/dev/null 2>&1; done
      rm -rf "$tmp"' EXIT

# ppid_of, sid_of PID: from /proc (the fields after the
# command's name, which may hold spaces).
# stat_field PID N: field N of /proc/PID/stat after "(comm)" (1: state).
stat_field() { stat_of "$1" && echo "${st[$2 - 1]}"; }
ppid_of() { stat_field "$1" 2; }
sid_of() { stat_field "$1" 4; }
# stopped_child PID: a child of PID's that is stopped (its worker at a
# testpoint); false if none.
stopped_child() {
    local c
    for c in $(children_of "$1"); do
        if stopped "$c"; then
            echo "$c"
            return 0
        fi
    done
    return 1
}
# start_stopped: axl create -p of w1 in the background ($pid), its
# worker stopped at its testpoint before the build ($wk, if it did).
start_stopped() {
    AXL_TEST_STOP=worker-build axl create -p "$tmp/w1.cfg" \
        >"$tmp/out" 2>"$tmp/err" &
    pid=$!
    wk=
    wait_for 30 eval 'wk=$(stopped_child "$pid")'
}
# in_hotplug [AXL-OPTION...]: axl create of the hanging hotplug fixture
# in the background ($pid), until its script runs: $hp the script, $wk
# its parent (the worker, or axl itself with --workers=0).  False if the
# script never ran.
in_hotplug() {
    rm -rf "$M"
    mkdir -p "$M"
    axl "$@" create "$G/hang-hotplug.cfg" >"$tmp/out" 2>"$tmp/err" &
    pid=$!
    wait_for 60 eval '[ -s "$M/block-hang.pid" ]' || return 1
    hp=$(cat "$M/block-hang.pid" 2>/dev/null)
    wk=$(ppid_of "$hp")
}
guest() {       # NAME: a paused-able PV guest of that name, in $tmp
    sed "s/^name = .*/name = \"$1\"/" "$G/pv.cfg" > "$tmp/$1.cfg"
}

# ---- 1. the shape: a create waiting on its hotplug script ----
if in_hotplug; then
    pass "shape: the create reaches its hotplug script"
else
    fail "shape: the create reaches its hotplug script" "$(cat "$tmp/err")"
fi
is "$(ppid_of "$wk")" "$pid" \
    "shape: the script's parent is a child of axl's (its worker)"
is "$(sid_of "$wk")" "$wk" "shape: the worker leads a session of its own"
is "$(tr '\0' ' ' < "/proc/$wk/cmdline")" \
    "$(tr '\0' ' ' < "/proc/$pid/cmdline")" \
    "shape: the worker is axl forked, not another program"
like "$(axl jobs 2>&1)" "hotplug script block-hang add for xvda \\(pid $hp\\)" \
    "shape: axl jobs names the worker's child"
kill -INT "$pid"
wait_exit "$pid" 30
is "$rc" 130 "shape: SIGINT: exit 130"
like "$(cat "$tmp/err")" "create of 'g-hang-hotplug' cancelled during hotplug script block-hang add for xvda .*nothing is left" \
    "shape: the cancel is said with its phase"
ok "shape: the worker is gone" eval '! [ -d "/proc/$wk" ]'
ok "shape: no domain left" eval '! dom_exists g-hang-hotplug'
ok "shape: no fixture process left" wait_for 10 eval '[ -z "$(fixture_procs)" ]'

# ---- 2. a build waits its turn; a cancel of it ends it with nothing ----
guest w1
guest w2
printf 'create -p %s &\ncreate -p %s &\n' "$tmp/w1.cfg" "$tmp/w2.cfg" \
    > "$tmp/batch"
AXL_TEST_STOP=worker-build axl --workers=1 -f "$tmp/batch" \
    >"$tmp/out" 2>"$tmp/err" &
pid=$!
wk=
wait_for 30 eval 'wk=$(stopped_child "$pid")'
ok "queue: the first build's worker stops at its testpoint" \
    eval '[ -n "$wk" ]'
jobs_out=
wait_for 10 eval 'jobs_out=$(axl jobs 2>&1); [[ $jobs_out == *"waiting to build"* ]]'
like "$jobs_out" "waiting to build \\(1 building, 0 ahead\\)" \
    "queue: the second create waits its turn, and says so"
job=$(axl jobs 2>/dev/null | awk '$3 == "w2" { print $1 }')
axl abort "$job" >"$tmp/abort" 2>&1
is "$?" 0 "queue: axl abort of the waiting create exits 0"
wait_for 10 eval '! axl jobs 2>/dev/null | grep -q " w2 "'
ok "queue: the waiting create has ended" eval '! axl jobs 2>/dev/null | grep -q " w2 "'
kill -CONT "$wk"
wait_exit "$pid" 60
like "$(cat "$tmp/err")" "create of 'w2' cancelled.*no domain is left" \
    "queue: the cancelled create says nothing was built"
like "$(cat "$tmp/err")" "\\[1\\] done: create -p .*w1.cfg \\(status 0\\)" \
    "queue: the first create is done (status 0)"
like "$(dom_state w1)" "^--p" "queue: w1 is there, paused"
ok "queue: w2 was never made" eval '! dom_exists w2'
xl destroy w1 >/dev/null 2>&1

# ---- 3. a cancel that reaches the worker in its build ----
# A worker inside libxl's initiating call hears no cancel until the build
# is done: axl ends it there (here it is stopped, as deaf), and finds
# what it made.  axl ends without the worker going on.
start_stopped
ok "early cancel: the worker stops before its build" eval '[ -n "$wk" ]'
kill -INT "$pid"
ok "early cancel: axl takes the cancel while the worker is stopped" \
    wait_for 10 eval 'grep -q "cancelling create" "$tmp/err"'
wait_exit "$pid" 10
is "$rc" 130 "early cancel: exit 130, the stopped worker ended by axl"
like "$(cat "$tmp/err")" "create of 'w1' cancelled.*; no domain is left" \
    "early cancel: nothing was built, and it is said"
unlike "$(cat "$tmp/err")" "destroy" "early cancel: nothing to destroy"
ok "early cancel: no domain w1" eval '! dom_exists w1'
ok "early cancel: the worker is gone" eval '! [ -d "/proc/$wk" ]'

# ---- 3b. a cancel in the middle of libxl's build ----
# A 512 MiB guest: libxl names the domain, then builds it (its memory,
# its kernel) for a second or more, all inside its initiating call.  A
# SIGINT once the domain has its name: the worker is ended at once, and
# the domain it was building is destroyed.
sed -e 's/^name = .*/name = "wb"/' -e 's/^memory = .*/memory = 512/' \
    "$G/pv.cfg" > "$tmp/wb.cfg"
axl --timings create -p "$tmp/wb.cfg" >"$tmp/out" 2>"$tmp/err" &
pid=$!
if wait_for 30 dom_exists wb; then
    kill -INT "$pid"
    wait_exit "$pid" 30
    is "$rc" 130 "in the build: SIGINT: exit 130"
    like "$(cat "$tmp/err")" "create of 'wb' cancelled.*; domain [0-9]+ .*destroyed; nothing is left|create of 'wb' cancelled.*; nothing is left" \
        "in the build: cancelled, and what is left is said"
    ok "in the build: no domain wb" eval '! dom_exists wb'
    ms=$(sed -n "s/.*timing: create of 'wb': .*cancel to ao done \([0-9.]*\) ms.*/\1/p" "$tmp/err")
    diag "in the build: cancel to ao done $ms ms"
    ok "in the build: the cancel took effect within 1 s ($ms ms)" \
        eval '[ -n "$ms" ] && [ "${ms%.*}" -lt 1000 ]'
else
    fail "in the build: the domain is named" "$(cat "$tmp/err")"
    wait_exit "$pid" 60
fi
xl destroy wb >/dev/null 2>&1

# ---- 3c. the same with --on-cancel=keep ----
# Ended midway, the domain would be kept half-written (before xenstore
# names it, or with its memory half loaded): the build is let finish, and
# libxl's abort after it keeps a whole domain, named, paused, in xenstore.
for at in named; do
    axl --timings create -p --on-cancel=keep "$tmp/wb.cfg" >"$tmp/out" 2>"$tmp/err" &
    pid=$!
    wait_for 30 dom_exists wb
    kill -TERM "$pid"
    wait_exit "$pid" 60
    is "$rc" 143 "keep, in the build ($at): SIGTERM: exit 143"
    if grep -q "nothing was built\|nothing is left" "$tmp/err"; then
        # The signal came before the build began: nothing to keep.
        ok "keep, in the build ($at): nothing was built, and none is left" \
            eval '! dom_exists wb'
    else
        like "$(cat "$tmp/err")" "create of 'wb' cancelled.*; domain [0-9]+ \\('wb'\\) kept, paused" \
            "keep, in the build ($at): the domain is said to be kept"
        like "$(dom_state wb)" "^..p" "keep, in the build ($at): it is, paused, by its name"
        id=$(dom_id wb)
        ok "keep, in the build ($at): its xenstore directory is whole (name, memory target)" \
            eval '[ "$(xenstore-read "/local/domain/$id/name" 2>/dev/null)" = wb ] &&
                  xenstore-exists "/local/domain/$id/memory/target"'
    fi
    xl destroy wb >/dev/null 2>&1
done

# ---- 4. a worker that dies ----
start_stopped
ok "dead worker: the worker stops before its build" eval '[ -n "$wk" ]'
kill -KILL "$wk"
wait_exit "$pid" 30
is "$rc" 1 "dead worker: exit 1"
like "$(cat "$tmp/err")" "axl: cannot create domain 'w1': the process building it died of signal 9" \
    "dead worker: its death is the cause said"
like "$(cat "$tmp/err")" "create of 'w1' failed; no domain is left" \
    "dead worker: what is left is said"
ok "dead worker: no domain w1" eval '! dom_exists w1'

# ---- 5. a worker that dies in the middle: what it made goes too ----
in_hotplug
id=$(dom_id g-hang-hotplug)
is "$(ppid_of "$wk")" "$pid" "dead in hotplug: the script's worker found"
kill -KILL "$wk"
wait_exit "$pid" 60
is "$rc" 1 "dead in hotplug: exit 1"
like "$(cat "$tmp/err")" "cannot create domain 'g-hang-hotplug': the process building it died of signal 9" \
    "dead in hotplug: its death is the cause said"
like "$(cat "$tmp/err")" "create of 'g-hang-hotplug' failed; domain $id .* destroyed; nothing is left" \
    "dead in hotplug: the half-built domain is destroyed, and it is said"
ok "dead in hotplug: no domain left" eval '! dom_exists g-hang-hotplug'
ok "dead in hotplug: no /local/domain/$id" eval '! xs_has_domain "$id"'
ok "dead in hotplug: its hotplug script is ended" \
    wait_for 10 eval '[ -z "$(fixture_procs)" ]'

# ---- 6. --workers=0: the build in axl's own process ----
in_hotplug --workers=0
is "$(ppid_of "$hp")" "$pid" "--workers=0: the script's parent is axl"
kill -INT "$pid"
wait_exit "$pid" 30
is "$rc" 130 "--workers=0: SIGINT: exit 130"
ok "--workers=0: no domain left" eval '! dom_exists g-hang-hotplug'
ok "--workers=0: no fixture process left" \
    wait_for 10 eval '[ -z "$(fixture_procs)" ]'

# ---- 7. the host's build slots, shared by separate axl processes ----
# Every slot held by a create stopped at its testpoint (in processes of
# their own), a create in another process waits, says so, and a SIGINT
# ends it at once with nothing built; --workers=N does not wait; once
# the holders go on, a waiting create gets its slot and is made.
ncpu=$(awk -F, '{ for (i = 1; i <= NF; i++) { split($i, r, "-");
                  n += r[2] == "" ? 1 : r[2] - r[1] + 1 } } END { print n }' \
          /sys/devices/system/cpu/online)
hpids=() hwks=()
for i in $(seq 1 "$ncpu"); do
    guest "h$i"
    AXL_TEST_STOP=worker-build axl create -p "$tmp/h$i.cfg" \
        >"$tmp/h$i.out" 2>"$tmp/h$i.err" &
    hpids+=($!)
    hw=
    wait_for 30 eval 'hw=$(stopped_child "${hpids[-1]}")'
    hwks+=("$hw")
done
held=0
for hw in "${hwks[@]}"; do [ -n "$hw" ] && held=$((held + 1)); done
is "$held" "$ncpu" \
    "host slots: $ncpu creates hold every slot, stopped at their testpoint"
guest w2
axl create -p "$tmp/w2.cfg" >"$tmp/out" 2>"$tmp/err" &
pid=$!
jobs_out=
wait_for 20 eval 'jobs_out=$(axl jobs 2>&1)
                 [[ $jobs_out == *"build slots are busy"* ]]'
# The job's line, then its phase's.
like "$(printf '%s\n' "$jobs_out" | grep -A1 " w2 " | tail -1)" \
    "^ +waiting to build \\(all $ncpu of the host's build slots are busy\\)$" \
    "host slots: a create in another axl waits for a slot, and says so"
t0=$(now_us)
kill -INT "$pid"
wait_exit "$pid" 10
ms=$(( ($(now_us) - t0) / 1000 ))
is "$rc" 130 "host slots: SIGINT while waiting for a slot: exit 130"
ok "host slots: the waiting create ended within 1 s of SIGINT ($ms ms)" \
    eval '[ "$ms" -lt 1000 ]'
like "$(cat "$tmp/err")" "create of 'w2' cancelled.*no domain is left" \
    "host slots: the cancelled create says nothing was built"
ok "host slots: w2 was never made" eval '! dom_exists w2'
# --workers=N is N builds at once, whatever other axl processes do.
guest w3
axl --workers=1 create -p "$tmp/w3.cfg" >"$tmp/out3" 2>"$tmp/err3" &
p3=$!
wait_exit "$p3" 60
is "$rc" 0 "host slots: --workers=1 builds without a host slot (exit 0)"
like "$(dom_state w3)" "^--p" "host slots: w3 is made, paused"
# axl killed while its worker waits for a slot: the kernel's word (its
# parent-death signal) ends the worker at once, with nothing built.
guest w4
axl create -p "$tmp/w4.cfg" >"$tmp/out4" 2>"$tmp/err4" &
p4=$!
ok "host slots: a create to be killed waits for a slot" \
    wait_for 20 eval 'axl jobs 2>&1 | grep -A1 " w4 " | grep -q "build slots"'
w4k=$(children_of "$p4" | head -1)
w4s=$(stat_field "$w4k" 20)     # its start time: not a pid used again
t0=$(now_us)
kill -9 "$p4"
wait "$p4" 2>/dev/null
w4_gone() { [ "$(stat_field "$w4k" 20)" != "$w4s" ]; }
wait_for 10 w4_gone
ms=$(( ($(now_us) - t0) / 1000 ))
ok "host slots: axl killed, its waiting worker is gone ($ms ms)" w4_gone
ok "host slots: within 1 s, not at a look a minute later" \
    eval '[ -n "$w4s" ] && [ "$ms" -lt 1000 ]'
ok "host slots: w4 was never made" eval '! dom_exists w4'
axl cleanup >/dev/null 2>&1
axl create -p "$tmp/w2.cfg" >"$tmp/out" 2>"$tmp/err" &
pid=$!
ok "host slots: a second create waits for a slot" \
    wait_for 20 eval 'axl jobs 2>&1 | grep -A1 " w2 " | grep -q "build slots"'
for hw in "${hwks[@]}"; do kill -CONT "$hw"; done
wait_exit "$pid" 60
is "$rc" 0 "host slots: once a slot is free, the waiting create is made"
like "$(dom_state w2)" "^--p" "host slots: w2 is made, paused"
n=0
for p in "${hpids[@]}"; do
    wait_exit "$p" 60
    [ "$rc" = 0 ] && n=$((n + 1))
done
is "$n" "$ncpu" "host slots: the holders are made too"
for d in w2 w3; do xl destroy "$d" >/dev/null 2>&1; done
for i in $(seq 1 "$ncpu"); do xl destroy "h$i" >/dev/null 2>&1; done
hwks=()

# ---- 8. axl killed: its worker cancels its build at once ----
# (its cancel pipe's end, not a look now and then), and what is left is
# axl cleanup's.
in_hotplug
is "$(ppid_of "$wk")" "$pid" "axl killed: the script's worker found"
t0=$(now_us)
kill -9 "$pid"
wait "$pid" 2>/dev/null
wait_for 30 eval '! [ -d "/proc/$wk" ]'
ms=$(( ($(now_us) - t0) / 1000 ))
ok "axl killed: the worker has cancelled its build and gone ($ms ms)" \
    eval '! [ -d "/proc/$wk" ]'
ok "axl killed: within 3 s, not at a look a minute later" \
    eval '[ "$ms" -lt 3000 ]'
ok "axl killed: its hotplug script is ended" \
    wait_for 10 eval '[ -z "$(fixture_procs)" ]'
axl cleanup >"$tmp/out" 2>"$tmp/cerr"
is "$?" 0 "axl killed: axl cleanup exits 0"
ok "axl killed: no domain left" eval '! dom_exists g-hang-hotplug'
wk=

rm -rf "$M"
done_testing
