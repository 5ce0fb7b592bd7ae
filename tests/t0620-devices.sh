#!/bin/bash
# The other device kinds on a running PV guest: vtpm-, vkb-, vdispl-,
# vsnd-, usbctrl-, usbdev-, usb-list, pci-, pci-assignable-*,
# channel-list, cd-insert/cd-eject.  The lab has no device model, no
# PCI passthrough, no USB and no vtpm backend, so: every list against
# xl's in the same boot, and as JSON; -n against xl -N; bad input and
# what the lab lacks, one line each; and a vtpm attach, which waits for a
# backend that never comes (libxl gives up after 10 s), cancelled by
# SIGINT and by --timeout under both --on-cancel policies, with xenstore
# and xl checked afterwards.
cd "$(dirname "$0")/.." || exit 1
. tests/lib/tap.sh
. tests/lib/xen.sh

G=tests/guests
tmp=$(mktemp -d)
cleanup() {
    [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
    clean_domains
    vtpm_closer_stop
    rm -rf "$tmp"
}
trap cleanup EXIT
vtpm_closer_start

# json_ok TEXT: TEXT is one JSON document (python3 or jq where the lab
# has them; else at least an array, closed).
json_ok() {
    if command -v python3 >/dev/null 2>&1; then
        printf '%s\n' "$1" | python3 -m json.tool >/dev/null 2>&1
    elif command -v jq >/dev/null 2>&1; then
        printf '%s\n' "$1" | jq . >/dev/null 2>&1
    else
        case $1 in "["*"]") return 0 ;; *) return 1 ;; esac
    fi
}

# vtpm_state ID: the xenstore state of domain ID's vtpm 0 backend, or
# nothing if there is none.
vtpm_state() {
    xenstore-read "/local/domain/0/backend/vtpm/$1/0/state" 2>/dev/null
}
vtpm_gone() {
    ! xenstore-exists "/local/domain/0/backend/vtpm/$id/0" 2>/dev/null &&
        ! xenstore-exists "/local/domain/$id/device/vtpm/0" 2>/dev/null
}
# The attach hangs in libxl's wait for the backend: state 1, never 2.
in_wait() {
    [ "$(vtpm_state "$id")" = 1 ]
}
# No journal record of ours is left (axl removes it when the op ends).
no_record() {
    [ -z "$(ls "${AXL_JOURNAL_DIR:-/run/axl}"/*.op 2>/dev/null)" ]
}

axl create -q "$G/pv.cfg" || bail "cannot create g-pv"
id=$(dom_id g-pv)

# ---- every list, as xl prints it, and as JSON ----
for c in vtpm-list vkb-list vdispl-list vsnd-list channel-list; do
    is "$(axl $c g-pv)" "$(xl $c g-pv)" "$c prints what xl $c prints"
    is "$(axl $c g-pv g-pv)" "$(xl $c g-pv g-pv)" \
        "$c with two domains: what xl prints"
done
for c in usb-list pci-list; do
    is "$(axl $c g-pv)" "$(xl $c g-pv)" "$c prints what xl $c prints"
    is "$(axl $c g-pv)" "" "  which is nothing: g-pv has none"
done
for c in vtpm-list vkb-list vdispl-list vsnd-list channel-list usb-list \
    pci-list block-list network-list; do
    out=$(axl $c --json g-pv); st=$?
    is "$st" 0 "$c --json exits 0"
    ok "$c --json is one JSON document" json_ok "$out"
    like "$(printf '%s' "$out" | tr -d ' \n')" \
        "^\[\{\"domid\":$id,\"name\":\"g-pv\",\"devices\":\[\]\}\]$" \
        "$c --json: the domain, no devices"
done
out=$(axl pci-assignable-list 2>"$tmp/err"); st=$?
is "$st:$out" "0:" "pci-assignable-list: nothing (no pciback), exit 0"
is "$out" "$(xl pci-assignable-list 2>/dev/null)" "  as xl prints"
ok "pci-assignable-list --json is JSON" \
    json_ok "$(axl pci-assignable-list --json)"
out=$(axl vtpm-list nosuch 2>&1); st=$?
is "$st:$out" "1:axl: no such domain 'nosuch'" \
    "vtpm-list of a missing domain: one line, exit 1"
out=$(axl usb-list g-pv g-pv 2>&1); st=$?
is "$st" 2 "usb-list takes one domain, as xl: usage error"

# ---- -n prints what xl -N prints ----
is "$(axl -N vtpm-attach g-pv backend=0)" \
    "$(xl -N vtpm-attach g-pv backend=0)" "vtpm-attach -N: as xl -N"
is "$(axl vtpm-attach -n g-pv uuid=11111111-2222-4333-8444-555555555555)" \
    "$(xl -N vtpm-attach g-pv uuid=11111111-2222-4333-8444-555555555555)" \
    "vtpm-attach -n with a uuid: as xl -N"
