# A record id holding an escape character.
RC=2 MSG="control character"
prepare() {
	sample_tranche
	printf '124-10001\033[2J,124-10001-10001.pdf\n' >>"$M"
	ARGS=(--manifest "$M" "$D")
}
