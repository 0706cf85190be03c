# A text sidecar in Latin-1.
RC=2 MSG="124-10001-10001.txt' is not valid UTF-8"
prepare() {
	sample_tranche
	printf 'Mexico City station, caf\351\n' >"$D/124-10001-10001.txt"
	ARGS=(--manifest "$M" "$D")
}
