# One writer at a time: writers serialise on ARCHIVE/declass.lock (flock),
# a second writer waits a bounded time (10 s) and then fails with a clear
# message, a lock held by a killed writer does not block anyone, and
# readers never wait for a writer.
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
	export TMPDIR=/dev/shm
fi
. "$(dirname "$0")/lib.sh"

# Random bytes behind a PDF header are no PDF: do not try to read text.
NOX=
"$DECLASS" ingest --help 2>/dev/null | grep -q -- --no-extract && NOX=--no-extract
has_verify=0
"$DECLASS" verify --help >/dev/null 2>&1 && has_verify=1

# tranche NAME SERIES N KIB: N files of KIB KiB, records 104-SERIES-NNNNN.
tranche() {
	mkdir "$T/$1"
	i=0
	while [ $i -lt "$3" ]; do
		{ printf '%%PDF-1.4\n'; head -c $(($4 * 1024 - 9)) /dev/urandom; } \
			>"$T/$1/$(printf '104-%05d-%05d.pdf' "$2" $i)"
		i=$((i + 1))
	done
}
tranche w1 10001 60 64
tranche w2 10002 60 64
tranche w3 10003 60 64
tranche big 10009 300 64

ms_now() { echo $(($(date +%s%N) / 1000000)); }

# Linear history holding base and each named release once, all tagged,
# git fsck and declass verify clean.
check_linear() {
	where=$1 a=$2
	shift 2
	assert "$where: git fsck" git -C "$a" fsck --strict --no-dangling --no-progress
	assert "$where: history is linear" test "$(git -C "$a" rev-list --merges main | wc -l)" -eq 0
	assert "$where: $(($# + 1)) releases on the branch" \
		test "$(git -C "$a" rev-list --count main)" -eq $(($# + 1))
	for r in "$@"; do
		c=$(git -C "$a" rev-parse -q --verify "refs/tags/release/$r^{commit}")
		assert "$where: release $r tagged" test -n "$c"
		assert "$where: release $r on the branch" git -C "$a" merge-base --is-ancestor "$c" main
	done
	if [ $has_verify = 1 ]; then
		expect 0 "$where: declass verify" -C "$a" verify
	fi
}

new_archive base
ingest_sample "$T/base" 2017-10-26

# Writers started at once all get in, one after the other.
for round in 1 2; do
	A=$T/race$round
	cp -a "$T/base" "$A"
	pids=
	for w in w1 w2 w3; do
		"$DECLASS" -C "$A" ingest --release "$w" --date 2021-12-15 $NOX "$T/$w" \
			>"$T/$w.out" 2>"$T/$w.err" &
		pids="$pids $!"
	done
	n=0
	for p in $pids; do
		n=$((n + 1))
		if wait "$p"; then pass; else fail "round $round: writer w$n failed"; sed 's/^/    /' "$T/w$n.err"; fi
	done
	check_linear "round $round" "$A" w1 w2 w3
done

# A second writer waits, then gives up with a clear message, leaving the
# archive as it was; readers meanwhile answer at once.
if command -v flock >/dev/null; then
	A=$T/held
	cp -a "$T/base" "$A"
	before=$(fingerprint "$A")
	# Another holder of the lock: exec, so that $! holds it itself.
	(exec 9>>"$A/declass.lock" && flock 9 && exec sleep 30) &
	holder=$!
	sleep 0.3
	t0=$(ms_now)
	expect 0 "reader while the lock is held" -C "$A" releases
	t1=$(ms_now)
	assert "reader did not wait ($((t1 - t0)) ms)" test $((t1 - t0)) -lt 5000
	expect 3 "writer while the lock is held" -C "$A" ingest --release w1 --date 2021-12-15 $NOX "$T/w1"
	t2=$(ms_now)
	err_has "archive is locked by another writer"
	err_has "declass.lock"
	assert "writer waited about 10 s ($((t2 - t1)) ms)" test $((t2 - t1)) -ge 9000 -a $((t2 - t1)) -lt 30000
	assert "archive unchanged after the refused writer" test "$before" = "$(fingerprint "$A")"
	kill $holder
	wait $holder 2>/dev/null
	# Its holder gone, the lock is free at once.
	t0=$(ms_now)
	expect 0 "writer once the holder has gone" -C "$A" ingest --release w1 --date 2021-12-15 $NOX "$T/w1"
	t1=$(ms_now)
	assert "no wait once the holder has gone ($((t1 - t0)) ms)" test $((t1 - t0)) -lt 5000
else
	echo "skipped: the bounded wait needs flock(1)"
fi

# A writer killed while it holds the lock leaves nothing that blocks.
A=$T/killed
cp -a "$T/base" "$A"
"$DECLASS" -C "$A" ingest --release big --date 2021-12-15 $NOX "$T/big" >/dev/null 2>&1 &
writer=$!
# Wait until it is writing objects (its quarantine has some), then kill it.
i=0
while [ $i -lt 200 ] && [ -z "$(find "$A/declass-incoming" -type f 2>/dev/null | head -1)" ]; do
	sleep 0.02
	i=$((i + 1))
done
# Meanwhile a reader answers, from the last whole release.
expect 0 "reader during a write" -C "$A" releases
out_has 2017-10-26
kill -KILL $writer
wait $writer 2>/dev/null
assert "lock file left behind by the killed writer" test -e "$A/declass.lock"
t0=$(ms_now)
expect 0 "writer after a killed one" -C "$A" ingest --release w2 --date 2021-12-15 $NOX "$T/w2"
t1=$(ms_now)
assert "the killed writer's lock did not block ($((t1 - t0)) ms)" test $((t1 - t0)) -lt 5000
check_linear "after a killed writer" "$A" w2

finish
