#!/bin/sh
# The main job on the bundled sample: install what is missing, build,
# ingest the sample releases into demo/archive, and show what the archive
# answers: a diff, a blame, a grep, a verify.  Run from anywhere:
# ./scripts/demo.sh
set -eu
cd "$(dirname "$0")/.."

./scripts/deps.sh
cmake --preset default >/dev/null
cmake --build --preset default -j2 >/dev/null

declass() { ./build/declass -C demo/archive "$@"; }
# Each command shown before its output, in bold on a terminal.
if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then
	step() { printf '\n\033[1m$ declass %s\033[0m\n' "$*"; }
else
	step() { printf '\n$ declass %s\n' "$*"; }
fi

rm -rf demo
mkdir demo
step init
declass init
# Every sample release, in date order; the newest is as NARA publishes
# them (PDFs without text files and an .xlsx manifest).
for dir in sample/[0-9]*/; do
	r=$(basename "$dir")
	m=$(ls "$dir"manifest.csv "$dir"manifest.xlsx 2>/dev/null | tail -n 1)
	step ingest --release "$r" --date "$r" --manifest "$m" "${dir}files"
	declass ingest --release "$r" --date "$r" --title "JFK Assassination Records (sample), $r release" \
		--source "sample/$r" --manifest "$m" "${dir}files"
done
step releases
declass releases
step log 104-10004-10143
declass log 104-10004-10143
step diff 104-10004-10143 2017-10-26 2021-12-15
declass diff 104-10004-10143 2017-10-26 2021-12-15
if [ -d sample/2023-06-27 ]; then
	step diff 104-10015-10052 2022-12-15 2023-06-27
	declass diff 104-10015-10052 2022-12-15 2023-06-27
fi
step blame 104-10004-10143@2021-12-15
declass blame 104-10004-10143@2021-12-15 | sed -n '14,32p'
step grep Kostikov
declass grep Kostikov
step verify
declass verify
