#!/bin/bash
# save and restore, interoperable with xl in both directions, and
# cancellable: a save cancelled in the middle of the copy leaves the
# guest running and no file; a restore cancelled leaves what its policy
# says.  The guest prints a counter every second (axl.counter): after
# each restore the count goes on from where it was and the guest did
# not boot again, so it really resumed.  Next to what a Ctrl-C does to xl save in the same boot.
cd "$(dirname "$0")/.." || exit 1
. tests/lib/tap.sh
. tests/lib/xen.sh

# Files of 100 MiB: on the root file system, not the small /tmp.
mkdir -p /var/tmp
tmp=$(mktemp -d /var/tmp/axl.XXXXXX)
trap 'clean_domains; rm -rf "$tmp"' EXIT
N=s-a
LOG=/var/log/xen/guest-$N.log
sed -e "s/^name = .*/name = \"$N\"/" -e 's/^memory = .*/memory = 96/' \
    -e 's/^extra = .*/extra = "console=hvc0 quiet cryptomgr.notests axl.counter"/' \
    tests/guests/pv.cfg >"$tmp/$N.cfg"
size() { stat -c %s "$1" 2>/dev/null || echo 0; }

# alive: the guest counts on beyond what it had printed, without having
# booted again (a boot prints AXL-GUEST-UP once more and counts from 0).
alive() {
    local before
    before=$(max_count "$LOG")
    wait_for 20 eval '[ "$(max_count "$LOG")" -gt "$before" ]' &&
        [ "$(grep -c AXL-GUEST-UP "$LOG")" = 1 ]
}
running() { dom_state "$N" | grep -q '^[rb-][rb-]-'; }

axl create -q -e "$tmp/$N.cfg" || bail "cannot create $N"
wait_for 60 grep -q AXL-COUNT "$LOG"

# ---- axl save, xl restore ----
ok "axl save exits 0" axl save "$N" "$tmp/a.sav"
ok "  the domain is gone" eval '! dom_exists $N'
ok "  the file is there" test -s "$tmp/a.sav"
ok "  no temporary file" test ! -e "$tmp/a.sav.axl-tmp"
ok "xl restore reads axl's file" eval 'xl restore "$tmp/a.sav" >/dev/null 2>&1'
ok "  the guest runs again" alive
rm -f "$tmp/a.sav"

# ---- xl save, axl restore ----
xl save "$N" "$tmp/x.sav" >/dev/null 2>&1
ok "xl saved it" test -s "$tmp/x.sav"
ok "axl restore reads xl's file" axl restore -e "$tmp/x.sav"
ok "  the guest runs again" alive
rm -f "$tmp/x.sav"

# ---- save -c, save -p ----
ok "save -c exits 0" axl save -c "$N" "$tmp/c.sav"
ok "  the guest runs on" running
ok "  and answers" alive
rm -f "$tmp/c.sav"
ok "save -p exits 0" axl save -p "$N" "$tmp/p.sav"
like "$(dom_state "$N")" "^..p" "  the guest is left paused"
axl unpause "$N"
rm -f "$tmp/c.sav" "$tmp/p.sav"

# ---- a save cancelled in the middle of the copy ----
writing() { [ "$(size "$tmp/i.sav.axl-tmp")" -gt 1048576 ]; }
axl save "$N" "$tmp/i.sav" 2>"$tmp/err" &
pid=$!
ok "SIGINT: the save is copying memory" wait_for 30 writing
t0=$(now_us)
kill -INT $pid
wait_exit $pid 30
t1=$(now_us)
is "$rc" 130 "SIGINT in the middle of the save: exit 130"
diag "SIGINT to exit: $(( (t1 - t0) / 1000 )) ms"
ok "  no save file" test ! -e "$tmp/i.sav"
ok "  no temporary file" test ! -e "$tmp/i.sav.axl-tmp"
like "$(cat "$tmp/err")" "resumed and runs on|had not been suspended and runs on" \
    "  says the guest runs on"
ok "  it does" running
ok "  and answers" alive
is "$(xl list | awk -v n="$N" '$1 == n' | wc -l)" 1 "  exactly one copy of it exists"

axl save --timeout=1ms "$N" "$tmp/t.sav" 2>"$tmp/err"
is "$?" 124 "--timeout: exit 124"
ok "  no file" eval 'test ! -e "$tmp/t.sav" && test ! -e "$tmp/t.sav.axl-tmp"'
ok "  the guest runs on" running

# A name taken (another save's, or a killed one's): refused, untouched.
echo other >"$tmp/e.sav.axl-tmp"
axl save "$N" "$tmp/e.sav" 2>"$tmp/err"
is "$?" 1 "a save whose temporary name is taken: exit 1"
like "$(cat "$tmp/err")" "cannot create '$tmp/e.sav.axl-tmp': it exists .*axl cleanup" \
    "  says why, in one line"
