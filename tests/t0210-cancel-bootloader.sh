#!/bin/bash
# Cancelling axl create while it hangs in the hang-bootloader fixture:
# SIGINT, SIGTERM and --timeout, each with --on-cancel=destroy and keep.
cd "$(dirname "$0")/.." || exit 1
. tests/lib/tap.sh
. tests/lib/xen.sh
. tests/lib/cancel.sh

scenario hang-bootloader INT destroy 130
scenario hang-bootloader INT keep 130
scenario hang-bootloader TERM destroy 143
scenario hang-bootloader TERM keep 143
scenario hang-bootloader timeout destroy 124
scenario hang-bootloader timeout keep 124

rm -rf "$tmp" "$M"
done_testing
