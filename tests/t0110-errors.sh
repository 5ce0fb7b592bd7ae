#!/bin/bash
# A failure is said in one line by its cause, as xl shows it: the first
# error libxl or libxc reported, in words, with libxl's source location
# only under -v.  Each case runs xl in the same boot and checks that axl
# names the same cause.
cd "$(dirname "$0")/.." || exit 1
. tests/lib/tap.sh
. tests/lib/xen.sh

tmp=$(mktemp -d)
G=tests/guests

# failing NAME CAUSE CFG [ARGS]: axl and xl both fail to create CFG;
# axl says CAUSE (an ERE) in one line, xl's output shows it too, and
# nothing is left.
failing() {
    local name=$1 cause=$2 cfg=$3
    shift 3
    xl create "$cfg" "$@" >"$tmp/xl.out" 2>&1
    local xl_rc=$?
    axl create "$cfg" "$@" >"$tmp/out" 2>"$tmp/err"
    local rc=$?
    local err
    err=$(grep -v '^axl: \(parsing config\|creating domain\)' "$tmp/err" |
          grep -v 'failed; no domain is left$')
    is "$rc" 1 "$name: exit 1"
    ok "$name: xl fails too" test "$xl_rc" -ne 0
    like "$err" "^axl: cannot create domain '[^']+': $cause$" \
        "$name: one line naming the cause"
    is "$(printf '%s\n' "$err" | grep -c .)" 1 "$name: one line"
    ok "$name: xl shows the same cause" grep -Eq -- "$cause" "$tmp/xl.out"
    unlike "$err" '\.c:[0-9]+|Domain [0-9]+:|libxl reported' \
        "$name: no source location, no error code summary"
    axl -v create "$cfg" "$@" >"$tmp/out" 2>"$tmp/err"
    like "$(grep '^axl: cannot create' "$tmp/err")" \
        "^axl: cannot create domain '[^']+': (xc|libxl): .*\\.c:[0-9]+" \
        "$name: under -v the cause carries libxl's source location"
}

cat >"$tmp/nokernel.cfg" <<'CFG'
name = "e-nokernel"
kernel = "/nonexistent/vmlinux"
memory = 64
CFG
failing "missing kernel" \
    "failed to open file '/nonexistent/vmlinux': No such file or directory" \
    "$tmp/nokernel.cfg"

cat >"$tmp/bigmem.cfg" <<'CFG'
name = "e-bigmem"
kernel = "/lab/guest/vmlinux"
memory = 100000000
CFG
failing "memory beyond the host" \
    "can't allocate low memory for domain: Out of memory" "$tmp/bigmem.cfg"

cat >"$tmp/nodisk.cfg" <<'CFG'
name = "e-nodisk"
kernel = "/lab/guest/vmlinux"
memory = 64
disk = [ "format=raw, vdev=xvda, target=/nonexistent/disk.img" ]
CFG
failing "missing disk image" \
    "Disk vdev=xvda failed to stat: /nonexistent/disk.img: No such file or directory" \
    "$tmp/nodisk.cfg"

# A script that fails: libxl learns it after its call has returned,
# while the other creates go on.
cat >"$tmp/badscript.cfg" <<'CFG'
name = "e-badscript"
kernel = "/lab/guest/vmlinux"
memory = 64
disk = [ "format=raw, vdev=xvda, access=ro, script=/bin/false, target=/lab/disk.img" ]
CFG

# Many at once, from one shell: every failure says its own cause, none
# another's, and the good ones are made.  (One process's libxl logs
# every create's errors into one stream; each create finds its own.)
t="six at once"
{
    echo "create -p $G/pv.cfg 'name=\"e-good1\"' memory=96 &"
    echo "create $tmp/nokernel.cfg &"
    echo "create $tmp/bigmem.cfg &"
    echo "create -p $G/pv.cfg 'name=\"e-good2\"' memory=96 &"
    echo "create $tmp/nodisk.cfg &"
    echo "create $tmp/badscript.cfg &"
    echo "wait"
} >"$tmp/batch"
axl --keep-going -f "$tmp/batch" >"$tmp/out" 2>"$tmp/err"
is "$?" 1 "$t: exit 1 (some failed)"
line() { grep -E "^axl: (\[[0-9]+\] )?cannot create domain '$1': " "$tmp/err"; }
like "$(line e-nokernel)" \
    "failed to open file '/nonexistent/vmlinux': No such file or directory$" \
    "$t: the missing kernel's own cause"
like "$(line e-bigmem)" "can't allocate low memory for domain: Out of memory$" \
    "$t: the big one's own cause"
like "$(line e-nodisk)" \
    "Disk vdev=xvda failed to stat: /nonexistent/disk.img: No such file or directory$" \
    "$t: the missing disk's own cause"
bad=$(line e-badscript)
like "$bad" "^axl: (\[[0-9]+\] )?cannot create domain 'e-badscript': .+" \
    "$t: the failing script's create fails, in one line"
unlike "$bad" "vmlinux|low memory|failed to stat|libxl reported a failure" \
    "$t: ... by a cause of its own, not another's, not the error code"
like "$bad" "/bin/false|script|disk|device" "$t: ... which is about its disk"
is "$(grep -Ec "^axl: (\[[0-9]+\] )?cannot create domain" "$tmp/err")" 4 \
    "$t: one line for each failure"
ok "$t: the good ones are made" eval 'dom_exists e-good1 && dom_exists e-good2'
if [ "$(grep -Ec "^axl: (\[[0-9]+\] )?cannot create domain" "$tmp/err")" != 4 ] ||
    ! printf '%s\n' "$bad" | grep -q .; then
    diag "$(cat "$tmp/err")"
fi
clean_domains

axl create -q "$G/pv.cfg" 2>"$tmp/err"
is "$?" 0 "a guest to clash with"
failing "name clash" "Domain with name \"g-pv\" already exists\\." "$G/pv.cfg"
ok "the running guest is untouched" dom_exists g-pv
clean_domains

ok "nothing is left" eval '[ "$(ndomains)" = 1 ]'
rm -rf "$tmp"
done_testing
