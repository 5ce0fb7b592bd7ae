#!/bin/bash
# bench-status: what the live status costs.  create+destroy of a PV guest
# with axl on a terminal (a tmux pane: the status line is drawn four
# times a second) and off one (no status line), and xl, in the same
# boot; medians and ratios.  Also what a SIGKILL in the hotplug script
# leaves, xl next to axl.
# Run it with: scripts/lab run -- env RUNS=5 tests/bench/bench-status.sh
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/xen.sh

G=tests/guests
RUNS=${RUNS:-5}
T="tmux -L axlbench"
export TERM=${TERM:-xterm}
tmp=$(mktemp -d)
trap '$T kill-server 2>/dev/null; clean_domains; rm -rf "$tmp"' EXIT
name=$(cfg_name "$G/pv.cfg")

# one_run MODE: ms for create (running) + destroy, timed by the shell
# that runs them (inside the pane for the terminal case, so that tmux's
# own start is not counted).
cmd() {
    local tool=$1
    echo "t0=\$EPOCHREALTIME; $tool create $G/pv.cfg >/dev/null; \
        $tool destroy $name; t1=\$EPOCHREALTIME; \
        echo \$(( (\${t1/./} - \${t0/./}) / 1000 )) >$tmp/ms"
}
one_run() {
    rm -f "$tmp/ms"
    case $1 in
    xl) bash -c "$(cmd xl)" 2>/dev/null ;;
    axl) bash -c "$(cmd axl)" 2>/dev/null ;;
    axl-tty|xl-tty)
        $T new-session -d -x 150 -y 10 -s b "bash -c '$(cmd "${1%-tty}")'"
        wait_for 60 test -s "$tmp/ms"
        $T kill-server 2>/dev/null ;;
    esac
    wait_for 10 test -s "$tmp/ms"
    cat "$tmp/ms"
    clean_domains
}

one_run axl >/dev/null      # warm-up
for r in $(seq "$RUNS"); do
    for m in xl axl xl-tty axl-tty; do
        one_run "$m" >>"$tmp/$m"
    done
done
x=$(median <"$tmp/xl")
a=$(median <"$tmp/axl")
xt=$(median <"$tmp/xl-tty")
t=$(median <"$tmp/axl-tty")
echo "## create+destroy, status line on and off (ms, median of $RUNS)"
echo
echo "| | no terminal | terminal (tmux pane) | terminal/no terminal |"
echo "|---|---|---|---|"
awk -v x="$x" -v a="$a" -v xt="$xt" -v t="$t" 'BEGIN {
    printf "| xl | %d | %d | %.2f |\n", x, xt, xt / x
    printf "| axl (status line on a terminal) | %d | %d | %.2f |\n", a, t,
        t / a
    printf "| axl/xl | %.2f | %.2f | |\n", a / x, t / xt }'
