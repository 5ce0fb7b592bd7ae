#!/bin/bash
# bench-scale: axl against xl at scale, in one lab boot.
#
#  1. What one operation costs the process that runs it: user+sys CPU
#     and peak RSS of create (-p), destroy, list and block-attach, each
#     run under time(1), median of RUNS.  CPU counts what the process
#     waited for too (a hotplug script libxl forked and reaped), for both
#     tools alike.
#  2. N creates at once (N in JOBS, default "8 32"): one axl shell with N
#     `create -p ... &` lines and `wait`, against N `xl create -p` started
#     together.  Wall time to all N created and paused; total CPU
#     (user+sys) and total peak RSS of the toolstack processes (the sum
#     over the xl processes; the one axl process, which time(1) reports
#     as the largest of it and its workers); and, sampled every 0.5 s
#     from /proc, the peak of the summed RSS of every process of the
#     tool at once (axl with its workers; the xl processes alive then),
#     pages shared between them counted in each.
#  3. MANY (default 100) paused domains, each with one disk: the wall
#     time of `list`, `list -l`, `list --json` (axl; xl has -l only) and
#     `block-list` of all of them, median of RUNS.
#
# The guests are the lab's PV kernel with 96 MiB (the kernel needs
# about 64): 100 of them need a lab of 12 GiB.  Their disks' hotplug
# script is /usr/bin/true, so that 100 disks do not wait on 100 bash
# scripts under TCG; libxl runs it as it runs any script.
#
# Run:  LAB_MEM=12288 scripts/lab run -- tests/bench/bench-scale.sh
# and, with dom0 given both CPUs (hotplug scripts and domain builds can
# then overlap):
#       LAB_MEM=12288 LAB_XEN_OPTS=dom0_max_vcpus=2 \
#           scripts/lab run -- tests/bench/bench-scale.sh
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/xen.sh

G=tests/guests
RUNS=${RUNS:-5}
JOBS=${JOBS:-"8 32"}
MANY=${MANY:-100}
PARTS=${PARTS:-1,2,3}     # which of the three to run (commas)
part() { case ",$PARTS," in *",$1,"*) return 0 ;; esac; return 1; }
MEM=96
TIME=/usr/bin/time
bench_setup scale

settle() {
    clean_domains
    wait_for 60 eval '[ "$(ndomains)" -eq 1 ]'
    sleep 1
}
# cost FILE CMD...: run CMD under time(1), append "wall user sys rss".
cost() {
    local f=$1
    shift
    $TIME -a -o "$f" -f "%e %U %S %M" "$@" >/dev/null 2>>"$tmp/err"
}
# rows FILE: time(1)'s lines (not its "Command exited with ..." notes).
rows() { awk 'NF == 4 && $1 ~ /^[0-9.]+$/' "$1"; }
# med FILE COLUMN: the median of a column.
med() { rows "$1" | awk -v c="$2" '{ print $c }' | median; }
cpu_ms() {      # FILE: median of user+sys, ms
    rows "$1" | awk '{ printf "%d\n", ($2 + $3) * 1000 }' | median
}

# ---- 1. per-operation cost ----
rows1=
part 1 && for tool in xl axl; do : >"$tmp/$tool.create"; : >"$tmp/$tool.destroy"
    : >"$tmp/$tool.list"; : >"$tmp/$tool.battach"; done
part 1 && settle
part 1 && for r in $(seq "$RUNS"); do
    for tool in xl axl; do
        cost "$tmp/$tool.create" $tool create -q -p -e "$G/pv.cfg" \
            'name="g-cost"' "memory=$MEM"
        cost "$tmp/$tool.list" $tool list
        if [ $tool = xl ]; then
            cost "$tmp/$tool.battach" xl block-attach g-cost "$DISK"
        else
            cost "$tmp/$tool.battach" axl block-attach g-cost "$DISK"
        fi
        cost "$tmp/$tool.destroy" $tool destroy g-cost
        settle
    done
