#!/bin/bash
# Signals where no ao can be aborted, and which signal the status reports:
#  - `axl list` stuck on a stopped xenstored ends at SIGINT with 130
#    within a second (a synchronous call into libxl cannot be aborted);
#  - SIGTERM during a Ctrl-C's cleanup: status 143, worded as a new
#    signal, not "again";
#  - a third signal while libxl's abort never ends (a bootloader that
#    ignores SIGTERM): axl exits at once and says what the op leaves;
#  - shutdown -w waits for the guest, and its wait is cancellable.
cd "$(dirname "$0")/.." || exit 1
. tests/lib/tap.sh
. tests/lib/xen.sh
. tests/lib/cancel.sh

# --- a hung `axl list` ---
t="list on a stopped xenstored"
xsd=$(cat /run/xenstored.pid 2>/dev/null)
if [ -z "$xsd" ] || ! kill -0 "$xsd" 2>/dev/null; then
    fail "$t: xenstored's pid is known"
else
    pass "$t: xenstored's pid is known"
    kill -STOP "$xsd"
    axl list >"$tmp/out" 2>"$tmp/err" &
    pid=$!
    # stuck: the process sleeps in a call that waits on xenstored (read,
    # poll, recvfrom, recvmsg, futex, epoll_wait, epoll_pwait)
    stuck() {
        case $(cut -d' ' -f1 "/proc/$pid/syscall" 2>/dev/null) in
        0|7|45|47|202|232|281) return 0 ;;
        esac
        return 1
    }
    ok "$t: axl list blocks, waiting on xenstored" wait_for 10 stuck
    t0=$(now_us)
    kill -INT "$pid"
    wait_exit "$pid" 5
    t1=$(now_us)
    kill -CONT "$xsd"
    is "$rc" 130 "$t: SIGINT ends it with 130"
    ms=$(( (t1 - t0) / 1000 ))
    diag "$t: SIGINT to exit: $ms ms"
    ok "$t: within a second" test "$ms" -lt 1000
    axl list >/dev/null 2>&1
    is "$?" 0 "$t: xenstored answers again"
fi

# --- the same in the shell: the Ctrl-C is kept, the shell stays ---
t="a hung list in the shell"
if [ -n "$xsd" ]; then
    mkfifo "$tmp/cmds"
    axl <"$tmp/cmds" >"$tmp/out" 2>"$tmp/err" &
    pid=$!
    exec 7>"$tmp/cmds"
    kill -STOP "$xsd"
    echo "list" >&7
    ok "$t: list blocks, waiting on xenstored" wait_for 10 stuck
    kill -INT "$pid"
    ok "$t: says the call cannot be interrupted" wait_for 5 grep -q \
        'Interrupt: waiting for a call into libxl that cannot be interrupted' \
        "$tmp/err"
    ok "$t: the shell is still there" kill -0 "$pid"
    kill -CONT "$xsd"
    echo "version" >&7
    exec 7>&-
    wait_exit "$pid" 30
    is "$rc" 0 "$t: the list finishes and the shell runs on (exit 0)"
    like "$(cat "$tmp/out")" "^Name +ID" "$t: the list was printed"
    like "$(cat "$tmp/out")" "^axl [0-9]" "$t: the next command ran"
    rm -f "$tmp/cmds"
fi

# --- SIGTERM during the cleanup of a Ctrl-C ---
t="SIGTERM during a SIGINT's cleanup"
if signal_in_cleanup TERM 143 "$t"; then
    err=$(cat "$tmp/err")
    like "$err" "^axl: Terminated: abandoning cleanup" \
        "$t: says 'Terminated', a new signal"
    unlike "$err" "Terminated again" "$t: not 'Terminated again'"
fi
clean_domains
ok "$t: cleaned up afterwards" eval "! dom_exists $name"

