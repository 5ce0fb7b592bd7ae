#!/bin/bash
# Cancelling axl create in every slow phase a real create can hang in:
# SIGINT, SIGTERM and --timeout, with --on-cancel=destroy and keep; a
# second SIGINT during the cleanup; the terminal's SIGINT to the whole
# foreground group; a cancel after the create finished.
#
# Fixtures (tests/guests, tests/fixtures) each write
# /run/axl-fixture/<fixture>.pid once creation has reached their phase.
cd "$(dirname "$0")/.." || exit 1
. tests/lib/tap.sh
. tests/lib/xen.sh

G=tests/guests
M=/run/axl-fixture
tmp=$(mktemp -d)
FIXTURES="hang-hotplug hang-bootloader hang-backend"

# phase_marker FIXTURE: the file that says creation reached the phase.
phase_marker() {
    case $1 in
    hang-hotplug) echo "$M/block-hang.pid" ;;
    hang-bootloader) echo "$M/bootloader-hang.pid" ;;
    hang-backend) echo "$M/hang-backend.phase" ;;
    esac
}

# in_phase FIXTURE: true once creation is in the fixture's slow phase.
in_phase() {
    local f
    f=$(phase_marker "$1")
    if [ "$1" = hang-backend ]; then
        # libxl is waiting for a backend that never connects: the domain
        # exists and its vtpm backend sits in state 1 (Initialising).
        local id
        id=$(dom_id "$(cfg_name "$G/$1.cfg")") || return 1
        [ "$(xenstore-read "/local/domain/0/backend/vtpm/$id/0/state" \
            2>/dev/null)" = 1 ]
        return
    fi
    [ -s "$f" ]
}

fixture_procs() {
    pgrep -f 'block-hang|bootloader-hang' 2>/dev/null
}

# start FIXTURE ARGS...: start axl create in the background; sets $pid.
start() {
    local fx=$1
    shift
    rm -rf "$M"
    mkdir -p "$M"
    axl create "$@" "$G/$fx.cfg" >"$tmp/out" 2>"$tmp/err" &
    pid=$!
}

# check_gone NAME ID TITLE: no domain, no xenstore dir, no fixture process.
check_gone() {
    ok "$3: no domain left" eval "! dom_exists $1"
    if [ -n "$2" ]; then
        ok "$3: no /local/domain/$2 in xenstore" eval "! xs_has_domain $2"
    else
        pass "$3: no domain id was allocated"
    fi
    ok "$3: no fixture process left" wait_for 10 eval '[ -z "$(fixture_procs)" ]'
}

# scenario FIXTURE SIGNAL POLICY STATUS
scenario() {
    local fx=$1 sig=$2 policy=$3 want=$4 name id t="$1 $2 $3"
    name=$(cfg_name "$G/$fx.cfg")
    # The timeout must fall inside the slow phase: libxl itself gives up
    # waiting for a backend after 10 s, the other fixtures hang longer.
    local secs=8
    [ "$fx" = hang-backend ] && secs=7
    if [ "$sig" = timeout ]; then
        start "$fx" --on-cancel="$policy" --timeout=${secs}s
    else
        start "$fx" --on-cancel="$policy"
    fi
    if ! wait_for 60 in_phase "$fx"; then
        fail "$t: create reaches its slow phase" "$(cat "$tmp/err")"
        kill -9 "$pid" 2>/dev/null
        clean_domains
        return
    fi
    pass "$t: create reaches its slow phase"
    id=$(dom_id "$name")
    [ "$sig" = timeout ] || kill -"$sig" "$pid"
    wait_exit "$pid" 90
    is "$rc" "$want" "$t: exit status $want"
    err=$(cat "$tmp/err")
    if [ "$sig" = timeout ]; then
        like "$err" "^axl: create of '$name' timed out after $secs s" \
            "$t: says it timed out"
    fi
    like "$err" "^axl: cancelling create of (domain [0-9]+ \\()?'$name'" \
        "$t: says at once what it cancels"
    if [ "$policy" = destroy ]; then
        like "$(tail -1 "$tmp/err")" \
            "(destroyed; nothing is left|no domain is left)$" \
            "$t: last line says nothing is left"
        check_gone "$name" "$id" "$t"
    elif [ "$fx" = hang-bootloader ]; then
        # libxl 4.17 turns an abort in the bootloader phase into a failure
        # (domcreate_rebuild_done) and destroys the domain itself; axl must
        # say so rather than claim it kept anything.
        like "$err" "could not be honoured" \
            "$t: says libxl destroyed it and keep could not be honoured"
        like "$(tail -1 "$tmp/err")" "no domain is left$" \
            "$t: last line says nothing is left"
        check_gone "$name" "$id" "$t"
    else
        like "$err" "kept, paused" "$t: says the domain is kept"
        like "$err" "axl destroy $id" "$t: tells how to remove it"
        ok "$t: domain still exists" dom_exists "$name"
        like "$(dom_state "$name")" "^..p" "$t: and is paused"
        axl destroy "$name" 2>"$tmp/err2"
        is "$?" 0 "$t: axl destroy removes the kept domain"
        check_gone "$name" "$id" "$t (after destroy)"
    fi
    clean_domains
}

