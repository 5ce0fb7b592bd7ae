#!/bin/bash
# The command table, `axl help`, the man page and completion agree:
# every command and every option the table knows is documented.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/tap.sh

AXL=${AXL:-build/axl}
MAN=man/axl.1
[ -x "$AXL" ] || bail "no $AXL: run make first"

cmds=$("$AXL" help | awk '/^commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 }')
[ -n "$cmds" ] || bail "axl help lists no commands"
for c in $cmds; do
    case $c in __*) continue ;; esac
    ok "man page documents command '$c'" grep -q "^\.It Cm $c\\b" "$MAN"
    help=$("$AXL" help "$c")
    like "$help" "^usage: axl $c" "'axl help $c' prints usage"
    is "$("$AXL" "$c" -h)" "$help" "'axl $c -h' matches 'axl help $c'"
    for o in $(printf '%s\n' "$help" | grep -o -- '--[a-z][a-z-]*' | sort -u); do
        [ "$o" = --help ] && continue
        esc=$(printf '%s' "${o#--}" | sed 's/-/\\\\-/g')
        ok "man page documents 'axl $c $o'" grep -q -- "Fl \\\\-$esc" "$MAN"
    done
done
# The global -N is each operation's own --dry-run: an operation without
# one (its help lists --timeout but no --dry-run) refuses -N before it
# does anything, even before it looks for libxl.
for c in $cmds; do
    help=$("$AXL" help "$c")
    case $help in *--timeout*) ;; *) continue ;; esac
    case $help in *--dry-run*) continue ;; esac
    # one word per <Arg> in its usage line
    args=$(printf '%s\n' "$help" | head -1 | grep -o '<[^>]*>' | sed 's/.*/d/')
    err=$("$AXL" -N "$c" $args 2>&1 >/dev/null); rc=$?
    is "$rc:$err" "2:axl: $c: has no dry run (-N); nothing was done" \
        "'axl -N $c' refuses in one line, exit 2"
done
if [ -f completions/axl.bash ]; then
    ok "bash completion asks axl itself (no scraped help)" \
        grep -q '__complete' completions/axl.bash
else
    fail "completions/axl.bash exists"
fi
done_testing