is "$(axl -N vkb-attach g-pv backend-type=linux unique-id=k0)" \
    "$(xl -N vkb-attach g-pv backend-type=linux unique-id=k0)" \
    "vkb-attach -N: as xl -N"
is "$(axl -N vdispl-attach g-pv backend=0 'connectors=c0:800x600;c1:640x480')" \
    "$(xl -N vdispl-attach g-pv backend=0 'connectors=c0:800x600;c1:640x480')" \
    "vdispl-attach -N: as xl -N"
is "$(axl -N vsnd-attach g-pv 'card, short-name=sc' 'pcm, name=p0' \
        'stream, unique-id=s0, type=p')" \
    "$(xl -N vsnd-attach g-pv 'card, short-name=sc' 'pcm, name=p0' \
        'stream, unique-id=s0, type=p')" "vsnd-attach -N: as xl -N"
out=$(axl -N usbctrl-attach g-pv type=pv 2>&1); st=$?
is "$st:$out" "2:axl: usbctrl-attach: has no dry run (-N); nothing was done" \
    "usbctrl-attach has no dry run, as in xl: refused, exit 2"

# ---- bad input, and what the lab lacks: one line, nothing changed ----
# one_line TITLE WANT-STATUS ERE CMD...: CMD exits WANT-STATUS with one
# line on stderr matching ERE and nothing on stdout.
one_line() {
    local t=$1 want=$2 re=$3 out err st
    shift 3
    out=$("$@" 2>"$tmp/err"); st=$?
    err=$(cat "$tmp/err")
    is "$st" "$want" "$t: exit $want"
    is "$(printf '%s\n' "$err" | wc -l):$out" "1:" "$t: one line, no output"
    like "$err" "$re" "$t: says why"
}
one_line "vkb-attach without backend-type" 1 "backend-type is required" \
    axl vkb-attach g-pv unique-id=k0
one_line "vdispl-attach without a connector" 1 \
    "at least one connector is required" axl vdispl-attach g-pv backend=0
one_line "vtpm-attach with a bare word" 1 \
    "^axl: invalid vtpm parameter 'backend': expected key=value$" \
    axl vtpm-attach g-pv backend
one_line "vtpm-attach with a bad uuid" 1 "invalid value 'nope' for 'vtpm' uuid" \
    axl vtpm-attach g-pv uuid=nope
one_line "vsnd-attach with a bad item" 1 "expected card, pcm or stream" \
    axl vsnd-attach g-pv 'disc, short-name=x'
one_line "usbctrl-attach with an unknown word" 1 "colour=blue" \
    axl usbctrl-attach g-pv colour=blue
one_line "vtpm-detach of a missing vtpm" 1 \
    "^axl: domain 'g-pv' has no vtpm 7 \(see 'axl vtpm-list g-pv'\)$" \
    axl vtpm-detach g-pv 7
one_line "vtpm-detach by an unknown uuid" 1 "has no vtpm with uuid" \
    axl vtpm-detach g-pv 11111111-2222-4333-8444-555555555555
one_line "vkb-detach of a bad index" 2 \
    "^axl: vkb-detach: invalid device index 'x' \(give a number\)$" \
    axl vkb-detach g-pv x
one_line "vsnd-detach of a missing device" 1 "has no vsnd 0" \
    axl vsnd-detach g-pv 0
one_line "usbctrl-detach of a missing controller" 1 \
    "has no usbctrl 0 \(see 'axl usb-list g-pv'\)" axl usbctrl-detach g-pv 0
one_line "usbdev-detach of an empty port" 1 \
    "has no USB device at controller 0 port 1" axl usbdev-detach g-pv 0 1
one_line "pci-detach of a device never attached" 1 \
    "has no PCI device 0000:00:1f.0 \(see 'axl pci-list g-pv'\)" \
    axl pci-detach g-pv 0000:00:1f.0
one_line "pci-assignable-add of a bad address" 2 \
    "invalid PCI address 'web' \(use \[DDDD:\]BB:DD.F\)" \
    axl pci-assignable-add web
one_line "cd-insert on a PV guest" 1 \
    "^axl: cd-insert: domain 'g-pv' is not an HVM guest" \
    axl cd-insert g-pv xvdc /dev/null
one_line "cd-eject on a PV guest" 1 \
    "^axl: cd-eject: domain 'g-pv' is not an HVM guest" \
    axl cd-eject g-pv xvdc
out=$(axl vtpm-attach 2>&1); st=$?
is "$st" 2 "vtpm-attach without a domain is a usage error"

