# A released file of zero bytes (a failed download).
RC=2 MSG="124-10001-10001.pdf' is empty"
prepare() {
	sample_tranche
	: >"$D/124-10001-10001.pdf"
	ARGS=(--manifest "$M" "$D")
}
