# monitor.sh: what the domain monitor's lab tests share (t0700, t0705):
# guests that end by themselves (cfg), who monitors them (monitors,
# mon_of), their consoles and logs, and the cleanup.  Source after tap.sh
# and xen.sh; it sets $tmp, $DUMP and the EXIT trap.

tmp=$(mktemp -d)
DUMP=/var/lib/xen/dump

# monitors: pids of axl monitors (comm axl-NAME) and of xl's (xl create).
monitors() {
    local p comm
    for p in /proc/[0-9]*; do
        comm_of "${p#/proc/}" || continue
        case $comm in
        axl-*) echo "${p#/proc/}" ;;
        xl) tr '\0' ' ' 2>/dev/null <"$p/cmdline" | grep -q '^xl create' &&
            echo "${p#/proc/}" ;;
        esac
    done
}

cleanup() {
    kill -9 $(monitors) $(fixture_procs) 2>/dev/null
    clean_domains
    rm -rf "$tmp" "$M" "$DUMP"/m-*
}
trap cleanup EXIT

# cfg NAME THEN [LINE...]: a guest config that does THEN (poweroff,
# reboot, crash, none) a second after it is up.
cfg() {
    local name=$1 then=$2
    shift 2
    {
        printf 'name = "%s"\ntype = "pv"\n' "$name"
        printf 'kernel = "/lab/guest/vmlinux"\nramdisk = "/lab/guest/initrd.gz"\n'
        printf 'extra = "console=hvc0 quiet cryptomgr.notests axl.then=%s"\n' "$then"
        printf 'memory = 96\nvcpus = 1\n'
        printf '%s\n' "$@"
    } >"$tmp/$name.cfg"
    echo "$tmp/$name.cfg"
}

# ups NAME: how many times the guest NAME said it was up.
ups() {
    local n
    n=$(grep -c AXL-GUEST-UP "/var/log/xen/guest-$1.log" 2>/dev/null)
    echo "${n:-0}"
}
ups_at_least() { [ "$(ups "$1")" -ge "$2" ]; }

# mon_of NAME: the pid of axl's monitor of NAME (comm axl-NAME).
mon_of() { pids_named "axl-$1"; }
no_mon() { [ -z "$(mon_of "$1")" ]; }
gone() { ! dom_exists "$1"; }
# stop NAME: kill NAME's monitors (axl's and xl's), then destroy it.
stop() {
    local p
    kill -9 $(mon_of "$1") 2>/dev/null
    for p in $(monitors); do
        tr '\0' ' ' 2>/dev/null <"/proc/$p/cmdline" | grep -q "$1.cfg" &&
            kill -9 "$p"
    done
    xl destroy "$1" >/dev/null 2>&1
    for p in $(xl list | awk -v n="$1-" 'index($1, n) == 1 { print $2 }'); do
        xl destroy "$p" >/dev/null 2>&1
    done
    rm -f "/var/log/xen/guest-$1.log"
}
log_of() { cat "/var/log/xen/axl-$1.log" 2>/dev/null; }
