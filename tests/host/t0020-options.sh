#!/bin/bash
# Option errors in words: one line, exit 2, never a garbage byte; xl's
# spellings accepted; usage lines without a trailing space.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/tap.sh

AXL=${AXL:-build/axl}
[ -x "$AXL" ] || bail "no $AXL: run make first"

# usage_err WANT_MESSAGE ARGS...: exit 2 and exactly that one line.
usage_err() {
    local want=$1 err rc
    shift
    err=$("$AXL" "$@" 2>&1 >/dev/null)
    rc=$?
    is "$rc:$err" "2:$want" "axl $*: exit 2, '$want'"
}

usage_err "axl: destroy: option '--help' takes no value" destroy --help=1
usage_err "axl: block-detach: option '--force' takes no value" \
    block-detach --force=1 d xvdb
usage_err "axl: option '--verbose' takes no value" --verbose=2 list
usage_err "axl: create: option '--timeout' needs a value" create --timeout
usage_err "axl: create: option '-f' needs a value" create -f
usage_err "axl: create: unknown option '--frob' (try 'axl create -h')" \
    create --frob x.cfg
usage_err "axl: create: unknown option '-Y' (try 'axl create -h')" \
    create -Y x.cfg
usage_err "axl: unknown option '--frob' (try 'axl -h')" --frob
usage_err "axl: ambiguous option '--ver': could be --verbose, --version" \
    --ver
usage_err "axl: version: unexpected argument 'extra' (usage: axl version)" \
    version extra
usage_err "axl: destroy: missing argument (usage: axl destroy [options] <Domain>)" \
    destroy
usage_err "axl: create: invalid duration '0x10' for --timeout (use e.g. 30s, 2m, 1h)" \
    create --timeout=0x10 x.cfg
usage_err "axl: create: invalid duration '1e3' for --timeout (use e.g. 30s, 2m, 1h)" \
    create --timeout=1e3 x.cfg
usage_err "axl: shutdown: -a acts on every guest: give no domain" \
    shutdown -a d
usage_err "axl: --keep-going goes with -f FILE" --keep-going version

# The memory, vCPU, scheduler, cpupool and host commands: a bad word is
# said before libxl is opened, naming the word.
usage_err "axl: mem-set: invalid memory size '12x' (MiB, or a number with a b, k, m, g or t suffix)" \
    mem-set d 12x
usage_err "axl: mem-max: invalid memory size '' (MiB, or a number with a b, k, m, g or t suffix)" \
    mem-max d ''
usage_err "axl: mem-set: missing argument (usage: axl mem-set <Domain> <Size>)" \
    mem-set d
usage_err "axl: vcpu-pin: invalid vcpu 'x' (a number or 'all')" \
    vcpu-pin d x 0
usage_err "axl: vcpu-pin: --force acts on one vcpu, not 'all'" \
    vcpu-pin -f d all 0
usage_err "axl: sched-credit: -w and -c set a domain's values: give the domain with -d" \
    sched-credit -w 5
usage_err "axl: sched-credit: -s and -p cannot be combined with -d, -w or -c" \
    sched-credit -s -d d
usage_err "axl: sched-credit: -t sets a cpupool's parameters: give -s with it" \
    sched-credit --tslice_ms=5
usage_err "axl: sched-credit2: invalid value 'heavy' for --weight (a whole number)" \
    sched-credit2 -d d -w heavy
usage_err "axl: sched-credit: invalid value '-1' for --tslice-ms (a whole number)" \
    sched-credit -s -t -1
usage_err "axl: sched-credit2: --json goes with a listing, not with -w, -c, -t, -r or -m" \
    sched-credit2 -d d -c 50 --json
usage_err "axl: sched-credit2: unknown option '-t' (try 'axl sched-credit2 -h')" \
    sched-credit2 -t 5
usage_err "axl: sysrq: invalid sysrq 'ab' (give one letter)" sysrq d ab
usage_err "axl: rename: the new name is empty" rename d ''
usage_err "axl: cpupool-rename: the new name is empty" cpupool-rename p ''
usage_err "axl: debug-keys: no debug keys given" debug-keys ''
usage_err "axl: cpupool-create: unexpected argument 'b.cfg': one config file (usage: axl cpupool-create [options] [<ConfigFile>] [key=value ...])" \
    cpupool-create a.cfg b.cfg
usage_err "axl: cpupool-migrate: missing argument (usage: axl cpupool-migrate <Domain> <CpuPool>)" \
    cpupool-migrate d
# The global -N is refused by a command that changes something and has no
# dry run, as xl refuses it; vcpu-pin's is its --dry-run.
usage_err "axl: rename: has no dry run (-N); nothing was done" -N rename d e
usage_err "axl: sched-credit2: has no dry run (-N); nothing was done" \
    -N sched-credit2
out=$("$AXL" -N vcpu-pin d 0 1 2>&1)
unlike "$out" "has no dry run" "-N vcpu-pin is vcpu-pin --dry-run"

out=$("$AXL" help version)
is "$(printf '%s\n' "$out" | head -1)" "usage: axl version" \
    "usage line of a command without arguments has no trailing space"
out=$("$AXL" create --dryrun --defconfig=/nonexistent.cfg 2>&1)
unlike "$out" "unknown option" "create takes xl's --dryrun and --defconfig"
out=$("$AXL" create -n --config /nonexistent.cfg 2>&1)
unlike "$out" "unknown option" "and axl's own --config"
out=$("$AXL" destroy --help=1 2>&1 | LC_ALL=C tr -d '[:print:]\n')
is "$out" "" "no unprintable byte in an option error"
done_testing
