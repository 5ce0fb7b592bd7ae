#!/bin/bash
# axl create / list / destroy of real PV guests, and every kind of bad
# input: one clear line, the right exit status, nothing created.
cd "$(dirname "$0")/.." || exit 1
. tests/lib/tap.sh
. tests/lib/xen.sh

G=tests/guests
tmp=$(mktemp -d)

# --- a PV guest with a disk and a vif, start to finish ---
axl create "$G/pv-full.cfg" >"$tmp/out" 2>"$tmp/err"
is "$?" 0 "create pv-full.cfg exits 0"
name=$(cfg_name "$G/pv-full.cfg")
ok "domain '$name' exists after create" dom_exists "$name"
id=$(dom_id "$name")
list=$(axl list)
like "$list" "^Name +ID +Mem VCPUs" "axl list prints xl's header"
like "$list" "^$name +$id +[0-9]+ +1 +" "axl list shows '$name' with its id"
is "$(axl list | head -1)" "$(xl list | head -1)" "list header identical to xl"
is "$(axl list "$name" | awk 'NR==2{print $1,$2,$3,$4}')" \
   "$(xl list "$name" | awk 'NR==2{print $1,$2,$3,$4}')" \
   "list row name/id/mem/vcpus identical to xl"
ok "guest console shows the marker" \
   wait_for 60 grep -q AXL-GUEST-UP "/var/log/xen/guest-$name.log"
json=$(axl --timings list -l "$name" 2>"$tmp/err")
like "$json" "\"domid\": $id" "list -l prints the domid"
like "$json" "\"name\": \"$name\"" "list -l prints the config"
like "$(cat "$tmp/err")" "^axl: timing: retrieve of '$name'" \
    "list -l reads the configuration as an op (an ao, cancellable)"
is "$(axl list -l "$name" | tr -d ' \n' | head -c 2)" \
    "$(xl list -l "$name" | tr -d ' \n' | head -c 2)" \
    "list -l is a JSON array, as xl's"
axl destroy "$name" 2>"$tmp/err"
is "$?" 0 "destroy exits 0"
ok "domain gone after destroy" eval "! dom_exists $name"
ok "xenstore has no /local/domain/$id" eval "! xs_has_domain $id"

# --- create -p leaves it paused; unpause; destroy by id ---
axl create -p "$G/pv.cfg" 2>"$tmp/err"
is "$?" 0 "create -p exits 0"
name=$(cfg_name "$G/pv.cfg")
like "$(dom_state "$name")" "^..p" "create -p leaves the domain paused"
axl unpause "$name"
is "$?" 0 "unpause exits 0"
unlike "$(dom_state "$name")" "^..p" "unpause runs it"
axl destroy "$(dom_id "$name")"
is "$?" 0 "destroy by domid exits 0"
ok "domain gone" eval "! dom_exists $name"

# --- bad input: one line, exit status, nothing created ---
before=$(ndomains)

# expect STATUS PATTERN TITLE -- CMD...: exactly one stderr line matching.
expect() {
    local want=$1 pat=$2 title=$3
    shift 4
    "$@" >"$tmp/out" 2>"$tmp/err"
    local got=$?
    is "$got" "$want" "$title: exit $want"
    like "$(cat "$tmp/err")" "$pat" "$title: message"
    is "$(grep -vc '^axl: warning' "$tmp/err")" 1 "$title: one line"
}

expect 1 "^axl: .*'/nonexistent.cfg'.*(no such file|not found)" \
    "missing config file" -- axl create /nonexistent.cfg
printf 'name = "bad"\nmemory = 64\nvcpus = = 2\n' >"$tmp/syntax.cfg"
expect 1 "^axl: .*syntax\.cfg.*line 3" \
    "syntax error names its line" -- axl create "$tmp/syntax.cfg"
printf 'name = "bad"\nkernel = "/lab/guest/vmlinux"\nmemory = "lots"\n' \
    >"$tmp/value.cfg"
expect 1 "^axl: .*memory" "bad value" -- axl create "$tmp/value.cfg"
expect 1 "^axl: no such domain 'nosuch'$" \
    "unknown domain" -- axl destroy nosuch
expect 2 "^axl: create: invalid duration 'soon' for --timeout" \
    "bad duration" -- axl create --timeout=soon "$G/pv.cfg"
expect 2 "^axl: create: invalid value 'maybe' for --on-cancel" \
    "bad --on-cancel" -- axl create --on-cancel=maybe "$G/pv.cfg"
expect 2 "^axl: create: --dry-run creates nothing" \
    "conflicting options" -- axl create -n --on-cancel=keep "$G/pv.cfg"
expect 2 "^axl: create: 'oops' is not a key=value setting" \
    "stray argument" -- axl create "$G/pv.cfg" oops
expect 2 "^axl: unknown command 'frob'" "unknown command" -- axl frob
expect 2 "^axl: create: unknown option '--frob'" \
    "unknown option" -- axl create --frob "$G/pv.cfg"
expect 2 "^axl: destroy: missing argument" "missing domain" -- axl destroy
expect 1 "^axl: cannot destroy Domain-0" "Domain-0 refused" -- axl destroy 0
is "$(ndomains)" "$before" "bad input created no domain"

# unknown key: a warning, as xl gives, and the config still parses
printf 'name = "warn"\nkernel = "/lab/guest/vmlinux"\nmemory = 64\nfrobnicate = 1\n' \
    >"$tmp/unknown.cfg"
axl create -n "$tmp/unknown.cfg" >"$tmp/out" 2>"$tmp/err"
is "$?" 0 "unknown key: dry run still succeeds"
like "$(cat "$tmp/err")" "^axl: warning: .*frobnicate" "unknown key warned"

rm -rf "$tmp"
clean_domains
done_testing
