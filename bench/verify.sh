#!/bin/sh
# Benchmark of `declass verify` against what one would do by hand: `git
# fsck --full` on the archive plus `sha256sum -c` on the downloaded files,
# on the same data.  Run by hand (not part of the test suite):
#
#   ./bench/verify.sh                 # 600 records, ~2 releases, ~400 MB
#   RECORDS=2000 ./bench/verify.sh    # bigger
#   DECLASS=build/declass BENCH_DIR=/var/tmp/b ./bench/verify.sh
#
# It makes (or reuses) $BENCH_DIR: two tranches of random, incompressible
# "PDFs" (50 kB to 1 MB, like scans) with a text sidecar each; the second
# re-releases every third record with new bytes.  Both are ingested into
# $BENCH_DIR/archive, and SHA256SUMS lists every downloaded file.  Then each
# contender runs once to warm the page cache and once timed; the table gives
# wall time, CPU time (user+sys) and peak RSS from /usr/bin/time.
set -eu
cd "$(dirname "$0")/.."

RECORDS=${RECORDS:-600}
BENCH_DIR=${BENCH_DIR:-/tmp/declass-bench}
if [ -z "${DECLASS:-}" ]; then
	cmake --preset default >/dev/null
	cmake --build --preset default -j"$(nproc)" >/dev/null
	DECLASS=build/declass
fi
DECLASS=$(realpath "$DECLASS")
[ -x /usr/bin/time ] || { echo "bench: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }

mkdir -p "$BENCH_DIR"
cd "$BENCH_DIR"
if [ ! -f ready ] || [ "$(cat ready)" != "$RECORDS" ]; then
	echo "making $RECORDS records in $BENCH_DIR ..." >&2
	rm -rf t1 t2 archive SHA256SUMS ready
	mkdir -p t1 t2
	i=0
	while [ $i -lt "$RECORDS" ]; do
		id=$(printf '104-%05d-%05d' $((10000 + i / 100)) $((10000 + i % 100)))
		size=$(( (i * 7919 % 950 + 50) * 1024 ))
		head -c $size /dev/urandom >t1/$id.pdf
		printf 'TEXT OF %s, FIRST RELEASE\n%s\n' "$id" "$(head -c 1500 /dev/urandom | base64 -w 76)" >t1/$id.txt
		if [ $((i % 3)) -eq 0 ]; then
			head -c $((size + 1000)) /dev/urandom >t2/$id.pdf
			printf 'TEXT OF %s, SECOND RELEASE\n%s\n' "$id" "$(head -c 1500 /dev/urandom | base64 -w 76)" >t2/$id.txt
		fi
		i=$((i + 1))
	done
	"$DECLASS" -C archive init >/dev/null
	"$DECLASS" -C archive ingest --release 2017-10-26 --date 2017-10-26 t1 >/dev/null
	"$DECLASS" -C archive ingest --release 2021-12-15 --date 2021-12-15 t2 >/dev/null
	sha256sum t1/* t2/* >SHA256SUMS
	echo "$RECORDS" >ready
fi

files=$(wc -l <SHA256SUMS)
bytes=$(du -sb t1 t2 | awk '{s += $1} END {print s}')
objects=$(du -sb archive/objects | cut -f1)

# measure NAME CMD...: run once to warm the cache, then timed; prints
# "wall cpu rss_kb" into $BENCH_DIR/NAME.time.
measure() {
	name=$1
	shift
	"$@" >/dev/null 2>&1 || true
	/usr/bin/time -f '%e %U %S %M %x' -o "$name.time" "$@" >"$name.out" 2>&1 || true
	awk '{printf "%.2f %.2f %d %d\n", $1, $2 + $3, $4, $5}' "$name.time" >"$name.t"
}

measure declass "$DECLASS" -C archive verify
measure declass1 "$DECLASS" -C archive verify --jobs 1
measure fsck git -C archive fsck --full --no-progress
measure sha256 sha256sum --quiet -c SHA256SUMS

read -r dw dc dm dx <declass.t
read -r d1w d1c d1m d1x <declass1.t
read -r fw fc fm fx <fsck.t
read -r sw sc sm sx <sha256.t
[ "$dx" -eq 0 ] || { echo "bench: declass verify failed:" >&2; cat declass.out >&2; exit 1; }

awk -v files="$files" -v bytes="$bytes" -v objects="$objects" -v cores="$(nproc)" \
	-v dw="$dw" -v dc="$dc" -v dm="$dm" -v d1w="$d1w" -v d1c="$d1c" -v d1m="$d1m" \
	-v fw="$fw" -v fc="$fc" -v fm="$fm" -v fx="$fx" -v sw="$sw" -v sc="$sc" -v sm="$sm" -v sx="$sx" '
function row(name, w, c, m) {
	printf "| %-38s | %8.2f | %8.2f | %9.1f | %9.0f |\n", name, w, c, m / 1024, bytes / 1e6 / w
}
BEGIN {
	printf "data: %d downloaded files, %.1f MB; archive objects %.1f MB; %d cores; warm cache\n\n",
		files, bytes / 1e6, objects / 1e6, cores
	printf "| %-38s | %8s | %8s | %9s | %9s |\n", "command", "wall s", "CPU s", "RSS MB", "MB/s"
	printf "|%s|%s|%s|%s|%s|\n", "----------------------------------------", "----------",
		"----------", "-----------", "-----------"
	row("declass verify (" cores " threads)", dw, dc, dm)
	row("declass verify --jobs 1", d1w, d1c, d1m)
	row("git fsck --full", fw, fc, fm)
	row("sha256sum -c SHA256SUMS", sw, sc, sm)
	row("git fsck --full + sha256sum -c", fw + sw, fc + sc, fm > sm ? fm : sm)
	printf "\nratio (fsck + sha256sum) / declass verify: wall %.2fx, CPU %.2fx\n",
		(fw + sw) / dw, (fc + sc) / dc
	printf "declass verify / (fsck + sha256sum): wall %.2f (issue 5 asks for 0.60 at most), peak RSS %.1f MB (64 at most)\n",
		dw / (fw + sw), dm / 1024
	if (fx || sx) printf "note: git fsck exit %d, sha256sum exit %d\n", fx, sx
}'