# --- a third signal while libxl's abort never ends ---
t="third SIGINT while libxl cannot stop"
name=$(cfg_name "$G/hang-bootloader.cfg")
start hang-bootloader
touch "$M/bootloader-hang.ignore-term"
if wait_for 60 in_phase hang-bootloader; then
    id=$(dom_id "$name")
    kill -INT "$pid"
    ok "$t: first: cancelling" wait_for 10 grep -q 'cancelling create' \
        "$tmp/err"
    kill -INT "$pid"
    ok "$t: second: abandoning the cleanup" wait_for 10 grep -q \
        'Interrupt again: abandoning cleanup' "$tmp/err"
    kill -INT "$pid"
    wait_exit "$pid" 10
    is "$rc" 130 "$t: exit 130"
    like "$(cat "$tmp/err")" \
        "exiting during create of '$name': domain $id may be left half-built; remove it with 'axl destroy $id'" \
        "$t: says what is left and how to remove it"
    kill -9 "$(cat "$M/bootloader-hang.pid")" 2>/dev/null
else
    fail "$t: create reaches the bootloader" "$(cat "$tmp/err")"
    kill -9 "$pid"
fi
rm -f "$M/bootloader-hang.ignore-term"
ok "$t: the bootloader is gone" wait_for 10 eval '[ -z "$(fixture_procs)" ]'
clean_domains

# --- shutdown -w ---
t="shutdown -w"
name=$(cfg_name "$G/pv.cfg")
# An earlier guest of that name left its marker in the console log.
: >"/var/log/xen/guest-$name.log"
# -e: no monitor, whose on_poweroff would destroy the domain at once.
axl create -q -e "$G/pv.cfg" 2>"$tmp/err"
id=$(dom_id "$name")
if wait_for 60 grep -q AXL-GUEST-UP "/var/log/xen/guest-$name.log"; then
    axl shutdown -w "$id" >"$tmp/out" 2>"$tmp/err"
    is "$?" 0 "$t: exit 0 once the guest has shut down"
    like "$(dom_state "$name")" "^...s" "$t: the domain has shut down"
else
    fail "$t: the guest boots" "$(cat "$tmp/err")"
fi
clean_domains

t="shutdown of a paused guest, cancelled by --timeout"
# libxl waits for the guest to take the request; a paused one never does.
axl create -q -p "$G/pv.cfg" 2>"$tmp/err"
id=$(dom_id "$name")
axl shutdown -w --timeout=1s "$id" >"$tmp/out" 2>"$tmp/err"
is "$?" 124 "$t: exit 124"
like "$(cat "$tmp/err")" "^axl: cancelling shutdown of domain $id \\('$name'\\)" \
    "$t: names the domain by its name, though given its id"
like "$(tail -1 "$tmp/err")" "domain $id \\('$name'\\) is left paused$" \
    "$t: says the domain is left paused"
ok "$t: the domain is still there" dom_exists "$name"
clean_domains

t="shutdown -w, the wait cancelled by --timeout"
# The guest takes the request and ignores it: the wait is what runs.
# (A request during its boot would be forced through by the kernel: wait
# for this guest's own marker.)
: >"/var/log/xen/guest-$name.log"
axl create -q "$G/pv.cfg" 'extra="console=hvc0 quiet cryptomgr.notests axl.noshutdown"' \
    2>"$tmp/err"
id=$(dom_id "$name")
if wait_for 60 grep -q AXL-GUEST-UP "/var/log/xen/guest-$name.log"; then
    axl shutdown -w --timeout=3s "$id" >"$tmp/out" 2>"$tmp/err"
    is "$?" 124 "$t: exit 124"
    like "$(cat "$tmp/err")" \
        "^axl: shutdown of domain $id \\('$name'\\): no longer waiting" \
        "$t: says the wait ended and the guest may still shut down"
    unlike "$(dom_state "$name")" "^...s" "$t: the guest runs on"
else
    fail "$t: the guest boots" "$(cat "$tmp/err")"
fi
clean_domains

rm -rf "$tmp" "$M"
done_testing
