#!/bin/sh
# Install the Debian packages declass needs to build and test, if any are
# missing.  As root this runs apt-get; otherwise it prints the exact line to
# run and fails, so nothing is half-installed behind the user's back.
set -eu

# git and python3 are for the tests (git as an independent reader of archives,
# python3 to check --json output).
# poppler (PDF text layer), cairo (page rendering), tesseract + its English
# data (OCR), libzip + libxml2 (.xlsx manifests).  chromium (headless) renders
# the HTML reports in tests/cli/test_report.sh (those checks are skipped
# where it is missing).
PKGS="build-essential cmake pkg-config git python3 clang-format libgit2-dev libssl-dev libjansson-dev libcmocka-dev libpoppler-glib-dev libcairo2-dev libtesseract-dev libleptonica-dev tesseract-ocr-eng libzip-dev libxml2-dev wamerican chromium"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
	echo "declass: installing$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
	echo "declass: missing packages:$missing" >&2
	echo "run: sudo apt-get install -y$missing" >&2
	exit 3
fi
