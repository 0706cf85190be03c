# A release date of 2999 (in the future).
RC=2 MSG="release date '2999-01-01' is implausible"
prepare() {
	sample_tranche
	DATE=2999-01-01
	ARGS=(--manifest "$M" "$D")
}
