#!/bin/sh
# The collection run: what the text engine says of the whole JFK collection,
# and at what cost, in one run.  Not part of the test suite (CI has only
# ../shared's 741 records).
#
#   DECLASS_SHARED=../jfk-full ./bench/collection.sh
#
# DECLASS_SHARED is the full third-party OCR laid out by
# ../shared/tools/jfk-full-text.py (about 36,900 texts).  It prints:
#
#  - the time and peak memory of building the real archive
#    (scripts/real-archive.sh) and of counting its vocabulary;
#  - for 2018->2022, 2022->2023 and 2023->2025: `declass changes` over the
#    records it calls changed: words released, withheld, uncertain and lost
#    by one OCR run, withheld/released (re-redaction is rare, so this
#    estimates the noise left), records with more withheld than released,
#    time and peak memory;
#  - the two-OCR control: three scans from ../shared/data/jfk/pdf read by
#    declass (Tesseract) and by the third party (Apple Vision), where every
#    word called released or withheld is an error;
#  - the labelled random sets (bench/eval/), precision and recall.
set -eu
cd "$(dirname "$0")/.."
ROOT=$PWD
DECLASS=${DECLASS:-$ROOT/build/declass}
SHARED=${DECLASS_SHARED:?set DECLASS_SHARED to the full text layout (jfk-full-text.py)}
PDFS=${DECLASS_PDFS:-$ROOT/../shared/data/jfk/pdf}
TEXTS=${DECLASS_TEXTS:-$ROOT/../shared/data/jfk/text}
W=${BENCH_DIR:-/tmp/declass-collection}
[ -x "$DECLASS" ] || { cmake --preset default >/dev/null && cmake --build --preset default -j2 >/dev/null; }
rm -rf "$W"
mkdir -p "$W"

# measure LABEL LOG CMD...: run CMD (its output to LOG), print wall time
# and peak RSS (GNU time).
measure() {
	label=$1 log=$2
	shift 2
	/usr/bin/time -f "%e %M" -o "$W/time" "$@" >"$log" 2>&1
	set -- $(cat "$W/time")
	printf '%-44s %8.1f s %8.0f MB\n' "$label" "$1" "$(($2 / 1024))"
}

echo "== the whole collection ($SHARED)"
measure "build the archive (real-archive.sh)" "$W/build.log" \
	env DECLASS="$DECLASS" DECLASS_SHARED="$SHARED" sh scripts/real-archive.sh "$W/archive"
measure "count the vocabulary (first diff)" /dev/null \
	"$DECLASS" -C "$W/archive" diff --stat 104-10004-10143 2018-04-26 2022-12-15
measure "one diff, the vocabulary counted" /dev/null \
	"$DECLASS" -C "$W/archive" diff --stat 104-10004-10143 2018-04-26 2022-12-15

echo
printf '%-24s %8s %9s %8s %9s %9s %8s %7s %6s\n' pair records released withheld uncertain dropout w/r "more-w" time
for pair in "2018-04-26 2022-12-15" "2022-12-15 2023-08-24" "2023-08-24 2025-03-18"; do
	set -- $pair
	/usr/bin/time -f "%e %M" -o "$W/time" "$DECLASS" -C "$W/archive" changes --json "$1" "$2" \
		>"$W/changes.json"
	read -r secs rss <"$W/time"
	python3 - "$1..$2" "$secs" "$rss" "$W/changes.json" <<'EOF'
import json, sys
pair, secs, rss, path = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
ch = [r for r in json.load(open(path))["records"] if r["status"] == "changed"]
rel = sum(r["released"] for r in ch)
wh = sum(r["withheld"] for r in ch)
unc = sum(r["uncertain"] for r in ch)
drop = sum(r["dropout"] for r in ch)
more = sum(1 for r in ch if r["withheld"] > r["released"])
print(f"{pair:24s} {len(ch):8d} {rel:9d} {wh:8d} {unc:9d} {drop:9d} {wh / max(rel, 1):8.3f} "
      f"{more:7d} {secs:5.0f}s {rss // 1024} MB")
EOF
done

echo
echo "== two OCR runs of one release (every word called released or withheld is an error)"
C=$W/control
mkdir -p "$C/pdf" "$C/text"
cp "$PDFS/2025/124-90158-10062.pdf" "$PDFS/2023/176-10011-10152.pdf" \
	"$PDFS/2023/124-10180-10295.pdf" "$C/pdf/"
cp "$TEXTS/2025/0318/124-90158-10062.md" "$TEXTS/2023/176-10011-10152.md" \
	"$TEXTS/2023/124-10180-10295.md" "$C/text/"
"$DECLASS" -C "$C/archive" init >/dev/null
"$DECLASS" -C "$C/archive" ingest --release tesseract --date 2023-08-24 --ocr always \
	"$C/pdf" >/dev/null 2>&1
"$DECLASS" -C "$C/archive" ingest --text-only --text-provider "noops888 (Apple Vision OCR)" \
	--release vision --date 2023-08-25 --allow-unlisted "$C/text" >/dev/null 2>&1
called=0
total=0
for r in 124-90158-10062 176-10011-10152 124-10180-10295; do
	for d in "tesseract vision" "vision tesseract"; do
		set -- $d
		n=$("$DECLASS" -C "$C/archive" diff --json "$r" "$1" "$2" 2>/dev/null | python3 -c "
import json, sys
t = json.load(sys.stdin)['totals']
print(t['released']['new_words'] + t['withheld']['old_words'])")
		w=$("$DECLASS" -C "$C/archive" show --text "$r@$2" | wc -w)
		printf '  %s %-9s -> %-9s %4d of %5d words\n' "$r" "$1" "$2" "$n" "$w"
		called=$((called + n))
		total=$((total + w))
	done
done
python3 -c "print('  control: %d of %d words called released or withheld (%.2f %%)' % ($called, $total, 100.0 * $called / $total))"

echo
echo "== labelled random sets (bench/eval/; labelled blind, see README)"
for set in bench/eval/labels/*/; do
	DECLASS="$DECLASS" python3 bench/eval/score.py "$W/archive" "$(basename "$set")"
done