done
part 1 && for op in create destroy list battach; do
    x=$(cpu_ms "$tmp/xl.$op"); a=$(cpu_ms "$tmp/axl.$op")
    xr=$(med "$tmp/xl.$op" 4); ar=$(med "$tmp/axl.$op" 4)
    name=$op; [ $op = battach ] && name=block-attach
    [ $op = create ] && name="create -p"
    rows1+="| $name | $x | $a | $(ratio "$a" "$x") | $xr | $ar |"$'\n'
done

# ---- 2. N creates at once ----
# rss_sampler RE OUT: until killed, every 0.5 s, the summed VmRSS (KiB)
# of the processes whose command line matches RE; the peak goes to OUT.
rss_sampler() {
    local peak=0 sum p
    while :; do
        sum=0
        for p in $(procs_matching "$1"); do
            sum=$(( sum + $(awk '$1 == "VmRSS:" { print $2 }' \
                "/proc/$p/status" 2>/dev/null || echo 0) + 0 ))
        done
        [ "$sum" -gt "$peak" ] && peak=$sum && echo "$peak" >"$2"
        sleep 0.5
    done
}

rows2=
part 2 && for n in $JOBS; do
    for tool in xl axl; do
        : >"$tmp/$tool.jobs"; : >"$tmp/$tool.wall"; : >"$tmp/$tool.peak"
    done
    for r in $(seq 2); do
        for tool in xl axl; do
            settle
            : >"$tmp/one"
            echo 0 >"$tmp/peak"
            if [ $tool = xl ]; then re='^xl create '; else re='^axl -f '; fi
            rss_sampler "$re" "$tmp/peak" &
            spid=$!
            t0=$(now_us)
            if [ $tool = xl ]; then
                xpids=
                for i in $(seq "$n"); do
                    cost "$tmp/one" xl create -q -p -e "$G/pv.cfg" \
                        "name=\"g-j$i\"" "memory=$MEM" &
                    xpids+=" $!"
                done
                # shellcheck disable=SC2086
                wait $xpids     # not the sampler
            else
                for i in $(seq "$n"); do
                    printf "create -q -p -e %s 'name=\"g-j%s\"' memory=%s &\n" \
                        "$G/pv.cfg" "$i" "$MEM"
                done >"$tmp/cmds"
                echo wait >>"$tmp/cmds"
                cost "$tmp/one" axl -f "$tmp/cmds"
            fi
            t1=$(now_us)
            kill $spid 2>/dev/null
            wait $spid 2>/dev/null
            cat "$tmp/peak" >>"$tmp/$tool.peak"
            [ "$(ndomains)" -eq $((n + 1)) ] ||
                echo "# $tool, $n at once, run $r: $(($(ndomains) - 1)) created:" \
                    "$(tail -2 "$tmp/err")"
            echo $(( (t1 - t0) / 1000 )) >>"$tmp/$tool.wall"
            # Totals over the processes of this run.
            rows "$tmp/one" |
                awk '{ c += ($2 + $3) * 1000; m += $4 } END { printf "%d %d\n", c, m }' \
                >>"$tmp/$tool.jobs"
            echo "# $n at once, run $r, $tool: $(( (t1 - t0) / 1000 )) ms," \
                "$(tail -1 "$tmp/$tool.jobs"); sampled peak RSS" \
                "$(cat "$tmp/peak") KiB"
        done
    done
    xw=$(median <"$tmp/xl.wall"); aw=$(median <"$tmp/axl.wall")
    col() { awk -v c="$2" '{ print $c }' "$1" | median; }
    xc=$(col "$tmp/xl.jobs" 1); ac=$(col "$tmp/axl.jobs" 1)
    xm=$(col "$tmp/xl.jobs" 2); am=$(col "$tmp/axl.jobs" 2)
    xp=$(median <"$tmp/xl.peak"); ap=$(median <"$tmp/axl.peak")
    rows2+="| $n | $xw | $aw | $(ratio "$aw" "$xw") | $xc | $ac | $(ratio "$ac" "$xc") | $((xm / 1024)) | $((am / 1024)) | $(ratio "$am" "$xm") | $((xp / 1024)) | $((ap / 1024)) | $(ratio "$ap" "$xp") |"$'\n'
