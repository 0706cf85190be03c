# The hostile-input corpus: every tests/hostile/E_<error>.sh builds one bad
# input in a fresh folder and says what the ingest must answer.  Each must
# exit with its code (2 bad input, 3 archive trouble), say a message naming
# the culprit, and leave the archive byte for byte as it was: its refs and
# objects (lib.sh's fingerprint), and every other file in it, with no
# quarantine left behind.
#
# A case file is sourced by bash with these set:
#   W       an empty folder of its own;
#   A       a fresh archive holding the sample release 2017-10-26;
#   SAMPLE  the bundled sample releases;
# and defines:
#   RC, MSG     the exit code and a fixed string stderr must hold;
#   prepare()   builds the input; sets ARGS, the ingest arguments after
#               --release/--date (DATE overrides the date), may point A
#               elsewhere, or sets SKIP to a reason to skip the case;
#   cleanup()   optional, undoes what prepare() started (processes, mounts);
#   run_case()  optional, runs declass itself (default: ingest ARGS into A).
# Helpers for prepare(): sample_tranche (a copy of the 2021-12-15 sample in
# $W/tr; sets M, its manifest, and D, its files) and manifest_row FILE
# RECORD NAME (appends a row).
#
# The corpus's one slow case (a real 1 GiB file of commas) runs only with
# DECLASS_LONG_TESTS=1; without it, that case uses a sparse file of the
# same size.  DECLASS_HOSTILE=PATTERN runs the matching cases only.
. "$(dirname "$0")/lib.sh"

HOSTILE=$DECLASS_SOURCE_DIR/tests/hostile

new_archive base
ingest_sample "$T/base" 2017-10-26

sample_tranche() {
	cp -r "$SAMPLE/2021-12-15" "$W/tr"
	M=$W/tr/manifest.csv D=$W/tr/files
}
manifest_row() { printf '%s,%s\n' "$2" "$3" >>"$1"; }

# Everything in the archive but the quarantine folder: paths, types, modes,
# and the sizes and contents of files (ARCHIVE may be a file too).
tree_fingerprint() {
	if [ ! -d "$1" ]; then
		sha256sum "$1" 2>&1 | sha256sum
		return
	fi
	(cd "$1" && find . -path ./declass-incoming -prune -o -type f -printf '%p f %s %m\n' \
		-o -printf '%p %y %m\n' | LC_ALL=C sort &&
		find . -path ./declass-incoming -prune -o -type f -print0 |
		LC_ALL=C sort -z | xargs -0r sha256sum) | sha256sum
}
refs_fingerprint() { [ -d "$1" ] && fingerprint "$1"; }

ncases=0
for case in "$HOSTILE"/E_*.sh; do
	name=$(basename "$case" .sh)
	case $name in *${DECLASS_HOSTILE:-}*) ;; *) continue ;; esac
	ncases=$((ncases + 1))
	W=$T/$name
	mkdir "$W"
	A=$W/archive
	cp -a "$T/base" "$A"
	unset -f prepare cleanup run_case
	RC= MSG= SKIP= DATE=2021-12-15
	ARGS=()
	. "$case"
	if ! declare -F prepare >/dev/null || [ -z "$RC" ] || [ -z "$MSG" ]; then
		fail "$name: defines no prepare(), RC or MSG"
		continue
	fi
	prepare
	if [ -n "$SKIP" ]; then
		echo "skipped $name: $SKIP"
		declare -F cleanup >/dev/null && cleanup
		continue
	fi
	before=$(refs_fingerprint "$A")
	before_tree=$(tree_fingerprint "$A")
	t0=$(date +%s%N)
	if declare -F run_case >/dev/null; then
		run_case >"$T/out" 2>"$T/err"
		rc=$?
	else
		run -C "$A" ingest --release hostile --date "$DATE" "${ARGS[@]}"
	fi
	t1=$(date +%s%N)
	declare -F cleanup >/dev/null && cleanup
	if [ "$rc" -eq "$RC" ]; then
		pass
	else
		fail "$name: exit $rc, want $RC"
	fi
	if grep -qF -- "$MSG" "$T/err"; then
		pass
	else
		fail "$name: stderr lacks '$MSG'"
	fi
	if grep -q 'Sanitizer\|runtime error' "$T/err"; then
		fail "$name: sanitizer report"
	fi
	[ "$rc" -ne "$RC" ] || ! grep -qF -- "$MSG" "$T/err" || grep -q 'Sanitizer' "$T/err" &&
		sed 's/^/    stderr: /' "$T/err" | head -20
	assert "$name: refs and objects unchanged" test "$before" = "$(refs_fingerprint "$A")"
	assert "$name: archive files unchanged" test "$before_tree" = "$(tree_fingerprint "$A")"
	left=$(find "$A/declass-incoming" -mindepth 1 2>/dev/null | head -1)
	assert "$name: no quarantine left ($left)" test -z "$left"
	echo "$name: exit $rc in $(((t1 - t0) / 1000000)) ms"
	chmod -R u+rwX "$W" 2>/dev/null
	rm -rf "$W"
done
assert "found the hostile cases" test $ncases -gt 0

finish
