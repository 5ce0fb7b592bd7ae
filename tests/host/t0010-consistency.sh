#!/bin/bash
# The command table, `axl help`, the man page and completion agree:
# every command and every option the table knows is documented in its own
# entry of the man page and offered by completion, and the bash completion
# file completes through axl.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/tap.sh
. tests/lib/help.sh

AXL=${AXL:-build/axl}
MAN=man/axl.1
[ -x "$AXL" ] || bail "no $AXL: run make first"

# The commands that work only inside the shell (and in batch mode): help
# lists them, completion of a one-shot command line does not offer them.
shell_only="quit exit"

# help_opts CMD: the long options `axl help CMD` lists on its option lines,
# one a line, as completion offers them: "--name=" for an option taking a
# value, "--name" for a flag.
help_opts() {
    help_optcol "$1" | grep -o -- '--[a-z][a-z_-]*=\{0,1\}'
}

# man_section CMD: CMD's own entry in man/axl.1, from its `.It Cm CMD` line
# to the next `.It Cm` of the same list or that list's `.El` (the lists
# nested in the entry, its options, are part of it).
man_section() {
    awk -v c="$1" '
        !on { if ($0 == ".It Cm " c || index($0, ".It Cm " c " ") == 1) {
                  on = 1; print }
              next }
        /^\.Bl/ { depth++ }
        /^\.El/ { if (!depth) exit; depth-- }
        !depth && /^\.It Cm / { exit }
        { print }' "$MAN"
}

# mdoc_opt OPT: how mdoc writes the long option OPT ("--on-cancel=" is
# "Fl \-on\-cancel").
mdoc_opt() {
    local name=${1#--}
    name=${name%=}
    printf 'Fl \\-%s\n' "${name//-/\\-}"
}

# man_has_opt SECTION OPT: SECTION names the long option OPT (and not
# merely a longer one it begins).
man_has_opt() {
    printf '%s\n' "$1" | o=$(mdoc_opt "$2") awk '
        BEGIN { o = ENVIRON["o"] }
        { s = $0
          while ((i = index(s, o))) {
              s = substr(s, i + length(o))
              if (s !~ /^([a-z]|\\-)/) found = 1
          } }
        END { exit !found }'
}

# bash_complete WORD...: what completions/axl.bash, sourced into bash,
# offers for the last WORD of the command line WORD... (COMP_WORDS and
# COMP_CWORD as bash sets them), one candidate a line.
bash_complete() {
    bash -c '. completions/axl.bash || exit 1
        axl=$1
        shift
        COMP_WORDS=("$@")
        COMP_CWORD=$(($# - 1))
        _axl "$axl"
        [ ${#COMPREPLY[@]} -eq 0 ] || printf "%s\n" "${COMPREPLY[@]}"' \
        _ "$AXL" "$@"
}

cmds=$("$AXL" help | awk '/^commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 }')
[ -n "$cmds" ] || bail "axl help lists no commands"
for c in $cmds; do
    case $c in __*) continue ;; esac
    sec=$(man_section "$c")
    ok "man page documents command '$c'" test -n "$sec"
    help=$("$AXL" help "$c")
    like "$help" "^usage: axl $c" "'axl help $c' prints usage"
    is "$("$AXL" "$c" -h)" "$help" "'axl $c -h' matches 'axl help $c'"
    for o in $(help_opts "$c"); do
        [ "$o" = --help ] && continue
        if man_has_opt "$sec" "$o"; then
            pass "man page documents 'axl $c ${o%=}' in the entry of '$c'"
        else
            fail "man page documents 'axl $c ${o%=}' in the entry of '$c'" \
                "no '$(mdoc_opt "$o")' between '.It Cm $c' and the next command"
        fi
    done
done
# The global -N is each operation's own --dry-run: an operation without
# one (its help lists --timeout but no --dry-run) refuses -N before it
# does anything, even before it looks for libxl.
for c in $cmds; do
    help=$("$AXL" help "$c")
    case $help in *--timeout*) ;; *) continue ;; esac
    case $help in *--dry-run*) continue ;; esac
    # wait's and await's --timeout bound a wait: they change nothing.
    case $c in wait|await) continue ;; esac
    # one word per <Arg> in its usage line
    args=$(printf '%s\n' "$help" | head -1 | grep -o '<[^>]*>' | sed 's/.*/d/')
    err=$("$AXL" -N "$c" $args 2>&1 >/dev/null); rc=$?
    is "$rc:$err" "2:axl: $c: has no dry run (-N); nothing was done" \
        "'axl -N $c' refuses in one line, exit 2"
