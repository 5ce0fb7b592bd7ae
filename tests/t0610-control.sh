#!/bin/bash
# Control commands on a running PV guest and on the host: sysrq, mem-set,
# mem-max, rename, vcpu-pin, sched-credit2, sched-credit, sched-rtds,
# debug-keys, set-parameters, cpupool-numa-split and the cpupool
# commands; and what the lab lacks, against xl in the same boot: an RTDS
# pool, FLASK (getenforce, setenforce, loadpolicy), xentop (top), a VNC
# display (vncviewer of a guest without one; t0910 has one with it).
# Each effect is checked through xl in the same boot, each listing
# against xl's byte for byte; bad domain, bad number, missing argument:
# status and one line.  CPU pools (and
# Pool-0's name), the scheduler's parameters and Xen's log level are put
# back as they were found.
cd "$(dirname "$0")/.." || exit 1
. tests/lib/tap.sh
. tests/lib/xen.sh

G=tests/guests
D=g-ctl                         # the guest, by a name no other test uses
P=axl-t0610                     # the cpupool this test makes
tmp=$(mktemp -d)
pools_before=$(xl cpupool-list 2>/dev/null)
pool0_cpus=$(xl cpupool-list -c Pool-0 2>/dev/null | awk 'NR == 2 { print $2 }')
rate_before=$(xl sched-credit2 -s 2>/dev/null | sed -n 's/.*ratelimit=\([0-9]*\)us.*/\1/p')

# put_back: cpupools, Pool-0's name and CPUs and the credit2 rate limit
# as found (cpupool-numa-split renames Pool-0 after its node).
put_back() {
    local p c
    xl cpupool-list Pool-0 >/dev/null 2>&1 ||
        xl cpupool-rename Pool-node0 Pool-0 >/dev/null 2>&1
    for p in "$P" "$P-b"; do
        xl cpupool-list "$p" >/dev/null 2>&1 || continue
        xl cpupool-migrate "$D" Pool-0 >/dev/null 2>&1
        xl cpupool-destroy "$p" >/dev/null 2>&1
    done
    for c in ${pool0_cpus//,/ }; do
        case ",$(xl cpupool-list -c Pool-0 | awk 'NR == 2 { print $2 }')," in
        *",$c,"*) ;;
        *) xl cpupool-cpu-add Pool-0 "$c" >/dev/null 2>&1 ;;
        esac
    done
    [ -n "$rate_before" ] && xl sched-credit2 -s -r "$rate_before" >/dev/null 2>&1
}
cleanup() {
    put_back
    xl destroy "$D" >/dev/null 2>&1
    xl destroy "$D-renamed" >/dev/null 2>&1
    rm -rf "$tmp"
}
trap cleanup EXIT

# expect STATUS PATTERN TITLE -- CMD...: status, and exactly one stderr
# line matching PATTERN.
expect() {
    local want=$1 pat=$2 title=$3
    shift 4
    "$@" >"$tmp/out" 2>"$tmp/err"
    local got=$?
    is "$got" "$want" "$title: exit $want"
    like "$(cat "$tmp/err")" "$pat" "$title: says so"
    is "$(grep -c . "$tmp/err")" 1 "$title: in one line"
}

# field CMD COL: the COL-th word of the second line of CMD's output.
field() {
    local col=$1
    shift
    "$@" 2>/dev/null | awk -v c="$col" 'NR == 2 { print $c }'
}

axl create -q "$G/pv.cfg" "name=\"$D\"" || bail "cannot create $D"
id=$(dom_id "$D")
ok "$D boots" wait_for 60 grep -q AXL-GUEST-UP "/var/log/xen/guest-$D.log"

# ---- sysrq ----
n0=$(grep -ci sysrq "/var/log/xen/guest-$D.log")
ok "sysrq h exits 0" axl sysrq "$D" h
ok "the guest's kernel saw the sysrq" \
    wait_for 15 eval "[ \$(grep -ci sysrq /var/log/xen/guest-$D.log) -gt $n0 ]"
expect 2 "^axl: sysrq: invalid sysrq 'hh' \(give one letter\)$" \
    "sysrq of two letters" -- axl sysrq "$D" hh
expect 1 "^axl: no such domain 'nosuch'$" "sysrq to no domain" -- \
    axl sysrq nosuch h
