# Crash safety: an ingest killed with SIGKILL at any point leaves the
# archive at its last whole release (no partial release on the branch, no
# tag naming a commit off the branch, git fsck clean), and the next ingest
# cleans up after it and succeeds.
#
# Two kinds of kill points:
#  - timed: SIGKILL after increasing delays through the ingest of a large
#    synthetic tranche (20 points by default; DECLASS_LONG_TESTS=1 for 60
#    points through a 100 MB tranche);
#  - exact: with strace, SIGKILL on entry to each step of the commit
#    protocol (docs/FORMAT.md, "Writing: all or nothing"), where a timed
#    kill rarely lands.  Skipped without strace or ptrace.
# SIGKILL needs no disk: work in memory when we may, as syncfs on a busy
# disk can take seconds.
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
	export TMPDIR=/dev/shm
fi
. "$(dirname "$0")/lib.sh"

if [ "${DECLASS_LONG_TESTS:-0}" = 1 ]; then
	nfiles=400 kib=256 npoints=60
else
	nfiles=200 kib=32 npoints=20
fi

# The archive every kill starts from: one small release.
B=$T/base
new_archive base
ingest_sample "$B" 2017-10-26
base_tip=$(git -C "$B" rev-parse main)

# The large tranche: NARA-shaped names, PDF magic, random bytes.
BIG=$T/big
mkdir "$BIG"
i=0
while [ $i -lt $nfiles ]; do
	name=$(printf '104-10400-%05d.pdf' $i)
	{ printf '%%PDF-1.4\n'; head -c $((kib * 1024 - 9)) /dev/urandom; } >"$BIG/$name"
	i=$((i + 1))
done

has_verify=0
"$DECLASS" verify --help >/dev/null 2>&1 && has_verify=1

# Random bytes behind a PDF header are no PDF: do not try to read text out
# of them (the commit protocol under test is the same either way).
NOX=
"$DECLASS" ingest --help 2>/dev/null | grep -q -- --no-extract && NOX=--no-extract

# exec: when run in the background, $! is the writer itself, not a shell.
ingest_big() { exec "$DECLASS" -C "$1" ingest --release big --date 2021-12-15 $NOX "$BIG"; }
ingest_next() {
	"$DECLASS" -C "$1" ingest --release 2021-12-15 --date 2021-12-15 \
		--manifest "$SAMPLE/2021-12-15/manifest.csv" "$SAMPLE/2021-12-15/files"
}

# check_whole WHERE ARCHIVE: the archive holds whole releases only.
# Sets $tagless when the tip is a release whose tag is still missing (a
# kill between moving the branch and tagging: the next ingest restores it).
check_whole() {
	where=$1 a=$2
	tagless=0
	if ! git -C "$a" fsck --strict --no-dangling --no-progress >"$T/fsck" 2>&1; then
		fail "$where: git fsck"
		sed 's/^/    /' "$T/fsck"
		return
	fi
	pass
	merges=$(git -C "$a" rev-list --merges main | wc -l)
	assert "$where: history is linear" test "$merges" -eq 0
	assert "$where: the old releases are still on the branch" \
		git -C "$a" merge-base --is-ancestor "$base_tip" main
	tip=$(git -C "$a" rev-parse main)
	# Each release on the branch must be all of it: its release file,
	# every record, and its tag (only the tip's may be missing).
	for c in $(git -C "$a" rev-list "$base_tip..main"); do
		id=$(git -C "$a" log -1 --format='%(trailers:key=Release-Id,valueonly)' "$c" | head -1)
		assert "$where: $c has a Release-Id" test -n "$id"
		assert "$where: $id has its release file" git -C "$a" cat-file -e "$c:releases/$id.json"
		if [ "$id" = big ]; then
			n=$(git -C "$a" ls-tree -r --name-only "$c" records/104/10400 | grep -c '\.pdf$')
			assert "$where: every file of release big is there ($n)" test "$n" -eq $nfiles
		fi
		if ! git -C "$a" rev-parse -q --verify "refs/tags/release/$id" >/dev/null; then
			if [ "$c" = "$tip" ]; then
				tagless=1
			else
				fail "$where: release $id, below the tip, has no tag"
			fi
		fi
	done
	# No dangling tag: every release tag names a commit on the branch.
	for ref in $(git -C "$a" for-each-ref --format='%(refname)' refs/tags/release); do
		c=$(git -C "$a" rev-parse "$ref^{commit}")
		if git -C "$a" merge-base --is-ancestor "$c" main; then
			pass
		else
			fail "$where: $ref names commit $c, which is not on the branch"
		fi
	done
	if [ $has_verify = 1 ]; then
		"$DECLASS" -C "$a" verify >"$T/verify" 2>&1
		vrc=$?
		if [ $vrc -eq 0 ] || { [ $tagless = 1 ] && [ $vrc -eq 1 ] && grep -q 'has no tag' "$T/verify"; }; then
			pass
		else
			fail "$where: declass verify exit $vrc"
			sed 's/^/    /' "$T/verify"
		fi
	fi
}

