#!/bin/bash
cd "$(dirname "$0")/.." || exit 1
. tests/lib/tap.sh
. tests/lib/xen.sh
M=/run/axl-fixture
rm -rf $M; mkdir -p $M
echo "# nproc: $(nproc)"
axl -v create tests/guests/hang-hotplug.cfg > /tmp/o 2>/tmp/e &
p=$!
for i in $(seq 1 60); do [ -s $M/block-hang.pid ] && break; sleep 0.5; done
echo "# tree:"; ps -o pid,ppid,sid,args 2>/dev/null | grep -v "ps -o" | sed 's/^/# /' | tail -15
axl jobs 2>&1 | sed 's/^/# jobs: /'
t0=$(date +%s)
kill -INT $p; wait $p; echo "# rc=$? "
sed 's/^/# err: /' /tmp/e | tail -12
xl list | sed 's/^/# /'
kill $(cat $M/block-hang.pid) 2>/dev/null
# queue: 4 paused creates with --workers=1
for n in 1 2 3 4; do sed "s/^name = .*/name = \"q$n\"/" tests/guests/pv.cfg > /tmp/q$n.cfg; done
printf 'create -p /tmp/q1.cfg &\ncreate -p /tmp/q2.cfg &\ncreate -p /tmp/q3.cfg &\ncreate -p /tmp/q4.cfg &\n' > /tmp/batch
/usr/bin/time -v axl --workers=1 -f /tmp/batch > /tmp/o2 2>/tmp/e2; echo "# batch rc=$?"
sed 's/^/# e2: /' /tmp/e2 | grep -v "^# e2: 	[A-Z][a-z]* [a-z]" | head -30
grep -E "Maximum resident|Elapsed" /tmp/e2 | sed 's/^/# /'
xl list | sed 's/^/# /'
for n in 1 2 3 4; do xl destroy q$n; done
/usr/bin/time -v axl -f /tmp/batch > /tmp/o2 2>/tmp/e2; echo "# batch default rc=$?"
grep -E "Maximum resident|Elapsed" /tmp/e2 | sed 's/^/# /'
for n in 1 2 3 4; do xl destroy q$n; done
/usr/bin/time -v axl --workers=0 -f /tmp/batch > /tmp/o2 2>/tmp/e2; echo "# batch w0 rc=$?"
grep -E "Maximum resident|Elapsed" /tmp/e2 | sed 's/^/# /'
for n in 1 2 3 4; do xl destroy q$n; done
ok "done" true
done_testing