expect 2 "^axl: sysrq: missing argument" "sysrq without a letter" -- \
    axl sysrq "$D"

# ---- mem-set, mem-max ----
ok "mem-set 100m exits 0" axl mem-set "$D" 100m
is "$(xenstore-read "/local/domain/$id/memory/target")" 102400 \
    "mem-set 100m: the target is 102400 KiB"
ok "mem-set 100m: xl list shows 100 MiB" \
    wait_for 30 eval "[ \"\$(field 3 xl list $D)\" = 100 ]"
ok "mem-set 120 (MiB by default) exits 0" axl mem-set "$D" 120
is "$(xenstore-read "/local/domain/$id/memory/target")" 122880 \
    "mem-set 120: the target is 122880 KiB"
ok "mem-max 256m exits 0" axl mem-max "$D" 256m
is "$(xenstore-read "/local/domain/$id/memory/static-max")" 262144 \
    "mem-max 256m: static-max is 262144 KiB"
expect 1 "^axl: cannot set the maximum memory of domain '$D' to 50m: " \
    "mem-max below the target" -- axl mem-max "$D" 50m
is "$(xenstore-read "/local/domain/$id/memory/static-max")" 262144 \
    "  and nothing changed"
expect 2 "^axl: mem-set: invalid memory size '12q' " "mem-set of a bad size" \
    -- axl mem-set "$D" 12q
expect 1 "^axl: no such domain 'nosuch'$" "mem-set of no domain" -- \
    axl mem-set nosuch 100m
expect 2 "^axl: mem-max: missing argument" "mem-max without a size" -- \
    axl mem-max "$D"
is "$(xenstore-read "/local/domain/$id/memory/target")" 122880 \
    "bad mem-set words changed nothing"

# ---- rename ----
ok "rename exits 0" axl rename "$D" "$D-renamed"
is "$(dom_id "$D-renamed")" "$id" "xl knows the domain by its new name"
ok "  and not by the old one" eval "! dom_exists $D"
is "$(field 1 axl list "$D-renamed")" "$D-renamed" "axl list shows the new name"
expect 1 "^axl: cannot rename domain '$D-renamed' to 'Domain-0': " \
    "rename to a name in use" -- axl rename "$D-renamed" Domain-0
expect 1 "^axl: no such domain 'nosuch'$" "rename of no domain" -- \
    axl rename nosuch x
ok "rename back exits 0" axl rename "$D-renamed" "$D"
is "$(dom_id "$D")" "$id" "the domain has its name back"

# ---- vcpu-pin ----
ok "vcpu-pin 0 1 exits 0" axl vcpu-pin "$D" 0 1
is "$(field 7 xl vcpu-list "$D")" 1 "xl vcpu-list: hard affinity 1"
ok "vcpu-pin all all 0 exits 0" axl vcpu-pin "$D" all all 0
is "$(field 7 xl vcpu-list "$D") $(field 9 xl vcpu-list "$D")" "all 0" \
    "xl vcpu-list: hard all, soft 0"
ok "vcpu-pin 0 0-1 - exits 0" axl vcpu-pin "$D" 0 0-1 -
is "$(field 9 xl vcpu-list "$D")" 0 "'-' left the soft affinity alone"
is "$(axl -N vcpu-pin "$D" 0 'all,^1' 0)" "$(xl -N vcpu-pin "$D" 0 'all,^1' 0)" \
    "-N vcpu-pin prints what xl -N prints"
expect 2 "^axl: invalid value '3x' for 'hard affinity': not a cpu range$" \
    "vcpu-pin to a bad cpu list" -- axl vcpu-pin "$D" 0 '0,3x'
expect 2 "^axl: vcpu-pin: invalid vcpu 'one'" "vcpu-pin of a bad vcpu" -- \
    axl vcpu-pin "$D" one 0
expect 1 "^axl: cannot pin vcpu 7 of domain '$D': " \
    "vcpu-pin of a vcpu the domain lacks" -- axl vcpu-pin "$D" 7 0
expect 1 "^axl: no such domain 'nosuch'$" "vcpu-pin of no domain" -- \
    axl vcpu-pin nosuch 0 0
