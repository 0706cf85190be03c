# A record id holding U+200B ZERO WIDTH SPACE: two ids that look the same.
RC=2 MSG="holds an invisible or format character (U+200B)"
prepare() {
	sample_tranche
	printf '124-10001-\342\200\21310001,124-10001-10001.pdf\n' >>"$M"
	ARGS=(--manifest "$M" "$D")
}
