#!/bin/bash
# An HVM guest without PV drivers (tests/guests/hvm-nopv.cfg: no Xen
# platform device, the kernel told nopv), as Windows without its drivers
# or an installer is: libxl finds no PV control in it, so shutdown and
# reboot are refused, and -F falls back to the ACPI power button and,
# for a reboot, to a reset.  Each step next to xl in the same boot, on
# the same config: shutdown and reboot without -F (refused, one line,
# nonzero), trigger sleep (the guest sees the sleep button), reboot -F
# (xl's fails: Xen on x86 has no ACPI reset button; axl's resets the
# guest and its monitor starts it again, with a new device model), then
# shutdown -F -w (the guest sees the power button and powers off;
# nothing of it or of its device model is left).  Then xl's guest:
# xl's trigger reset (does nothing, exits 0), axl's (xl's daemon starts
# it again), xl's shutdown -F -w.  A PV guest has nothing to reset.
#
# Run by `make lab-guests`, not by make check: its four boots of an HVM
# guest take 40 to 80 s each under TCG.
# lab: only when named
cd "$(dirname "$0")/.." || exit 1
. tests/lib/tap.sh
. tests/lib/xen.sh

tmp=$(mktemp -d)
trap 'kill $reader 2>/dev/null; clean_domains; rm -rf "$tmp"' EXIT

qemu_of() { xenstore-read "/local/domain/$1/image/device-model-pid" 2>/dev/null; }
# took TITLE T0: a diag of the milliseconds since T0 (now_us).
took() { diag "$1 took $(( ($(now_us) - $2) / 1000 )) ms"; }

# guest NAME: a copy of hvm-nopv.cfg named NAME.
guest() {
    sed -e "s/^name = .*/name = \"$1\"/" tests/guests/hvm-nopv.cfg \
        >"$tmp/$1.cfg"
    echo "$tmp/$1.cfg"
}
reader=
# said FILE N ERE: FILE has at least N lines matching ERE.
said() { [ "$(tr -d '\r' <"$1" | grep -Ec -- "$3")" -ge "$2" ]; }
# sees FILE SECS N ERE: said FILE N ERE within SECS; if not, what the
# guest said last.
sees() {
    wait_for "$2" said "$1" "$3" "$4" && return
    guest_said "$1"
    return 1
}
# comes_up NAME FILE N: up NAME FILE N within 240 s; if not, what the
# guest said last.
comes_up() {
    wait_for 240 up "$1" "$2" "$3" && return
    guest_said "$2"
    return 1
}
# guest_said FILE: what the guest printed last, and Xen's word on it.
guest_said() {
    diag "the guest's serial port, last: $(tr -d '\r' <"$1" | tail -n 12)"
    diag "xl list: $(xl list | tail -n +2)"
}
# up NAME FILE N: the guest NAME has come up N times (read from its
# serial port, one reader for each of its domains; a domain being built
# has no serial port yet, and its reader is started again).
up() {
    local id
    id=$(dom_id "$1") || return 1
    if [ "$id" != "${listening:-}" ] || ! kill -0 "$reader" 2>/dev/null; then
        serial_listen "$1" "$2"
        listening=$id
    fi
    said "$2" "$3" AXL-GUEST-UP
}
# gone ID Q: nothing of domain ID or of its device model (pid Q) is left.
gone() {
    ! xl list "$1" >/dev/null 2>&1 &&
        ! xenstore-exists "/local/domain/0/device-model/$1" 2>/dev/null &&
        ! xenstore-exists "/local/domain/$1" 2>/dev/null &&
        ! { [ -n "$2" ] && [ -d "/proc/$2" ]; }
}

# power_off TOOL NAME FILE ID Q: TOOL's shutdown -F -w of NAME (domain
# ID, its device model Q; its serial port in FILE): the guest sees its
# power button and powers off, and nothing of it is left.
power_off() {
    local t0
    t0=$(now_us)
    runs "$1 shutdown -F -w exits 0" $1 shutdown -F -w "$2"
    took "$1 shutdown -F -w" "$t0"
    ok "  the guest saw the power button and powered off" \
        said "$3" 1 "^AXL-GUEST-POWEROFF"
    ok "  nothing of it or of its device model is left" wait_for 30 gone "$4" "$5"
}

# refused REQUEST NAME: REQUEST (shutdown, reboot) of NAME without -F,
# by axl, then by xl: refused, with a nonzero exit and one line saying
# why; the guest runs on.
refused() {
    local what=$1 name=$2 a x ra rx
    a=$(axl "$what" "$name" 2>&1)
    ra=$?
    x=$(xl "$what" "$name" 2>&1)
    rx=$?
    ok "axl $what without -F is refused (exit $ra)" test "$ra" != 0
    is "$(printf '%s\n' "$a" | grep -c .)" 1 "  in one line"
    like "$a" "no PV drivers.*-F" "  saying the guest has no PV drivers, and -F"
    ok "  xl refuses it too (exit $rx)" test "$rx" != 0
    diag "axl said: $a"
    diag "xl said: $(printf '%s' "$x" | tr '\n' '|')"
    like "$(dom_state "$name")" "^..---" "  the guest runs on"
}

