# A file in the tranche that is a symlink to a file outside it.
RC=2 MSG="points outside the tranche folder"
prepare() {
	sample_tranche
	printf 'secret\n' >"$W/outside.pdf"
	ln -s "$W/outside.pdf" "$D/124-10001-10002.pdf"
	ARGS=("$D")
}
