# A manifest in Latin-1, not UTF-8.
RC=2 MSG="invalid UTF-8"
prepare() {
	sample_tranche
	printf '124-10001-10002,caf\351.pdf\n' >>"$M"
	ARGS=(--manifest "$M" "$D")
}
