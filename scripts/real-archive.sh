#!/bin/sh
# Build a real archive from ../shared/data/jfk: the third-party OCR texts
# of the 2018, 2021, 2022, 2023 and 2025 releases (text-only tranches),
# matched to NARA's own manifests.  For tests, benchmarks and trying the
# tool on real, noisy text:
#
#   ./scripts/real-archive.sh [ARCHIVE]      default: real.archive
#   declass -C real.archive changes 2018-04-26 2022-12-15
set -eu
cd "$(dirname "$0")/.."
ARCHIVE=${1:-real.archive}
DATA=${DECLASS_SHARED:-../shared}/data/jfk
DECLASS=${DECLASS:-build/declass}
[ -d "$DATA/text" ] || { echo "real-archive: no $DATA/text" >&2; exit 2; }
if [ ! -x "$DECLASS" ]; then
	cmake --preset default >/dev/null && cmake --build --preset default -j2 >/dev/null
fi

M=$DATA/manifests
"$DECLASS" -C "$ARCHIVE" init
# Each year's texts were read by the engine ../shared/data/jfk/text/SOURCES.md
# names, so that diff says when two texts come from different OCR.
TESSERACT="noops888/jfk-files-text (Tesseract OCR)"
VISION="noops888/jfk-files-text (Apple Vision OCR)"
ingest() { # release manifest text-folder provider
	"$DECLASS" -C "$ARCHIVE" ingest --text-only --text-provider "$4" \
		--release "$1" --date "$1" --title "JFK Assassination Records, $1 release (OCR text)" \
		--source "https://www.archives.gov/research/jfk" --allow-unlisted --manifest "$2" "$3"
}
# 2018: NARA published no spreadsheet for this tranche; its file list stands in.
ingest 2018-04-26 "$M/unique_urls_2018.csv" "$DATA/text/2018" "$TESSERACT"
ingest 2021-12-15 "$M/national-archives-jfk-assassination-records-2021-release.xlsx" \
	"$DATA/text/2021" "$VISION"
ingest 2022-12-15 "$M/national-archives-jfk-assassination-records-2022-release.xlsx" \
	"$DATA/text/2022" "$TESSERACT"
# 2023: six tranches (April to August) in one manifest; archived as one release.
ingest 2023-08-24 "$M/national-archives-jfk-assassination-records-2023-release.xlsx" \
	"$DATA/text/2023" "$VISION"
ingest 2025-03-18 "$M/2025-release.xlsx" "$DATA/text/2025/0318" "$VISION"
"$DECLASS" -C "$ARCHIVE" releases
