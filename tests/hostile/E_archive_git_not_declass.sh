# ARCHIVE is a bare Git repository, but not a declass archive.
RC=3 MSG="not a declass archive"
prepare() {
	sample_tranche
	A=$W/git
	git init -q --bare "$A"
	ARGS=(--manifest "$M" "$D")
}
