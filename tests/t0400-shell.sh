#!/bin/bash
# The interactive shell against real Xen, driven through tmux: tab
# completion (command, option, domain, file); Ctrl-C during a create that
# hangs in its block hotplug script (domain gone, or kept with
# --on-cancel=keep; prompt back; the next command works); two background
# creates at once; `jobs`; a job announced while a line is typed; `abort
# %N` cancels only that job; `wait`; history; quit's y/N; batch mode;
# SIGTERM to a shell with three running jobs; SIGHUP.
cd "$(dirname "$0")/.." || exit 1
. tests/lib/tap.sh
. tests/lib/xen.sh

G=tests/guests
tmp=$(mktemp -d)
T="tmux -L axl0400"
export TERM=${TERM:-xterm}
cleanup() {
    $T kill-server 2>/dev/null
    kill -9 $(fixture_procs) 2>/dev/null
    clean_domains
    rm -rf "$tmp" "$M"
}
trap cleanup EXIT
command -v tmux >/dev/null || bail "no tmux in dom0"

# The hanging create: its block hotplug script never returns.
HANG=$G/hang-hotplug.cfg
HANG_NAME=$(cfg_name "$HANG")
in_hotplug() { [ -s "$M/block-hang.pid" ]; }
# n_hotplug: how many hotplug scripts run (the pid file is shared); a
# script's child, forked but not yet exec'ed, is not counted.
n_hotplug() {
    local all p pp n=0 st st_comm
    all=" $(fixture_procs | tr '\n' ' ') "
    for p in $all; do
        pp=
        stat_of "$p" && pp=${st[1]}
        case $all in *" $pp "*) ;; *) n=$((n + 1)) ;; esac
    done
    echo "$n"
}

# start_shell: a fresh `axl shell` in a 200x50 tmux pane.  The pane's
# sh shares axl's process group, so every Ctrl-C reaches it too; busybox
# ash keeps such a SIGINT pending while axl runs and dies of it when axl
# exits, before `echo EXIT`.  A trap (reset to the default in axl by
# exec) keeps it alive.
start_shell() {
    $T kill-server 2>/dev/null
    $T new-session -d -x 200 -y 50 -s sh "trap : INT; \
        XDG_STATE_HOME=$tmp/state axl shell; echo EXIT=\$?; sleep 600"
    $T set-option -t sh history-limit 5000 >/dev/null
    wait_screen '^axl> ?$'
}
screen() { $T capture-pane -p -S -2000 -t sh; }
# check_tmux WHERE: say so if the tmux server has gone (and why, maybe).
check_tmux() {
    $T has-session -t sh 2>/dev/null && return 0
    diag "tmux session gone before: $1"
    dmesg | tail -15 | sed 's/^/#   /'
    free 2>/dev/null | sed 's/^/#   /'
    diag "axl: $(axl_pid); tmux: $(procs_matching "$T")"
    ls -la /tmp/tmux-0 2>&1 | sed 's/^/#   /'
}
clear_screen() { $T clear-history -t sh; $T send-keys -t sh -R; }
# wait_screen ERE [SECS]: poll the pane until a line matches.
wait_screen() {
    local i n=$(( ${2:-10} * 10 ))
    for i in $(seq "$n"); do
        if ! $T has-session -t sh 2>/dev/null; then
            check_tmux "waiting for /$1/"
            return 1
        fi
        screen | grep -Eq -- "$1" && return 0
        nap 0.1
    done
    return 1
}
# type LINE: send LINE literally (no Enter).
type() { $T send-keys -t sh -l -- "$1"; }
enter() { $T send-keys -t sh Enter; }
# last_prompt: the last line of the pane that is not empty.
last_line() { screen | grep -v '^$' | tail -1; }
at_prompt() { [ "$(last_line)" = "axl>" ] || [ "$(last_line)" = "axl> " ]; }
axl_pid() {
    local p
    for p in $(pids_named axl); do
        echo "$p"
        return
    done
}

start_shell
ok "the shell starts with a prompt" at_prompt

# ---- completion ----
type "cre"; $T send-keys -t sh Tab
ok "Tab completes a command name" wait_screen '^axl> create ?$' 5
type "--on"; $T send-keys -t sh Tab
ok "Tab completes an option" wait_screen '^axl> create --on-cancel=$' 5
$T send-keys -t sh C-u
type "create $G/pv.c"; $T send-keys -t sh Tab
ok "Tab completes a config file" \
    wait_screen "^axl> create $G/pv.cfg ?\$" 5
