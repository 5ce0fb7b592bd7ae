#!/bin/bash
# Cancelling axl create while it hangs in the hang-backend fixture:
# SIGINT with --on-cancel=destroy and keep, SIGTERM with destroy,
# --timeout with keep.  The full signal x policy matrix runs once, in
# t0200 (hotplug): the code path is the same in every phase, and what this
# phase adds is where libxl is when the abort arrives.
cd "$(dirname "$0")/.." || exit 1
. tests/lib/tap.sh
. tests/lib/xen.sh
. tests/lib/cancel.sh

# A backend that never connects, but lets go when asked (tests/lib/xen.sh).
trap vtpm_closer_stop EXIT
vtpm_closer_start

scenario hang-backend INT destroy 130
scenario hang-backend INT keep 130
scenario hang-backend TERM destroy 143
scenario hang-backend timeout keep 124

rm -rf "$tmp" "$M"
done_testing
