# ARCHIVE is a folder, but no archive.
RC=3 MSG="is not a declass archive"
prepare() {
	sample_tranche
	A=$W/plain
	mkdir "$A"
	printf 'keep me\n' >"$A/notes.txt"
	ARGS=(--manifest "$M" "$D")
}
