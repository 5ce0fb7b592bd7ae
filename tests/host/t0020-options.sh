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
for bad in x -1 1025 '' 2x; do
    usage_err "axl: invalid --workers '$bad': a number from 0 to 1024 is expected" \
        --workers="$bad" version
done
usage_err "axl: option '--workers' needs a value" --workers
is "$("$AXL" --workers=0 version >/dev/null 2>&1; echo $?)" 0 \
    "axl --workers=0 version: exit 0"
is "$("$AXL" --workers 1024 version >/dev/null 2>&1; echo $?)" 0 \
    "axl --workers 1024 version: exit 0"
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
# sched-rtds: xl's forms, one -p, -b and -e for each -v; the values in
# words before libxl is opened.
usage_err "axl: sched-rtds: -v VCPU, -p, -b and -e act on a domain: give it with -d" \
    sched-rtds -v 0
usage_err "axl: sched-rtds: -p, -b and -e set vcpus: give them with -v" \
    sched-rtds -d d -p 10000 -b 4000 -e 1
usage_err "axl: sched-rtds: give one -p, one -b and one -e for each -v" \
    sched-rtds -d d -v 0 -v 1 -p 10000 -b 4000 -e 1
usage_err "axl: sched-rtds: give one -p, one -b and one -e for each -v" \
    sched-rtds -d d -v 0 -p 10000 -b 4000
usage_err "axl: sched-rtds: -c cannot be combined with -d, -v, -p, -b or -e" \
    sched-rtds -c Pool-0 -d d
usage_err "axl: sched-rtds: -v all cannot be combined with -v VCPU" \
    sched-rtds -d d -v all -v 1
usage_err "axl: sched-rtds: invalid value '2' for --extratime (1 or 0)" \
    sched-rtds -d d -v 0 -p 10000 -b 4000 -e 2
usage_err "axl: sched-rtds: invalid value 'x' for --vcpuid (a vcpu number or 'all')" \
    sched-rtds -d d -v x
usage_err "axl: sched-rtds: invalid value '1x' for --budget (microseconds)" \
    sched-rtds -d d -v 0 -v 1 -p 1 -b 2 -e 0 -p 3 -b 1x -e 0
usage_err "axl: sched-rtds: --json goes with a listing, not with -p, -b or -e" \
    sched-rtds -d d -v all -p 100 -b 50 -e 0 --json
usage_err "axl: setenforce: invalid mode 'strict' (1, 0, Enforcing or Permissive)" \
    setenforce strict
usage_err "axl: setenforce: missing argument (usage: axl setenforce <1|0|Enforcing|Permissive>)" \
    setenforce
usage_err "axl: top: unexpected argument 'x' (usage: axl top)" top x
usage_err "axl: cpupool-numa-split: unexpected argument 'x' (usage: axl cpupool-numa-split [--timeout=DURATION])" \
    cpupool-numa-split x
usage_err "axl: vncviewer: missing argument (usage: axl vncviewer [options] <Domain>)" \
    vncviewer
out=$("$AXL" vncviewer --vncviewer-autopass 2>&1)
unlike "$out" "unknown option" "vncviewer takes xl's --vncviewer-autopass"
# top and vncviewer replace axl: the shell and batch mode refuse them.
f=$(mktemp)
printf 'top\n' >"$f"
err=$("$AXL" -f "$f" 2>&1 >/dev/null); rc=$?
is "$rc:$(printf '%s\n' "$err" | head -1)" \
    "2:axl: top: replaces axl with another program: run it as 'axl top', not in the shell" \
    "axl -f: top is refused, exit 2"
rm -f "$f"
is "$("$AXL" __complete 1 axl to)" top "one-shot completion offers top"

