# A manifest path that climbs out through an inner "..".
RC=2 MSG="sub/../../outside.pdf"
prepare() {
	sample_tranche
	printf 'secret\n' >"$W/tr/outside.pdf"
	mkdir "$D/sub"
	manifest_row "$M" 124-10001-10002 sub/../../outside.pdf
	ARGS=(--manifest "$M" "$D")
}
