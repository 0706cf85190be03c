# A released file whose name holds a newline.
RC=2 MSG="control character"
prepare() {
	sample_tranche
	printf 'x\n' >"$D/$(printf 'two\nlines.pdf')"
	ARGS=("$D")
}
