#!/bin/bash
# campaign: cancels at random instants (make campaign; in the lab).
#
#   tests/campaign.sh [N] [SEED]      N cases (default 500), SEED random
#
# OPS="op ..." (or op,op,...) limits the operations drawn from (default: all of them;
# without migrate, no PVH victim is booted).
# MODE=oneshot|job|mixed (default mixed): each case runs its operation
# as a one-shot command, or as a background job of a batch-mode shell
# (`axl -f` with `OP &` and `wait`) that the signal reaches instead.
#
# Each case: a random cancellable operation (create with each slow
# fixture and with none, block-attach and network-attach into a hanging
# hotplug script, save, restore, live migration, shutdown -w, the
# cleanup of what a killed axl left, and a storm: eight creates at once
# in one shell, one of them cancelled), a random delay from zero to past the
# operation's natural end, a random way to stop it (SIGINT, SIGTERM,
# --timeout, two SIGINTs, three SIGINTs, SIGINT to the process group as
# a terminal sends it, SIGKILL followed by `axl cleanup`, `axl abort`
# from another process) and a random
# --on-cancel.  After each case, the invariants: the exit status agrees
# with the signal and with the last message; what axl said is left is
# what is left; no other domain, no stale xenstore directory, no orphan
# process (hotplug scripts, save helpers, migration receivers), no
# temporary file, no journal record, and Domain-0's free memory back
# where it was.
#
# Prints TAP (one check per case), each failure with the command that
# reproduces it, then a table of cases by operation, phase reached and
# stop method, and the signal-to-ao-done distribution by phase.
cd "$(dirname "$0")/.." || exit 1
. tests/lib/tap.sh
. tests/lib/xen.sh

N=${1:-${N:-500}}
SEED=${2:-${SEED:-$(( $(now_us) % 100000 ))}}
RANDOM=$SEED
G=tests/guests
SSH=$PWD/tests/lib/local-ssh
mkdir -p /var/tmp
tmp=$(mktemp -d /var/tmp/campaign.XXXXXX)
trap 'kill -9 $(fixture_procs) 2>/dev/null; clean_domains; rm -rf "$tmp"' EXIT
rows=$tmp/rows       # op phase stop result
lat=$tmp/lat         # phase ms

MODE=${MODE:-mixed}
# shellcheck disable=SC2206
OPS=(${OPS//,/ })
[ ${#OPS[@]} -gt 0 ] || OPS=(create-none create-hotplug create-bootloader create-backend
     create-dm create-pygrub block-attach save restore migrate network-attach
     shutdown-w cleanup storm)
case " ${OPS[*]} " in *" migrate "*) need_pvh=1 ;; *) need_pvh= ;; esac

# The victims: a PV guest to save and attach to, a PVH one to migrate.
PV=c-pv
MAC=00:16:3e:0c:a0:01       # network-attach's vif
PVH=c-pvh
sed -e "s/^name = .*/name = \"$PV\"/" -e 's/^memory = .*/memory = 96/' \
    $G/pv.cfg >"$tmp/$PV.cfg"
sed -e "s/^name = .*/name = \"$PVH\"/" $G/pvh.cfg >"$tmp/$PVH.cfg"
if [ -n "$need_pvh" ]; then
    # One at a time: PVH guests (nested SVM under TCG) boot badly beside
    # another booting guest.
    xl create -q -e "$tmp/$PVH.cfg" || bail "cannot create $PVH"
    wait_for 90 grep -q AXL-GUEST-UP "/var/log/xen/guest-$PVH.log" ||
        bail "$PVH did not boot: $(tail -3 "/var/log/xen/guest-$PVH.log" | tr '\n' ';')"
fi
xl create -q -e "$tmp/$PV.cfg" || bail "cannot create $PV"
wait_for 90 grep -q AXL-GUEST-UP "/var/log/xen/guest-$PV.log" ||
    bail "$PV did not boot"
# A save file for the restore cases (the victim is restored at once).
case " ${OPS[*]} " in
*" restore "*) xl save -c "$PV" "$tmp/r.sav" >/dev/null 2>&1 ||
    bail "cannot save $PV" ;;
