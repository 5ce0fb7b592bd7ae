#!/bin/bash
# Scripts written for xl run unchanged: every option xl's own help lists
# for a command axl implements is accepted by axl under the same short
# and long names.  The commands and their options come from `xl help` and
# `xl help CMD` in this boot, not from a copy: every command both list is
# checked.  The xl commands axl leaves out are the ones README.md names.
cd "$(dirname "$0")/.." || exit 1
. tests/lib/tap.sh
. tests/lib/help.sh
. tests/lib/xen.sh

# xl_cmds, axl_cmds: the commands each one's `help` lists, one a line,
# sorted.  xl's are " name   summary" lines (a long name has its summary
# on the next line); axl's follow "commands:".
xl_cmds() {
    xl help 2>&1 | awk '/^xl full list of subcommands:/ { on = 1; next }
        on && /^ [a-z]/ { print $1 }' | sort
}
axl_cmds() {
    axl help | awk '/^commands:/ { on = 1; next } on && /^  [a-z]/ {
        print $1 }' | sort
}

# xl_opts CMD: the options on the lines of xl's "Options:" section, one
# a line: "-x" and "--name" (xl's spelling: --tslice_ms).  A line's option
# column is its fields (split at two or more spaces) up to the first that
# does not start with '-': "-s         --schedparam      Query ..." has
# two, "-d DOMAIN, --domain=DOMAIN     Domain to modify" one.
xl_opts() {
    xl help "$1" 2>&1 | awk '/^Options:/ { on = 1; next } on' |
        grep -E '^ *-' | sed 's/^ *//' |
        awk -F '  +' '{ for (i = 1; i <= NF && $i ~ /^-/; i++) print $i }' |
        grep -oE -- '(^|[ ,])--?[A-Za-z][A-Za-z0-9_-]*' |
        sed 's/^[ ,]*//' | grep -vx -- '-h' | sort -u
}

# axl_lists COL OPT: the option column COL (help_optcol's, read once
# per command) lists OPT (any of its spellings).
axl_lists() {
    printf '%s\n' "$1" | grep -Eq -- "(^|, )$2(=|,|\$)"
}

# axl_takes_value COL OPT: the option takes a value in axl's table.
axl_takes_value() {
    printf '%s\n' "$1" | grep -E -- "(^|, )$2(=|,|\$)" | grep -q -- '='
}

# readme_left_out: the xl commands README.md's list says axl leaves out
# (the "`name`"s before the colon of each item of that section; "psr-*"
# is every psr- command), sorted.
readme_left_out() {
    awk '/^### xl commands axl does not implement/ { on = 1; next }
         on && /^#/ { exit }
         on && /^- `/ { print }' README.md | sed 's/:.*//' |
        grep -oE '`[a-z0-9*-]+`' | tr -d '`' |
        while read -r c; do
            case $c in
            *'*') xl_cmds | grep -- "^${c%\*}" ;;
            *) echo "$c" ;;
            esac
        done | sort -u
}

# lines_in A B: the lines of A that are (with -v: are not) lines of B.
lines_in() {
    local v=
    [ "$1" = -v ] && { v=-v; shift; }
    printf '%s\n' "$1" | grep $v -xF -f <(printf '%s\n' "$2")
}

xl_all=$(xl_cmds)
axl_all=$(axl_cmds)
cmds=$(lines_in "$xl_all" "$axl_all")
ok "xl help lists commands" test -n "$xl_all"
ok "axl shares commands with xl" test -n "$cmds"
diag "$(printf '%s\n' "$cmds" | wc -l) commands shared with xl"
is "$(lines_in -v "$xl_all" "$axl_all")" "$(readme_left_out)" \
    "README.md names exactly the xl commands axl does not implement"

for c in $cmds; do
    opts=$(xl_opts "$c")
    if [ -z "$opts" ]; then
        # xl lists no option: axl must not need one either
        axl "$c" -h >/dev/null 2>&1
        is "$?" 0 "$c: xl lists no option; 'axl $c -h' works"
        continue
    fi
    col=$(help_optcol "$c")
    for o in $opts; do
        ok "$c: axl's help lists xl's '$o'" axl_lists "$col" "$o"
        if axl_takes_value "$col" "$o"; then
            err=$(axl "$c" "$o" x -h 2>&1 >/dev/null)
        else
            err=$(axl "$c" "$o" -h 2>&1 >/dev/null)
        fi
        is "$?:$err" "0:" "$c: 'axl $c $o' parses"
    done
done
done_testing
