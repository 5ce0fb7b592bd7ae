#!/bin/bash
# Consoles: axl console and create -c next to xl's in the same boot; bad
# input; a signal ends the console client with axl; on a terminal
# (script(1) gives one), Ctrl-] leaves the console and the guest runs on.
cd "$(dirname "$0")/.." || exit 1
. tests/lib/tap.sh
. tests/lib/xen.sh

tmp=$(mktemp -d)
# consoles: pids of console clients still running.
consoles() { pids_named xenconsole; }
cleanup() {
    kill -9 $(consoles) 2>/dev/null
    clean_domains
    rm -rf "$tmp"
}
trap cleanup EXIT

# cfg NAME: a guest that boots, says AXL-GUEST-UP and stays up.
cfg() {
    sed "s/^name = .*/name = \"$1\"/" tests/guests/pv.cfg >"$tmp/$1.cfg"
    echo "$tmp/$1.cfg"
}

# ---- create -c without a terminal: the whole boot is captured ----
# Each ended by SIGTERM once its guest is up (at most 25 s).
axl create -c "$(cfg c-a)" </dev/null >"$tmp/a.out" 2>"$tmp/a.err" &
pid=$!
wait_for 25 grep -qs AXL-GUEST-UP "$tmp/a.out"
kill -TERM "$pid"
wait_exit "$pid" 10
st=$rc
ok "axl's console client ends with it" \
    wait_for 5 eval '[ -z "$(consoles)" ]'
xl create -c "$(cfg c-x)" </dev/null >"$tmp/x.out" 2>&1 &
pid=$!
wait_for 25 grep -qs AXL-GUEST-UP "$tmp/x.out"
kill -TERM "$pid"
wait_exit "$pid" 10
grep -q AXL-GUEST-UP "$tmp/x.out" ||
    diag "xl create -c did not show the marker: $(tail -3 "$tmp/x.out")"
# xl's console client outlives the xl that SIGTERM ended: count them,
# then end them, so that what follows sees axl's alone.
xl_left=$(consoles | wc -l)
diag "xenconsole clients left by xl create -c after SIGTERM: $xl_left"
kill $(consoles) 2>/dev/null
wait_for 5 eval '[ -z "$(consoles)" ]'
ok "create -c shows the guest's console to its marker" \
    grep -q AXL-GUEST-UP "$tmp/a.out"
ok "  as xl create -c does" grep -q AXL-GUEST-UP "$tmp/x.out"
is "$st" 0 "create -c ended by a signal after the create: the create's status"
ok "  the guest runs on" dom_exists c-a
unlike "$(cat "$tmp/a.err")" "creating domain" \
    "  no progress line is printed over the console"

# ---- two create -c jobs in one shell: each waits for its own client ----
# Guests that stay up: the test ends them once both markers are shown,
# one and then the other, so that no guest's end races its console.
cfg c-j1 >/dev/null
cfg c-j2 >/dev/null
printf 'create -c %s &\ncreate -c %s &\nwait\n' "$tmp/c-j1.cfg" \
    "$tmp/c-j2.cfg" >"$tmp/two"
timeout -s TERM 120 axl -f "$tmp/two" </dev/null >"$tmp/two.out" \
    2>"$tmp/two.err" &
pid=$!
shown() { grep -c AXL-GUEST-UP "$tmp/two.out" 2>/dev/null; }
wait_for 90 eval '[ "$(shown)" -ge 2 ]'
n=$(shown)
is "$n" 2 "two create -c jobs in one shell: both guests' consoles are shown"
[ "$n" = 2 ] ||
    diag "what the shell showed: $(tail -c 600 "$tmp/two.out" | tr '\n' '|')
    what xenconsoled logged: $(tail -q -n 4 /var/log/xen/guest-c-j1.log \
        /var/log/xen/guest-c-j2.log 2>/dev/null | tr '\n' '|')
    stderr: $(tr '\n' '|' <"$tmp/two.err")"
xl destroy c-j1
ok "  the first guest's client ends with it" \
    wait_for 15 eval '[ "$(consoles | wc -l)" = 1 ]'