esac
truncate -s 16M "$tmp/d.img"
# The restore cases restore the PV victim's save under another name.
sed -e "s/^name = .*/name = \"$PV-r\"/" "$tmp/$PV.cfg" >"$tmp/$PV-r.cfg"
# The storm's eight guests, created paused: SN (1..8) is the one
# cancelled, by `axl abort` of its job or its own --timeout.
# Each has a read-only disk whose hotplug script takes 2 s
# (tests/fixtures/block-slow): a phase for the cancel to meet.
SN_ALL=8
truncate -s 1M "$tmp/st.img"
for k in $(seq $SN_ALL); do
    sed -e "s/^name = .*/name = \"st-$k\"/" -e 's/^memory = .*/memory = 96/' \
        "$tmp/$PV.cfg" >"$tmp/st-$k.cfg"
    echo "disk = [ 'format=raw, vdev=xvda, access=ro, script=/axl/tests/fixtures/block-slow, target=$tmp/st.img' ]" \
        >>"$tmp/st-$k.cfg"
done
free_kb() { xl info | awk '$1 == "free_memory" { print $3 }'; }
base_free=$(free_kb)

STOPS=(INT TERM timeout INT2 INT3 group KILL abort)
PREPS=(create block-attach save)

# natural_ms OP: how long OP takes when left alone (ms), about; a hang
# is given 8 s (its libxl timeout is 40 s, too long to wait for).
natural_ms() {
    case $1 in
    create-none) echo 4500 ;;
    network-attach) echo 8000 ;;
    save) echo 1500 ;;
    restore) echo 3000 ;;
    migrate) echo 5000 ;;
    storm) echo 3000 ;;
    shutdown-w) echo 1800 ;;
    cleanup) echo 1000 ;;
    *) echo 8000 ;;
    esac
}

