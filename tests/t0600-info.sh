#!/bin/bash
# The information commands against xl's in the same boot: info, uptime,
# domid, domname, vm-list, vcpu-list, dmesg, claims, cpupool-list,
# sharing and list print what xl prints (once what changes between two calls is
# taken out) and exit as xl does; bad input is one line and the right
# status; every --json is one valid JSON document (checked with
# tests/lib/json.sh: dom0 has neither python nor jq) whose values are the
# columns'.  Two guests of its own: one running, one paused with two
# vCPUs (nothing of it moves, so its rows compare byte for byte).
cd "$(dirname "$0")/.." || exit 1
. tests/lib/tap.sh
. tests/lib/xen.sh
. tests/lib/json.sh

G=tests/guests
tmp=$(mktemp -d)
A=i-run-$$
B=i-paused-$$
cleanup() {
    xl destroy "$A" >/dev/null 2>&1
    xl destroy "$B" >/dev/null 2>&1
    rm -rf "$tmp"
}
trap cleanup EXIT

axl create -q "$G/pv.cfg" "name=\"$A\"" || bail "cannot create $A"
axl create -q -p "$G/pv.cfg" "name=\"$B\"" "vcpus=2" ||
    bail "cannot create $B"
idA=$(dom_id "$A")
idB=$(dom_id "$B")
[ -n "$idA" ] && [ -n "$idB" ] || bail "no domid for $A or $B"

# ---- what changes between two calls, taken out ----

# info: free memory (and, with -n, each node's free memory).
norm_info() {
    sed -E 's/^(free_memory +: ).*/\1X/
            s/^( *[0-9]+: +[0-9]+ +)[0-9]+/\1X/'
}
# uptime: the times at the end of each row.
norm_up() {
    sed -E 's/ +([0-9]+ days?, +)?[0-9]+:[0-9]{2}:[0-9]{2}$/ T/'
}
# uptime -s: the clock and the time up.
norm_ups() {
    sed -E 's/^ [0-9]{2}:[0-9]{2}:[0-9]{2} up .*, ([^,]* \([0-9]+\))$/T \1/'
}
# list and claims: the State and Time(s) columns (a running domain is r
# or b from one moment to the next).
norm_list() {
    awk 'NR == 1 { print; next }
         { print substr($0, 1, 63) "|" substr($0, 80) }'
}
# vcpu-list: the CPU, State and Time(s) columns.
norm_vcpu() {
    awk 'NR == 1 { print; next }
         { print substr($0, 1, 44) "|" substr($0, 68) }'
}

# same NORM ARGS...: xl ARGS then axl ARGS: the same status, the same
# stdout once NORM (a filter; cat for none) has run; nothing on axl's
# stderr when xl says nothing, else one line.
same() {
    local norm=$1 xst ast
    shift
    xl "$@" >"$tmp/xl.out" 2>"$tmp/xl.err"
    xst=$?
    axl "$@" >"$tmp/axl.out" 2>"$tmp/axl.err"
    ast=$?
    is "$ast" "$xst" "axl $*: exits as xl ($xst)"
    $norm <"$tmp/xl.out" >"$tmp/xl.norm"
    $norm <"$tmp/axl.out" >"$tmp/axl.norm"
    if cmp -s "$tmp/xl.norm" "$tmp/axl.norm"; then
        pass "axl $*: stdout as xl's"
    else
        fail "axl $*: stdout as xl's" \
            "$(diff "$tmp/xl.norm" "$tmp/axl.norm" | head -20)"
    fi
    if [ -s "$tmp/xl.err" ]; then
        is "$(wc -l <"$tmp/axl.err" | tr -d ' ')" 1 \
            "axl $*: one line on stderr, as xl says something"
    else
        is "$(cat "$tmp/axl.err")" "" "axl $*: nothing on stderr"
    fi
}

while read -r norm args; do
    [ -n "$norm" ] || continue
    # shellcheck disable=SC2086 # the words of the table
    same "$norm" $args
