# A folder given as the manifest.
RC=2 MSG="is not a regular file"
prepare() {
	sample_tranche
	mkdir "$W/manifest.csv"
	ARGS=(--manifest "$W/manifest.csv" "$D")
}
