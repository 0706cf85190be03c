# Helpers for the CLI tests: each test sources this, runs the real binary
# ($DECLASS) on archives made fresh in a temporary folder, and ends with
# `finish`, which prints "N passed, N failed" and sets the exit status.
set -u
: "${DECLASS:?set DECLASS to the declass binary}"
: "${DECLASS_SOURCE_DIR:?set DECLASS_SOURCE_DIR to the source tree}"

T=$(mktemp -d "${TMPDIR:-/tmp}/declass-test.XXXXXX")
trap 'chmod -R u+rwX "$T" 2>/dev/null; rm -rf "$T"' EXIT
SAMPLE=$DECLASS_SOURCE_DIR/sample
export SOURCE_DATE_EPOCH=1700000000
export DECLASS_AUTHOR_NAME="Test Archivist" DECLASS_AUTHOR_EMAIL=test@example.org
export NO_COLOR=1
unset DECLASS_ARCHIVE
passed=0
failed=0

pass() { passed=$((passed + 1)); }
fail() {
	failed=$((failed + 1))
	echo "FAIL: $*"
}

# run ARGS...: run declass, keeping stdout in $T/out, stderr in $T/err, exit in $rc.
run() {
	"$DECLASS" "$@" >"$T/out" 2>"$T/err"
	rc=$?
}

# expect RC DESC ARGS...: run declass and check its exit code.
expect() {
	want=$1 desc=$2
	shift 2
	run "$@"
	if [ "$rc" -eq "$want" ]; then
		pass
	else
		fail "$desc: exit $rc, want $want"
		sed 's/^/    stderr: /' "$T/err"
	fi
}

# Does stderr / stdout hold the (fixed) string?
err_has() { grep -qF -- "$1" "$T/err" && pass || { fail "stderr lacks '$1'"; sed 's/^/    stderr: /' "$T/err"; }; }
out_has() { grep -qF -- "$1" "$T/out" && pass || { fail "stdout lacks '$1'"; sed 's/^/    stdout: /' "$T/out"; }; }

# assert DESC COMMAND...: a shell condition that must hold.
assert() {
	desc=$1
	shift
	if "$@"; then pass; else fail "$desc"; fi
}

# The state of an archive: every ref and object, hashed.
fingerprint() {
	(cd "$1" && find HEAD config refs objects packed-refs -type f 2>/dev/null | LC_ALL=C sort |
		xargs -r sha256sum) | sha256sum
}

# new_archive NAME: an empty archive at $T/NAME.
new_archive() {
	"$DECLASS" -C "$T/$1" init >/dev/null || fail "init $1"
}

# ingest_sample ARCHIVE RELEASE: ingest one of the bundled sample releases.
ingest_sample() {
	"$DECLASS" -C "$1" ingest --release "$2" --date "$2" --title "sample $2" \
		--manifest "$SAMPLE/$2/manifest.csv" "$SAMPLE/$2/files" >/dev/null ||
		fail "ingest of sample $2"
}

# kill_writer_at ARCHIVE SYSCALL PATH N ARGS...: run `declass -C ARCHIVE
# ARGS...` under strace and SIGKILL it on the Nth SYSCALL touching PATH
# (below ARCHIVE, or . for ARCHIVE itself); returns its exit status (137
# when it was killed).  have_strace says whether strace and ptrace work here.
kill_writer_at() {
	ka=$1 ksc=$2 kp=$3 kn=$4
	shift 4
	[ "$kp" = . ] && kp=$ka || kp=$ka/$kp
	# The subshell keeps the shell's "Killed" notice off the log.
	(ASAN_OPTIONS=detect_leaks=0 strace -f -o /dev/null -P "$kp" -e trace="$ksc" \
		-e inject="$ksc:signal=KILL:when=$kn" "$DECLASS" -C "$ka" "$@" >/dev/null 2>&1
		exit $?) 2>/dev/null
}
have_strace() { command -v strace >/dev/null && strace -f -o /dev/null true 2>/dev/null; }

finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}