for fx in $FIXTURES; do
    scenario "$fx" INT destroy 130
    scenario "$fx" INT keep 130
    scenario "$fx" TERM destroy 143
    scenario "$fx" timeout destroy 124
done
scenario hang-hotplug TERM keep 143
scenario hang-hotplug timeout keep 124

# --- a second SIGINT while the destroy cleanup runs ---
# The hotplug fixture's "remove" also hangs when asked, so the cleanup
# destroy is caught in flight.
t="second SIGINT during cleanup"
name=$(cfg_name "$G/hang-hotplug.cfg")
start hang-hotplug
touch "$M/block-hang.remove-hangs"
if wait_for 60 in_phase hang-hotplug; then
    id=$(dom_id "$name")
    kill -INT "$pid"
    if wait_for 30 test -s "$M/block-hang.remove.pid"; then
        pass "$t: cleanup destroy is running"
        kill -INT "$pid"
        wait_exit "$pid" 60
        is "$rc" 130 "$t: exit 130"
        err=$(cat "$tmp/err")
        like "$err" "cancelling the destroy of domain $id" \
            "$t: says it abandons the cleanup"
        last=$(tail -1 "$tmp/err")
        if dom_exists "$name"; then
            like "$last" "domain $id \\('$name'\\) is left" \
                "$t: last line names the domain left behind"
        else
            like "$last" "no domain is left|nothing is left" \
                "$t: last line says nothing is left"
        fi
    else
        fail "$t: cleanup destroy is running" "$(cat "$tmp/err")"
        kill -9 "$pid"
    fi
else
    fail "$t: create reaches the hotplug phase" "$(cat "$tmp/err")"
    kill -9 "$pid"
fi
rm -f "$M/block-hang.remove-hangs"
clean_domains
ok "$t: cleaned up afterwards" eval "! dom_exists $name"

# --- the terminal's Ctrl-C: SIGINT to the whole foreground group ---
# With job control each background job has its own process group, as a
# terminal's foreground job does.  The hotplug script records a SIGINT.
t="terminal SIGINT to the process group"
set -m
start hang-hotplug
set +m
name=$(cfg_name "$G/hang-hotplug.cfg")
if wait_for 60 in_phase hang-hotplug; then
    id=$(dom_id "$name")
    kill -INT -- "-$pid"
    wait_exit "$pid" 60
    is "$rc" 130 "$t: axl exits 130"
    ok "$t: the hotplug script never saw SIGINT" \
        test ! -e "$M/block-hang.sigint"
    check_gone "$name" "$id" "$t"
else
    fail "$t: create reaches the hotplug phase" "$(cat "$tmp/err")"
    kill -9 "$pid"
fi
clean_domains

# --- a cancel that comes too late changes nothing ---
# In batch mode axl keeps reading commands; SIGINT after the create has
# finished finds nothing to cancel, and the domain stays.
t="SIGINT after the create finished"
name=$(cfg_name "$G/pv.cfg")
mkfifo "$tmp/cmds"
axl <"$tmp/cmds" >"$tmp/out" 2>"$tmp/err" &
pid=$!
exec 7>"$tmp/cmds"
echo "create $G/pv.cfg" >&7
if wait_for 30 dom_exists "$name" && wait_for 10 eval \
    '[ "$(dom_state "$name" | cut -c3)" = - ]'; then
    sleep 0.5
    kill -INT "$pid"
    sleep 0.5
    echo "list $name" >&7
    exec 7>&-
    wait_exit "$pid" 30
    is "$rc" 0 "$t: exit status is the operation's (0)"
    like "$(cat "$tmp/err")" "nothing is running to cancel" \
        "$t: says there was nothing to cancel"
    ok "$t: the domain is still there" dom_exists "$name"
else
    exec 7>&-
    fail "$t: create finished" "$(cat "$tmp/err")"
    kill -9 "$pid"
fi
clean_domains

rm -rf "$tmp" "$M"
done_testing