$T send-keys -t sh C-u
axl create "$G/pv.cfg" >/dev/null 2>&1
name=$(cfg_name "$G/pv.cfg")
type "destroy ${name%?}"; $T send-keys -t sh Tab
ok "Tab completes a domain name (live from libxl)" \
    wait_screen "^axl> destroy $name ?\$" 5
enter
ok "destroy from the shell works" wait_for 30 eval "! dom_exists $name"
ok "prompt back after destroy" wait_for 10 at_prompt
# Ctrl-C is a signal: the tty drops the input readline has not read yet.
# The 'x' typed after the Tabs shows on the line once readline has read
# them (and completed what it could).
$T send-keys -t sh 'wait %' Tab Tab x
wait_screen '^axl> wait %.*x$' 5
$T send-keys -t sh C-c
ok "Ctrl-C at the prompt clears the line" wait_screen '^axl> wait %.*\^C$' 5
ok "and gives a fresh prompt" wait_for 5 at_prompt

# ---- Ctrl-C during a create hanging in its hotplug script ----
for policy in destroy keep; do
    t="Ctrl-C, on-cancel=$policy"
    rm -rf "$M"
    clear_screen
    type "create --on-cancel=$policy $HANG"; enter
    if ! wait_for 60 in_hotplug; then
        fail "$t: create reaches the hotplug script" "$(screen | tail -20)"
        $T send-keys -t sh C-c C-c C-c
        continue
    fi
    pass "$t: create reaches the hotplug script"
    id=$(dom_id "$HANG_NAME")
    $T send-keys -t sh C-c
    ok "$t: prompt back" wait_screen '^\[status 130\]$' 60
    ok "$t: prompt after the status" wait_for 5 at_prompt
    s=$(screen)
    like "$s" "cancelling create of (domain [0-9]+ \\()?'$HANG_NAME'" \
        "$t: says what it cancels"
    if [ $policy = destroy ]; then
        like "$s" "(destroyed; nothing is left|no domain is left)" \
            "$t: says nothing is left"
        ok "$t: domain gone" wait_for 10 eval "! dom_exists $HANG_NAME"
        ok "$t: no xenstore dir" eval "! xs_has_domain $id"
    else
        like "$s" "kept, paused" "$t: says the domain is kept"
        ok "$t: domain kept" dom_exists "$HANG_NAME"
        like "$(dom_state "$HANG_NAME")" "^..p" "$t: and paused"
    fi
    ok "$t: no hotplug script left" \
        wait_for 10 eval '[ -z "$(fixture_procs)" ]'
    clear_screen
    type "list $HANG_NAME"; enter
    if [ $policy = destroy ]; then
        ok "$t: the next command works" \
            wait_screen "no such domain '$HANG_NAME'" 10
    else
        ok "$t: the next command works" \
            wait_screen "^$HANG_NAME +[0-9]+ " 10
        type "destroy $HANG_NAME"; enter
        ok "$t: destroy the kept domain from the shell" \
            wait_for 30 eval "! dom_exists $HANG_NAME"
    fi
    wait_for 5 at_prompt
done
clean_domains

# ---- a second Ctrl-C abandons the cleanup; the shell stays ----
# The shared fixture's "remove" hangs too when asked, so the cleanup
# destroy is caught in flight.
t="second Ctrl-C during the cleanup"
if [ "$HANG" = "$G/hang-hotplug.cfg" ]; then
    rm -rf "$M"
    mkdir -p "$M"
    touch "$M/block-hang.remove-hangs"
    clear_screen
    type "create $HANG"; enter
    if wait_for 60 in_hotplug; then
        $T send-keys -t sh C-c
        if wait_for 30 test -s "$M/block-hang.remove.pid"; then
            pass "$t: the cleanup destroy is running"
            $T send-keys -t sh C-c
            ok "$t: says it abandons the cleanup" \
                wait_screen 'Interrupt again: abandoning cleanup' 5
            if ! wait_screen '^\[status 130\]$' 30; then
                # libxl has not let go: the third stops waiting for it.
                $T send-keys -t sh C-c
                ok "$t: a third Ctrl-C stops waiting" \
                    wait_screen 'no longer waiting' 10
            fi
            ok "$t: prompt back" wait_screen '^\[status 130\]$' 30
            like "$(screen)" "cancelling the destroy of domain" \
                "$t: says it cancels the destroy"
        else
            fail "$t: the cleanup destroy is running" "$(screen | tail)"
            $T send-keys -t sh C-c C-c C-c
        fi
    else
        fail "$t: create reaches the hotplug script" "$(screen | tail)"
        $T send-keys -t sh C-c C-c C-c
    fi
    rm -f "$M/block-hang.remove-hangs"
    kill -9 $(fixture_procs) 2>/dev/null
    wait_for 5 at_prompt
    clear_screen
    type "version"; enter
    ok "$t: the shell stays and the next command works" \
        wait_screen '^axl [0-9]' 10
    clean_domains
