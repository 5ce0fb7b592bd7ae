#!/bin/bash
# Live status: on a terminal (tmux), while a create hangs, one status
# line names what it waits on (the hotplug script and its disk, the
# bootloader, the backend that never connects) and the time grows; the
# cancel names what it interrupted.  Off a terminal, -v prints each phase
# as a line; the shell's `jobs` shows it; the journal keeps it for the
# report after a SIGKILL.
cd "$(dirname "$0")/.." || exit 1
. tests/lib/tap.sh
. tests/lib/xen.sh
. tests/lib/cancel.sh

T="tmux -L axl0260"
export TERM=${TERM:-xterm}
trap '$T kill-server 2>/dev/null; kill -9 $(fixture_procs) 2>/dev/null;
      clean_domains; vtpm_closer_stop; rm -rf "$tmp" "$M"' EXIT
vtpm_closer_start
screen() { $T capture-pane -p -t st; }
# wait_screen ERE [SECS]
wait_screen() {
    local i
    for i in $(seq $(( ${2:-10} * 10 ))); do
        screen | grep -Eq -- "$1" && return 0
        nap 0.1
    done
    return 1
}
# elapsed ERE: the seconds shown on the status line matching ERE.
elapsed() {
    screen | grep -E -- "$1" | tail -1 | sed -n 's/.*, \([0-9]*\) s$/\1/p'
}

# status FIXTURE PHASE_ERE: axl create on a terminal shows PHASE_ERE on
# its status line, the time grows, Ctrl-C says what it interrupted.
status() {
    local fx=$1 phase=$2 name t="$1 on a terminal" s1 s2
    name=$(cfg_name "$G/$fx.cfg")
    rm -rf "$M"; mkdir -p "$M"
    $T kill-server 2>/dev/null
    $T new-session -d -x 200 -y 20 -s st "trap : INT; axl create $G/$fx.cfg; \
        echo EXIT=\$?; sleep 600"
    if ! wait_screen "^create $name: $phase, [0-9]+ s\$" 60; then
        fail "$t: the status line says '$phase'" "$(screen)"
        $T kill-server 2>/dev/null
        kill -9 $(fixture_procs) 2>/dev/null
        clean_domains
        return
    fi
    pass "$t: the status line says '$phase'"
    s1=$(elapsed "^create $name: ")
    ok "$t: the time grows" wait_for 10 eval \
        '[ "$(elapsed "^create $name: ")" -gt "$s1" ]'
    $T send-keys -t st C-c
    ok "$t: Ctrl-C ends it" wait_screen '^EXIT=130$' 60
    like "$(screen)" "cancelled during $phase \\(after [0-9]+ s\\); " \
        "$t: the cancel names what it interrupted"
    unlike "$(screen)" "^create $name: .*, [0-9]+ s\$" \
        "$t: the status line is gone at the end"
    wait_for 10 eval '[ -z "$(fixture_procs)" ]'
    clean_domains
}

status hang-hotplug \
    "hotplug script block-hang add for xvda \\(pid [0-9]+\\)"
status hang-bootloader "bootloader /axl/tests/fixtures/bootloader-hang"
status hang-backend \
    "waiting for vtpm 0 backend to connect \\(state Initialising\\)"

# Off a terminal: nothing extra, and with -v one line per phase.
t="off a terminal"
start hang-hotplug
wait_for 60 in_phase hang-hotplug
kill -INT "$pid"
wait_exit "$pid" 60
unlike "$(cat "$tmp/err")" "^axl: create g-hang-hotplug: " \
    "$t: without -v, no phase lines"
like "$(cat "$tmp/err")" "cancelled during hotplug script block-hang add for xvda" \
    "$t: the last line still names what was interrupted"
clean_domains
rm -rf "$M"; mkdir -p "$M"
axl -v create "$G/hang-hotplug.cfg" >"$tmp/out" 2>"$tmp/err" &
pid=$!
ok "$t: -v prints the phase as a line" wait_for 60 grep -Eq \
    "^axl: create g-hang-hotplug: hotplug script block-hang add for xvda \\(pid [0-9]+\\)$" \
    "$tmp/err"
kill -INT "$pid"
wait_exit "$pid" 60
clean_domains