ok "vcpu-pin all all all exits 0" axl vcpu-pin "$D" all all all
is "$(field 7 xl vcpu-list "$D") $(field 9 xl vcpu-list "$D")" "all all" \
    "xl vcpu-list: pinned nowhere again"

# ---- sched-credit2 (Pool-0's scheduler, Xen's default) ----
if [ "$(field 3 xl cpupool-list Pool-0)" = credit2 ]; then
    is "$(axl sched-credit2)" "$(xl sched-credit2)" \
        "sched-credit2 lists what xl lists"
    ok "sched-credit2 -d -w 512 -c 50 exits 0" \
        axl sched-credit2 -d "$D" -w 512 -c 50
    is "$(field 3 xl sched-credit2 -d "$D") $(field 4 xl sched-credit2 -d "$D")" \
        "512 50" "xl sched-credit2 -d: weight 512, cap 50"
    is "$(axl sched-credit2 -d "$D")" "$(xl sched-credit2 -d "$D")" \
        "sched-credit2 -d prints what xl prints"
    is "$(axl sched-credit2 -s)" "$(xl sched-credit2 -s)" \
        "sched-credit2 -s prints what xl prints"
    is "$(axl sched-credit2 -p Pool-0)" "$(xl sched-credit2 -p Pool-0)" \
        "sched-credit2 -p Pool-0 prints what xl prints"
    ok "sched-credit2 -s -r 2000 exits 0" axl sched-credit2 -s -r 2000
    like "$(xl sched-credit2 -s)" "ratelimit=2000us" \
        "xl sched-credit2 -s: ratelimit 2000"
    ok "sched-credit2 -s -r puts the rate limit back" \
        axl sched-credit2 -s -r "$rate_before"
    json=$(axl sched-credit2 --json)
    like "$json" "\"cpupool\": \"Pool-0\"" "--json names the cpupool"
    like "$(printf '%s\n' "$json" | tr -d ' \n')" \
        "\"name\":\"$D\",\"domid\":$id,\"params\":\\{\"sched\":\"credit2\",\"weight\":512,\"cap\":50\\}" \
        "--json carries the domain's row"
    is "$(printf '%s' "$json" | tr -cd '{' | wc -c)" \
        "$(printf '%s' "$json" | tr -cd '}' | wc -c)" "--json: braces balance"
    like "$(axl sched-credit2 -d "$D" --json | tr -d ' \n')" \
        "^\\{\"name\":\"$D\",\"domid\":$id,\"params\":\\{.*\"weight\":512" \
        "sched-credit2 -d --json: one object"
    expect 1 "^axl: domain '$D' is not under the credit scheduler: its cpupool runs credit2$" \
        "sched-credit -d on a credit2 domain" -- axl sched-credit -d "$D"
    ok "  xl fails too" eval "! xl sched-credit -d $D >/dev/null 2>&1"
    is "$(axl sched-credit)" "$(xl sched-credit)" \
        "sched-credit with no credit pool prints what xl prints"
    is "$(axl sched-credit -s 2>/dev/null)" "$(xl sched-credit -s 2>/dev/null)" \
        "sched-credit -s on a credit2 pool prints what xl prints"
else
    pass "# SKIP Pool-0 does not run credit2"
fi
expect 2 "^axl: sched-credit2: invalid value 'x' for --weight" \
    "sched-credit2 of a bad weight" -- axl sched-credit2 -d "$D" -w x
expect 1 "^axl: no such domain 'nosuch'$" "sched-credit2 of no domain" -- \
    axl sched-credit2 -d nosuch
expect 1 "^axl: no such cpupool 'nosuch'$" "sched-credit2 of no cpupool" -- \
    axl sched-credit2 -p nosuch
expect 1 "^axl: cannot set the credit2 parameters of domain '$D': " \
    "sched-credit2 of a weight libxl refuses" -- \
    axl sched-credit2 -d "$D" -w 70000

# ---- debug-keys, set-parameters ----
n0=$(xl dmesg | grep -c "'h' pressed")
ok "debug-keys h exits 0" axl debug-keys h
ok "xl dmesg shows Xen took the key" \
    eval "[ \$(xl dmesg | grep -c \"'h' pressed\") -gt $n0 ]"
expect 2 "^axl: debug-keys: missing argument" "debug-keys without keys" -- \
    axl debug-keys
