# An archive written by a newer declass (format version 99).
RC=3 MSG="has format 99"
prepare() {
	sample_tranche
	git config -f "$A/config" declass.formatVersion 99
	ARGS=(--manifest "$M" "$D")
}