# A script that has exec'd a helper: named as the script libxl started
# (its backend's script node), with what runs now beside it.
t="a script that execs a helper"
rm -rf "$M"; mkdir -p "$M"
touch "$M/block-hang.exec-once"
axl -v create "$G/hang-hotplug.cfg" >"$tmp/out" 2>"$tmp/err" &
pid=$!
ok "$t: named as the script, with what it runs now" wait_for 60 grep -Eq \
    "^axl: create g-hang-hotplug: hotplug script block-hang( add)? for xvda \\(pid [0-9]+, running sleep 1001\\)$" \
    "$tmp/err"
unlike "$(cat "$tmp/err")" "hotplug script sleep" \
    "$t: never named as the helper"
kill -INT "$pid"
wait_exit "$pid" 60
is "$rc" 130 "$t: cancelled, 130"
like "$(cat "$tmp/err")" "cancelled during hotplug script block-hang( add)? for xvda \\(pid [0-9]+, running sleep 1001\\)" \
    "$t: the cancel names it so too"
ok "$t: no helper left" wait_for 10 eval \
    '[ -z "$(procs_matching "^sleep 1001")" ]'
clean_domains

# The shell's jobs shows it.
t="jobs"
rm -rf "$M"; mkdir -p "$M"
mkfifo "$tmp/cmds"
axl <"$tmp/cmds" >"$tmp/out" 2>"$tmp/err" &
pid=$!
exec 7>"$tmp/cmds"
echo "create $G/hang-hotplug.cfg &" >&7
if wait_for 60 in_phase hang-hotplug; then
    # the op looks four times a second: give it its next look
    ok "$t: jobs shows the phase" wait_for 5 eval \
        '{ echo jobs >&7; grep -Eq "^ +hotplug script block-hang add for xvda" "$tmp/out"; }'
    echo "abort" >&7
fi
exec 7>&-
wait_exit "$pid" 60
like "$(cat "$tmp/err")" "done: create .*\(status 130\)" \
    "$t: the job was cancelled"
clean_domains

# Waiting costs nothing: a create that waits on a hotplug script, with
# no one looking (no terminal, no -v), takes no more CPU than xl waiting
# on the same script, and no more of xenstored's.  Clock ticks (1/100 s)
# from /proc over one window, each tool in turn: the tool's process and
# its children that run the same program (axl's worker, which builds the
# domain and waits on the script; libxl's script is neither tool's).
t="waiting, no one looking"
ticks() {
    local sum=0 comm p
    stat_of "$1" || { echo 0; return; }
    sum=$((st[11] + st[12]))
    comm=$st_comm
    for p in $(children_of "$1"); do
        stat_of "$p" && [ "$st_comm" = "$comm" ] &&
            sum=$((sum + st[11] + st[12]))
    done
    echo "$sum"
}
xsd=$(procs_matching '^[^ ]*xenstored( |$)' | head -1)
WIN=${WAIT_WINDOW:-10}
for tool in xl axl; do
    rm -rf "$M"; mkdir -p "$M"
    $tool create "$G/hang-hotplug.cfg" >"$tmp/out" 2>"$tmp/err" &
    pid=$!
    if ! wait_for 60 in_phase hang-hotplug; then
        fail "$t: $tool reaches the hotplug script"
        kill -9 "$pid" 2>/dev/null
    else
        sleep 1
        a0=$(ticks "$pid"); x0=$(ticks "$xsd")
        sleep "$WIN"
        a1=$(ticks "$pid"); x1=$(ticks "$xsd")
        eval "cpu_$tool=$((a1 - a0)) xs_$tool=$((x1 - x0))"
        if [ $tool = xl ]; then
            kill -9 "$pid"
        else
            kill -INT "$pid"
        fi
    fi
    wait "$pid" 2>/dev/null
    kill -9 $(fixture_procs) 2>/dev/null
    clean_domains
done
diag "over ${WIN} s: xl ${cpu_xl:-?} ticks (xenstored ${xs_xl:-?}), axl ${cpu_axl:-?} ticks (xenstored ${xs_axl:-?})"
ok "$t: axl's CPU is xl's (at most 2 ticks more)" \
    test "${cpu_axl:-99}" -le $((${cpu_xl:-0} + 2))
ok "$t: xenstored works no more for axl than for xl (2 ticks)" \
    test "${xs_axl:-99}" -le $((${xs_xl:-0} + 2))

rm -rf "$tmp" "$M"
done_testing