# Xen's log level as it was: the command line's, else the build's default.
lvl=$(xl info | sed -n 's/^xen_commandline *: //p' | tr ' ' '\n' |
      sed -n 's/^loglvl=//p' | tail -1)
[ -n "$lvl" ] || if xl dmesg | grep -q 'debug=y'; then lvl=all; else lvl=warning; fi
ok "set-parameters loglvl=all exits 0" axl set-parameters loglvl=all
ok "set-parameters puts loglvl=$lvl back" axl set-parameters "loglvl=$lvl"
expect 1 "^axl: cannot send parameters 'axl_t0610_bogus=1' to xen: " \
    "set-parameters of an unknown parameter" -- \
    axl set-parameters axl_t0610_bogus=1

# ---- sched-rtds: the lab has no RTDS pool ----
is "$(axl sched-rtds)" "$(xl sched-rtds)" \
    "sched-rtds with no rtds pool prints what xl prints (nothing)"
is "$(axl sched-rtds -v all)" "$(xl sched-rtds -v all)" \
    "sched-rtds -v all with no rtds pool prints what xl prints"
is "$(axl sched-rtds --cpupool=Pool-0)" "$(xl sched-rtds --cpupool=Pool-0)" \
    "sched-rtds --cpupool of a pool that is not rtds prints what xl prints"
is "$(axl sched-rtds --json)" "[]" \
    "sched-rtds --json with no rtds pool: an empty array"
if [ "$(field 3 xl cpupool-list Pool-0)" = credit2 ]; then
    expect 1 "^axl: domain '$D' is not under the rtds scheduler: its cpupool runs credit2$" \
        "sched-rtds -d on a credit2 domain" -- axl sched-rtds -d "$D"
    is "$(cat "$tmp/out")" "" "  nothing on stdout (xl prints its header first)"
    xl sched-rtds -d "$D" >/dev/null 2>&1
    is "$?" 1 "  xl fails too, exit 1"
    expect 1 "^axl: domain '$D' is not under the rtds scheduler: its cpupool runs credit2$" \
        "sched-rtds -d -v 0 on a credit2 domain" -- axl sched-rtds -d "$D" -v 0
    xl sched-rtds -d "$D" -v 0 >/dev/null 2>&1
    is "$?" 1 "  xl fails too, exit 1"
    expect 1 "^axl: domain '$D' is not under the rtds scheduler: its cpupool runs credit2$" \
        "sched-rtds setting a vcpu of a credit2 domain" -- \
        axl sched-rtds -d "$D" -v 0 -p 10000 -b 4000 -e 1
    xl sched-rtds -d "$D" -v 0 -p 10000 -b 4000 -e 1 >/dev/null 2>&1
    is "$?" 1 "  xl fails too, exit 1"
else
    pass "# SKIP Pool-0 does not run credit2"
fi
expect 1 "^axl: no such cpupool 'nosuch'$" "sched-rtds of no cpupool" -- \
    axl sched-rtds -c nosuch
expect 1 "^axl: no such domain 'nosuch'$" "sched-rtds of no domain" -- \
    axl sched-rtds -d nosuch
expect 2 "^axl: sched-rtds: give one -p, one -b and one -e for each -v$" \
    "sched-rtds setting without -e" -- \
    axl sched-rtds -d "$D" -v 0 -p 10000 -b 4000
xl sched-rtds -d "$D" -v 0 -p 10000 -b 4000 >/dev/null 2>&1
is "$?" 1 "  xl refuses it too (exit 1)"

# ---- cpupool-numa-split: on a one-node host, Pool-0 is renamed ----
nodes=$(xl info | sed -n 's/^nr_nodes *: //p')
if [ "$nodes" = 1 ] && [ "$(xl cpupool-list | wc -l | tr -d ' ')" = 2 ]; then
    xl cpupool-numa-split >"$tmp/xl.out" 2>"$tmp/xl.err"
    xst=$?
    xl_pools=$(xl cpupool-list)
    xl cpupool-rename Pool-node0 Pool-0 >/dev/null 2>&1
    axl cpupool-numa-split >"$tmp/axl.out" 2>"$tmp/axl.err"
    is "$?" "$xst" "cpupool-numa-split exits as xl ($xst)"
    is "$(cat "$tmp/axl.out")" "$(cat "$tmp/xl.out")" \
        "cpupool-numa-split prints what xl prints"
    is "$(cat "$tmp/axl.err")" "$(cat "$tmp/xl.err")" \
        "cpupool-numa-split says what xl says on stderr"
    is "$(xl cpupool-list)" "$xl_pools" \
        "xl cpupool-list: the pools as after xl's split"
    like "$(xl cpupool-list)" "^Pool-node0 " "  Pool-0 is now Pool-node0"
    ok "Pool-node0 is renamed back to Pool-0" \
        axl cpupool-rename Pool-node0 Pool-0
