#!/bin/bash
# A fixed-seed sample of the cancel campaign (tests/campaign.sh; the
# whole campaign is `make campaign`): five cases at random instants,
# one-shot and as shell jobs, with every invariant checked after each.
# Migration is left to the campaign: its PVH victim's boot alone would
# double this test's time.
cd "$(dirname "$0")/.." || exit 1
exec env OPS="create-none create-hotplug create-bootloader create-backend
    block-attach save restore" MODE=mixed bash tests/campaign.sh 5 4242
