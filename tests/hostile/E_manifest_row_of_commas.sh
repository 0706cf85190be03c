# A manifest line of 8 MiB of commas: 8 million empty cells.
RC=2 MSG="row longer than 1048576 bytes"
prepare() {
	sample_tranche
	head -c $((8 << 20)) /dev/zero | tr '\0' , >>"$M"
	ARGS=(--manifest "$M" "$D")
}