else
    pass "# SKIP not one node and Pool-0 alone (nodes: $nodes)"
fi

# ---- getenforce, setenforce, loadpolicy: the lab's Xen has no FLASK ----
xl getenforce >"$tmp/xl.out" 2>&1
xst=$?
diag "xl getenforce: exit $xst, '$(head -1 "$tmp/xl.out")'"
printf 'not a policy\n' >"$tmp/policy"
if ! grep -qxE 'Enforcing|Permissive' "$tmp/xl.out"; then
    expect 1 "^axl: cannot read flask's enforcing mode: " \
        "getenforce without flask" -- axl getenforce
    is "$(cat "$tmp/out")" "" "  nothing on stdout"
    if grep -q "Disabled" "$tmp/xl.out"; then
        like "$(cat "$tmp/err")" "xen has no flask security module" \
            "  says flask is disabled, as xl"
    fi
    expect 1 "^axl: cannot set flask's enforcing mode to permissive: " \
        "setenforce without flask" -- axl setenforce Permissive
    xl setenforce Permissive >/dev/null 2>&1
    xst=$?
    ok "  xl fails too (exit $xst)" test "$xst" != 0
    expect 1 "^axl: cannot load flask policy '$tmp/policy': " \
        "loadpolicy without flask" -- axl loadpolicy "$tmp/policy"
    xl loadpolicy "$tmp/policy" >/dev/null 2>&1
    xst=$?
    ok "  xl fails too (exit $xst)" test "$xst" != 0
else
    # xl's status is the mode (Enforcing exits 1); axl's is 0.
    is "$(axl getenforce)" "$(cat "$tmp/xl.out")" \
        "getenforce prints what xl prints (this Xen has flask)"
fi
expect 2 "^axl: setenforce: invalid mode 'strict' \(1, 0, Enforcing or Permissive\)$" \
    "setenforce of a bad mode" -- axl setenforce strict
expect 1 "^axl: cannot read policy file '$tmp/nosuch': No such file or directory$" \
    "loadpolicy of no file" -- axl loadpolicy "$tmp/nosuch"

# ---- top: xl runs xentop through sh; the lab has no xentop ----
if command -v xentop >/dev/null 2>&1; then
    pass "# SKIP xentop is installed"
else
    xl top </dev/null >"$tmp/xl.out" 2>"$tmp/xl.err"
    xst=$?
    # system()'s 127 << 8, truncated to 8 bits: xl exits 0 here.
    diag "xl top without xentop: exit $xst, '$(head -1 "$tmp/xl.err")'"
    like "$(cat "$tmp/xl.err")" "xentop" "xl top cannot run xentop either"
    expect 1 "^axl: top: cannot run xentop: No such file or directory$" \
        "top without xentop" -- axl top
fi

# ---- vncviewer: a PV guest without VNC (t0910 has one with it) ----
# Whether or not a viewer is installed, the guest's missing display is
# what stops it: xl's libxl says so too (no vnc-port), exit 1.
expect 1 "^axl: domain '$D' has no VNC display \(vnc=1 in its config gives it one\)$" \
    "vncviewer of a guest without VNC: one line, exit 1" -- axl vncviewer "$D"
xl vncviewer "$D" </dev/null >/dev/null 2>&1
is "$?" 1 "  xl fails too, exit 1"
expect 1 "^axl: domain '$D' has no VNC display" \
    "  and with a viewer that exists (VNCVIEWER)" -- \
    env VNCVIEWER=/bin/true axl vncviewer "$D"
expect 1 "^axl: no such domain 'nosuch'$" "vncviewer of no domain" -- \
    axl vncviewer nosuch

