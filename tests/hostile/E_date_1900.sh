# A release date of 1900 (a typo).
RC=2 MSG="release date '1900-01-01' is implausible"
prepare() {
	sample_tranche
	DATE=1900-01-01
	ARGS=(--manifest "$M" "$D")
}