done <<EOF
norm_info info
norm_info info -n
cat       info xen_version
cat       info xen
cat       info free_cpus
cat       info nosuchfield
norm_up   uptime
norm_up   uptime $A $B
norm_ups  uptime -s
norm_ups  uptime -s 0 $A
cat       domid $A
cat       domid Domain-0
cat       domname $idB
cat       domname 0
cat       vm-list
norm_vcpu vcpu-list
norm_vcpu vcpu-list $A 0
cat       vcpu-list $B
norm_list claims
cat       cpupool-list
cat       cpupool-list -c
cat       cpupool-list Pool-0
norm_list list
cat       list $B
cat       sharing
cat       sharing $B
cat       sharing 0
EOF

# ---- bad input: one line, the status, nothing on stdout ----

# bad STATUS MESSAGE ARGS...: axl ARGS exits STATUS, says exactly
# MESSAGE, prints nothing.
bad() {
    local want=$1 msg=$2 st
    shift 2
    axl "$@" >"$tmp/out" 2>"$tmp/err"
    st=$?
    is "$st:$(cat "$tmp/err")" "$want:$msg" "axl $*: exit $want, one line"
    is "$(wc -c <"$tmp/out" | tr -d ' ')" 0 "axl $*: nothing on stdout"
}

nd="axl: no such domain 'nosuch'"
bad 1 "$nd" uptime nosuch
bad 1 "$nd" uptime "$A" nosuch
bad 1 "$nd" vcpu-list nosuch
bad 1 "$nd" vcpu-list --json "$A" nosuch
bad 1 "$nd" list --json nosuch
bad 1 "$nd" domid nosuch
bad 1 "$nd" sharing nosuch
bad 1 "$nd" sharing "$A" nosuch
bad 1 "$nd" sharing --json "$A" nosuch
bad 1 "axl: no such domain '0'" domid 0
ok "xl domid 0 fails too (a name, not an id)" eval '! xl domid 0 >/dev/null 2>&1'
bad 1 "axl: no such domain '32000'" domname 32000
bad 2 "axl: domname: invalid domain id 'abc' (a number)" domname abc
bad 2 "axl: domname: invalid domain id '1x' (a number)" domname 1x
bad 2 "axl: domname: invalid domain id '99999999999' (a number)" \
    domname 99999999999
bad 2 "axl: domid: missing argument (usage: axl domid <DomainName>)" domid
bad 2 "axl: domname: missing argument (usage: axl domname <DomainId>)" \
    domname
bad 1 "axl: no such cpupool 'nosuch'" cpupool-list nosuch
bad 2 "axl: cpupool-list: unexpected argument 'b' (usage: axl cpupool-list [options] [<CpuPool>])" \
    cpupool-list a b
bad 2 "axl: vm-list: unexpected argument 'x' (usage: axl vm-list [options])" \
    vm-list x
bad 2 "axl: claims: unexpected argument 'x' (usage: axl claims [options])" \
    claims x
bad 2 "axl: dmesg: unexpected argument 'x' (usage: axl dmesg [options])" \
    dmesg x
bad 2 "axl: uptime: unknown option '-x' (try 'axl uptime -h')" uptime -x
bad 2 "axl: info: --json prints every field: give no field name" \
    info --json xen
bad 2 "axl: list: -l prints JSON already: give -l or --json" list -l --json

# ---- --json: valid, and the columns' values ----

# json_of NAME ARGS...: axl ARGS into $tmp/NAME.json, exit 0 and nothing
# on stderr; valid JSON, its leaves in $tmp/NAME.flat.
json_of() {
    local name=$1 st
    shift
    axl "$@" >"$tmp/$name.json" 2>"$tmp/err"
    st=$?
    is "$st:$(cat "$tmp/err")" "0:" "axl $*: exit 0, nothing on stderr"
    if json_flat <"$tmp/$name.json" >"$tmp/$name.flat" 2>"$tmp/err"; then
        pass "axl $*: one valid JSON document"
    else
        fail "axl $*: one valid JSON document" "$(cat "$tmp/err")"
    fi
}

