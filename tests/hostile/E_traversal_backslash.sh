# Windows-style traversal: backslashes in a manifest's file name.
RC=2 MSG='..\files\x.pdf'
prepare() {
	sample_tranche
	manifest_row "$M" 124-10001-10002 '..\files\x.pdf'
	ARGS=(--manifest "$M" "$D")
}