# check_next WHERE ARCHIVE: the next ingest succeeds and leaves no debris.
check_next() {
	where=$1 a=$2
	if ingest_next "$a" >"$T/next.out" 2>"$T/next.err"; then
		pass
	else
		fail "$where: the next ingest failed"
		sed 's/^/    /' "$T/next.err"
		return
	fi
	check_whole "$where, after the next ingest" "$a"
	assert "$where: no tag left missing" test $tagless = 0
	left=$(find "$a/declass-incoming" -mindepth 1 2>/dev/null | head -1)
	assert "$where: quarantine removed ($left)" test -z "$left"
	locks=$(find "$a/refs" "$a/packed-refs.lock" -name '*.lock' 2>/dev/null)
	assert "$where: no ref lock left ($locks)" test -z "$locks"
}

# How long a whole ingest takes here, to spread the kill points over it.
cp -a "$B" "$T/timing"
t0=$(date +%s%N)
(ingest_big "$T/timing" >/dev/null 2>&1) || fail "uninterrupted ingest of the large tranche"
t1=$(date +%s%N)
full_ms=$(((t1 - t0) / 1000000))
rm -rf "$T/timing"
echo "uninterrupted ingest: $full_ms ms; $npoints kill points"

# Timed kill points: from 10 ms to 110% of a whole ingest, denser at the
# end where the commit happens.
k=0 committed=0 tagless_seen=0
while [ $k -lt $npoints ]; do
	if [ $k -lt $((npoints * 2 / 3)) ]; then
		ms=$((10 + full_ms * k * 3 / (npoints * 2)))
	else
		ms=$((full_ms * 85 / 100 + full_ms * (k - npoints * 2 / 3) * 25 / (npoints * 100 / 3)))
	fi
	A=$T/k$k
	cp -a "$B" "$A"
	(ingest_big "$A" >/dev/null 2>&1) &
	pid=$!
	sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
	kill -KILL $pid 2>/dev/null
	wait $pid 2>/dev/null
	check_whole "kill after $ms ms" "$A"
	[ "$(git -C "$A" rev-parse main)" != "$base_tip" ] && committed=$((committed + 1))
	[ $tagless = 1 ] && tagless_seen=$((tagless_seen + 1))
	check_next "kill after $ms ms" "$A"
	rm -rf "$A"
	k=$((k + 1))
done
echo "timed kills: $committed of $npoints after the branch moved ($tagless_seen before the tag)"

# After a kill mid-way, the same release ingests whole.
A=$T/again
cp -a "$B" "$A"
(ingest_big "$A" >/dev/null 2>&1) &
pid=$!
sleep "$(printf '%d.%03d' $((full_ms / 2000)) $((full_ms / 2 % 1000)))"
kill -KILL $pid 2>/dev/null
wait $pid 2>/dev/null
if (ingest_big "$A" >/dev/null 2>"$T/err"); then pass; else fail "re-ingest after a kill"; cat "$T/err"; fi
check_whole "re-ingest after a kill" "$A"
assert "re-ingest after a kill: tagged" test $tagless = 0
rm -rf "$A"

# Exact kill points, at the syscall that starts each step of the commit.
# kill_at WHERE SYSCALL PATH [N]: SIGKILL on the Nth SYSCALL touching PATH.
kill_at() {
	A=$T/x
	rm -rf "$A"
	cp -a "$B" "$A"
	kill_writer_at "$A" "$2" "$3" "${4:-1}" ingest --release big --date 2021-12-15 $NOX "$BIG"
	srcs=$?
	assert "$1: the writer was killed (exit $srcs)" test $srcs -eq 137
}
if have_strace; then
	kill_at "objects migrated, before sync" syncfs . 1
	check_whole "objects migrated, before sync" "$A"
	assert "objects migrated, before sync: branch unmoved" \
		test "$(git -C "$A" rev-parse main)" = "$base_tip"
	check_next "objects migrated, before sync" "$A"

	# refs/heads/main.lock written, not yet renamed: a stale ref lock.
	kill_at "branch lock written" rename refs/heads/main.lock
	assert "branch lock written: lock left behind" test -e "$A/refs/heads/main.lock"
	check_whole "branch lock written" "$A"
	check_next "branch lock written" "$A"

	# The branch moved, not yet synced, no tag.
	kill_at "branch moved, before sync" syncfs . 2
	check_whole "branch moved, before sync" "$A"
	assert "branch moved, before sync: tag missing" test $tagless = 1
	check_next "branch moved, before sync" "$A"

	# The tag's lock written, not yet linked into place.
	kill_at "tag lock written" link refs/tags/release/big.lock
	check_whole "tag lock written" "$A"
	assert "tag lock written: tag missing" test $tagless = 1
	check_next "tag lock written" "$A"

	# Everything written, the last sync not done.
	kill_at "tagged, before the last sync" syncfs . 3
	check_whole "tagged, before the last sync" "$A"
	assert "tagged, before the last sync: tagged" test $tagless = 0
	check_next "tagged, before the last sync" "$A"
else
	echo "skipped: exact kill points need strace and ptrace"
fi

# The restored tag is the one the killed writer would have made.
A=$T/tag
cp -a "$B" "$A"
ingest_sample "$A" 2021-12-15
want=$(git -C "$A" rev-parse refs/tags/release/2021-12-15)
git -C "$A" update-ref -d refs/tags/release/2021-12-15
ingest_sample "$A" 2022-12-15
got=$(git -C "$A" rev-parse -q --verify refs/tags/release/2021-12-15)
assert "restored tag is byte for byte the lost one" test "$got" = "$want"
check_whole "restored tag" "$A"

finish