# J: the journal's records.
J=/run/axl
records() { ls "$J"/*.op 2>/dev/null; }

# killed_prep POLICY: what the cleanup cases clean up.  An axl create,
# block-attach (in a hanging hotplug script) or save (while it writes),
# SIGKILLed; sets prep and name.
killed_prep() {
    local pol=$1 p size
    prep=${PREPS[RANDOM % ${#PREPS[@]}]}
    case $prep in
    create)
        name=$(cfg_name "$G/hang-hotplug.cfg")
        axl create --on-cancel="$pol" "$G/hang-hotplug.cfg" >/dev/null 2>&1 &
        ;;
    block-attach)
        name=$PV
        axl block-attach --on-cancel="$pol" "$PV" \
            "format=raw, vdev=xvdc, access=rw, script=/axl/tests/fixtures/block-hang, target=$tmp/d.img" \
            >/dev/null 2>&1 &
        ;;
    save)
        # A whole save destroys the guest: killed late, the file may be
        # whole and the destroy left to cleanup.
        name=$PV
        axl save "$PV" "$tmp/s.sav" >/dev/null 2>&1 &
        ;;
    esac
    p=$!
    if [ "$prep" = save ]; then
        # Killed while it writes, after 1 to 100 MiB of the file.
        size=$(( (1 + RANDOM % 100) << 20 ))
        wait_for 30 eval '! kill -0 $p 2>/dev/null ||
            [ "$(stat -c %s "$tmp/s.sav.axl-tmp" 2>/dev/null || echo 0)" -gt $size ]'
    else
        # Killed in the hung script, once the journal has seen it.
        wait_for 60 eval '! kill -0 $p 2>/dev/null || test -s "$M/block-hang.pid"' &&
            wait_for 10 eval 'grep -q "^phase=hotplug script" "$J"/*.op 2>/dev/null'
    fi
    kill -9 $p 2>/dev/null
    wait $p 2>/dev/null
}

# start_op OP POLICY TIMEOUT HOW: start the operation (in a process group
# of its own), one-shot or as a shell job (HOW); sets pid and name.
start_op() {
    local op=$1 pol=$2 to=$3 how=$4 targs=() w=()
    [ -n "$to" ] && targs=(--timeout="${to}ms")
    rm -rf "$M"
    mkdir -p "$M"
    case $op in
    create-*)
        local fx=${op#create-}
        [ "$fx" = none ] && cfg=$G/pv.cfg || cfg=$G/hang-$fx.cfg
        name=$(cfg_name "$cfg")
        w=(create "${targs[@]}" --on-cancel="$pol" "$cfg")
        ;;
    block-attach)
        name=$PV
        w=(block-attach "${targs[@]}" --on-cancel="$pol" "$PV"
           "format=raw, vdev=xvdc, access=rw, script=/axl/tests/fixtures/block-hang, target=$tmp/d.img")
        ;;
    network-attach)
        name=$PV
        w=(network-attach "${targs[@]}" --on-cancel="$pol" "$PV"
           "bridge=xenbr0, mac=$MAC, script=/axl/tests/fixtures/block-hang")
        ;;
    save)
        name=$PV
        w=(save -c "${targs[@]}" "$PV" "$tmp/s.sav")
        ;;
    restore)
        name=$PV-r
        w=(restore -e -p "${targs[@]}" --on-cancel="$pol" "$tmp/$PV-r.cfg"
           "$tmp/r.sav")
        ;;
    migrate)
        name=$PVH
        w=(migrate -e -s "$SSH" "${targs[@]}" "$PVH" localhost)
        ;;
    shutdown-w)
        name=$PV
        w=(shutdown -w "${targs[@]}" "$PV")
        # With --timeout, half the cases destroy a guest still up.
        [ -n "$to" ] && (( RANDOM % 2 )) && w+=(--then-destroy)
        ;;
    cleanup)
        killed_prep "$pol"
        w=(cleanup "${targs[@]}")
        ;;
    storm)
        # A shell's jobs: its --timeout is job SN's alone.
        name=st-$SN
        : >"$tmp/cmds"
        for k in $(seq $SN_ALL); do
            if [ $k = "$SN" ]; then a=("${targs[@]}"); else a=(); fi
            printf "create -p -e %s --on-cancel=%s '%s' &\n" "${a[*]}" \
                "$pol" "$tmp/st-$k.cfg" >>"$tmp/cmds"
        done
        echo wait >>"$tmp/cmds"
        ;;
    *) bail "no such operation in OPS: $op" ;;
    esac
    set -m
    if [ "$how" = job ]; then
        # One job and wait, unless the operation wrote its lines (storm).
        [ ${#w[@]} -eq 0 ] ||
            { printf "'%s' " "${w[@]}"; printf '&\nwait\n'; } >"$tmp/cmds"
        axl --timings -f "$tmp/cmds" >"$tmp/out" 2>"$tmp/err" &
    else
        axl --timings "${w[@]}" >"$tmp/out" 2>"$tmp/err" &
    fi
    pid=$!
    set +m
}


# settle OP: put back the standard state after a case (the victims
# running, nothing else); echo what had to be done.
settle() {
    local d
    # A leftover save file (a breach already counted) would fail the
    # next save.
    rm -f "$tmp/s.sav" "$tmp/s.sav.axl-tmp"
    # A victim shut down (shutdown -w), or left suspended (a case has
    # failed): start it afresh, so that the cases after it test something.
    case $(dom_state "$PV") in
    ???s* | ????c*) echo "destroyed $PV ($(dom_state "$PV"))"; xl destroy "$PV" ;;
    esac
    if ! dom_exists "$PV"; then
        echo "restored $PV"
        xl restore -e "$tmp/r.sav" >/dev/null 2>&1
    fi
    case $(dom_state "$PV") in ??p*) xl unpause "$PV" ;; esac
    # A victim lost or shut down (a case has failed): make it again, so
    # that the cases after it still test something.
    if [ -n "$need_pvh" ]; then
        case $(dom_state "$PVH") in
        ???s* | ????c*) echo "destroyed $PVH ($(dom_state "$PVH"))"
            xl destroy "$PVH" ;;
        esac
    fi
    if [ -n "$need_pvh" ] && ! dom_exists "$PVH"; then
        echo "re-created $PVH"
        rm -f "/var/log/xen/guest-$PVH.log"
        xl create -q -e "$tmp/$PVH.cfg" >/dev/null 2>&1 &&
            wait_for 90 grep -q AXL-GUEST-UP "/var/log/xen/guest-$PVH.log"
    fi
    if ! dom_exists "$PV"; then
        echo "re-created $PV"
        rm -f "/var/log/xen/guest-$PV.log"
        xl create -q -e "$tmp/$PV.cfg" >/dev/null 2>&1 &&
            wait_for 90 grep -q AXL-GUEST-UP "/var/log/xen/guest-$PV.log"
    fi
    if xl block-list "$PV" 2>/dev/null | awk 'NR > 1 && $1 == 51744' |
        grep -q .; then
        xl block-detach "$PV" xvdc >/dev/null 2>&1 ||
            axl block-detach -f "$PV" xvdc >/dev/null 2>&1
    fi
    for d in $(xl network-list "$PV" 2>/dev/null |
        awk -v m="$MAC" 'NR > 1 && $3 == m { print $1 }'); do
        xl network-detach "$PV" "$d" >/dev/null 2>&1 ||
            axl network-detach -f "$PV" "$d" >/dev/null 2>&1
    done
    for d in $(xl list | awk -v a="$PV" -v b="$PVH" \
        'NR > 2 && $1 != a && $1 != b { print $1 }'); do
        xl destroy "$d" 2>/dev/null
    done
}

# expect_status STOP: the statuses a case may end with (a cancel that
# comes after the end gives 0).
expect_status() {
    case $1 in
    INT | INT2 | INT3 | group | abort) echo "0 130" ;;
    TERM) echo "0 143" ;;
    timeout) echo "0 124" ;;
    KILL) echo "0 137" ;;
    esac
}

# check_case: the invariants; echo one line per breach.
check_case() {
    local op=$1 stop=$2 pol=$3 st=$4 how=$5 err last stale ost left cst
    rm -f "$tmp/clean"
    err=$(cat "$tmp/err")
    # The operation's own status: a job's, as its shell reported it (a
    # signal after the job is done ends the shell, not the job).
    ost=$st
    if [ "$how" = job ]; then
        left=$(sed -n "s/.*\\[$job\\] done: .*(status \\([0-9]*\\))\$/\\1/p" \
            "$tmp/err" "$tmp/out" | tail -1)
        [ -n "$left" ] && ost=$left
    fi
    last=$(printf '%s\n' "$err" | grep -v '^axl: timing:' | tail -1)
    # An operation that failed by itself before the stop (exit 1) is no
    # breach if it said so; the state checks below still hold it to it.
    case " $(expect_status "$stop") " in
    *" $st "*) ;;
    *) [ "$st" = 1 ] && printf '%s\n' "$err" | grep -q "^axl: \(\[$job\] \)\?cannot " ||
        echo "exit $st after $stop" ;;
    esac
    if [ "$st" = 0 ] && printf '%s\n' "$last" | grep cancelled |
        grep -vq "nothing was cancelled"; then
        echo "exit 0 but the last line says cancelled: $last"
    fi
    # A signal during axl's synchronous part, with nothing in flight,
    # ends it at once and silently: then nothing may have been made.
    # In a shell, a signal after its job has ended and before it exits
    # ends the shell as it ends any program: silently.
    if [ "$st" != 0 ] && [ "$stop" != KILL ] &&
        ! printf '%s\n' "$err" | grep -Eq 'cancel|left|stopp|now$|cannot |no longer' &&
        ! { [ "$how" = job ] && grep -q "\[$job\] done" "$tmp/err" "$tmp/out"; }; then
        if printf '%s\n' "$err" | grep -q .; then
            echo "exit $st but no word of the cancel"
        elif [ "${op#create-}" != "$op" ] && dom_exists "$name"; then
            echo "a silent exit $st, but '$name' exists"
        elif [ "$op" = shutdown-w ] && sleep 2 && ! is_up "$PV"; then
            echo "a silent exit $st, but $PV is not up ($(dom_state "$PV"))"
        fi
    fi
    printf '%s\n' "$err" | grep -Eq 'Segmentation|Aborted|AddressSanitizer|runtime error' &&
        echo "a crash"
    # A killed axl: cleanup must put right what it left (first, so that
    # the checks below see what it did).
    if [ "$stop" = KILL ] || [ "$op" = cleanup ] ||
        printf '%s\n' "$err" | grep -q "may be left"; then
        axl cleanup >"$tmp/clean" 2>&1
        cst=$?
        # Exit 1 with a copy left suspended is its answer: see migrate.
        [ $cst = 0 ] || { [ $cst = 1 ] && grep -q "is left suspended" "$tmp/clean"; } ||
            echo "axl cleanup failed ($cst): $(tail -1 "$tmp/clean")"
    fi
    # What axl said is left.
    case $op in
    shutdown-w)
        # Asked (or destroyed): the guest goes down, whatever the stop.
        if [ "$st" = 0 ] || printf '%s\n' "$err" | grep -Eq 'was asked|has shut down|is gone|destroying'; then
            wait_for 30 eval '! is_up "$PV"' ||
                echo "axl said $PV was asked to shut down, but it runs ($(dom_state "$PV"))"
        fi
        if printf '%s\n' "$err" | grep -q 'destroying'; then
            wait_for 10 eval '! dom_exists "$PV"' ||
                echo "axl said it destroys $PV, but it is there ($(dom_state "$PV"))"
        fi
        ;;
    cleanup)
        check_cleanup "$pol"
        ;;
    storm)
        # The other seven are made as if nothing had happened.
        for k in $(seq $SN_ALL); do
            [ $k = "$SN" ] && continue
            grep -q "\[$k\] done: .*(status 0)$" "$tmp/err" "$tmp/out" ||
                echo "storm: job $k did not end with 0: $(grep "\[$k\] done" "$tmp/err" "$tmp/out")"
            case $(dom_state st-$k) in
            ??p*) ;;
            *) echo "storm: st-$k is not there paused ($(dom_state st-$k))" ;;
            esac
        done
        ;;&
    create-* | restore | storm)
        if printf '%s\n' "$err" | grep -q "kept,"; then
            dom_exists "$name" || echo "said kept, but no '$name'"
            like_paused=$(dom_state "$name")
            case $like_paused in ??p*) ;; *) echo "kept '$name' is not paused ($like_paused)" ;; esac
            # A kept HVM domain keeps its device model (the fixture): it
            # goes with the domain, before the look for fixtures left.
            [ "$op" = create-dm ] && xl destroy "$name" >/dev/null 2>&1
        elif printf '%s\n' "$err" | grep -Eq "nothing is left|no domain is left"; then
            dom_exists "$name" && echo "said nothing left, but '$name' exists"
        fi
        ;;
    block-attach | network-attach)
        if [ $op = block-attach ]; then
            has_dev() { xl block-list "$PV" 2>/dev/null | awk 'NR > 1 && $1 == 51744' | grep -q .; }
        else
            has_dev() { xl network-list "$PV" 2>/dev/null | awk -v m="$MAC" 'NR > 1 && $3 == m' | grep -q .; }
        fi
        if [ "$st" != 0 ] && [ "$stop" != KILL ]; then
            if printf '%s\n' "$err" | grep -q "kept, half-attached"; then
                has_dev || echo "said the device is kept, but it is not there"
            elif printf '%s\n' "$err" | grep -q "no device is left"; then
                has_dev && echo "said no device is left, but it is there"
            fi
        fi
        [ "$stop" = KILL ] && [ "$pol" = destroy ] && has_dev &&
            ! grep -q "kept" "$tmp/clean" 2>/dev/null &&
            echo "after SIGKILL and cleanup, the device is still there"
        ;;
    save)
        dom_exists "$PV" || [ "$ost" = 0 ] || echo "save cancelled, but $PV is gone"
        [ -e "$tmp/s.sav.axl-tmp" ] && echo "a temporary save file is left"
        case $(dom_state "$PV") in ???s*) echo "$PV is left suspended" ;; esac
        # A file whole before the stop is kept (the op or cleanup says so).
        [ "$ost" != 0 ] && [ -e "$tmp/s.sav" ] &&
            ! grep -Eq "it is kept|was whole|saved domain" "$tmp/err" "$tmp/clean" 2>/dev/null &&
            echo "save cancelled, but the file exists"
        ;;
    migrate)
        # Killed after the go-ahead (or just before it): the guest may
        # run on the target, and cleanup leaves the suspended copy here,
        # saying so, until it is answered as a user would: destroy it if
        # the target runs the guest, else cleanup --resume it.
        if grep -q "killed after the target was told" "$tmp/clean" 2>/dev/null; then
            wait_for 10 eval '[ -z "$(procs_matching migrate-receive)" ]'
            left=$(sed -n 's/.*cleanup: domain \([0-9]*\) (.*is left suspended.*/\1/p' \
                "$tmp/clean" | head -1)
            case $(dom_state "$left") in
            ???s*)
                if [ "$(xl domid "$PVH" 2>/dev/null)" != "$left" ] && is_up "$PVH"; then
                    axl destroy "$left" >>"$tmp/clean" 2>&1 ||
                        echo "cannot destroy the copy left: $(tail -1 "$tmp/clean")"
                else
                    axl cleanup --resume "$left" >>"$tmp/clean" 2>&1 ||
                        echo "cleanup --resume failed: $(tail -1 "$tmp/clean")"
                fi
                axl cleanup >>"$tmp/clean" 2>&1 ||
                    echo "after the answer, cleanup still fails: $(tail -1 "$tmp/clean")"
                ;;
            *) echo "cleanup said domain '$left' is left suspended, but: $(dom_state "$left")" ;;
            esac
        fi
        [ "$(xl list | awk -v n="$PVH" 'index($1, n) == 1' | wc -l)" = 1 ] ||
            echo "not exactly one copy of $PVH: $(xl list | awk -v n="$PVH" 'index($1, n) == 1 { printf "%s %s; ", $1, $5 }')"
        case $(dom_state "$PVH") in [rb-][rb-]--*) ;; *) echo "$PVH is not running ($(dom_state "$PVH")); xl dmesg: $(xl dmesg | tail -40 | tr '\n' ';')" ;; esac
        ;;
    esac
    wait_for 10 eval '[ -z "$(fixture_procs)" ]' ||
        echo "fixture processes left: $(fixture_procs | tr '\n' ' ')"
    wait_for 10 eval '[ -z "$(procs_matching "libxl-save-helper|migrate-receive|local-ssh")" ]' ||
        echo "helpers left: $(procs_matching 'libxl-save-helper|migrate-receive|local-ssh' | tr '\n' ' ')"
}

