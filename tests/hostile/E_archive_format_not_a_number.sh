# An archive whose declass.formatVersion is not a number: damaged, not missing.
RC=3 MSG="declass.formatVersion 'abc' is not a format version"
prepare() {
	sample_tranche
	git config -f "$A/config" declass.formatVersion abc
	ARGS=(--manifest "$M" "$D")
}
