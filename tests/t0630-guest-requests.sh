#!/bin/bash
# Requests to a running guest, each an op: vcpu-set, trigger,
# button-press, qemu-monitor-command.  Each effect is checked through xl,
# next to what xl does with the same request in the same boot; bad input
# is one line and the documented status.
cd "$(dirname "$0")/.." || exit 1
. tests/lib/tap.sh
. tests/lib/xen.sh

trap clean_domains EXIT

# avail NAME: the availability libxl wrote for each vCPU of NAME, as
# "online offline" (a PV guest brings a vCPU up when its userspace asks;
# the lab guest has no udev, so xl vcpu-list may still show it offline).
avail() {
    local id v out=
    id=$(dom_id "$1")
    for v in 0 1; do
        out+="$(xenstore-read /local/domain/$id/cpu/$v/availability) "
    done
    echo "${out% }"
}

for g in g-va g-vx; do
    axl create -q tests/guests/pv.cfg "name=\"$g\"" maxvcpus=2 ||
        bail "cannot create $g"
done
is "$(avail g-va)" "online offline" "a guest starts with one vCPU of two"

# ---- vcpu-set ----
ok "axl vcpu-set g-va 2 exits 0" axl vcpu-set g-va 2
ok "xl vcpu-set g-vx 2 exits 0" xl vcpu-set g-vx 2
is "$(avail g-va)" "online online" "axl made vCPU 1 available"
is "$(avail g-va)" "$(avail g-vx)" "  as xl did"
ok "axl vcpu-set g-va 1 exits 0" axl vcpu-set --timeout=30s g-va 1
ok "xl vcpu-set g-vx 1 exits 0" xl vcpu-set g-vx 1
is "$(avail g-va)" "online offline" "axl took vCPU 1 away"
is "$(avail g-va)" "$(avail g-vx)" "  as xl did"

out=$(axl --timings vcpu-set g-va 1 2>&1)
like "$out" "vcpu-set" "--timings shows vcpu-set ran as an op"
out=$(axl vcpu-set g-va 4 2>&1); st=$?
is "$st" 1 "vcpu-set beyond the host's CPUs exits 1"
like "$out" "^axl: cannot set 4 vCPUs on domain [0-9]+: the host has [0-9]+ CPUs \(--ignore-host allows it\)$" \
    "  and says why in one line"
out=$(axl vcpu-set -i g-va 4 2>&1); st=$?
xl vcpu-set -i g-vx 4 >/dev/null 2>&1; xst=$?
is "$st:$xst" "1:1" "vcpu-set -i beyond maxvcpus fails in axl as in xl"
is "$(printf '%s\n' "$out" | grep -c '^axl: ')" 1 "  with one axl line"
out=$(axl vcpu-set g-va two 2>&1); st=$?
is "$st:$out" "2:axl: vcpu-set: invalid number of vCPUs 'two'" \
    "a bad number is a usage error in one line"
out=$(axl vcpu-set nosuch 1 2>&1); st=$?
is "$st:$out" "1:axl: no such domain 'nosuch'" "a bad domain: one line, exit 1"
axl vcpu-set g-va >/dev/null 2>&1
is "$?" 2 "a missing argument is a usage error"

# ---- trigger and button-press ----
ok "axl trigger g-va nmi exits 0" axl trigger g-va nmi
xl trigger g-vx nmi >/dev/null 2>&1
is "$(dom_state g-va | cut -c1-3 | tr -d 'rb-')" "" \
    "  and the guest runs on after the NMI"
out=$(axl trigger g-va power 2>&1); st=$?
is "$st" 1 "trigger power to a PV guest (no ACPI) exits 1; xl says nothing"
is "$(printf '%s\n' "$out" | wc -l)" 1 "  in one line"
like "$out" "^axl: cannot trigger domain 'g-va'" "  naming the domain"
out=$(axl trigger g-va kick 2>&1); st=$?
is "$st:$out" "2:axl: trigger: invalid trigger 'kick' (use nmi, reset, init, power, sleep or s3resume)" \
    "a bad trigger is a usage error in one line"
out=$(axl trigger g-va nmi x 2>&1); st=$?
is "$st:$out" "2:axl: trigger: invalid vCPU 'x'" "a bad vCPU: one line, exit 2"
out=$(axl button-press g-va power 2>&1); st=$?
like "$out" "button-press is deprecated: use 'axl trigger g-va power'" \
    "button-press warns that it is deprecated"
is "$st" 1 "  and fails as trigger power does on a PV guest"
out=$(axl button-press g-va reset 2>&1); st=$?
is "$st:$out" "2:axl: button-press: invalid button 'reset' (use power or sleep)" \
    "button-press takes only power and sleep"

# ---- qemu-monitor-command ----
out=$(axl qemu-monitor-command g-va "info version" 2>&1); st=$?
xl qemu-monitor-command g-vx "info version" >/dev/null 2>&1; xst=$?
is "$st:$xst" "1:1" "qemu-monitor-command to a guest without a device model fails, as in xl"
like "$out" "^axl: cannot qemu-monitor-command domain 'g-va'" "  in axl's words"
axl qemu-monitor-command g-va >/dev/null 2>&1
is "$?" 2 "qemu-monitor-command without a command is a usage error"

# ---- config-update ----
# userdata NAME: what libxl keeps as the "xl" configuration of NAME.
userdata() {
    cat /var/lib/xen/userdata-d.$(dom_id "$1").*.xl 2>/dev/null
}
out=$(axl config-update g-va tests/guests/pv.cfg memory=96 2>&1); st=$?
is "$st" 0 "config-update exits 0"
xl config-update g-vx tests/guests/pv.cfg memory=96 >/dev/null 2>&1
ok "  and stores a configuration" test -n "$(userdata g-va)"
is "$(userdata g-va)" "$(userdata g-vx)" "  the same bytes xl stores"
before=$(userdata g-va)
printf 'name = "g-va"\nmemory = lots\n' >/tmp/bad.cfg
out=$(axl config-update g-va /tmp/bad.cfg 2>&1); st=$?
is "$st" 1 "config-update with a bad file exits 1"
is "$(userdata g-va)" "$before" "  and stores nothing"
rm -f /tmp/bad.cfg
out=$(axl config-update g-va 2>&1); st=$?
is "$st" 2 "config-update without a file is a usage error"
like "$(axl config-update -n g-va tests/guests/pv.cfg)" '"memory": 131072|"max_memkb": 131072' \
    "config-update -n prints the configuration as libxl JSON"

ok "both guests still exist" eval "dom_exists g-va && dom_exists g-vx"
ok "axl destroy g-va" axl destroy g-va
ok "xl destroy g-vx" xl destroy g-vx
done_testing
