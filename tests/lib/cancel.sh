# cancel.sh: shared scenarios for the cancellation tests (t02NN-*.sh).
# Source after tap.sh and xen.sh, from the repository's top directory.
#
# Fixtures (tests/guests, tests/fixtures) each mark when creation has
# reached their slow phase; in_phase knows how to tell.

G=tests/guests
tmp=$(mktemp -d)

# phase_marker FIXTURE: the file that says creation reached the phase.
phase_marker() {
    case $1 in
    hang-hotplug) echo "$M/block-hang.pid" ;;
    hang-bootloader) echo "$M/bootloader-hang.pid" ;;
    hang-dm) echo "$M/dm-hang.pid" ;;
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
    if [ "$1" = hang-pygrub ]; then
        # The real pygrub runs for the domain (and waits at its menu).
        [ -n "$(procs_matching 'bin/pygrub .*/lab/pygrub.img')" ]
        return
    fi
    [ -s "$f" ]
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
# Without an ID (none was seen while the create ran) nothing but Domain-0
# may exist at all: the tests run one at a time.
check_gone() {
    ok "$3: no domain left" eval "! dom_exists $1"
    if [ -n "$2" ]; then
        ok "$3: no /local/domain/$2 in xenstore" eval "! xs_has_domain $2"
        ok "$3: no /local/domain/0/device-model/$2 in xenstore" \
            eval "! xenstore-exists /local/domain/0/device-model/$2 2>/dev/null"
    else
        is "$(xs_domids | tr '\n' ' ')/ $(dom_names | tr '\n' ' ')" \
            "0 / Domain-0 " \
            "$3: no domain id seen; xenstore and xl list have only Domain-0"
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
    elif [ "$fx" = hang-bootloader ] || [ "$fx" = hang-pygrub ]; then
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


# signal_in_cleanup SIGNAL STATUS TITLE: a create in the hotplug phase
# gets SIGINT; while its cleanup destroy hangs (the fixture's "remove"
# hangs too), SIGNAL follows.  Checks the exit STATUS and that the
# cleanup was abandoned; sets $name, $id and leaves axl's stderr in
# $tmp/err for further checks.  Returns 1 if the scenario could not be
# set up (after failing a check).
signal_in_cleanup() {
    local sig=$1 want=$2 t=$3 r=0
    name=$(cfg_name "$G/hang-hotplug.cfg")
    start hang-hotplug
    touch "$M/block-hang.remove-hangs"
    if ! wait_for 60 in_phase hang-hotplug; then
        fail "$t: create reaches the hotplug phase" "$(cat "$tmp/err")"
        kill -9 "$pid"
        r=1
    else
        id=$(dom_id "$name")
        kill -INT "$pid"
        if wait_for 30 test -s "$M/block-hang.remove.pid"; then
            pass "$t: cleanup destroy is running"
            kill -"$sig" "$pid"
            wait_exit "$pid" 60
            is "$rc" "$want" "$t: exit $want"
            like "$(cat "$tmp/err")" "cancelling the destroy of domain $id" \
                "$t: says it abandons the cleanup"
        else
            fail "$t: cleanup destroy is running" "$(cat "$tmp/err")"
            kill -9 "$pid"
            r=1
        fi
    fi
    rm -f "$M/block-hang.remove-hangs"
    return $r
}
