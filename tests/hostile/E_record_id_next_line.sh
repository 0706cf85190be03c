# A record id holding U+0085 NEXT LINE, a C1 control some tools take for a
# line break.
RC=2 MSG="holds a control character (U+0085)"
prepare() {
	sample_tranche
	printf '124-10001\302\205-10001,124-10001-10001.pdf\n' >>"$M"
	ARGS=(--manifest "$M" "$D")
}