# jcol NAME KEY: the values of [0].KEY, [1].KEY, ... one a line.
jcol() {
    awk -F '\t' -v k="$2" '
        index($1, "].") && substr($1, index($1, "].") + 2) == k &&
        $1 ~ /^\[[0-9]+\]\./ {
            v = substr($0, length($1) + 2)
            if (v ~ /^".*"$/) v = substr(v, 2, length(v) - 2)
            print v }' "$tmp/$1.flat"
}

# col N ARGS...: column N of axl ARGS, without the header.
col() {
    local n=$1
    shift
    axl "$@" | awk -v n="$n" 'NR > 1 { print $n }'
}

json_of list list --json
is "$(jcol list name)" "$(col 1 list)" "list --json: the names of list"
is "$(jcol list domid)" "$(col 2 list)" "list --json: the ids of list"
is "$(jcol list memory)" "$(col 3 list)" "list --json: the memory of list"
is "$(jcol list vcpus)" "$(col 4 list)" "list --json: the vcpus of list"
is "$(jcol list uuid)" "$(col 7 list -v)" "list --json: the UUIDs of list -v"
# libxl's generators leave out a member at its default (0, false): the
# dominfo of Domain-0 has no domid, vCPU 0's vcpuinfo no vcpuid.
nonzero() { grep -vx 0; }
is "$(jcol list dominfo.domid)" "$(jcol list domid | nonzero)" \
    "list --json: libxl's dominfo of each domain"
json_of listB list --json "$B"
is "$(jcol listB name)" "$B" "list --json DOM: that domain alone"
is "$(jcol listB state) $(jcol listB cpu_time)" "$(col 5 list "$B") $(col 6 list "$B")" \
    "list --json DOM: state and cpu_time as the columns"
is "$(jcol listB dominfo.paused)" true "list --json DOM: dominfo says paused"

json_of claims claims --json
is "$(jcol claims name)" "$(col 1 claims)" "claims --json: the names"
is "$(jcol claims claimed)" "$(col 7 claims)" "claims --json: the claims"

json_of sharing sharing --json
is "$(jcol sharing name)" "$(col 1 sharing)" "sharing --json: the names"
is "$(jcol sharing domid)" "$(col 2 sharing)" "sharing --json: the ids"
is "$(jcol sharing memory)" "$(col 3 sharing)" "sharing --json: the memory"
is "$(jcol sharing shared)" "$(col 4 sharing)" "sharing --json: the shared"
json_of sharingAB sharing --json "$A" "$B"
is "$(jcol sharingAB name)" "$A
$B" "sharing --json DOM DOM: those domains, in order"

json_of vms vm-list --json
is "$(jcol vms uuid)" "$(col 1 vm-list)" "vm-list --json: the UUIDs"
is "$(jcol vms domid)" "$(col 2 vm-list)" "vm-list --json: the ids"
is "$(jcol vms name)" "$(col 3 vm-list)" "vm-list --json: the names"

json_of vcpus vcpu-list --json
is "$(jcol vcpus name)" "$(col 1 vcpu-list)" "vcpu-list --json: the names"
is "$(jcol vcpus vcpu)" "$(col 3 vcpu-list)" "vcpu-list --json: the vCPUs"
json_of vcpusB vcpu-list --json "$B"
# An offline vCPU (the second, never brought up) has no CPU: "-" in the
# column, null in JSON.
for k in "cpu 4" "state 5" "time 6" "affinity_hard 7" "affinity_soft 9"; do
    set -- $k
    is "$(jcol vcpusB "$1" | sed 's/^null$/-/')" \
        "$(col "$2" vcpu-list "$B")" "vcpu-list --json DOM: $1 as the column"
