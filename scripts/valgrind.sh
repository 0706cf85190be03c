#!/bin/bash
# The test suite under valgrind memcheck: every unit test, then the CLI
# tests with $DECLASS pointing at a wrapper that runs the binary under
# valgrind.  Any memory error or leak (definite, indirect or possible)
# fails the run.  Not part of the default test command: it takes minutes.
#
#   ./scripts/valgrind.sh               unit tests and CLI tests
#   ./scripts/valgrind.sh unit          unit tests only
#   ./scripts/valgrind.sh cli [NAME..]  CLI tests only (e.g. cli hostile lock)
#
# Builds without sanitizers (ASan and valgrind do not mix) in
# build-valgrind/.  test_crash.sh kills writers at timed points, which under
# valgrind's slowdown only repeats what the sanitizer run checks; it runs
# only when named.  Logs: build-valgrind/vg/<pid>.log, kept for the ones
# that hold errors.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
B=$ROOT/build-valgrind
what=${1:-all}
[ $# -gt 0 ] && shift

if ! command -v valgrind >/dev/null; then
	echo "valgrind.sh: needs valgrind (apt-get install valgrind)" >&2
	exit 2
fi
cmake -S "$ROOT" -B "$B" -DCMAKE_BUILD_TYPE=Debug -DDECLASS_SANITIZE=OFF >/dev/null || exit 3
cmake --build "$B" -j2 >/dev/null || exit 3

LOGS=$B/vg
rm -rf "$LOGS"
mkdir -p "$LOGS"
# Caches that third-party libraries keep for the life of the process
# (fontconfig's configuration, cairo's font faces: the PDF tests draw text).
cat >"$B/declass.supp" <<'EOF'
{
   fontconfig-config-cache
   Memcheck:Leak
   match-leak-kinds: definite,indirect,possible
   ...
   obj:*/libfontconfig.so*
}
{
   cairo-font-face-cache
   Memcheck:Leak
   match-leak-kinds: definite,indirect,possible
   ...
   fun:cairo_select_font_face
}
EOF
VG=(valgrind --quiet --leak-check=full --errors-for-leak-kinds=definite,indirect,possible
	--show-leak-kinds=definite,indirect,possible --error-exitcode=99 --track-fds=no
	--num-callers=30 --suppressions="$B/declass.supp")
failed=0

if [ "$what" = all ] || [ "$what" = unit ]; then
	for t in "$B"/tests/test_*; do
		[ -x "$t" ] || continue
		name=$(basename "$t")
		"${VG[@]}" --log-file="$LOGS/$name.log" "$t" >"$LOGS/$name.out" 2>&1
		rc=$?
		if [ $rc -eq 0 ]; then
			echo "unit $name: clean"
			rm -f "$LOGS/$name.log" "$LOGS/$name.out"
		elif [ $rc -eq 99 ]; then
			echo "unit $name: MEMORY ERRORS (see $LOGS/$name.log)"
			failed=$((failed + 1))
		else
			# A test that fails under valgrind (a time limit, say) also
			# leaks what cmocka's abort of it left behind.
			echo "unit $name: test FAILED under valgrind (see $LOGS/$name.out, $LOGS/$name.log)"
			failed=$((failed + 1))
		fi
	done
fi

if [ "$what" = all ] || [ "$what" = cli ]; then
	# The wrapper keeps the binary's exit code, unless valgrind found an
	# error (99); each run logs to its own file.
	cat >"$B/declass-valgrind" <<EOF
#!/bin/sh
exec ${VG[*]} --log-file="$LOGS/%p.log" "$B/declass" "\$@"
EOF
	chmod +x "$B/declass-valgrind"
	tests=()
	if [ $# -gt 0 ]; then
		for n in "$@"; do tests+=("$ROOT/tests/cli/test_$n.sh"); done
	else
		for t in "$ROOT"/tests/cli/test_*.sh; do
			[ "$(basename "$t")" = test_crash.sh ] || tests+=("$t")
		done
	fi
	for t in "${tests[@]}"; do
		name=$(basename "$t" .sh)
		if DECLASS=$B/declass-valgrind DECLASS_SOURCE_DIR=$ROOT \
			DECLASS_SHARED=${DECLASS_SHARED:-$ROOT/../shared} NO_COLOR=1 \
			bash "$t" >"$LOGS/$name.out" 2>&1; then
			echo "cli $name: passed"
		else
			echo "cli $name: FAILED under valgrind (see $LOGS/$name.out)"
			failed=$((failed + 1))
		fi
	done
	# Runs killed on purpose leave truncated logs; those with reports remain.
	bad=0
	for l in "$LOGS"/[0-9]*.log; do
		[ -e "$l" ] || continue
		if [ -s "$l" ]; then
			bad=$((bad + 1))
			echo "valgrind report: $l"
			head -n 30 "$l" | sed 's/^/    /'
		else
			rm -f "$l"
		fi
	done
	[ $bad -eq 0 ] || failed=$((failed + bad))
fi

if [ $failed -eq 0 ]; then
	echo "valgrind: clean"
else
	echo "valgrind: $failed failure(s)"
fi
[ $failed -eq 0 ]
