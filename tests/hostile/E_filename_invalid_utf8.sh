# A released file whose name is not UTF-8.
RC=2 MSG="is not valid UTF-8"
prepare() {
	sample_tranche
	printf 'x\n' >"$D/$(printf 'caf\351.pdf')"
	ARGS=("$D")
}
