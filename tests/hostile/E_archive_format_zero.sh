# An archive with format version 0, which no declass ever wrote.
RC=3 MSG="has format 0"
prepare() {
	sample_tranche
	git config -f "$A/config" declass.formatVersion 0
	ARGS=(--manifest "$M" "$D")
}