is "$(cat "$tmp/e.sav.axl-tmp")" other "  the other file is untouched"
ok "  no file of its own" test ! -e "$tmp/e.sav"
ok "  the guest runs on" running

# ---- a save killed (SIGKILL): the journal lets cleanup put it right ----
axl save "$N" "$tmp/k.sav" 2>"$tmp/err" &
pid=$!
writing() { [ "$(size "$tmp/k.sav.axl-tmp")" -gt 1048576 ]; }
ok "SIGKILL: the save is copying memory" wait_for 30 writing
kill -KILL $pid
wait_exit $pid 30
is "$rc" 137 "SIGKILL in the middle of the save: exit 137"
like "$(dom_state "$N")" "^...s" "  the guest is left suspended"
out=$(axl list 2>&1 >/dev/null)
like "$out" "domain [0-9]+ \('$N'\) was left suspended and '$tmp/k.sav.axl-tmp' was left partly written by 'axl save' \(pid $pid, killed during .*\); 'axl cleanup' resumes the domain and removes the file" \
    "  the next command says what was left and what cleanup does"
out=$(axl cleanup 2>&1)
is "$?" 0 "  axl cleanup exits 0"
like "$out" "removed the partly written '$tmp/k.sav.axl-tmp'" "  it says it removed the file"
like "$out" "domain [0-9]+ \('$N'\) was resumed" "  and that it resumed the domain"
ok "  no file under either name" eval 'test ! -e "$tmp/k.sav" && test ! -e "$tmp/k.sav.axl-tmp"'
ok "  the guest runs" running
ok "  and answers" alive
ok "  no save helper is left" eval '[ -z "$(procs_matching libxl-save-helper)" ]'
ok "  no record is left" eval '[ -z "$(ls /run/axl/*.op 2>/dev/null)" ]'
out=$(axl list 2>&1 >/dev/null)
is "$out" "" "  and nothing more is said"

# ---- restore: cancelled, under both policies ----
axl save -c "$N" "$tmp/r.sav" || bail "cannot save $N"
axl destroy "$N"
# The stream comes through a FIFO that stops after 4 MiB: the restore
# has made its domain and waits for the rest, so the cancel always lands
# in the middle of it.
for policy in destroy keep; do
    rm -f "$tmp/slow.sav"
    mkfifo "$tmp/slow.sav"
    (head -c 4194304 "$tmp/r.sav"; exec sleep 300) >"$tmp/slow.sav" &
    feeder=$!
    axl restore -e -p --on-cancel=$policy "$tmp/slow.sav" 2>"$tmp/err" &
    pid=$!
    ok "$policy: the restore has made its domain" wait_for 30 dom_exists "$N"
    kill -INT $pid
    wait_exit $pid 30
    kill "$feeder" 2>/dev/null
    wait "$feeder" 2>/dev/null
    is "$rc" 130 "$policy: SIGINT in the middle of the stream: exit 130"
    if [ $policy = destroy ]; then
        ok "destroy: no domain is left" wait_for 10 eval '! dom_exists $N'
    else
        # libxl may fail on its way out and destroy the domain itself:
        # then axl says keep could not be honoured.
        if dom_exists "$N"; then
            like "$(dom_state "$N")" "^..p" "keep: the half-restored domain is kept, paused"
            axl destroy "$N"
        else
            like "$(cat "$tmp/err")" "could not be honoured" \
                "keep: libxl destroyed it, and axl says keep could not be honoured"
        fi
    fi
done
ok "the save file is untouched by the cancels" test -s "$tmp/r.sav"

# ---- bad input ----
echo "not a save file" >"$tmp/bad.sav"
out=$(axl restore "$tmp/bad.sav" 2>&1); st=$?
is "$st:$out" "1:axl: cannot restore from '$tmp/bad.sav': not a save file of xl's or axl's" \
    "a file that is not a save file: one line, exit 1"
out=$(axl restore "$tmp/none.sav" 2>&1); st=$?
is "$st" 1 "a missing file: exit 1"
out=$(axl save nosuch "$tmp/n.sav" 2>&1); st=$?
is "$st:$out" "1:axl: no such domain 'nosuch'" "save of a bad domain: one line, exit 1"
out=$(axl save -c -p "$N" "$tmp/n.sav" 2>&1); st=$?
is "$st" 2 "save -c -p: a usage error"

# ---- what a Ctrl-C does to xl save, same boot ----
axl restore -e "$tmp/r.sav" >/dev/null 2>&1
xl save "$N" "$tmp/xi.sav" >/dev/null 2>&1 &
xpid=$!
if wait_for 30 eval '[ "$(size "$tmp/xi.sav")" -gt 1048576 ]'; then
    kill -INT $xpid 2>/dev/null
    wait_exit $xpid 60
    diag "xl save after SIGINT: exit $rc; file $(size "$tmp/xi.sav") bytes; domain $(dom_exists "$N" && echo exists || echo gone)"
fi
rm -f "$tmp/xi.sav" "$tmp/r.sav"
done_testing