# ---- cpupools ----
ncpu=$(printf '%s\n' "${pool0_cpus//,/ }" | wc -w)
if [ "$ncpu" -lt 2 ] || ! printf '%s' "$pool0_cpus" | grep -qE '^[0-9,]+$'; then
    pass "# SKIP Pool-0 has fewer than 2 cpus listed one by one ($pool0_cpus)"
    done_testing
    exit
fi
cpu=${pool0_cpus##*,}
is "$(axl __complete 2 axl cpupool-destroy "" | grep -x Pool-0)" Pool-0 \
    "completion offers the cpupools"
ok "cpupool-cpu-remove Pool-0 $cpu exits 0" axl cpupool-cpu-remove Pool-0 "$cpu"
unlike ",$(field 2 xl cpupool-list -c Pool-0)," ",$cpu," \
    "xl cpupool-list -c: cpu $cpu left Pool-0"
cfg=("name=\"$P\"" 'sched="credit"' "cpus=\"$cpu\"")
is "$(axl cpupool-create -n "${cfg[@]}")" "$(xl cpupool-create -n "${cfg[@]}")" \
    "cpupool-create -n prints what xl prints"
unlike "$(xl cpupool-list)" "^$P " "  and creates nothing"
sched=credit
if ! axl cpupool-create "${cfg[@]}" >"$tmp/out" 2>"$tmp/err"; then
    diag "no credit scheduler? $(cat "$tmp/err")"
    sched=credit2
    cfg[1]='sched="credit2"'
    axl cpupool-create "${cfg[@]}" >"$tmp/out" 2>&1
fi
is "$(field 1 xl cpupool-list "$P") $(field 2 xl cpupool-list "$P") $(field 3 xl cpupool-list "$P")" \
    "$P 1 $sched" "cpupool-create: xl cpupool-list shows $P, 1 cpu, $sched"
like "$(cat "$tmp/out")" "^Using config file \"command line\"" \
    "cpupool-create prints xl's summary"
expect 1 "^axl: cannot create cpupool '$P': a cpupool of that name exists$" \
    "cpupool-create of a name in use" -- axl cpupool-create "${cfg[@]}"
expect 1 "^axl: cannot create cpupool '$P-x': cpu 0 is not free" \
    "cpupool-create of a cpu in use" -- \
    axl cpupool-create "name=\"$P-x\"" 'cpus="0"'
expect 1 "^axl: .*sched" "cpupool-create of an unknown scheduler" -- \
    axl cpupool-create "name=\"$P-x\"" 'sched="fifo"'
is "$(xl cpupool-list | grep -c "^$P-x ")" 0 "  and none was created"

ok "cpupool-rename exits 0" axl cpupool-rename "$P" "$P-b"
is "$(field 1 xl cpupool-list "$P-b")" "$P-b" "xl cpupool-list shows the new name"
expect 1 "^axl: cannot rename cpupool '$P-b' to 'Pool-0': a cpupool of that name exists$" \
    "cpupool-rename to a name in use" -- axl cpupool-rename "$P-b" Pool-0
expect 1 "^axl: no such cpupool '$P'$" "cpupool-rename of no cpupool" -- \
    axl cpupool-rename "$P" x
expect 1 "^axl: cannot split the host into one cpupool per numa node: 2 cpupools exist already$" \
    "cpupool-numa-split with a second pool" -- axl cpupool-numa-split
xl cpupool-numa-split >/dev/null 2>&1
is "$?" 1 "  xl refuses too, exit 1"
like "$(xl cpupool-list)" "^Pool-0 " "  Pool-0 keeps its name"

ok "cpupool-migrate exits 0" axl cpupool-migrate "$D" "$P-b"
is "$(xl list -c "$D" | awk 'NR == 2 { print $NF }')" "$P-b" \
    "xl list -c: the guest is in $P-b"
expect 1 "^axl: no such cpupool 'nosuch'$" "cpupool-migrate to no cpupool" \
    -- axl cpupool-migrate "$D" nosuch
expect 1 "^axl: no such domain 'nosuch'$" "cpupool-migrate of no domain" \
    -- axl cpupool-migrate nosuch "$P-b"
expect 2 "^axl: cpupool-migrate: missing argument" \
    "cpupool-migrate without a cpupool" -- axl cpupool-migrate "$D"
expect 1 "^axl: cannot destroy cpupool '$P-b': it has 1 domain" \
    "cpupool-destroy of a pool with a domain" -- axl cpupool-destroy "$P-b"

if [ "$sched" = credit ]; then
    is "$(axl sched-credit)" "$(xl sched-credit)" \
        "sched-credit lists what xl lists"
    is "$(axl sched-credit -p "$P-b")" "$(xl sched-credit -p "$P-b")" \
        "sched-credit -p prints what xl prints"
    ok "sched-credit -d -w 300 -c 20 exits 0" \
        axl sched-credit -d "$D" -w 300 -c 20
    is "$(field 3 xl sched-credit -d "$D") $(field 4 xl sched-credit -d "$D")" \
        "300 20" "xl sched-credit -d: weight 300, cap 20"
    is "$(axl sched-credit -d "$D")" "$(xl sched-credit -d "$D")" \
        "sched-credit -d prints what xl prints"
    ok "sched-credit -s -p -t 20 exits 0" \
        axl sched-credit -s -p "$P-b" --tslice_ms=20
    like "$(xl sched-credit -s -p "$P-b")" "tslice=20ms" \
        "xl sched-credit -s: tslice 20ms"
    is "$(axl sched-credit -s -p "$P-b")" "$(xl sched-credit -s -p "$P-b")" \
        "sched-credit -s -p prints what xl prints"
    like "$(axl sched-credit --json | tr -d ' \n')" \
        "\"cpupool\":\"$P-b\".*\"name\":\"$D\",\"domid\":$id,\"params\":\\{\"sched\":\"credit\",\"weight\":300,\"cap\":20\\}" \
        "sched-credit --json carries the pool and the domain's row"
    expect 1 "^axl: cannot set the credit parameters of cpupool 'Pool-0': cpupool 'Pool-0' runs the credit2 scheduler, not credit$" \
        "sched-credit -s -t on a credit2 pool" -- axl sched-credit -s -t 20
else
    pass "# SKIP no credit scheduler in this Xen"
fi

ok "cpupool-migrate back exits 0" axl cpupool-migrate "$D" Pool-0
is "$(xl list -c "$D" | awk 'NR == 2 { print $NF }')" Pool-0 \
    "xl list -c: the guest is in Pool-0"
ok "cpupool-cpu-remove $P-b $cpu exits 0" axl cpupool-cpu-remove "$P-b" "$cpu"
is "$(field 2 xl cpupool-list "$P-b")" 0 "xl cpupool-list: $P-b has no cpu"
ok "cpupool-cpu-add $P-b $cpu exits 0" axl cpupool-cpu-add "$P-b" "$cpu"
is "$(field 2 xl cpupool-list "$P-b")" 1 "xl cpupool-list: $P-b has 1 cpu"
expect 2 "^axl: invalid value '1x' for 'cpus': not a cpu range$" \
    "cpupool-cpu-add of a bad cpu list" -- axl cpupool-cpu-add "$P-b" 1x
expect 1 "^axl: no such cpupool 'nosuch'$" "cpupool-cpu-add to no cpupool" \
    -- axl cpupool-cpu-add nosuch "$cpu"
expect 1 "^axl: cannot add cpus '0' to cpupool '$P-b'" \
    "cpupool-cpu-add of a cpu in another pool" -- axl cpupool-cpu-add "$P-b" 0
ok "cpupool-destroy exits 0" axl cpupool-destroy "$P-b"
unlike "$(xl cpupool-list)" "^$P-b " "xl cpupool-list: $P-b is gone"
expect 1 "^axl: no such cpupool '$P-b'$" "cpupool-destroy of no cpupool" \
    -- axl cpupool-destroy "$P-b"
ok "cpupool-cpu-add Pool-0 $cpu exits 0" axl cpupool-cpu-add Pool-0 "$cpu"
is "$(field 2 xl cpupool-list -c Pool-0)" "$pool0_cpus" \
    "Pool-0 has its cpus back"
ok "destroy $D" axl destroy "$D"
# A destroyed domain may linger, dying, for a moment in its pool's count.
as_found() { [ "$(xl cpupool-list)" = "$pools_before" ]; }
wait_for 10 as_found
is "$(xl cpupool-list)" "$pools_before" "the cpupools are as found"
done_testing
