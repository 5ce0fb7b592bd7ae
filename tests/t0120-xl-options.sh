#!/bin/bash
# Scripts written for xl run unchanged: every option xl's own help lists
# for a command axl implements is accepted by axl under the same short
# and long names.  The list comes from `xl help CMD` in this boot, not
# from a copy.
cd "$(dirname "$0")/.." || exit 1
. tests/lib/tap.sh
. tests/lib/help.sh
. tests/lib/xen.sh

cmds="create list destroy pause unpause shutdown reboot block-attach
block-detach block-list network-attach network-detach network-list"
cmds+=" info uptime domid domname vm-list vcpu-list dmesg claims cpupool-list"

# xl_opts CMD: the options on the lines of xl's "Options:" section, one
# a line: "-x" and "--name".
xl_opts() {
    xl help "$1" 2>&1 | awk '/^Options:/ { on = 1; next } on' |
        grep -E '^ *-' | sed 's/  .*//' | grep -oE -- '(^|[ ,])--?[A-Za-z][a-z-]*' |
        sed 's/^[ ,]*//' | grep -vx -- '-h'
}


# axl_lists CMD OPT: axl's help lists OPT (any of its spellings).
axl_lists() {
    help_optcol "$1" | grep -Eq -- "(^|, )$2(=|,|\$)"
}

# axl_takes_value CMD OPT: the option takes a value in axl's table.
axl_takes_value() {
    help_optcol "$1" | grep -E -- "(^|, )$2(=|,|\$)" | grep -q -- '='
}

for c in $cmds; do
    opts=$(xl_opts "$c")
    if [ -z "$opts" ]; then
        # xl lists no option: axl must not need one either
        axl "$c" -h >/dev/null 2>&1
        is "$?" 0 "$c: xl lists no option; 'axl $c -h' works"
        continue
    fi
    for o in $opts; do
        ok "$c: axl's help lists xl's '$o'" axl_lists "$c" "$o"
        if axl_takes_value "$c" "$o"; then
            err=$(axl "$c" "$o" x -h 2>&1 >/dev/null)
        else
            err=$(axl "$c" "$o" -h 2>&1 >/dev/null)
        fi
        is "$?:$err" "0:" "$c: 'axl $c $o' parses"
    done
done
done_testing
