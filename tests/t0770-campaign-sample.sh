#!/bin/bash
# A fixed-seed sample of the cancel campaign (tests/campaign.sh; the
# whole campaign is `make campaign`): six cases at random instants,
# one-shot and as shell jobs, with every invariant checked after each.
# Migration and restore are left to the campaign: its PVH victim's boot
# alone would double this test's time, and a restore's file beside a
# save's does not fit in the RAM of make check's dom0 (768 MiB).
cd "$(dirname "$0")/.." || exit 1
exec env OPS="create-none create-hotplug create-bootloader create-backend
    block-attach network-attach save shutdown-w cleanup" MODE=mixed \
    bash tests/campaign.sh 6 4242
