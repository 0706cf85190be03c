#!/bin/sh
# The main job on the bundled sample: install what is missing, build,
# ingest the three sample releases into demo/archive, and show what the
# archive answers.  Run from anywhere: ./scripts/demo.sh
set -eu
cd "$(dirname "$0")/.."

./scripts/deps.sh
cmake --preset default >/dev/null
cmake --build --preset default -j2 >/dev/null

declass() { ./build/declass -C demo/archive "$@"; }
step() { printf '\n\033[1m$ declass %s\033[0m\n' "$*"; }

rm -rf demo
mkdir demo
step init
declass init
for r in 2017-10-26 2021-12-15 2022-12-15; do
	step ingest --release $r --date $r --manifest sample/$r/manifest.csv sample/$r/files
	declass ingest --release $r --date $r --title "JFK Assassination Records (sample), $r release" \
		--source "sample/$r" --manifest sample/$r/manifest.csv sample/$r/files
done
step releases
declass releases
printf '\nThe archive is a plain Git repository:\n'
printf '\033[1m$ git -C demo/archive diff --word-diff release/2017-10-26 release/2021-12-15 -- records/104/10004/10143/text.txt\033[0m\n'
git -C demo/archive --no-pager diff --word-diff release/2017-10-26 release/2021-12-15 \
	-- records/104/10004/10143/text.txt | sed -n '5,40p'
