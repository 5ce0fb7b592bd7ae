# xen.sh: helpers for lab tests that run inside dom0 against real Xen.
# Source after tap.sh.

# cfg_name CFG: the name= a guest config sets.
cfg_name() {
    sed -n 's/^[[:space:]]*name[[:space:]]*=[[:space:]]*["'\'']\([^"'\'']*\)["'\''].*/\1/p' "$1" | head -1
}

# dom_id NAME: the domid of NAME, or nothing.
dom_id() {
    xl domid "$1" 2>/dev/null
}

# dom_exists NAME: true if libxl knows a domain called NAME.
dom_exists() {
    xl domid "$1" >/dev/null 2>&1
}

# dom_state NAME: the six-letter xl state column (r-----, --p---, ...).
dom_state() {
    xl list "$1" 2>/dev/null | awk 'NR == 2 { print $5 }'
}

# xs_has_domain ID: true if xenstore still has /local/domain/ID.
xs_has_domain() {
    [ -n "$1" ] && xenstore-exists "/local/domain/$1" 2>/dev/null
}

# xs_domids: the domain ids xenstore has a /local/domain/ID for, one a
# line, in order.
xs_domids() {
    xenstore-list /local/domain 2>/dev/null | sort -n
}

# dom_names: the names of all domains, Domain-0 included, one a line.
dom_names() {
    xl list 2>/dev/null | awk 'NR > 1 { print $1 }'
}

# ndomains: how many domains exist, Domain-0 included.
ndomains() {
    xl list | tail -n +2 | wc -l
}

# nap SECS: sleep in this shell.  Each process dom0 starts costs it about
# 17 ms under TCG (a date, a sleep: as much as a 0.1 s poll's sleep and
# its clock together), taken from the one vCPU the work under test runs
# on: a read of a pipe nobody writes to waits instead.
exec {NAP_FD}<> <(:)
nap() {
    read -rt "$1" -u "$NAP_FD" _ 2>/dev/null
    return 0
}

# wait_for SECS CMD...: poll CMD every 0.1 s until it succeeds; false on
# timeout.
wait_for() {
    local deadline=$((EPOCHSECONDS + $1))
    shift
    while ! "$@"; do
        [ "$EPOCHSECONDS" -ge "$deadline" ] && return 1
        nap 0.1
    done
    return 0
}

# dev_connected DOMID KIND DEVID: the guest's frontend and dom0's backend
# of device KIND/DEVID (vbd, vif) are both Connected (4), so what the
# list commands print of it no longer changes.
dev_connected() {
    [ "$(xenstore-read "/local/domain/$1/device/$2/$3/state" 2>/dev/null)" = 4 ] &&
        [ "$(xenstore-read "/local/domain/0/backend/$2/$1/$3/state" 2>/dev/null)" = 4 ]
}

# wait_exit PID SECS: wait for background PID; sets $rc, false on timeout
# (the process is then killed).
wait_exit() {
    local pid=$1 secs=$2 n=0
    while kill -0 "$pid" 2>/dev/null; do
        n=$((n + 1))
        if [ "$n" -gt $((secs * 10)) ]; then
            kill -9 "$pid" 2>/dev/null
            wait "$pid" 2>/dev/null
            rc=timeout
            return 1
        fi
        nap 0.1
    done
    wait "$pid"
    rc=$?
    return 0
}

# clean_domains: destroy every domain but Domain-0.
clean_domains() {
    local id
    for id in $(xl list | awk 'NR > 2 { print $2 }'); do
        xl destroy "$id" >/dev/null 2>&1
    done
}

# now_us: microseconds since the epoch (bash's clock: busybox date has
# no %N).
now_us() {
    local t=${EPOCHREALTIME/./}
    echo "$t"
}

# stat_of PID: /proc/PID/stat read by the shell alone (a process started
# per /proc entry costs seconds under TCG): the fields after "(comm)" in
# the array st (state st[0], ppid st[1], session st[3], utime st[11],
# stime st[12], start time st[19]) and the command name in st_comm;
# false if PID is gone.
stat_of() {
    local line
    st=() st_comm=
    [ -n "$1" ] || return 1
    { read -r line <"/proc/$1/stat"; } 2>/dev/null || return 1
    st_comm=${line#*(}
    st_comm=${st_comm%) *}
    read -r -a st <<<"${line##*) }"
}