# is_up NAME: NAME exists and has neither shut down nor crashed.
is_up() {
    case $(dom_state "$1") in ""|???s*|????c*|?????d) return 1 ;; esac
}

# check_cleanup POLICY: after a cleanup case (and a second cleanup), what
# the killed axl left is gone, or kept as its --on-cancel asked.
check_cleanup() {
    local pol=$1 all
    all=$(cat "$tmp/err" "$tmp/clean" 2>/dev/null)
    case $prep in
    create)
        if [ "$pol" = keep ]; then
            case $(dom_state "$name") in
            ??p*) ;;
            *) echo "a kept '$name' is not there paused ($(dom_state "$name"))" ;;
            esac
            printf '%s\n' "$all" | grep -q "kept" ||
                echo "'$name' kept, but neither cleanup said so"
        else
            dom_exists "$name" && echo "after cleanup, '$name' exists"
        fi
        ;;
    block-attach)
        if xl block-list "$PV" 2>/dev/null | awk 'NR > 1 && $1 == 51744' | grep -q .; then
            [ "$pol" = keep ] || echo "after cleanup, the device is still there"
            printf '%s\n' "$all" | grep -q "kept" ||
                echo "the device is kept, but neither cleanup said so"
        else
            [ "$pol" = destroy ] || echo "--on-cancel=keep, but the device is gone"
        fi
        ;;
    save)
        [ -e "$tmp/s.sav.axl-tmp" ] && echo "a temporary save file is left"
        if [ -e "$tmp/s.sav" ]; then
            # Whole: the save's destroy is done (by the save or cleanup).
            dom_exists "$PV" && echo "a whole save, but $PV is there ($(dom_state "$PV"))"
        else
            is_up "$PV" || echo "after cleanup, $PV is not up ($(dom_state "$PV"))"
        fi
        ;;
    esac
}

