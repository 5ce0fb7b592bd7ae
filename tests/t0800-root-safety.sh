#!/bin/bash
# Root-safety: hostile input against axl as root, and what xl does with
# the same input in the same boot (said as "# xl: ..." lines, for the
# README).  Each refusal is one line and a nonzero status; nothing is
# executed, nothing is written outside its directory, no process is
# killed, and the guest runs on.
#   - a migration's host holding shell text or starting with '-'
#   - domain names that would be paths: create, rename, restore,
#     migrate-receive
#   - symlinks planted at the temporary save and core files
#   - a journal directory another user owns, with a forged record that
#     names a process not axl's; a FIFO among the records
#   - --no-programs: a received configuration naming a program
cd "$(dirname "$0")/.." || exit 1
. tests/lib/tap.sh
. tests/lib/xen.sh

mkdir -p /var/tmp
tmp=$(mktemp -d /var/tmp/axl.XXXXXX)
pwned=/tmp/axl-pwned
J=${AXL_JOURNAL_DIR:-/run/axl}
victim_pid=
trap 'clean_domains; rm -rf "$tmp" "$pwned"*; chown root "$J";
      chmod 700 "$J"; rm -f "$J/forged.op" "$J/fifo.op";
      [ -n "$victim_pid" ] && kill $victim_pid 2>/dev/null' EXIT
N=r-a
SSH=$PWD/tests/lib/local-ssh
sed -e "s/^name = .*/name = \"$N\"/" -e 's/^memory = .*/memory = 96/' \
    tests/guests/pv.cfg >"$tmp/$N.cfg"
running() { dom_state "$N" | grep -q '^[rb-][rb-]-'; }
# one_line STATUS OUT WANT TITLE: refused with STATUS, in one line that
# matches WANT.
one_line() {
    is "$1" "$2" "$4: status $2"
    is "$(printf '%s\n' "$3" | grep -c .)" 1 "$4: one line"
    like "$3" "$5" "$4: says why"
}

axl create -q -e "$tmp/$N.cfg" || bail "cannot create $N"
wait_for 60 grep -q AXL-GUEST-UP "/var/log/xen/guest-$N.log"

# ---- a migration's host ----
for host in "x;touch $pwned" "\$(touch $pwned)" "\`touch $pwned\`" \
            "-oProxyCommand=touch $pwned" "a b" "x|touch $pwned"; do
    rm -f "$pwned"
    out=$(axl migrate -- "$N" "$host" 2>&1)
    st=$?
    one_line "$st" 2 "$out" "migrate to host '$host'" \
        "^axl: migrate: invalid host"
    out=$(axl migrate -s "$SSH" -- "$N" "$host" 2>&1)
    is "$?" 2 "  the same through -s COMMAND: status 2"
    ok "  nothing was run" test ! -e "$pwned"
done
ok "the guest runs on after every refusal" running
# What a host may be still gets through: user@host and an IPv6 address
# reach the transport (this Xen cannot migrate a PV guest: it says so).
for host in root@localhost "[::1]"; do
    out=$(axl migrate -s "$SSH" -e "$N" "$host" 2>&1)
    like "$out" "no shadow paging" "host '$host' is taken (the transport ran)"
done
ok "  the guest runs on" running
# The shell: the same refusal, the shell goes on.
printf 'migrate %s "x;touch %s"\nversion\n' "$N" "$pwned" >"$tmp/cmds"
out=$(axl -f "$tmp/cmds" --keep-going 2>&1)
like "$out" "invalid host" "in the shell: the host is refused"
like "$out" "$(axl version 2>&1 | head -1)" "  and the shell goes on"
ok "  nothing was run" test ! -e "$pwned"
# xl in the same boot: its host is shell text.
rm -f "$pwned"
timeout 20 xl migrate "$N" "\$(touch $pwned.xl)x" >/dev/null 2>&1
diag "xl: migrate to host '\$(touch FILE)x': $(test -e "$pwned.xl" &&
      echo 'the command ran (FILE made)' || echo 'nothing ran')"
