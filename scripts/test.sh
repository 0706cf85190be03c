#!/bin/sh
# The whole test suite: install what is missing, build and test the
# release build, then build and test again under AddressSanitizer +
# UndefinedBehaviorSanitizer.  .ci/run calls exactly this.
set -eu
cd "$(dirname "$0")/.."

./scripts/deps.sh

# One format for all C code (.clang-format at the root).
if command -v clang-format >/dev/null && git rev-parse --git-dir >/dev/null 2>&1; then
	echo "== clang-format"
	git ls-files '*.c' '*.h' | grep -v '^sample/' | xargs clang-format --dry-run --Werror
fi

for preset in default asan; do
	echo "== $preset build"
	cmake --preset $preset >/dev/null
	cmake --build --preset $preset -j2
	ctest --preset $preset -j2
done
