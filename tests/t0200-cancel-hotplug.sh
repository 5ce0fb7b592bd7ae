#!/bin/bash
# Cancelling axl create while it hangs in the hang-hotplug fixture:
# SIGINT, SIGTERM and --timeout, each with --on-cancel=destroy and keep.
cd "$(dirname "$0")/.." || exit 1
. tests/lib/tap.sh
. tests/lib/xen.sh
. tests/lib/cancel.sh

scenario hang-hotplug INT destroy 130
scenario hang-hotplug INT keep 130
scenario hang-hotplug TERM destroy 143
scenario hang-hotplug TERM keep 143
scenario hang-hotplug timeout destroy 124
scenario hang-hotplug timeout keep 124

rm -rf "$tmp" "$M"
done_testing
