#!/bin/bash
# The shell without Xen: batch mode (stop at the first failure, or not
# with --keep-going), quoting, the shell-only commands, `axl __complete`,
# and the interactive prompt under tmux: completion, Ctrl-C, history.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/tap.sh

AXL=${AXL:-build/axl}
[ -x "$AXL" ] || bail "no $AXL: run make first"
AXL=$(cd "$(dirname "$AXL")" && pwd)/$(basename "$AXL")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; tmux -L axltest kill-server 2>/dev/null' EXIT
ver=$("$AXL" version)

# batch INPUT [ARGS...]: run axl on INPUT as stdin; sets out, err, rc.
batch() {
    local in=$1
    shift
    printf '%s' "$in" | "$AXL" "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    out=$(cat "$tmp/out")
    err=$(cat "$tmp/err")
}

batch $'version\n# a comment\n\n   \nversion # again\n'
is "$rc" 0 "batch: runs every line, exit 0"
is "$out" "$ver"$'\n'"$ver" "batch: skips blank lines and comments"
is "$err" "" "batch: no prompt, nothing on stderr"

batch $'version\nbogus\nversion\n'
is "$rc" 2 "batch: exit status of the failing command"
is "$out" "$ver" "batch: stops at the first failing command"
like "$err" "^axl: unknown command 'bogus'" "batch: says what failed"
like "$err" "stdin:2: stopping after status 2" "batch: says where it stopped"

printf 'version\nbogus\nversion\n' >"$tmp/cmds"
"$AXL" -f "$tmp/cmds" --keep-going >"$tmp/out" 2>"$tmp/err"
rc=$?
is "$rc" 2 "-f --keep-going: exit status of the failure"
is "$(cat "$tmp/out")" "$ver"$'\n'"$ver" "-f --keep-going: runs on"
"$AXL" -f "$tmp/cmds" >"$tmp/out" 2>"$tmp/err"
is "$?" 2 "-f: stops at the failure"
"$AXL" -f "$tmp/nonesuch" 2>"$tmp/err"
is "$?" 1 "-f with a missing file fails"
like "$(cat "$tmp/err")" "cannot open '.*nonesuch'" "and says so"
"$AXL" -f "$tmp/cmds" version 2>/dev/null
is "$?" 2 "-f with a command is a usage error"

# Inside the shell, hints name the shell's words, not a command line's.
batch $'frob\nlist --bogus\nhelp\n' --keep-going
like "$err" "unknown command 'frob' \\(try 'help'\\)" \
    "shell: an unknown command's hint is the shell's help"
like "$err" "list: unknown option '--bogus' \\(try 'list -h'\\)" \
    "shell: an unknown option's hint is the shell's 'list -h'"
like "$out" "^commands \\(each as on axl's command line" \
    "shell: help lists the commands as the shell takes them"
unlike "$out" "--version" "shell: help shows no command-line option"
like "$("$AXL" help)" "  quit +\\(shell\\) leave the shell" \
    "axl help marks the shell's own commands"

batch $'help "version"\n'
like "$out" "^usage: version" "quoting: a quoted command name (the shell names it as typed there)"
batch $'help \'vers\n'
is "$rc" 2 "quoting: an open quote is a usage error"
like "$err" "unterminated quote" "and says so"
batch $'version & version\n'
is "$rc" 2 "'&' in the middle is a usage error"
like "$err" "'&' may only end a command" "and says so"

"$AXL" jobs >"$tmp/out" 2>"$tmp/err"
is "$?:$(cat "$tmp/out" "$tmp/err")" 0: \
    "one-shot 'jobs' lists every axl operation on the host: none here"
"$AXL" quit 2>"$tmp/err"
is "$?" 2 "one-shot 'quit' is a usage error"
like "$(cat "$tmp/err")" "works only inside the shell" "and says so"
batch $'jobs\nwait\nabort\nwait %1\n'
is "$rc" 1 "batch: jobs, wait, abort work; wait %1 finds no job"
like "$err" "nothing is running to cancel" "abort with no job says so"
like "$err" "wait: no such job '%1'" "wait %1 names the job"
batch $'quit\nbogus\n'
is "$rc" 0 "batch: quit stops reading"
batch $'version &\n'
is "$rc" 0 "batch: '&' on a command that runs no op"
is "$out" "$ver" "and it ran"