else
    pass "$t # skip needs tests/guests/hang-hotplug.cfg"
fi

# ---- two background creates at once ----
check_tmux "background creates"
clear_screen
type "create $G/pv.cfg 'name=\"g-a\"' &"; enter
type "create $G/pv.cfg 'name=\"g-b\"' &"; enter
type "jobs"; enter
ok "two background creates start at once" \
    wait_screen '^axl: \[[0-9]+\] started: create .*g-b' 5
ok "jobs lists them" wait_screen '^Job +State +Elapsed +Domain +Command' 5
s=$(screen)
like "$s" '^\[[0-9]+\] +(running|done.*) +[0-9.]+s +g-a.* create .*name="g-a"' \
    "jobs shows the first: id, state, elapsed, domain, command"
like "$s" '^\[[0-9]+\] +(running|done.*) +[0-9.]+s +g-b.* create .*name="g-b"' \
    "jobs shows the second"
# A job that finishes while a line is being typed is announced above it;
# the line is redrawn intact and is still the one readline holds.
type "list g-"
ok "a job finishing is announced while a line is typed" \
    wait_screen '^axl: \[[0-9]+\] done: create .*g-b.*\(status 0\)' 60
ok "the other job is announced too" \
    wait_screen '^axl: \[[0-9]+\] done: create .*g-a.*\(status 0\)' 60
# The line is redrawn after the last announcement.
wait_for 5 eval '[ "$(last_line)" = "axl> list g-" ]'
is "$(last_line)" "axl> list g-" "the line being typed is redrawn intact"
type "a"; enter
ok "and Enter runs it as typed" wait_screen '^g-a +[0-9]+ ' 10
wait_for 5 at_prompt
ok "both domains are up" eval 'dom_exists g-a && dom_exists g-b'
like "$(dom_state g-a)$(dom_state g-b)" '^[r-][b-]-.*[r-][b-]-' \
    "neither is paused"
clean_domains

# ---- a command's options are its own job's ----
check_tmux "per-job options"
clear_screen
type "create -q $G/pv.cfg 'name=\"g-q\"' &"; enter
ok "create -q &: the job finishes" \
    wait_screen '^axl: \[[0-9]+\] done: create .*g-q.*\(status 0\)' 60
unlike "$(screen)" "creating domain 'g-q'" "create -q & prints no progress"
wait_for 5 at_prompt
clear_screen
type "create -vvv $G/pv.cfg 'name=\"g-v\"'"; enter
ok "create -vvv shows libxl's log" wait_screen '^libxl: debug: ' 60
ok "and finishes" wait_screen "^axl: created domain [0-9]+ \\('g-v'\\)" 60
wait_for 5 at_prompt
clear_screen
type "create $G/pv.cfg 'name=\"g-w\"'"; enter
ok "the next create shows its own progress" \
    wait_screen "^axl: created domain [0-9]+ \\('g-w'\\)" 60
unlike "$(screen | sed -n '/^axl> create .*name="g-w"/,$p')" '^libxl: ' \
    "and no libxl log: -vvv was the last create's"
wait_for 5 at_prompt
clean_domains

# ---- abort %N cancels only that job ----
check_tmux "abort %N"
rm -rf "$M"
clear_screen
type "create $G/pv.cfg 'name=\"g-a\"' &"; enter
type "create $HANG 'name=\"g-b\"' &"; enter
ok "the second create reaches the hotplug script" wait_for 60 in_hotplug
n2=$(screen | sed -n 's/^axl: \[\([0-9]*\)\] started: create .*g-b.*/\1/p' |
     tail -1)
type "jobs"; enter
ok "jobs shows the hanging create running" \
    wait_screen "^\\[$n2\\] +running +[0-9.]+s +g-b" 5
type "abort %$n2"; enter
ok "abort %$n2: its job is cancelled" \
    wait_screen "^axl: \\[$n2\\] done: create .*g-b.*\\(status 130\\)" 60
type "wait"; enter
ok "wait: the other job finishes" \
    wait_screen '^axl: \[[0-9]+\] done: create .*g-a.*\(status 0\)' 60
wait_for 5 at_prompt
ok "the first domain is up" dom_exists g-a
ok "the aborted one is gone" eval "! dom_exists g-b"
ok "no hotplug script left" wait_for 10 eval '[ -z "$(fixture_procs)" ]'
clean_domains

