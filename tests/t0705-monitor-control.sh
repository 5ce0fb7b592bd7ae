#!/bin/bash
# The domain monitor, controlled: create -F; `axl monitor` (refusals,
# SIGTERM, a domain xl created); a restart that hangs in a hotplug
# script, cancelled with SIGTERM to the monitor under both policies;
# shutdown --then-destroy.
cd "$(dirname "$0")/.." || exit 1
. tests/lib/tap.sh
. tests/lib/xen.sh
. tests/lib/monitor.sh

# ---- create -F: the monitor in the foreground ----
axl create -F "$(cfg m-fa none)" >"$tmp/out" 2>"$tmp/err" &
pid=$!
watching() { grep -q "monitoring domain" "$tmp/err"; }
ok "create -F monitors in the foreground" wait_for 30 watching
ok "  in the same process" kill -0 "$pid"
kill -INT "$pid"
wait_exit "$pid" 20
is "$rc" 0 "Ctrl-C stops monitoring: exit 0"
like "$(cat "$tmp/err")" "stopped monitoring domain [0-9]+ \('m-fa'\); it is left running" \
    "  and says the guest runs on"
ok "  the guest still exists" dom_exists m-fa

# ---- axl monitor ----
ok "axl monitor starts one for m-fa" axl monitor m-fa
mp=$(mon_of m-fa)
ok "  named axl-m-fa" test -n "$mp"
out=$(axl monitor m-fa 2>&1); st=$?
is "$st:$out" "1:axl: domain 'm-fa' already has a monitor (pid $mp)" \
    "a second monitor is refused in one line"
kill -TERM "$mp"
ok "SIGTERM stops the monitor" wait_for 10 no_mon m-fa
like "$(log_of m-fa)" "Terminated: stopped monitoring domain [0-9]+ \('m-fa'\); it is left running" \
    "  its log says the guest runs on"
ok "  and the guest does" dom_exists m-fa
xl create -q -e "$(cfg m-xe none)"
out=$(axl monitor m-xe 2>&1); st=$?
is "$st:$out" "1:axl: domain 'm-xe' was not created by axl: an xl monitor may watch it (use -f if none does)" \
    "a domain xl created is refused without -f"
ok "  and taken with -f" axl monitor -f m-xe
ok "  (its monitor runs)" test -n "$(mon_of m-xe)"
out=$(axl monitor nosuch 2>&1); st=$?
is "$st:$out" "1:axl: no such domain 'nosuch'" "a bad domain: one line, exit 1"
axl monitor >/dev/null 2>&1
is "$?" 2 "no domain: a usage error"
stop m-fa; stop m-xe

# ---- a restart that hangs, cancelled by axl abort or SIGTERM to the monitor ----
rm -rf "$M"; mkdir -p "$M"
HANGVIF='vif = [ "bridge=xenbr0,script=/axl/tests/fixtures/block-hang" ]'
in_hotplug() {
    local p
    p=$(cat "$M/block-hang.pid" 2>/dev/null) && [ -n "$p" ] &&
        kill -0 "$p" 2>/dev/null
}
for policy in destroy keep; do
    rm -rf "$M"; mkdir -p "$M"
    touch "$M/block-hang.pass-once"
    ok "$policy: a guest whose restart will hang" \
        axl create -q --on-cancel=$policy "$(cfg m-h$policy reboot "$HANGVIF")"
    ok "$policy: its restart hangs in the vif's hotplug script" \
        wait_for 120 in_hotplug
    mp=$(mon_of m-h$policy)
    if [ $policy = destroy ]; then
        # From another terminal: the restart is one of the host's jobs.
        like "$(axl jobs --all)" "^$mp\\.[0-9]+ +create +m-hdestroy .* $mp axl-m-hdestroy monitor" \
            "destroy: jobs --all lists the restart, the monitor its owner"
        out=$(axl abort m-hdestroy 2>&1); st=$?
        is "$st" 0 "destroy: axl abort cancels the restart (exit 0)"
        like "$out" "destroyed; nothing is left|no domain is left" \
            "  and says what is left, as the monitor's log does"
        ok "destroy: the monitor ends after it" wait_for 60 no_mon m-h$policy
    else
        kill -TERM $mp
        ok "$policy: SIGTERM ends the monitor" wait_for 60 no_mon m-h$policy
    fi
    if [ $policy = destroy ]; then
        like "$(log_of m-h$policy)" "destroyed; nothing is left" \
            "destroy: the log says the half-built domain was destroyed"
        ok "destroy: no domain m-hdestroy is left" gone m-hdestroy
    elif log_of m-h$policy | grep -q "keep could not be honoured"; then
        # libxl took the killed hotplug script for a failure and began
        # to destroy the domain; axl finished that (op_create_cancelled).
        like "$(log_of m-h$policy)" "destroyed; nothing is left" \
            "keep: libxl began a destroy, and the log says it was finished"
        ok "keep: no domain m-hkeep is left" gone m-hkeep
    else
        like "$(log_of m-h$policy)" "kept, paused" \
            "keep: the log says the half-built domain is kept"
        like "$(dom_state m-hkeep)" "p" "keep: it is there, paused"
    fi
    like "$(log_of m-h$policy)" "the restart of domain 'm-h$policy' was cancelled; monitoring stopped" \
        "$policy: and that monitoring stopped"
    ok "$policy: no hotplug script is left" \
        wait_for 10 eval '[ -z "$(fixture_procs)" ]'
    stop m-h$policy
done

# ---- shutdown -w --timeout --then-destroy (beyond xl) ----
cfg m-sb none >/dev/null
sed -i 's/axl.then=none/axl.then=none axl.noshutdown/' "$tmp/m-sb.cfg"
axl create -q "$tmp/m-sb.cfg"
up() { grep -q AXL-GUEST-UP "/var/log/xen/guest-$1.log" 2>/dev/null; }
wait_for 60 up m-sb
axl shutdown -w --timeout=3s --then-destroy m-sb >"$tmp/out" 2>"$tmp/err"
is "$?" 0 "shutdown --then-destroy of a guest that ignores it: exit 0"
like "$(cat "$tmp/err")" "domain [0-9]+ \('m-sb'\) destroyed after it did not shut down in time" \
    "  says it needed the destroy"
ok "  the guest is gone" gone m-sb
out=$(axl shutdown --then-destroy m-sb 2>&1); st=$?
is "$st:$out" "2:axl: shutdown: --then-destroy needs -w and --timeout" \
    "--then-destroy without -w and --timeout: a usage error"
stop m-sb

ok "no monitor is left" test -z "$(monitors)"
done_testing