ok "xl's attempt left the guest running" running

# ---- domain names that would be paths ----
bad='../../../../etc/cron.d/axl-x'
sed -e "s|^name = .*|name = \"$bad\"|" "$tmp/$N.cfg" >"$tmp/bad.cfg"
out=$(axl create -q "$tmp/bad.cfg" 2>&1)
one_line "$?" 1 "$out" "create of a domain named '$bad'" \
    "invalid domain name '\\.\\./\\.\\./.*': it starts with '\\.'"
ok "  no domain was made" eval '! dom_exists "$bad"'
for name in "a/b" ".hidden" "$(printf 'a\tb')"; do
    out=$(axl rename "$N" "$name" 2>&1)
    one_line "$?" 2 "$out" "rename to '$name'" "^axl: rename: invalid domain name"
done
ok "the guest keeps its name, and runs on" running
# restore of a save file with a configuration naming a path
ok "axl save -c of the guest" axl save -c "$N" "$tmp/r.sav"
out=$(axl restore "$tmp/bad.cfg" "$tmp/r.sav" 2>&1)
one_line "$?" 1 "$out" "restore with a config naming '$bad'" \
    "invalid domain name"
rm -f "$tmp/r.sav"      # dom0's disk is its memory: one file at a time
# migrate-receive of a configuration naming a path, sent by xl
out=$(xl migrate -s '' -C "$tmp/bad.cfg" "$N" "axl migrate-receive -e" 2>&1)
st=$?
ok "xl migrate of a config naming '$bad' to axl fails (xl: $st)" \
    test "$st" -ne 0
like "$out" "invalid domain name" "  axl migrate-receive says why"
ok "  the guest runs on here" running
ok "  no copy was made" eval '! dom_exists "$bad--incoming"'
# xl in the same boot, for the README.
xl create -p "$tmp/bad.cfg" >/dev/null 2>&1
diag "xl: create of a domain named '$bad': $(dom_exists "$bad" &&
      echo 'created' || echo 'refused')"
xl destroy "$bad" >/dev/null 2>&1