done

# Completion offers what help lists: every command but the shell-only
# ones, and every option of each command (and nothing else).
offered=$("$AXL" __complete 1 axl "")
for c in $cmds; do
    case " $shell_only " in
    *" $c "*)
        err=$("$AXL" "$c" 2>&1 </dev/null); rc=$?
        is "$rc:$err" \
            "2:axl: $c: works only inside the shell (run 'axl shell')" \
            "'$c' is shell-only: one-shot 'axl $c' refuses, exit 2"
        unlike "$offered" "^$c\$" \
            "completion does not offer the shell-only command '$c'"
        continue
        ;;
    esac
    like "$offered" "^$c\$" "completion offers command '$c'"
    is "$("$AXL" __complete 2 axl "$c" -- | sort)" "$(help_opts "$c" | sort)" \
        "completion offers exactly the options 'axl help $c' lists"
done
for c in $offered; do
    like "$cmds" "^$c\$" "completion offers only commands help lists ('$c')"
done

# The bash completion file, sourced as bash does, asks axl for every
# candidate.
if [ -f completions/axl.bash ]; then
    is "$(bash -c '. completions/axl.bash && complete -p axl' 2>&1)" \
        "complete -F _axl axl" "completions/axl.bash completes axl with _axl"
    is "$(bash_complete axl "")" "$offered" \
        "completions/axl.bash: the commands axl offers"
    is "$(bash_complete axl cre)" create \
        "completions/axl.bash: a command prefix"
    is "$(bash_complete axl destroy --)" \
        "$("$AXL" __complete 2 axl destroy --)" \
        "completions/axl.bash: the options axl offers"
    is "$(bash_complete axl create --on)" --on-cancel= \
        "completions/axl.bash: an option taking a value"
    like "$(bash_complete axl create --config = tests/guests/p)" \
        "^tests/guests/pv\\.cfg\$" \
        "completions/axl.bash: --config=FILE as bash splits it"
else
    fail "completions/axl.bash exists"
fi
# A value that is a choice completes in both forms, every option alike.
for c in create restore block-attach monitor; do
    is "$("$AXL" __complete 3 axl "$c" --on-cancel '' | tr '\n' ' ')" \
        "destroy keep " "$c --on-cancel <TAB> offers its choices"
    is "$("$AXL" __complete 4 axl "$c" --on-cancel = k)" keep \
        "$c --on-cancel=k<TAB> (as bash splits it) completes the choice"
done

# Help fits an 80-column terminal: the list, and every command's page.
wide=$("$AXL" help | awk 'length > 80 { print "help: " $0 }')
for c in $("$AXL" help | awk '/^  [a-z]/ { print $1 }'); do
    wide+=$("$AXL" help "$c" |
            awk -v c="$c" 'length > 80 { print c ": " $0 }')
done
is "$wide" "" "axl help and each command's help are within 80 columns"
# The man page is clean under mandoc's lint.  Two kinds of message are
# not the page's: the host's stale mandoc.db (pages cross-referenced but
# not installed here), and mandoc's preference for an empty .Os (groff
# then prints "BSD" in the footer: axl names itself instead).
if command -v mandoc >/dev/null; then
    is "$(mandoc -T lint -W style "$MAN" 2>&1 |
          grep -v -e 'outdated mandoc.db' \
                  -e 'operating system explicitly specified')" "" \
        "man/axl.1 is clean under mandoc -T lint"
else
    fail "man/axl.1 is clean under mandoc -T lint (no mandoc: scripts/lab deps)"
fi
done_testing