# stale: xenstore directories of domains that do not exist.
stale() {
    local live n t
    live=" 0 $(xl list | awk 'NR > 2 { print $2 }' | tr '\n' ' ') "
    for n in $(xenstore-list /local/domain 2>/dev/null); do
        case $live in *" $n "*) ;; *) echo "/local/domain/$n" ;; esac
    done
    for t in $(xenstore-list /local/domain/0/backend 2>/dev/null); do
        for n in $(xenstore-list "/local/domain/0/backend/$t" 2>/dev/null); do
            case $live in *" $n "*) ;; *) echo "backend/$t/$n" ;; esac
        done
    done
}

t_start=$(now_us)
for i in $(seq "$N"); do
    op=${OPS[RANDOM % ${#OPS[@]}]}
    stop=${STOPS[RANDOM % ${#STOPS[@]}]}
    job=1
    if [ "$op" = storm ]; then
        # One job of the shell's eight: from another process, or its own
        # --timeout.
        SN=$(( RANDOM % SN_ALL + 1 ))
        job=$SN
        stop=abort; (( RANDOM % 2 )) && stop=timeout
    fi
    # Drawn here, not in $(...): a subshell's RANDOM is not the seed's.
    pol=destroy; (( RANDOM % 2 )) && pol=keep
    nat=$(natural_ms "$op")
    delay=$(( (RANDOM * 32768 + RANDOM) % (nat * 13 / 10 + 1) ))
    to=
    [ "$stop" = timeout ] && to=$((delay + 1))
    how=$MODE
    if [ "$how" = mixed ]; then how=oneshot; (( RANDOM % 2 )) && how=job; fi
    [ "$op" = storm ] && how=job
    start_op "$op" "$pol" "$to" "$how"
    # A storm's job starts once the shell has built the ones before it:
    # the delay counts from its start, as its own --timeout does.
    [ "$op" = storm ] && [ "$SN" -gt 1 ] && [ "$stop" = abort ] &&
        wait_for 120 eval 'grep -q "\[$SN\] started" "$tmp/err" ||
            ! kill -0 $pid 2>/dev/null'
    t0=$(now_us)
    if [ "$stop" != timeout ]; then
        while [ $(( ($(now_us) - t0) / 1000 )) -lt "$delay" ] &&
            kill -0 $pid 2>/dev/null; do
            nap 0.05
        done
        case $stop in
        INT | TERM | KILL) kill "-$stop" $pid 2>/dev/null ;;
        INT2) kill -INT $pid 2>/dev/null; nap 0.1; kill -INT $pid 2>/dev/null ;;
        INT3) for k in 1 2 3; do kill -INT $pid 2>/dev/null; nap 0.05; done ;;
        group) kill -INT -- "-$pid" 2>/dev/null ;;
        # From another process, as a colleague's terminal would: the
        # operation's job (1, a shell's one job too; a storm's is its SN).
        abort) axl abort --timeout=60s "$pid.$job" >"$tmp/abort" 2>&1 ;;
        esac
    fi
    wait_exit $pid 120
    st=$rc
    # The phase the cancel met, from axl's own words.
    phase=$(sed -n 's/.*cancelled during \(.*\) (after [0-9].*/\1/p' "$tmp/err" |
        head -1 | sed 's/[0-9][0-9]* MiB.*/N MiB/; s/(pid [0-9]*)//; s/ *$//;
            s/[0-9][0-9]*/N/g')
    [ -n "$phase" ] || phase=$([ "$st" = 0 ] && echo "(finished)" ||
        { [ "$st" = 1 ] && echo "(failed by itself)"; } || echo "(no phase said)")
    # A storm's: the cancelled job's, among its eight.
    ms=$(if [ "$op" = storm ]; then grep "timing: create of '$name'" "$tmp/err"
        else cat "$tmp/err"; fi |
        sed -n 's/.*cancel to ao done \([0-9.]*\) ms.*/\1/p' | head -1)
    breaches=$(check_case "$op" "$stop" "$pol" "$st" "$how")
    # A storm's abort must find its job, or the case tests nothing.
    [ "$op" = storm ] && [ "$stop" = abort ] &&
        grep -qi "no job\|no such" "$tmp/abort" 2>/dev/null &&
        breaches="$breaches
storm: the abort did not find job $SN: $(head -1 "$tmp/abort")"
    settle >/dev/null
    # Everything back: no stale xenstore, memory as before.
    s=$(stale)
    [ -n "$s" ] && breaches="$breaches
stale xenstore: $(echo $s)"
    r=$(records)
    [ -n "$r" ] && breaches="$breaches
journal records left: $(echo $r)" && rm -f $r
    wait_for 10 eval '[ "$(free_kb)" -ge $((base_free - 2048)) ]' ||
        breaches="$breaches
free memory $(free_kb) KiB, was $base_free KiB"
    repro="SEED=$SEED case $i: op=$op how=$how delay=${delay}ms stop=$stop on-cancel=$pol"
    if [ -z "$breaches" ]; then
        pass "$repro: exit $st ($phase)"
    else
        fail "$repro: exit $st ($phase)" "$breaches" "$(grep -v 'timing:' "$tmp/err" | tail -8)"
    fi
    echo "$op|$phase|$stop|$([ -z "$breaches" ] && echo ok || echo FAIL)" >>"$rows"
    [ -n "$ms" ] && [ "$ms" != "-1.0" ] && echo "$phase|$ms" >>"$lat"
done
secs=$(( ($(now_us) - t_start) / 1000000 ))

echo "# $N cases, seed $SEED, $secs s"
echo "#"
echo "# | operation | phase reached | stop | cases | failed |"
echo "# |---|---|---|---|---|"
sort "$rows" | awk -F'|' '{ k = $1 "|" $2 "|" $3; n[k]++; if ($4 != "ok") f[k]++ }
    END { for (k in n) { split(k, a, "|");
        printf "# | %s | %s | %s | %d | %d |\n", a[1], a[2], a[3], n[k], f[k] + 0 } }' |
    sort
echo "#"
echo "# signal to ao done (ms) by phase: | phase | n | p50 | p99 | max |"
[ -s "$lat" ] && sort -t'|' -k1,1 -k2,2n "$lat" | awk -F'|' '
    { v[$1, ++n[$1]] = $2 }
    END { for (p in n) { c = n[p]; p50 = v[p, int((c + 1) / 2)];
        i99 = int(c * 0.99 + 0.999); if (i99 < 1) i99 = 1;
        printf "# | %s | %d | %.1f | %.1f | %.1f |\n", p, c, p50, v[p, i99], v[p, c] } }' |
    sort
done_testing