# comm_of PID: PID's command name (/proc/PID/comm) in $comm, read by the
# shell alone; false if PID is gone.
comm_of() {
    comm=
    { read -r comm <"/proc/$1/comm"; } 2>/dev/null
}

# pids_named GLOB: the pids whose command name matches GLOB, one a line.
pids_named() {
    local p comm
    for p in /proc/[0-9]*; do
        # shellcheck disable=SC2053 # GLOB is a pattern
        comm_of "${p#/proc/}" && [[ $comm == $1 ]] && echo "${p#/proc/}"
    done
}

# children_of PID: PID's children's pids, one a line.
children_of() {
    local p st st_comm
    for p in /proc/[0-9]*; do
        stat_of "${p#/proc/}" && [ "${st[1]}" = "$1" ] && echo "${p#/proc/}"
    done
}

# stopped PID: PID is stopped (a signal's stop, state T).
stopped() {
    local st st_comm
    stat_of "$1" && [ "${st[0]}" = T ]
}

# procs_matching ERE: PIDs whose command line (its words joined by
# spaces, and a space after the last, as /proc's cmdline with its NULs
# made spaces) matches ERE, this shell excepted.  One ps for all (dom0
# has no pgrep; reading every /proc/N/cmdline costs seconds under TCG);
# the pattern travels in the environment, so awk does not match itself.
procs_matching() {
    ps -o pid,args 2>/dev/null | RE=$1 SELF=$$ awk '
        NR > 1 {
            pid = $1
            sub(/^[ \t]*[0-9]+[ \t]+/, "")
            if (pid != ENVIRON["SELF"] && ($0 " ") ~ ENVIRON["RE"])
                print pid
        }'
}

# stop_helper PID: stop (SIGSTOP) a libxl save or restore helper where
# no message of it to libxl is half written; false if no such point came
# in 100 tries.  The helper sends each message as two writes to its
# stdout (the length, then the body), and libxl reads the body with a
# blocking read: a helper stopped between the two stops its axl's (or
# xl's) whole event loop until it runs again (make check of a3ad651: an
# abort's list request unanswered for 3 s).  A stop is kept only where
# /proc/PID/syscall names the call the helper stopped after and that call
# is not a 2-byte write to fd 1; else it runs 5 ms more and stops again.
stop_helper() {
    local pid=$1 n=0 st st_comm sc
    while [ "$n" -lt 100 ]; do
        n=$((n + 1))
        kill -STOP "$pid" 2>/dev/null || return 1
        st=()
        while [ "${st[0]}" != T ] && [ "${st[0]}" != t ]; do
            stat_of "$pid" || return 1
            case ${st[0]} in Z | X) return 1 ;; esac
        done
        read -r -a sc <"/proc/$pid/syscall" || return 1
        if [ "${sc[0]}" != -1 ] && [ "${sc[0]}" != running ] &&
            ! { [ "${sc[0]}" = 1 ] && [ "$((sc[1]))" = 1 ] &&
                [ "$((sc[3]))" = 2 ]; }; then
            return 0
        fi
        kill -CONT "$pid"
        nap 0.005
    done
    return 1
}

# hold_save FILE BYTES: hold a save in the middle of its copy: find its
# helper (libxl-save-helper --save-domain; sets $helper), stop it as soon
# as it is found, then let it run 20 ms at a time until FILE has more
# than BYTES, each stop where no message to libxl is half written
# (stop_helper).  A copy watched while it runs freely can end between a
# look and the stop (make check on b401e30).  It is left stopped: the
# caller continues it (kill -CONT $helper).  False if it is not held so
# within 90 s.
hold_save() {
    local f=$1 bytes=$2
    helper=
    wait_for 30 eval 'helper=$(procs_matching "libxl-save-helper --save-domain")
        [ -n "$helper" ]' || return 1
    stop_helper "$helper" || return 1
    wait_for 60 eval '[ "$(stat -c %s "$f" 2>/dev/null || echo 0)" -gt "$bytes" ] ||
        { kill -CONT "$helper" && nap 0.02 && stop_helper "$helper"; false; }'
}

