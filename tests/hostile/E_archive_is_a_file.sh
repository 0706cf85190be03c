# ARCHIVE is a regular file.
RC=3 MSG="is not a declass archive"
prepare() {
	sample_tranche
	A=$W/file
	mkdir "$A"
	printf 'not an archive\n' >"$A/archive"
	A=$A/archive
	ARGS=(--manifest "$M" "$D")
}