done
is "$(jcol vcpusB vcpuinfo.vcpuid)" "1" \
    "vcpu-list --json DOM: libxl's vcpuinfo of each vCPU (0 left out)"

json_of up uptime --json
is "$(jcol up name)" "$(col 1 uptime)" "uptime --json: the names"
is "$(jcol up domid)" "$(col 2 uptime)" "uptime --json: the ids"

json_of pools cpupool-list --json
is "$(jcol pools name)" "$(col 1 cpupool-list)" "cpupool-list --json: names"
is "$(jcol pools sched)" "$(col 3 cpupool-list)" "cpupool-list --json: schedulers"
is "$(jcol pools n_dom)" "$(col 5 cpupool-list)" \
    "cpupool-list --json: domain counts"
is "$(awk -F '\t' '$1 ~ /^\[0\]\.cpus\[/ { s = s (n++ ? "," : "") $2 }
                  END { print s }' "$tmp/pools.flat")" \
    "$(col 2 cpupool-list -c | head -1)" \
    "cpupool-list --json: the first pool's CPUs"

json_of info info --json
for f in host xen_version xen_scheduler total_memory free_cpus \
         outstanding_claims; do
    is "$(json_get "$tmp/info.flat" ".$f")" "$(axl info "$f")" \
        "info --json: $f as info's"
done
is "$(json_get "$tmp/info.flat" .physinfo.nr_cpus)" "$(axl info nr_cpus)" \
    "info --json: libxl's physinfo"
is "$(json_get "$tmp/info.flat" .version_info.xen_version_major)" \
    "$(axl info xen_major)" "info --json: libxl's version_info"
json_of numa info -n --json
is "$(json_get "$tmp/numa.flat" '.cpu_topology[1].core')" \
    "$(axl info -n | awk '/^cpu:/ { on = 1; next } on && ++n == 2 { print $2; exit }' | nonzero)" \
    "info -n --json: CPU 1's core as the topology's (a 0 left out)"

# ---- dmesg last: -c empties Xen's console ring ----

# follows EARLY LATE: LATE reads on from EARLY: the ring grows at its end
# and drops lines at its start, so a tail of EARLY's lines (five at
# least, or all) begins LATE; EARLY's last line may have grown since.
follows() {
    awk 'NR == FNR { e[++n] = $0; next } { l[++m] = $0 }
        END {
            if (!n) exit 0
            kmax = n < 5 ? 1 : n - 4
            for (k = 1; k <= kmax; k++) {
                for (i = k; i <= n; i++) {
                    j = i - k + 1
                    if (j > m) break
                    if (e[i] != l[j] && !(i == n && index(l[j], e[i]) == 1))
                        break
                }
                if (i > n) exit 0
            }
            exit 1 }' "$1" "$2"
}

xl dmesg >"$tmp/xl.dmesg"
xst=$?
axl dmesg >"$tmp/axl.dmesg"
is "$?" "$xst" "dmesg: exits as xl"
ok "dmesg: Xen's console ring as xl dmesg prints it" \
    follows "$tmp/xl.dmesg" "$tmp/axl.dmesg"
axl dmesg -c >"$tmp/axl.dmesg2"
is "$?" 0 "dmesg -c: exit 0"
ok "dmesg -c: prints the ring first" follows "$tmp/axl.dmesg" "$tmp/axl.dmesg2"
xl dmesg >"$tmp/xl.dmesg2"
before=$(wc -l <"$tmp/axl.dmesg2")
after=$(wc -l <"$tmp/xl.dmesg2")
ok "dmesg -c: the ring was cleared (xl dmesg shows $after of $before lines)" \
    test "$before" -gt 5 -a "$after" -lt "$before" -a "$after" -le 5

ok "destroy $A" axl destroy "$A"
ok "destroy $B" axl destroy "$B"
ok "no guest of this test is left" \
    eval '! dom_exists "$A" && ! dom_exists "$B"'
done_testing