# runs TITLE CMD...: passes when CMD exits 0; its output ($out) is shown
# if not.  CMD's status.
runs() {
    local t=$1 r
    shift
    out=$("$@" 2>&1)
    r=$?
    if [ $r -eq 0 ]; then pass "$t"; else fail "$t" "exit $r" "$out"; fi
    return $r
}

# downtime SINCE FILE...: the longest time a guest counting every 0.1 s
# (axl.counter=0.1) was stopped: of its counts after SINCE in FILEs, the
# longest gap in its uptime between two consecutive counts, less the
# interval; in ms.
downtime() {
    local since=$1
    shift
    cat "$@" 2>/dev/null | tr -d '\r' | awk -v since="$since" -v every=0.1 '
        $1 == "AXL-COUNT" && $2 + 0 > since { up[$2 + 0] = $3 }
        END {
            for (c in up)
                if ((c + 1) in up && up[c + 1] - up[c] - every > m)
                    m = up[c + 1] - up[c] - every
            printf "%d", m * 1000
        }'
}

# copies NAME: "NAME STATE" of every domain whose name starts with NAME
# (a migration's copies are NAME--incoming, NAME--migratedaway).
copies() {
    xl list | awk -v n="$1" 'NR > 1 && index($1, n) == 1 { print $1, $5 }'
}

# one_copy_runs NAME: exactly one copy, called NAME, running or blocked.
one_copy_runs() {
    local c
    c=$(copies "$1")
    [ "$(printf '%s\n' "$c" | grep -c .)" = 1 ] &&
        printf '%s\n' "$c" | grep -Eq "^$1 [rb-][rb-]-{4}$"
}

# serial_listen NAME FILE: guest NAME's serial port appended to FILE by an
# axl console -t serial in the background ($reader), in place of the one
# started before: one per domain (a save or migration makes a new one).
serial_listen() {
    kill $reader 2>/dev/null
    timeout 3000 axl console -t serial "$1" </dev/null >>"$2" 2>&1 &
    reader=$!
}

# sent_bytes: what a sending save helper (libxl-save-helper --save-domain)
# has written (0 if none runs).
sent_bytes() {
    local p
    for p in $(procs_matching 'libxl-save-helper --save-domain'); do
        awk '$1 == "wchar:" { print $2; exit }' "/proc/$p/io" 2>/dev/null &&
            return
    done
    echo 0
}

# max_count LOG...: the highest count a guest started with axl.counter
# has printed in these console logs ("AXL-COUNT N UPTIME"); 0 if none.
max_count() {
    cat "$@" 2>/dev/null |
        awk '$1 == "AXL-COUNT" && $2 + 0 > m { m = $2 + 0 } END { print m + 0 }'
}

# ratio A B: A/B to two decimals; "-" when B is 0 or missing.
ratio() {
    awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 > 0) printf "%.2f", a / b; else printf "-" }'
}

# median: the median of the integers on stdin (the mean of the middle two
# for an even count, rounded down); nothing for no input.
median() {
    sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2];
        else if (NR) print int((a[NR / 2] + a[NR / 2 + 1]) / 2) }'
}

# M: where the slow fixtures (tests/fixtures) record that they hang.
M=/run/axl-fixture

# vtpm_closer_start, vtpm_closer_stop: while it runs, a vtpm backend in
# dom0 (hang-backend.cfg's, or a vtpm-attach's: none ever connects) that
# libxl asks to close (state 5, Closing) closes (6), as a backend stuck
# at its connect but not at its removal would.  libxl then removes it at
# once, where it would wait 10 s (LIBXL_DESTROY_TIMEOUT) for each destroy
# or detach of it.  t0001 shows the fixture without it.
vtpm_closer_start() {
    xenstore-watch /local/domain/0/backend/vtpm 2>/dev/null |
        while read -r path _; do
            case $path in
            */state)
                [ "$(xenstore-read "$path" 2>/dev/null)" = 5 ] &&
                    xenstore-write "$path" 6 2>/dev/null ;;
            esac
        done &
}
vtpm_closer_stop() {
    kill $(procs_matching '^xenstore-watch /local/domain/0/backend/vtpm ') \
        2>/dev/null
}

