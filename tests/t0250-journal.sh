#!/bin/bash
# The journal: axl killed with SIGKILL while a create, a block-attach or a
# network-attach hangs (one-shot, and a shell job).  The next axl command
# says exactly what was left, `axl list` marks the domain, and `axl
# cleanup` leaves no domain, no xenstore node, no hotplug script.  No
# report for ops that finished, for domains xl created, or for a record
# whose owner still runs; a record whose pid was reused by another
# process is taken for what it is, a dead owner's.  xl, killed the same
# way, is shown next to it.
cd "$(dirname "$0")/.." || exit 1
. tests/lib/tap.sh
. tests/lib/xen.sh
. tests/lib/cancel.sh

J=/run/axl
n_records() { ls "$J"/*.op 2>/dev/null | wc -l; }

# killed_at_hotplug TITLE CMD...: run CMD in the background until the
# fixture's hotplug script hangs, then SIGKILL it.
killed_at_hotplug() {
    local t=$1
    shift
    rm -rf "$M"
    mkdir -p "$M"
    "$@" >"$tmp/out" 2>"$tmp/err" &
    pid=$!
    if ! wait_for 60 test -s "$M/block-hang.pid"; then
        fail "$t: reaches the hotplug script" "$(cat "$tmp/err")"
        kill -9 "$pid"
        return 1
    fi
    pass "$t: reaches the hotplug script"
    # The op looks at once when its words change, then ever less often
    # (up to 4 s) when no one looks: let it see the script.
    [ "$1" = axl ] && ok "$t: the journal has seen it" wait_for 10 eval \
        'grep -q "^phase=hotplug script" /run/axl/*.op 2>/dev/null'
    kill -9 "$pid"
    wait "$pid" 2>/dev/null
    return 0
}

# after_cleanup TITLE ID: cleanup leaves nothing of it.
after_cleanup() {
    axl cleanup >"$tmp/out" 2>"$tmp/cerr"
    is "$?" 0 "$1: axl cleanup exits 0"
    ok "$1: no hotplug script left" wait_for 10 eval '[ -z "$(fixture_procs)" ]'
    is "$(n_records)" 0 "$1: no journal record left"
    axl list >/dev/null 2>"$tmp/err2"
    unlike "$(cat "$tmp/err2")" "was left" "$1: nothing more is reported"
}

# Records an earlier test left (an axl that exited at once) are forgotten
# by the first command that finds their domain gone.
axl list >/dev/null 2>&1
is "$(n_records)" 0 "no record to start with"

# --- xl, for comparison ---
t="xl killed in the hotplug script"
name=$(cfg_name "$G/hang-hotplug.cfg")
if killed_at_hotplug "$t" xl create "$G/hang-hotplug.cfg"; then
    ok "$t: xl leaves the domain" dom_exists "$name"
    ok "$t: and its hotplug script" test -n "$(fixture_procs)"
    diag "$t: left $(dom_state "$name") and $(fixture_procs | wc -l) script(s)"
    kill -9 $(fixture_procs) 2>/dev/null
fi
clean_domains

# --- a one-shot create ---
t="create killed in the hotplug script"
if killed_at_hotplug "$t" axl create "$G/hang-hotplug.cfg"; then
    id=$(dom_id "$name")
    is "$(n_records)" 1 "$t: its record stays"
    axl list >"$tmp/out" 2>"$tmp/err"
    like "$(cat "$tmp/err")" \
        "^axl: domain $id \\('$name'\\) was left half-built by 'axl create' \\(pid $pid, killed during hotplug script block-hang add for xvda \\(pid [0-9]+\\)\\); 'axl cleanup' removes it$" \
        "$t: the next command says what was left, once"
    is "$(grep -c 'was left' "$tmp/err")" 1 "$t: one line"
    like "$(cat "$tmp/out")" "^$name +$id .*\\(half-built: see 'axl cleanup'\\)$" \
        "$t: list marks the domain"
    after_cleanup "$t"
    ok "$t: cleanup destroyed the domain" eval "! dom_exists $name"
    ok "$t: no /local/domain/$id" eval "! xs_has_domain $id"
fi
clean_domains

# --- a create killed at other instants ---
# Whatever the instant, afterwards: a domain that is there was either
# reported half-built (and cleanup removes it) or finished (running, not
# reported); nothing else is left.
for delay in 0.05 0.3 0.8 1.5; do
    t="create killed after $delay s"
    axl create "$G/pv.cfg" >"$tmp/out" 2>"$tmp/err" &
    pid=$!
    sleep "$delay"          # the instant of the kill, not a wait
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    axl list >/dev/null 2>"$tmp/err"
    if grep -q "was left half-built" "$tmp/err"; then
        # By its id: killed early enough, the domain has no name yet.
        id=$(sed -n 's/.*domain \([0-9]*\) (.*was left half-built.*/\1/p' \
            "$tmp/err" | head -1)
        ok "$t: reported, so the domain exists (domain ${id:-?})" \
            eval '[ -n "$id" ] && xl list "$id" >/dev/null 2>&1'
        axl cleanup >/dev/null 2>&1
        ok "$t: cleanup removes it" \
            eval '! xl list "$id" >/dev/null 2>&1 && ! dom_exists g-pv'
    elif dom_exists g-pv; then
        unlike "$(dom_state g-pv)" "^..p" "$t: not reported: it had finished (not paused)"
    else
        diag "$t: killed before libxl made a domain; nothing to report"
    fi
    is "$(n_records)" 0 "$t: no record left"
    ok "$t: no /local/domain other than the guests'" eval \
        '[ "$(xenstore-list /local/domain | wc -l)" = "$(ndomains)" ]'
    clean_domains
done

# --- a create in a shell job ---
t="shell job killed in the hotplug script"
mkfifo "$tmp/cmds"
rm -rf "$M"; mkdir -p "$M"
axl <"$tmp/cmds" >"$tmp/out" 2>"$tmp/err" &
pid=$!
exec 7>"$tmp/cmds"
echo "create $G/hang-hotplug.cfg &" >&7
if wait_for 60 test -s "$M/block-hang.pid"; then
    kill -9 "$pid"
    exec 7>&-
    wait "$pid" 2>/dev/null
    id=$(dom_id "$name")
    axl list >/dev/null 2>"$tmp/err"
    like "$(cat "$tmp/err")" "^axl: domain $id \\('$name'\\) was left half-built by 'axl create' \\(pid $pid" \
        "$t: reported"
    after_cleanup "$t"
    ok "$t: no domain left" eval "! dom_exists $name"
else
    exec 7>&-
    fail "$t: reaches the hotplug script" "$(cat "$tmp/err")"
    kill -9 "$pid"
fi
rm -f "$tmp/cmds"
clean_domains

# --- block-attach and network-attach ---
axl create -q "$G/pv.cfg" || bail "cannot create g-pv"
gid=$(dom_id g-pv)
truncate -s 16M "$tmp/d.img"
t="block-attach killed in the hotplug script"
if killed_at_hotplug "$t" axl block-attach g-pv "format=raw, vdev=xvdc, access=rw, script=/axl/tests/fixtures/block-hang, target=$tmp/d.img"; then
    axl list >/dev/null 2>"$tmp/err"
    like "$(cat "$tmp/err")" \
        "^axl: xvdc of domain $gid \\('g-pv'\\) was left half-attached by 'axl block-attach' \\(pid $pid" \
        "$t: the next command says the disk was left"
    after_cleanup "$t"
    ok "$t: the disk is gone" eval "! xenstore-exists /local/domain/0/backend/vbd/$gid/51744"
    ok "$t: the guest runs on" dom_exists g-pv
fi
t="network-attach killed in the hotplug script"
if killed_at_hotplug "$t" axl network-attach g-pv bridge=xenbr0 script=/axl/tests/fixtures/block-hang; then
    axl list >/dev/null 2>"$tmp/err"
    like "$(cat "$tmp/err")" \
        "^axl: vif [0-9]+ of domain $gid \\('g-pv'\\) was left half-attached by 'axl network-attach' \\(pid $pid" \
        "$t: the next command says the vif was left"
    vif=$(sed -n "s/.*axl: vif \\([0-9]*\\) of domain.*/\\1/p" "$tmp/err" | head -1)
    after_cleanup "$t"
    ok "$t: the vif is gone" eval "! xenstore-exists /local/domain/0/backend/vif/$gid/$vif"
fi

# --- no report where there is nothing to report ---
t="no false report"
axl list >/dev/null 2>"$tmp/err"
unlike "$(cat "$tmp/err")" "was left" "$t: a create that finished (g-pv)"
xl create -q "$G/pv.cfg" 'name="g-xl"' >/dev/null 2>&1
axl list >/dev/null 2>"$tmp/err"
unlike "$(cat "$tmp/err")" "was left" "$t: a domain xl created"
# A record whose owner runs: this shell, with its own start time.
start=$(awk '{ print $22 }' "/proc/$$/stat")
mkdir -p "$J"
cat >"$J/test-live.op" <<REC
verb=create
name=g-xl
uuid=00000000-0000-0000-0000-000000000000
domid=$(dom_id g-xl)
dev=
vdev=
devid=-1
keep=0
phase=
pid=$$
start=$start
children=
REC
axl list >/dev/null 2>"$tmp/err"
unlike "$(cat "$tmp/err")" "was left" "$t: a record whose owner still runs"
# The same pid with another start time: the pid was reused.
sed -i "s/^start=.*/start=$((start + 1))/" "$J/test-live.op"
axl list >/dev/null 2>"$tmp/err"
like "$(cat "$tmp/err")" "domain $(dom_id g-xl) \\('g-xl'\\) was left half-built by 'axl create' \\(pid $$" \
    "$t: a reused pid is a dead owner"
axl cleanup --keep g-xl >/dev/null 2>"$tmp/err"
like "$(cat "$tmp/err")" "kept as it is" "$t: cleanup --keep keeps the domain"
ok "$t: it still exists" dom_exists g-xl
is "$(n_records)" 0 "$t: and the record is gone"
clean_domains

rm -rf "$tmp" "$M"
done_testing
