#!/bin/sh
# Benchmark declass against the peers a user would otherwise reach for,
# on the same synthetic collection, in one run (by hand; not in the tests):
#
#   ./bench/run.sh                      800 records, 3 releases, ~110 MB first tranche
#   RECORDS=5000 ./bench/run.sh
#   RECORDS=100000 SMALL=1 ./bench/run.sh   the scale run: 1-3 kB files
#   BENCH_DIR=/var/tmp/b DECLASS=build/declass ./bench/run.sh
#
#   ingest  declass ingest            vs git add -A + git commit, then sha256sum for a manifest
#   verify  declass verify            vs git fsck --full + sha256sum -c
#   diff    declass diff of a record  vs git diff --word-diff of its text.txt
#   blame   declass blame of a record vs git blame of its text.txt
#
# Each row gives wall and CPU seconds and peak RSS (from /usr/bin/time),
# and declass's wall time as a fraction of the peer's.  The page cache is
# warmed first, so this measures the work, not the disk.
set -eu
cd "$(dirname "$0")/.."
RECORDS=${RECORDS:-800}
SMALL=${SMALL:-}
BENCH_DIR=${BENCH_DIR:-/tmp/declass-bench-run}
[ -x /usr/bin/time ] || { echo "bench: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
if [ -z "${DECLASS:-}" ]; then
	cmake --preset default >/dev/null && cmake --build --preset default -j2 >/dev/null
	DECLASS=build/declass
fi
DECLASS=$(realpath "$DECLASS")

mkdir -p "$BENCH_DIR"
cd "$BENCH_DIR"
if [ "$(cat ready 2>/dev/null)" != "$RECORDS$SMALL" ]; then
	rm -rf data ready
	python3 "$OLDPWD/bench/gen.py" data --records "$RECORDS" --releases 3 ${SMALL:+--small} >/dev/null
	echo "$RECORDS$SMALL" >ready
fi
set -- data/2017-10-26 data/2018-04-26 data/2021-12-15
R1=$1
find data -type f -exec cat {} + >/dev/null
# sha256sum of every file of a folder, however many (no "*": ARG_MAX).
sums='find . -maxdepth 1 -type f -printf "%f\0" | LC_ALL=C sort -z | xargs -0 sha256sum'

# measure NAME CMD...: append "NAME wall cpu rss_kb" to results.  Dirty
# pages are written out first: declass syncs the file system when it
# commits, and should not pay for what the run before it wrote.
# BEST=2 measure ...: a command that changes nothing runs twice, and the
# faster run counts (for declass and the peers alike).
measure() {
	name=$1
	shift
	best=
	for _ in $(seq "${BEST:-1}"); do
		sync
		/usr/bin/time -f "%e %U %S %M" -o time.out "$@" >/dev/null 2>&1 ||
			{ echo "bench: $name failed" >&2; exit 3; }
		read -r wall user sys rss <time.out
		if [ -z "$best" ] || [ "$(echo "$wall < $best" | bc)" = 1 ]; then
			best=$wall
			line="$name $wall $(echo "$user + $sys" | bc) $rss"
		fi
	done
	echo "$line" >>results
}
: >results
rm -rf archive peer.git
"$DECLASS" -C archive init >/dev/null
measure declass-ingest "$DECLASS" -C archive ingest --release 2017-10-26 --date 2017-10-26 \
	--manifest "$R1/manifest.csv" "$R1/files"
git init -q --bare peer.git
measure peer-add git --git-dir=peer.git --work-tree="$R1/files" add -A
measure peer-commit git --git-dir=peer.git --work-tree="$R1/files" -c user.name=b -c user.email=b@b commit -qm r1
measure peer-sha sh -c "cd '$R1/files' && $sums >../SHA256SUMS"
for r in data/2018-04-26 data/2021-12-15; do
	id=$(basename "$r")
	"$DECLASS" -C archive ingest --release "$id" --date "$id" --manifest "$r/manifest.csv" "$r/files" >/dev/null
	(cd "$r/files" && sh -c "$sums" >../SHA256SUMS)
done
BEST=2 measure declass-verify "$DECLASS" -C archive verify --quiet
BEST=2 measure peer-fsck git -C archive fsck --full
BEST=2 measure peer-shacheck sh -c 'for r in data/*/; do (cd "$r/files" && sha256sum -c --quiet ../SHA256SUMS) || exit 1; done'
rec=$(sed -n '2p' data/2021-12-15/manifest.csv | cut -d, -f2)
path=$(echo "$rec" | sed 's|^\([0-9]*\)-\([0-9]*\)-\([0-9]*\)$|records/\1/\2/\3|; s|^docid-|records/_/docid-|')
BEST=2 measure declass-diff "$DECLASS" -C archive diff "$rec" 2017-10-26 2021-12-15
BEST=2 measure peer-diff git -C archive diff --word-diff release/2017-10-26 release/2021-12-15 -- "$path/text.txt"
BEST=2 measure declass-blame "$DECLASS" -C archive blame "$rec"
BEST=2 measure peer-blame git -C archive blame release/2021-12-15 -- "$path/text.txt"

awk -v records="$RECORDS" -v mb="$(du -sm --apparent-size "$R1/files" | cut -f1)" '
{ wall[$1] = $2; cpu[$1] = $3; rss[$1] = $4 }
function row(task, peer, w, c, r) {
	printf "| %-7s | %6.2f | %6.2f | %7.1f | %-40s | %6.2f | %6.2f | %7.1f | %5.2f |\n", task,
	       wall["declass-" task], cpu["declass-" task], rss["declass-" task] / 1024, peer, w, c, r / 1024,
	       (w > 0 ? wall["declass-" task] / w : 0)
}
function max(a, b) { return a > b ? a : b }
END {
	printf "%d records, first tranche %d MB (%d files + text), 3 releases\n\n", records, mb, records
	print "| task    | wall s | CPU s  | RSS MB  | peer                                     | wall s | CPU s  | RSS MB  | ratio |"
	print "|---------|--------|--------|---------|------------------------------------------|--------|--------|---------|-------|"
	row("ingest", "git add + git commit + sha256sum", wall["peer-add"] + wall["peer-commit"] + wall["peer-sha"],
	    cpu["peer-add"] + cpu["peer-commit"] + cpu["peer-sha"], max(max(rss["peer-add"], rss["peer-commit"]), rss["peer-sha"]))
	row("verify", "git fsck --full + sha256sum -c", wall["peer-fsck"] + wall["peer-shacheck"],
	    cpu["peer-fsck"] + cpu["peer-shacheck"], max(rss["peer-fsck"], rss["peer-shacheck"]))
	row("diff", "git diff --word-diff (text.txt)", wall["peer-diff"], cpu["peer-diff"], rss["peer-diff"])
	row("blame", "git blame (text.txt)", wall["peer-blame"], cpu["peer-blame"], rss["peer-blame"])
}' results
