# A record id holding U+202E RIGHT-TO-LEFT OVERRIDE: "124-\u202e10001-10001"
# shows as another record than it is.
RC=2 MSG="holds an invisible or format character (U+202E)"
prepare() {
	sample_tranche
	printf '124-\342\200\25610001-10001,124-10001-10001.pdf\n' >>"$M"
	ARGS=(--manifest "$M" "$D")
}
