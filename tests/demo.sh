#!/bin/bash
# demo: a short narrated tour of axl on a real Xen host (the lab).
# Run with `make demo`.
cd "$(dirname "$0")/.." || exit 1
. tests/lib/xen.sh

G=tests/guests
say() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }

if ! command -v axl >/dev/null; then
    say "axl is not built: demonstrating the lab with xl instead"
    run xl create "$G/pv-full.cfg"
    run xl list
    run xl destroy "$(cfg_name "$G/pv-full.cfg")"
    exit 0
fi

say "This is dom0 of a real Xen host, booted under QEMU a few seconds ago"
run axl version
run xl info | grep -E '^(xen_version|total_memory|free_memory)'

say "Create a PV guest with a disk and a network interface"
name=$(cfg_name "$G/pv-full.cfg")
run axl create "$G/pv-full.cfg"
run axl list
printf 'waiting for the guest to boot...\n'
if wait_for 60 grep -q AXL-GUEST-UP "/var/log/xen/guest-$name.log"; then
    say "The guest's console says:"
    grep AXL-GUEST-UP "/var/log/xen/guest-$name.log"
fi
run axl destroy "$name"

say "Now a create that hangs: its block hotplug script never returns"
rm -rf "$M"; mkdir -p "$M"
hname=$(cfg_name "$G/hang-hotplug.cfg")
printf '$ axl create %s   (Ctrl-C arrives in a moment)\n' "$G/hang-hotplug.cfg"
axl create "$G/hang-hotplug.cfg" &
pid=$!
wait_for 60 test -s "$M/block-hang.pid"
run xl list
say "Ctrl-C (SIGINT to axl)"
kill -INT "$pid"
wait "$pid"
printf 'axl exited with status %d\n' "$?"

say "Nothing is left: no domain, no xenstore entries, no hotplug script"
run axl list
printf '$ xenstore-ls /local/domain | grep -c "^[0-9]"\n'
xenstore-list /local/domain
[ -n "$(procs_matching fixtures/block-hang)" ] || echo "(no hotplug script running)"

say "The same with --on-cancel=keep: the half-built domain stays, paused"
rm -rf "$M"; mkdir -p "$M"
axl create --on-cancel=keep "$G/hang-hotplug.cfg" &
pid=$!
wait_for 60 test -s "$M/block-hang.pid"
kill -INT "$pid"
wait "$pid"
run axl list
run axl destroy "$hname"
run axl list

say "xl, for comparison: the same Ctrl-C during the same hang"
rm -rf "$M"; mkdir -p "$M"
set -m
xl create "$G/hang-hotplug.cfg" &
pid=$!
set +m
wait_for 60 test -s "$M/block-hang.pid"
kill -INT -- "-$pid"
wait "$pid"
printf 'xl exited with status %d\n' "$?"
sleep 1
run xl list
say "That is what axl is for."
clean_domains