done

rows3=
made=0
part3() {
# ---- 3. MANY paused domains ----
settle
# In waves of WAVE jobs: one process building all 100 at once loses
# about half of them to libxl failures (see the README).
WAVE=${WAVE:-10}
for i in $(seq "$MANY"); do
    printf "create -q -p -e %s 'name=\"g-m%s\"' memory=%s 'disk=[\"%s\"]' &\n" \
        "$G/pv.cfg" "$i" "$MEM" "$DISK"
    [ $((i % WAVE)) = 0 ] && echo wait
done >"$tmp/cmds"
echo wait >>"$tmp/cmds"
: >"$tmp/err"
t0=$(now_us)
cost "$tmp/many.axl" axl -f "$tmp/cmds" --keep-going
t1=$(now_us)
made=$(( $(ndomains) - 1 ))
echo "# $made of $MANY paused domains made by one axl shell ($WAVE jobs at a time) in" \
    "$(( (t1 - t0) / 1000 )) ms; its peak RSS $(awk '{ print $4 }' "$tmp/many.axl") KiB"
[ "$made" -eq "$MANY" ] || echo "# short of $MANY:" \
    "$(grep -v 'started:\|done:' "$tmp/err" | sort | uniq -c | sort -rn | head -4)"
names=$(xl list | awk 'NR > 2 { print $1 }')
measure() {     # TITLE XL-CMD AXL-CMD (AXL-CMD alone if XL-CMD is -)
    local title=$1 xc=$2 ac=$3 r
    : >"$tmp/m.xl"; : >"$tmp/m.axl"
    for r in $(seq "$RUNS"); do
        [ "$xc" != - ] && cost "$tmp/m.xl" $xc
        cost "$tmp/m.axl" $ac
    done
    local x=- a
    [ "$xc" != - ] && x=$(rows "$tmp/m.xl" | awk '{ printf "%d\n", $1 * 1000 }' | median)
    a=$(rows "$tmp/m.axl" | awk '{ printf "%d\n", $1 * 1000 }' | median)
    rows3+="| $title | $x | $a | $([ "$x" = - ] && echo - || ratio "$a" "$x") |"$'\n'
}
measure "list" "xl list" "axl list"
measure "list -l (JSON)" "xl list -l" "axl list -l"
measure "list --json (the columns)" - "axl list --json"
# shellcheck disable=SC2086
measure "block-list of all $made" "xl block-list $(echo $names)" \
    "axl block-list $(echo $names)"
[ "$(xl block-list $(echo $names) | grep -c 51712)" -eq "$made" ] ||
    echo "# xl block-list does not show $made disks"
[ "$(axl block-list $(echo $names) | grep -c 51712)" -eq "$made" ] ||
    echo "# axl block-list does not show $made disks"

}
part 3 && part3

echo
echo "## What one operation costs its process (median of $RUNS)"
echo
echo "| operation | xl CPU ms | axl CPU ms | axl/xl | xl peak RSS KiB | axl peak RSS KiB |"
echo "|---|---|---|---|---|---|"
printf '%s' "$rows1"
echo
echo "## N creates (-p) at once: N xl processes against one axl shell (median of 2)"
echo
echo "| N | xl wall ms | axl wall ms | axl/xl | xl CPU ms | axl CPU ms | axl/xl | xl RSS MiB | axl RSS MiB | axl/xl | xl sampled MiB | axl sampled MiB | axl/xl |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
printf '%s' "$rows2"
echo
echo "## $made paused domains, one disk each (wall ms, median of $RUNS)"
echo
echo "| command | xl | axl | axl/xl |"
echo "|---|---|---|---|"
printf '%s' "$rows3"
[ -s "$tmp/err" ] && { echo; echo "# errors:"; sort "$tmp/err" | uniq -c | sort -rn | head -5 | sed 's/^/# /'; }
true