# Completion, as bash asks for it.
c=$("$AXL" __complete 1 axl "")
like "$c" "^create$" "__complete: command names"
unlike "$c" "^(quit|__complete)$" "__complete: no shell-only or hidden one"
is "$("$AXL" __complete 1 axl ver)" version "__complete: a prefix"
is "$("$AXL" __complete 2 axl create --on)" "--on-cancel=" \
    "__complete: an option taking a value"
like "$("$AXL" __complete 2 axl destroy --)" "^--timeout=$" \
    "__complete: the op options"
like "$("$AXL" __complete 2 axl destroy --)" "^--help$" "__complete: --help"
is "$("$AXL" __complete 2 axl create tests/gue)" "tests/guests/" \
    "__complete: a config file's directory"
like "$("$AXL" __complete 2 axl create tests/guests/p)" \
    "^tests/guests/pv.cfg$" "__complete: a config file"
like "$("$AXL" __complete 4 axl create --config = tests/guests/p)" \
    "^tests/guests/pv.cfg$" "__complete: --config=FILE as bash splits it"
is "$("$AXL" __complete 2 axl help ver)" version \
    "__complete: help takes a command"
is "$("$AXL" help | grep -c __complete)" 0 "help does not list __complete"
out=$(bash -c ". completions/axl.bash; COMP_WORDS=(axl cre);
      COMP_CWORD=1; _axl '$AXL'; echo \"\${COMPREPLY[*]}\"")
is "$out" create "completions/axl.bash completes through axl"

# The interactive shell under tmux.
command -v tmux >/dev/null || bail "no tmux ('scripts/lab deps' installs it)"
T="tmux -L axltest"
export XDG_STATE_HOME=$tmp/state
$T new-session -d -x 200 -y 50 -s sh \
    "XDG_STATE_HOME=$tmp/state '$AXL' shell; echo EXIT=\$?; sleep 60"
screen() { $T capture-pane -p -t sh; }
# wait_until CMD...: poll CMD until it succeeds, up to 5 s.
wait_until() {
    local i
    for i in $(seq 50); do
        "$@" && return 0
        sleep 0.1
    done
    return 1
}
# screen_has PATTERN: a line on the screen matches the ERE.
screen_has() { screen | grep -Eq -- "$1"; }
# wait_screen PATTERN: poll the screen for an ERE, up to 5 s.
wait_screen() { wait_until screen_has "$1"; }
ok "the prompt appears" wait_screen '^axl> ?$'
$T send-keys -t sh 'vers' Tab
ok "Tab completes a command" wait_screen '^axl> version ?$'
$T send-keys -t sh Enter
ok "the command runs" wait_screen "^$ver\$"
$T send-keys -t sh 'destroy --ti' Tab
ok "Tab completes an option" wait_screen '^axl> destroy --timeout=$'
$T send-keys -t sh C-c
ok "Ctrl-C clears the line" wait_screen '^axl> destroy --timeout=\^C$'
$T send-keys -t sh 'help tests/guests/pv.c' C-a C-k 'create tests/gue' Tab
ok "Tab completes a directory" wait_screen '^axl> create tests/guests/$'
$T send-keys -t sh C-c 'bogus' Enter
ok "a failure shows its status" wait_screen '^\[status 2\]$'
# jobs with no job prints nothing and succeeds: the line after it is a
# fresh prompt (no output, no [status N]); the next command typed there
# runs and its output follows it.
# from_jobs N: line N of the screen, counting the last 'axl> jobs' as 1.
from_jobs() {
    screen | awk -v n="$1" '$0 == "axl> jobs" { at = NR }
        { line[NR] = $0 } END { if (at) print line[at + n - 1] }'
}
# from_jobs_is N ERE: that line matches ERE.
from_jobs_is() { from_jobs "$1" | grep -Eq -- "$2"; }
$T send-keys -t sh 'jobs' Enter
ok "jobs with no job: a fresh prompt follows at once" \
    wait_until from_jobs_is 2 '^axl> ?$'
