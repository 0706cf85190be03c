# The command line around the commands: help for every command, --version,
# bash completion and the man page built from the --help texts, colour only
# on a terminal and never with NO_COLOR, progress bars on a terminal only.
. "$(dirname "$0")/lib.sh"

A=$T/a
new_archive a
for r in 2017-10-26 2021-12-15; do ingest_sample "$A" $r; done
R=104-10004-10143

## help
expect 0 "--help" --help
out_has "Commands:"
# The commands, as the top-level help lists them.
sed -n '/^Commands:/,/^$/p' "$T/out" | awk 'NF > 1 { print $1 }' >"$T/commands"
assert "the help lists the new commands" sh -c "grep -qx report '$T/commands' && grep -qx export '$T/commands' && grep -qx completion '$T/commands'"
for c in $(cat "$T/commands"); do
	expect 0 "help $c" help "$c"
	cp "$T/out" "$T/help-$c"
	out_has "usage: declass"
	out_has "Example:"
	expect 0 "$c --help" "$c" --help
	assert "'help $c' is '$c --help'" cmp -s "$T/out" "$T/help-$c"
done
expect 2 "help of no such command" help frobnicate
err_has "no such command"
expect 2 "no such command" frobnicate
expect 2 "no command" ""

## --version
expect 0 "--version" --version
assert "declass version first" sh -c "head -1 '$T/out' | grep -qE '^declass [0-9]+\.[0-9]+\.[0-9]+$'"
out_has "libgit2 "
out_has "OpenSSL 3"
out_has "jansson 2."
if command -v pkg-config >/dev/null && pkg-config --exists libgit2; then
	out_has "libgit2 $(pkg-config --modversion libgit2)"
fi
expect 0 "-V" -V

## bash completion, generated from the command table
expect 0 "completion bash" completion bash
cp "$T/out" "$T/completion.bash"
assert "completion is valid bash" bash -n "$T/completion.bash"
expect 2 "completion for an unknown shell" completion tcsh
# complete WORDS...: what the script completes for the command line WORDS.
complete_words() {
	PATH="$(dirname "$DECLASS"):$PATH" bash -c '
		. "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=()
		_declass; printf "%s\n" "${COMPREPLY[@]}"' sh "$T/completion.bash" "$@" | LC_ALL=C sort | tr '\n' ' '
}
assert "completes commands" test "$(complete_words declass re)" = "reextract releases report "
assert "completes help topics" test "$(complete_words declass help ex)" = "export "
assert "completes options" test "$(complete_words declass report --ou)" = "--output "
assert "completes global options" test "$(complete_words declass --ver)" = "--version "
assert "completes release ids" test "$(complete_words declass -C "$A" changes 20)" = "2017-10-26 2021-12-15 "
assert "completes --release values" test "$(complete_words declass -C "$A" report --release 2021)" = "2021-12-15 "
for c in $(cat "$T/commands"); do
	assert "completion knows $c" grep -q "^	$c) opts=" "$T/completion.bash"
done
# Every long option a command's getopt table accepts is documented in its
# --help, and so completed.
for f in "$DECLASS_SOURCE_DIR"/cmd/*.c; do
	c=$(sed -n 's/^const cmd cmd_def_\([a-z]*\).*/\1/p' "$f")
	[ -n "$c" ] || continue
	for o in $(grep -o '{ "[a-z][a-z0-9-]*", [a-z_]*argument' "$f" | sed 's/{ "\([^"]*\)".*/\1/'); do
		assert "$c --$o is documented and completed" grep -q "^	$c) opts='.* --$o " "$T/completion.bash"
	done
done

## the man page, from the same text as --help
expect 0 "help --man" help --man
cp "$T/out" "$T/declass.1"
out_has ".TH DECLASS 1"
for c in $(cat "$T/commands"); do
	assert "man page has $c" grep -qx ".SS $c" "$T/declass.1"
done
assert "man page has the report example" grep -qF 'declass report 104\-10004\-10143 \-\-output 104\-10004\-10143.html' "$T/declass.1"
if command -v groff >/dev/null; then
	assert "groff reads it without warnings" sh -c "groff -man -Tutf8 -ww -z '$T/declass.1' 2>'$T/groff.err' && test ! -s '$T/groff.err'"
	assert "rendered man page shows the help text" sh -c \
		"groff -man -Tutf8 '$T/declass.1' 2>/dev/null | sed 's/.\x08//g' | grep -q 'declass export --bag jfk-2021-12-15 2021-12-15'"
fi
BUILT=$(dirname "$DECLASS")/declass.1
if [ -f "$BUILT" ]; then
	assert "the build's declass.1 is 'help --man'" cmp -s "$BUILT" "$T/declass.1"
fi

## colour and progress: only on a terminal, never with NO_COLOR
# tty CMD...: run CMD with stdout and stderr on a pseudo-terminal, output in $T/tty.
if command -v script >/dev/null; then
	tty_run() {
		script -qec "$*" /dev/null >"$T/tty" 2>&1 </dev/null
	}
	ESC=$(printf '\033')
	env -u NO_COLOR sh -c "$(declare -f tty_run); T='$T'; tty_run '$DECLASS' -C '$A' diff $R 2017-10-26 2021-12-15"
	assert "colour on a terminal" grep -q "${ESC}\[32mKostikov" "$T/tty"
	NO_COLOR=1 sh -c "$(declare -f tty_run); T='$T'; tty_run '$DECLASS' -C '$A' diff $R 2017-10-26 2021-12-15"
	assert "no colour with NO_COLOR" sh -c "! grep -q '$ESC\[3' '$T/tty' && grep -q '{+Kostikov+}' '$T/tty'"
	env -u NO_COLOR "$DECLASS" -C "$A" diff $R 2017-10-26 2021-12-15 >"$T/piped" 2>&1
	assert "no colour in a pipe" sh -c "! grep -q '$ESC' '$T/piped'"

	sh -c "$(declare -f tty_run); T='$T'; tty_run '$DECLASS' -C '$A' export --bag '$T/bag-tty' 2021-12-15"
	assert "export: progress bar with rate and ETA on a terminal" grep -qE 'exporting files \[[#-]+\] +[0-9]+%  [0-9]+/[0-9]+  .* ETA [0-9-]+:[0-9-]+' "$T/tty"
	sh -c "$(declare -f tty_run); T='$T'; tty_run '$DECLASS' verify --bag '$T/bag-tty'"
	assert "verify --bag: progress bar on a terminal" grep -q 'verifying bag \[' "$T/tty"
	assert "progress line cleared" grep -q "${ESC}\[K" "$T/tty"
	new_archive ttyarch
	sh -c "$(declare -f tty_run); T='$T'; tty_run '$DECLASS' -C '$T/ttyarch' ingest --release 2017-10-26 --date 2017-10-26 --manifest '$SAMPLE/2017-10-26/manifest.csv' '$SAMPLE/2017-10-26/files'"
	assert "ingest: progress bar on a terminal" grep -qE 'hashing files \[[#-]+\] +[0-9]+%.*ETA' "$T/tty"
else
	echo "skip: no 'script' (util-linux) to run on a terminal"
fi
expect 0 "export in a pipe" -C "$A" export --bag "$T/bag-pipe" 2021-12-15
assert "no progress in a pipe" test ! -s "$T/err"

finish