# ---- history ----
h=$tmp/state/axl/history
ok "history file exists" test -f "$h"
is "$(stat -c %a "$h" 2>/dev/null)" 600 "history file mode 0600"
like "$(cat "$h")" "^create --on-cancel=keep $HANG\$" \
    "history holds the commands"
like "$(cat "$h")" "^abort %$n2\$" "history holds the latest"

# ---- quit with jobs running asks first ----
check_tmux "quit"
rm -rf "$M"
clear_screen
type "create $HANG &"; enter
wait_for 60 in_hotplug
type "quit"; enter
ok "quit with a job running asks first" \
    wait_screen 'cancel it and quit\? \[y/N\]' 5
type "n"; enter
ok "'n' stays in the shell" wait_screen '^axl: not quitting' 5
ok "the job still runs" eval "[ -n \"\$(fixture_procs)\" ]"
type "quit"; enter
wait_screen 'cancel it and quit\? \[y/N\]' 5
type "y"; enter
ok "'y' cancels the job and leaves" wait_screen '^EXIT=[0-9]+$' 60
ok "nothing is left after quit" wait_for 10 eval "! dom_exists $HANG_NAME"

# ---- SIGTERM to a shell with two running jobs ----
rm -rf "$M"
start_shell
clear_screen
type "create $HANG 'name=\"g-a\"' &"; enter
type "create --on-cancel=keep $HANG 'name=\"g-b\"' &"; enter
type "create $HANG 'name=\"g-c\"' &"; enter
ok "three hanging creates started" \
    wait_for 60 eval 'dom_exists g-a && dom_exists g-b && dom_exists g-c'
# SIGTERM once all three hang in their hotplug scripts.
ok "all three hang in their hotplug scripts" \
    wait_for 60 eval '[ "$(n_hotplug)" -ge 3 ]'
check_tmux "SIGTERM"
pid=$(axl_pid)
[ -n "$pid" ] || diag "no axl process; tmux: $($T ls 2>&1)"
kill -TERM "$pid"
ok "SIGTERM: the shell exits 143" wait_screen '^EXIT=143$' 90
s=$(screen)
like "$s" "Terminated: cancelling 3 jobs, then exiting" "SIGTERM: says so"
ok "SIGTERM: destroy policy applied (g-a gone)" eval "! dom_exists g-a"
ok "SIGTERM: destroy policy applied (g-c gone)" eval "! dom_exists g-c"
ok "SIGTERM: keep policy applied (g-b kept)" dom_exists g-b
xl destroy g-b >/dev/null 2>&1
is "$(ndomains)" 1 "afterwards xl list shows only Domain-0"
ok "no hotplug script left" wait_for 10 eval '[ -z "$(fixture_procs)" ]'

# ---- SIGHUP (the terminal went away) ----
rm -rf "$M"
start_shell
type "create $HANG &"; enter
ok "SIGHUP: a create hangs in its hotplug script" wait_for 60 in_hotplug
kill -HUP "$(axl_pid)"
ok "SIGHUP: the shell exits 129" wait_screen '^EXIT=129$' 90
ok "SIGHUP: the create was cancelled, nothing left" \
    eval "! dom_exists $HANG_NAME"
ok "SIGHUP: no hotplug script left" \
    wait_for 10 eval '[ -z "$(fixture_procs)" ]'

