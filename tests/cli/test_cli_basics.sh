# The command's contract: help, exit codes, where the archive is found.
. "$(dirname "$0")/lib.sh"

expect 0 "--help" --help
out_has "Commands:"
expect 0 "--version" --version
out_has "declass "
expect 2 "no command" 
expect 2 "unknown command" frobnicate
err_has "'frobnicate' is not a command"
for c in $("$DECLASS" --help | sed -n '/^Commands:/,/^$/p' | awk 'NR>1 && NF {print $1}'); do
	expect 0 "$c --help" "$c" --help
	out_has "usage: declass"
	out_has "Example:"
	expect 0 "help $c" help "$c"
	expect 2 "$c --bogus" "$c" --bogus-option
done

# -C, then $DECLASS_ARCHIVE, then ./archive.
cd "$T"
expect 0 "init ./archive" init
assert "./archive created" test -f "$T/archive/config"
expect 0 "releases in ./archive" releases
out_has "no releases yet"
DECLASS_ARCHIVE=$T/env expect 0 "init \$DECLASS_ARCHIVE" init
assert "\$DECLASS_ARCHIVE used" test -f "$T/env/config"
DECLASS_ARCHIVE=$T/env expect 0 "-C wins over \$DECLASS_ARCHIVE" -C "$T/c" init
assert "-C used" test -f "$T/c/config"
expect 3 "missing archive" -C "$T/none" releases
err_has "is not a declass archive"

# A full stdout is an error, not silence.
if [ -w /dev/full ]; then
	"$DECLASS" -C "$T/archive" --help >/dev/full 2>"$T/err"
	assert "write error exits 3" test $? -eq 3
fi

finish
