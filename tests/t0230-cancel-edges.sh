#!/bin/bash
# Cancellation edge cases: a second SIGINT during the cleanup, the
# terminal's SIGINT to the whole process group, a cancel that comes after
# the create finished.
cd "$(dirname "$0")/.." || exit 1
. tests/lib/tap.sh
. tests/lib/xen.sh
. tests/lib/cancel.sh

# --- a second SIGINT while the destroy cleanup runs ---
# The hotplug fixture's "remove" also hangs when asked, so the cleanup
# destroy is caught in flight.
t="second SIGINT during cleanup"
if signal_in_cleanup INT 130 "$t"; then
    last=$(tail -1 "$tmp/err")
    if dom_exists "$name"; then
        like "$last" "domain $id \\('$name'\\) is left" \
            "$t: last line names the domain left behind"
    else
        like "$last" "no domain is left|nothing is left" \
            "$t: last line says nothing is left"
    fi
fi
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
# finished finds nothing to cancel, and the domain stays.  The create is
# over, and the shell idle between commands, once the version command sent
# after it has printed.
t="SIGINT after the create finished"
name=$(cfg_name "$G/pv.cfg")
ver=$(axl version)
mkfifo "$tmp/cmds"
axl <"$tmp/cmds" >"$tmp/out" 2>"$tmp/err" &
pid=$!
exec 7>"$tmp/cmds"
echo "create $G/pv.cfg" >&7
if wait_for 30 dom_exists "$name" && wait_for 10 eval \
    '[ "$(dom_state "$name" | cut -c3)" = - ]'; then
    echo version >&7
    wait_for 10 grep -qxF -- "$ver" "$tmp/out"
    kill -INT "$pid"
    wait_for 10 grep -q "nothing is running to cancel" "$tmp/err"
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
