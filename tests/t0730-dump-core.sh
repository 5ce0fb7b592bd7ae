#!/bin/bash
# dump-core: a core as xl's (same size), the guest's state as it was
# (running stays running, paused stays paused), and a cancel (SIGINT in
# the middle of the writing, --timeout) that leaves no file at all; next
# to what a Ctrl-C leaves with xl dump-core in the same boot.
cd "$(dirname "$0")/.." || exit 1
. tests/lib/tap.sh
. tests/lib/xen.sh

# Files of 100 MiB: on the root file system, not the small /tmp.
mkdir -p /var/tmp
tmp=$(mktemp -d /var/tmp/axl.XXXXXX)
trap 'umount "$tmp/small" 2>/dev/null || umount -l "$tmp/small" 2>/dev/null
      clean_domains; rm -rf "$tmp"' EXIT

sed -e 's/^name = .*/name = "d-a"/' -e 's/^memory = .*/memory = 96/' \
    tests/guests/pv.cfg >"$tmp/d-a.cfg"
axl create -q -e "$tmp/d-a.cfg" || bail "cannot create d-a"
up() { grep -q AXL-GUEST-UP /var/log/xen/guest-d-a.log 2>/dev/null; }
wait_for 60 up
size() { stat -c %s "$1" 2>/dev/null || echo 0; }

# One core at a time: dom0's /tmp is in its RAM.
ok "dump-core exits 0" axl dump-core d-a "$tmp/a.core"
sa=$(size "$tmp/a.core")
is "$(head -c 4 "$tmp/a.core" | od -An -c | tr -d ' ')" '177ELF' \
    "  an ELF file"
rm -f "$tmp/a.core"
xl dump-core d-a "$tmp/x.core"
sx=$(size "$tmp/x.core")
rm -f "$tmp/x.core"
ok "  a core of more than the guest's 96 MiB" test "$sa" -gt 100663296
is "$sa" "$sx" "  the size of xl's core of the same guest"
ok "  no temporary file is left" test ! -e "$tmp/a.core.axl-tmp"
like "$(dom_state d-a)" "^[rb-]{2}-" "  the guest still runs"

axl pause d-a
ok "dump-core of a paused guest exits 0" axl dump-core d-a "$tmp/p.core"
like "$(dom_state d-a)" "^..p" "  and the guest stays paused"
rm -f "$tmp/p.core"
axl unpause d-a

# writing: the temporary core has begun to grow.
writing() { [ "$(size "$1")" -gt 0 ]; }

axl dump-core d-a "$tmp/c.core" 2>"$tmp/err" &
pid=$!
ok "SIGINT: the core is being written" wait_for 30 writing "$tmp/c.core.axl-tmp"
t0=$(now_us)
kill -INT $pid
wait_exit $pid 30
t1=$(now_us)
is "$rc" 130 "SIGINT in the middle of the writing: exit 130"
diag "SIGINT to exit: $(( (t1 - t0) / 1000 )) ms"
ok "  no core file under its name" test ! -e "$tmp/c.core"
ok "  and no temporary one" test ! -e "$tmp/c.core.axl-tmp"
like "$(cat "$tmp/err")" "no core file was left" "  it says so"
like "$(dom_state d-a)" "^[rb-]{2}-" "  the guest runs on"

# A terminal's Ctrl-C reaches the whole foreground process group: axl
# and, unless it has a session of its own, the child writing the core.
# axl leads its own group here (setsid), and the SIGINT goes to the group.
setsid axl dump-core d-a "$tmp/g.core" 2>"$tmp/err" &
pid=$!
ok "SIGINT to the group: the core is being written" \
    wait_for 30 writing "$tmp/g.core.axl-tmp"
kill -INT -- -$pid
wait_exit $pid 30
is "$rc" 130 "  exit 130 (the writer is not in the terminal's group)"
like "$(cat "$tmp/err")" "no core file was left" "  it says the core is gone"
ok "  no temporary file" test ! -e "$tmp/g.core.axl-tmp"
like "$(dom_state d-a)" "^[rb-]{2}-" "  the guest runs on"

echo old >"$tmp/t.core"
axl dump-core --timeout=1ms d-a "$tmp/t.core" 2>"$tmp/err"
is "$?" 124 "--timeout: exit 124"
is "$(cat "$tmp/t.core")" old "  a file of that name is left as it was"
ok "  no temporary file" test ! -e "$tmp/t.core.axl-tmp"

out=$(axl dump-core nosuch "$tmp/n.core" 2>&1); st=$?
is "$st:$out" "1:axl: no such domain 'nosuch'" "a bad domain: one line, exit 1"
out=$(axl dump-core d-a "$tmp" 2>&1); st=$?
is "$st:$out" "2:axl: dump-core: '$tmp' is a directory" \
    "a directory: one line, exit 2"
axl dump-core d-a >/dev/null 2>&1
is "$?" 2 "a missing file: a usage error"

# A dump that fails in its child says the child's own cause (libxl logs
# it in the child, whose log dies with it): a file system of 1 MiB.
mkdir -p "$tmp/small"
if mount -t tmpfs -o size=1m tmpfs "$tmp/small"; then
    out=$(axl dump-core d-a "$tmp/small/f.core" 2>&1); st=$?
    is "$st" 1 "a core that does not fit: exit 1"
    like "$out" "^axl: cannot dump-core domain 'd-a': .*No space left on device" \
        "  the error line says why"
    unlike "$out" "libxl reported a failure" "  not libxl's code alone"
    ok "  no file is left" test -z "$(ls -A "$tmp/small")"
    like "$(dom_state d-a)" "^[rb-]{2}-" "  the guest runs on"
    xout=$(xl dump-core d-a "$tmp/small/x.core" 2>&1); xst=$?
    diag "xl dump-core there: exit $xst, $(ls -A "$tmp/small" | wc -l) file(s) left; it said: $(printf '%s\n' "$xout" | tail -2)"
    ok "  the small file system is unmounted" umount "$tmp/small"
else
    fail "a 1 MiB tmpfs for a core that does not fit"
fi

# What xl leaves after a Ctrl-C in the middle of its dump.
xl dump-core d-a "$tmp/xc.core" >/dev/null 2>&1 &
xpid=$!
if wait_for 30 writing "$tmp/xc.core"; then
    kill -INT $xpid
    wait_exit $xpid 30
    diag "xl dump-core after SIGINT: exit $rc, left $(size "$tmp/xc.core") bytes in xc.core"
else
    diag "xl dump-core was done before it could be interrupted"
fi
rm -f "$tmp/xc.core"
ok "axl destroy d-a" axl destroy d-a
done_testing