# fixture_procs: PIDs of fixture scripts still running, and of pygrub (the
# real one, which hang-pygrub.cfg keeps at its menu).
fixture_procs() {
    procs_matching 'fixtures/(block-hang|bootloader-hang|dm-hang)|bin/pygrub '
}

# ms_since T0: milliseconds from T0 (now_us) to now.
ms_since() { echo $(( ($(now_us) - $1) / 1000 )); }

# timed FILE CMD...: CMD's wall time in ms appended to FILE, its output
# dropped; a comment on stderr if it fails.
timed() {
    local f=$1 t0
    shift
    t0=$(now_us)
    "$@" >/dev/null 2>&1 || echo "# $* failed" >&2
    ms_since "$t0" >>"$f"
}

# bench_migrations NAME COUNTS AFTER: RUNS rounds of a localhost live
# migration of guest NAME (one counting every 0.1 s: axl.counter=0.1),
# by xl then axl in each round, so that neither always follows the
# other; then markdown rows: each tool's median wall time and downtime
# (downtime), and axl/xl.  COUNTS prints the files the guest's counts are
# in; AFTER SINCE runs after each migration (a new reader, a wait for
# counts past SINCE).  Uses $tmp.
bench_migrations() {
    local n=$1 counts=$2 after=$3 r tool since t0 st wx wa dx da
    for r in $(seq "$RUNS"); do
        for tool in xl axl; do
            since=$(max_count $($counts))
            t0=$(now_us)
            if [ "$tool" = xl ]; then
                xl migrate -s '' "$n" "xl migrate-receive -e" >/dev/null 2>&1
            else
                axl migrate -s '' -e "$n" "axl migrate-receive -e" >/dev/null 2>&1
            fi
            st=$?
            ms_since "$t0" >>"$tmp/wall.$tool"
            [ $st = 0 ] || echo "# $tool migrate exited $st" >&2
            $after "$since"
            downtime "$since" $($counts) >>"$tmp/down.$tool"
            echo >>"$tmp/down.$tool"
        done
    done
    for tool in xl axl; do
        echo "| $tool | $(median <"$tmp/wall.$tool") | $(grep . "$tmp/down.$tool" | median) |"
    done
    wx=$(median <"$tmp/wall.xl"); wa=$(median <"$tmp/wall.axl")
    dx=$(grep . "$tmp/down.xl" | median); da=$(grep . "$tmp/down.axl" | median)
    echo "| axl/xl | $(ratio "$wa" "$wx") | $(ratio "$da" "$dx") |"
}

# bench_settle: every domain but Domain-0 destroyed, and gone (a storm's
# hundred take a while), and a moment for dom0 to be idle again.
bench_settle() {
    clean_domains
    wait_for 120 eval '[ "$(ndomains)" -eq 1 ]'
    sleep 2
}

# bench_setup NAME: for a benchmark, a scratch directory $tmp (removed,
# with every domain, when the script exits), a 1 MiB image in it and
# $DISK, a read-only disk on that image whose hotplug script is
# /usr/bin/true (libxl runs it as any script; bash scripts under TCG
# would measure bash); then one line: dom0's vCPUs, Xen's memory.
bench_setup() {
    mkdir -p /var/tmp
    tmp=$(mktemp -d "/var/tmp/$1.XXXXXX")
    trap 'clean_domains; rm -rf "$tmp"' EXIT
    truncate -s 1M "$tmp/d.img"
    DISK="format=raw, vdev=xvda, access=ro, script=/usr/bin/true, target=$tmp/d.img"
    echo "# dom0: $(grep -c ^processor /proc/cpuinfo) vCPU(s);" \
        "Xen: $(xl info | awk '$1 == "total_memory" { print $3 }') MiB"
}