$T send-keys -t sh 'version' Enter
# version prints a line each for axl, libxl and (on Xen) the hypervisor.
nver=$(printf '%s\n' "$ver" | wc -l)
ok "the next command runs" \
    wait_until from_jobs_is $((3 + nver)) '^axl> ?$'
shown=$(for ((i = 1; i < 3 + nver; i++)); do from_jobs "$i"; done)
is "$shown" "axl> jobs"$'\n'"axl> version"$'\n'"$ver" \
    "jobs with no job prints nothing and no status line"
$T send-keys -t sh C-d
ok "Ctrl-D leaves the shell with the last command's status (0)" \
    wait_screen '^EXIT=0$'
h=$tmp/state/axl/history
ok "history file exists" test -f "$h"
is "$(stat -c %a "$h" 2>/dev/null)" 600 "history file mode is 0600"
like "$(cat "$h" 2>/dev/null)" "^version" "history holds the commands"
like "$(cat "$h" 2>/dev/null)" "^bogus$" "history holds failed commands"
unlike "$(cat "$h" 2>/dev/null)" "tests/gue" "history lacks cancelled lines"

# ---- the history as root in a HOME that is not root's ----
# A symlink planted at the history file, and a state directory another
# user owns (sudo -E keeps the user's HOME): root writes nothing there.
# history_refused STATE TITLE: a shell with that state directory warns,
# keeps no history, and leaves the victim file as it was.
# Each on a tmux server of its own (a server just killed may still be
# answering on the old socket).
n_hist=0
history_refused() {
    local state=$1 title=$2 T0=$T
    echo precious >"$tmp/victim"
    n_hist=$((n_hist + 1))
    T="tmux -L axltest-hist$n_hist"
    $T new-session -d -x 200 -y 50 -s sh \
        "XDG_STATE_HOME=$state '$AXL' shell; echo EXIT=\$?; sleep 60"
    ok "$title: the shell starts" wait_screen '^axl> ?$'
    ok "$title: it says no history is kept" \
        screen_has 'no history is kept'
    $T send-keys -t sh 'version' Enter C-d
    wait_screen '^EXIT=0$'
    $T kill-server 2>/dev/null
    T=$T0
    is "$(cat "$tmp/victim")" precious "$title: the file it names is untouched"
}
mkdir -p "$tmp/evil1/axl"
ln -s "$tmp/victim" "$tmp/evil1/axl/history"
history_refused "$tmp/evil1" "a symlink at the history file"
mkdir -p "$tmp/evil2/axl"
ln -s "$tmp/victim" "$tmp/evil2/axl/history"
chown -R nobody "$tmp/evil2"
history_refused "$tmp/evil2" "a state directory another user owns"
# Another user's symlink on the way (it could point anywhere next).
mkdir -p "$tmp/real/axl"
ln -s "$tmp/real" "$tmp/evil3"
chown -h nobody "$tmp/evil3"
history_refused "$tmp/evil3" "another user's symlink on the way"
ok "  nothing was written where it points" test ! -e "$tmp/real/axl/history"

# ---- the terminal goes away: the pane is killed ----
# hangup TRAP STATUS TITLE: a shell in a pane (a tmux server of its own)
# under an sh that outlives the hang-up (TRAP) and writes axl's status;
# kill the pane.
$T kill-server 2>/dev/null
n_hup=0
hangup() {
    n_hup=$((n_hup + 1))
    T="tmux -L axlhup$$-$n_hup"
    rm -f "$tmp/st"
    $T new-session -d -x 200 -y 50 -s sh \
        "$1; trap : INT; '$AXL' shell; echo \$? >$tmp/st"
    wait_screen '^axl> ?$' || diag "no prompt: $(screen | tail -3)"
    $T kill-pane -t sh
    ok "$3: the shell ends" wait_until test -s "$tmp/st"
    is "$(cat "$tmp/st" 2>/dev/null)" "$2" "$3: exit $2"
    $T kill-server 2>/dev/null
}
hangup "trap : HUP" 129 "pane killed"
# With SIGHUP ignored, only the terminal's end is seen: the shell must
# end, not read its end again and again (what it wrote was lost: 1).
hangup "trap '' HUP" 1 "pane killed, SIGHUP ignored"
done_testing
