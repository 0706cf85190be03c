#!/bin/bash
# A short fuzz run: build the libFuzzer harnesses (tests/fuzz/) with clang,
# seed each from the real NARA data beside the clone (../shared/data/jfk/),
# the bundled sample and the tests, and run each for FUZZ_SECONDS (60).
# Not part of the default test command.
#
#   ./scripts/fuzz.sh                  every harness, 60 s each
#   FUZZ_SECONDS=600 ./scripts/fuzz.sh manifest wdiff
#
# Needs clang and Debian's libclang-rt-14-dev (libFuzzer).  The corpora
# grow in build-fuzz/corpus/<target> (kept between runs, never committed);
# a crash is saved as build-fuzz/artifacts/<target>-crash-*, which the
# harness replays:  build-fuzz/tests/fuzz/fuzz_<target> FILE
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
B=$ROOT/build-fuzz
DATA=${DECLASS_SHARED:-$ROOT/../shared}/data/jfk
SECONDS_EACH=${FUZZ_SECONDS:-60}
ALL="manifest csv record wdiff textfind pdfscan"
TARGETS=${*:-$ALL}

if ! command -v clang >/dev/null; then
	echo "fuzz.sh: needs clang (apt-get install clang libclang-rt-14-dev)" >&2
	exit 2
fi
CC=clang CXX=clang++ cmake -S "$ROOT" -B "$B" -DDECLASS_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
for t in $TARGETS; do
	cmake --build "$B" -j2 --target "fuzz_$t" >/dev/null
done

S=$(mktemp -d "${TMPDIR:-/tmp}/declass-fuzz-seeds.XXXXXX")
trap 'rm -rf "$S"' EXIT
mkdir -p "$B/artifacts"

# Seeds are copied at run time, never committed.  Real manifests are cut
# to their first rows so that the fuzzer works on small inputs.
seed() { cat >"$(mktemp "$S/$1/seed.XXXXXX")"; }
manifests() {
	for f in "$DATA"/manifests-csv/*.csv "$DATA"/manifests/*.csv "$DATA"/index/*.csv \
		"$ROOT"/sample/*/manifest*.csv; do
		[ -f "$f" ] && head -n 12 "$f"
		[ -f "$f" ] && printf '\0'
	done
}
mkdir -p "$S/manifest" "$S/csv" "$S/record" "$S/wdiff" "$S/textfind" "$S/pdfscan"
while IFS= read -r -d '' m; do
	printf '%s' "$m" | seed manifest
	{ printf '\200'; printf '%s' "$m"; } | seed csv
done < <(manifests)
printf '%s' '[{"record": "104-10004-10143", "file": "104-10004-10143.pdf"}]' | seed manifest
printf '%s' '{"rows": [{"record": "104-10004-10143", "files": ["a.pdf", "b (C06932208).pdf"], "release_date": "2025-03-18", "title": "x", "pages": 12}]}' | seed manifest
printf '%s' '[{"Record Number": "docid-32404437", "File Name": "2022/docid-32404437.pdf", "Doc Date": "11/22/1963"}]' | seed manifest
printf ';Record Num;File Name\r\n"104-10004-10143";"a;b.pdf"\r\n' | seed csv
printf '\001a\tb\n"x""y"\tz\n' | seed csv

# Record ids and file names as they come.
{
	for f in "$DATA"/manifests-csv/*.csv "$ROOT"/sample/*/manifest.csv; do
		[ -f "$f" ] && sed -n '2,6p' "$f" | cut -d, -f1 | tr -d '"'
	done
	find "$ROOT"/sample -type f -printf '%f\n'
	printf '%s\n' '104-10004-10143 (C06932208).pdf' '104-10004-10143[c06932208].md' \
		'CE 399' '.hidden' 'docid-32404437' 'records/104/10004/10143' 'records/_/CE%20399'
} | sort -u | head -n 200 | while IFS= read -r id; do printf '%s' "$id" | seed record; done

# Text pairs: the same record in two releases, cut to 3 kB each.
if [ -d "$DATA/text" ]; then
	for f in "$DATA"/text/2018/*.md; do
		base=$(basename "$f")
		for y in 2021 2022 2023 2025; do
			g=$(find "$DATA/text/$y" -name "$base" -print -quit)
			[ -n "$g" ] || continue
			old=$(head -c 3000 "$f") new=$(head -c 3000 "$g")
			split=$((255 * ${#old} / (${#old} + ${#new} + 1)))
			{ printf '\000'; printf "\\$(printf %03o $split)"; printf '%s%s' "$old" "$new"; } | seed wdiff
			{ printf '\001'; printf 'Mexico City\n'; printf '%s' "$new"; } | seed textfind
		done
	done
fi
for f in "$ROOT"/sample/*/files/*.txt; do
	[ -f "$f" ] || continue
	{ printf '\000\200'; head -c 3000 "$f"; head -c 3000 "$f" | sed 's/\[REDACTED\]/Kostikov/g'; } | seed wdiff
	{ printf '\001'; printf 'KGB\n'; head -c 4000 "$f"; } | seed textfind
done

# PDFs: the real scans cut to 64 kB, and the hostile ones of the tests
# (tests/cli/mkpdf.py); the first byte picks the limit.
for f in "$DATA"/pdf/*/*.pdf; do
	[ -f "$f" ] && { printf '\024'; head -c 65535 "$f"; } | seed pdfscan
done
if command -v python3 >/dev/null; then
	for args in "--text 2" "--blank 3" "--scan 1" "--inflate 20000" \
		"--inflate 20000 --filter hex-flate" "--inflate 20000 --filter lzw" \
		"--inflate 20000 --filter rle" "--inflate 20000 --filter flate-as-image" \
		"--inflate 2000 --filter dct"; do
		# shellcheck disable=SC2086
		python3 "$ROOT/tests/cli/mkpdf.py" "$S/pdf.tmp" $args &&
			{ printf '\016'; cat "$S/pdf.tmp"; } | seed pdfscan
	done
	rm -f "$S/pdf.tmp"
fi

declare -A maxlen=([manifest]=65536 [csv]=65536 [record]=1024 [wdiff]=8192 [textfind]=8192
	[pdfscan]=65536)
summary=
status=0
for t in $TARGETS; do
	corpus=$B/corpus/$t
	mkdir -p "$corpus"
	echo "== fuzz_$t: $(find "$S/$t" -type f | wc -l) seeds, ${SECONDS_EACH}s"
	set +e
	"$B/tests/fuzz/fuzz_$t" "$corpus" "$S/$t" -max_total_time="$SECONDS_EACH" \
		-max_len="${maxlen[$t]}" -timeout=10 -rss_limit_mb=2560 -print_final_stats=1 \
		-artifact_prefix="$B/artifacts/$t-" >"$B/fuzz_$t.log" 2>&1
	rc=$?
	set -e
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$B/fuzz_$t.log" | tail -1)
	cov=$(grep -o 'cov: [0-9]*' "$B/fuzz_$t.log" | tail -1)
	if [ $rc -eq 0 ]; then
		line="fuzz_$t: ${execs:-?} execs in ${SECONDS_EACH}s, $cov, no crash"
	else
		line="fuzz_$t: CRASH after ${execs:-?} execs (exit $rc); see $B/fuzz_$t.log and $B/artifacts/"
		status=1
	fi
	echo "$line"
	summary="$summary$line"$'\n'
done
printf '\n%s' "$summary"
exit $status