# What the lab lacks fails in libxl, which says why (exit 1).
out=$(axl pci-attach g-pv 0000:00:1f.0 2>&1); st=$?
is "$st" 1 "pci-attach without passthrough: exit 1"
like "$out" "cannot attach pci 0000:00:1f.0 to domain $id \('g-pv'\): " \
    "  with libxl's error"
is "$(axl pci-list g-pv)" "" "  and nothing is attached"
out=$(axl usbdev-attach g-pv hostbus=9 hostaddr=9 2>&1); st=$?
is "$st" 1 "usbdev-attach of a missing host device: exit 1"
like "$out" "cannot attach a usbdev to domain $id" "  says so"
is "$(axl usb-list g-pv)" "" "  and no controller was added"
out=$(axl pci-assignable-add 0000:00:1f.0 2>&1); st=$?
is "$st" 1 "pci-assignable-add without pciback: exit 1"
like "$out" "^axl: cannot make PCI device '0000:00:1f.0' assignable" \
    "  says so"

# ---- a vtpm attach that waits for a backend: cancelled ----
# hang ARGS...: start vtpm-attach ARGS in the background; wait until
# libxl waits for the backend.  Sets $pid.
hang() {
    axl vtpm-attach "$@" g-pv >"$tmp/out" 2>"$tmp/err" &
    pid=$!
    wait_for 8 in_wait
}

ok "SIGINT/destroy: the attach waits for the backend" hang
kill -INT "$pid"
wait "$pid"; st=$?; pid=
is "$st" 130 "SIGINT/destroy: exit 130"
like "$(cat "$tmp/err")" \
    "removed vtpm 0 from domain $id \('g-pv'\); nothing is left" \
    "SIGINT/destroy: says the half-attached vtpm was removed"
ok "SIGINT/destroy: no vtpm in xenstore" vtpm_gone
is "$(axl vtpm-list g-pv)" "$(xl vtpm-list g-pv)" \
    "SIGINT/destroy: vtpm-list as xl's"
is "$(axl vtpm-list g-pv | wc -l)" 1 "SIGINT/destroy: header only"
ok "SIGINT/destroy: no journal record" no_record

ok "SIGINT/keep: the attach waits for the backend" hang --on-cancel=keep
kill -INT "$pid"
wait "$pid"; st=$?; pid=
is "$st" 130 "SIGINT/keep: exit 130"
like "$(cat "$tmp/err")" \
    "vtpm 0 kept, half-attached \(remove it with 'axl vtpm-detach -f $id 0'\)" \
    "SIGINT/keep: says what is kept and how to remove it"
is "$(vtpm_state "$id")" 1 "SIGINT/keep: the backend is still in xenstore"
is "$(axl vtpm-list g-pv)" "$(xl vtpm-list g-pv)" \
    "SIGINT/keep: vtpm-list with the vtpm: as xl's"
like "$(axl vtpm-list g-pv)" "^0 +0 " "SIGINT/keep: vtpm 0 is listed"
json=$(axl vtpm-list --json g-pv)
ok "SIGINT/keep: vtpm-list --json is JSON" json_ok "$json"
like "$(printf '%s' "$json" | tr -d ' \n')" \
    "\"devices\":\[\{\"config\":\{.*\},\"info\":\{.*\"devid\":0.*\"state\":1" \
    "SIGINT/keep: the JSON holds the row's values"
ok "SIGINT/keep: the command it gave removes it" \
    axl vtpm-detach -f "$id" 0
ok "SIGINT/keep: then no vtpm in xenstore" vtpm_gone
ok "SIGINT/keep: no journal record" no_record

rm -f "$tmp/err"
t0=$(now_us)
axl vtpm-attach --timeout=3s g-pv 2>"$tmp/err"; st=$?
t1=$(now_us)
is "$st" 124 "--timeout/destroy: exit 124"
# The cancel comes at 3 s; the removal of the vtpm follows (its backend
# lets go when asked: vtpm_closer_start).
ok "--timeout/destroy: cancelled, then removed, within 8 s" \
    test $(( (t1 - t0) / 1000000 )) -lt 8
like "$(cat "$tmp/err")" "timed out" "--timeout/destroy: says it timed out"
ok "--timeout/destroy: no vtpm in xenstore" vtpm_gone

# Left alone, libxl gives up after 10 s: a failure, and what is left is
# said (libxl leaves the entries: the hint removes them).
axl vtpm-attach g-pv 2>"$tmp/err"; st=$?
is "$st" 1 "uncancelled: libxl's timeout is a failure, exit 1"
like "$(cat "$tmp/err")" "cannot attach vtpm 0 to domain $id" \
    "uncancelled: says the attach failed"
axl vtpm-detach -f g-pv 0 >/dev/null 2>&1
ok "afterwards: no vtpm in xenstore" vtpm_gone

ok "destroy g-pv" axl destroy g-pv
is "$(ndomains)" 1 "afterwards xl list shows only Domain-0"
done_testing
