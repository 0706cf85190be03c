# A manifest line of 4 MiB (one cell).
RC=2 MSG="line 4: cell 2 longer than 65536 bytes"
prepare() {
	sample_tranche
	{ printf '124-10001-10002,'; head -c $((4 << 20)) /dev/zero | tr '\0' a; echo; } >>"$M"
	ARGS=(--manifest "$M" "$D")
}
