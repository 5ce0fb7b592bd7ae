#!/bin/bash
# Cancelling axl create while it hangs in the hang-backend fixture:
# SIGINT, SIGTERM and --timeout, each with --on-cancel=destroy and keep.
cd "$(dirname "$0")/.." || exit 1
. tests/lib/tap.sh
. tests/lib/xen.sh
. tests/lib/cancel.sh

scenario hang-backend INT destroy 130
scenario hang-backend INT keep 130
scenario hang-backend TERM destroy 143
scenario hang-backend TERM keep 143
scenario hang-backend timeout destroy 124
scenario hang-backend timeout keep 124

rm -rf "$tmp" "$M"
done_testing