# ---- the terminal goes away: the tmux pane is killed ----
# pane LEADER CMD: a fresh pane whose session leader (tmux's sh) runs
# $tmp/pane.sh, an sh that outlives the hang-up (a trap, reset to the
# default in axl by exec) and writes axl's exit status to $tmp/st.
#   dies:  the leader dies of the SIGHUP, and the kernel passes it on to
#          the foreground process group, axl's, as it does when a login
#          shell or ssh session ends;
#   traps: the leader catches it and passes nothing on: axl sees only
#          the terminal's end;
#   nohup: the leader ignores SIGHUP, and so does axl (inherited).
pane() {
    rm -f "$tmp/st"
    rm -rf "$M"
    # (An ignored SIGHUP is not trapped again: it stays ignored.)
    printf 'trap : INT %s\n%s\necho $? >%s\n' \
        "$([ "$1" = nohup ] || echo HUP)" "$2" "$tmp/st" >"$tmp/pane.sh"
    $T kill-server 2>/dev/null
    case $1 in
    dies) $T new-session -d -x 200 -y 50 -s sh "sh $tmp/pane.sh; true" ;;
    traps) $T new-session -d -x 200 -y 50 -s sh "trap : HUP; sh $tmp/pane.sh" ;;
    nohup) $T new-session -d -x 200 -y 50 -s sh "trap '' HUP; sh $tmp/pane.sh" ;;
    esac
}
# hung_up TITLE STATUS [CMD...]: kill the pane (then run CMD); axl ends
# with STATUS, leaves nothing.
hung_up() {
    $T kill-pane -t sh
    [ $# -gt 2 ] && "${@:3}"
    ok "$1: axl ends" wait_for 60 test -s "$tmp/st"
    is "$(cat "$tmp/st" 2>/dev/null)" "$2" "$1: exit $2"
    ok "$1: no axl process is left" eval '[ -z "$(axl_pid)" ]'
    ok "$1: no hotplug script left" wait_for 10 eval '[ -z "$(fixture_procs)" ]'
    ok "$1: no journal record left" eval '[ -z "$(ls /run/axl/*.op 2>/dev/null)" ]'
}
SHELL_CMD="XDG_STATE_HOME=$tmp/state axl shell"

# No SIGHUP reaches axl: the shell sees its terminal end while a
# foreground create waits in its hotplug script.
pane traps "$SHELL_CMD"
wait_screen '^axl> ?$'
type "create $HANG"; enter
ok "pane killed, no SIGHUP, create in the foreground: it hangs in its hotplug script" \
    wait_for 60 in_hotplug
t0=$(now_us)
hung_up "pane killed, no SIGHUP, create in the foreground" 129
diag "pane killed to axl's exit: $(( ($(now_us) - t0) / 1000 )) ms"
ok "pane killed, no SIGHUP, create in the foreground: the create was cancelled" \
    eval "! dom_exists $HANG_NAME"

pane dies "$SHELL_CMD"
wait_screen '^axl> ?$'
type "create $HANG &"; enter
ok "pane killed, background job: it hangs in its hotplug script" \
    wait_for 60 in_hotplug
wait_for 10 at_prompt
hung_up "pane killed, background job" 129
ok "pane killed, background job: the create was cancelled" \
    eval "! dom_exists $HANG_NAME"

# SIGHUP ignored (nohup): only the terminal's end is seen.  The shell
# must not spin on it: the job runs to its end, then the shell exits
# (1: what it wrote to the terminal was lost).  The pane goes while the
# job waits in its hotplug script, which is let go only then.
pane nohup "$SHELL_CMD"
wait_screen '^axl> ?$'
rm -f "$M/block-hang.pid" "$M/block-hang.release"
type "create $HANG &"; enter
ok "pane killed, SIGHUP ignored: the job waits in its hotplug script" \
    wait_for 60 in_hotplug
hung_up "pane killed, SIGHUP ignored, a job running" 1 \
    touch "$M/block-hang.release"
ok "pane killed, SIGHUP ignored: the job ran to its end" \
    eval "dom_state $HANG_NAME | grep -q '^[rb-][rb-]-'"
clean_domains

# A one-shot command in the pane.
pane dies "axl create $HANG"
ok "pane killed, one-shot create: it hangs in its hotplug script" \
    wait_for 60 in_hotplug
hung_up "pane killed, one-shot create" 129
ok "pane killed, one-shot create: the create was cancelled" \
    eval "! dom_exists $HANG_NAME"

# ---- batch mode ----
printf 'create %s\nbogus\nlist\n' "$G/pv.cfg" >"$tmp/cmds"
axl -f "$tmp/cmds" >"$tmp/out" 2>"$tmp/err"
is "$?" 2 "batch: exits with the failing command's status"
ok "batch: the create before it ran" dom_exists "$name"
is "$(grep -c '^Name' "$tmp/out")" 0 "batch: stops at the first error"
clean_domains
axl -f "$tmp/cmds" --keep-going >"$tmp/out" 2>"$tmp/err"
is "$?" 2 "batch --keep-going: exits with the failure's status"
is "$(grep -c '^Name' "$tmp/out")" 1 "batch --keep-going: runs on"
clean_domains
printf 'create %s %s &\ncreate %s %s &\nwait\nlist g-a g-b\n' \
    "$G/pv.cfg" "'name=\"g-a\"'" "$G/pv.cfg" "'name=\"g-b\"'" |
    axl >"$tmp/out" 2>"$tmp/err"
is "$?" 0 "batch from a pipe: two '&' creates and wait"
is "$(grep -cE '^g-[ab] ' "$tmp/out")" 2 "batch: both domains listed"
clean_domains

done_testing
