# tap.sh: a tiny TAP library for axl's shell tests.
#
# Source it, then call the checks; end with `done_testing`, which prints the
# plan and exits nonzero if any check failed.  Every check prints exactly
# one `ok N - title` or `not ok N - title` line; diagnostics start with '#'.

tap_n=0
tap_failed=0
tap_last=${EPOCHREALTIME/[.,]/}

# tap_slow: after a check that took 2 s or more since the one before, a
# comment with the time, so a slow test shows where its time goes.
tap_slow() {
    local now=${EPOCHREALTIME/[.,]/}
    [ -n "$now" ] && [ -n "$tap_last" ] &&
        [ $((now - tap_last)) -ge 2000000 ] &&
        printf '# (%d.%d s)\n' $(((now - tap_last) / 1000000)) \
            $(((now - tap_last) / 100000 % 10))
    tap_last=$now
}

# pass TITLE / fail TITLE [DIAG...]: record an outcome decided by the caller.
pass() {
    tap_n=$((tap_n + 1))
    printf 'ok %d - %s\n' "$tap_n" "$1"
    tap_slow
}

fail() {
    tap_n=$((tap_n + 1))
    tap_failed=$((tap_failed + 1))
    printf 'not ok %d - %s\n' "$tap_n" "$1"
    tap_slow
    shift
    for d in "$@"; do
        printf '%s\n' "$d" | sed 's/^/#   /'
    done
}

# ok TITLE CMD...: passes when CMD exits 0.
ok() {
    tap_title=$1
    shift
    if "$@"; then pass "$tap_title"; else fail "$tap_title" "command: $*"; fi
}

# is GOT WANT TITLE: passes when the two strings are equal.
is() {
    if [ "$1" = "$2" ]; then
        pass "$3"
    else
        fail "$3" "got:  '$1'" "want: '$2'"
    fi
}

# like GOT PATTERN TITLE: passes when GOT matches the grep -E PATTERN.
like() {
    if printf '%s\n' "$1" | grep -Eq -- "$2"; then
        pass "$3"
    else
        fail "$3" "got:  '$1'" "want match: '$2'"
    fi
}

# unlike GOT PATTERN TITLE: passes when GOT does not match PATTERN.
unlike() {
    if printf '%s\n' "$1" | grep -Eq -- "$2"; then
        fail "$3" "got:  '$1'" "want no match: '$2'"
    else
        pass "$3"
    fi
}

# diag MSG...: a comment line in the TAP stream.
diag() {
    printf '# %s\n' "$*"
}

# bail MSG: stop the whole test file; the harness counts it as a failure.
bail() {
    printf 'Bail out! %s\n' "$*"
    exit 255
}

# done_testing: print the plan; exit status says whether all checks passed.
done_testing() {
    printf '1..%d\n' "$tap_n"
    [ "$tap_failed" -eq 0 ]
}