# migrate's host: from ssh's known_hosts (plain names, [host]:port, not
# hashed ones) and config (Host lines without patterns).
h=$(mktemp -d)
mkdir "$h/.ssh"
printf 'web1,10.0.0.1 ssh-ed25519 AAAA\n[web2]:2222 ssh-rsa AAAA\n|1|abc=|def= ssh-rsa AAAA\n' \
    >"$h/.ssh/known_hosts"
printf 'Host webcfg *.lab\n  User root\nHost !x web?\n' >"$h/.ssh/config"
is "$(HOME=$h "$AXL" __complete 3 axl migrate d web | sort | tr '\n' ' ')" \
    "web1 web2 webcfg " "migrate completes hosts from ssh's files"
rm -rf "$h"

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
# A reader that goes away (axl ... | head -1): no message, and either
# all was written (0) or axl ends as a pipeline's writer does (141).
bad=
for i in 1 2 3 4 5 6 7 8 9 10; do
    "$AXL" help 2>"$h.err" | :
    st=${PIPESTATUS[0]}
    case $st in 0 | 141) ;; *) bad="$bad status $st" ;; esac
    [ -s "$h.err" ] && bad="$bad message '$(head -1 "$h.err")'"
done
rm -f "$h.err"
is "$bad" "" "stdout's reader gone: exit 0 or 141, nothing on stderr"
out=$("$AXL" destroy --help=1 2>&1 | LC_ALL=C tr -d '[:print:]\n')
is "$out" "" "no unprintable byte in an option error"
# --version names axl, then the libxl it runs with (its shared object's
# version: 4.17 here), on a line each.
like "$("$AXL" --version | sed -n 1p)" '^axl [0-9]' "--version: axl's own"
like "$("$AXL" --version | sed -n 2p)" '^libxl 4\.17(\.|$)' \
    "--version: the libxl axl runs with"
# Help at a terminal goes through $PAGER (run without a shell); piped,
# it does not.  script(1) gives axl the terminal.
pg=$(mktemp -d)
printf '#!/bin/sh\necho "$@" >"%s/ran"\nexec cat\n' "$pg" >"$pg/pager"
chmod +x "$pg/pager"
out=$(PAGER="$pg/pager --from-axl" script -qec "$AXL help" /dev/null)
is "$(cat "$pg/ran" 2>/dev/null)" "--from-axl" \
    "help at a terminal runs \$PAGER with its own words"
like "$out" "commands:" "  and the pager shows the help"
rm -f "$pg/ran"
PAGER="$pg/pager" "$AXL" help >/dev/null
ok "help into a pipe runs no pager" test ! -e "$pg/ran"
out=$(PAGER="$pg/nonesuch" script -qec "$AXL help" /dev/null)
like "$out" "commands:" "a pager that cannot run: help goes straight out"
rm -rf "$pg"
# create -n where there is no Xen: the config is read and its errors
# said with file and line; its JSON needs Xen, and axl says so.
if [ ! -e /dev/xen/privcmd ]; then
    cf=$(mktemp)
    printf 'name = "c"\nkernel = "/k"\nmemory = "lots"\nfrob = 1\n' >"$cf"
    err=$("$AXL" create -n "$cf" 2>&1 >/dev/null); st=$?
    is "$st" 1 "create -n without Xen: a bad value fails"
    like "$err" "invalid value 'lots' for 'memory': not a number \\(config file '$cf' line 3\\)" \
        "  the error names the file and line"
    like "$err" "unknown key 'frob', ignored \\(config file '$cf' line 4\\)" \
        "  an unknown key is warned with its line"
    printf 'name = "c"\nkernel = "/k"\nmemory = 64\n' >"$cf"
    err=$("$AXL" create -n "$cf" 2>&1 >/dev/null); st=$?
    is "$st" 1 "create -n without Xen: no JSON, so status 1"
    like "$err" "reads without error; its JSON needs a Xen host" \
        "  and it says the config reads and what needs Xen"
    rm -f "$cf"
else
    pass "create -n without Xen # skip this host has Xen"
fi
done_testing