# ---- symlinks planted at the files axl makes ----
echo precious >"$tmp/victim"
# A dangling symlink: only O_EXCL|O_NOFOLLOW stops the file being made
# where it points.
ln -s "$tmp/made-through-link" "$tmp/d.sav.axl-tmp"
out=$(axl save -c "$N" "$tmp/d.sav" 2>&1)
is "$?" 1 "save over a planted dangling symlink: status 1"
ok "  nothing is made where it points" test ! -e "$tmp/made-through-link"
ln -s "$tmp/made-through-link" "$tmp/d.core.axl-tmp"
out=$(axl dump-core "$N" "$tmp/d.core" 2>&1)
is "$?" 1 "dump-core over a planted dangling symlink: status 1"
ok "  nothing is made where it points" test ! -e "$tmp/made-through-link"
rm -f "$tmp/d.sav.axl-tmp" "$tmp/d.core.axl-tmp"
ln -s "$tmp/victim" "$tmp/s.sav.axl-tmp"
out=$(axl save -c "$N" "$tmp/s.sav" 2>&1)
one_line "$?" 1 "$out" "save over a planted symlink" "it exists"
is "$(cat "$tmp/victim")" precious "  the file it points to is untouched"
ok "  the guest runs on" running
ln -s "$tmp/victim" "$tmp/c.core.axl-tmp"
out=$(axl dump-core "$N" "$tmp/c.core" 2>&1)
one_line "$?" 1 "$out" "dump-core over a planted symlink" "it exists"
is "$(cat "$tmp/victim")" precious "  the file it points to is untouched"
rm -f "$tmp/s.sav.axl-tmp" "$tmp/c.core.axl-tmp"
ok "axl save -c makes its file" axl save -c "$N" "$tmp/m.sav"
is "$(stat -c %a "$tmp/m.sav")" 600 "  readable by root alone (0600)"
rm -f "$tmp/m.sav"
ok "axl dump-core makes its file" axl dump-core "$N" "$tmp/m.core"
is "$(stat -c %a "$tmp/m.core")" 600 "  readable by root alone (0600)"
rm -f "$tmp/m.core"
xl save -c "$N" "$tmp/x.sav" >/dev/null 2>&1
diag "xl: save file mode $(stat -c %a "$tmp/x.sav" 2>/dev/null)"
rm -f "$tmp"/*.sav "$tmp"/*.core

# ---- the journal: another user's directory, a forged record, a FIFO ----
# A session leader, as the children axl forks are: only the journal's
# trust rules keep it alive.
setsid sh -c "echo \$\$ >$tmp/victim.pid; exec sleep 600" &
wait_for 10 test -s "$tmp/victim.pid"
victim_pid=$(cat "$tmp/victim.pid")
start=$(awk '{ print $22 }' /proc/$victim_pid/stat)
axl_dead=999999
cat >$J/forged.op <<EOF
verb=create
name=nosuch
uuid=00000000-0000-0000-0000-000000000000
domid=4000
dev=
vdev=
devid=-1
keep=0
phase=
pid=$axl_dead
start=1
children=$victim_pid:$start
EOF
chown 65534 $J/forged.op
out=$(timeout 20 axl list 2>&1)
is "$?" 0 "a record another user owns: axl list exits 0"
ok "  the process it names is not killed" kill -0 $victim_pid
chown root $J/forged.op
chown 65534 "$J"
out=$(timeout 20 axl cleanup 2>&1)
like "$out" "journal is not used: '$J' belongs to another user" \
    "a journal directory another user owns: axl says it is not used"
ok "  the process a record there names is not killed" kill -0 $victim_pid
chown root "$J"
chmod 755 "$J"
out=$(timeout 20 axl list 2>&1 >/dev/null)
like "$out" "journal is not used: .*mode 755" \
    "a journal directory open to others: not used either"
chmod 700 "$J"
rm -f $J/forged.op
mkfifo $J/fifo.op
out=$(timeout 20 axl list 2>&1)
is "$?" 0 "a FIFO among the records does not hang axl list"
rm -f $J/fifo.op
kill $victim_pid
ok "the guest runs on" running

# ---- --no-programs ----
sed -e 's|^name = .*|name = "r-b"|' \
    -e '$a bootloader = "/bin/true"' "$tmp/$N.cfg" >"$tmp/prog.cfg"
out=$(xl migrate -s '' -C "$tmp/prog.cfg" "$N" \
      "axl migrate-receive -e --no-programs" 2>&1)
like "$out" "names a bootloader '/bin/true', and --no-programs refuses it" \
    "migrate-receive --no-programs refuses a config naming a bootloader"
ok "  the guest runs on here" running
ok "  no copy was made" eval '! dom_exists r-b--incoming'
sed -e 's|^name = .*|name = "r-c"|' \
    -e '$a device_model_args = [ "-netdev", "tap,script=/bin/true" ]' \
    "$tmp/$N.cfg" >"$tmp/dmargs.cfg"
out=$(xl migrate -s '' -C "$tmp/dmargs.cfg" "$N" \
      "axl migrate-receive -e --no-programs" 2>&1)
like "$out" "names a device model argument '-netdev'" \
    "  and one giving the device model arguments"
ok "  the guest runs on here" running
# Xen's own hotplug scripts are not programs of the sender's choosing.
sed -e 's|^name = .*|name = "r-d"|' \
    -e '$a vif = [ "bridge=xenbr0" ]' "$tmp/$N.cfg" >"$tmp/vif.cfg"
out=$(xl migrate -s '' -C "$tmp/vif.cfg" "$N" \
      "axl migrate-receive -e --no-programs" 2>&1)
unlike "$out" "no-programs refuses" \
    "  a guest with a vif and Xen's own script is not refused"
ok "  the guest runs on here" running

axl destroy "$N" >/dev/null 2>&1
done_testing
