# A manifest naming a file above the tranche folder.
RC=2 MSG="../outside.pdf"
prepare() {
	sample_tranche
	printf 'secret\n' >"$W/tr/outside.pdf"
	manifest_row "$M" 124-10001-10002 ../outside.pdf
	ARGS=(--manifest "$M" "$D")
}
