#!/bin/sh
# The whole test suite: install what is missing, build and test the
# release build, then build and test again under AddressSanitizer +
# UndefinedBehaviorSanitizer.  .ci/run calls exactly this.
set -eu
cd "$(dirname "$0")/.."

./scripts/deps.sh
for preset in default asan; do
	echo "== $preset build"
	cmake --preset $preset >/dev/null
	cmake --build --preset $preset -j2
	ctest --preset $preset -j2
done
