# An archive with a negative format version.
RC=3 MSG="has format -5"
prepare() {
	sample_tranche
	sed -i "s/formatVersion = 1$/formatVersion = -5/" "$A/config"
	grep -q "formatVersion = -5" "$A/config" || SKIP="cannot set the format version"
	ARGS=(--manifest "$M" "$D")
}