# ---- axl's guest: refusals, the sleep button, reboot -F, shutdown -F ----
A=g-acpi-a
listening=
t0=$(now_us)
runs "axl create of an HVM guest without PV drivers exits 0" \
    axl create "$(guest $A)"
ok "  it comes up" comes_up $A "$tmp/a.con" 1
took "its boot" "$t0"
# Taken once it is up: under TCG a guest now and then restarts in its boot.
ida=$(dom_id $A)
qa=$(qemu_of "$ida")
ok "  it watches its ACPI power and sleep buttons" eval \
    'said "$tmp/a.con" 1 "ACPI POWER button" && said "$tmp/a.con" 1 "ACPI SLEEP button"' 
is "$(xenstore-read "/local/domain/$ida/control/feature-poweroff" 2>/dev/null)" "" \
    "  it has no PV control (no feature-poweroff)"

refused shutdown $A
refused reboot $A

runs "axl trigger sleep exits 0" axl trigger $A sleep
ok "  the guest sees the sleep button" sees "$tmp/a.con" 20 1 "^AXL-ACPI SLEEP"
runs "xl trigger sleep, for comparison" xl trigger $A sleep
ok "  the guest sees it again" sees "$tmp/a.con" 20 2 "^AXL-ACPI SLEEP"

out=$(xl reboot -F $A 2>&1)
rx=$?
ok "xl reboot -F fails: Xen on x86 has no ACPI reset button (exit $rx)" \
    test "$rx" != 0
diag "xl said: $(printf '%s' "$out" | tr '\n' '|')"
like "$(dom_state $A)" "^..---" "  the guest runs on"
t0=$(now_us)
runs "axl reboot -F -w exits 0" axl reboot -F -w $A
took "axl reboot -F -w" "$t0"
ok "  the domain is gone, with its device model" wait_for 30 gone "$ida" "$qa"
ok "  the monitor starts it again" wait_for 60 dom_id $A
ok "  and it comes up again" comes_up $A "$tmp/a.con" 2
took "the restart" "$t0"
ida2=$(dom_id $A)
qa2=$(qemu_of "$ida2")
ok "  with a new domid" test "$ida2" != "$ida"
ok "  and a new device model (pid $qa2)" eval '[ -n "$qa2" ] && [ "$qa2" != "$qa" ] && [ -d "/proc/$qa2" ]'

power_off axl $A "$tmp/a.con" "$ida2" "$qa2"
ok "  the monitor did not start it again" eval '! dom_exists $A'

# ---- xl's guest, the same config ----
X=g-acpi-x
listening=
t0=$(now_us)
runs "xl create of the same guest exits 0" xl create "$(guest $X)"
ok "  it comes up" comes_up $X "$tmp/x.con" 1
took "its boot" "$t0"
idx=$(dom_id $X)
# xl presses an ACPI reset button, which Xen on x86 does not have.
out=$(xl reboot -F $X 2>&1)
rx=$?
ok "xl reboot -F fails here (exit $rx)" test "$rx" != 0
diag "xl said: $(printf '%s' "$out" | tr '\n' '|')"
out=$(xl trigger $X reset 2>&1)
rx=$?
diag "xl trigger reset: exit $rx, saying: $(printf '%s' "$out" | tr '\n' '|')"
nap 5
is "$(dom_id $X)/$(dom_state $X | cut -c3-5)" "$idx/---" \
    "  the guest runs on, not reset"
t0=$(now_us)
runs "axl trigger reset exits 0" axl trigger $X reset
ok "  xl's daemon starts it again, and it comes up" comes_up $X "$tmp/x.con" 2
took "the reset and boot" "$t0"
idx2=$(dom_id $X)
qx2=$(qemu_of "$idx2")
ok "  as a new domain" test "$idx2" != "$idx"
power_off xl $X "$tmp/x.con" "$idx2" "$qx2"

# ---- errors: a PV guest has nothing to reset ----
runs "axl create of a PV guest" axl create tests/guests/pv.cfg
out=$(axl trigger g-pv reset 2>&1)
r=$?
ok "axl trigger reset of a PV guest fails (exit $r)" test "$r" != 0
like "$out" "^axl: cannot reset domain [0-9]+ \('g-pv'\): a PV guest has no reset button$" \
    "  saying why, in one line"
like "$(dom_state g-pv)" "^..---" "  the guest runs on"
runs "axl destroy of it" axl destroy g-pv
kill $reader 2>/dev/null
done_testing