sleep 1
ok "  with one client ended, the shell waits for the other" kill -0 "$pid"
xl destroy c-j2
wait_exit "$pid" 30
is "$rc" 0 "  then it exits 0"
[ "$rc" = 0 ] || diag "$(tail -5 "$tmp/two.err")"
unlike "$(cat "$tmp/two.err")" "AddressSanitizer|runtime error|Segmentation" \
    "  no crash"
ok "  no console client is left when it ends" eval '[ -z "$(consoles)" ]'

# ---- create -c -F: one signal ends the monitor and the console alike ----
# The console client and the foreground monitor each have a say on a
# signal; one SIGTERM must reach both, or axl runs on with its client.
axl create -c -F "$(cfg c-f)" </dev/null >"$tmp/f.out" 2>"$tmp/f.err" &
pid=$!
if wait_for 30 grep -qs AXL-GUEST-UP "$tmp/f.out"; then
    kill -TERM "$pid"
    wait_exit "$pid" 10
    ok "create -c -F: one SIGTERM ends axl (monitor and console)" \
        test "$rc" != timeout
    diag "create -c -F after SIGTERM: status $rc"
    like "$(cat "$tmp/f.err")" "stopped monitoring domain [0-9]+ \('c-f'\)" \
        "  the monitor says it stopped"
    ok "  its console client ends with it" \
        wait_for 5 eval '[ -z "$(consoles)" ]'
    ok "  the guest runs on" dom_exists c-f
else
    fail "create -c -F: the guest's console shows its marker" \
        "$(tail -3 "$tmp/f.err")"
    kill -9 "$pid"
fi
axl destroy c-f 2>/dev/null

# ---- axl console ----
timeout -s TERM 3 axl console c-a </dev/null >/dev/null 2>"$tmp/c.err"
is "$?" 143 "console ended by SIGTERM: exit 143"
ok "  its client ends with it" wait_for 5 eval '[ -z "$(consoles)" ]'
out=$(axl console -t serial c-a 2>&1); st=$?
# xl's client waits for a console that never comes: stop it after 5 s.
(timeout -s KILL 5 xl console -t serial c-x </dev/null) >/dev/null 2>&1
xst=$?
kill $(consoles) 2>/dev/null
is "$st:$out" "1:axl: domain 'c-a' has no serial console 0" \
    "a PV guest has no serial console: one line, exit 1"
is "$xst" 137 "  where xl's client waits until killed"
out=$(axl console -t bogus c-a 2>&1); st=$?
is "$st:$out" "2:axl: console: invalid console type 'bogus' (use pv, serial or vuart)" \
    "a bad type: one line, exit 2"
out=$(axl console -n x c-a 2>&1); st=$?
is "$st:$out" "2:axl: console: invalid console number 'x'" \
    "a bad number: one line, exit 2"
out=$(axl console nosuch 2>&1); st=$?
is "$st:$out" "1:axl: no such domain 'nosuch'" "a bad domain: one line, exit 1"
is "$(axl __complete 3 axl console -t "")" "pv
serial
vuart" "completion offers the console types"
like "$(axl __complete 2 axl console "")" "c-a" \
    "  and the domains"

# ---- on a terminal (script(1) makes one): Ctrl-] leaves the console ----
# Ctrl-] (0x1d) once the client runs (and has had a moment to set its
# terminal raw).
client_up() { wait_for 10 eval '[ -n "$(consoles)" ]' && sleep 0.5; }
client_gone() { wait_for 10 eval '[ -z "$(consoles)" ]'; }
(client_up; printf '\035'; client_gone) |
    script -q -c "axl console c-a; echo AXL-STATUS=\$?" "$tmp/typescript" \
        >/dev/null 2>&1
like "$(tr -d '\r' <"$tmp/typescript")" "AXL-STATUS=0" \
    "on a terminal, Ctrl-] leaves the console: exit 0"
ok "  the guest runs on" dom_exists c-a
(sleep 1; printf 'console c-a\n'; client_up; printf '\035'; client_gone;
 printf 'list c-a\n'; sleep 1; printf 'quit\n'; sleep 1) |
    script -q -c "axl shell" "$tmp/shell" >/dev/null 2>&1
like "$(tr -d '\r' <"$tmp/shell" | sed -n '/list c-a/,$p')" "c-a +[0-9]+ " \
    "in the shell, console gives the terminal back and the shell reads on"

ok "axl destroy c-a" axl destroy c-a
ok "xl destroy c-x" xl destroy c-x
done_testing
