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
